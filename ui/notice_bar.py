"""A bar across the top of the window for messages that need no dialog: an error that says
what went wrong and how to fix it, or a short confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QWidget

from advisor.ui.widgets import wrapped_label

INFO_SHOWN_MS = 8000


class NoticeBar(QFrame):
    """Shows one message at a time; errors stay until closed, information fades by itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.label = wrapped_label("", "noticeText")  # plain: messages quote file names
        close = QToolButton()
        close.setObjectName("noticeClose")
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 8)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    @property
    def kind(self) -> str:
        """'error' or 'info': what the message shown is."""
        return str(self.property("kind") or "")

    def show_error(self, text: str) -> None:
        """Show a problem; it stays until dismissed or replaced."""
        self._show("error", text)

    def show_info(self, text: str) -> None:
        """Show a confirmation that hides itself after a few seconds."""
        self._show("info", text)
        self._timer.start(INFO_SHOWN_MS)

    def _show(self, kind: str, text: str) -> None:
        self._timer.stop()
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        self.show()
