"""The rule engine: answers (and probe facts) in, an explained recommendation out.

Pure and deterministic: the same answers, rules and facts always give the same
recommendation, reasons in the same order. Rules are compiled once when the rulebook loads;
an evaluation only reads a flat table of facts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from advisor.answers import Answers
from advisor.confidence import confidence_of, weigh
from advisor.facts import FactSpec, FactValue, ProbeFacts, facts_from_probe_report, flatten_facts
from advisor.grounding import check_claims
from advisor.recommendation import (
    Caveat,
    EngineNote,
    Flip,
    Reason,
    Recommendation,
    RuledOut,
    Scores,
    Tie,
    Trigger,
)
from advisor.rulebook import OPTIONS, CompiledRule, Option, Rulebook, load_rulebook

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport

Facts = Mapping[str, FactValue]


@dataclass(frozen=True)
class _Decision:
    fired: tuple[CompiledRule, ...]
    scores: dict[Option, int]
    ruled_out: dict[Option, tuple[str, ...]]
    verdict: Option
    tied: tuple[Option, ...]  # every possible option sharing the top score, in tie order


def advise(
    answers: Answers, probe: ProbeReport | None = None, *, rulebook: Rulebook | None = None
) -> Recommendation:
    """The advice for a project's answers, grounded by a probe report where one is given.

    The one way from answers (and probe results) to a recommendation: the command line, the
    reports and the app all ask here. `rulebook` defaults to the shipped rules.
    """
    facts = facts_from_probe_report(probe) if probe is not None else None
    return recommend(answers, rulebook or load_rulebook(), facts)


def recommend(
    answers: Answers, rulebook: Rulebook, probe_facts: ProbeFacts | None = None
) -> Recommendation:
    """Weigh the answers (and probe facts, if measured) by the rules and explain the verdict."""
    facts = flatten_facts(answers, probe_facts)
    decision = _decide(rulebook, facts)
    verdict = decision.verdict
    flips = tuple(_flips(rulebook, facts, verdict))
    others = [
        decision.scores[option]
        for option in OPTIONS
        if option != verdict and option not in decision.ruled_out
    ]
    # With every other option ruled out, the margin is the verdict's own points (none below 0).
    margin = decision.scores[verdict] - max(others) if others else max(decision.scores[verdict], 0)
    evidence = weigh(rulebook, decision.fired, verdict, decision.ruled_out)
    return Recommendation(
        ruleset_version=rulebook.version,
        project_name=answers.project_name,
        verdict=verdict,
        scores=Scores(**decision.scores),
        margin=margin,
        confidence=confidence_of(rulebook, evidence),
        evidence=evidence,
        tie=_tie(rulebook, decision),
        ruled_out=tuple(
            RuledOut(option=option, by=by) for option, by in decision.ruled_out.items()
        ),
        reasons=_reasons(decision, facts),
        caveats=_caveats(rulebook, decision, facts),
        flips=tuple(flip for flip in flips if flip.current is not None),
        worth_answering=tuple(flip for flip in flips if flip.current is None),
        grounding=check_claims(probe_facts) if probe_facts is not None else (),
    )


def _decide(rulebook: Rulebook, facts: Facts) -> _Decision:
    return _decision_of(rulebook, tuple(rule for rule in rulebook.rules if rule.fires(facts)))


def _decision_of(rulebook: Rulebook, fired: tuple[CompiledRule, ...]) -> _Decision:
    scores: dict[Option, int] = {
        option: sum(item.rule.effect.points(option) for item in fired) for option in OPTIONS
    }
    ruled_out: dict[Option, tuple[str, ...]] = {}
    for option in OPTIONS:
        by = tuple(item.rule.id for item in fired if option in item.rule.rules_out)
        if by:
            ruled_out[option] = by
    tied = _tied(rulebook, scores, set(ruled_out))
    return _Decision(fired, scores, ruled_out, tied[0], tied)


def _tied(
    rulebook: Rulebook, scores: Mapping[Option, int], ruled_out: set[Option]
) -> tuple[Option, ...]:
    """The options sharing the top score among those still possible, in tie order."""
    # Validation keeps any one rule from ruling out everything; should several together do
    # it, the scores alone decide rather than leave no answer.
    possible = [option for option in rulebook.info.tie_order if option not in ruled_out]
    candidates = possible or list(rulebook.info.tie_order)
    best = max(scores[option] for option in candidates)
    return tuple(option for option in candidates if scores[option] == best)


def _tie(rulebook: Rulebook, decision: _Decision) -> Tie | None:
    if len(decision.tied) < 2:
        return None
    return Tie(
        options=decision.tied,
        points=decision.scores[decision.verdict],
        rationale=rulebook.info.tie_rationale,
    )


def _triggers(rule: CompiledRule, facts: Facts) -> tuple[Trigger, ...]:
    return tuple(Trigger(fact=name, value=facts[name]) for name in rule.triggers(facts))


def _reasons(decision: _Decision, facts: Facts) -> tuple[Reason, ...]:
    moving = [
        item
        for item in decision.fired
        if item.rule.rules_out or any(item.rule.effect.points(option) for option in OPTIONS)
    ]
    # Reasons for the verdict first, strongest first; rules keep file order among equals.
    moving.sort(key=lambda item: -item.rule.effect.points(decision.verdict))
    return tuple(
        Reason(
            rule_id=item.rule.id,
            title=item.rule.title,
            claims=item.rule.claims,
            rationale=item.rule.rationale,
            quote=item.rule.quote,
            effect=Scores(**{option: item.rule.effect.points(option) for option in OPTIONS}),
            rules_out=item.rule.rules_out,
            triggers=_triggers(item, facts),
            beyond_article=item.rule.beyond_article.source if item.rule.beyond_article else None,
        )
        for item in moving
    )


def _caveats(rulebook: Rulebook, decision: _Decision, facts: Facts) -> tuple[Caveat, ...]:
    caveats = [
        Caveat(
            rule_id=item.rule.id,
            claims=item.rule.claims,
            text=item.rule.caveat,
            triggers=_triggers(item, facts),
        )
        for item in decision.fired
        if item.rule.caveat_applies(decision.verdict)
    ]
    verdict = decision.verdict
    for option in OPTIONS:
        if option == verdict:
            continue
        if option in decision.ruled_out:
            if decision.scores[option] > decision.scores[verdict]:
                caveats.append(_ruled_out_note(decision, option))
            continue
        pulling = [
            item
            for item in decision.fired
            if item.rule.effect.points(option) > item.rule.effect.points(verdict)
        ]
        pull = sum(
            item.rule.effect.points(option) - item.rule.effect.points(verdict) for item in pulling
        )
        if pull >= rulebook.info.tension_caveat_points:
            caveats.append(_tension_note(decision, option, pulling, pull))
    return tuple(caveats)


def _ruled_out_note(decision: _Decision, option: Option) -> Caveat:
    note = EngineNote(
        kind="ruled_out_lead",
        option=option,
        points=decision.scores[option],
        lead=decision.scores[option] - decision.scores[decision.verdict],
        rules=decision.ruled_out[option],
    )
    return Caveat(rule_id=None, claims=(), text=None, triggers=(), note=note)


def _tension_note(
    decision: _Decision, option: Option, pulling: list[CompiledRule], pull: int
) -> Caveat:
    verdict = decision.verdict
    lead = decision.scores[verdict] - decision.scores[option]
    claims = tuple(dict.fromkeys(claim for item in pulling for claim in item.rule.claims))
    note = EngineNote(
        kind="tension",
        option=option,
        points=pull,
        lead=lead,
        rules=tuple(item.rule.id for item in pulling),
    )
    return Caveat(rule_id=None, claims=claims, text=None, triggers=(), note=note)


def _flips(rulebook: Rulebook, facts: Facts, verdict: Option) -> Iterator[Flip]:
    """For each answer a rule reads, the smallest change to it that changes the verdict, to
    a setup that could exist; for a question not answered, the first answer that would."""
    fired = [rule for rule in rulebook.rules if rule.fires(facts)]
    for name in rulebook.answer_facts_used:
        current = facts[name]
        # Only the rules that read this answer can change whether they fire: the others'
        # points and rule-outs are summed once.
        settled = [rule for rule in fired if name not in rule.reads]
        base = {
            option: sum(rule.rule.effect.points(option) for rule in settled) for option in OPTIONS
        }
        base_out = {option for rule in settled for option in rule.rule.rules_out}
        reading = rulebook.rules_reading.get(name, ())
        for candidate in _alternatives(rulebook.fact_specs[name], current, rulebook):
            changed = dict(facts)
            changed[name] = candidate
            if not _could_exist(changed):
                continue
            scores, ruled_out = dict(base), set(base_out)
            for rule in reading:
                if rule.fires(changed):
                    for option in OPTIONS:
                        scores[option] += rule.rule.effect.points(option)
                    ruled_out.update(rule.rule.rules_out)
            outcome = _tied(rulebook, scores, ruled_out)[0]
            if outcome != verdict:
                field = name.partition(".")[2]
                yield Flip(field=field, current=current, value=candidate, verdict=outcome)
                break


def _could_exist(facts: Facts) -> bool:
    """Whether answers describe a project that could exist: no more trust boundaries than
    applications to put in them, and no hardware beside "none"."""
    boundaries, count = facts.get("answers.trust_boundaries"), facts.get("answers.app_count")
    if isinstance(boundaries, int) and isinstance(count, int) and boundaries > count:
        return False
    hardware = facts.get("answers.hardware")
    return not (isinstance(hardware, tuple) and "none" in hardware and len(hardware) > 1)


def _alternatives(spec: FactSpec, current: FactValue, rulebook: Rulebook) -> list[FactValue]:
    """Every other value worth trying for a fact, nearest first."""
    if spec.kind == "number":
        return _number_alternatives(spec, current, rulebook)
    choices = spec.choices or ()
    if spec.kind == "set":
        chosen = set(current) if isinstance(current, tuple) else set()
        names = [str(choice) for choice in choices]
        subsets = [
            subset
            for size in range(1, len(names) + 1)
            for subset in combinations(names, size)
            if set(subset) != chosen
        ]
        subsets.sort(key=lambda subset: len(chosen.symmetric_difference(subset)))
        return list(subsets)
    # A question not answered (None) tries every choice, in the order offered.
    position = choices.index(current) if current in choices else 0
    others = [choice for choice in choices if choice != current]
    return sorted(others, key=lambda choice: abs(choices.index(choice) - position))


def _number_alternatives(spec: FactSpec, current: FactValue, rulebook: Rulebook) -> list[FactValue]:
    # Between two thresholds nothing changes, so the values either side of each are enough.
    if isinstance(current, bool) or not isinstance(current, int | float | None):
        return []
    low = spec.lowest if spec.lowest is not None else float("-inf")
    high = spec.highest if spec.highest is not None else float("inf")
    values = {
        int(threshold) + step
        for threshold in rulebook.thresholds.get(spec.name, ())
        for step in (-1, 0, 1)
    }
    values.update(int(bound) for bound in (spec.lowest, spec.highest) if bound is not None)
    nearest_first = sorted(
        (value for value in values if low <= value <= high and value != current),
        key=lambda value: (abs(value - current) if current is not None else value, value),
    )
    return list(nearest_first)
