"""The recommendation as an architecture decision record in the MADR 4.0 layout.

Teams keep such records as Markdown under docs/decisions: front matter (status, date,
decision-makers), then the title, context and problem statement, decision drivers, considered
options, decision outcome with its consequences and confirmation, the pros and cons of each
option, and more information. Every word comes from the view model; every piece of text is
escaped, so that a project name or a host's answer cannot add markup to the record.
"""

from __future__ import annotations

import re
from pathlib import Path

from advisor.base.i18n import _, format_datetime
from advisor.outputs import Output, write_output
from advisor.report.model import INSTEAD_HEADING, ReportDocument
from advisor.wording import capitalized

# Characters that could start markup anywhere in a line; CommonMark lets a backslash escape
# any ASCII punctuation, so escaping these always reads as the character itself.
_INLINE_SPECIAL = frozenset("\\`*_[]<>|#~&!$")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def escape(text: str, *, starts_block: bool = False) -> str:
    """`text` as Markdown that shows exactly these characters, on one line.

    `starts_block`: the text begins a paragraph or a list item, where a leading '-', '+',
    '>' or '1.' would start a list or a quote.
    """
    flat = " ".join(text.splitlines())
    escaped = "".join(f"\\{char}" if char in _INLINE_SPECIAL else char for char in flat)
    match = _LINE_START.match(escaped) if starts_block else None
    if match:
        lead, marker = match.groups()
        escaped = f"{lead}{marker[:-1]}\\{marker[-1]}{escaped[match.end() :]}"
    return escaped


def _claims(claims: tuple[str, ...]) -> str:
    return f" ({escape(', '.join(claims))})" if claims else ""


