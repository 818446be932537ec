"""The answers a team gives about its project: a public, versioned JSON file format.

The format is made from the question table (rules/questions.toml, see advisor/questions.py):
one field per question, its `title` the question, its `description` the one-line explanation,
and `json_schema_extra` the step name, the role and the article's claim IDs. A question with a
default takes it when the file leaves it out; an optional one without a default is null (not
answered) until answered.

Files of an older format version are read too: `schema_version` 1 answers are migrated as
they are validated (its one renamed question takes its new name), and the answers remember
which questions that format never asked, for the reports to say so.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    create_model,
    model_validator,
)

from advisor.base.errors import load_json_model
from advisor.base.i18n import _
from advisor.base.models import FrozenModel
from advisor.questions import AnswerValue, Question, load_questions
from advisor.terminal import is_control

if TYPE_CHECKING:
    from advisor.questions import Questionnaire


class Answers(FrozenModel):
    """One team's answers; the input of every recommendation.

    Its fields come from the question table: the two declared here are the file's format
    version and the project's name, which every table has and the reports title themselves by.
    """

    model_config = ConfigDict(strict=True, title="dvm-advisor answers")

    # The question table this model was made from (set for each model made).
    questionnaire: ClassVar[Questionnaire]

    schema_version: int
    project_name: str | None = None

    # The questions of this table that the file's older format never asked.
    _not_asked: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _read_any_version(cls, data: Any, handler: ModelWrapValidatorHandler[Answers]) -> Answers:
        not_asked: tuple[str, ...] = ()
        if isinstance(data, dict):
            # Read as Python data from here on, where lists of choices are tuples.
            data = {key: tuple(v) if isinstance(v, list) else v for key, v in data.items()}
            version = cls.questionnaire.version
            if data.get("schema_version") == 1 and version > 1:
                data, not_asked = migrate_version_1(data, cls.questionnaire)
        answers = handler(data)
        if not_asked:
            answers._not_asked = not_asked
        return answers

    @property
    def not_asked(self) -> tuple[str, ...]:
        """The question ids an older file format did not ask; empty for a current file."""
        return self._not_asked

    def noting_not_asked(self, question_ids: tuple[str, ...]) -> Answers:
        """These answers, noting that an older format did not ask `question_ids`."""
        copy = self.model_copy()
        copy._not_asked = question_ids
        return copy

    def value(self, question_id: str) -> AnswerValue:
        """The answer to one question: lists as tuples, None when not answered."""
        value = getattr(self, question_id)
        if isinstance(value, list):
            return tuple(value)
        result: AnswerValue = value
        return result


# Answers format version 1: the questions it asked, and the one renamed since (its "own
# kernel or kernel modules" is, as its rules read it, a kernel of the applications' own).
VERSION_1_QUESTIONS = (
    "project_name",
    "host_os",
    "app_oses",
    "security",
    "app_count",
    "dependency_conflicts",
    "fast_startup_matters",
    "resources_scarce",
    "replicate_across_machines",
    "needs_own_kernel",
)
VERSION_1_RENAMED = {"needs_own_kernel": "own_kernel"}
VERSION_1_SCHEMA = "answers-v1.schema.json"


def migrate_version_1(
    document: dict[str, Any], questions: Questionnaire
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A version-1 answers document as the current format, and the questions it never asked."""
    migrated = {VERSION_1_RENAMED.get(key, key): value for key, value in document.items()}
    migrated["schema_version"] = questions.version
    asked = {VERSION_1_RENAMED.get(key, key) for key in VERSION_1_QUESTIONS}
    not_asked = tuple(question.id for question in questions.questions if question.id not in asked)
    return migrated, not_asked


def answers_json_schema(questions: Questionnaire) -> dict[str, Any]:
    """The JSON Schema of answers files: the current format, or version 1 (read and migrated)."""
    current = questions.answers_model.model_json_schema()
    if questions.version == 1:
        return current
    version_1 = json.loads(resources.files("advisor.rules").joinpath(VERSION_1_SCHEMA).read_text())
    return {
        "title": "dvm-advisor answers",
        "description": f"An answers file of format version {questions.version} (current) or 1.",
        "oneOf": [current, version_1],
    }


def one_line_text(value: str | None) -> str | None:
    """Refuse text that is not one line of plain text: control characters (C0, DEL, C1),
    other line breaks and bidirectional controls could rewrite or reorder what a terminal or
    a report shows around it."""
    if value is not None and any(is_control(char) for char in value):
        raise ValueError(
            _(
                "expected one line of plain text, without control characters, line separators "
                "or bidirectional controls"
            )
        )
    return value


def _each_once(value: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(value)) != len(value):
        raise ValueError(_("expected each choice at most once"))
    return value


def _at_least_one(question: Question) -> Any:
    """A check that says, in the choices' own words, that an empty list answers nothing."""

    def check(value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            labels = _(", ").join(choice.label for choice in question.choices)
            raise ValueError(_("choose at least one ({choices})").format(choices=labels))
        return value

    return AfterValidator(check)


def _alone(question: Question) -> Any:
    """A check that an exclusive choice ("none") is not given with others."""

    def check(value: tuple[str, ...]) -> tuple[str, ...]:
        problem = question.alone_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


def _answer_type(question: Question) -> Any:
    """The type an answer to `question` must have (before "not answered" is allowed)."""
    if question.kind == "yes_no":
        return bool
    if question.kind == "whole_number":
        return Annotated[int, Field(ge=question.minimum, le=question.maximum)]
    if question.kind == "text":
        return Annotated[str, Field(max_length=question.max_length), AfterValidator(one_line_text)]
    if question.kind == "one_choice":
        return question.choice_type
    several: Any = tuple[question.choice_type, ...]  # type: ignore[name-defined]
    return Annotated[
        several,
        # At least one: checked below, to say so in plain words; minItems tells the schema.
        Field(max_length=len(question.choices), json_schema_extra={"minItems": 1}),
        _at_least_one(question),
        AfterValidator(_each_once),
        _alone(question),
    ]


def _field(question: Question) -> tuple[Any, Any]:
    extra: dict[str, Any] = {"step": question.step, "role": question.role}
    if question.claims:
        extra["claims"] = list(question.claims)
    answer_type = _answer_type(question)
    title, description = question.question, question.explanation
    if question.required:
        return answer_type, Field(title=title, description=description, json_schema_extra=extra)
    # A question with a default always has an answer; one without may be left unanswered.
    default: Any = question.initial
    return answer_type if default is not None else answer_type | None, Field(
        default, title=title, description=description, json_schema_extra=extra
    )


def build_answers_model(version: int, questions: tuple[Question, ...]) -> type[Answers]:
    """The answers file format for one question table."""
    fields: dict[str, Any] = {
        "schema_version": (
            Literal[version],
            Field(
                title="Format version",
                description=f"Version of this file format; {version} is the current version.",
            ),
        )
    }
    fields.update((question.id, _field(question)) for question in questions)
    model: type[Answers] = create_model("Answers", __base__=Answers, __module__=__name__, **fields)
    return model


def load_answers(source: str | Path, questions: Questionnaire | None = None) -> Answers:
    """Load answers from a JSON file, or standard input when `source` is '-'.

    Raises InputError with one line naming the field and what was expected.
    """
    return load_json_model((questions or load_questions()).answers_model, source)
