"""README's table of the answers file is the question table's: made from it, checked here.

When a question changes, `.venv/bin/python -m tests.unit.test_readme_answers` writes the
table again between the `answers-table` markers of README.md.
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


def _parts() -> tuple[str, str, str]:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(BEGIN, 1)
    shown, after = rest.split(END, 1)
    return before, shown.strip(), after


def test_the_readme_table_is_the_question_tables() -> None:
    assert _parts()[1] == answers_table(load_questions()), (
        "run: .venv/bin/python -m tests.unit.test_readme_answers"
    )


if __name__ == "__main__":
    before, _shown, after = _parts()
    table = answers_table(load_questions())
    README.write_text(f"{before}{BEGIN}\n{table}\n{END}{after}", encoding="utf-8")