def render_markdown(document: ReportDocument) -> str:
    """The decision record for `document`, as Markdown text."""
    doc = document
    subject = f"“{escape(doc.project_name)}”" if doc.project_name else _("this project")
    source = doc.source
    lines = [
        "---",
        "status: proposed",
        f"date: {doc.generated_at:%Y-%m-%d}",
        "decision-makers: []",
        "---",
        "",
        f"# {escape(doc.verdict_sentence.rstrip('.。'))}",
        "",
        _("## Context and Problem Statement"),
        "",
        _(
            "Should {project} run in Docker containers, in virtual machines, in Docker "
            "containers inside virtual machines, or on the host itself? The team answered the "
            "questions below; the advice applies the rules (version {version}) drawn from the "
            "article “{article}” by {author} ({year}), claim by claim."
        ).format(
            project=subject,
            version=escape(source.ruleset_version),
            article=escape(source.article_title),
            author=escape(source.article_author),
            year=f"{source.article_published:%Y}",
        ),
        "",
        _("| Question | Answer |"),
        "| --- | --- |",
        *(f"| {escape(row.question)} | {escape(row.answer_explained)} |" for row in doc.answers),
        "",
        _("## Decision Drivers"),
        "",
    ]
    drivers = [row for row in doc.answers if row.mattered]
    lines += [
        f"* {escape(row.step, starts_block=True)}: {escape(row.answer)}{_claims(row.claims)}"
        for row in drivers
    ]
    if not drivers:
        lines.append(_("* No answer moved the scores."))
    lines += ["", _("## Considered Options"), ""]
    lines += [f"* {escape(option.title, starts_block=True)}" for option in doc.options]
    lines += [
        "",
        _("## Decision Outcome"),
        "",
        f"{escape(doc.decision_sentence, starts_block=True)} {escape(doc.confidence_sentence)}",
        "",
    ]
    lines += [f"* {escape(capitalized(part.sentence), starts_block=True)}." for part in doc.parts]
    if doc.instead:
        # A paragraph of its own, not a lazy continuation of the parts' list.
        lines += [""] if doc.parts else []
        lines += [_("{heading}:").format(heading=_(INSTEAD_HEADING)), ""]
        lines += [f"* {escape(text, starts_block=True)}" for text in doc.instead]
    if doc.parts or doc.instead:
        lines.append("")
    if doc.confidence_factors:
        lines += [_("Independent factors, each counted once:"), ""]
        lines += [
            "* "
            + _("{factor}: {stance}").format(
                factor=escape(line.name, starts_block=True), stance=escape(line.stance)
            )
            for line in doc.confidence_factors
        ]
        lines.append("")
    if doc.tie_break:
        tie = _("Tie: {tie}").format(tie=doc.tie_break)
        lines += [escape(tie, starts_block=True), ""]
    lines += [f"* {escape(sentence, starts_block=True)}" for sentence in doc.ruled_out]
    # The reasons for the verdict first; then those weighed against it or even, so that the
    # record keeps every reason with the answers behind it.
    ordered = [entry for entry in doc.reasons if entry.stance == "for"]
    ordered += [entry for entry in doc.reasons if entry.stance != "for"]
    for reason in ordered:
        lead = {"for": "", "against": _("Weighed against it: ")}.get(
            reason.stance, _("Also weighed: ")
        )
        lines.append(
            "* "
            + _("{title}: ").format(title=escape(lead + reason.title, starts_block=True))
            + _("{rationale} Because {because}. Rule {rule}{claims}.").format(
                rationale=escape(reason.rationale),
                because=escape(reason.because),
                rule=escape(reason.rule_id),
                claims=_claims(reason.claims),
            )
        )
    lines += ["", _("### Consequences"), ""]
    lines += [
        f"* {escape(caveat.text, starts_block=True)}{_claims(caveat.claims)}"
        for caveat in doc.caveats
    ]
    if not doc.caveats:
        lines.append(_("* No caveats for these answers."))
    lines += ["", _("### Confirmation"), "", escape(doc.grounding_summary, starts_block=True), ""]
    if doc.grounding:
        lines += [
            _("| Claim | Aspect | The article says | Measured here | Verdict |"),
            "| --- | --- | --- | --- | --- |",
            *(
                f"| {escape(line.claim_id)} | {escape(line.aspect)} | "
                f"{escape(line.article_says)} | {escape(line.measured or _('not measured'))} | "
                f"{escape(line.verdict_label)} |"
                for line in doc.grounding
            ),
            "",
        ]
    lines += [
        escape(doc.probe_statement, starts_block=True),
        "",
        _("## Pros and Cons of the Options"),
        "",
    ]
    for option in doc.options:
        lines += [f"### {escape(option.title)}", ""]
        lines += [_("* Good, because {point}").format(point=escape(point)) for point in option.good]
        lines += [_("* Bad, because {point}").format(point=escape(point)) for point in option.bad]
        if option.ruled_out_by:
            lines.append(
                _("* Bad, because ruled out by {rules}").format(
                    rules=escape(", ".join(option.ruled_out_by))
                )
            )
        if not (option.good or option.bad or option.ruled_out_by):
            lines.append(_("* Neutral, because no rule moved its score"))
        lines.append("")
    lines += ["## " + _("More Information"), "", _("What would change the verdict:"), ""]
    lines += [f"* {escape(flip.sentence, starts_block=True)}" for flip in doc.flips] or [
        _("* No single answer changes it.")
    ]
    if doc.worth_answering:
        lines += ["", _("Questions worth answering:"), ""]
        lines += [f"* {escape(entry.sentence, starts_block=True)}" for entry in doc.worth_answering]
    if doc.format_note:
        lines += ["", escape(doc.format_note, starts_block=True)]
    lines += [
        "",
        _("Made by dvm-advisor {version} on {when} for {project}.").format(
            version=escape(source.advisor_version),
            when=format_datetime(doc.generated_at),
            project=escape(doc.project_label),
        ),
        "",
    ]
    return "\n".join(lines)


def write_report_markdown(
    document: ReportDocument, path: Path, *, follow_symlinks: bool = False
) -> None:
    """Write the decision record to `path`, whole or not at all."""
    write_output(
        render_markdown(document).encode(),
        Output(path, _("the Markdown record")),
        follow_symlinks=follow_symlinks,
    )
