"""The probe results as a person reads them: host facts, what each probe found, the set-up.

Part of the view model (advisor/report/model.py): the report, the Markdown record, the app's
probe and results pages and the `probe` command's summary all show these words.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from advisor.base.i18n import N_, _, current_language
from advisor.base.models import FrozenModel
from advisor.grounding import (
    accelerator_text,
    format_bytes,
    format_seconds,
    middle_of_runs,
    ratio_text,
)
from advisor.wording import PROBE_STATUS_LABELS

if TYPE_CHECKING:
    from advisor.probe_results import ContainerResult, ProbeReport, Stats

ProbeKey = Literal["host", "container", "vm"]
ProbeStatusWord = Literal["ok", "unavailable", "failed", "cancelled", "skipped"]
# In English; each is shown through `_` in the current language.
PROBE_TITLES: dict[ProbeKey, str] = {
    "host": N_("Host facts"),
    "container": N_("Sample container"),
    "vm": N_("Sample VM"),
}
STATUS_WORDS: dict[ProbeStatusWord, str] = {
    "ok": N_("Done"),
    "unavailable": N_("Could not run"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
    "skipped": N_("Not run"),
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
    cpus = (
        _("{count} CPUs").format(count=host.cpu.count) if host.cpu.count else _("CPU count unknown")
    )
    summary = _("{system}, kernel {kernel}, {cpus} ({host})").format(
        system=system, kernel=host.os.kernel, cpus=cpus, host=report.hostname
    )
    if host.kvm.problem:
        summary += f". /dev/kvm: {host.kvm.problem}"
    if (recorded := recorded_language_note(report)) is not None:
        summary = _("{facts}. {note}").format(facts=summary, note=recorded.rstrip("."))
    outcomes = [_outcome("host", "ok", summary, host.kvm.fix if host.kvm.problem else None)]
    container = report.container
    if container is None:
        outcomes.append(_outcome("container", "skipped", _("Not asked for in this run.")))
    elif container.status == "ok":
        figures = [
            _timed(_("started in {duration}"), container.start_seconds),
            _("image {size}").format(size=format_bytes(container.image_bytes))
            if container.image_bytes
            else None,
            _cpu(container.cpu_ratio),
        ]
        outcomes.append(_outcome("container", "ok", _ran(figures)))
    else:
        outcomes.append(
            _trouble("container", container.status.value, container.reason, container.fix)
        )
    vm = report.vm
    if vm is None:
        outcomes.append(_outcome("vm", "skipped", _("Not asked for in this run.")))
    elif vm.status == "ok":
        figures = [
            _timed(_("booted in {duration}"), vm.boot_seconds),
            accelerator_text(vm.accelerator),
            _cpu(vm.cpu_ratio),
        ]
        outcomes.append(_outcome("vm", "ok", _ran(figures)))
    else:
        outcomes.append(_trouble("vm", vm.status.value, vm.reason, vm.fix))
    return tuple(outcomes)


def stopped_outcome(probe: ProbeKey) -> ProbeOutcome:
    """A probe the run stopped before it could end on its own."""
    return _outcome(probe, "failed", _("Stopped."))


def _outcome(
    probe: ProbeKey, status: ProbeStatusWord, summary: str, fix: str | None = None
) -> ProbeOutcome:
    return ProbeOutcome(
        probe=probe,
        title=_(PROBE_TITLES[probe]),
        status=status,
        status_word=_(STATUS_WORDS[status]),
        summary=summary,
        fix=fix,
    )


def _timed(sentence: str, stats: Stats | None) -> str | None:
    """`sentence` with {duration} filled in: 'started in 103 ms (the middle of 5 runs)'."""
    if stats is None:
        return None
    return sentence.format(duration=middle_of_runs(stats.median, stats.runs))


def _cpu(ratio: float | None) -> str | None:
    if ratio is None:
        return None
    return _("CPU work {comparison}").format(comparison=ratio_text(ratio))


def _ran(figures: list[str | None]) -> str:
    shown = [figure for figure in figures if figure]
    return _("Ran: {figures}.").format(figures=_(", ").join(shown)) if shown else _("Ran.")


def _trouble(probe: ProbeKey, status: str, reason: str | None, fix: str | None) -> ProbeOutcome:
    word: ProbeStatusWord = next((known for known in STATUS_WORDS if known == status), "failed")
    text = (reason or _(STATUS_WORDS[word])).rstrip(".。")
    return _outcome(probe, word, _("{sentence}.").format(sentence=text[:1].upper() + text[1:]), fix)


def startup_figures(report: ProbeReport | None) -> tuple[StartupFigure, ...]:
    """The container start and VM boot times measured, for a chart."""
    if report is None:
        return ()
    figures = []
    container, vm = report.container, report.vm
    if container is not None and container.start_seconds is not None:
        figures.append(_figure("container", _("Container start"), container.start_seconds))
    if vm is not None and vm.boot_seconds is not None:
        accelerator = f" ({vm.accelerator.upper()})" if vm.accelerator else ""
        figures.append(_figure("vm", _("VM boot") + accelerator, vm.boot_seconds))
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
        return _("Container start and VM boot were not both measured, so they are not compared.")
    note = _(
        "The VM took {ratio:.0f}x as long to boot as the container to start (medians; "
        "whiskers span the fastest and slowest run)."
    ).format(ratio=boot.median / start.median)
    if vm is not None and vm.accelerator == "tcg":
        note += _(" The VM ran under software emulation (TCG): with KVM it would boot faster.")
    return note


def _host_rows(report: ProbeReport) -> tuple[FactRow, ...]:
    host = report.host
    os_facts, cpu, memory, kvm = host.os, host.cpu, host.memory, host.kvm
    cpu_text = _("{model}, {count} CPUs").format(
        model=cpu.model or _("unknown model"), count=cpu.count or "?"
    )
    extension = {"vmx": "Intel VT-x", "svm": "AMD-V", None: _("no hardware virtualization flag")}
    cpu_text += _("; ") + extension[cpu.virtualization_extension]
    if cpu.hypervisor_flag:
        cpu_text += _("; this machine is itself a virtual machine")
    memory_text = _("unknown")
    if memory.total_bytes is not None:
        memory_text = _("{size} in all").format(size=format_bytes(memory.total_bytes))
        if memory.available_bytes is not None:
            memory_text += _(", {size} available").format(size=format_bytes(memory.available_bytes))
    if kvm.device_present:
        verdicts = {True: _("usable"), False: _("not usable"), None: _("usability not tested")}
        kvm_text = _("present ({owner}:{group}, mode {mode}), {usable}").format(
            owner=kvm.owner, group=kvm.group, mode=kvm.mode, usable=verdicts[report.kvm_usable]
        )
        if report.kvm_usable is not None:
            kvm_text += (
                _(": a KVM guest the VM probe started reached its boot marker")
                if report.kvm_usable
                else _(": a KVM guest the VM probe started did not reach its boot marker")
            )
    else:
        kvm_text = _("absent: VMs can only run under software emulation")
    if kvm.problem:
        kvm_text += _because(kvm.problem, kvm.fix)
    cgroup = host.cgroup
    cgroup_text = _("version {version}").format(version=cgroup.version or _("unknown")) + (
        _(" (hybrid)") if cgroup.hybrid else ""
    )
    if cgroup.controllers:
        cgroup_text += _("; controllers {names}").format(names=", ".join(cgroup.controllers))
    return (
        FactRow(label=_("Host name"), value=host.hostname),
        FactRow(
            label=_("Operating system"),
            value=_("{system}, kernel {kernel}, {architecture}").format(
                system=os_facts.distribution or os_facts.system,
                kernel=os_facts.kernel,
                architecture=os_facts.architecture,
            ),
        ),
        FactRow(label=_("Processor"), value=cpu_text),
        FactRow(label=_("Memory"), value=memory_text),
        FactRow(label="/dev/kvm", value=kvm_text),
        FactRow(label=_("Control groups"), value=cgroup_text),
        FactRow(label=_("Container engine"), value=_docker_text(report)),
        FactRow(label="libvirt", value=_libvirt_text(report)),
    )


def _docker_text(report: ProbeReport) -> str:
    docker = report.host.docker
    if not docker.asked:
        return _("not asked: the run probed the VM only")
    if not docker.answers:
        return _("did not answer at {place}").format(place=docker.endpoint) + _because(
            docker.reason, docker.fix
        )
    text = _("{engine} at {place}").format(
        engine=docker.title
        if docker.version
        else _("{engine}, version unknown").format(engine=docker.title),
        place=docker.endpoint,
    )
    if docker.storage_driver:
        text += _(", storage {driver}").format(driver=docker.storage_driver)
    text += _(", rootless") if docker.rootless else _(", runs as root")
    if docker.access_via:
        text += _("; reached as {who}").format(who=docker.access_via)
    if docker.root_equivalent:
        text += _("; whoever can reach its socket can take over this host")
    return text


def _libvirt_text(report: ProbeReport) -> str:
    libvirt = report.host.libvirt
    if not libvirt.answers:
        return _("did not answer at {place}").format(place=libvirt.uri) + _because(
            libvirt.reason, libvirt.fix
        )
    text = _("{version} at {place}").format(
        version=libvirt.version or _("unknown version"), place=libvirt.uri
    )
    if libvirt.hypervisor:
        text += f", {libvirt.hypervisor}"
    if libvirt.domain_types:
        text += _("; domain types {names}").format(names=", ".join(libvirt.domain_types))
    return text


def _spread(stats: Stats) -> str:
    if stats.runs == 1:
        return _("{duration} (1 run)").format(duration=format_seconds(stats.median))
    return _("{middle}, from {fastest} to {slowest}").format(
        middle=middle_of_runs(stats.median, stats.runs),
        fastest=format_seconds(stats.min),
        slowest=format_seconds(stats.max),
    )


def _because(reason: str | None, fix: str | None) -> str:
    return (f": {reason}" if reason else "") + (_(" Fix: {fix}").format(fix=fix) if fix else "")


def _outcome_rows(report: ProbeReport) -> tuple[FactRow, ...]:
    recorded = recorded_language_note(report)
    rows = [FactRow(label=_("Probe messages"), value=recorded)] if recorded is not None else []
    container, vm = report.container, report.vm
    if container is None:
        rows.append(
            FactRow(label=_("Container probe"), value=_("not run (only the VM was probed)"))
        )
    else:
        status = PROBE_STATUS_LABELS.get(container.status.value, container.status.value)
        parts = [f"{status}{_because(container.reason, container.fix)}"]
        if container.start_seconds is not None:
            parts.append(_("start {spread}").format(spread=_spread(container.start_seconds)))
        if container.image_bytes is not None:
            origin = _("sample image") if container.image_origin == "sample" else _("image")
            parts.append(
                f"{origin} {container.image_tag or ''} {format_bytes(container.image_bytes)}"
            )
        if container.memory_bytes is not None:
            parts.append(
                _(
                    "memory of the running container {size} (what its processes use, as the "
                    "engine counts it)"
                ).format(size=format_bytes(round(container.memory_bytes.median)))
            )
        elif container.memory_not_measured:
            parts.append(container.memory_not_measured)
        if container.cpu_ratio is not None:
            parts.append(
                _("CPU work {comparison}").format(comparison=ratio_text(container.cpu_ratio))
            )
        rows.append(FactRow(label=_("Container probe"), value=_("; ").join(parts)))
        if container.hardening is not None:
            rows.append(FactRow(label=_("Container hardening"), value=_hardening_text(container)))
    if vm is None:
        rows.append(
            FactRow(label=_("VM probe"), value=_("not run (only the container was probed)"))
        )
        return tuple(rows)
    accelerator = accelerator_text(vm.accelerator)
    status = PROBE_STATUS_LABELS.get(vm.status.value, vm.status.value) + (
        _(" under {accelerator}").format(accelerator=accelerator) if accelerator else ""
    )
    parts = [f"{status}{_because(vm.reason, vm.fix)}"]
    if vm.boot_seconds is not None:
        parts.append(_("boot {spread}").format(spread=_spread(vm.boot_seconds)))
    if vm.disk_bytes is not None:
        parts.append(_("kernel and initramfs {size}").format(size=format_bytes(vm.disk_bytes)))
    if vm.hypervisor_rss_bytes is not None:
        parts.append(
            _("memory QEMU held for the VM {size} (the guest's own included)").format(
                size=format_bytes(vm.hypervisor_rss_bytes)
            )
        )
    if vm.cpu_ratio is not None:
        parts.append(_("CPU work {comparison}").format(comparison=ratio_text(vm.cpu_ratio)))
    rows.append(FactRow(label=_("VM probe"), value=_("; ").join(parts)))
    for attempt in vm.attempts:
        text = attempt.fallback_reason or _("{outcome}, measured with it").format(
            outcome=attempt.outcome.replace("_", " ")
        )
        text += _(" ({seconds:.1f} s)").format(seconds=attempt.seconds)
        rows.append(
            FactRow(
                label=_("Tried {accelerator}").format(
                    accelerator=accelerator_text(attempt.accelerator) or attempt.accelerator.upper()
                ),
                value=text,
            )
        )
    if vm.kernel_source is not None:
        rows.append(FactRow(label=_("Guest kernel"), value=vm.kernel_source.describe()))
    return tuple(rows)


def _hardening_text(container: ContainerResult) -> str:
    """The confinement of the probe's containers: as seen inside them where it was read
    (reports before that only have the engine's word for it)."""
    hardening, seen = container.hardening, container.confinement
    assert hardening is not None
    root = _("read-only") if hardening.read_only_root else _("writable")
    options = ", ".join(hardening.security_opt) or _("none")
    if seen is None:
        return _(
            "network {network}, {root} root, capabilities dropped: {dropped}, "
            "security options: {options}, user {user}, memory limit {memory}, "
            "at most {pids} processes"
        ).format(
            network=hardening.network_mode,
            root=root,
            dropped=", ".join(hardening.cap_drop) or _("none"),
            options=options,
            user=hardening.user,
            memory=format_bytes(hardening.memory_limit_bytes),
            pids=hardening.pids_limit,
        )
    capabilities = (
        _("no capabilities")
        if seen.capabilities_dropped
        else _("capabilities {effective:#x} (bounding {bounding:#x})").format(
            effective=seen.effective_capabilities, bounding=seen.bounding_capabilities
        )
    )
    not_enforced = _(" (not enforced by this engine)")
    return _(
        "network {network}, {root} root, {capabilities}, security options: {options}, "
        "user {user}, memory limit {memory}{memory_note}, at most {pids} processes"
        "{pids_note}; as seen inside the container"
    ).format(
        network=hardening.network_mode,
        root=root,
        capabilities=capabilities,
        options=options,
        user=hardening.user,
        memory=format_bytes(seen.asked_memory_limit_bytes),
        memory_note="" if seen.memory_limit_enforced else not_enforced,
        pids=seen.asked_pids_limit,
        pids_note="" if seen.pids_limit_enforced else not_enforced,
    )


def _settings_rows(report: ProbeReport) -> tuple[FactRow, ...]:
    settings = report.settings
    return (
        FactRow(
            label=_("Runs per probe"),
            value=str(settings.runs) if settings.runs else _("each probe's default"),
        ),
        FactRow(
            label=_("Probes"),
            value=_("{probe} only").format(probe=settings.only)
            if settings.only
            else _("container and VM"),
        ),
        FactRow(
            label=_("Longest wait"),
            value=_("{seconds:g} s").format(seconds=settings.timeout_seconds)
            if settings.timeout_seconds
            else _("each probe's default"),
        ),
        FactRow(
            label=_("libvirt connection"),
            value=settings.libvirt_uri or _("default ({uri})").format(uri=report.host.libvirt.uri),
        ),
        FactRow(label=_("Image"), value=settings.image or _("the built-in sample image")),
        FactRow(
            label=_("Guest kernel and initramfs"),
            value=", ".join(
                str(path) for path in (settings.kernel_path, settings.initrd_path) if path
            )
            or _("the probe's own (Debian cloud kernel, busybox initramfs)"),
        ),
    )


def _tool_rows(report: ProbeReport) -> tuple[FactRow, ...]:
    tools = report.tool_versions
    named = (
        ("dvm-advisor", tools.dvm_advisor),
        ("Python", tools.python),
        (_("Docker SDK for Python"), tools.docker_sdk),
        ("libvirt-python", tools.libvirt_python),
        (_("Container engine"), report.host.docker.title if report.host.docker.version else None),
        ("libvirt", report.host.libvirt.version),
        (_("Hypervisor"), report.host.libvirt.hypervisor),
    )
    return tuple(FactRow(label=label, value=value or _("not found")) for label, value in named)


# The languages a report's own words may be written in, named in the reader's language.
_RECORDED_LANGUAGES = {"en": N_("English"), "zh_CN": N_("Simplified Chinese")}


def recorded_language_note(report: ProbeReport) -> str | None:
    """The sentence saying that the probes' reasons, fixes and notes are shown as recorded,
    when the report was written in another language than the one shown now; else None."""
    if report.language == current_language():
        return None
    return _("The probes' reasons, fixes and notes are shown as recorded, in {language}.").format(
        language=_(_RECORDED_LANGUAGES[report.language])
    )
