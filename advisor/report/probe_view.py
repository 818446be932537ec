"""The probe results as a person reads them: host facts, what each probe found, the set-up.

Part of the view model (advisor/report/model.py): the report, the Markdown record, the app's
probe and results pages and the `probe` command's summary all show these words.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from advisor.base.models import FrozenModel
from advisor.grounding import format_bytes, format_seconds

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport, Stats

ProbeKey = Literal["host", "container", "vm"]
ProbeStatusWord = Literal["ok", "unavailable", "failed", "cancelled", "skipped"]
PROBE_TITLES: dict[ProbeKey, str] = {
    "host": "Host facts",
    "container": "Sample container",
    "vm": "Sample VM",
}
STATUS_WORDS: dict[ProbeStatusWord, str] = {
    "ok": "Done",
    "unavailable": "Could not run",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "skipped": "Not run",
}


class FactRow(FrozenModel):
    """A labelled line of a facts table."""

    label: str
    value: str


class StartupFigure(FrozenModel):
    """A start or boot time measured here, for the log-scale chart."""

    kind: Literal["container", "vm"]
    label: str
    median_seconds: float
    fastest_seconds: float
    slowest_seconds: float
    runs: int


class ProbeOutcome(FrozenModel):
    """How one probe ended: a status, what it found or why not, and the fix if any."""

    probe: ProbeKey
    title: str
    status: ProbeStatusWord
    status_word: str
    summary: str
    fix: str | None = None


class ProbeSection(FrozenModel):
    """What the probe run found and how it was set up."""

    taken_at: datetime
    hostname: str
    wall_seconds: float
    summaries: tuple[ProbeOutcome, ...]
    host: tuple[FactRow, ...]
    outcomes: tuple[FactRow, ...]
    settings: tuple[FactRow, ...]
    tools: tuple[FactRow, ...]


def probe_section(report: ProbeReport) -> ProbeSection:
    """Everything a person reads about one probe run."""
    return ProbeSection(
        taken_at=report.taken_at,
        hostname=report.hostname,
        wall_seconds=report.wall_seconds,
        summaries=probe_outcomes(report),
        host=_host_rows(report),
        outcomes=_outcome_rows(report),
        settings=_settings_rows(report),
        tools=_tool_rows(report),
    )


def probe_outcomes(report: ProbeReport) -> tuple[ProbeOutcome, ...]:
    """One outcome per probe of `report`, in the order they run."""
    host = report.host
    system = host.os.distribution or host.os.system
    cpus = f"{host.cpu.count} CPUs" if host.cpu.count else "CPU count unknown"
    summary = f"{system}, kernel {host.os.kernel}, {cpus} ({report.hostname})"
    if host.kvm.problem:
        summary += f". /dev/kvm: {host.kvm.problem}"
    outcomes = [_outcome("host", "ok", summary, host.kvm.fix if host.kvm.problem else None)]
    container = report.container
    if container is None:
        outcomes.append(_outcome("container", "skipped", "Not asked for in this run."))
    elif container.status == "ok":
        figures = [
            _timed("started", container.start_seconds),
            f"image {format_bytes(container.image_bytes)}" if container.image_bytes else None,
            _cpu(container.cpu_ratio),
        ]
        outcomes.append(_outcome("container", "ok", _ran(figures)))
    else:
        outcomes.append(
            _trouble("container", container.status.value, container.reason, container.fix)
        )
    vm = report.vm
    if vm is None:
        outcomes.append(_outcome("vm", "skipped", "Not asked for in this run."))
    elif vm.status == "ok":
        figures = [
            _timed("booted", vm.boot_seconds),
            _ACCELERATORS[vm.accelerator],
            _cpu(vm.cpu_ratio),
        ]
        outcomes.append(_outcome("vm", "ok", _ran(figures)))
    else:
        outcomes.append(_trouble("vm", vm.status.value, vm.reason, vm.fix))
    return tuple(outcomes)


_ACCELERATORS = {
    "kvm": "hardware virtualization (KVM)",
    "tcg": "software emulation (TCG)",
    None: None,
}


def stopped_outcome(probe: ProbeKey) -> ProbeOutcome:
    """A probe the run stopped before it could end on its own."""
    return _outcome(probe, "failed", "Stopped.")


def _outcome(
    probe: ProbeKey, status: ProbeStatusWord, summary: str, fix: str | None = None
) -> ProbeOutcome:
    return ProbeOutcome(
        probe=probe,
        title=PROBE_TITLES[probe],
        status=status,
        status_word=STATUS_WORDS[status],
        summary=summary,
        fix=fix,
    )


def _timed(verb: str, stats: Stats | None) -> str | None:
    if stats is None:
        return None
    return f"{verb} in {format_seconds(stats.median)} (median of {stats.runs})"


def _cpu(ratio: float | None) -> str | None:
    return f"CPU {ratio:.2f}x native" if ratio is not None else None


def _ran(figures: list[str | None]) -> str:
    shown = [figure for figure in figures if figure]
    return f"Ran: {', '.join(shown)}." if shown else "Ran."


def _trouble(probe: ProbeKey, status: str, reason: str | None, fix: str | None) -> ProbeOutcome:
    word: ProbeStatusWord = next((known for known in STATUS_WORDS if known == status), "failed")
    text = (reason or STATUS_WORDS[word]).rstrip(".")
    return _outcome(probe, word, text[:1].upper() + text[1:] + ".", fix)


def startup_figures(report: ProbeReport | None) -> tuple[StartupFigure, ...]:
    """The container start and VM boot times measured, for a chart."""
    if report is None:
        return ()
    figures = []
    container, vm = report.container, report.vm
    if container is not None and container.start_seconds is not None:
        figures.append(_figure("container", "Container start", container.start_seconds))
    if vm is not None and vm.boot_seconds is not None:
        accelerator = f" ({vm.accelerator.upper()})" if vm.accelerator else ""
        figures.append(_figure("vm", f"VM boot{accelerator}", vm.boot_seconds))
    return tuple(figures)


def _figure(kind: Literal["container", "vm"], label: str, stats: Stats) -> StartupFigure:
    return StartupFigure(
        kind=kind,
        label=label,
        median_seconds=stats.median,
        fastest_seconds=stats.min,
        slowest_seconds=stats.max,
        runs=stats.runs,
    )


def startup_note(report: ProbeReport | None) -> str | None:
    """How the container start and the VM boot compare, in one sentence or two."""
    if report is None:
        return None
    container, vm = report.container, report.vm
    start = container.start_seconds if container else None
    boot = vm.boot_seconds if vm else None
    if start is None or boot is None:
        return "Container start and VM boot were not both measured, so they are not compared."
    note = (
        f"The VM took {boot.median / start.median:.0f}x as long to boot as the container to "
        "start (medians; whiskers span the fastest and slowest run)."
    )
    if vm is not None and vm.accelerator == "tcg":
        note += " The VM ran under software emulation (TCG): with KVM it would boot faster."
    return note


def _host_rows(report: ProbeReport) -> tuple[FactRow, ...]:
    host = report.host
    os_facts, cpu, memory, kvm = host.os, host.cpu, host.memory, host.kvm
    cpu_text = f"{cpu.model or 'unknown model'}, {cpu.count or '?'} CPUs"
    extension = {"vmx": "Intel VT-x", "svm": "AMD-V", None: "no hardware virtualization flag"}
    cpu_text += f"; {extension[cpu.virtualization_extension]}"
    if cpu.hypervisor_flag:
        cpu_text += "; this machine is itself a virtual machine"
    memory_text = "unknown"
    if memory.total_bytes is not None:
        memory_text = f"{format_bytes(memory.total_bytes)} in all"
        if memory.available_bytes is not None:
            memory_text += f", {format_bytes(memory.available_bytes)} available"
    if kvm.device_present:
        verdicts = {True: "usable", False: "not usable", None: "usability not tested"}
        usable = verdicts[report.kvm_usable]
        kvm_text = f"present ({kvm.owner}:{kvm.group}, mode {kvm.mode}), {usable}"
        if report.kvm_usable_source:
            kvm_text += f": {report.kvm_usable_source}"
    else:
        kvm_text = "absent: VMs can only run under software emulation"
    if kvm.problem:
        kvm_text += _because(kvm.problem, kvm.fix)
    cgroup = host.cgroup
    cgroup_text = f"version {cgroup.version or 'unknown'}" + (" (hybrid)" if cgroup.hybrid else "")
    if cgroup.controllers:
        cgroup_text += f"; controllers {', '.join(cgroup.controllers)}"
    return (
        FactRow(label="Host name", value=host.hostname),
        FactRow(
            label="Operating system",
            value=f"{os_facts.distribution or os_facts.system}, kernel {os_facts.kernel}, "
            f"{os_facts.architecture}",
        ),
        FactRow(label="Processor", value=cpu_text),
        FactRow(label="Memory", value=memory_text),
        FactRow(label="/dev/kvm", value=kvm_text),
        FactRow(label="Control groups", value=cgroup_text),
        FactRow(label="Docker engine", value=_docker_text(report)),
        FactRow(label="libvirt", value=_libvirt_text(report)),
    )


def _docker_text(report: ProbeReport) -> str:
    docker = report.host.docker
    if not docker.asked:
        return "not asked: the run probed the VM only"
    if not docker.answers:
        return f"did not answer at {docker.endpoint}{_because(docker.reason, docker.fix)}"
    text = f"{docker.version or 'unknown version'} at {docker.endpoint}"
    if docker.storage_driver:
        text += f", storage {docker.storage_driver}"
    text += ", rootless" if docker.rootless else ", runs as root"
    if docker.access_via:
        text += f"; reached as {docker.access_via}"
    if docker.root_equivalent:
        text += "; access to its socket is as good as root on this host"
    return text


def _libvirt_text(report: ProbeReport) -> str:
    libvirt = report.host.libvirt
    if not libvirt.answers:
        return f"did not answer at {libvirt.uri}{_because(libvirt.reason, libvirt.fix)}"
    text = f"{libvirt.version or 'unknown version'} at {libvirt.uri}"
    if libvirt.hypervisor:
        text += f", {libvirt.hypervisor}"
    if libvirt.domain_types:
        text += f"; domain types {', '.join(libvirt.domain_types)}"
    return text


def _spread(stats: Stats) -> str:
    if stats.runs == 1:
        return f"{format_seconds(stats.median)} (1 run)"
    return (
        f"{format_seconds(stats.median)} median of {stats.runs} "
        f"({format_seconds(stats.min)} to {format_seconds(stats.max)})"
    )


def _because(reason: str | None, fix: str | None) -> str:
    return (f": {reason}" if reason else "") + (f" Fix: {fix}" if fix else "")


def _outcome_rows(report: ProbeReport) -> tuple[FactRow, ...]:
    rows: list[FactRow] = []
    container, vm = report.container, report.vm
    if container is None:
        rows.append(FactRow(label="Container probe", value="not run (only the VM was probed)"))
    else:
        parts = [f"{container.status.value}{_because(container.reason, container.fix)}"]
        if container.start_seconds is not None:
            parts.append(f"start {_spread(container.start_seconds)}")
        if container.image_bytes is not None:
            origin = "sample image" if container.image_origin == "sample" else "image"
            parts.append(
                f"{origin} {container.image_tag or ''} {format_bytes(container.image_bytes)}"
            )
        if container.memory_bytes is not None:
            parts.append(f"memory {format_bytes(round(container.memory_bytes.median))}")
        if container.cpu_ratio is not None:
            parts.append(f"CPU workload {container.cpu_ratio:.2f}x native")
        rows.append(FactRow(label="Container probe", value="; ".join(parts)))
        hardening = container.hardening
        if hardening is not None:
            rows.append(
                FactRow(
                    label="Container hardening",
                    value=f"network {hardening.network_mode}, "
                    f"{'read-only' if hardening.read_only_root else 'writable'} root, "
                    f"capabilities dropped: {', '.join(hardening.cap_drop) or 'none'}, "
                    f"security options: {', '.join(hardening.security_opt) or 'none'}, "
                    f"user {hardening.user}, memory limit "
                    f"{format_bytes(hardening.memory_limit_bytes)}, "
                    f"at most {hardening.pids_limit} processes",
                )
            )
    if vm is None:
        rows.append(FactRow(label="VM probe", value="not run (only the container was probed)"))
        return tuple(rows)
    status = vm.status.value + (f" under {vm.accelerator.upper()}" if vm.accelerator else "")
    parts = [f"{status}{_because(vm.reason, vm.fix)}"]
    if vm.boot_seconds is not None:
        parts.append(f"boot {_spread(vm.boot_seconds)}")
    if vm.disk_bytes is not None:
        parts.append(f"kernel and initramfs {format_bytes(vm.disk_bytes)}")
    if vm.hypervisor_rss_bytes is not None:
        parts.append(f"QEMU memory {format_bytes(vm.hypervisor_rss_bytes)}")
    if vm.cpu_ratio is not None:
        parts.append(f"CPU workload {vm.cpu_ratio:.2f}x native")
    rows.append(FactRow(label="VM probe", value="; ".join(parts)))
    for attempt in vm.attempts:
        text = attempt.fallback_reason or f"{attempt.outcome.replace('_', ' ')}, measured with it"
        text += f" ({attempt.seconds:.1f} s)"
        rows.append(FactRow(label=f"Tried {attempt.accelerator.upper()}", value=text))
    if vm.kernel_source is not None:
        rows.append(FactRow(label="Guest kernel", value=vm.kernel_source.describe()))
    return tuple(rows)


def _settings_rows(report: ProbeReport) -> tuple[FactRow, ...]:
    settings = report.settings
    return (
        FactRow(
            label="Runs per probe",
            value=str(settings.runs) if settings.runs else "each probe's default",
        ),
        FactRow(
            label="Probes",
            value=f"{settings.only} only" if settings.only else "container and VM",
        ),
        FactRow(
            label="Longest wait",
            value=f"{settings.timeout_seconds:g} s"
            if settings.timeout_seconds
            else "each probe's default",
        ),
        FactRow(
            label="libvirt connection",
            value=settings.libvirt_uri or f"default ({report.host.libvirt.uri})",
        ),
        FactRow(label="Image", value=settings.image or "the built-in sample image"),
        FactRow(
            label="Guest kernel and initramfs",
            value=", ".join(
                str(path) for path in (settings.kernel_path, settings.initrd_path) if path
            )
            or "the probe's own (Debian cloud kernel, busybox initramfs)",
        ),
    )


def _tool_rows(report: ProbeReport) -> tuple[FactRow, ...]:
    tools = report.tool_versions
    named = (
        ("dvm-advisor", tools.dvm_advisor),
        ("Python", tools.python),
        ("Docker SDK for Python", tools.docker_sdk),
        ("libvirt-python", tools.libvirt_python),
        ("Docker engine", report.host.docker.version),
        ("libvirt", report.host.libvirt.version),
        ("Hypervisor", report.host.libvirt.hypervisor),
    )
    return tuple(FactRow(label=label, value=value or "not found") for label, value in named)
