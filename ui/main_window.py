"""The main window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from advisor._version import __version__


class MainWindow(QMainWindow):
    """The app's single top-level window."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(f"dvm-advisor {__version__}")
        self.resize(1000, 700)
        welcome = QLabel(
            "<h2>Docker containers or virtual machines?</h2>"
            "<p>Answer a few questions about your project; the advice is grounded by "
            "launching a real sample container and a real sample VM on this workstation.</p>"
        )
        welcome.setWordWrap(True)
        welcome.setMargin(24)
        self.setCentralWidget(welcome)
