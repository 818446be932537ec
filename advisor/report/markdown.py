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

from advisor.outputs import Output, write_output
from advisor.report.model import INSTEAD_HEADING, ReportDocument

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
    subject = f"“{escape(doc.project_name)}”" if doc.project_name else "this project"
    lines = [
        "---",
        "status: proposed",
        f"date: {doc.generated_at:%Y-%m-%d}",
        "decision-makers: []",
        "---",
        "",
        f"# {escape(doc.verdict_sentence.rstrip('.'))}",
        "",
        "## Context and Problem Statement",
        "",
        f"Should {subject} run in Docker containers, in virtual machines, in Docker containers "
        "inside virtual machines, or on the host itself? The team answered the questions below; "
        f"the advice applies the rules (version {escape(doc.source.ruleset_version)}) drawn "
        f"from the article “{escape(doc.source.article_title)}” by "
        f"{escape(doc.source.article_author)} ({doc.source.article_published:%Y}), claim by "
        "claim.",
        "",
        "| Question | Answer |",
        "| --- | --- |",
        *(f"| {escape(row.question)} | {escape(row.answer)} |" for row in doc.answers),
        "",
        "## Decision Drivers",
        "",
    ]
    drivers = [row for row in doc.answers if row.mattered]
    lines += [
        f"* {escape(row.step, starts_block=True)}: {escape(row.answer)}{_claims(row.claims)}"
        for row in drivers
    ]
    if not drivers:
        lines.append("* No answer moved the scores.")
    lines += ["", "## Considered Options", ""]
    lines += [f"* {escape(option.title, starts_block=True)}" for option in doc.options]
    lines += [
        "",
        "## Decision Outcome",
        "",
        f"{escape(doc.decision_sentence, starts_block=True)} {escape(doc.confidence_sentence)}",
        "",
    ]
    lines += [
        f"* {escape(part.sentence[:1].upper() + part.sentence[1:], starts_block=True)}."
        for part in doc.parts
    ]
    if doc.instead:
        lines += [f"{INSTEAD_HEADING}:", ""]
        lines += [f"* {escape(text, starts_block=True)}" for text in doc.instead]
    if doc.parts or doc.instead:
        lines.append("")
    if doc.confidence_factors:
        lines += ["Independent factors, each counted once:", ""]
        lines += [
            f"* {escape(line.name, starts_block=True)}: {escape(line.stance)}"
            for line in doc.confidence_factors
        ]
        lines.append("")
    if doc.tie_break:
        lines += [escape(f"Tie: {doc.tie_break}", starts_block=True), ""]
    lines += [f"* {escape(sentence, starts_block=True)}" for sentence in doc.ruled_out]
    # The reasons for the verdict first; then those weighed against it or even, so that the
    # record keeps every reason with the answers behind it.
    ordered = [entry for entry in doc.reasons if entry.stance == "for"]
    ordered += [entry for entry in doc.reasons if entry.stance != "for"]
    for reason in ordered:
        lead = {"for": "", "against": "Weighed against it: "}.get(reason.stance, "Also weighed: ")
        lines.append(
            f"* {escape(lead + reason.title, starts_block=True)}: {escape(reason.rationale)} "
            f"Because {escape(reason.because)}. Rule {escape(reason.rule_id)}"
            f"{_claims(reason.claims)}."
        )
    lines += ["", "### Consequences", ""]
    lines += [
        f"* {escape(caveat.text, starts_block=True)}{_claims(caveat.claims)}"
        for caveat in doc.caveats
    ]
    if not doc.caveats:
        lines.append("* No caveats for these answers.")
    lines += ["", "### Confirmation", "", escape(doc.grounding_summary, starts_block=True), ""]
    if doc.grounding:
        lines += [
            "| Claim | Aspect | The article says | Measured here | Verdict |",
            "| --- | --- | --- | --- | --- |",
            *(
                f"| {escape(line.claim_id)} | {escape(line.aspect)} | "
                f"{escape(line.article_says)} | {escape(line.measured or 'not measured')} | "
                f"{escape(line.verdict_label)} |"
                for line in doc.grounding
            ),
            "",
        ]
    lines += [
        escape(doc.probe_statement, starts_block=True),
        "",
        "## Pros and Cons of the Options",
        "",
    ]
    for option in doc.options:
        lines += [f"### {escape(option.title)}", ""]
        lines += [f"* Good, because {escape(point)}" for point in option.good]
        lines += [f"* Bad, because {escape(point)}" for point in option.bad]
        if option.ruled_out_by:
            lines.append(f"* Bad, because ruled out by {escape(', '.join(option.ruled_out_by))}")
        if not (option.good or option.bad or option.ruled_out_by):
            lines.append("* Neutral, because no rule moved its score")
        lines.append("")
    lines += ["## More Information", "", "What would change the verdict:", ""]
    lines += [f"* {escape(flip.sentence, starts_block=True)}" for flip in doc.flips] or [
        "* No single answer changes it."
    ]
    if doc.worth_answering:
        lines += ["", "Questions worth answering:", ""]
        lines += [f"* {escape(entry.sentence, starts_block=True)}" for entry in doc.worth_answering]
    if doc.format_note:
        lines += ["", escape(doc.format_note, starts_block=True)]
    lines += [
        "",
        f"Made by dvm-advisor {escape(doc.source.advisor_version)} on "
        f"{doc.generated_at:%Y-%m-%d %H:%M} UTC for {escape(doc.project_label)}.",
        "",
    ]
    return "\n".join(lines)


def write_report_markdown(
    document: ReportDocument, path: Path, *, follow_symlinks: bool = False
) -> None:
    """Write the decision record to `path`, whole or not at all."""
    write_output(
        render_markdown(document).encode(),
        Output(path, "the Markdown record"),
        follow_symlinks=follow_symlinks,
    )
