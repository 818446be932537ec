"""The questions a team answers about its project, as data (rules/questions.toml).

The table is the one place a question is described: its id, whether it is about the project or
an input of the decision, its short name in the step list, the question and its explanation,
the kind of answer with each choice's label, the default or "not answered", and the article's
claims behind it. The answers file format (advisor/answers.py), the app's pages, the JSON
Schema and every report's answers section are made from it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from advisor.base.i18n import N_, _, format_number, localized
from advisor.base.models import FrozenModel
from advisor.datafiles import (
    STRICT,
    Bilingual,
    RulebookError,
    Text,
    data_file,
    english,
    expect_keys,
    parse_toml,
    read_data_file,
    record_label,
    records,
    require_chinese,
    validated,
)

if TYPE_CHECKING:
    from advisor.answers import Answers

QUESTIONS_RESOURCE = "questions.toml"
# The question whose answer names the project in titles and file names.
PROJECT_NAME = "project_name"
NOT_ANSWERED = N_("Not answered")

Role = Literal["project", "decision"]
Kind = Literal["one_choice", "several_choices", "yes_no", "whole_number", "text"]
AnswerValue = str | int | bool | tuple[str, ...] | None


class Choice(Bilingual):
    """One value a choice question offers, as the file holds it and as a person reads it."""

    model_config = STRICT

    value: str = Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$")
    label_en: Text = english("label")
    label_zh: Text | None = None
    # What the choice means, where its label alone does not say it (a level of a scale).
    meaning_en: Text | None = english("meaning", default=None)
    meaning_zh: Text | None = None

    @property
    def label(self) -> str:
        """The choice as a person reads it, in the current language."""
        return localized(self.label_en, self.label_zh)

    @property
    def meaning(self) -> str | None:
        """What the choice means, in the current language; None where the label says it."""
        return localized(self.meaning_en, self.meaning_zh) if self.meaning_en else None


class Question(Bilingual):
    """One question of the answers form, as written in questions.toml."""

    model_config = STRICT

    id: str = Field(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
    role: Role
    step_en: Text = english("step", max_length=24)
    step_zh: Text | None = Field(default=None, max_length=12)
    question_en: Text = english("question")
    question_zh: Text | None = None
    explanation_en: Text = english("explanation")
    explanation_zh: Text | None = None
    kind: Kind
    choices: tuple[Choice, ...] = ()
    # Choices of a several_choices question that stand alone ("none"): never with others.
    exclusive: tuple[str, ...] = ()
    required: bool = False
    default: str | int | bool | tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = Field(default=None, ge=1)
    placeholder_en: Text | None = english("placeholder", default=None)
    placeholder_zh: Text | None = None
    claims: tuple[str, ...] = ()

    @property
    def step(self) -> str:
        """The question's short name, in the step list and the reports."""
        return localized(self.step_en, self.step_zh)

    @property
    def question(self) -> str:
        """The question as asked."""
        return localized(self.question_en, self.question_zh)

    @property
    def explanation(self) -> str:
        """One line saying why the question matters."""
        return localized(self.explanation_en, self.explanation_zh)

    @property
    def placeholder(self) -> str | None:
        """What an empty text answer shows."""
        if self.placeholder_en is None:
            return None
        return localized(self.placeholder_en, self.placeholder_zh)

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        offers_choices = self.kind in ("one_choice", "several_choices")
        if offers_choices and len(self.choices) < 2:
            raise ValueError(f"a {self.kind} question needs two or more choices")
        if not offers_choices and self.choices:
            raise ValueError(f"a {self.kind} question has no choices")
        values = [choice.value for choice in self.choices]
        if len(set(values)) != len(values):
            raise ValueError("each choice's value must be different")
        if self.exclusive and self.kind != "several_choices":
            raise ValueError("'exclusive' is for several_choices questions only")
        if not set(self.exclusive) <= set(values):
            raise ValueError("expected 'exclusive' to name values among the choices")
        is_number = self.kind == "whole_number"
        if is_number != (self.minimum is not None and self.maximum is not None):
            raise ValueError(
                "'minimum' and 'maximum' are for whole_number questions, which need both"
            )
        if is_number and (self.minimum or 0) > (self.maximum or 0):
            raise ValueError("expected 'minimum' no greater than 'maximum'")
        if (self.kind == "text") != (self.max_length is not None):
            raise ValueError("'max_length' is for text questions, which need it")
        if self.placeholder_en is not None and self.kind != "text":
            raise ValueError("'placeholder' is for text questions only")
        if (self.kind == "text") != (self.role == "project"):
            raise ValueError("text questions describe the project (role 'project'), and only they")
        if self.required and self.default is not None:
            raise ValueError("a required question has no default")
        if self.default is not None:
            self._check_default(self.default)
        return self

    def _check_default(self, default: object) -> None:
        expected = {
            "one_choice": isinstance(default, str) and default in self.values,
            "several_choices": isinstance(default, tuple)
            and bool(default)
            and set(default) <= set(self.values)
            and self.alone_problem(default) is None,
            "yes_no": isinstance(default, bool),
            "whole_number": isinstance(default, int)
            and not isinstance(default, bool)
            and (self.minimum or 0) <= default <= (self.maximum or 0),
            "text": isinstance(default, str),
        }[self.kind]
        if not expected:
            raise ValueError(f"the default {default!r} is not an answer this question accepts")

    def alone_problem(self, chosen: tuple[str, ...]) -> str | None:
        """What is wrong with `chosen` where an exclusive choice comes with others, or None."""
        alone = [value for value in self.exclusive if value in chosen]
        if not alone or len(chosen) == 1:
            return None
        labels = {choice.value: choice.label for choice in self.choices}
        others = [labels[value] for value in chosen if value != alone[0]]
        return _(
            "“{alone}” stands alone: expected it without {others}, or those without it"
        ).format(alone=labels[alone[0]], others=_(", ").join(others))

    @property
    def fact(self) -> str:
        """The name rules read this answer by: `answers.<id>`."""
        return f"answers.{self.id}"

    @property
    def is_decision(self) -> bool:
        """Whether rules read this answer (else it only describes the project)."""
        return self.role == "decision"

    @property
    def values(self) -> tuple[str, ...]:
        """The values a choice question accepts, in the order offered."""
        return tuple(choice.value for choice in self.choices)

    @property
    def choice_type(self) -> Any:
        """The type of one chosen value: a Literal of the choices' values."""
        return Literal[self.values]

    @property
    def initial(self) -> AnswerValue:
        """The answer before anyone gives one: the default, or None (not answered)."""
        return self.default

    def label_of(self, value: object) -> str:
        """An answer to this question as a person reads it: 'macOS', 'Yes', '1,000'."""
        if value is None:
            return _(NOT_ANSWERED)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, tuple | list):
            return _(", ").join(self.label_of(item) for item in value)
        if isinstance(value, int):
            return format_number(value)
        labels = {choice.value: choice.label for choice in self.choices}
        return labels.get(str(value), str(value))

    def meaning_of(self, value: object) -> str | None:
        """What a choice of this question means, where the table says it; else None."""
        return next(
            (choice.meaning for choice in self.choices if choice.value == value and choice.meaning),
            None,
        )


