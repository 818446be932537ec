"""The recommendation, and a comparison of hosts, as plain text for a terminal: layouts of
the view models' words."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.base.i18n import _
from advisor.base.line_breaks import display_width, pad
from advisor.report.comparison import DIFFERS_MARK, ComparisonDocument
from advisor.report.milestone_view import MilestoneDiff
from advisor.report.model import INSTEAD_HEADING, ReportDocument
from advisor.wording import capitalized


def render_text(document: ReportDocument) -> str:
    """The view model as lines of text, in reading order."""
    doc = document
    lines = [_("Project: {name}").format(name=doc.project_name)] if doc.project_name else []
    lines += [_("Note: {note}").format(note=doc.format_note)] if doc.format_note else []
    scores = _(", ").join(f"{bar.label} {bar.points}" for bar in doc.scores)
    lines += [
        _("Verdict: {verdict}").format(verdict=doc.verdict_label),
        doc.verdict_sentence,
        doc.confidence_sentence,
        _("Scores: {scores}").format(scores=scores),
    ]
    for part in doc.parts:
        if not part.served:
            lines.append(_("  {outcome}.").format(outcome=capitalized(part.outcome)))
            continue
        scores = _(", ").join(
            (
                _("{option} {points} (ruled out)") if bar.ruled_out_by else "{option} {points}"
            ).format(option=bar.label, points=bar.points)
            for bar in part.scores
        )
        lines.append(
            _("  {part} (scores: {scores})").format(part=capitalized(part.sentence), scores=scores)
        )
    lines += [
        _("{heading}: {text}").format(heading=_(INSTEAD_HEADING), text=text) for text in doc.instead
    ]
    if doc.tie_break:
        lines.append(_("Tie: {tie}").format(tie=doc.tie_break))
    lines += list(doc.ruled_out)
    if doc.confidence_factors:
        lines += ["", _("Independent factors (each counted once):")]
        lines += [
            _("  - {factor}: {stance}").format(factor=line.name, stance=line.stance)
            for line in doc.confidence_factors
        ]
    lines += ["", _("Reasons:")]
    for reason in doc.reasons:
        lines.append(f"  - {reason.title} [{', '.join(reason.claims)}] ({reason.effect})")
        lines.append(f"    {reason.rationale}")
        lines.append(
            _("    Because {because}; rule {rule}").format(
                because=reason.because, rule=reason.rule_id
            )
        )
        if reason.beyond_article:
            lines.append(
                _("    Beyond the article; source: {source}").format(source=reason.beyond_article)
            )
    if not doc.reasons:
        lines.append(_("  - no rule moved the scores"))
    if doc.caveats:
        lines += ["", _("Still to weigh:")]
        for caveat in doc.caveats:
            cited = f" [{', '.join(caveat.claims)}]" if caveat.claims else ""
            lines.append(f"  - {caveat.text}{cited}")
    lines += ["", _("What would change the verdict:")]
    lines += [f"  - {flip.sentence}" for flip in doc.flips] or [
        _("  - no single answer changes it")
    ]
    if doc.worth_answering:
        lines += ["", _("Questions worth answering:")]
        lines += [f"  - {entry.sentence}" for entry in doc.worth_answering]
    lines += ["", _("The article's claims on this workstation:")]
    if doc.grounding:
        for check in doc.grounding:
            figure = f" ({check.measured})" if check.measured else ""
            lines.append(
                _("  - {claim} {aspect}: {verdict}").format(
                    claim=check.claim_id, aspect=check.aspect, verdict=check.verdict_label
                )
                + figure
            )
            lines.append(f"    {check.explanation}")
    else:
        lines.append(f"  - {doc.grounding_summary}")
    lines += ["", _("Rules version {version}.").format(version=doc.source.ruleset_version)]
    return "\n".join(lines)


def render_comparison_text(document: ComparisonDocument) -> str:
    """The comparison as a table of text: a row per fact, a column per host, ≠ where they
    disagree."""
    doc = document
    lines = [doc.summary, ""]
    lines += [f"  {host.line}" for host in doc.hosts]
    labels = [row.label for section in doc.sections for row in section.rows]
    label_width = max(display_width(label) for label in labels)
    widths = [
        max(
            display_width(host.label),
            *(display_width(row.values[index]) for section in doc.sections for row in section.rows),
        )
        for index, host in enumerate(doc.hosts)
    ]

    def line(mark: str, label: str, values: Sequence[str]) -> str:
        cells = "  ".join(pad(value, width) for value, width in zip(values, widths, strict=True))
        return f"{mark} {pad(label, label_width)}  {cells}".rstrip()

    for section in doc.sections:
        lines += ["", line(" ", section.title, [host.label for host in doc.hosts])]
        for row in section.rows:
            lines.append(line(DIFFERS_MARK if row.differs else " ", row.label, row.values))
    lines.append("")
    if doc.advice_heading is not None:
        lines.append(_("{heading}:").format(heading=doc.advice_heading))
        lines += [f"  - {entry.sentence}" for entry in doc.advice]
    lines.append(doc.advice_note)
    return "\n".join(lines)


def render_diff_text(diff: MilestoneDiff) -> str:
    """What changed between two milestones, as lines of text."""
    ends = (_("From:"), _("To:"))
    width = max(display_width(end) for end in ends)
    lines = [
        f"{pad(end, width)} {label}"
        for end, label in zip(ends, (diff.before_label, diff.after_label), strict=True)
    ]
    lines += ["", diff.summary, "", _("Answers changed:")]
    lines += [f"  - {change.sentence}" for change in diff.answers] or [_("  - none")]
    lines += [
        "",
        _("Verdict: {verdict}").format(verdict=diff.verdict),
        _("Confidence: {confidence}").format(confidence=diff.confidence),
        _("Scores: {scores}").format(scores=diff.scores),
        "",
        _("Reasons that made the difference:"),
    ]
    lines += [f"  + {rule}" for rule in diff.rules_now]
    lines += [f"  - {rule}" for rule in diff.rules_gone]
    if not (diff.rules_now or diff.rules_gone):
        lines.append(_("  none: the same rules fired"))
    lines += [
        "",
        _("Probe: {probe}").format(probe=diff.probe),
        _("Rules: {rules}").format(rules=diff.ruleset),
    ]
    return "\n".join(lines)
