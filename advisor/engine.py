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
from advisor.confidence import Confidence, Evidence, confidence_of, weigh
from advisor.facts import FactSpec, FactValue, ProbeFacts, facts_from_probe_report, flatten_facts
from advisor.grounding import check_claims
from advisor.recommendation import (
    Caveat,
    EngineNote,
    Flip,
    Part,
    Reason,
    Recommendation,
    RuledOut,
    Scores,
    Tie,
    Trigger,
)
from advisor.rulebook import OPTIONS, CompiledRule, Option, Rulebook, Verdict, load_rulebook

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport

Facts = Mapping[str, FactValue]

APP_OSES, APP_COUNT, LINUX_APP_COUNT = (
    "answers.app_oses",
    "answers.app_count",
    "answers.linux_app_count",
)
# The answers a mixed estate's parts are weighed by, beside those the rules read.
SPLIT_FACTS = (APP_OSES, APP_COUNT, LINUX_APP_COUNT)
_PART_CHANGES = frozenset((APP_OSES, APP_COUNT))
_SPLIT_NAMES = frozenset(SPLIT_FACTS)


@dataclass(frozen=True)
class _Decision:
    fired: tuple[CompiledRule, ...]
    scores: dict[Option, int]
    ruled_out: dict[Option, tuple[str, ...]]
    # Every possible option sharing the top score, in tie order; empty when every option is
    # ruled out.
    tied: tuple[Option, ...]

    @property
    def verdict(self) -> Option | None:
        return self.tied[0] if self.tied else None

    @property
    def margin(self) -> int:
        """The verdict's score minus the best other option still possible; with every other
        option ruled out, the verdict's own points (none below 0)."""
        if self.verdict is None:
            return 0
        others = [self.scores[option] for option in self._rivals]
        own = self.scores[self.verdict]
        return own - max(others) if others else max(own, 0)

    @property
    def _rivals(self) -> list[Option]:
        return [
            option for option in OPTIONS if option != self.verdict and option not in self.ruled_out
        ]


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
    parts = _parts(rulebook, facts)
    verdict = _combined(decision.verdict, [part.verdict for _, part in parts])
    flips = tuple(_flips(rulebook, facts, verdict))
    advised = _advised(verdict, decision, parts)
    # A split is as sure as its less sure part that something serves (that nothing serves a
    # part is forced by its rule-outs); where nothing serves at all, the rule-outs decide.
    served = [part for _, part in parts if part.verdict is not None]
    measured = served if verdict == "split" else [decision]
    margin = min(item.margin for item in measured)
    confidence, evidence = min(
        (
            (confidence_of(rulebook, found), found)
            for found in (_evidence(rulebook, item) for item in measured)
        ),
        key=lambda pair: _CONFIDENCE_ORDER.index(pair[0]),
    )
    return Recommendation(
        ruleset_version=rulebook.version,
        project_name=answers.project_name,
        verdict=verdict,
        scores=Scores(**decision.scores),
        margin=margin,
        confidence=confidence,
        evidence=evidence,
        tie=_tie(rulebook, decision) if verdict == decision.verdict else None,
        ruled_out=_ruled_out(decision),
        reasons=_reasons(decision, facts, advised),
        caveats=_caveats(rulebook, decision, facts, verdict, advised),
        flips=tuple(flip for flip in flips if flip.current is not None),
        worth_answering=tuple(flip for flip in flips if flip.current is None),
        grounding=check_claims(probe_facts) if probe_facts is not None else (),
        parts=tuple(_part(rulebook, part_facts, part) for part_facts, part in parts)
        if verdict == "split"
        else (),
        instead=_instead(decision) if verdict == "none" else (),
    )


_CONFIDENCE_ORDER: tuple[Confidence, ...] = ("low", "medium", "high")


def _instead(decision: _Decision) -> tuple[str, ...]:
    """What would serve, from the rules that ruled options out: first the rule that kept
    the best-scored option away."""
    serving = [item for item in decision.fired if item.rule.instead is not None]
    serving.sort(key=lambda item: -max(decision.scores[option] for option in item.rule.rules_out))
    return tuple(str(item.rule.instead) for item in serving)


def _ruled_out(decision: _Decision) -> tuple[RuledOut, ...]:
    return tuple(RuledOut(option=option, by=by) for option, by in decision.ruled_out.items())


