"""The shares of high, medium and low confidence, and of each verdict, over the answer space.

The space is every answer each decision question accepts, "not answered" included, and for
whole numbers the values either side of each threshold a rule compares them with; answer
sets that describe no possible project (more trust boundaries than applications) are left
out. It is too large to walk (some 10^13 combinations), so fixed-seed samples are taken, the
same figures every run, in two profiles:

- uniform: every answer of every question equally likely ("not answered" is one of them);
- sparse: each optional question answered with probability 1/4, then uniformly, as a
  project that states only its few deciding facts.

docs/decision-model.md quotes the output.

    .venv/bin/python scripts/confidence_shares.py [SAMPLES]
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from typing import Any

from advisor.engine import advise
from advisor.questions import Question
from advisor.rulebook import load_rulebook

SPARSE_ANSWERED = 0.25


def values_of(question: Question, thresholds: tuple[float, ...]) -> list[Any]:
    """Every answer worth telling apart for one question ("not answered" not included)."""
    if question.kind == "yes_no":
        return [False, True]
    if question.kind == "one_choice":
        return list(question.values)
    if question.kind == "several_choices":
        names = list(question.values)
        subsets = [
            subset for size in range(1, len(names) + 1) for subset in combinations(names, size)
        ]
        # An exclusive choice ("none") stands alone: the answers format refuses it with others.
        alone = set(question.exclusive)
        return [subset for subset in subsets if len(subset) == 1 or not alone & set(subset)]
    low, high = question.minimum or 1, question.maximum or 1
    numbers = {low, high} | {int(t) + step for t in thresholds for step in (-1, 0)}
    return sorted(number for number in numbers if low <= number <= high)


def could_exist(chosen: dict[str, Any]) -> bool:
    """No more trust boundaries than applications to put in them."""
    boundaries, count = chosen.get("trust_boundaries"), chosen.get("app_count")
    return not (isinstance(boundaries, int) and isinstance(count, int) and boundaries > count)


Pick = Callable[[random.Random, Question, list[Any]], Any]


def shares(samples: int, pick: Pick, seed: int) -> dict[str, Counter[str]]:
    """Confidence and verdict counts over `samples` answer sets drawn by `pick`."""
    rulebook = load_rulebook()
    questions = rulebook.questions
    pools = {
        question.id: (question, values_of(question, rulebook.thresholds.get(question.fact, ())))
        for question in questions.decisions
    }
    chooser = random.Random(seed)
    counters: dict[str, Counter[str]] = {
        "confidence": Counter(),
        "verdict": Counter(),
        "confidence, every other option ruled out": Counter(),
        "confidence, another option still possible": Counter(),
        "splits, by whether every part is served": Counter(),
    }
    taken = 0
    while taken < samples:
        chosen = {field: pick(chooser, question, pool) for field, (question, pool) in pools.items()}
        if not could_exist(chosen):
            continue
        taken += 1
        answers = questions.answers_model.model_validate(
            {"schema_version": questions.version, **chosen}
        )
        recommendation = advise(answers, rulebook=rulebook)
        counters["confidence"][recommendation.confidence] += 1
        counters["verdict"][recommendation.verdict] += 1
        forced = recommendation.evidence.rival is None
        part = "every other option ruled out" if forced else "another option still possible"
        counters[f"confidence, {part}"][recommendation.confidence] += 1
        if recommendation.verdict == "split":
            served = all(part.served for part in recommendation.parts)
            counters["splits, by whether every part is served"][
                "every part served" if served else "a part nothing serves"
            ] += 1
    return counters


def optional(question: Question) -> bool:
    return not question.required and question.initial is None


def uniform(chooser: random.Random, question: Question, pool: list[Any]) -> Any:
    return chooser.choice([None, *pool] if optional(question) else pool)


def sparse(chooser: random.Random, question: Question, pool: list[Any]) -> Any:
    if optional(question) and chooser.random() >= SPARSE_ANSWERED:
        return None
    return chooser.choice(pool)


def main(samples: int) -> None:
    for name, pick in (("uniform", uniform), ("sparse", sparse)):
        print(f"{name}, {samples} answer sets:")
        for label, counter in shares(samples, pick, seed=14).items():
            total = sum(counter.values())
            parts = ", ".join(f"{key} {count / total:.1%}" for key, count in counter.most_common())
            print(f"  {label} ({total / samples:.1%} of the samples): {parts}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
