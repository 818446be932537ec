"""The rule engine: one evaluation with the shipped rules, and how it grows with more rules.

An evaluation is `advisor.engine.recommend` for one answers file with the facts of a recorded
probe run, as the app calls it once the probes have run: rules fired, scores, reasons,
caveats, the answers that would flip the verdict, and the claim checks. It is timed for each
bundled example and averaged over them.

For growth, the benchmark builds rule files (TOML text) holding the shipped rules 10 and 100
times over, each copy's ids renamed, and loads them with `parse_rulebook` as any rule file is
loaded. The three rule books are timed in turn, round after round, so that load weighs on all
alike. Python function calls per evaluation are counted too: a count that no other process
can disturb, which shows whether the work itself grows linearly.
"""

from __future__ import annotations

import cProfile
import pstats
import re
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from common import Row, Section, spread, verdict

from advisor.answers import Answers, load_answers
from advisor.engine import recommend
from advisor.facts import ProbeFacts, facts_from_probe_report
from advisor.probes.models import Stats
from advisor.probes.report import load_probe_report
from advisor.rulebook import (
    CLAIMS_RESOURCE,
    RULES_RESOURCE,
    Rulebook,
    load_rulebook,
    parse_rulebook,
)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PROBE_REPORT = REPO / "tests" / "unit" / "data" / "probe-report.json"
TARGET_MS = 5.0
SCALES = (1, 10, 100)
# Per-rule cost at 100x against 10x: about 1 when the work grows linearly, about 10 were it
# quadratic. Up to 2 leaves room for what timing alone adds (caches, other processes).
LINEAR_TOLERANCE = 2.0
ROUND_SECONDS = 0.2
_RULE_ID = re.compile(r'^id = "([^"]+)"', re.MULTILINE)


def scaled_rules(rules_text: str, times: int) -> str:
    """The rule file with its rules `times` over: copy k's ids end in `-copy-k`."""
    start = rules_text.index("[[rule]]")
    header, body = rules_text[:start], rules_text[start:]

    def renamed(copy: int) -> str:
        return _RULE_ID.sub(lambda found: f'id = "{found[1]}-copy-{copy}"', body)

    copies = [body] + [renamed(k) for k in range(1, times)]
    return header + "\n".join(copies)


def scaled_rulebooks() -> dict[int, Rulebook]:
    """The shipped rule book at 1x (as the app loads it), and at 10x and 100x."""
    package = resources.files("advisor.rules")
    rules_text = package.joinpath(RULES_RESOURCE).read_text(encoding="utf-8")
    claims = package.joinpath(CLAIMS_RESOURCE).read_bytes()
    books = {1: load_rulebook()}
    for times in SCALES[1:]:
        books[times] = parse_rulebook(
            scaled_rules(rules_text, times).encode(), f"rules-x{times}.toml", claims, "claims"
        )
        assert len(books[times].rules) == times * len(books[1].rules)
    return books


def evaluation_seconds(
    rulebook: Rulebook, examples: list[Answers], facts: ProbeFacts
) -> Callable[[], float]:
    """A timer: seconds per evaluation, averaged over the examples, for about ROUND_SECONDS."""

    def one_pass() -> float:
        began = time.perf_counter()
        for answers in examples:
            recommend(answers, rulebook, facts)
        return time.perf_counter() - began

    repeats = max(1, round(ROUND_SECONDS / max(one_pass(), 1e-6)))

    def timed_round() -> float:
        began = time.perf_counter()
        for _ in range(repeats):
            for answers in examples:
                recommend(answers, rulebook, facts)
        return (time.perf_counter() - began) / (repeats * len(examples))

    return timed_round


def calls_per_evaluation(rulebook: Rulebook, examples: list[Answers], facts: ProbeFacts) -> float:
    """Python function calls one evaluation makes, averaged over the examples."""
    profile = cProfile.Profile()
    profile.enable()
    for answers in examples:
        recommend(answers, rulebook, facts)
    profile.disable()
    # typeshed does not declare total_calls, which pstats sets on every Stats.
    total: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return total / len(examples)


def run(rounds: int) -> Section:
    """One evaluation at 1x, 10x and 100x the rules, `rounds` rounds each, interleaved."""
    examples = [load_answers(path) for path in sorted(EXAMPLES.glob("*.json"))]
    facts = facts_from_probe_report(load_probe_report(PROBE_REPORT))
    began = time.perf_counter()
    books = scaled_rulebooks()
    loads_total = time.perf_counter() - began
    timers = {times: evaluation_seconds(book, examples, facts) for times, book in books.items()}
    samples: dict[int, list[float]] = {times: [] for times in SCALES}
    for _ in range(rounds):
        for times in SCALES:
            samples[times].append(timers[times]())
    calls = {times: calls_per_evaluation(books[times], examples, facts) for times in SCALES}
    rule_count = len(books[1].rules)
    stats = {times: Stats.of(values) for times, values in samples.items()}
    per_rule_us = {times: stats[times].median / (times * rule_count) * 1e6 for times in SCALES}
    linear = per_rule_us[100] <= per_rule_us[10] * LINEAR_TOLERANCE
    one = stats[1]
    rows = [
        Row(
            what=f"Rule engine: one evaluation, {rule_count} shipped rules",
            measured=spread(Stats.of([seconds * 1e3 for seconds in samples[1]]), unit="ms"),
            target=f"≤ {TARGET_MS:g} ms",
            verdict=verdict(one.median * 1e3 <= TARGET_MS),
        ),
        Row(
            what="Rule engine: per-rule cost at 1x, 10x, 100x the rules",
            measured=", ".join(f"{per_rule_us[times]:.1f} µs" for times in SCALES),
            compared_with=", ".join(
                f"{times * rule_count} rules: {stats[times].median * 1e3:.1f} ms"
                for times in SCALES
            ),
            ratio=f"100x / 10x per rule: {per_rule_us[100] / per_rule_us[10]:.2f}",
            target=f"linear (ratio ≤ {LINEAR_TOLERANCE:g})",
            verdict=verdict(linear),
        ),
    ]
    note = (
        f"**Rule engine.** One evaluation is `recommend` for each of the {len(examples)} bundled "
        "examples with the facts of the recorded probe run in tests/unit/data, averaged; "
        f"{rounds} rounds of about {ROUND_SECONDS:g} s each per rule book, the three rule books "
        "in turn. The 10x and 100x rule books are the shipped rule file repeated with "
        "renamed ids and loaded by `parse_rulebook`; every copy fires where its original does, "
        "so the work per rule stays the same and only the number of rules grows. At 1x the "
        "per-rule cost also carries the fixed part of an evaluation (the recommendation's "
        "model, the claim checks) over only a few rules. Loading and "
        f"validating all three took {loads_total:.1f} s. Python function calls per "
        "evaluation, counted with cProfile: "
        + ", ".join(f"{times * rule_count} rules: {calls[times]:,.0f}" for times in SCALES)
        + f" ({calls[100] / calls[10]:.2f} times as many at 100x as at 10x)."
    )
    return Section(rows=tuple(rows), notes=(note,))