def _evidence(rulebook: Rulebook, decision: _Decision) -> Evidence:
    if decision.verdict is None:
        return Evidence(rival=None, lead=0, factors=())
    return weigh(rulebook, decision.fired, decision.verdict, decision.ruled_out)


def _part(rulebook: Rulebook, facts: Facts, decision: _Decision) -> Part:
    oses, count = facts[APP_OSES], facts[APP_COUNT]
    assert isinstance(oses, tuple)
    evidence = _evidence(rulebook, decision)
    return Part(
        app_oses=tuple(str(name) for name in oses),
        app_count=count if isinstance(count, int) else None,
        verdict=decision.verdict or "none",
        instead=_instead(decision) if decision.verdict is None else (),
        scores=Scores(**decision.scores),
        margin=decision.margin,
        confidence=confidence_of(rulebook, evidence),
        evidence=evidence,
        ruled_out=_ruled_out(decision),
    )


def _advised(
    verdict: Verdict, decision: _Decision, parts: list[tuple[Facts, _Decision]]
) -> tuple[Option, ...]:
    if verdict == "split":
        return tuple(part.verdict for _, part in parts if part.verdict is not None)
    return () if decision.verdict is None else (decision.verdict,)


def _combined(whole: Option | None, parts: list[Option | None]) -> Verdict:
    """The verdict from the whole estate's option and its parts' (None where nothing serves):
    "split" where the parts come out differently and something serves one of them, else
    the whole estate's option, or "none" where nothing serves it.

    A part that nothing serves splits off: Linux services beside macOS applications on a
    Linux host go to their own option, and the advice says the macOS part needs other
    hardware, rather than leaving the whole estate without advice."""
    if len(set(parts)) > 1:
        return "split"
    return "none" if whole is None else whole


def part_facts(facts: Facts) -> tuple[Facts, ...]:
    """A mixed estate's parts: the Linux applications, and those that need the other OSes,
    each with its own count where the Linux count was answered. None for an estate of one OS
    (or only non-Linux OSes, which go where their OS runs alike)."""
    oses = facts[APP_OSES]
    if not isinstance(oses, tuple) or "linux" not in oses or len(oses) < 2:
        return ()
    count, linux = facts[APP_COUNT], facts.get(LINUX_APP_COUNT)
    counts: tuple[FactValue, FactValue] = (None, None)
    if isinstance(count, int) and isinstance(linux, int) and linux < count:
        counts = (linux, count - linux)
    others = tuple(sorted(name for name in oses if name != "linux"))
    return (
        {**facts, APP_OSES: ("linux",), APP_COUNT: counts[0]},
        {**facts, APP_OSES: others, APP_COUNT: counts[1]},
    )


def _parts(rulebook: Rulebook, facts: Facts) -> list[tuple[Facts, _Decision]]:
    return [(each, _decide(rulebook, each)) for each in part_facts(facts)]


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
    return _Decision(fired, scores, ruled_out, _tied(rulebook, scores, set(ruled_out)))


def _tied(
    rulebook: Rulebook, scores: Mapping[Option, int], ruled_out: set[Option]
) -> tuple[Option, ...]:
    """The options sharing the top score among those still possible, in tie order; none
    when the rules rule out every option."""
    possible = [option for option in rulebook.info.tie_order if option not in ruled_out]
    if not possible:
        return ()
    best = max(scores[option] for option in possible)
    return tuple(option for option in possible if scores[option] == best)


def _tie(rulebook: Rulebook, decision: _Decision) -> Tie | None:
    if len(decision.tied) < 2:
        return None
    return Tie(
        options=decision.tied,
        points=decision.scores[decision.tied[0]],
        rationale=rulebook.info.tie_rationale,
    )


def _triggers(rule: CompiledRule, facts: Facts) -> tuple[Trigger, ...]:
    return tuple(Trigger(fact=name, value=facts[name]) for name in rule.triggers(facts))


def _reasons(decision: _Decision, facts: Facts, advised: tuple[Option, ...]) -> tuple[Reason, ...]:
    moving = [
        item
        for item in decision.fired
        if item.rule.rules_out or any(item.rule.effect.points(option) for option in OPTIONS)
    ]

    def strength(item: CompiledRule) -> int:
        # Where nothing serves, the rules that ruled the options out are the reasons.
        if not advised:
            return len(item.rule.rules_out)
        return max(item.rule.effect.points(option) for option in advised)

    # Reasons for the verdict first, strongest first; rules keep file order among equals.
    moving.sort(key=lambda item: -strength(item))
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


