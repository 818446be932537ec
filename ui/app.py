"""Start the desktop app."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from advisor._version import __version__
from advisor.ui.main_window import MainWindow


def run_app(argv: list[str] | None = None) -> int:
    """Create the application, show the main window and run the event loop."""
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("dvm-advisor")
    app.setOrganizationName("dvm-advisor")
    app.setApplicationVersion(__version__)
    window = MainWindow()
    window.show()
    return app.exec()
