"""Hypothesis strategies made from the question table, never listed by hand: a question added
to the table is tried by every property test at once."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from advisor.answers import Answers
from advisor.questions import Question, Questionnaire, load_questions
from advisor.terminal import BIDI_CONTROLS

# Text the answers format accepts: one line, no control characters, line separators or
# bidirectional controls.
_ONE_LINE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
        blacklist_characters="".join(BIDI_CONTROLS),
    ),
    max_size=40,
)


def answer_values(question: Question) -> st.SearchStrategy[Any]:
    """Every answer the question accepts (None too, where it may be left unanswered)."""
    strategy: st.SearchStrategy[Any]
    if question.kind == "yes_no":
        strategy = st.booleans()
    elif question.kind == "one_choice":
        strategy = st.sampled_from(question.values)
    elif question.kind == "several_choices":
        strategy = (
            st.sets(st.sampled_from(question.values), min_size=1)
            # An exclusive choice ("none") stands alone, as the answers format asks.
            .filter(lambda chosen: len(chosen) == 1 or not chosen & set(question.exclusive))
            .map(lambda chosen: tuple(sorted(chosen)))
        )
    elif question.kind == "whole_number":
        strategy = st.integers(min_value=question.minimum, max_value=question.maximum)
    else:
        strategy = _ONE_LINE.map(lambda text: text[: question.max_length])
    may_be_unanswered = not question.required and question.initial is None
    return st.none() | strategy if may_be_unanswered else strategy


def answers_strategy(questions: Questionnaire | None = None) -> st.SearchStrategy[Answers]:
    """Complete answers of the table's format, any of them."""
    table = questions or load_questions()
    fields = {question.id: answer_values(question) for question in table.questions}
    return st.fixed_dictionaries(fields).map(
        lambda values: table.answers_model.model_validate(
            {"schema_version": table.version, **values}
        )
    )
