"""The recommendation as plain text for a terminal: a layout of the view model's words."""

from __future__ import annotations

from advisor.report.model import INSTEAD_HEADING, ReportDocument


def render_text(document: ReportDocument) -> str:
    """The view model as lines of text, in reading order."""
    doc = document
    lines = [f"Project: {doc.project_name}"] if doc.project_name else []
    lines += [f"Note: {doc.format_note}"] if doc.format_note else []
    lines += [
        f"Verdict: {doc.verdict_label}",
        doc.verdict_sentence,
        doc.confidence_sentence,
        "Scores: " + ", ".join(f"{bar.label} {bar.points}" for bar in doc.scores),
    ]
    for part in doc.parts:
        scores = ", ".join(
            f"{bar.label} {bar.points}" + (" (ruled out)" if bar.ruled_out_by else "")
            for bar in part.scores
        )
        lines.append(f"  {part.verdict_label} for {part.applications} (scores: {scores})")
    lines += [f"{INSTEAD_HEADING}: {text}" for text in doc.instead]
    if doc.tie_break:
        lines.append(f"Tie: {doc.tie_break}")
    lines += list(doc.ruled_out)
    lines += ["", "Reasons:"]
    for reason in doc.reasons:
        lines.append(f"  - {reason.title} [{', '.join(reason.claims)}] ({reason.effect})")
        lines.append(f"    {reason.rationale}")
        lines.append(f"    Because {reason.because}; rule {reason.rule_id}")
        if reason.beyond_article:
            lines.append(f"    Beyond the article; source: {reason.beyond_article}")
    if not doc.reasons:
        lines.append("  - no rule moved the scores")
    if doc.caveats:
        lines += ["", "Still to weigh:"]
        for caveat in doc.caveats:
            cited = f" [{', '.join(caveat.claims)}]" if caveat.claims else ""
            lines.append(f"  - {caveat.text}{cited}")
    lines += ["", "What would change the verdict:"]
    lines += [f"  - {flip.sentence}" for flip in doc.flips] or ["  - no single answer changes it"]
    if doc.worth_answering:
        lines += ["", "Questions worth answering:"]
        lines += [f"  - {entry.sentence}" for entry in doc.worth_answering]
    lines += ["", "The article's claims on this workstation:"]
    if doc.grounding:
        for check in doc.grounding:
            figure = f" ({check.measured})" if check.measured else ""
            lines.append(f"  - {check.claim_id} {check.aspect}: {check.verdict_label}{figure}")
            lines.append(f"    {check.explanation}")
    else:
        lines.append(f"  - {doc.grounding_summary}")
    lines += ["", f"Rules version {doc.source.ruleset_version}."]
    return "\n".join(lines)
