"""All probes in one run: host facts, then the container probe, then the VM probe.

The report is the one document the command line writes, the GUI shows and `recommend
--probe` reads. One probe failing, or even raising, never stops the other: its result says
`failed` with the reason.
"""

from __future__ import annotations

import platform
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field

from advisor._version import __version__
from advisor.errors import load_json_model
from advisor.modelbase import FrozenModel
from advisor.probes.container import ContainerResult, ContainerSettings, run_container_probe
from advisor.probes.control import (
    CancelToken,
    ProbeCancelled,
    ProgressCallback,
    ProgressEvent,
    ignore_progress,
)
from advisor.probes.docker_engine import first_line
from advisor.probes.host import HostFacts, default_libvirt_uri, gather_host_facts
from advisor.probes.models import (
    CANCELLED_FIX,
    CANCELLED_REASON,
    MAX_RUNS,
    MAX_TIMEOUT_SECONDS,
    ProbeStatus,
)
from advisor.probes.quantities import ElapsedSeconds, FilePath, Label, Text
from advisor.probes.vm import VmResult, VmSettings, run_vm_probe

HOST_FACTS_TIMEOUT_SECONDS = 10.0

ResultT = TypeVar("ResultT")


class ProbeSettings(FrozenModel):
    """What the user chose for a probe run; None means each probe's own default."""

    runs: int | None = Field(default=None, ge=1, le=MAX_RUNS)
    only: Literal["container", "vm"] | None = None
    # The longest any one wait may take: a call to a daemon, a container run, a guest boot.
    timeout_seconds: float | None = Field(default=None, gt=0, le=MAX_TIMEOUT_SECONDS)
    libvirt_uri: Text | None = None
    image: Text | None = None  # an image already in the engine, instead of the sample
    kernel_path: FilePath | None = None
    initrd_path: FilePath | None = None
    try_kvm: bool = True  # off: the VM probe goes straight to software emulation
    # Off: the VM probe uses a kernel already cached, configured or in /boot, and never
    # downloads the distribution's kernel package.
    allow_kernel_download: bool = True


class ToolVersions(FrozenModel):
    """The software that took the measurements."""

    dvm_advisor: Label
    python: Label
    docker_sdk: Label | None
    libvirt_python: Label | None
    docker_engine: Label | None
    libvirt: Label | None
    hypervisor: Label | None  # as libvirt names it, e.g. "QEMU 7.2.22"


class ProbeReport(FrozenModel):
    """Everything one probe run learned about this workstation."""

    schema_version: Literal[1] = 1
    taken_at: datetime
    hostname: Label
    tool_versions: ToolVersions
    settings: ProbeSettings
    host: HostFacts
    container: ContainerResult | None  # None when not asked for (--only vm)
    vm: VmResult | None  # None when not asked for (--only container)
    wall_seconds: ElapsedSeconds


def container_settings(settings: ProbeSettings) -> ContainerSettings:
    """The container probe's settings from the user's choices."""
    chosen: dict[str, object] = {"image": settings.image}
    if settings.runs is not None:
        chosen["runs"] = settings.runs
    if settings.timeout_seconds is not None:
        defaults = ContainerSettings()
        chosen["timeout_seconds"] = max(settings.timeout_seconds, defaults.timeout_seconds)
        chosen["call_timeout_seconds"] = settings.timeout_seconds
    return ContainerSettings.model_validate(chosen)


def vm_settings(settings: ProbeSettings) -> VmSettings:
    """The VM probe's settings from the user's choices; the timeout caps each of its waits."""
    chosen: dict[str, object] = {
        "uri": settings.libvirt_uri or default_libvirt_uri(),
        "kernel_path": settings.kernel_path,
        "initrd_path": settings.initrd_path,
        "try_kvm": settings.try_kvm,
        "allow_kernel_download": settings.allow_kernel_download,
    }
    if settings.runs is not None:
        chosen["runs"] = settings.runs
    if settings.timeout_seconds is not None:
        defaults = VmSettings()
        for name, value in defaults.model_dump().items():
            if name.endswith("_seconds"):
                chosen[name] = min(value, settings.timeout_seconds)
    return VmSettings.model_validate(chosen)


def run_probes(
    settings: ProbeSettings,
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
) -> ProbeReport:
    """Gather host facts and run the probes asked for; never raises for a probe's trouble."""
    token = cancel or CancelToken()
    began = time.monotonic()
    taken_at = datetime.now(UTC)
    progress(ProgressEvent(probe="host", step="read host facts", fraction=0.0))
    facts_timeout = min(HOST_FACTS_TIMEOUT_SECONDS, settings.timeout_seconds or MAX_TIMEOUT_SECONDS)
    host = gather_host_facts(settings.libvirt_uri, timeout=facts_timeout)
    progress(ProgressEvent(probe="host", step="done", fraction=1.0))
    container = None
    if settings.only in (None, "container"):
        chosen = container_settings(settings)
        container = _run_guarded(
            "container",
            lambda: run_container_probe(chosen, progress, token),
            lambda status, reason, fix, seconds: ContainerResult(
                status=status, reason=reason, fix=fix, runs=chosen.runs, wall_seconds=seconds
            ),
        )
    vm = None
    if settings.only in (None, "vm"):
        vm_chosen = vm_settings(settings)
        vm = _run_guarded(
            "VM",
            lambda: run_vm_probe(vm_chosen, progress, token),
            lambda status, reason, fix, seconds: VmResult(
                status=status,
                reason=reason,
                fix=fix,
                uri=vm_chosen.uri,
                wall_seconds=seconds,
                taken_at=taken_at,
                hostname=socket.gethostname(),
            ),
        )
        if vm.kvm_usable is not None:
            verdict = "reached" if vm.kvm_usable else "did not reach"
            host = host.with_kvm_usable(
                vm.kvm_usable, f"VM probe: a KVM guest {verdict} its boot marker"
            )
    return ProbeReport(
        taken_at=taken_at,
        hostname=host.hostname,
        tool_versions=ToolVersions(
            dvm_advisor=__version__,
            python=platform.python_version(),
            docker_sdk=_installed_version("docker"),
            libvirt_python=_installed_version("libvirt-python"),
            docker_engine=host.docker.version,
            libvirt=host.libvirt.version,
            hypervisor=host.libvirt.hypervisor,
        ),
        settings=settings,
        host=host,
        container=container,
        vm=vm,
        wall_seconds=time.monotonic() - began,
    )


def load_probe_report(path: str | Path) -> ProbeReport:
    """Read a report written by `dvm-advisor probe --json`; raises InputError in one line."""
    return load_json_model(ProbeReport, path)


def _run_guarded(
    what: str,
    run: Callable[[], ResultT],
    stand_in: Callable[[ProbeStatus, str, str | None, float], ResultT],
) -> ResultT:
    """Run one probe; should it raise, a stand-in result (status, reason, fix, seconds) says
    so."""
    began = time.monotonic()
    try:
        return run()
    except ProbeCancelled:
        status, reason, fix = ProbeStatus.CANCELLED, CANCELLED_REASON, CANCELLED_FIX
    except Exception as error:  # a fault in one probe must not cost the other its run
        status, reason = ProbeStatus.FAILED, f"the {what} probe stopped: {first_line(error)}"
        fix = None
    return stand_in(status, reason, fix, time.monotonic() - began)


def _installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
