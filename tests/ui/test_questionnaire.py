"""The questionnaire: built from the answers model, answered by mouse and keyboard, unable to
hold an invalid answer, with a preview that follows every answer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment, QValidator
from pytestqt.qtbot import QtBot

from advisor.answers import PROJECT_NAME_MAX_CHARS, Answers, questions
from advisor.engine import recommend
from advisor.rulebook import load_rulebook
from advisor.ui.answer_inputs import NumberInput, SetInput, TextInput
from advisor.ui.document import ANSWER_FIELDS
from advisor.ui.main_window import PROBES_STEP, RESULTS_STEP, MainWindow
from advisor.ui.step_list import StepState
from advisor.wording import OPTION_HEADLINES
from tests.ui.conftest import ANSWERS
from tests.ui.driving import answer_everything, give_answer


def test_every_question_of_the_model_is_a_step_with_its_claims(window: MainWindow) -> None:
    fields = [name for name in Answers.model_fields if name != "schema_version"]
    keys = [window.steps.key_at(row) for row in range(window.steps.count())]
    assert keys == [*fields, PROBES_STEP, RESULTS_STEP]
    rulebook = load_rulebook()
    for question in questions():
        page = window.question_page(question.field)
        texts = [
            QTextDocumentFragment.fromHtml(label.text()).toPlainText()
            for label in page.findChildren(type(page.requirement))
        ]
        assert question.title in texts
        assert question.explanation in texts
        for claim in question.claims:
            assert any(claim in text and rulebook.claims[claim].digest in text for text in texts)


def test_required_questions_are_marked_until_answered(qtbot: QtBot, window: MainWindow) -> None:
    required = [name for name, info in Answers.model_fields.items() if info.is_required()]
    for field in ANSWER_FIELDS:
        item = window.steps.item(window.steps.row_of(field))
        page = window.question_page(field)
        assert item.text().endswith(" *") == (field in required)
        assert (page.requirement.text() == "Required") == (field in required)
    assert "Required" in window.steps.state_tooltip("host_os")
    give_answer(qtbot, window, "host_os", "linux")
    assert "Answered: Linux" in window.steps.state_tooltip("host_os")


def test_the_preview_follows_every_answer(qtbot: QtBot, window: MainWindow) -> None:
    preview = window.preview
    assert preview.verdict.text() == "Not yet"
    assert "5 required questions" in preview.confidence.text()
    answer_everything(qtbot, window)

    expected = recommend(ANSWERS, load_rulebook())
    assert preview.verdict.text() == OPTION_HEADLINES[expected.verdict]
    assert expected.reasons[0].title in preview.reasons.text()
    assert preview.chart.scores == expected.scores.model_dump()

    # The engine's own nearest flip, given through the form, must show in the preview.
    flip = expected.flips[0]
    give_answer(qtbot, window, flip.field, flip.value)
    assert preview.verdict.text() == OPTION_HEADLINES[flip.verdict]
    assert preview.verdict.text() != OPTION_HEADLINES[expected.verdict]


def test_taking_back_the_last_operating_system_unanswers_the_question(
    qtbot: QtBot, window: MainWindow
) -> None:
    answer_everything(qtbot, window)
    assert window.document.answers() is not None
    give_answer(qtbot, window, "app_oses", None)
    assert window.document.answers() is None
    assert window.preview.verdict.text() == "Not yet"
    assert window.steps.item(window.steps.row_of("app_oses")).icon().cacheKey() == (
        window.steps._icons[StepState.REQUIRED].cacheKey()
    )


def test_numbers_stay_within_the_models_limits(qtbot: QtBot, window: MainWindow) -> None:
    window.go_to("app_count")
    answer = window.question_page("app_count").input
    assert isinstance(answer, NumberInput)
    spin = answer.spin_box
    assert spin.text() == "Not answered"
    bounds = Answers.model_fields["app_count"].metadata
    highest = next(item.le for item in bounds if hasattr(item, "le"))
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(highest * 10))
    assert window.document.value("app_count") is not None
    assert window.document.value("app_count") <= highest
    spin.setValue(1)
    qtbot.keyClick(spin, Qt.Key.Key_Down)
    assert window.document.value("app_count") is None  # back to "Not answered", never 0


def test_the_project_name_refuses_control_characters_and_excess(window: MainWindow) -> None:
    answer = window.question_page("project_name").input
    assert isinstance(answer, TextInput)
    validator = answer.line_edit.validator()
    assert validator.validate("tab\there", 0)[0] == QValidator.State.Invalid
    assert validator.validate("Billing 2", 0)[0] == QValidator.State.Acceptable
    assert answer.line_edit.maxLength() == PROJECT_NAME_MAX_CHARS


def test_keyboard_moves_through_the_steps(qtbot: QtBot, window: MainWindow) -> None:
    assert window.current_step == "project_name"
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current_step == "host_os"
    # The answer has the focus after Next, so the arrow keys choose among the choices.
    focused = window.focusWidget()
    assert focused is not None and window.question_page("host_os").isAncestorOf(focused)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_step == "project_name"
    window.steps.setFocus()
    qtbot.keyClick(window.steps, Qt.Key.Key_Down)
    qtbot.keyClick(window.steps, Qt.Key.Key_Down)
    assert window.current_step == "app_oses"
    boxes = window.question_page("app_oses").input
    assert isinstance(boxes, SetInput)
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.current_step == "security"


def test_back_and_next_stop_at_the_ends(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.back_button.isEnabled()
    window.go_to(RESULTS_STEP)
    assert not window.next_button.isEnabled()
    assert not window.preview.isVisible()
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.current_step == PROBES_STEP
    assert window.preview.isVisible()
