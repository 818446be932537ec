"""The recommendation report as data: everything the PDF shows, decided before any drawing.

`build_report` is pure: the same answers, recommendation, probe report and time always give
the same document. Every string here is plain text. The PDF writer draws it literally, so a
project name such as `<b>x</b>` appears as those characters, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from advisor._version import __version__
from advisor.answers import Answers, Question, questions
from advisor.facts import PROBE_NAMESPACE
from advisor.grounding import FEW_MILLISECONDS, CheckVerdict, format_bytes, format_seconds
from advisor.modelbase import FrozenModel
from advisor.recommendation import Confidence, Reason, Recommendation, Trigger
from advisor.rulebook import OPTIONS, Claim, Option, Rulebook
from advisor.wording import (
    CHECK_VERDICT_LABELS,
    fact_label,
    measured_value_text,
    step_label,
    value_label,
)

if TYPE_CHECKING:
    from advisor.probes.models import Stats
    from advisor.probes.suite import ProbeReport

REPORT_TITLE = "Containers or virtual machines?"
ARTICLE_TITLE = "Docker vs Virtual Machine (VM)"
ARTICLE_AUTHOR = "Peter Dong"
ARTICLE_PUBLISHED = date(2022, 6, 10)
ARTICLE_LANGUAGE = "Simplified Chinese"
KEY_REASON_COUNT = 3

# What the verdict sentence says each option is, and its short name on a chart.
OPTION_PHRASES: Mapping[Option, str] = {
    "container": "Docker containers",
    "vm": "virtual machines",
    "hybrid": "Docker containers inside virtual machines",
}
OPTION_SHORT_NAMES: Mapping[Option, str] = {
    "container": "Containers",
    "vm": "Virtual machines",
    "hybrid": "Containers in VMs",
}
_SUMMARY_LABELS: Mapping[CheckVerdict, str] = {
    "holds": "hold",
    "does_not_hold": "do not hold here",
    "not_measured": "were not measured",
}


class ScoreBar(FrozenModel):
    """One option's score, as the chart on page one draws it."""

    option: Option
    label: str
    points: int
    is_verdict: bool
    ruled_out_by: tuple[str, ...]  # rule ids; empty when the option is still possible


class ArticleExcerpt(FrozenModel):
    """A sentence of the article with the English digest of the claim it belongs to."""

    claim_id: str
    section_en: str
    original: str  # the article's own words, Simplified Chinese
    digest: str
    quoted_by_rule: bool  # the rule quotes this sentence; else it is the claim's first one


class ReasonEntry(FrozenModel):
    """A rule that fired, as a reader needs it: what, why, and where the article says so."""

    rule_id: str
    title: str
    rationale: str
    effect: str  # "+3 Containers, +1 Containers in VMs, rules out Virtual machines"
    because: str  # the answers and measurements that made the rule fire
    claims: tuple[str, ...]
    # for: favours the verdict over every other option; against: favours another more.
    stance: Literal["for", "against", "even"]
    excerpt: ArticleExcerpt
    beyond_article: str | None  # the outside source of a rule the article does not cover


class AnswerRow(FrozenModel):
    """One question of the answers form and the answer given."""

    question: str
    answer: str
    claims: tuple[str, ...]


class CaveatEntry(FrozenModel):
    """Something the team must still weigh."""

    text: str
    claims: tuple[str, ...]
    rule_id: str | None


class FlipEntry(FrozenModel):
    """One answer whose change alone would change the advice."""

    question: str
    answer_name: str  # a short name for the answer, for compact lines
    answer_now: str
    answer_then: str
    verdict_then: str


class GroundingLine(FrozenModel):
    """One measurable aspect of the article's claims beside the figure measured here."""

    claim_id: str
    aspect: str
    article_says: str
    measured: str | None
    verdict: CheckVerdict
    verdict_label: str
    explanation: str


class StartupFigure(FrozenModel):
    """A start or boot time measured here, for the log-scale chart."""

    kind: Literal["container", "vm"]
    label: str
    median_seconds: float
    fastest_seconds: float
    slowest_seconds: float
    runs: int


class FactRow(FrozenModel):
    """A labelled line of a facts table."""

    label: str
    value: str


class ProbeSection(FrozenModel):
    """What the probe run found and how it was set up."""

    taken_at: datetime
    hostname: str
    wall_seconds: float
    host: tuple[FactRow, ...]
    outcomes: tuple[FactRow, ...]
    settings: tuple[FactRow, ...]
    tools: tuple[FactRow, ...]


class CitedClaim(FrozenModel):
    """A claim of the article cited by the reasons, in full."""

    id: str
    section_zh: str
    section_en: str
    original: tuple[str, ...]
    digest: str


class SourceInfo(FrozenModel):
    """Where the advice comes from."""

    article_title: str
    article_author: str
    article_published: date
    article_language: str
    ruleset_version: str
    advisor_version: str


