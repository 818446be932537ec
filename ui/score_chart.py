"""The scores of the three options as a horizontal bar chart, drawn with QPainter."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from advisor.report.model import ScoreBar, score_axis
from advisor.rulebook import OPTIONS, Option

VERDICT_COLOUR = QColor("#2b6cb0")
OTHER_COLOUR = QColor("#a3b4c8")
RULED_OUT_COLOUR = QColor("#b8bec7")


class ScoreChart(QWidget):
    """A bar per option; the verdict stands out, a ruled-out option is hatched and says so."""

    def __init__(self, *, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._compact = compact
        self._scores: dict[Option, int] = {}
        self._labels: dict[Option, str] = {}
        self._verdict: Option | None = None
        self._ruled_out: set[Option] = set()
        self._axis = (0, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(220)

    @property
    def scores(self) -> dict[Option, int]:
        """The scores shown, by option; empty when nothing is shown."""
        return dict(self._scores)

    def show_scores(self, bars: tuple[ScoreBar, ...]) -> None:
        """Draw the view model's score bars, or an empty chart for none."""
        self._scores = {bar.option: bar.points for bar in bars}
        self._labels = {bar.option: bar.label for bar in bars}
        self._verdict = next((bar.option for bar in bars if bar.is_verdict), None)
        self._ruled_out = {bar.option for bar in bars if bar.ruled_out_by}
        self._axis = score_axis(bars)
        summary = "; ".join(bar.summary for bar in bars) or self.tr("No scores yet")
        self.setAccessibleName(self.tr("Scores of the options"))
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + (10 if self._compact else 16)

    def sizeHint(self) -> QSize:
        return QSize(360, len(OPTIONS) * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        row_height = self._row_height()
        bold = QFont(self.font())
        bold.setBold(True)
        # Measured in bold: the verdict's label is drawn bold and must not be clipped.
        label_width = max(
            (QFontMetrics(bold).horizontalAdvance(label) for label in self._labels.values()),
            default=0,
        )
        ruled_out_width = (
            metrics.horizontalAdvance(self.tr("ruled out")) + 8 if self._ruled_out else 0
        )
        value_width = metrics.horizontalAdvance("-00") + 8
        left = label_width + 12
        right = self.width() - value_width - ruled_out_width - 4
        low, high = self._axis
        span = high - low
        zero_x = left + (right - left) * (-low) / span
        bar_height = row_height * (0.5 if self._compact else 0.56)

        for row, option in enumerate(OPTIONS):
            top = 4 + row * row_height
            middle = top + row_height / 2
            font = QFont(self.font())
            font.setBold(option == self._verdict)
            painter.setFont(font)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(0, top, label_width, row_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self._labels.get(option, ""),
            )
            if option not in self._scores:
                continue
            score = self._scores[option]
            end_x = left + (right - left) * (score - low) / span
            bar = QRectF(
                min(zero_x, end_x), middle - bar_height / 2, abs(end_x - zero_x), bar_height
            )
            ruled_out = option in self._ruled_out
            colour = (
                RULED_OUT_COLOUR
                if ruled_out
                else VERDICT_COLOUR
                if option == self._verdict
                else OTHER_COLOUR
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(bar, 3, 3)
            if ruled_out:
                painter.setBrush(QBrush(QColor("#6b7280"), Qt.BrushStyle.BDiagPattern))
                painter.drawRoundedRect(bar, 3, 3)
            painter.setPen(text_colour)
            text = str(score)
            if score >= 0:
                text_rect = QRectF(max(end_x, zero_x) + 6, top, value_width, row_height)
                alignment = Qt.AlignmentFlag.AlignLeft
            else:
                text_rect = QRectF(zero_x + 6, top, value_width, row_height)
                alignment = Qt.AlignmentFlag.AlignLeft
            painter.drawText(text_rect, alignment | Qt.AlignmentFlag.AlignVCenter, text)
            if ruled_out:
                font.setBold(False)
                font.setItalic(True)
                painter.setFont(font)
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(
                    QRectF(
                        text_rect.left() + metrics.horizontalAdvance(text) + 8,
                        top,
                        ruled_out_width,
                        row_height,
                    ),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    self.tr("ruled out"),
                )

        axis_pen = QPen(palette.color(QPalette.ColorRole.Mid))
        axis_pen.setWidthF(1.0)
        painter.setPen(axis_pen)
        painter.drawLine(int(zero_x), 2, int(zero_x), 4 + len(OPTIONS) * row_height - 2)
        painter.end()
