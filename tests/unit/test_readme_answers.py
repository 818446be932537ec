"""README's table of the answers file is the question table's: made from it, checked here.

When a question changes, run this file: a failure prints the table to paste between the
`answers-table` markers of README.md.
"""

from __future__ import annotations

from pathlib import Path

from advisor.questions import Question, Questionnaire, load_questions

README = Path(__file__).resolve().parents[2] / "README.md"
BEGIN, END = "<!-- answers-table: begin -->", "<!-- answers-table: end -->"


def _type(question: Question) -> str:
    choices = " \\| ".join(f"`{value}`" for value in question.values)
    if question.kind == "one_choice":
        return choices
    if question.kind == "several_choices":
        return f"non-empty list of {choices}"
    if question.kind == "yes_no":
        return "boolean"
    if question.kind == "whole_number":
        return f"integer {question.minimum:,} … {question.maximum:,}"
    return f"text, one line, ≤ {question.max_length} characters"


def _default(question: Question) -> str:
    if question.required:
        return "required"
    if question.initial is None:
        return "`null` (not answered)"
    return f"`{str(question.initial).lower()}`"


def answers_table(questions: Questionnaire) -> str:
    """The README's table of the answers file's fields."""
    rows = [
        "| field | type | default | the question |",
        "| --- | --- | --- | --- |",
        f"| `schema_version` | `{questions.version}` | required | the format version |",
    ]
    rows += [
        f"| `{q.id}` | {_type(q)} | {_default(q)} | {q.question} |" for q in questions.questions
    ]
    return "\n".join(rows)


def test_the_readme_table_is_the_question_tables() -> None:
    text = README.read_text(encoding="utf-8")
    shown = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    expected = answers_table(load_questions())
    assert shown == expected, f"paste this between the markers:\n{expected}"