class ReportDocument(FrozenModel):
    """The whole recommendation report, ready to draw."""

    schema_version: Literal[1] = 1
    title: str
    project_name: str | None
    project_label: str  # the project name, or a plain stand-in when none was given
    generated_at: datetime
    host_label: str
    verdict: Option
    verdict_label: str
    verdict_sentence: str
    confidence: Confidence
    margin: int
    confidence_sentence: str
    tie_break: str | None
    scores: tuple[ScoreBar, ...]
    key_reasons: tuple[ReasonEntry, ...]
    grounding_summary: str
    answers: tuple[AnswerRow, ...]
    reasons: tuple[ReasonEntry, ...]
    caveats: tuple[CaveatEntry, ...]
    flips: tuple[FlipEntry, ...]
    grounding: tuple[GroundingLine, ...]
    startup: tuple[StartupFigure, ...]
    startup_note: str | None
    few_milliseconds_seconds: float  # where the article's "a few milliseconds" ends
    probe: ProbeSection | None
    probe_statement: str  # what the probe run was, or that none was run
    cited_claims: tuple[CitedClaim, ...]
    source: SourceInfo


def build_report(
    answers: Answers,
    recommendation: Recommendation,
    probe_report: ProbeReport | None,
    *,
    rulebook: Rulebook,
    generated_at: datetime,
) -> ReportDocument:
    """Everything the report shows, from the advice and (when one ran) the probe run."""
    rec = recommendation
    form = {question.field: question for question in questions()}
    reasons = tuple(_reason_entry(reason, rec.verdict, rulebook.claims) for reason in rec.reasons)
    project_label = rec.project_name or "Unnamed project"
    return ReportDocument(
        title=REPORT_TITLE,
        project_name=rec.project_name,
        project_label=project_label,
        generated_at=generated_at,
        host_label=_host_label(probe_report),
        verdict=rec.verdict,
        verdict_label=OPTION_PHRASES[rec.verdict][0].upper() + OPTION_PHRASES[rec.verdict][1:],
        verdict_sentence=_verdict_sentence(rec),
        confidence=rec.confidence,
        margin=rec.margin,
        confidence_sentence=_confidence_sentence(rec),
        tie_break=rec.tie_break,
        scores=_score_bars(rec),
        key_reasons=tuple(entry for entry in reasons if entry.stance == "for")[:KEY_REASON_COUNT],
        grounding_summary=_grounding_summary(rec, probe_report),
        answers=tuple(
            AnswerRow(
                question=question.title,
                answer=value_label(getattr(answers, question.field)),
                claims=question.claims,
            )
            for question in form.values()
        ),
        reasons=reasons,
        caveats=tuple(
            CaveatEntry(text=caveat.text, claims=caveat.claims, rule_id=caveat.rule_id)
            for caveat in rec.caveats
        ),
        flips=tuple(
            FlipEntry(
                question=_question_title(form, flip.field),
                answer_name=step_label(flip.field),
                answer_now=value_label(flip.current),
                answer_then=value_label(flip.value),
                verdict_then=OPTION_PHRASES[flip.verdict],
            )
            for flip in rec.flips
        ),
        grounding=tuple(
            GroundingLine(
                claim_id=check.claim_id,
                aspect=check.aspect,
                article_says=check.article_says,
                measured=check.measured,
                verdict=check.verdict,
                verdict_label=CHECK_VERDICT_LABELS[check.verdict],
                explanation=check.explanation,
            )
            for check in rec.grounding
        ),
        startup=_startup_figures(probe_report),
        startup_note=_startup_note(probe_report),
        few_milliseconds_seconds=FEW_MILLISECONDS,
        probe=_probe_section(probe_report) if probe_report is not None else None,
        probe_statement=_probe_statement(probe_report),
        cited_claims=_cited_claims(rec.reasons, rulebook.claims),
        source=SourceInfo(
            article_title=ARTICLE_TITLE,
            article_author=ARTICLE_AUTHOR,
            article_published=ARTICLE_PUBLISHED,
            article_language=ARTICLE_LANGUAGE,
            ruleset_version=rec.ruleset_version,
            advisor_version=__version__,
        ),
    )


# --- the advice ------------------------------------------------------------------------------


def _verdict_sentence(rec: Recommendation) -> str:
    subject = f"“{rec.project_name}”" if rec.project_name else "this project"
    return f"Run {subject} in {OPTION_PHRASES[rec.verdict]}."


def _confidence_sentence(rec: Recommendation) -> str:
    ruled_out = {item.option for item in rec.ruled_out}
    rivals = [option for option in OPTIONS if option != rec.verdict and option not in ruled_out]
    level = f"{rec.confidence.capitalize()} confidence"
    if not rivals:
        return f"{level}: every other option is ruled out."
    runner_up = max(rivals, key=rec.scores.of)
    if rec.margin == 0:
        return (
            f"{level}: tied with {OPTION_PHRASES[runner_up]} on {rec.scores.of(runner_up)} points."
        )
    points = "point" if rec.margin == 1 else "points"
    return (
        f"{level}: it leads the runner-up, {OPTION_PHRASES[runner_up]}, by {rec.margin} {points}."
    )


