"""Several hosts side by side: the view model of `dvm-advisor compare` and the app's comparison.

Each row is one fact, figure or claim of the article, with one cell per host. A row whose
hosts disagree is marked: facts and claim verdicts by their value, figures by what they are
(a status, an accelerator), never by the measured number itself, which always differs a
little from run to run. With answers, each host also gets the advice its report grounds.
The command line, the PDF and the app only lay out these words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from advisor.answers import Answers
from advisor.base.i18n import N_, _, format_datetime, ngettext
from advisor.base.models import FrozenModel
from advisor.engine import advise
from advisor.facts import facts_from_probe_report
from advisor.grounding import (
    accelerator_text,
    check_claims,
    format_bytes,
    middle_of_runs,
    ratio_text,
)
from advisor.rulebook import Rulebook, load_rulebook
from advisor.wording import (
    CHECK_VERDICT_LABELS,
    CONFIDENCE_LABELS,
    OPTION_NAMES,
    PROBE_STATUS_LABELS,
)

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport, Stats
    from advisor.recommendation import Recommendation

COMPARISON_TITLE = N_("Hosts side by side")
DIFFERS_MARK = "≠"


class HostColumn(FrozenModel):
    """One host compared: its name as the columns show it, and where its report came from."""

    label: str
    source: str  # the report's file name
    taken_at: str

    @property
    def line(self) -> str:
        """The host, its report's file and when it was probed, as one line."""
        return _("{host}: {source}, probed {when}").format(
            host=self.label, source=self.source, when=self.taken_at
        )


class ComparisonRow(FrozenModel):
    """One fact, figure or claim with a value per host, in the order of `hosts`."""

    label: str
    values: tuple[str, ...]
    differs: bool


class ComparisonSection(FrozenModel):
    """A group of rows under one heading."""

    title: str
    rows: tuple[ComparisonRow, ...]


class HostAdvice(FrozenModel):
    """The advice for the answers, grounded by one host's report."""

    host: str
    verdict_label: str
    confidence_label: str
    sentence: str


class ComparisonDocument(FrozenModel):
    """Every word of a comparison of several probe reports, ready to lay out."""

    schema_version: Literal[1] = 1
    title: str
    generated_at: datetime
    hosts: tuple[HostColumn, ...]
    summary: str
    sections: tuple[ComparisonSection, ...]
    project_label: str | None  # set when answers were given
    advice: tuple[HostAdvice, ...]
    advice_note: str

    @property
    def advice_heading(self) -> str | None:
        """The heading of the advice per host; None without answers."""
        if self.project_label is None:
            return None
        return _("The advice for {project} on each host").format(project=self.project_label)


# A row's cells: the text shown, and the value hosts are compared by (None: never marked).
_Cell = tuple[str, object]


def build_comparison(
    reports: Sequence[tuple[str, ProbeReport]],
    answers: Answers | None,
    *,
    generated_at: datetime,
    rulebook: Rulebook | None = None,
) -> ComparisonDocument:
    """The comparison of (source name, report) pairs, with the advice per host for `answers`."""
    labels = _host_labels([report for _source, report in reports])
    hosts = tuple(
        HostColumn(label=label, source=source, taken_at=_when(report.taken_at))
        for label, (source, report) in zip(labels, reports, strict=True)
    )
    only = [report for _source, report in reports]
    sections = (
        _section(_("Host"), only, _HOST_ROWS),
        _section(_("Sample container"), only, _CONTAINER_ROWS),
        _section(_("Sample VM"), only, _VM_ROWS),
        _claims_section(only),
    )
    differing = sum(row.differs for section in sections for row in section.rows)
    summary = (
        _("{count} hosts compared: they agree on every fact and claim shown.").format(
            count=len(hosts)
        )
        if not differing
        else ngettext(
            "{count} hosts compared: they disagree on {rows} row, marked {mark}.",
            "{count} hosts compared: they disagree on {rows} rows, marked {mark}.",
            differing,
        ).format(count=len(hosts), rows=differing, mark=DIFFERS_MARK)
    )
    advice: tuple[HostAdvice, ...] = ()
    if answers is not None:
        rules = rulebook or load_rulebook()
        advice = tuple(
            _host_advice(label, advise(answers, report, rulebook=rules))
            for label, report in zip(labels, only, strict=True)
        )
    return ComparisonDocument(
        title=_(COMPARISON_TITLE),
        generated_at=generated_at,
        hosts=hosts,
        summary=summary,
        sections=sections,
        project_label=(answers.project_name or _("Unnamed project")) if answers else None,
        advice=advice,
        advice_note=_advice_note(answers, advice),
    )


