"""The confidence in words: how many independent factors agree with the verdict, which one
points the other way, and where each factor stands (advisor/confidence.py decides it)."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.base.models import FrozenModel
from advisor.confidence import Evidence, FactorStance
from advisor.recommendation import Recommendation
from advisor.rulebook import Option, Verdict
from advisor.wording import CONFIDENCE_LABELS, OPTION_NAMES, listed, points_text


class FactorLine(FrozenModel):
    """One independent factor and where it stands, as a list of the evidence shows it."""

    factor: str
    name: str
    stance: str  # "rules out Containers", "favours it over virtual machines by 4 points"
    agrees: bool
    disagrees: bool


def confidence_sentence(rec: Recommendation) -> str:
    """'High confidence: 3 independent factors agree, and none points the other way. …'"""
    evidence = rec.evidence
    agreeing, disagreeing = evidence.agreeing, evidence.disagreeing
    if evidence.rival is None:
        head = "every other option is ruled out"
    else:
        count = len(agreeing)
        number = "no" if count == 0 else str(count)
        head = f"{number} independent factor{'' if count == 1 else 's'} agree{_s(count)}"
    if disagreeing:
        head += f"; {_factors(disagreeing)} point{_s(len(disagreeing))} the other way"
    elif agreeing and evidence.rival is not None:
        head += ", and none points the other way"
    details = [*_details(evidence), *_balance(evidence)]
    text = f"{CONFIDENCE_LABELS[rec.confidence]}: {head}."
    return " ".join([text, *(_sentence(detail) for detail in details)])


def factor_lines(rec: Recommendation) -> tuple[FactorLine, ...]:
    """Every factor that weighed, with where it stands between the verdict and its rival."""
    return tuple(
        FactorLine(
            factor=stance.factor,
            name=stance.name[:1].upper() + stance.name[1:],
            stance=_stance_text(stance, rec.evidence.rival, rec.verdict),
            agrees=stance.agrees,
            disagrees=stance.disagrees,
        )
        for stance in rec.evidence.factors
    )


def _details(evidence: Evidence) -> list[str]:
    groups: dict[tuple[Option, ...], list[FactorStance]] = {}
    for stance in evidence.factors:
        if stance.rules_out:
            groups.setdefault(stance.rules_out, []).append(stance)
    details = [
        f"{_factors(stances)} rule{_s(len(stances))} out {_options(options)}"
        for options, stances in groups.items()
    ]
    favouring = [stance for stance in evidence.agreeing if stance.lean > 0]
    if favouring and evidence.rival is not None:
        details.append(
            f"{_factors(favouring)} favour{_s(len(favouring))} it over "
            f"{OPTION_NAMES[evidence.rival].phrase}"
        )
    return details


def _balance(evidence: Evidence) -> list[str]:
    """Where the factors, each counted once, do not favour the verdict over its rival."""
    if evidence.rival is None or evidence.lead > 0:
        return []
    rival = OPTION_NAMES[evidence.rival].phrase
    if evidence.lead == 0:
        return [f"counted once per factor, the reasons weigh {rival} as much"]
    return [
        f"counted once per factor, the reasons favour {rival} by {points_text(-evidence.lead)}: "
        "the verdict leads only where restatements of one argument are added up"
    ]


def _stance_text(stance: FactorStance, rival: Option | None, verdict: Verdict) -> str:
    parts = []
    if stance.rules_out:
        parts.append(f"rules out {_options(stance.rules_out)}")
    if stance.strongly_against:
        parts.append(f"weighs against {OPTION_NAMES[verdict].phrase}")
    if rival is None and stance.lean:
        # Nothing to set the verdict against: what the factor gives the verdict itself.
        amount = points_text(abs(stance.lean))
        parts.append(f"gives it {amount}" if stance.lean > 0 else f"takes {amount} from it")
    elif rival is not None and stance.lean:
        towards = "it" if stance.lean > 0 else OPTION_NAMES[rival].phrase
        over = OPTION_NAMES[rival].phrase if stance.lean > 0 else "it"
        parts.append(f"favours {towards} over {over} by {points_text(abs(stance.lean))}")
    return "; ".join(parts)


def _factors(stances: Sequence[FactorStance]) -> str:
    names = [stance.name for stance in stances]
    return f"the {listed(names)} factor{'' if len(names) == 1 else 's'}"


def _options(options: Sequence[Option]) -> str:
    return listed([OPTION_NAMES[option].phrase for option in options])


def _s(count: int) -> str:
    """The verb's ending for a subject of `count`: 'agrees' for one, 'agree' for others."""
    return "s" if count == 1 else ""


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."
