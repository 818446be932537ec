"""The probe step: run the real probes here, watch their progress, cancel them, or import
results taken on another workstation."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QResizeEvent, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from advisor.base.i18n import _, format_datetime
from advisor.probe_estimate import DONE_STEP, RunEstimate, estimated_seconds, pace_of
from advisor.probes.control import ProgressEvent
from advisor.probes.step_costs import QUICK_RUNS, RunMode
from advisor.report.probe_view import (
    PROBE_TITLES,
    ProbeKey,
    ProbeOutcome,
    probe_outcomes,
    stopped_outcome,
)
from advisor.ui.app_settings import AppSettings
from advisor.ui.document import AssessmentDocument
from advisor.ui.probe_worker import (
    ProbeRunFunction,
    ProbeThread,
    preload_probe_code,
    run_real_probes,
)
from advisor.ui.widgets import card, heading, scrolling, wrapped_label

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport

PROGRESS_STEPS = 1000
_PROBE_KEYS: tuple[ProbeKey, ...] = tuple(PROBE_TITLES)
HEADLESS_PROBE_COMMAND = "dvm-advisor probe --json FILE"
# Where the time each step of a kind of run took here is kept, for the next run's estimate.
STEP_SECONDS_KEY = "probes/{mode}_step_seconds"
# The log is never shorter than this; it takes whatever height the page has beside.
LOG_LINES_AT_LEAST = 5
# How often the bars and the time left move between the probes' own announcements.
TICK_MS = 250


class ProbeRow:
    """One probe's line on the page: its name, a progress bar and the step it is at."""

    def __init__(self, probe: ProbeKey, grid: QGridLayout, row: int) -> None:
        self.probe = probe
        self.title = QLabel(_(PROBE_TITLES[probe]))
        self.title.setObjectName("probeTitle")
        self.bar = QProgressBar()
        self.bar.setObjectName(f"progress-{probe}")
        self.bar.setAccessibleName(f"{PROBE_TITLES[probe]}: progress")
        self.bar.setRange(0, PROGRESS_STEPS)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.step = wrapped_label("", "probeStep")
        self.fix = wrapped_label("", "probeFix")
        self.fix.setTextFormat(Qt.TextFormat.RichText)
        self.fix.hide()
        grid.addWidget(self.title, row * 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.bar, row * 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.step, row * 2, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.fix, row * 2 + 1, 1, 1, 2)

    def reset(self, step: str) -> None:
        """Back to the start, showing `step`."""
        self.bar.setValue(0)
        self.step.setText(step)
        self._set_status("")
        self.fix.hide()

    def show_step(self, event: ProgressEvent) -> None:
        """Say which step the probe is at."""
        self.step.setText(event.text[:1].upper() + event.text[1:])

    def advance(self, fraction: float) -> None:
        """Move the bar on to `fraction` of the probe's work; it never moves back."""
        value = round(max(0.0, min(1.0, fraction)) * PROGRESS_STEPS)
        if value > self.bar.value():
            self.bar.setValue(value)

    def show_outcome(self, outcome: ProbeOutcome) -> None:
        """The probe has ended: a full bar when it ran, and what it found or the fix."""
        if outcome.status == "ok":
            self.bar.setValue(PROGRESS_STEPS)
        self.step.setText(
            QCoreApplication.translate("ProbeRow", "{status}. {summary}").format(
                status=outcome.status_word, summary=outcome.summary
            )
        )
        self._set_status(outcome.status)
        fix = outcome.fix
        fix_label = QCoreApplication.translate("ProbeRow", "Fix:")
        self.fix.setText(f"<b>{fix_label}</b> {escape(fix)}" if fix else "")
        self.fix.setVisible(bool(fix))

    def _set_status(self, status: str) -> None:
        # The style sheet colours the step by this property; a change needs a new polish.
        if (self.step.property("status") or "") == status:
            return
        self.step.setProperty("status", status)
        style = self.step.style()
        style.unpolish(self.step)
        style.polish(self.step)


