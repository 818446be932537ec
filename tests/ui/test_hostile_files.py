"""The app meets hostile text and impossible probe figures with a plain sentence: the project
name refuses what the answers format refuses, and a report with an impossible figure, or an
export onto a device, is one line on the notice bar."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from advisor.file_kinds import FIX_HINTS
from advisor.ui.answer_inputs import TextInput
from advisor.ui.main_window import MainWindow
from tests.ui.driving import answer_everything

PROBE_REPORT = Path(__file__).parents[1] / "unit" / "data" / "probe-report.json"


@pytest.mark.parametrize(
    "char", ["\x1b", "\x9b", "\x85", "\u2028", "\u2029", "\u202e", "\u2066", "\u200f", "\u061c"]
)
def test_the_project_name_refuses_c1_separators_and_bidi_controls(
    window: MainWindow, char: str
) -> None:
    answer = window.question_page("project_name").input
    assert isinstance(answer, TextInput)
    validator = answer.line_edit.validator()
    assert validator.validate(f"shop{char}backend", 0)[0] == QValidator.State.Invalid
    assert validator.validate("Café 每个容器\u00a02", 0)[0] == QValidator.State.Acceptable


def pick(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> None:
    def chosen(*_args: Any) -> tuple[str, str]:
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", chosen)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", chosen)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("container", "cpu_ratio"), 0),
        (("vm", "boot_seconds", "min"), 0.0),
        (("wall_seconds",), -1),
    ],
)
def test_a_report_with_an_impossible_figure_is_one_sentence(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: tuple[str, ...],
    value: float,
) -> None:
    report = json.loads(PROBE_REPORT.read_text())
    node = report
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    path = tmp_path / "probe.json"
    path.write_text(json.dumps(report))
    pick(monkeypatch, path)
    window.import_action.trigger()
    text = window.notice.text
    assert text.startswith("probe.json is a probe report, but it cannot be opened: the entry “")
    assert where[0] in text and "\n" not in text
    assert text.endswith(FIX_HINTS["probe"])
    assert window.document.probe_report is None


def test_an_export_onto_a_device_is_refused_and_the_device_stays(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_everything(qtbot, window)
    assert not window.export_pdf(Path("/dev/null"))
    assert "is a character device, not a regular file" in window.notice.text
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_saving_and_exporting_through_a_link_writes_the_file_it_points_to(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A user who picks a link in a file dialog means the file it names, as in any editor.
    answer_everything(qtbot, window)
    for name, write in [
        ("assessment.json", window.save_as),
        ("advice.pdf", window.export_pdf),
        ("decision.md", window.export_markdown),
    ]:
        target = tmp_path / f"real-{name}"
        target.write_bytes(b"old")
        link = tmp_path / name
        link.symlink_to(target)
        pick(monkeypatch, link)
        assert write(), window.notice.text
        assert link.is_symlink() and link.resolve() == target
        assert target.read_bytes() != b"old"
        assert "--follow-symlinks" not in window.notice.text
