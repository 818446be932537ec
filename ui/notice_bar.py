"""A bar over the top of the window's pages for messages that need no dialog: an error that
says what went wrong and how to fix it, or a short confirmation.

It floats over the pages rather than taking a row of its own, so that showing a message never
pushes the page down under the reader's eyes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QWidget

from advisor.ui.widgets import wrapped_label

INFO_SHOWN_MS = 8000
MAX_WIDTH = 760
INSET = 12
UNBROKEN_MAX_CHARS = 60


class NoticeBar(QFrame):
    """Shows one message at a time; errors stay until closed, information fades by itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAccessibleName(self.tr("Message"))
        self.label = wrapped_label("", "noticeText")
        # Rich text only to keep a file name on one line; every word of it is escaped.
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self._text = ""
        close = QToolButton()
        close.setObjectName("noticeClose")
        close.setText("✕")
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss the message"))
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

    def attach(self, host: QWidget) -> None:
        """Float over the top of `host`, following its size."""
        self.setParent(host)
        host.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        width = max(1, min(MAX_WIDTH, host.width() - 2 * INSET))
        height = self.heightForWidth(width) if self.hasHeightForWidth() else -1
        height = max(height, self.sizeHint().height())
        self.setGeometry((host.width() - width) // 2, INSET // 2, width, height)
        self.raise_()

    @property
    def text(self) -> str:
        """The message shown, as plain text."""
        return self._text

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
        self._text = text
        self.label.setText(unbroken_names(text))
        self.setAccessibleDescription(text)
        self._place()
        self.show()


def unbroken_names(text: str) -> str:
    """`text` as escaped rich text in which no word is broken at its hyphens across lines:
    'linux-microservices-postgres.json' stays whole (a very long one may still wrap)."""
    words = []
    for word in text.split(" "):
        shown = escape(word)
        if "-" in word and len(word) <= UNBROKEN_MAX_CHARS:
            shown = f"<span style='white-space:nowrap'>{shown}</span>"
        words.append(shown)
    return " ".join(words)
