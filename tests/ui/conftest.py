"""Fixtures for driving the app: a window with its own settings file, a fake probe backend that
stands in for the real probes (tests/integration runs the real ones through the same worker),
and recorded answers to the dialogs the app would otherwise block on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from advisor.base.i18n import DEFAULT_LANGUAGE
from advisor.probes.control import CancelToken, ProbeCancelled, ProgressCallback, ProgressEvent
from advisor.probes.host_models import HostFacts
from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport, ProbeSettings
from advisor.probes.results import ContainerResult
from advisor.ui import dialogs
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import MainWindow
from advisor.ui.translation import apply_language
from tests.answers_data import make_answers
from tests.probe_reports import make_report, offline_host_facts

WAIT_MS = 10_000
DESKTOP_SIZE = (1280, 800)

# A complete set of answers, given through the widgets by the tests that fill the form.
ANSWERS = make_answers(
    project_name="Team dev environment",
    host_os="macos",
    app_oses=("linux",),
    security="standard",
    app_count=6,
    dependency_conflicts=True,
    replicate_across_machines=True,
)


@pytest.fixture(scope="session")
def host_facts() -> HostFacts:
    """Real host facts, gathered once without reaching any daemon."""
    return offline_host_facts()


class FakeProbes:
    """A probe backend that reports progress, holds resources while it runs and releases them
    in `finally`, like the real probes. With `hold` set it waits mid-run for `release`."""

    def __init__(self, host: HostFacts) -> None:
        self.host = host
        self.report: ProbeReport = make_report(host)
        self.error: Exception | None = None
        self.hold = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held: set[str] = set()
        self.calls: list[ProbeSettings] = []
        self.saw_cancel = False

    def __call__(
        self, settings: ProbeSettings, progress: ProgressCallback, cancel: CancelToken
    ) -> ProbeReport:
        self.calls.append(settings)
        progress(ProgressEvent(probe="host", step="read host facts", fraction=0.0))
        progress(ProgressEvent(probe="host", step="done", fraction=1.0))
        if self.error is not None:
            raise self.error
        self.held.add("sample container")
        try:
            progress(ProgressEvent(probe="container", step="start run 1 of 1", fraction=0.4))
            if self.hold:
                self.holding.set()
                while not self.release.is_set():
                    cancel.sleep(0.01)
            cancel.raise_if_cancelled()
        except ProbeCancelled:
            self.saw_cancel = True
            return self.report.model_copy(
                update={
                    "container": ContainerResult(
                        status=ProbeStatus.CANCELLED, reason="cancelled", runs=1, wall_seconds=0.1
                    ),
                    "vm": None,
                }
            )
        finally:
            self.held.discard("sample container")
        progress(ProgressEvent(probe="container", step="done", fraction=1.0))
        progress(ProgressEvent(probe="vm", step="boot 1 of 1 (TCG)", fraction=0.5))
        progress(ProgressEvent(probe="vm", step="done", fraction=1.0))
        return self.report


@pytest.fixture
def fake_probes(host_facts: HostFacts) -> Iterator[FakeProbes]:
    """The fake backend; released at the end so that no test leaves its thread waiting."""
    fake = FakeProbes(host_facts)
    yield fake
    fake.release.set()


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    """Settings in a file of the test's own, never the user's."""
    return AppSettings(tmp_path / "settings.json")


class DialogAnswers:
    """Stands in for QMessageBox.question: records each question and gives a set answer."""

    def __init__(self) -> None:
        self.answer = QMessageBox.StandardButton.Discard
        self.asked: list[str] = []

    def __call__(self, _parent: Any, title: str, *_args: Any, **_kwargs: Any) -> Any:
        self.asked.append(title)
        return self.answer


@pytest.fixture(autouse=True)
def app_in_english(qapp: Any) -> Iterator[None]:
    """Qt's translators are the application's: a test that switches the language leaves the
    app in English for the next."""
    yield
    apply_language(DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def dialog_answers(monkeypatch: pytest.MonkeyPatch) -> DialogAnswers:
    """No test ever blocks on a message box."""
    answers = DialogAnswers()
    monkeypatch.setattr(QMessageBox, "question", answers)
    monkeypatch.setattr(dialogs, "ask", answers)
    return answers


@pytest.fixture
def make_window(qtbot: QtBot, settings: AppSettings, fake_probes: FakeProbes) -> Iterator[Any]:
    """Opens windows on the test's settings and fake probes; waits for their probes at the end."""
    windows: list[MainWindow] = []

    def make(size: tuple[int, int] | None = DESKTOP_SIZE) -> MainWindow:
        """A window, by default of a desktop's size, wider than the offscreen screen (the
        advice panel beside the page); with `size` None, of the size it opens at."""
        window = MainWindow(settings=settings, run_probes=fake_probes)
        qtbot.addWidget(window)
        if size is not None:
            window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    fake_probes.release.set()
    for window in windows:
        assert window.probe_page.shutdown(WAIT_MS)


@pytest.fixture
def window(make_window: Any) -> MainWindow:
    """One open window."""
    window: MainWindow = make_window()
    return window
