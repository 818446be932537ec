"""All probes in one run: host facts, then the container probe, then the VM probe, into one
probe report (probes/report.py). One probe failing never stops the other: its result says
`failed` with the reason and the fix.
"""

from __future__ import annotations

import platform
import time
from datetime import UTC, datetime
from importlib import metadata

from advisor.base.i18n import _, current_language
from advisor.base.version import __version__
from advisor.probes.container import run_container_probe
from advisor.probes.container_plan import ContainerSettings
from advisor.probes.control import (
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    ignore_progress,
)
from advisor.probes.host import gather_host_facts
from advisor.probes.host_models import default_libvirt_uri
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.models import MAX_TIMEOUT_SECONDS
from advisor.probes.report import ProbeReport, ProbeSettings, ToolVersions
from advisor.probes.vm import run_vm_probe
from advisor.probes.vm_plan import VmSettings

HOST_FACTS_TIMEOUT_SECONDS = 10.0


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
    progress(
        ProgressEvent(
            probe="host", step="read host facts", shown=_("read host facts"), fraction=0.0
        )
    )
    facts_timeout = min(HOST_FACTS_TIMEOUT_SECONDS, settings.timeout_seconds or MAX_TIMEOUT_SECONDS)
    vm_chosen = vm_settings(settings)
    libvirt = LibvirtConnection(vm_chosen.uri, vm_chosen.libvirt_call_timeout_seconds)
    try:
        host = gather_host_facts(
            vm_chosen.uri,
            timeout=facts_timeout,
            libvirt=libvirt,
            ask_docker=settings.only != "vm",
            cancel=token,
        )
        progress(ProgressEvent(probe="host", step="done", shown=_("done"), fraction=1.0))
        container = None
        if settings.only in (None, "container"):
            container = run_container_probe(
                container_settings(settings), progress, token, host.docker
            )
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
        language=current_language(),
    )


def _installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None