def _host_labels(reports: Sequence[ProbeReport]) -> list[str]:
    # Two accounts on one machine see it differently (the system or the session libvirt,
    # the Docker group or none): where host names repeat, the account tells them apart.
    names = [report.hostname for report in reports]
    return [
        f"{report.host.user}@{report.hostname}"
        if names.count(report.hostname) > 1 and report.host.user
        else report.hostname
        for report in reports
    ]


def _when(moment: datetime) -> str:
    return format_datetime(moment)


def _section(
    title: str,
    reports: Sequence[ProbeReport],
    rows: Sequence[tuple[str, Callable[[ProbeReport], _Cell]]],
) -> ComparisonSection:
    return ComparisonSection(
        title=title,
        rows=tuple(_row(_(label), [read(r) for r in reports]) for label, read in rows),
    )


def _row(label: str, cells: Sequence[_Cell]) -> ComparisonRow:
    keys = [key for _text, key in cells]
    differs = len(cells) > 1 and None not in keys and len(set(map(repr, keys))) > 1
    return ComparisonRow(label=label, values=tuple(text for text, _key in cells), differs=differs)


def _same(text: str) -> _Cell:
    """A cell compared by its text."""
    return text, text


def _figure(text: str) -> _Cell:
    """A measured figure: shown, never marked as a disagreement."""
    return text, None


def _yes_no(value: bool | None, unknown: str = N_("unknown")) -> _Cell:
    return _same({True: _("yes"), False: _("no"), None: _(unknown)}[value])


def _stats(stats: Stats | None) -> _Cell:
    if stats is None:
        return _figure(_("not measured"))
    return _figure(middle_of_runs(stats.median, stats.runs))


def _bytes(count: float | None) -> _Cell:
    return _figure(format_bytes(round(count)) if count is not None else _("not measured"))


def _ratio(ratio: float | None) -> _Cell:
    return _figure(ratio_text(ratio) if ratio is not None else _("not measured"))


def _engine_kind(report: ProbeReport) -> _Cell:
    docker = report.host.docker
    if not docker.answers:
        return _same(_("no engine answered"))
    return _same(_("rootless") if docker.rootless else _("runs as root"))


def _libvirt(report: ProbeReport) -> _Cell:
    libvirt = report.host.libvirt
    if not libvirt.answers:
        return _same(_("did not answer at {place}").format(place=libvirt.uri))
    return _same(
        _("{version} at {place}").format(
            version=libvirt.version or _("unknown version"), place=libvirt.uri
        )
    )


def _kvm_device(report: ProbeReport) -> _Cell:
    kvm = report.host.kvm
    if not kvm.device_present:
        return _same(_("absent"))
    return _same(
        _("present, open to this user") if kvm.accessible_to_user else _("present, closed")
    )


def _status(report: ProbeReport, probe: Literal["container", "vm"]) -> _Cell:
    result = report.container if probe == "container" else report.vm
    return _same(_("not run") if result is None else PROBE_STATUS_LABELS[result.status.value])


def _accelerator(report: ProbeReport) -> _Cell:
    vm = report.vm
    accelerator = vm.accelerator if vm is not None else None
    return _same(accelerator_text(accelerator) or _("none"))


