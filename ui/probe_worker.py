"""Runs the probes on a thread of their own; the thread talks to the window only by signals.

The probe code knows nothing of Qt: it gets a progress callback (here: a signal's emit, which
Qt queues to the GUI thread) and a cancel token (set from the GUI thread, polled by the probe
between steps). Cancelling never kills the thread: the probe sees the token, removes what it
started and returns, so nothing is left behind.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from advisor.probes.control import CancelToken, ProgressCallback

if TYPE_CHECKING:
    from advisor.probes.report import ProbeReport, ProbeSettings

ProbeRunFunction = Callable[["ProbeSettings", ProgressCallback, CancelToken], "ProbeReport"]


def run_real_probes(
    settings: ProbeSettings, progress: ProgressCallback, cancel: CancelToken
) -> ProbeReport:
    """The real probes; imported on first use so that opening the window stays quick."""
    from advisor.probes.suite import run_probes

    return run_probes(settings, progress, cancel)


_preloading: threading.Thread | None = None


def preload_probe_code() -> threading.Thread:
    """Import the probe code (the Docker SDK, libvirt, the probes: some 0.4 s) on a thread of
    its own, once: the probe page starts it when first shown, so that a run started from
    there does not wait for it. The thread that was started, to wait on (a run that begins
    before it ends only waits for the imports under way)."""
    global _preloading
    if _preloading is None:
        _preloading = threading.Thread(
            target=_import_probe_code, name="probe code preload", daemon=True
        )
        _preloading.start()
    return _preloading


def _import_probe_code() -> None:
    # Whatever fails here fails again, as a sentence, when a run imports it.
    with contextlib.suppress(Exception):
        import advisor.probes.report
        import advisor.probes.suite  # noqa: F401


def unexpected_failure_message(error: BaseException) -> str:
    """A one-line sentence for an error the probes did not turn into a result themselves."""
    detail = str(error).strip().splitlines()
    cause = detail[0] if detail else type(error).__name__
    return QCoreApplication.translate(
        "probes",
        "The probes stopped unexpectedly: {cause}. Nothing they started was kept; "
        "try again, or run `dvm-advisor probe` in a terminal to see more.",
    ).format(cause=cause)


class ProbeThread(QThread):
    """One run of the probes, `runs` times each (None: each probe's default). Emits
    progressed(ProgressEvent) while it runs, then exactly one of succeeded(ProbeReport) or
    failed(str)."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        runs: int | None,
        run_function: ProbeRunFunction = run_real_probes,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("probes")
        self._runs = runs
        self._run_function = run_function
        self._token = CancelToken()

    @property
    def cancel_requested(self) -> bool:
        """Whether cancel() was called."""
        return self._token.cancelled

    def cancel(self) -> None:
        """Ask the probes to stop; they clean up, and the thread then ends by itself."""
        self._token.cancel()

    def run(self) -> None:
        """Runs on the probe thread: no widget is touched here, only signals are emitted."""
        try:
            # The probe code is imported here, on first use, off the GUI thread.
            from advisor.probes.report import ProbeSettings

            settings = ProbeSettings(runs=self._runs)
            report = self._run_function(settings, self.progressed.emit, self._token)
        except Exception as error:  # whatever goes wrong must reach the user as a sentence
            self.failed.emit(unexpected_failure_message(error))
        else:
            self.succeeded.emit(report)
