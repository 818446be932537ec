"""Start the desktop app."""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType, TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from advisor.base.i18n import Language, current_language
from advisor.base.version import __version__
from advisor.ui.app_settings import app_settings
from advisor.ui.help_window import app_icon
from advisor.ui.main_window import APP_ID, APP_NAME, MainWindow
from advisor.ui.translation import apply_language, saved_language

SIGNAL_POLL_MS = 250


def run_app(
    argv: list[str] | None = None, path: Path | None = None, language: Language | None = None
) -> int:
    """Create the application, show the main window (opening the file `path` in it, if
    given: an assessment, an answers file or a probe report) and run the event loop.

    The language is `language` (given by `--lang`), else the one chosen last in View →
    Language, else the locale's, which advisor.base.i18n holds already."""
    app, window = create_app(argv, language)
    window.show()
    if path is not None:
        # A file that cannot be read is said in the window's notice bar, as from File > Open.
        window.open_file(path)
    return app.exec()


def create_app(
    argv: list[str] | None = None, language: Language | None = None
) -> tuple[QApplication, MainWindow]:
    """The application and its main window, ready to show, in `language` when one is given
    (else the one the settings remember, else the current one)."""
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    settings = app_settings()
    apply_language(language or saved_language(settings) or current_language())
    window = MainWindow(settings=settings)
    _report_unexpected_errors()
    _close_on_termination_signals(app)
    # The last window closing ends the loop; the probes are already stopped by then, but a
    # quit from elsewhere (a session ending) must not leave a probe thread running either.
    app.aboutToQuit.connect(lambda: _each_window(lambda shown: shown.probe_page.shutdown()))
    return app, window


def _each_window(action: Callable[[MainWindow], object]) -> None:
    """Do `action` to the main window, which View → Language may have made again."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            action(widget)


def _close_on_termination_signals(app: QApplication) -> None:
    """Ctrl+C in the terminal and SIGTERM close the window as Quit does, without asking, so
    that running probes are cancelled and clean up before the process ends."""

    def close(_signal: int, _frame: FrameType | None) -> None:
        QTimer.singleShot(0, lambda: _each_window(MainWindow.close_without_asking))

    signal.signal(signal.SIGINT, close)
    signal.signal(signal.SIGTERM, close)
    # Python runs signal handlers only while it runs code; this timer lets it in while the
    # event loop waits.
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_POLL_MS)


def _report_unexpected_errors() -> None:
    """Show a fault in the app as one sentence in the window; the traceback goes to stderr."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        traceback.print_exception(kind, error, trace, file=sys.stderr)
        first_line = (str(error).strip().splitlines() or [kind.__name__])[0]
        message = QApplication.translate(
            "app",
            "Something went wrong: {problem}. Your answers are still here; "
            "save them, and please report this with the details printed in the terminal.",
        ).format(problem=first_line)
        _each_window(lambda shown: shown.notice.show_error(message))

    sys.excepthook = hook