def _caveats(
    rulebook: Rulebook,
    decision: _Decision,
    facts: Facts,
    verdict: Verdict,
    advised: tuple[Option, ...],
) -> tuple[Caveat, ...]:
    caveats = [
        Caveat(
            rule_id=item.rule.id,
            claims=item.rule.claims,
            text=item.rule.caveat,
            triggers=_triggers(item, facts),
        )
        for item in decision.fired
        if item.rule.caveat_applies(advised)
    ]
    # The engine's notes compare one verdict with the other options: a split weighs its
    # parts apart, and where nothing serves there is nothing to compare.
    if verdict != decision.verdict or decision.verdict is None:
        return tuple(caveats)
    chosen = decision.verdict
    for option in OPTIONS:
        if option == chosen:
            continue
        if option in decision.ruled_out:
            if decision.scores[option] > decision.scores[chosen]:
                caveats.append(_ruled_out_note(decision, option, chosen))
            continue
        pulling = [
            item
            for item in decision.fired
            if item.rule.effect.points(option) > item.rule.effect.points(chosen)
        ]
        pull = sum(
            item.rule.effect.points(option) - item.rule.effect.points(chosen) for item in pulling
        )
        if pull >= rulebook.info.tension_caveat_points:
            caveats.append(_tension_note(decision, option, chosen, pulling, pull))
    return tuple(caveats)


def _ruled_out_note(decision: _Decision, option: Option, chosen: Option) -> Caveat:
    note = EngineNote(
        kind="ruled_out_lead",
        option=option,
        points=decision.scores[option],
        lead=decision.scores[option] - decision.scores[chosen],
        rules=decision.ruled_out[option],
    )
    return Caveat(rule_id=None, claims=(), text=None, triggers=(), note=note)


def _tension_note(
    decision: _Decision, option: Option, chosen: Option, pulling: list[CompiledRule], pull: int
) -> Caveat:
    lead = decision.scores[chosen] - decision.scores[option]
    claims = tuple(dict.fromkeys(claim for item in pulling for claim in item.rule.claims))
    note = EngineNote(
        kind="tension",
        option=option,
        points=pull,
        lead=lead,
        rules=tuple(item.rule.id for item in pulling),
    )
    return Caveat(rule_id=None, claims=claims, text=None, triggers=(), note=note)


class _Weigher:
    """Scores for facts that differ from one set in a few names, without weighing again the
    rules that read none of them: their points and rule-outs are summed once per set of
    names changed."""

    def __init__(self, rulebook: Rulebook, facts: Facts) -> None:
        self._rulebook = rulebook
        self._facts = facts
        self._fired = [rule for rule in rulebook.rules if rule.fires(facts)]
        self._settled: dict[frozenset[str], tuple[dict[Option, int], set[Option]]] = {}
        self._reading: dict[frozenset[str], tuple[CompiledRule, ...]] = {}
        # A mixed estate's parts, each weighed the same way from its own facts.
        self._parts = [_Weigher(rulebook, each) for each in part_facts(facts)]

    def tied(self, facts: Facts, changed: frozenset[str]) -> tuple[Option, ...]:
        """The options tied at the top for `facts`, which differ only in `changed`."""
        if changed not in self._settled:
            settled = [rule for rule in self._fired if not rule.reads & changed]
            self._settled[changed] = (
                {
                    option: sum(rule.rule.effect.points(option) for rule in settled)
                    for option in OPTIONS
                },
                {option for rule in settled for option in rule.rule.rules_out},
            )
            reading = self._rulebook.rules_reading
            # Each rule once, in file order; by identity, as hashing a rule costs more.
            found = {id(rule): rule for name in changed for rule in reading.get(name, ())}
            self._reading[changed] = tuple(
                rule for rule in self._rulebook.rules if id(rule) in found
            )
        base, base_out = self._settled[changed]
        scores, ruled_out = dict(base), set(base_out)
        for rule in self._reading[changed]:
            if rule.fires(facts):
                for option in OPTIONS:
                    scores[option] += rule.rule.effect.points(option)
                ruled_out.update(rule.rule.rules_out)
        return _tied(self._rulebook, scores, ruled_out)

    def verdict(self, facts: Facts, changed: frozenset[str]) -> Verdict:
        """The verdict for `facts`, a mixed estate's split included."""
        whole = self.tied(facts, changed)
        if changed & _SPLIT_NAMES:
            parts = [self.tied(each, changed | _PART_CHANGES) for each in part_facts(facts)]
        else:
            # The parts are the same as before: only the changed answers differ in them.
            update = {name: facts[name] for name in changed}
            parts = [part.tied({**part._facts, **update}, changed) for part in self._parts]
        return _combined(whole[0] if whole else None, [tied[0] if tied else None for tied in parts])


