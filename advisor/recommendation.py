"""A recommendation: the verdict, the reasons behind it, and how to read it as text."""

from __future__ import annotations

from typing import Literal

from advisor.facts import FactValue
from advisor.grounding import ClaimCheck
from advisor.modelbase import FrozenModel
from advisor.rulebook import OPTIONS, Option

Confidence = Literal["low", "medium", "high"]


class Scores(FrozenModel):
    """Points per option: the sum of the effects of every rule that fired."""

    container: int
    vm: int
    hybrid: int

    def of(self, option: Option) -> int:
        """The score of one option."""
        return int(getattr(self, option))


class Trigger(FrozenModel):
    """A fact that made a rule fire, with its value."""

    fact: str
    value: FactValue


class Reason(FrozenModel):
    """A rule that fired and moved the scores or ruled an option out."""

    rule_id: str
    title: str
    claims: tuple[str, ...]
    rationale: str
    quote: str | None
    effect: Scores
    rules_out: tuple[Option, ...]
    triggers: tuple[Trigger, ...]
    beyond_article: str | None  # the source, for a rule the article does not cover


class Caveat(FrozenModel):
    """Something the user must still weigh; rule_id is None for the engine's own notes."""

    rule_id: str | None
    claims: tuple[str, ...]
    text: str
    triggers: tuple[Trigger, ...]


class Flip(FrozenModel):
    """One answer whose change alone would change the verdict."""

    field: str
    current: FactValue
    value: FactValue
    verdict: Option


class RuledOut(FrozenModel):
    """An option the rules make impossible, whatever its score."""

    option: Option
    by: tuple[str, ...]  # rule ids


class Recommendation(FrozenModel):
    """The advice for one set of answers (and, where measured, this host's probe facts)."""

    ruleset_version: str
    project_name: str | None
    verdict: Option
    scores: Scores
    margin: int  # verdict's score minus the best other option still possible
    confidence: Confidence
    tie_break: str | None
    ruled_out: tuple[RuledOut, ...]
    reasons: tuple[Reason, ...]
    caveats: tuple[Caveat, ...]
    flips: tuple[Flip, ...]
    grounding: tuple[ClaimCheck, ...]


_OPTION_NAMES: dict[Option, str] = {
    "container": "containers",
    "vm": "virtual machines",
    "hybrid": "containers inside virtual machines",
}


def describe_value(value: FactValue) -> str:
    """A fact value as a user reads it."""
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "not measured" if value is None else str(value)


def describe_flip(flip: Flip) -> str:
    """'with security = strict, the verdict would be vm'."""
    return f"with {flip.field} = {describe_value(flip.value)}, the verdict would be {flip.verdict}"


def _effect_text(reason: Reason) -> str:
    parts = [
        f"{option} {reason.effect.of(option):+d}" for option in OPTIONS if reason.effect.of(option)
    ]
    parts += [f"rules out {option}" for option in reason.rules_out]
    return ", ".join(parts)


def _triggers_text(triggers: tuple[Trigger, ...]) -> str:
    return ", ".join(f"{item.fact} = {describe_value(item.value)}" for item in triggers)


def render_text(recommendation: Recommendation) -> str:
    """The recommendation as plain text for a terminal."""
    rec = recommendation
    lines = [f"Project: {rec.project_name}"] if rec.project_name else []
    lines += [
        f"Verdict: {rec.verdict} ({_OPTION_NAMES[rec.verdict]})",
        f"Confidence: {rec.confidence} (leads by {rec.margin} points)",
        "Scores: " + ", ".join(f"{option} {rec.scores.of(option)}" for option in OPTIONS),
    ]
    if rec.tie_break:
        lines.append(f"Tie: {rec.tie_break}")
    for item in rec.ruled_out:
        lines.append(f"Ruled out: {item.option} (by {', '.join(item.by)})")
    lines += ["", "Reasons:"]
    for reason in rec.reasons:
        lines.append(f"  - {reason.title} [{', '.join(reason.claims)}] ({_effect_text(reason)})")
        lines.append(f"    {reason.rationale}")
        lines.append(f"    because {_triggers_text(reason.triggers)}; rule {reason.rule_id}")
        if reason.beyond_article:
            lines.append(f"    beyond the article; source: {reason.beyond_article}")
    if rec.caveats:
        lines += ["", "Caveats:"]
        for caveat in rec.caveats:
            cited = f" [{', '.join(caveat.claims)}]" if caveat.claims else ""
            lines.append(f"  - {caveat.text}{cited}")
    lines += ["", "What would change the verdict:"]
    if rec.flips:
        lines += [f"  - {describe_flip(flip)}" for flip in rec.flips]
    else:
        lines.append("  - no single answer changes it")
    if rec.grounding:
        lines += ["", "The article's claims on this workstation:"]
        for check in rec.grounding:
            figure = f" ({check.measured})" if check.measured else ""
            lines.append(
                f"  - {check.claim_id} {check.aspect}: {check.verdict.replace('_', ' ')}{figure}"
            )
            lines.append(f"    {check.explanation}")
    lines += ["", f"Rules version {rec.ruleset_version}."]
    return "\n".join(lines)
