"""All probes in one run: host facts, then the container probe, then the VM probe.

The report is the one document the command line writes, the GUI shows and `recommend
--probe` reads. One probe failing, or even raising, never stops the other: its result says
`failed` with the reason.
"""

from __future__ import annotations

import platform
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from advisor._version import __version__
from advisor.errors import load_json_model
from advisor.modelbase import FrozenModel
from advisor.probes.container import ContainerResult, run_container_probe
from advisor.probes.container_plan import ContainerSettings
from advisor.probes.control import (
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    ignore_progress,
)
from advisor.probes.host import gather_host_facts
from advisor.probes.host_models import HostFacts, default_libvirt_uri
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.models import MAX_RUNS, MAX_TIMEOUT_SECONDS, without_copies
from advisor.probes.quantities import ElapsedSeconds, FilePath, Label, Text
from advisor.probes.vm import run_vm_probe
from advisor.probes.vm_models import VmResult
from advisor.probes.vm_plan import VmSettings

HOST_FACTS_TIMEOUT_SECONDS = 10.0


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
    """The software of this app that took the measurements; the engine's, libvirt's and the
    hypervisor's versions are in the host facts."""

    dvm_advisor: Label
    python: Label
    docker_sdk: Label | None
    libvirt_python: Label | None

    @model_validator(mode="before")
    @classmethod
    def _forget_copies(cls, data: Any) -> Any:
        # Earlier reports copied these from the host facts.
        return without_copies(data, ("docker_engine", "libvirt", "hypervisor"))


class ProbeReport(FrozenModel):
    """Everything one probe run learned about this workstation."""

    schema_version: Literal[1] = 1
    taken_at: datetime
    tool_versions: ToolVersions
    settings: ProbeSettings
    host: HostFacts
    container: ContainerResult | None  # None when not asked for (--only vm)
    vm: VmResult | None  # None when not asked for (--only container)
    wall_seconds: ElapsedSeconds

    @model_validator(mode="before")
    @classmethod
    def _forget_copies(cls, data: Any) -> Any:
        # Earlier reports kept the host name here as well as in the host facts.
        return without_copies(data, ("hostname",))

    @property
    def hostname(self) -> str:
        """The workstation's name, as its host facts read it."""
        return self.host.hostname

    @property
    def kvm_usable(self) -> bool | None:
        """Whether a KVM guest reached its boot marker in the VM probe; None when not tried."""
        return self.vm.kvm_usable if self.vm is not None else None

    @property
    def kvm_usable_source(self) -> str | None:
        """What `kvm_usable` rests on, in a phrase."""
        if self.kvm_usable is None:
            return None
        verdict = "reached" if self.kvm_usable else "did not reach"
        return f"VM probe: a KVM guest {verdict} its boot marker"


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
    """Gather host facts and run the probes asked for; never raises for a probe's trouble.

    One libvirt connection serves the host facts and the VM probe; the host's CPU workload,
    timed natively by the container probe, is the VM probe's reference too.
    """
    token = cancel or CancelToken()
    began = time.monotonic()
    taken_at = datetime.now(UTC)
    progress(ProgressEvent(probe="host", step="read host facts", fraction=0.0))
    facts_timeout = min(HOST_FACTS_TIMEOUT_SECONDS, settings.timeout_seconds or MAX_TIMEOUT_SECONDS)
    vm_chosen = vm_settings(settings)
    libvirt = LibvirtConnection(vm_chosen.uri, vm_chosen.libvirt_call_timeout_seconds)
    try:
        host = gather_host_facts(vm_chosen.uri, timeout=facts_timeout, libvirt=libvirt)
        progress(ProgressEvent(probe="host", step="done", fraction=1.0))
        container = None
        if settings.only in (None, "container"):
            container = run_container_probe(container_settings(settings), progress, token)
        vm = None
        if settings.only in (None, "vm"):
            native = container.native_workload_seconds if container is not None else None
            vm = run_vm_probe(vm_chosen, progress, token, host, libvirt, native)
    finally:
        libvirt.close()
    return ProbeReport(
        taken_at=taken_at,
        tool_versions=ToolVersions(
            dvm_advisor=__version__,
            python=platform.python_version(),
            docker_sdk=_installed_version("docker"),
            libvirt_python=_installed_version("libvirt-python"),
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


def _installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
