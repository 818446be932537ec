"""The probe page's progress by time: a fake clock and a scripted backend show the bars and the
time left moving within a step, holding when a step overruns, and the next estimate taken from
the steps this run measured."""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from pytestqt.qtbot import QtBot

from advisor.probe_estimate import estimated_seconds, step_costs
from advisor.probes.control import CancelToken, ProgressCallback, ProgressEvent
from advisor.probes.report import ProbeReport, ProbeSettings
from advisor.probes.step_costs import FIRST_BOOT
from advisor.rulebook import load_rulebook
from advisor.ui.app_settings import AppSettings
from advisor.ui.document import AssessmentDocument
from advisor.ui.main_window import PROBES_STEP, MainWindow
from advisor.ui.probe_page import LOG_LINES_AT_LEAST, PROGRESS_STEPS, ProbePage
from tests.ui.conftest import WAIT_MS, FakeProbes

STEPS = (
    ("host", "read host facts"),
    ("host", "done"),
    ("container", "sweep leftovers of earlier runs"),
    ("container", "start run 1 of 1"),
    ("container", "clean up"),
    ("container", "done"),
    ("vm", "prepare the guest kernel and initramfs"),
    ("vm", "boot 1 of 1 (TCG)"),
)


class FakeClock:
    """Seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class ScriptedProbes:
    """Announces STEPS, then waits in the VM's boot until released; then ends the run."""

    def __init__(self, report: ProbeReport) -> None:
        self.report = report
        self.release = threading.Event()

    def __call__(
        self, _settings: ProbeSettings, progress: ProgressCallback, cancel: CancelToken
    ) -> ProbeReport:
        for probe, step in STEPS:
            progress(ProgressEvent(probe=probe, step=step, fraction=0.5))  # type: ignore[arg-type]
        while not self.release.is_set():
            cancel.sleep(0.01)
        progress(ProgressEvent(probe="vm", step="done", fraction=1.0))
        return self.report


@pytest.fixture
def scripted(fake_probes: FakeProbes) -> Iterator[ScriptedProbes]:
    probes = ScriptedProbes(fake_probes.report)
    yield probes
    probes.release.set()


def seconds_shown(page: ProbePage) -> int | None:
    found = re.search(r"(\d+) s", page.time_left.text())
    return int(found[1]) if found else None


def test_the_bars_and_the_time_left_move_with_the_clock(
    qtbot: QtBot, scripted: ScriptedProbes, settings: AppSettings
) -> None:
    clock = FakeClock()
    page = ProbePage(AssessmentDocument(load_rulebook()), scripted, settings=settings, clock=clock)
    qtbot.addWidget(page)
    page.show()
    page.start()
    assert page.time_left.isVisible()
    assert seconds_shown(page) == math.ceil(estimated_seconds("quick", {}))
    vm = page.rows["vm"]
    qtbot.waitUntil(lambda: vm.step.text() == "Boot 1 of 1 (TCG)", timeout=WAIT_MS)

    boot = step_costs("quick", {})[("vm", FIRST_BOOT)]
    at_start, left_at_start = vm.bar.value(), seconds_shown(page)
    assert page.rows["container"].bar.value() == PROGRESS_STEPS
    clock.now += boot / 2
    page.refresh_progress()
    halfway, left_halfway = vm.bar.value(), seconds_shown(page)
    assert at_start < halfway < PROGRESS_STEPS
    assert left_at_start is not None and left_halfway is not None
    assert left_halfway < left_at_start
    assert page.time_left.text().startswith("About ")

    clock.now += boot  # the boot takes longer than its estimate
    page.refresh_progress()
    overrun, left_overrun = vm.bar.value(), seconds_shown(page)
    assert page.time_left.text().startswith("Finishing")
    assert left_overrun is None or left_overrun <= left_halfway  # never back up
    clock.now += 30
    page.refresh_progress()
    assert vm.bar.value() == overrun < PROGRESS_STEPS
    assert page.time_left.text().startswith("Finishing")

    with qtbot.waitSignal(page.reportReady, timeout=WAIT_MS):
        scripted.release.set()
    qtbot.waitUntil(lambda: not page.running, timeout=WAIT_MS)
    assert not page.time_left.isVisible()
    assert vm.bar.value() == PROGRESS_STEPS
    # This run's boot took 1.5 times its estimate and 30 s more: the next estimate says so.
    assert page.measured_steps("quick")["vm/first boot"] == pytest.approx(boot * 1.5 + 30)
    assert page.estimate_seconds("quick") > estimated_seconds("quick", {}) + 30


def test_what_is_kept_unreadable_falls_back_to_the_table(
    qtbot: QtBot, fake_probes: FakeProbes, settings: AppSettings
) -> None:
    page = ProbePage(AssessmentDocument(load_rulebook()), fake_probes, settings=settings)
    qtbot.addWidget(page)
    for kept in ("not json", "[1, 2]", '{"vm/first boot": "slow"}'):
        settings.set("probes/quick_step_seconds", kept)
        assert page.estimate_seconds("quick") == estimated_seconds("quick", {})


@pytest.mark.parametrize("size", [(1024, 768), (800, 600)])
def test_the_log_is_below_the_scrolling_part_and_shows_its_newest_line(
    qtbot: QtBot, fake_probes: FakeProbes, settings: AppSettings, size: tuple[int, int]
) -> None:
    def many_lines(
        _settings: ProbeSettings, progress: ProgressCallback, _cancel: CancelToken
    ) -> ProbeReport:
        for number in range(1, 41):
            progress(ProgressEvent(probe="container", step=f"start run {number} of 40", fraction=0))
        return fake_probes.report

    window = MainWindow(settings=settings, run_probes=many_lines)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.go_to(PROBES_STEP)
    page = window.probe_page
    with qtbot.waitSignal(page.reportReady, timeout=WAIT_MS):
        page.start()
    qtbot.waitUntil(lambda: not page.running, timeout=WAIT_MS)
    log = page.log
    assert not page.scroll_area.isAncestorOf(log)
    shown = QRect(log.mapTo(page, QPoint(0, 0)), log.size())
    assert page.rect().contains(shown)
    assert log.height() >= log.fontMetrics().lineSpacing() * LOG_LINES_AT_LEAST
    bar = log.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    assert log.toPlainText().splitlines()[-1].endswith(" s")  # "Probes finished in … s"