class _AnswersTable(FrozenModel):
    model_config = STRICT

    version: int = Field(ge=1)


@dataclass(frozen=True, eq=False)
class Questionnaire:
    """The validated question table, with the answers file format made from it."""

    version: int
    questions: tuple[Question, ...]
    source: str  # the file the table was read from, for messages
    answers_model: type[Answers] = field(repr=False)

    @property
    def by_id(self) -> Mapping[str, Question]:
        """Each question by its id."""
        return MappingProxyType({question.id: question for question in self.questions})

    def question(self, question_id: str) -> Question:
        """One question; KeyError for an id the table does not have."""
        return self.by_id[question_id]

    @property
    def decisions(self) -> tuple[Question, ...]:
        """The questions rules read, in form order."""
        return tuple(question for question in self.questions if question.is_decision)

    @property
    def required(self) -> tuple[Question, ...]:
        """The questions that must be answered, in form order."""
        return tuple(question for question in self.questions if question.required)

    def label_of(self, question_id: str, value: object) -> str:
        """An answer as a person reads it, with the labels of its question's choices."""
        question = self.by_id.get(question_id)
        if question is None:
            return _(NOT_ANSWERED) if value is None else str(value)
        return question.label_of(value)


@functools.cache
def load_questions() -> Questionnaire:
    """The question table shipped in the package (`advisor.rules`), loaded once; every text
    in English and Simplified Chinese, or RulebookError."""
    questionnaire = parse_questions(*data_file(QUESTIONS_RESOURCE))
    require_chinese(
        (f"{questionnaire.source}: question '{question.id}'", question)
        for question in questionnaire.questions
    )
    return questionnaire


def load_questions_from(path: Path) -> Questionnaire:
    """A question table from a file; raises RulebookError (an InputError) naming what is wrong."""
    return parse_questions(read_data_file(path), str(path))


def parse_questions(data: bytes, name: str) -> Questionnaire:
    """Validate a question table; raises RulebookError naming the question and field."""
    from advisor.answers import build_answers_model

    document = parse_toml(data, name)
    expect_keys(document, name, required=("answers", "question"))
    table = validated(_AnswersTable, document["answers"], f"{name}: [answers]")
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(records(document, "question", name), start=1):
        where = f"{name}: {record_label('question', raw, number)}"
        question = validated(Question, raw, where)
        if question.id in seen:
            raise RulebookError(
                f"{where}: field 'id': duplicate question id (question #{seen[question.id]} "
                "has it too)"
            )
        if question.id == "schema_version":
            raise RulebookError(f"{where}: field 'id': 'schema_version' is the file's own field")
        seen[question.id] = number
        questions.append(question)
    project = next((item for item in questions if item.id == PROJECT_NAME), None)
    if project is None or project.kind != "text":
        raise RulebookError(
            f"{name}: expected a text question '{PROJECT_NAME}', which names the project"
        )
    frozen = tuple(questions)
    model = build_answers_model(table.version, frozen)
    questionnaire = Questionnaire(table.version, frozen, name, model)
    model.questionnaire = questionnaire
    return questionnaire
