"""Start the desktop app."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication

from advisor._version import __version__
from advisor.ui.main_window import APP_NAME, MainWindow


def run_app(argv: list[str] | None = None) -> int:
    """Create the application, show the main window and run the event loop."""
    app, window = create_app(argv)
    window.show()
    return app.exec()


def create_app(argv: list[str] | None = None) -> tuple[QApplication, MainWindow]:
    """The application and its main window, ready to show."""
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)
    window = MainWindow()
    _report_unexpected_errors(window)
    # The last window closing ends the loop; the probes are already stopped by then, but a
    # quit from elsewhere (a session ending) must not leave a probe thread running either.
    app.aboutToQuit.connect(window.probe_page.shutdown)
    return app, window


def _report_unexpected_errors(window: MainWindow) -> None:
    """Show a fault in the app as one sentence in the window; the traceback goes to stderr."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        traceback.print_exception(kind, error, trace, file=sys.stderr)
        first_line = (str(error).strip().splitlines() or [kind.__name__])[0]
        window.notice.show_error(
            f"Something went wrong: {first_line}. Your answers are still here; "
            "save them, and please report this with the details printed in the terminal."
        )

    sys.excepthook = hook