class ProbePage(QWidget):
    """Runs the probes off the GUI thread with progress, log and cancel; shows their outcome."""

    reportReady = Signal(object)  # a ProbeReport from a run that was not cancelled
    runningChanged = Signal(bool)
    importRequested = Signal()

    def __init__(
        self,
        document: AssessmentDocument,
        run_function: ProbeRunFunction = run_real_probes,
        parent: QWidget | None = None,
        settings: AppSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`settings`: where the time each step of a run took here is kept, for the next
        estimate; `clock`: the seconds the progress and the time left are measured in."""
        super().__init__(parent)
        self._document = document
        self._run_function = run_function
        self._thread: ProbeThread | None = None
        self._settings = settings
        self._clock = clock
        self._mode: RunMode = "quick"
        self._estimate: RunEstimate | None = None
        self._shown_left: int | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.refresh_progress)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(heading(self.tr("Check the advice on this workstation"), "questionTitle"))
        layout.addWidget(
            wrapped_label(
                self.tr(
                    "The probes start a real sample container through the Docker engine and a "
                    "tiny Linux VM through libvirt and QEMU, measure both, and remove everything "
                    "they started, also when cancelled. To check another machine instead, run "
                    "this command there and import the file it writes:"
                ),
                "explanation",
            )
        )
        command = QLabel(HEADLESS_PROBE_COMMAND)
        command.setObjectName("command")
        command.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(command, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self._build_controls())
        layout.addWidget(self._build_progress())
        self.log = QPlainTextEdit()
        self.log.setObjectName("probeLog")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log.setPlaceholderText(self.tr("What the probes do is written here as they run."))
        frame = 2 * self.log.frameWidth() + 2 * int(self.log.document().documentMargin())
        self.log.setMinimumHeight(self.log.fontMetrics().lineSpacing() * LOG_LINES_AT_LEAST + frame)
        log_pane = QWidget()
        log_pane.setObjectName("pageBody")
        log_layout = QVBoxLayout(log_pane)
        log_layout.setContentsMargins(32, 0, 32, 16)
        log_layout.setSpacing(8)
        log_layout.addWidget(wrapped_label(self.tr("Log"), "sectionTitle"))
        log_layout.addWidget(self.log, 1)

        # The log is not inside the page's scrolling part but below it, taking the height left
        # over, so that its newest lines stay in view; only a window too low for the whole
        # page makes the part above the log scroll. Placed by hand (see _place): a layout
        # would size the part above by a scroll area's hint, at most 24 lines high.
        self.scroll_area = scrolling(body)
        self.scroll_area.setParent(self)
        log_pane.setParent(self)
        self._log_pane, self._log_layout, self._body = log_pane, log_layout, body
        body.installEventFilter(self)
        document.probeReportChanged.connect(self._show_report)
        self._show_report()

    def minimumSizeHint(self) -> QSize:
        return self._log_pane.minimumSizeHint()

    def sizeHint(self) -> QSize:
        return self._log_pane.sizeHint() + QSize(0, self._body_height(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def showEvent(self, event: QShowEvent) -> None:
        """The page is in view: the user may run the probes soon, so load their code now."""
        super().showEvent(event)
        if self._run_function is run_real_probes:
            preload_probe_code()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """What the part above the log shows changed its size: place both parts again."""
        if watched is self._body and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self._place)
        return super().eventFilter(watched, event)

    def _body_height(self, width: int) -> int:
        body = self._body
        height = body.heightForWidth(width) if body.hasHeightForWidth() else -1
        return height if height >= 0 else body.sizeHint().height()

    def _place(self) -> None:
        """The part above the log as high as it needs where there is room, the log below it
        in the rest, never lower than its few lines."""
        width, height = self.width(), self.height()
        log_least = self._log_pane.minimumSizeHint().height()
        top = max(0, min(self._body_height(width), height - log_least))
        bar = self.log.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 1
        self.scroll_area.setGeometry(0, 0, width, top)
        self._log_pane.setGeometry(0, top, width, max(0, height - top))
        if following:  # a lower log still shows its newest line
            self._log_layout.activate()
            bar.setValue(bar.maximum())

    def _build_controls(self) -> QWidget:
        frame, layout = card()
        layout.addWidget(wrapped_label(self.tr("How thoroughly"), "cardTitle"))
        self.quick = QRadioButton()
        self.thorough = QRadioButton()
        self.modes = wrapped_label("", "muted")
        self._show_estimates()
        self.quick.setChecked(True)
        group = QButtonGroup(frame)
        group.addButton(self.quick)
        group.addButton(self.thorough)
        layout.addWidget(self.quick)
        layout.addWidget(self.thorough)
        layout.addWidget(self.modes)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.run_button = QPushButton(self.tr("&Run probes"))
        self.run_button.setObjectName("primary")
        self.cancel_button = QPushButton(self.tr("&Cancel"))
        self.import_button = QPushButton(self.tr("&Import results…"))
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.import_button.clicked.connect(self.importRequested)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout.addSpacing(4)
        layout.addLayout(buttons)
        self.state = wrapped_label("", "probeState")
        layout.addWidget(self.state)
        self._set_running(False)
        return frame

    def _build_progress(self) -> QWidget:
        frame, layout = card()
        self.source = wrapped_label("", "cardTitle")
        self.time_left = wrapped_label("", "timeLeft")
        self.time_left.hide()
        title = QHBoxLayout()
        title.addWidget(self.source, 1)
        title.addWidget(self.time_left, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 3)
        self.rows = {probe: ProbeRow(probe, grid, index) for index, probe in enumerate(_PROBE_KEYS)}
        layout.addLayout(grid)
        return frame

    def measured_steps(self, mode: RunMode) -> dict[str, float]:
        """The time each step of the last `mode` run took here, kept in the settings; none
        before a run here, or where what is kept cannot be read."""
        kept = self._settings.text(STEP_SECONDS_KEY.format(mode=mode)) if self._settings else None
        try:
            loaded = json.loads(kept) if kept else {}
        except ValueError:
            return {}
        if not isinstance(loaded, dict):
            return {}
        return {
            str(name): float(seconds)
            for name, seconds in loaded.items()
            if isinstance(seconds, int | float) and math.isfinite(seconds)
        }

    def estimate_seconds(self, mode: RunMode) -> float:
        """How long a run of `mode` takes here: from the steps of the last such run measured
        on this workstation, else from the table of step costs, scaled by how fast the other
        kind of run went here."""
        return estimated_seconds(mode, self.measured_steps(mode), self.pace(mode))

    def pace(self, mode: RunMode) -> float:
        """How many times the table's step costs this workstation takes, as the last run of
        `mode` here measured it, else the last run of the other kind; 1 before any run."""
        for kind in (mode, "thorough" if mode == "quick" else "quick"):
            measured = pace_of(kind, self.measured_steps(kind))
            if measured is not None:
                return measured
        return 1.0

    def _show_estimates(self) -> None:
        measured = bool(self.measured_steps("quick"))
        # Short, so that a narrow window keeps every button of the row below in view.
        self.quick.setText(
            self.tr("Quick check, about {duration}").format(
                duration=about_seconds(self.estimate_seconds("quick"))
            )
        )
        self.thorough.setText(
            self.tr("Thorough, about {duration}").format(
                duration=about_seconds(self.estimate_seconds("thorough"))
            )
        )
        self.modes.setText(
            self.tr(
                "The quick check runs each probe once; the thorough one runs each several "
                "times, for steadier figures. The times are those of the last runs here."
            )
            if measured
            else self.tr(
                "The quick check runs each probe once; the thorough one runs each several "
                "times, for steadier figures. The times are those of a two-core workstation."
            )
        )

    @property
    def running(self) -> bool:
        """Whether a probe run is under way (or still cleaning up after a cancel)."""
        return self._thread is not None

    def start(self) -> None:
        """Run the probes on their own thread; the page stays usable meanwhile."""
        if self._thread is not None:
            return
        runs = QUICK_RUNS if self.quick.isChecked() else None
        self._mode = "quick" if self.quick.isChecked() else "thorough"
        self._estimate = RunEstimate(
            self._mode, self.measured_steps(self._mode), self._clock(), self.pace(self._mode)
        )
        self._shown_left = None
        thread = ProbeThread(runs, self._run_function, self)
        thread.progressed.connect(self._progressed)
        thread.succeeded.connect(self._succeeded)
        thread.failed.connect(self._failed)
        thread.finished.connect(self._thread_finished)
        self._thread = thread
        for probe, row in self.rows.items():
            row.reset(self.tr("Waiting") if probe != "host" else self.tr("Starting"))
        self.source.setText(self.tr("This run"))
        self.log.clear()
        self._log(
            self.tr("Probes started (quick check)")
            if self.quick.isChecked()
            else self.tr("Probes started")
        )
        self._set_running(True)
        self.state.setText(self.tr("Running. The rest of the app stays usable meanwhile."))
        self.refresh_progress()
        self.time_left.show()
        self._ticker.start()
        thread.start()

    def cancel(self) -> None:
        """Ask the running probes to stop; they remove what they started, then end."""
        if self._thread is None or self._thread.cancel_requested:
            return
        self._thread.cancel()
        self._stop_estimate()
        self.cancel_button.setEnabled(False)
        self.state.setText(self.tr("Cancelling: removing what the probes started…"))
        self._log(self.tr("Cancel requested; cleaning up"))

    def shutdown(self, timeout_ms: int = 120_000) -> bool:
        """Cancel any run and wait for it to clean up; True when no run is left."""
        thread = self._thread
        if thread is None:
            return True
        thread.cancel()
        return thread.wait(timeout_ms)

    def _progressed(self, event: ProgressEvent) -> None:
        self.rows[event.probe].show_step(event)
        if self._estimate is not None:
            self._estimate.heard(event.probe, event.step, self._clock())
            # A probe announcing a step means the ones before it have ended.
            for probe in _PROBE_KEYS[: _PROBE_KEYS.index(event.probe)]:
                self._estimate.heard(probe, DONE_STEP, self._clock())
            self.refresh_progress()
        self._log(f"{event.probe:<9} {event.text}")

    def refresh_progress(self) -> None:
        """Move the bars and the time left on to the clock's time (a timer calls this while
        the probes run)."""
        estimate = self._estimate
        if estimate is None:
            return
        now = self._clock()
        for probe, row in self.rows.items():
            row.advance(estimate.fraction(probe, now))
        left = math.ceil(estimate.seconds_left(now))
        # Never more than shown before: the estimate only ever comes down.
        shown = left if self._shown_left is None else min(left, self._shown_left)
        self._shown_left = shown
        self.time_left.setText(time_left_text(shown, estimate.overrunning(now)))

    def _succeeded(self, report: ProbeReport) -> None:
        thread = self.sender()
        if isinstance(thread, ProbeThread) and thread.cancel_requested:
            if self._document.probe_report is not None:
                self._show_report()  # the results kept, not the run that was stopped
            else:
                self._show_outcomes(report)
            self.state.setText(
                self.tr(
                    "Cancelled. Everything the probes started was removed; "
                    "the results kept before are unchanged."
                )
            )
            self._log(self.tr("Cancelled; clean-up finished"))
            return
        self._log(self.tr("Probes finished in {seconds:.1f} s").format(seconds=report.wall_seconds))
        estimate = self._estimate
        self._stop_estimate()
        if self._settings is not None and estimate is not None:
            taken = estimate.step_seconds(self._clock())
            key = STEP_SECONDS_KEY.format(mode=self._mode)
            self._settings.set(key, json.dumps(taken, sort_keys=True))
            self._show_estimates()
        self.reportReady.emit(report)
        # Say what the run added: the article's claims checked here, which the advice weighs.
        view = self._document.view()
        added = (
            view.grounding_summary
            if view is not None
            else self.tr("Answer the required questions to see the advice with these results.")
        )
        self.state.setText(
            self.tr("Finished in {seconds:.0f} s. {added}").format(
                seconds=report.wall_seconds, added=added
            )
        )

    def _failed(self, message: str) -> None:
        self._stop_estimate()
        self.state.setText(message)
        self.state.setProperty("status", "failed")
        self._log(message)
        for row in self.rows.values():
            if row.bar.value() < PROGRESS_STEPS:
                row.show_outcome(stopped_outcome(row.probe))

    def _thread_finished(self) -> None:
        self._stop_estimate()
        thread = self._thread
        self._thread = None
        if thread is not None:
            thread.deleteLater()
        self._set_running(False)

    def _stop_estimate(self) -> None:
        self._ticker.stop()
        self._estimate = None
        self.time_left.hide()

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.import_button.setEnabled(not running)
        self.quick.setEnabled(not running)
        self.thorough.setEnabled(not running)
        self.runningChanged.emit(running)

    def _show_report(self) -> None:
        report = self._document.probe_report
        if report is None:
            self.source.setText(self.tr("No probe results yet"))
            for row in self.rows.values():
                row.reset(self.tr("Not run yet"))
            return
        self.source.setText(
            self.tr("Results {source}, taken {when} on {host}").format(
                source=self._document.probe_source,
                when=format_datetime(report.taken_at.astimezone()),
                host=report.hostname,
            )
        )
        self._show_outcomes(report)

    def _show_outcomes(self, report: ProbeReport) -> None:
        for outcome in probe_outcomes(report):
            self.rows[outcome.probe].show_outcome(outcome)

    def _log(self, text: str) -> None:
        bar = self.log.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 1
        self.log.appendPlainText(f"{datetime.now():%H:%M:%S}  {text}")
        if following:  # stay on the newest line, unless the reader scrolled back
            self.log.moveCursor(QTextCursor.MoveOperation.End)
            self.log.ensureCursorVisible()


def about_seconds(seconds: float) -> str:
    """A duration as an estimate reads: '20 seconds', '2 minutes'."""
    if seconds >= 90:
        return QCoreApplication.translate("ProbePage", "{count} minutes").format(
            count=round(seconds / 60)
        )
    count = max(1, round(seconds)) if seconds < 20 else round(seconds / 5) * 5
    return QCoreApplication.translate("ProbePage", "{count} seconds").format(count=count)


def time_left_text(seconds: int, overrunning: bool) -> str:
    """The time a run has left as the page says it: 'About 8 s left'; while a step takes
    longer than estimated, that it is finishing it (and what comes after)."""
    if not overrunning:
        return QCoreApplication.translate("ProbePage", "About {seconds} s left").format(
            seconds=max(1, seconds)
        )
    if seconds < 1:
        return QCoreApplication.translate("ProbePage", "Finishing…")
    return QCoreApplication.translate(
        "ProbePage", "Finishing a step that takes longer than estimated, then about {seconds} s"
    ).format(seconds=seconds)
