"""The shares of high, medium and low confidence, and of each verdict, over the answer space.

The space is every answer each decision question accepts, "not answered" included, and for
whole numbers the values either side of each threshold a rule compares them with. It is too
large to walk (some 10^13 combinations), so a fixed-seed uniform sample of it is taken:
the same figures every run. docs/decision-model.md quotes its output.

    .venv/bin/python scripts/confidence_shares.py [SAMPLES]
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from itertools import combinations
from typing import Any

from advisor.engine import advise
from advisor.questions import Question
from advisor.rulebook import load_rulebook


def values_of(question: Question, thresholds: tuple[float, ...]) -> list[Any]:
    """Every answer worth telling apart for one question."""
    values: list[Any] = [None] if not question.required and question.initial is None else []
    if question.kind == "yes_no":
        return [*values, False, True]
    if question.kind == "one_choice":
        return values + list(question.values)
    if question.kind == "several_choices":
        names = list(question.values)
        return values + [
            subset for size in range(1, len(names) + 1) for subset in combinations(names, size)
        ]
    low, high = question.minimum or 1, question.maximum or 1
    numbers = {low, high} | {int(t) + step for t in thresholds for step in (-1, 0)}
    return values + sorted(number for number in numbers if low <= number <= high)


def main(samples: int) -> None:
    rulebook = load_rulebook()
    questions = rulebook.questions
    pools = {
        question.id: values_of(question, rulebook.thresholds.get(question.fact, ()))
        for question in questions.decisions
    }
    chooser = random.Random(14)
    confidence: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    for _ in range(samples):
        chosen = {field: chooser.choice(pool) for field, pool in pools.items()}
        answers = questions.answers_model.model_validate(
            {"schema_version": questions.version, **chosen}
        )
        recommendation = advise(answers, rulebook=rulebook)
        confidence[recommendation.confidence] += 1
        verdicts[recommendation.verdict] += 1
    for name, counter in (("confidence", confidence), ("verdict", verdicts)):
        shares = ", ".join(f"{key} {count / samples:.1%}" for key, count in counter.most_common())
        print(f"{name}: {shares}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
