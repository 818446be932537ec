"""Text from a file made elsewhere shows as typed: a project or file name that looks like
markup is never rendered as rich text by any label or tooltip of the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import Qt, QTextDocument  # QtGui's Qt adds mightBeRichText
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from advisor.assessment import Assessment, save_assessment
from advisor.ui.main_window import PROBES_STEP, RESULTS_STEP, MainWindow
from tests.ui.conftest import ANSWERS, FakeProbes

HOSTILE_NAME = "<b>x</b><img src=x>"
HOSTILE_FILE = "<i>team<img src=y>.json"  # a file name cannot hold the slash of </i>


def as_shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """The characters Qt puts on screen for `text` in `text_format` (AutoText: Qt's guess)."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def shown_texts(window: MainWindow) -> list[tuple[str, str]]:
    """Every label's and step tooltip's (raw text, text as shown) in the window."""
    labels = [(label.text(), label.textFormat()) for label in window.findChildren(QLabel)]
    steps = window.steps
    tips = [(steps.item(row).toolTip(), Qt.TextFormat.AutoText) for row in range(steps.count())]
    return [(text, as_shown(text, text_format)) for text, text_format in labels + tips]


def test_a_hostile_project_and_file_name_appear_literally(
    qtbot: QtBot, make_window: Any, tmp_path: Path, fake_probes: FakeProbes
) -> None:
    path = tmp_path / HOSTILE_FILE
    answers = ANSWERS.model_copy(update={"project_name": HOSTILE_NAME})
    save_assessment(Assessment(schema_version=1, answers=answers, probe=fake_probes.report), path)
    window: MainWindow = make_window()

    assert window.open_file(path)
    window.go_to("project_name")
    window.go_to(PROBES_STEP)
    window.go_to(RESULTS_STEP)

    assert window.question_page("project_name").input.value() == HOSTILE_NAME
    assert window.windowTitle().startswith(HOSTILE_FILE)
    texts = shown_texts(window)
    for raw, shown in texts:
        for hostile in (HOSTILE_NAME, HOSTILE_FILE):
            assert hostile not in raw or hostile in shown, raw
    shown = [text for _raw, text in texts]
    assert f"Recommendation for {HOSTILE_NAME}" in shown
    assert f"Answered: {HOSTILE_NAME}" in shown
    assert f"Opened {HOSTILE_FILE}." in shown
    assert any(text.startswith(f"Results saved in {HOSTILE_FILE}") for text in shown)
    assert f"Probe results saved in {HOSTILE_FILE}" in shown
    window._fill_recent_menu()
    recent = [action.toolTip() for action in window.recent_menu.actions() if action.toolTip()]
    assert str(path) in [as_shown(tip) for tip in recent]
