"""Answers for tests, in the shipped answers format (made from the shipped question table)."""

from __future__ import annotations

from typing import Any

from advisor.answers import Answers
from advisor.questions import load_questions

# The smallest complete answers: every required question answered, every other one left.
REQUIRED_ANSWERS: dict[str, Any] = {
    "schema_version": 1,
    "host_os": "linux",
    "app_oses": ("linux",),
    "security": "standard",
    "app_count": 1,
    "dependency_conflicts": False,
}


def answers_model() -> type[Answers]:
    """The shipped answers format."""
    return load_questions().answers_model


def make_answers(**fields: Any) -> Answers:
    """Answers validated by the shipped format: `fields` as given, nothing filled in."""
    return answers_model().model_validate(fields)