def _score_bars(rec: Recommendation) -> tuple[ScoreBar, ...]:
    ruled_out = {item.option: item.by for item in rec.ruled_out}
    return tuple(
        ScoreBar(
            option=option,
            label=OPTION_SHORT_NAMES[option],
            points=rec.scores.of(option),
            is_verdict=option == rec.verdict,
            ruled_out_by=ruled_out.get(option, ()),
        )
        for option in OPTIONS
    )


def _reason_entry(reason: Reason, verdict: Option, claims: Mapping[str, Claim]) -> ReasonEntry:
    points = [(option, reason.effect.of(option)) for option in OPTIONS]
    effect = [f"{value:+d} {OPTION_SHORT_NAMES[option]}" for option, value in points if value]
    effect += [f"rules out {OPTION_SHORT_NAMES[option]}" for option in reason.rules_out]
    best_other = max(value for option, value in points if option != verdict)
    stance: Literal["for", "against", "even"] = "even"
    if reason.effect.of(verdict) > best_other or set(reason.rules_out) - {verdict}:
        stance = "for"
    elif reason.effect.of(verdict) < best_other:
        stance = "against"
    return ReasonEntry(
        rule_id=reason.rule_id,
        title=reason.title,
        rationale=reason.rationale,
        effect=", ".join(effect),
        because="; ".join(_trigger_text(trigger) for trigger in reason.triggers),
        claims=reason.claims,
        stance=stance,
        excerpt=_excerpt(reason, claims),
        beyond_article=reason.beyond_article,
    )


def _excerpt(reason: Reason, claims: Mapping[str, Claim]) -> ArticleExcerpt:
    """The sentence a rule quotes; for a rule without a quote, its first claim's first one."""
    cited = [claims[claim_id] for claim_id in reason.claims]
    if reason.quote is not None:
        for claim in cited:
            if any(reason.quote in sentence for sentence in claim.original):
                return _article_excerpt(claim, reason.quote, quoted=True)
    return _article_excerpt(cited[0], cited[0].original[0], quoted=False)


def _article_excerpt(claim: Claim, original: str, *, quoted: bool) -> ArticleExcerpt:
    return ArticleExcerpt(
        claim_id=claim.id,
        section_en=claim.section_en,
        original=original,
        digest=claim.digest,
        quoted_by_rule=quoted,
    )


def _cited_claims(reasons: Iterable[Reason], claims: Mapping[str, Claim]) -> tuple[CitedClaim, ...]:
    cited = {claim_id for reason in reasons for claim_id in reason.claims}
    return tuple(
        CitedClaim(
            id=claim.id,
            section_zh=claim.section_zh,
            section_en=claim.section_en,
            original=claim.original,
            digest=claim.digest,
        )
        for claim in claims.values()
        if claim.id in cited
    )


def _trigger_text(trigger: Trigger) -> str:
    namespace, _, field = trigger.fact.partition(".")
    if namespace == PROBE_NAMESPACE:
        return f"{fact_label(field)}: {measured_value_text(field, trigger.value)} (measured)"
    return f"{step_label(field)}: {value_label(trigger.value)}"


def _question_title(form: Mapping[str, Question], field: str) -> str:
    question = form.get(field)
    return question.title if question is not None else field.replace("_", " ")


# --- what the probes measured ----------------------------------------------------------------


def _host_label(report: ProbeReport | None) -> str:
    if report is None:
        return "none probed"
    system = report.host.os.distribution or report.host.os.system
    return f"{report.hostname} ({system}, {report.host.os.architecture})"


def _grounding_summary(rec: Recommendation, report: ProbeReport | None) -> str:
    if report is None or not rec.grounding:
        return (
            "No probe was run: the advice rests on the answers alone, and none of the "
            "article's claims was checked on a workstation."
        )
    counts = {verdict: 0 for verdict in CHECK_VERDICT_LABELS}
    for check in rec.grounding:
        counts[check.verdict] += 1
    parts = [f"{counts[verdict]} {label}" for verdict, label in _SUMMARY_LABELS.items()]
    return (
        f"Checked on {report.hostname}: of {len(rec.grounding)} measurable points of the "
        f"article, {', '.join(parts)}."
    )


def _startup_figures(report: ProbeReport | None) -> tuple[StartupFigure, ...]:
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


def _startup_note(report: ProbeReport | None) -> str | None:
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


def _probe_statement(report: ProbeReport | None) -> str:
    if report is None:
        return (
            "No probe was run for this report, so there are no host facts, measurements or "
            "tool versions to show. Run `dvm-advisor report --run-probes` on the target "
            "workstation to check the article's claims there."
        )
    when = report.taken_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"Probed on {report.hostname} at {when}; the probe run took {report.wall_seconds:.1f} s."


def _probe_section(report: ProbeReport) -> ProbeSection:
    return ProbeSection(
        taken_at=report.taken_at,
        hostname=report.hostname,
        wall_seconds=report.wall_seconds,
        host=_host_rows(report),
        outcomes=_outcome_rows(report),
        settings=_settings_rows(report),
        tools=_tool_rows(report),
    )


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
