"""The questionnaire: built from the answers model, answered by mouse and keyboard, unable to
hold an invalid answer, with a preview that follows every answer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment, QValidator
from pytestqt.qtbot import QtBot

from advisor.engine import advise
from advisor.questions import load_questions
from advisor.report.model import report_for
from advisor.rulebook import load_rulebook
from advisor.ui.answer_inputs import NumberInput, SetInput, TextInput
from advisor.ui.main_window import PROBES_STEP, RESULTS_STEP, MainWindow
from advisor.ui.step_list import StepState
from advisor.wording import OPTION_NAMES
from tests.ui.conftest import ANSWERS
from tests.ui.driving import answer_everything, give_answer

QUESTIONS = load_questions()


def test_every_question_of_the_table_is_a_step_with_its_claims(window: MainWindow) -> None:
    fields = [question.id for question in QUESTIONS.questions]
    keys = [window.steps.key_at(row) for row in range(window.steps.count())]
    assert keys == [*fields, PROBES_STEP, RESULTS_STEP]
    labels = [window.steps.item(row).text().rstrip(" *") for row in range(len(fields))]
    assert labels == [question.step for question in QUESTIONS.questions]
    rulebook = load_rulebook()
    for question in QUESTIONS.questions:
        page = window.question_page(question.id)
        texts = [
            QTextDocumentFragment.fromHtml(label.text()).toPlainText()
            for label in page.findChildren(type(page.requirement))
        ]
        assert question.question in texts
        assert question.explanation in texts
        for claim in question.claims:
            assert any(claim in text and rulebook.claims[claim].digest in text for text in texts)


def test_required_questions_are_marked_until_answered(qtbot: QtBot, window: MainWindow) -> None:
    required = [question.id for question in QUESTIONS.required]
    for field in (question.id for question in QUESTIONS.questions):
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
    assert f"{len(QUESTIONS.required)} required questions" in preview.confidence.text()
    answer_everything(qtbot, window)

    expected = advise(ANSWERS)
    view = report_for(ANSWERS)
    assert preview.verdict.text() == OPTION_NAMES[expected.verdict].title
    assert preview.confidence.text() == view.confidence_sentence
    assert view.key_reasons[0].title in preview.reasons.text()
    assert preview.chart.scores == expected.scores.model_dump()

    # The engine's own nearest flip, given through the form, must show in the preview.
    flip = expected.flips[0]
    give_answer(qtbot, window, flip.field, flip.value)
    assert preview.verdict.text() == OPTION_NAMES[flip.verdict].title
    assert preview.verdict.text() != OPTION_NAMES[expected.verdict].title


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
    highest = QUESTIONS.question("app_count").maximum
    assert highest is not None
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
    assert answer.line_edit.maxLength() == QUESTIONS.question("project_name").max_length


def test_keyboard_moves_through_the_steps(qtbot: QtBot, window: MainWindow) -> None:
    ids = [question.id for question in QUESTIONS.questions]
    assert window.current_step == ids[0]
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current_step == ids[1]
    # The answer has the focus after Next, so the arrow keys choose among the choices.
    focused = window.focusWidget()
    assert focused is not None and window.question_page(ids[1]).isAncestorOf(focused)
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_step == ids[0]
    window.steps.setFocus()
    qtbot.keyClick(window.steps, Qt.Key.Key_Down)
    qtbot.keyClick(window.steps, Qt.Key.Key_Down)
    assert window.current_step == ids[2]
    window.go_to("app_oses")
    boxes = window.question_page("app_oses").input
    assert isinstance(boxes, SetInput)
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.current_step == ids[ids.index("app_oses") + 1]


def test_back_and_next_stop_at_the_ends(qtbot: QtBot, window: MainWindow) -> None:
    assert not window.back_button.isEnabled()
    window.go_to(RESULTS_STEP)
    assert not window.next_button.isVisible()  # the last page has no Next at all
    assert not window.next_action.isEnabled()
    assert not window.preview.isVisible()
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.current_step == PROBES_STEP
    assert window.preview.isVisible()


def test_hardware_none_stands_alone_in_the_app(qtbot: QtBot, window: MainWindow) -> None:
    window.go_to("hardware")
    answer = window.question_page("hardware").input
    assert isinstance(answer, SetInput)
    boxes = answer.boxes()
    for choice in ("gpu", "hsm"):
        qtbot.mouseClick(boxes[choice], Qt.MouseButton.LeftButton)
    assert window.document.value("hardware") == ("gpu", "hsm")
    qtbot.mouseClick(boxes["none"], Qt.MouseButton.LeftButton)
    assert window.document.value("hardware") == ("none",)
    assert not boxes["gpu"].isChecked() and not boxes["hsm"].isChecked()
    qtbot.mouseClick(boxes["usb_serial"], Qt.MouseButton.LeftButton)
    assert window.document.value("hardware") == ("usb_serial",)
    assert not boxes["none"].isChecked()
