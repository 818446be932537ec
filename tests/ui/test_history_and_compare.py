"""The app's history and comparison: three saves with different answers make three milestones
whose difference is shown, an old file is a history of one, and several hosts' reports are
shown side by side, a set that cannot be compared being one plain sentence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from advisor.assessment import load_assessment
from advisor.engine import advise
from advisor.probes.report import ProbeReport
from advisor.report.milestone_view import confidence_label, verdict_label
from advisor.ui.main_window import MainWindow
from tests.probe_reports import on_host
from tests.ui.conftest import ANSWERS, FakeProbes
from tests.ui.driving import answer_everything, give_answer


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(path), ""))


def test_three_saves_make_three_milestones_and_the_history_shows_their_difference(
    qtbot: QtBot, make_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window: MainWindow = make_window()
    answer_everything(qtbot, window)
    path = tmp_path / "team.json"
    save_to(monkeypatch, path)
    window.save_action.trigger()
    give_answer(qtbot, window, "security", "strict")
    window.save_action.trigger()
    give_answer(qtbot, window, "untrusted_code", True)
    give_answer(qtbot, window, "hostile_tenants", True)
    window.save_action.trigger()

    history = load_assessment(path).milestones()
    assert len(history) == 3 and window.document.history == history
    assert [m.answers.value("security") for m in history] == ["standard", "strict", "strict"]
    assert history[2].answers.value("untrusted_code") is True

    dialog = window.show_history()
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 3
    for row, milestone in enumerate(history):
        advice = advise(milestone.answers)
        assert dialog.table.item(row, 2).text() == verdict_label(advice.verdict)
        assert dialog.table.item(row, 3).text() == confidence_label(advice.confidence)
    # The two latest are compared first: two answers changed between them.
    changed = dialog.diff_panel.fields["Answers changed"].splitlines()
    assert len(changed) == 2 and any(line.startswith("Untrusted code") for line in changed)
    dialog.compare(0, 2)
    changed = dialog.diff_panel.fields["Answers changed"].splitlines()
    assert len(changed) == 3 and any("Standard → Strict" in line for line in changed)
    fired = [{r.rule_id for r in m.reasons} for m in (history[0], history[2])]
    shown = dialog.diff_panel.fields["Reasons that made the difference"]
    for rule_id in fired[1] - fired[0]:
        assert "+ " in shown and f"({rule_id})" in shown
    for rule_id in fired[0] - fired[1]:
        assert f"({rule_id})" in shown
    verdicts = (verdict_label(history[0].verdict), verdict_label(history[2].verdict))
    shown_verdict = dialog.diff_panel.fields["Verdict"]
    assert shown_verdict == (
        f"{verdicts[0]} (unchanged)" if verdicts[0] == verdicts[1] else " → ".join(verdicts)
    )

    window.close()
    reopened: MainWindow = make_window()
    assert reopened.open_file(path)
    assert reopened.document.history == history
    assert reopened.show_history().table.rowCount() == 3


def test_an_old_assessment_opens_as_a_history_of_one(
    qtbot: QtBot, make_window: Any, tmp_path: Path
) -> None:
    path = tmp_path / "old.json"
    path.write_text(
        json.dumps({"schema_version": 1, "answers": json.loads(ANSWERS.model_dump_json())}),
        encoding="utf-8",
    )
    window: MainWindow = make_window()
    assert window.open_file(path)
    dialog = window.show_history()
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "saved before the history was kept"
    assert dialog.diff_panel.summary.text().startswith("Save the assessment again")


def write(path: Path, report: ProbeReport) -> Path:
    path.write_text(report.model_dump_json(), encoding="utf-8")
    return path


def test_several_hosts_are_shown_side_by_side_with_the_advice_for_each(
    qtbot: QtBot, make_window: Any, tmp_path: Path, fake_probes: FakeProbes
) -> None:
    window: MainWindow = make_window()
    answer_everything(qtbot, window)
    report = fake_probes.report
    vm = report.vm.model_copy(update={"accelerator": "kvm"}) if report.vm else None
    other = on_host(report, "ci-runner").model_copy(update={"vm": vm})
    paths = [write(tmp_path / "a.json", report), write(tmp_path / "b.json", other)]

    dialog = window.compare_hosts(paths)
    qtbot.waitExposed(dialog)
    comparison = dialog.comparison
    assert comparison is not None and [h.label for h in comparison.hosts] == [
        report.hostname,
        "ci-runner",
    ]
    table = dialog.table
    assert table.columnCount() == 4
    headers = [table.horizontalHeaderItem(c).text() for c in range(1, 3)]
    assert headers[0].startswith(report.hostname) and headers[1].startswith("ci-runner")
    marked = [
        table.item(row, 0).text() for row in range(table.rowCount()) if table.item(row, 3).text()
    ]
    assert marked == [r.label for s in comparison.sections for r in s.rows if r.differs]
    assert "The sample VM ran under" in marked
    for entry, probed in zip(comparison.advice, (report, other), strict=True):
        assert entry.verdict_label == verdict_label(advise(ANSWERS, probed).verdict)
        assert entry.sentence in dialog.advice.text()

    # The same host twice is one plain sentence; the comparison shown stays.
    assert not dialog.import_reports([paths[0], write(tmp_path / "c.json", report)])
    assert dialog.error.isVisible()
    assert "both reports of" in dialog.error.text() and "\n" not in dialog.error.text()
    assert dialog.comparison is comparison