def _flips(rulebook: Rulebook, facts: Facts, verdict: Verdict) -> Iterator[Flip]:
    """For each answer the advice reads, the smallest change to it that changes the verdict,
    to a setup that could exist; for a question not answered, the first answer that would."""
    weigher = _Weigher(rulebook, facts)
    for name in _answers_read(rulebook):
        current = facts[name]
        changed_names = frozenset((name,))
        for candidate in _alternatives(rulebook.fact_specs[name], current, rulebook, facts):
            changed = dict(facts)
            changed[name] = candidate
            if not _could_exist(changed):
                continue
            outcome = weigher.verdict(changed, changed_names)
            if outcome != verdict:
                field = name.partition(".")[2]
                yield Flip(field=field, current=current, value=candidate, verdict=outcome)
                break


def _answers_read(rulebook: Rulebook) -> tuple[str, ...]:
    """The answers some rule reads, and those that weigh a mixed estate's parts, in the order
    of the answers form."""
    read = set(rulebook.answer_facts_used) | {
        name for name in SPLIT_FACTS if name in rulebook.fact_specs
    }
    return tuple(name for name in rulebook.fact_specs if name in read)


def _could_exist(facts: Facts) -> bool:
    """Whether answers describe a project that could exist: no more trust boundaries than
    applications to put in them, no hardware beside "none", and in a mixed estate fewer
    Linux applications than applications."""
    boundaries, count = facts.get("answers.trust_boundaries"), facts.get(APP_COUNT)
    if isinstance(boundaries, int) and isinstance(count, int) and boundaries > count:
        return False
    linux, oses = facts.get(LINUX_APP_COUNT), facts.get(APP_OSES)
    mixed = isinstance(oses, tuple) and "linux" in oses and len(oses) > 1
    if mixed and isinstance(linux, int) and isinstance(count, int) and linux >= count:
        return False
    hardware = facts.get("answers.hardware")
    return not (isinstance(hardware, tuple) and "none" in hardware and len(hardware) > 1)


def _alternatives(
    spec: FactSpec, current: FactValue, rulebook: Rulebook, facts: Facts
) -> list[FactValue]:
    """Every other value worth trying for a fact, nearest first."""
    if spec.kind == "number":
        return _number_alternatives(spec, current, _thresholds(spec.name, rulebook, facts))
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


def _thresholds(name: str, rulebook: Rulebook, facts: Facts) -> tuple[float, ...]:
    """The values the rules compare a number with. The Linux count of a mixed estate is each
    part's number of applications, so the thresholds of that number count, for either part."""
    if name != LINUX_APP_COUNT:
        return rulebook.thresholds.get(name, ())
    count = facts.get(APP_COUNT)
    counts = rulebook.thresholds.get(APP_COUNT, ())
    rest = tuple(count - value for value in counts) if isinstance(count, int) else ()
    return counts + rest


def _number_alternatives(
    spec: FactSpec, current: FactValue, thresholds: tuple[float, ...]
) -> list[FactValue]:
    # Between two thresholds nothing changes, so the values either side of each are enough.
    if isinstance(current, bool) or not isinstance(current, int | float | None):
        return []
    low = spec.lowest if spec.lowest is not None else float("-inf")
    high = spec.highest if spec.highest is not None else float("inf")
    values = {int(threshold) + step for threshold in thresholds for step in (-1, 0, 1)}
    values.update(int(bound) for bound in (spec.lowest, spec.highest) if bound is not None)
    nearest_first = sorted(
        (value for value in values if low <= value <= high and value != current),
        key=lambda value: (abs(value - current) if current is not None else value, value),
    )
    return list(nearest_first)
