"""The question table: every entry keeps the invariants, and a broken table is one clear line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from advisor.datafiles import RulebookError
from advisor.engine import SPLIT_FACTS
from advisor.questions import Question, load_questions, parse_questions
from advisor.rulebook import load_rulebook

SHIPPED = load_questions()
RULEBOOK = load_rulebook()
QUESTIONS_TEXT = resources.files("advisor.rules").joinpath("questions.toml").read_text("utf-8")


def facts_rules_read() -> set[str]:
    from tests.unit.test_rulebook import comparisons

    return {
        str(item.fact)
        for compiled in RULEBOOK.rules
        for item in comparisons(compiled.rule.condition)
    }


@pytest.mark.parametrize("question", SHIPPED.questions, ids=lambda question: question.id)
def test_every_question_keeps_the_invariants(question: Question) -> None:
    assert question.step.strip() and question.question.strip() and question.explanation.strip()
    assert all(choice.label.strip() for choice in question.choices)
    assert all(claim in RULEBOOK.claims for claim in question.claims)
    if question.is_decision:
        assert question.question.endswith("?")
        assert question.claims, "a decision question names the claims behind it"
        # The engine itself reads the counts that weigh a mixed estate's parts.
        read = facts_rules_read() | set(SPLIT_FACTS)
        assert question.fact in read, "no rule reads this decision question"
        assert question.fact in RULEBOOK.fact_specs
    else:
        assert question.fact not in RULEBOOK.fact_specs


def test_every_fact_a_rule_reads_is_a_question_or_a_probe_fact() -> None:
    questions = {question.fact for question in SHIPPED.decisions}
    for fact in facts_rules_read():
        namespace = fact.partition(".")[0]
        assert fact in questions or namespace == "probe", fact


def test_the_answers_format_has_one_field_per_question_in_table_order() -> None:
    fields = list(SHIPPED.answers_model.model_fields)
    assert fields[0] == "schema_version"
    assert sorted(fields[1:]) == sorted(question.id for question in SHIPPED.questions)
    schema = SHIPPED.answers_model.model_json_schema()
    for question in SHIPPED.questions:
        entry = schema["properties"][question.id]
        assert entry["title"] == question.question
        assert entry["step"] == question.step
        assert (question.id in schema.get("required", ())) == question.required


def test_steps_are_unique() -> None:
    steps = [question.step for question in SHIPPED.questions]
    assert len(set(steps)) == len(steps)


def table(tmp_path: Path, extra: str) -> bytes:
    return (QUESTIONS_TEXT + extra).encode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(
            '\n[[question]]\nid = "gpu"\nrole = "decision"\nstep = "GPU"\n'
            'question = "GPU?"\nexplanation = "x"\nkind = "yes_no"\nchoices = '
            '[{ value = "a", label = "A" }]\n',
            "question 'gpu'.*has no choices",
            id="choices-on-yes-no",
        ),
        pytest.param(
            '\n[[question]]\nid = "gpu"\nrole = "decision"\nstep = "GPU"\n'
            'question = "GPU?"\nexplanation = "x"\nkind = "yes_no"\n',
            None,
            id="a-valid-optional-question",
        ),
        pytest.param(
            '\n[[question]]\nid = "gpu"\nrole = "decision"\nquestion = "GPU?"\n'
            'explanation = "x"\nkind = "yes_no"\n',
            "question 'gpu': field 'step' is missing",
            id="no-step-label",
        ),
        pytest.param(
            '\n[[question]]\nid = "host_os"\nrole = "decision"\nstep = "Again"\n'
            'question = "Again?"\nexplanation = "x"\nkind = "yes_no"\n',
            "duplicate question id",
            id="duplicate-id",
        ),
        pytest.param(
            '\n[[question]]\nid = "n"\nrole = "decision"\nstep = "N"\nquestion = "N?"\n'
            'explanation = "x"\nkind = "whole_number"\nminimum = 5\nmaximum = 1\n',
            "'minimum' no greater than 'maximum'",
            id="empty-range",
        ),
        pytest.param(
            '\n[[question]]\nid = "n"\nrole = "decision"\nstep = "N"\nquestion = "N?"\n'
            'explanation = "x"\nkind = "yes_no"\nrequired = true\ndefault = false\n',
            "a required question has no default",
            id="required-with-default",
        ),
        pytest.param(
            '\n[[question]]\nid = "n"\nrole = "decision"\nstep = "N"\nquestion = "N?"\n'
            'explanation = "x"\nkind = "one_choice"\ndefault = "c"\nchoices = '
            '[{ value = "a", label = "A" }, { value = "b", label = "B" }]\n',
            "the default 'c' is not an answer",
            id="default-not-a-choice",
        ),
        pytest.param(
            '\n[[question]]\nid = "n"\nrole = "decision"\nstep = "N"\nquestion = "N?"\n'
            'explanation = "x"\nkind = "several_choices"\nexclusive = ["c"]\nchoices = '
            '[{ value = "a", label = "A" }, { value = "b", label = "B" }]\n',
            "'exclusive' to name values among the choices",
            id="exclusive-not-a-choice",
        ),
        pytest.param(
            '\n[[question]]\nid = "n"\nrole = "decision"\nstep = "N"\nquestion = "N?"\n'
            'explanation = "x"\nkind = "several_choices"\nexclusive = ["a"]\n'
            'default = ["a", "b"]\nchoices = '
            '[{ value = "a", label = "A" }, { value = "b", label = "B" }]\n',
            "the default \\('a', 'b'\\) is not an answer",
            id="default-breaks-exclusive",
        ),
    ],
)
def test_a_broken_table_is_one_line_naming_the_question(
    tmp_path: Path, extra: str, message: str | None
) -> None:
    if message is None:
        questionnaire = parse_questions(table(tmp_path, extra), "questions.toml")
        assert questionnaire.question("gpu").initial is None
        return
    with pytest.raises(RulebookError, match=message) as caught:
        parse_questions(table(tmp_path, extra), "questions.toml")
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("questions.toml: ")


def test_a_table_without_the_project_name_is_refused() -> None:
    text = QUESTIONS_TEXT.replace('id = "project_name"', 'id = "title"')
    with pytest.raises(RulebookError, match="expected a text question 'project_name'"):
        parse_questions(text.encode(), "questions.toml")
