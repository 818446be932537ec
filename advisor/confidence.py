"""How sure the advice is, counted in independent lines of evidence rather than in points.

Every rule belongs to a factor (rules.toml): the rules of one factor restate one argument at
different strengths (several applications, then many; elevated security, then untrusted
code), so their points are not independent evidence and must not stack. For each option a
factor counts with its strongest reason for it and its strongest reason against it: two
restatements of "containers are light" count once, while a reason for and a reason against
within one factor still offset.

The verdict is then set against its rival, the best option still possible. A factor agrees
when it favours the verdict over the rival, disagrees when it favours the rival, and is
strong when it does so by `strong_factor_points` or more. A factor that rules other options
out agrees with whatever remains. The confidence is:

- high: the factors together favour the verdict clearly (`high_confidence_lead` points or
  more, or no rival remains), at least `high_confidence_factors` independent factors agree
  (a rule-out counts as the strongest agreement), and no strong factor disagrees;
- medium: a strong factor agrees, or enough agree with a lead and nothing strong disagrees;
  or a close call between the verdict and its rival after a strong factor has set both
  above every other option (`narrowed_by`: "clear against VMs, close between containers
  and the host");
- low otherwise: the factors do not favour the verdict, or a single ordinary one does and
  nothing decides against the other options.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from advisor.base.models import FrozenModel
from advisor.rulebook import OPTIONS, CompiledRule, Option, Rulebook

Confidence = Literal["low", "medium", "high"]


class FactorStance(FrozenModel):
    """Where one factor stands between the verdict and its rival."""

    factor: str  # the factor's id
    name: str  # how a sentence names it
    lean: int  # points it favours the verdict over the rival by (below 0: the rival)
    rules_out: tuple[Option, ...]  # other options its rules rule out
    weight: Literal["tilt", "material", "strong"]
    # It takes the strong threshold or more from the verdict itself, whatever the rival gets.
    strongly_against: bool = False

    @property
    def agrees(self) -> bool:
        """Whether this factor speaks for the verdict (a tilt of one point does not)."""
        return bool(self.rules_out) or (self.lean > 0 and self.weight != "tilt")

    @property
    def disagrees(self) -> bool:
        """Whether this factor speaks for the rival, or strongly against the verdict itself."""
        if self.strongly_against:
            return True
        return not self.rules_out and self.lean < 0 and self.weight != "tilt"

    @property
    def strong(self) -> bool:
        """Whether it rules an option out or weighs the strong threshold or more."""
        return self.weight == "strong" or self.strongly_against


class Evidence(FrozenModel):
    """The independent evidence behind a verdict (the confidence is `confidence_of` it)."""

    rival: Option | None  # the best other option still possible; None when all are ruled out
    lead: int  # the factors' points for the verdict minus those for the rival
    factors: tuple[FactorStance, ...]  # every factor a fired rule belongs to, in file order
    # The factors (by name) that favour the verdict by the strong threshold, or rule out,
    # every option still possible but the verdict and its rival (`beyond_rival`): they narrow
    # the choice to those two.
    narrowed_by: tuple[str, ...] = ()
    beyond_rival: tuple[Option, ...] = ()

    @property
    def agreeing(self) -> tuple[FactorStance, ...]:
        """The factors that speak for the verdict."""
        return tuple(stance for stance in self.factors if stance.agrees)

    @property
    def disagreeing(self) -> tuple[FactorStance, ...]:
        """The factors that speak for the rival, strongest first."""
        against = [stance for stance in self.factors if stance.disagrees]
        return tuple(sorted(against, key=lambda stance: stance.lean))


def factor_points(rules: Iterable[CompiledRule], option: Option) -> int:
    """What one factor's fired rules give `option`: the strongest reason for it plus the
    strongest reason against it, never the sum of restatements."""
    points = [item.rule.effect.points(option) for item in rules]
    return max([0, *points]) + min([0, *points])


def weigh(
    rulebook: Rulebook, fired: Iterable[CompiledRule], verdict: Option, ruled_out: Iterable[Option]
) -> Evidence:
    """The evidence for `verdict` from the rules that fired, factor by factor."""
    by_factor: dict[str, list[CompiledRule]] = {factor: [] for factor in rulebook.factors}
    for item in fired:
        by_factor[item.rule.factor].append(item)
    points = {
        factor: {option: factor_points(rules, option) for option in OPTIONS}
        for factor, rules in by_factor.items()
        if rules
    }
    excluded = set(ruled_out)
    rival = _rival(rulebook, points, verdict, excluded)
    stances = tuple(
        _stance(rulebook, factor, points[factor], by_factor[factor], verdict, rival)
        for factor in points
    )
    stances = tuple(
        stance for stance in stances if stance.lean or stance.rules_out or stance.strongly_against
    )
    beyond = tuple(
        option
        for option in rulebook.info.tie_order
        if option not in (verdict, rival) and option not in excluded
    )
    narrowing = tuple(
        rulebook.factors[factor].name
        for factor, rules in by_factor.items()
        if rules and beyond and _narrows(rulebook, points[factor], rules, verdict, beyond)
    )
    return Evidence(
        rival=rival,
        lead=sum(stance.lean for stance in stances),
        factors=stances,
        narrowed_by=narrowing,
        beyond_rival=beyond if narrowing else (),
    )


def _narrows(
    rulebook: Rulebook,
    points: Mapping[Option, int],
    rules: list[CompiledRule],
    verdict: Option,
    others: tuple[Option, ...],
) -> bool:
    """Whether a factor sets the verdict clearly above each of `others`: by the strong
    threshold, or by ruling it out."""
    strong = rulebook.info.strong_factor_points
    return all(
        points[verdict] - points[option] >= strong
        or any(option in item.rule.rules_out for item in rules)
        for option in others
    )


def _rival(
    rulebook: Rulebook,
    points: Mapping[str, Mapping[Option, int]],
    verdict: Option,
    excluded: set[Option],
) -> Option | None:
    possible = [
        option for option in rulebook.info.tie_order if option != verdict and option not in excluded
    ]
    if not possible:
        return None
    return max(possible, key=lambda option: sum(factor[option] for factor in points.values()))


def _stance(
    rulebook: Rulebook,
    factor: str,
    points: Mapping[Option, int],
    rules: list[CompiledRule],
    verdict: Option,
    rival: Option | None,
) -> FactorStance:
    lean = points[verdict] - (points[rival] if rival is not None else 0)
    rules_out = tuple(
        option
        for option in OPTIONS
        if option != verdict and any(option in item.rule.rules_out for item in rules)
    )
    weight: Literal["tilt", "material", "strong"] = "tilt"
    if rules_out or abs(lean) >= rulebook.info.strong_factor_points:
        weight = "strong"
    elif abs(lean) >= rulebook.info.material_factor_points:
        weight = "material"
    return FactorStance(
        factor=factor,
        name=rulebook.factors[factor].name,
        lean=lean,
        rules_out=rules_out,
        weight=weight,
        strongly_against=points[verdict] <= -rulebook.info.strong_factor_points,
    )


def confidence_of(rulebook: Rulebook, evidence: Evidence) -> Confidence:
    """How sure the advice is, from the independent evidence for it (see the module's text)."""
    info = rulebook.info
    forced = evidence.rival is None
    agreeing, disagreeing = evidence.agreeing, evidence.disagreeing
    strong_for = any(stance.strong for stance in agreeing)
    strong_against = any(stance.strong for stance in disagreeing)
    if forced:
        return "medium" if strong_against else "high"
    supported = strong_for or len(agreeing) >= info.high_confidence_factors
    if supported and evidence.lead >= info.high_confidence_lead and not disagreeing:
        return "high"
    if strong_for or (supported and evidence.lead > 0 and not strong_against):
        return "medium"
    if evidence.narrowed_by and evidence.lead >= 0 and not strong_against:
        return "medium"  # decided against the rest, a close call with the rival
    return "low"
