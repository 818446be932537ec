"""The confidence in words: how many independent factors agree with the verdict, which one
points the other way, and where each factor stands (advisor/confidence.py decides it)."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.base.i18n import _, ngettext
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
        head = _("every other option is ruled out")
    elif not agreeing:
        head = _("no independent factor agrees")
    else:
        count = len(agreeing)
        head = ngettext(
            "{count} independent factor agrees", "{count} independent factors agree", count
        ).format(count=count)
    if disagreeing:
        head += ngettext(
            "; {factors} points the other way", "; {factors} point the other way", len(disagreeing)
        ).format(factors=_factors(disagreeing))
    elif agreeing and evidence.rival is not None:
        head += _(", and none points the other way")
    details = [*_details(evidence), *_balance(evidence)]
    text = _("{level}: {head}.").format(level=CONFIDENCE_LABELS[rec.confidence], head=head)
    for detail in details:
        text = _("{sentence} {next}").format(sentence=text, next=_sentence(detail))
    return text


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
        ngettext(
            "{factors} rules out {options}", "{factors} rule out {options}", len(stances)
        ).format(factors=_factors(stances), options=_options(options))
        for options, stances in groups.items()
    ]
    if evidence.narrowed_by and evidence.rival is not None:
        details.append(
            ngettext(
                "{factors} weighs clearly against {others}, which leaves a closer call "
                "between it and {rival}",
                "{factors} weigh clearly against {others}, which leaves a closer call between "
                "it and {rival}",
                len(evidence.narrowed_by),
            ).format(
                factors=_factor_names(evidence.narrowed_by),
                rival=OPTION_NAMES[evidence.rival].phrase,
                others=_options(evidence.beyond_rival),
            )
        )
    favouring = [stance for stance in evidence.agreeing if stance.lean > 0]
    if favouring and evidence.rival is not None:
        details.append(
            ngettext(
                "{factors} favours it over {rival}",
                "{factors} favour it over {rival}",
                len(favouring),
            ).format(factors=_factors(favouring), rival=OPTION_NAMES[evidence.rival].phrase)
        )
    return details


def _balance(evidence: Evidence) -> list[str]:
    """Where the factors, each counted once, do not favour the verdict over its rival."""
    if evidence.rival is None or evidence.lead > 0:
        return []
    rival = OPTION_NAMES[evidence.rival].phrase
    if evidence.lead == 0:
        return [_("counted once per factor, the reasons weigh {rival} as much").format(rival=rival)]
    return [
        _(
            "counted once per factor, the reasons favour {rival} by {points}: "
            "the verdict leads only where restatements of one argument are added up"
        ).format(rival=rival, points=points_text(-evidence.lead))
    ]


def _stance_text(stance: FactorStance, rival: Option | None, verdict: Verdict) -> str:
    parts = []
    if stance.rules_out:
        parts.append(_("rules out {option}").format(option=_options(stance.rules_out)))
    if stance.strongly_against:
        parts.append(_("weighs against {option}").format(option=OPTION_NAMES[verdict].phrase))
    amount = points_text(abs(stance.lean))
    if rival is None and stance.lean:
        # Nothing to set the verdict against: what the factor gives the verdict itself.
        parts.append(
            (_("gives it {points}") if stance.lean > 0 else _("takes {points} from it")).format(
                points=amount
            )
        )
    elif rival is not None and stance.lean > 0:
        parts.append(
            _("favours it over {rival} by {points}").format(
                rival=OPTION_NAMES[rival].phrase, points=amount
            )
        )
    elif rival is not None and stance.lean:
        parts.append(
            _("favours {rival} over it by {points}").format(
                rival=OPTION_NAMES[rival].phrase, points=amount
            )
        )
    return _("; ").join(parts)


def _factors(stances: Sequence[FactorStance]) -> str:
    return _factor_names([stance.name for stance in stances])


def _factor_names(names: Sequence[str]) -> str:
    return ngettext("the {names} factor", "the {names} factors", len(names)).format(
        names=listed(list(names))
    )


def _options(options: Sequence[Option]) -> str:
    return listed([OPTION_NAMES[option].phrase for option in options])


def _sentence(text: str) -> str:
    return _("{sentence}.").format(sentence=text[:1].upper() + text[1:])
