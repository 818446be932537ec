"""Driving the window as a person would: clicks and keys on the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from advisor.answers import Answers
from advisor.facts import FactValue
from advisor.ui.answer_inputs import ChoiceInput, NumberInput, SetInput, TextInput
from advisor.ui.main_window import MainWindow
from tests.ui.conftest import ANSWERS


def give_answer(qtbot: QtBot, window: MainWindow, field: str, value: FactValue) -> None:
    """Go to a question's page and answer it with the mouse or the keyboard."""
    window.go_to(field)
    answer = window.question_page(field).input
    if isinstance(answer, ChoiceInput):
        button = answer.buttons()[answer.choices.index(value)]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    elif isinstance(answer, SetInput):
        chosen = set(value) if isinstance(value, tuple) else set()
        for choice, box in answer.boxes().items():
            if box.isChecked() != (choice in chosen):
                qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    elif isinstance(answer, NumberInput):
        answer.spin_box.setFocus()
        answer.spin_box.selectAll()
        qtbot.keyClicks(answer.spin_box, str(value))
    elif isinstance(answer, TextInput):
        answer.line_edit.clear()
        qtbot.keyClicks(answer.line_edit, str(value or ""))
    assert window.document.value(field) == value, field


def answer_everything(qtbot: QtBot, window: MainWindow, answers: Answers = ANSWERS) -> None:
    """Give every answer of `answers` through the widgets (leaving unanswered what it leaves)."""
    for question in window.document.questions.questions:
        value = answers.value(question.id)
        if value is None and window.document.value(question.id) is None:
            continue
        give_answer(qtbot, window, question.id, value)
