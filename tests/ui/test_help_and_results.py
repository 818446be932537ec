"""Help that a new user finds (F1, the keys, About), a results page that reads to its end, steps
ticked only when done, and files of the wrong kind named for what they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from advisor import __version__
from advisor.answers import load_answers
from advisor.assessment import make_assessment, save_assessment
from advisor.report.model import ARTICLE_AUTHOR, ARTICLE_TITLE, report_for
from advisor.ui import help_window
from advisor.ui.main_window import PROBES_STEP, RESULTS_STEP, MainWindow
from tests.ui.conftest import DialogAnswers, FakeProbes
from tests.ui.driving import answer_everything, give_answer
from tests.ui.test_files import choose_file

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "mixed-team-dev-environment.json"


def open_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def dialog_text(dialog: QDialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_f1_opens_a_short_guide(window: MainWindow) -> None:
    assert window.guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    window.guide_action.trigger()
    (guide,) = open_dialogs()
    assert "How an assessment goes" in dialog_text(guide)
    assert "no rule ruled out" in dialog_text(guide)
    guide.close()


def test_the_shortcuts_list_names_the_menus_keys(window: MainWindow) -> None:
    window.shortcuts_action.trigger()
    (dialog,) = open_dialogs()
    table = dialog.findChild(QTableWidget)
    assert table is not None
    rows = {table.item(row, 1).text(): table.item(row, 0).text() for row in range(table.rowCount())}
    save_keys = window.save_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    assert rows["Save"] == save_keys
    assert rows["Next"] == "Alt+Right"
    assert rows["Guide"] == "F1"
    dialog.close()


def test_about_shows_the_icon_version_licence_and_the_article(window: MainWindow) -> None:
    about = help_window.about_dialog(window)
    text = dialog_text(about)
    assert __version__ in text
    assert f"Licence: {help_window.LICENCE}" in text
    assert ARTICLE_TITLE in text and ARTICLE_AUTHOR in text
    icons = [label.pixmap() for label in about.findChildren(QLabel) if not label.pixmap().isNull()]
    assert icons
    about.deleteLater()


def test_the_window_has_an_icon_from_a_checkout(window: MainWindow) -> None:
    assert help_window.CHECKOUT_ICON.is_file()
    assert not window.windowIcon().isNull()


def test_the_results_page_explains_the_scores_and_ends_with_export(
    qtbot: QtBot,
    window: MainWindow,
    fake_probes: FakeProbes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _p, title, *_a: (asked.append(title), ("", ""))[1]
    )
    answer_everything(qtbot, window)
    window.document.set_probe_report(fake_probes.report, "run here")
    window.go_to(RESULTS_STEP)
    view = window.document.view()
    assert view is not None
    page = window.results_page
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert view.score_explanation in texts
    assert "the verdict is the highest option no rule ruled out" in view.score_explanation.lower()
    assert view.grounding_summary in texts  # "of 11 measurable points, 10 hold, …"
    assert page.bottom_export_button is not None
    with qtbot.waitSignal(page.exportRequested):
        page.bottom_export_button.click()
    assert asked == ["Export PDF"]  # the same command as File > Export > PDF Report


def test_each_visit_of_the_results_starts_at_the_top(qtbot: QtBot, window: MainWindow) -> None:
    answer_everything(qtbot, window)
    window.go_to(RESULTS_STEP)
    bar = window.results_page.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    window.go_to(PROBES_STEP)
    window.go_to(RESULTS_STEP)
    assert bar.value() == 0


def test_an_opened_assessment_lands_on_its_results(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "team-assessment.json"
    save_assessment(make_assessment(load_answers(EXAMPLE), None), path)
    assert window.open_file(path)
    assert window.current_step == RESULTS_STEP


def test_steps_are_ticked_only_when_done(qtbot: QtBot, window: MainWindow) -> None:
    window.go_to("project_name")
    window.go_to(window.steps.key_at(1))  # the name was seen, and left empty
    assert window.steps.state_tooltip("project_name") == "Optional: not answered"
    answer_everything(qtbot, window)
    assert "to read" in window.steps.state_tooltip(RESULTS_STEP)
    window.go_to(RESULTS_STEP)
    assert window.steps.state_tooltip(RESULTS_STEP) == "The advice is ready: read"


def test_an_optional_question_left_unanswered_is_not_ticked(
    qtbot: QtBot, window: MainWindow
) -> None:
    field = next(
        q.id
        for q in window.document.questions.questions
        if not q.required and q.initial is None and q.kind == "yes_no"
    )
    give_answer(qtbot, window, field, True)
    window.question_page(field).input.set_value(None)
    window.document.set_value(field, None)
    window.go_to(field)
    assert window.steps.state_tooltip(field) == "Optional: not answered"


@pytest.mark.parametrize("command", ["report", "recommend"])
def test_advice_written_as_json_is_named_for_what_it_is(
    window: MainWindow, tmp_path: Path, command: str
) -> None:
    path = tmp_path / "advice.json"
    view = report_for(load_answers(EXAMPLE))
    if command == "report":
        path.write_text(view.model_dump_json(indent=2), encoding="utf-8")
    else:
        from advisor.engine import advise

        path.write_text(advise(load_answers(EXAMPLE)).model_dump_json(indent=2), "utf-8")
    window.document.set_value("host_os", "windows")
    assert window.open_file(path) is False
    text = window.notice.text
    assert text.startswith("advice.json holds advice written by `dvm-advisor report --json`")
    assert "open the answers file or the assessment it was made from" in text
    assert "field" not in text and "entry" not in text
    assert window.document.value("host_os") == "windows"


def test_an_answers_file_given_as_probe_results_is_offered_as_answers(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialog_answers: DialogAnswers,
) -> None:
    choose_file(monkeypatch, EXAMPLE)
    dialog_answers.answer = QMessageBox.StandardButton.Open
    window.import_action.trigger()
    assert dialog_answers.asked == ["Not probe results"]
    assert window.document.answers() == load_answers(EXAMPLE)
    assert window.document.probe_report is None
    dialog_answers.answer = QMessageBox.StandardButton.Discard  # so that the window closes


def test_a_faulty_answers_file_is_said_in_plain_words(window: MainWindow, tmp_path: Path) -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    del document["host_os"]
    document["app_count"] = "many"
    path = tmp_path / "team.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert window.open_file(path) is False
    text = window.notice.text
    assert text.startswith("team.json is an answers file, but it cannot be opened: the entry “")
    assert "1 other entry is wrong too" in text
    assert "field '" not in text and "more problem" not in text
