"""Small building blocks every page uses: labels that wrap, headings, cards, scroll areas."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A label that shows `text` as typed.

    Qt would render text that merely looks like markup as rich text, and much of what the
    window shows comes from files made elsewhere (a project's name, a file's name); a label
    meant for markup sets Qt.TextFormat.RichText and escapes what it is given.
    """
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_tooltip(text: str) -> str:
    """`text` as a tooltip that shows it as typed (Qt guesses a tooltip's format too)."""
    return QtGui.Qt.convertFromPlainText(text)


def wrapped_label(text: str, name: str = "", parent: QWidget | None = None) -> QLabel:
    """A plain-text label that wraps its text, selectable by mouse, styled by its object name."""
    label = plain_label(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def heading(text: str, name: str = "heading") -> QLabel:
    """A heading: larger, bold text that wraps."""
    label = wrapped_label(text, name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def card(name: str = "card") -> tuple[QFrame, QVBoxLayout]:
    """A framed panel and its layout."""
    frame = QFrame()
    frame.setObjectName(name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 14)
    layout.setSpacing(8)
    return frame, layout


def scrolling(body: QWidget, area: QScrollArea | None = None) -> QScrollArea:
    """`body` in a frameless scroll area (`area`, or a new one) that scrolls vertically only."""
    area = area if area is not None else QScrollArea()
    area.setObjectName("pageScroll")
    area.setWidget(body)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Not a tab stop of its own, which would show no focus: Tab goes to what it holds, and the
    # area scrolls to show it.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    body.setObjectName(body.objectName() or "pageBody")
    return area
