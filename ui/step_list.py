"""The visible list of steps beside the pages: every question, the probes and the results,
each with a mark saying whether it is done."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from advisor.ui.widgets import plain_tooltip

ICON_SIZE = 16
STEP_KEY_ROLE = Qt.ItemDataRole.UserRole


class StepState(Enum):
    """How far a step is: its mark in the list."""

    DONE = "done"
    REQUIRED = "required"  # a required question without an answer
    OPEN = "open"


_COLOURS = {
    StepState.DONE: QColor("#2b6cb0"),
    StepState.REQUIRED: QColor("#b4232a"),
    StepState.OPEN: QColor("#8a94a3"),
}


def _mark(state: StepState, scale: float) -> QIcon:
    pixmap = QPixmap(round(ICON_SIZE * scale), round(ICON_SIZE * scale))
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = _COLOURS[state]
    circle = QRectF(2, 2, ICON_SIZE - 4, ICON_SIZE - 4)
    if state is StepState.DONE:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(circle)
        tick = QPainterPath(QPointF(4.8, 8.2))
        tick.lineTo(QPointF(7.0, 10.4))
        tick.lineTo(QPointF(11.2, 5.8))
        pen = QPen(QColor("white"), 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)
    else:
        painter.setPen(QPen(colour, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(circle.adjusted(0.8, 0.8, -0.8, -0.8))
    painter.end()
    return QIcon(pixmap)


class StepList(QListWidget):
    """One row per step; selecting a row (by mouse or arrow keys) asks for that step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)
        self.setAccessibleName(self.tr("Steps of the assessment"))
        scale = self.devicePixelRatioF()
        self._icons = {state: _mark(state, scale) for state in StepState}

    def add_step(self, key: str, label: str, *, required: bool = False) -> None:
        """Append a step; a required one carries an asterisk after its name."""
        item = QListWidgetItem(f"{label} *" if required else label)
        item.setData(STEP_KEY_ROLE, key)
        item.setSizeHint(QSize(0, self.fontMetrics().height() + 14))
        self.addItem(item)

    def key_at(self, row: int) -> str:
        """The key of the step in `row`."""
        return str(self.item(row).data(STEP_KEY_ROLE))

    def row_of(self, key: str) -> int:
        """The row of the step with `key`."""
        for row in range(self.count()):
            if self.key_at(row) == key:
                return row
        raise KeyError(key)

    def set_state(self, key: str, state: StepState, tooltip: str) -> None:
        """Mark a step as done, required or open."""
        item = self.item(self.row_of(key))
        item.setIcon(self._icons[state])
        item.setToolTip(plain_tooltip(tooltip))  # it may quote an answer, such as the name
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tooltip)
        # A screen reader says the step and its state; the mark alone is only a colour.
        words = {StepState.DONE: "done", StepState.REQUIRED: "required", StepState.OPEN: "open"}
        name = item.text().removesuffix(" *")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}, {words[state]}")

    def state_tooltip(self, key: str) -> str:
        """The tooltip of a step, which says its state in words."""
        return str(self.item(self.row_of(key)).data(Qt.ItemDataRole.AccessibleDescriptionRole))
