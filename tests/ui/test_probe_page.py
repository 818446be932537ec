"""The probe step with a fake backend: progress and log while it runs, the report taken into
the advice, cancel that stops the probe and frees what it held, errors as one sentence, and a
window that waits for the probes before it closes."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from advisor.probe_estimate import estimated_seconds, pace_of
from advisor.probes.models import ProbeStatus
from advisor.probes.results import ContainerResult
from advisor.ui import probe_page, probe_worker
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import PROBES_STEP, MainWindow
from advisor.ui.probe_page import PROGRESS_STEPS, QUICK_RUNS, about_seconds
from tests.probe_reports import make_report, on_host
from tests.ui.conftest import WAIT_MS, DialogAnswers, FakeProbes
from tests.ui.driving import answer_everything


def start_probes(qtbot: QtBot, window: MainWindow) -> None:
    window.go_to(PROBES_STEP)
    qtbot.mouseClick(window.probe_page.run_button, Qt.MouseButton.LeftButton)


def start_held_run(qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes) -> None:
    """Start a run that waits mid-way, in the container probe, until released or cancelled."""
    fake_probes.hold = True
    start_probes(qtbot, window)
    qtbot.waitUntil(fake_probes.holding.is_set, timeout=WAIT_MS)


def wait_until_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.probe_page.running, timeout=WAIT_MS)


def test_a_run_shows_progress_and_its_report_reaches_the_advice(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes
) -> None:
    answer_everything(qtbot, window)
    page = window.probe_page
    with qtbot.waitSignal(page.reportReady, timeout=WAIT_MS):
        start_probes(qtbot, window)
    wait_until_idle(qtbot, window)

    assert fake_probes.calls[0].runs == QUICK_RUNS
    assert window.document.probe_report == fake_probes.report
    assert window.document.probe_source == "from this workstation"
    log = page.log.toPlainText()
    assert "container start run 1 of 1" in log and "vm        boot 1 of 1 (TCG)" in log
    for row in page.rows.values():
        assert row.bar.value() == PROGRESS_STEPS
        assert row.step.text().startswith("Done.")
    assert "Includes the probe results" in window.preview.grounding.text()
    recommendation = window.document.recommendation()
    assert recommendation is not None and recommendation.grounding
    assert page.run_button.isEnabled() and not page.cancel_button.isEnabled()
    assert window.isWindowModified()


def test_the_window_stays_usable_while_the_probes_run(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes
) -> None:
    start_held_run(qtbot, window, fake_probes)
    page = window.probe_page
    qtbot.waitUntil(lambda: page.rows["container"].step.text() == "Start run 1 of 1")
    assert page.rows["host"].bar.value() == PROGRESS_STEPS
    assert 0 < page.rows["container"].bar.value() < PROGRESS_STEPS
    assert page.rows["vm"].bar.value() == 0

    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_step == window.document.questions.questions[-1].id
    assert not window.new_action.isEnabled() and not window.open_action.isEnabled()

    fake_probes.release.set()
    wait_until_idle(qtbot, window)
    assert window.new_action.isEnabled() and window.open_action.isEnabled()


def test_cancel_stops_the_probe_and_frees_what_it_held(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes
) -> None:
    start_held_run(qtbot, window, fake_probes)
    assert fake_probes.held == {"sample container"}
    page = window.probe_page

    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    assert "Cancelling" in page.state.text()
    wait_until_idle(qtbot, window)

    assert fake_probes.saw_cancel and fake_probes.held == set()
    assert not fake_probes.release.is_set()  # it stopped because of the cancel, not a release
    assert page.state.text().startswith("Cancelled.")
    assert page.rows["container"].step.text().startswith("Cancelled.")
    assert window.document.probe_report is None
    assert page.run_button.isEnabled()


def test_a_cancelled_run_leaves_the_results_kept_before(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes
) -> None:
    kept = on_host(fake_probes.report, "build-07")
    window.document.set_probe_report(kept, "imported from build-07.json")
    start_held_run(qtbot, window, fake_probes)
    qtbot.mouseClick(window.probe_page.cancel_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert window.document.probe_report == kept
    assert window.probe_page.source.text().startswith("Results imported from build-07.json")
    assert window.probe_page.rows["container"].step.text().startswith("Done.")


def test_an_unexpected_error_is_one_sentence_never_a_traceback(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes
) -> None:
    fake_probes.error = RuntimeError("libvirt went away\n  File 'x.py', line 3")
    start_probes(qtbot, window)
    wait_until_idle(qtbot, window)
    text = window.probe_page.state.text()
    assert text.startswith("The probes stopped unexpectedly: libvirt went away.")
    assert "\n" not in text and "File" not in text
    assert window.document.probe_report is None


def test_a_probe_that_cannot_run_shows_its_reason_and_fix(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes
) -> None:
    fake_probes.report = make_report(
        fake_probes.host,
        container=ContainerResult(
            status=ProbeStatus.UNAVAILABLE,
            reason="no Docker engine answered at unix:///var/run/docker.sock",
            fix="start the engine: sudo systemctl start docker",
            runs=1,
            wall_seconds=0.1,
        ),
    )
    with qtbot.waitSignal(window.probe_page.reportReady, timeout=WAIT_MS):
        start_probes(qtbot, window)
    row = window.probe_page.rows["container"]
    assert row.step.text() == (
        "Could not run. No Docker engine answered at unix:///var/run/docker.sock."
    )
    assert row.fix.isVisible()
    assert "sudo systemctl start docker" in row.fix.text()


def test_closing_during_a_run_asks_then_cancels_and_waits_for_the_clean_up(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes, dialog_answers: DialogAnswers
) -> None:
    start_held_run(qtbot, window, fake_probes)
    dialog_answers.answer = QMessageBox.StandardButton.Close

    window.close()
    assert dialog_answers.asked == ["The probes are running"]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)

    assert fake_probes.saw_cancel and fake_probes.held == set()
    assert not window.probe_page.running


def test_closing_during_a_run_can_be_called_off(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes, dialog_answers: DialogAnswers
) -> None:
    start_held_run(qtbot, window, fake_probes)
    dialog_answers.answer = QMessageBox.StandardButton.Ignore  # Keep Running

    window.close()

    assert dialog_answers.asked == ["The probes are running"]
    assert window.isVisible() and window.probe_page.running
    assert not fake_probes.saw_cancel


def test_a_session_ending_closes_without_asking_but_still_cleans_up(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes, dialog_answers: DialogAnswers
) -> None:
    answer_everything(qtbot, window)
    start_held_run(qtbot, window, fake_probes)

    window.close_without_asking()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)

    assert dialog_answers.asked == []
    assert fake_probes.saw_cancel and fake_probes.held == set()


def test_an_imported_report_shows_where_it_came_from(
    window: MainWindow, fake_probes: FakeProbes
) -> None:
    taken = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    report = on_host(fake_probes.report, "build-07").model_copy(update={"taken_at": taken})
    window.document.set_probe_report(report, "imported from build-07.json")
    source = window.probe_page.source.text()
    assert source.startswith("Results imported from build-07.json, taken ")
    assert source.endswith(" on build-07")


def test_the_quick_check_estimate_is_the_time_a_run_took_here(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes
) -> None:
    page = window.probe_page
    table = estimated_seconds("quick", {})
    assert page.quick.text().endswith(f"about {about_seconds(table)}")
    assert "a two-core workstation" in page.modes.text()
    fake_probes.report = fake_probes.report.model_copy(update={"wall_seconds": 42.0})
    start_probes(qtbot, window)
    wait_until_idle(qtbot, window)
    # The fake probes take a moment, far from the table's figures: the next estimate is theirs.
    assert page.estimate_seconds("quick") < table / 2
    assert page.measured_steps("quick")["vm/first boot"] < 1
    assert "the last runs here" in page.modes.text()
    # The thorough run, not yet run here, is the table paced by how fast the quick one went.
    pace = pace_of("quick", page.measured_steps("quick"))
    assert pace is not None and pace < 1
    assert page.estimate_seconds("thorough") == estimated_seconds("thorough", {}, pace)
    assert page.estimate_seconds("thorough") < estimated_seconds("thorough", {})
    assert page.state.text().startswith("Finished in 42 s. ")


def test_estimates_read_as_a_person_says_them() -> None:
    assert about_seconds(8.8) == "9 seconds"
    assert about_seconds(18.4) == "18 seconds"
    assert about_seconds(42) == "40 seconds"
    assert about_seconds(150) == "2 minutes"


def test_the_page_loads_the_real_probe_code_when_first_shown_and_only_for_real_probes(
    qtbot: QtBot, settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []
    monkeypatch.setattr(probe_page, "preload_probe_code", lambda: loads.append("loaded"))
    real = MainWindow(settings=settings)  # the real probes: their code is worth loading early
    faked = MainWindow(settings=settings, run_probes=lambda *_args: make_report())
    for window in (real, faked):
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)

    assert loads == []  # the first step is shown, not the probe page
    faked.go_to(PROBES_STEP)
    assert loads == []
    real.go_to(PROBES_STEP)
    qtbot.waitUntil(lambda: loads == ["loaded"], timeout=WAIT_MS)


def test_loading_the_probe_code_happens_once_off_the_gui_thread() -> None:
    first = probe_worker.preload_probe_code()
    first.join(WAIT_MS / 1000)

    assert not first.is_alive()
    assert first is not threading.current_thread()
    assert probe_worker.preload_probe_code() is first
    assert "advisor.probes.suite" in sys.modules
