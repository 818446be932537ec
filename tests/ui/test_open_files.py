"""The app opens every file the command line writes, told apart by content: an answers file, a
probe report and an assessment; anything else is one plain sentence naming the three kinds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from advisor import cli
from advisor.answers import load_answers
from advisor.assessment import make_assessment, save_assessment
from advisor.file_kinds import THREE_KINDS
from advisor.ui.main_window import RESULTS_STEP, MainWindow
from advisor.ui.step_list import StepState
from tests.ui.conftest import ANSWERS, FakeProbes
from tests.ui.test_results_page import label_texts

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "payment-service-strict.json"


def answers_shown(window: MainWindow) -> dict[str, Any]:
    return {
        question.id: window.question_page(question.id).input.value()
        for question in window.document.questions.questions
    }


def test_an_answers_file_opens_the_questionnaire_with_its_answers(window: MainWindow) -> None:
    assert window.open_file(EXAMPLE)
    answers = load_answers(EXAMPLE)
    assert window.document.answers() == answers
    expected = {q.id: answers.value(q.id) for q in window.document.questions.questions}
    assert answers_shown(window) == expected
    assert window.document.path is None  # Save asks where: the answers file stays as it is
    assert window.isWindowModified()
    assert window.steps.item(window.steps.row_of("security")).icon().cacheKey() == (
        window.steps._icons[StepState.DONE].cacheKey()
    )
    assert window.preview.verdict.text() != "Not yet"
    assert EXAMPLE.name in window.notice.text


def test_a_version_1_answers_file_opens_with_its_note_until_answered(window: MainWindow) -> None:
    old = REPO / "tests" / "unit" / "data" / "v1" / EXAMPLE.name
    assert window.open_file(old)
    answers = window.document.answers()
    assert answers is not None and answers.security == "strict"
    assert answers.not_asked == load_answers(old).not_asked
    note = window.document.view()
    assert note is not None and note.format_note and note.worth_answering
    assert "Untrusted code" in note.format_note
    window.go_to(RESULTS_STEP)
    shown = label_texts(window)
    assert note.format_note in shown
    assert all(f"•  {entry.sentence}" in shown for entry in note.worth_answering)
    window.document.set_value("untrusted_code", False)
    answered = window.document.answers()
    assert answered is not None and "untrusted_code" not in answered.not_asked


def test_a_probe_report_is_imported_as_probe_results(
    window: MainWindow, tmp_path: Path, fake_probes: FakeProbes
) -> None:
    path = tmp_path / "workstation.json"
    path.write_text(fake_probes.report.model_dump_json(indent=2), encoding="utf-8")
    window.document.set_value("security", "strict")
    assert window.open_file(path)
    assert window.document.probe_report == fake_probes.report
    assert window.document.value("security") == "strict"  # the answers are kept
    assert "Imported the probe results" in window.notice.text


def test_a_saved_assessment_opens_whole(
    window: MainWindow, tmp_path: Path, fake_probes: FakeProbes
) -> None:
    path = tmp_path / "team.json"
    save_assessment(make_assessment(ANSWERS, fake_probes.report), path)
    assert window.open_file(path)
    assert window.document.answers() == ANSWERS
    assert window.document.probe_report == fake_probes.report
    assert window.document.path == path and not window.isWindowModified()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(json.dumps({"weather": "sunny"}), id="json-of-another-kind"),
        pytest.param(json.dumps([1, 2, 3]), id="json-list"),
        pytest.param("# notes\nnot JSON at all", id="not-json"),
        pytest.param("\x89PNG\r\n\x1a\n\x00\x00", id="binary"),
    ],
)
def test_any_other_file_is_one_sentence_naming_the_three_kinds(
    window: MainWindow, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "other.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    window.document.set_value("host_os", "windows")
    assert window.open_file(path) is False
    text = window.notice.text
    assert text == f"other.json is not a file dvm-advisor writes: expected {THREE_KINDS}."
    assert window.notice.kind == "error"
    assert window.document.value("host_os") == "windows"


def test_an_answers_file_with_a_bad_answer_names_the_field(
    window: MainWindow, tmp_path: Path
) -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["security"] = "paranoid"
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert window.open_file(path) is False
    text = window.notice.text
    assert text.startswith(
        "answers.json is an answers file, but it cannot be opened: the entry “security” holds "
        '"paranoid", where '
    )
    assert "\n" not in text


def test_a_file_dropped_on_the_window_opens(window: MainWindow) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(EXAMPLE))])
    drop = QDropEvent(
        QPointF(40, 40),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert drop.isAccepted()
    assert window.document.answers() == load_answers(EXAMPLE)


@pytest.mark.parametrize(
    "before", [pytest.param(["gui"], id="gui-FILE"), pytest.param([], id="FILE-alone")]
)
def test_gui_file_hands_the_file_to_the_app(
    monkeypatch: pytest.MonkeyPatch, before: list[str]
) -> None:
    """`dvm-advisor FILE` too, as a file manager runs it, opens the file in the app."""
    opened: list[Path | None] = []

    def run_app(path: Path | None = None, language: object = None) -> int:
        opened.append(path)
        return 0

    monkeypatch.setattr("advisor.ui.app.run_app", run_app)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert cli.main([*before, str(EXAMPLE)]) == 0
    assert opened == [EXAMPLE]
