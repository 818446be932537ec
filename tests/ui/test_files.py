"""Files from the window: save and reopen an assessment, recent files, the last folder and
the window's size remembered, New asking first, probe results imported, and the PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from advisor.assessment import load_assessment
from advisor.ui.file_commands import LAST_FOLDER_KEY
from advisor.ui.main_window import MainWindow
from tests.ui.conftest import ANSWERS, DialogAnswers, FakeProbes
from tests.ui.driving import answer_everything, give_answer


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Make the next file dialogs pick `path`; returns the folders they started in."""
    started_in: list[str] = []

    def pick(_parent: Any, _caption: str, start: str, _filter: str) -> tuple[str, str]:
        started_in.append(start)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", pick)
    return started_in


def test_save_then_reopen_from_recent_files(
    qtbot: QtBot,
    make_window: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_probes: FakeProbes,
) -> None:
    window: MainWindow = make_window()
    answer_everything(qtbot, window)
    window.document.set_probe_report(fake_probes.report, "from this workstation")
    assert window.isWindowModified()
    path = tmp_path / "team.json"
    choose_file(monkeypatch, path)

    window.save_action.trigger()

    assert load_assessment(path).answers == ANSWERS
    assert load_assessment(path).probe == fake_probes.report
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("team.json")
    assert window.notice.kind == "info"
    window.close()

    reopened: MainWindow = make_window()
    reopened._fill_recent_menu()
    recent = [action for action in reopened.recent_menu.actions() if "team.json" in action.text()]
    assert len(recent) == 1
    recent[0].trigger()

    assert reopened.document.answers() == ANSWERS
    assert reopened.document.probe_report == fake_probes.report
    assert reopened.question_page("app_count").input.value() == ANSWERS.app_count
    assert reopened.question_page("host_os").input.value() == ANSWERS.host_os
    assert not reopened.isWindowModified()
    assert reopened.probe_page.source.text().startswith("Results saved in team.json")


def test_the_last_folder_and_window_size_are_remembered(
    qtbot: QtBot, make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window: MainWindow = make_window()
    answer_everything(qtbot, window)
    folder = tmp_path / "projects"
    folder.mkdir()
    choose_file(monkeypatch, folder / "a.json")
    window.save_as_action.trigger()
    # Within the offscreen screen (800 x 800) and above the widest page's minimum, so that
    # nothing clamps the size restored.
    window.resize(787, 641)
    window.close()

    again: MainWindow = make_window(size=None)
    assert (again.width(), again.height()) == (787, 641)
    assert again.settings.text(LAST_FOLDER_KEY) == str(folder)
    started_in = choose_file(monkeypatch, folder / "a.json")
    again.open_action.trigger()
    assert started_in == [str(folder)]


def test_saving_needs_every_required_answer(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    give_answer(qtbot, window, "host_os", "linux")
    choose_file(monkeypatch, tmp_path / "a.json")
    assert window.save() is False
    assert window.notice.kind == "error"
    assert "Application OSes, Number of apps" in window.notice.text
    assert not (tmp_path / "a.json").exists()


def test_a_path_that_cannot_be_written_is_one_clear_line(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_everything(qtbot, window)
    missing = tmp_path / "no-such-folder" / "a.json"
    choose_file(monkeypatch, missing)
    assert window.save() is False
    assert window.notice.kind == "error"
    assert window.notice.text == (
        f"Could not save the assessment: {missing}: the folder {missing.parent} does not exist"
    )
    assert window.isWindowModified()


def test_new_asks_before_discarding_unsaved_changes(
    qtbot: QtBot, window: MainWindow, dialog_answers: DialogAnswers
) -> None:
    give_answer(qtbot, window, "host_os", "windows")
    dialog_answers.answer = QMessageBox.StandardButton.Cancel
    window.new_action.trigger()
    assert dialog_answers.asked == ["Unsaved changes"]
    assert window.document.value("host_os") == "windows"

    dialog_answers.answer = QMessageBox.StandardButton.Discard
    window.new_action.trigger()
    assert window.document.value("host_os") is None
    assert window.question_page("host_os").input.value() is None
    assert not window.isWindowModified()
    assert window.current_step == "project_name"

    window.new_action.trigger()  # nothing to lose now: no question
    assert dialog_answers.asked == ["Unsaved changes", "Unsaved changes"]


def test_opening_a_bad_file_says_what_is_wrong_and_keeps_the_answers(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    give_answer(qtbot, window, "security", "strict")
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "answers": {"host_os": "beos"}}', encoding="utf-8")
    choose_file(monkeypatch, bad)
    window.open_action.trigger()
    text = window.notice.text
    assert text.startswith(
        "bad.json is an assessment saved by the app, but it cannot be opened: the entry “answers."
    )
    assert "\n" not in text
    assert window.document.value("security") == "strict"


def test_a_missing_recent_file_is_reported_and_forgotten(
    window: MainWindow, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.json"
    window.recent_files.add(gone)
    assert window.open_file(gone) is False
    assert window.notice.text == f"Could not open the file: {gone}: no such file"
    assert gone not in window.recent_files.paths()


def test_probe_results_import_from_a_file_written_by_the_probe_command(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_probes: FakeProbes
) -> None:
    path = tmp_path / "workstation.json"
    path.write_text(fake_probes.report.model_dump_json(indent=2), encoding="utf-8")
    choose_file(monkeypatch, path)
    window.import_action.trigger()
    assert window.document.probe_report == fake_probes.report
    assert window.document.probe_source == "imported from workstation.json"
    assert "Imported the probe results" in window.notice.text


def test_a_file_that_is_not_a_probe_report_is_refused_in_one_line(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"schema_version": 1}), encoding="utf-8")
    choose_file(monkeypatch, path)
    window.import_action.trigger()
    text = window.notice.text
    assert text.startswith("answers.json is not a file dvm-advisor writes: expected ")
    assert "\n" not in text
    assert window.document.probe_report is None


def test_export_pdf_writes_the_report(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_everything(qtbot, window)
    window.go_to("results")
    path = tmp_path / "advice.pdf"
    choose_file(monkeypatch, path)
    assert window.results_page.export_button is not None
    qtbot.mouseClick(window.results_page.export_button, Qt.MouseButton.LeftButton)
    assert window.notice.text == f"PDF saved to {path}."
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    recommendation = window.document.recommendation()
    assert recommendation is not None
    assert ANSWERS.project_name is not None and ANSWERS.project_name in text
    assert recommendation.reasons[0].title in text.replace("\n", " ")


def test_export_pdf_to_a_folder_that_cannot_be_written_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_everything(qtbot, window)
    target = tmp_path / "no-such-folder" / "advice.pdf"
    choose_file(monkeypatch, target)
    assert window.export_pdf() is False
    text = window.notice.text
    assert text.startswith(f"Could not write the PDF: {target}: ")
    assert text.endswith("Choose a folder you can write to.")
    assert "\n" not in text
