"""Answers for tests, in the shipped answers format (made from the shipped question table)."""

from __future__ import annotations

from typing import Any

from advisor.answers import Answers
from advisor.questions import Question, load_questions

# The smallest complete answers: every required question answered, every other one left.
REQUIRED_ANSWERS: dict[str, Any] = {
    "schema_version": 2,
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
    """Answers validated by the shipped format: `fields` as given, and any required question
    they leave out given its first possible answer (so a new required question in the table
    needs no change here)."""
    questions = load_questions()
    for question in questions.required:
        if question.id not in fields:
            fields[question.id] = _first_answer(question)
    return questions.answers_model.model_validate({"schema_version": questions.version, **fields})


def _first_answer(question: Question) -> Any:
    if question.kind == "yes_no":
        return False
    if question.kind == "whole_number":
        return question.minimum
    if question.kind == "several_choices":
        return question.values[:1]
    if question.kind == "one_choice":
        return question.values[0]
    return "x"
