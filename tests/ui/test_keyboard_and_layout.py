"""A keyboard user types straight away and moves in reading order; the window fits small
screens by folding the advice panel away; custom widgets have names a screen reader says."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from advisor.ui import dialogs
from advisor.ui.answer_inputs import ChoiceInput, NumberInput
from advisor.ui.main_window import COLLAPSE_WIDTH, PROBES_STEP, RESULTS_STEP, MainWindow
from tests.ui.driving import answer_everything, give_answer


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def test_the_first_keystroke_lands_in_the_project_name(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    name_field = window.question_page("project_name").input.line_edit
    assert focused() is name_field
    qtbot.keyClicks(focused(), "Own kernel")
    assert window.document.value("project_name") == "Own kernel"
    assert window.current_step == "project_name"  # typing did not jump to a step


def test_tab_goes_from_the_answer_to_next_then_round_to_the_steps(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.activateWindow()
    name_field = window.question_page("project_name").input.line_edit
    qtbot.waitUntil(lambda: focused() is name_field)
    order = []
    for _ in range(3):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        order.append(focused())
    # Back is disabled on the first step and the advice button hidden on a wide window.
    assert order == [window.next_button, window.steps, name_field]


def test_alt_right_puts_the_focus_on_the_next_answer(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    window.next_action.trigger()
    page = window.question_page(window.current_step)
    focus = focused()
    assert focus is not None and (focus is page.input or page.input.isAncestorOf(focus))


def test_tab_lands_on_the_yes_no_choice_made(qtbot: QtBot, window: MainWindow) -> None:
    field = next(q.id for q in window.document.questions.questions if q.kind == "yes_no")
    give_answer(qtbot, window, field, False)
    answer = window.question_page(field).input
    assert isinstance(answer, ChoiceInput)
    yes, no = answer.buttons()
    assert no.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert not yes.focusPolicy() & Qt.FocusPolicy.TabFocus
    window.back_button.setFocus()
    qtbot.keyClick(window.back_button, Qt.Key.Key_Backtab)
    assert focused() is no


def test_the_unsaved_changes_dialog_has_a_mnemonic_on_every_button() -> None:
    buttons = (dialogs.Button.Save, dialogs.Button.Discard, dialogs.Button.Cancel)
    box = dialogs.make_question(None, "Unsaved changes", "Save?", buttons, dialogs.Button.Save)
    texts = [box.button(kind).text() for kind in buttons]  # type: ignore[union-attr]
    letters = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    assert len(letters) == len(buttons) == len(set(letters)), texts
    box.deleteLater()


@pytest.mark.parametrize("size", [(1024, 768), (800, 600)])
def test_a_small_screen_folds_the_advice_panel_into_a_button(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    assert size[0] < COLLAPSE_WIDTH
    window.resize(*size)
    qtbot.waitUntil(lambda: window.advice_collapsed)
    assert not window.preview.isVisible()
    assert window.advice_button.isVisible()
    page = window.pages.currentWidget()
    assert page is not None and page.width() >= size[0] // 2, page.width()
    qtbot.mouseClick(window.advice_button, Qt.MouseButton.LeftButton)
    assert window.preview.isVisible()  # opened by hand
    window.go_to(PROBES_STEP)
    probe_page = window.probe_page
    assert probe_page.import_button.isVisible()
    assert probe_page.import_button.visibleRegion().boundingRect().width() > 0


def test_a_wide_window_shows_the_advice_panel_beside_the_page(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: not window.advice_collapsed)
    assert window.preview.isVisible() and not window.advice_button.isVisible()


def test_the_advice_panel_keeps_its_width_when_the_first_verdict_appears(
    qtbot: QtBot, window: MainWindow
) -> None:
    before = window.preview.width()
    answer_everything(qtbot, window)
    QApplication.processEvents()
    assert window.preview.width() == before


def test_a_first_window_fits_the_screen(qtbot: QtBot, settings: Any) -> None:
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = window.screen().availableGeometry()
    assert window.width() <= screen.width() and window.height() <= screen.height()


def test_custom_widgets_have_names_a_screen_reader_says(qtbot: QtBot, window: MainWindow) -> None:
    answer_everything(qtbot, window)
    window.go_to(RESULTS_STEP)
    chart = window.results_page.chart
    assert chart is not None
    assert chart.accessibleName() == "Scores of the options"
    view = window.document.view()
    assert view is not None
    verdict = next(bar for bar in view.scores if bar.is_verdict)
    assert f"{verdict.label}: " in chart.accessibleDescription()
    assert "the verdict" in chart.accessibleDescription()
    steps = window.steps
    assert steps.accessibleName()
    for row in range(steps.count()):
        spoken = steps.item(row).data(Qt.ItemDataRole.AccessibleTextRole)
        assert spoken and spoken.rsplit(", ", 1)[-1] in ("done", "required", "open"), spoken
    for bar in window.probe_page.findChildren(type(window.probe_page.rows["vm"].bar)):
        assert bar.accessibleName().endswith("progress")


def test_a_number_input_shows_its_range(window: MainWindow) -> None:
    window.go_to("app_count")
    answer = window.question_page("app_count").input
    assert isinstance(answer, NumberInput)
    question = window.document.questions.question("app_count")
    assert f"{question.minimum:,} to {question.maximum:,}" in answer.range_hint.text()
    assert answer.range_hint.isVisible()


def test_links_show_where_the_keyboard_focus_is(qtbot: QtBot, window: MainWindow) -> None:
    answer_everything(qtbot, window)
    window.go_to(RESULTS_STEP)
    from advisor.ui.results_page import ReasonCard

    card = window.results_page.findChildren(ReasonCard)[0]
    link = card.quote_button
    assert link.focusPolicy() & Qt.FocusPolicy.TabFocus
    unfocused = link.grab().toImage()
    link.setFocus(Qt.FocusReason.TabFocusReason)
    assert link.hasFocus()
    assert link.grab().toImage() != unfocused  # a visible frame marks the focus
    assert link.accessibleName().startswith("The article's words for")


def test_radio_buttons_of_a_question_are_one_tab_stop(window: MainWindow) -> None:
    window.go_to("security")
    buttons = window.question_page("security").findChildren(QRadioButton)
    tab_stops = [b for b in buttons if b.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert len(tab_stops) == 1