_HOST_ROWS: tuple[tuple[str, Callable[[ProbeReport], _Cell]], ...] = (
    (N_("Operating system"), lambda r: _same(r.host.os.distribution or r.host.os.system)),
    (N_("Kernel"), lambda r: _same(r.host.os.kernel)),
    (N_("Architecture"), lambda r: _same(r.host.os.architecture)),
    (N_("CPUs"), lambda r: _same(str(r.host.cpu.count or _("unknown")))),
    (
        N_("Hardware virtualization flag"),
        lambda r: _same(r.host.cpu.virtualization_extension or _("none")),
    ),
    (N_("Itself a virtual machine"), lambda r: _yes_no(r.host.cpu.hypervisor_flag)),
    (N_("Memory"), lambda r: _bytes(r.host.memory.total_bytes)),
    (
        N_("Control groups"),
        lambda r: _same(
            _("version {version}").format(version=r.host.cgroup.version or _("unknown"))
        ),
    ),
    (N_("/dev/kvm"), _kvm_device),
    (N_("A KVM guest ran here"), lambda r: _yes_no(r.kvm_usable, N_("not tested"))),
    (N_("Docker engine"), _engine_kind),
    (N_("Docker engine version"), lambda r: _same(r.host.docker.version or _("none"))),
    (
        N_("Reaching the Docker engine means root here"),
        lambda r: _yes_no(r.host.docker.root_equivalent),
    ),
    ("libvirt", _libvirt),
    (N_("dvm-advisor version"), lambda r: _same(r.tool_versions.dvm_advisor)),
)
_CONTAINER_ROWS: tuple[tuple[str, Callable[[ProbeReport], _Cell]], ...] = (
    (N_("Status"), lambda r: _status(r, "container")),
    (
        N_("Start (create to first output)"),
        lambda r: _stats(r.container.start_seconds if r.container else None),
    ),
    (N_("Image size"), lambda r: _bytes(r.container.image_bytes if r.container else None)),
    (
        N_("Memory of a running container"),
        lambda r: _bytes(
            r.container.memory_bytes.median if r.container and r.container.memory_bytes else None
        ),
    ),
    (N_("CPU workload"), lambda r: _ratio(r.container.cpu_ratio if r.container else None)),
)
_VM_ROWS: tuple[tuple[str, Callable[[ProbeReport], _Cell]], ...] = (
    (N_("Status"), lambda r: _status(r, "vm")),
    (N_("The sample VM ran under"), _accelerator),
    (N_("Boot (create to marker)"), lambda r: _stats(r.vm.boot_seconds if r.vm else None)),
    (N_("Kernel and initramfs"), lambda r: _bytes(r.vm.disk_bytes if r.vm else None)),
    (N_("QEMU memory"), lambda r: _bytes(r.vm.hypervisor_rss_bytes if r.vm else None)),
    (N_("CPU workload"), lambda r: _ratio(r.vm.cpu_ratio if r.vm else None)),
)


def _claims_section(reports: Sequence[ProbeReport]) -> ComparisonSection:
    checks = [check_claims(facts_from_probe_report(report)) for report in reports]
    rows = []
    for index, first in enumerate(checks[0]):
        per_host = [host_checks[index] for host_checks in checks]
        cells = [
            (
                _("{verdict} ({measured})").format(
                    verdict=CHECK_VERDICT_LABELS[check.verdict], measured=check.measured
                )
                if check.measured
                else CHECK_VERDICT_LABELS[check.verdict],
                check.verdict,
            )
            for check in per_host
        ]
        rows.append(_row(f"{first.claim_id} {first.aspect}", cells))
    return ComparisonSection(title=_("The article's claims"), rows=tuple(rows))


def _host_advice(host: str, recommendation: Recommendation) -> HostAdvice:
    name = OPTION_NAMES[recommendation.verdict]
    confidence = CONFIDENCE_LABELS[recommendation.confidence]
    return HostAdvice(
        host=host,
        verdict_label=name.title,
        confidence_label=confidence,
        sentence=_("On {host}: {option}, {confidence}.").format(
            host=host, option=name.phrase, confidence=confidence.lower()
        ),
    )


def _advice_note(answers: Answers | None, advice: Sequence[HostAdvice]) -> str:
    if answers is None:
        return _("No answers given: pass --answers FILE for the advice on each host.")
    verdicts = {entry.verdict_label for entry in advice}
    target = answers.value("probed_host_is_target")
    where = (
        _(
            " The answers say the probed hosts are not where the applications will run: the "
            "figures check the article's claims, not the targets."
        )
        if target is False
        else ""
    )
    if len(verdicts) == 1:
        return (
            _("The same advice on every host: {verdict}.").format(verdict=next(iter(verdicts)))
            + where
        )
    return (
        _("The advice differs between hosts ({mark}): see each host.").format(mark=DIFFERS_MARK)
        + where
    )
