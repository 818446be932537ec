"""The report's two charts, drawn with fpdf2's lines and rectangles: the scores, and container
start against VM boot on a log scale."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from fpdf import FPDF

from advisor.base.i18n import _
from advisor.grounding import format_seconds
from advisor.report.layout import (
    HAIRLINE,
    INK,
    MUTED,
    NOTE,
    SMALL_SIZE,
    Color,
    Style,
    apply,
    make_room,
    measure,
    paragraph,
    subheading,
)
from advisor.report.model import ScoreBar, score_axis
from advisor.report.probe_view import StartupFigure
from advisor.rulebook import Verdict
from advisor.wording import points_text

OPTION_COLORS: dict[Verdict, Color] = {
    "container": (33, 113, 181),
    "vm": (117, 84, 160),
    "hybrid": (196, 121, 14),
    "host": (46, 125, 70),
    "split": (0, 121, 121),
    "none": (160, 50, 45),
}
OTHER_BAR: Color = (173, 181, 189)
RULED_OUT_BAR: Color = (222, 226, 230)
REFERENCE_BAND: Color = (226, 240, 229)
GRID_MINOR: Color = (233, 236, 239)


def score_chart(pdf: FPDF, scores: Sequence[ScoreBar], reason_numbers: Mapping[str, int]) -> None:
    """One horizontal bar per option from a zero line; the verdict in its colour. An option
    ruled out names the reasons (by their number in the report) that rule it out."""
    label_width, value_width, bar_height, gap = 38.0, 56.0, 6.5, 3.0
    left = pdf.l_margin + label_width
    width = pdf.epw - label_width - value_width
    low, high = score_axis(scores)

    def x_of(points: float) -> float:
        return left + (points - low) / (high - low) * width

    zero = x_of(0)
    top = pdf.get_y()
    for row, bar in enumerate(scores):
        y = top + row * (bar_height + gap)
        strong = Style(
            SMALL_SIZE + 1, "B" if bar.is_verdict else "", INK if bar.is_verdict else MUTED
        )
        apply(pdf, strong)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width - 3, bar_height, bar.label, align="R")
        if bar.ruled_out_by:
            fill = RULED_OUT_BAR
        else:
            fill = OPTION_COLORS[bar.option] if bar.is_verdict else OTHER_BAR
        end = x_of(bar.points)
        if bar.points:
            pdf.set_fill_color(*fill)
            pdf.rect(min(zero, end), y, abs(end - zero), bar_height, style="F")
        note = points_text(bar.points)
        if bar.ruled_out_by:
            by = [
                _("reason {number}").format(number=reason_numbers[rule])
                if rule in reason_numbers
                else rule
                for rule in bar.ruled_out_by
            ]
            note += _(", ruled out by {reasons}").format(reasons=", ".join(by))
        elif bar.is_verdict:
            note += _(", the verdict")
        label = Style(SMALL_SIZE, strong.emphasis, strong.color)
        text_left = max(zero, end) + 2
        block = measure(pdf, note, pdf.w - pdf.r_margin - text_left, label)
        apply(pdf, label)
        first = y + (bar_height - block.height) / 2
        for number, line in enumerate(block.lines):
            pdf.set_xy(text_left, first + number * label.line_height)
            pdf.cell(0, label.line_height, line)
    bottom = top + len(scores) * (bar_height + gap) - gap
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(zero, top - 1, zero, bottom + 1)
    pdf.set_y(bottom + 1)


def startup_chart(
    pdf: FPDF, figures: Sequence[StartupFigure], reference_seconds: float, note: str | None
) -> None:
    """Median start and boot times as bars on a log axis, whiskers from fastest to slowest,
    with the article's "a few milliseconds" shaded."""
    bar_height, gap, label_width, value_width = 8.0, 5.0, 34.0, 36.0
    plot_height = len(figures) * (bar_height + gap) - gap + 6
    note_height = measure(pdf, note, pdf.epw, NOTE).height if note else 0
    make_room(pdf, 12 + plot_height + 14 + note_height)
    subheading(pdf, _("Container start against VM boot (log scale)"))
    fastest = min(figure.fastest_seconds for figure in figures)
    slowest = max(figure.slowest_seconds for figure in figures)
    low = math.floor(math.log10(min(reference_seconds / 10, fastest)))
    high = max(math.ceil(math.log10(slowest)), low + 3)
    left = pdf.l_margin + label_width
    width = pdf.epw - label_width - value_width

    def x_of(seconds: float) -> float:
        position = (math.log10(max(seconds, 10.0**low)) - low) / (high - low)
        return left + position * width

    top = pdf.get_y() + 1
    bottom = top + plot_height
    pdf.set_fill_color(*REFERENCE_BAND)
    pdf.rect(left, top, x_of(reference_seconds) - left, plot_height, style="F")
    tick = Style(SMALL_SIZE - 0.5, color=MUTED)
    for exponent in range(low, high + 1):
        for step in range(1, 10) if exponent < high else (1,):
            x = x_of(step * 10.0**exponent)
            pdf.set_draw_color(*(HAIRLINE if step == 1 else GRID_MINOR))
            pdf.set_line_width(0.25 if step == 1 else 0.15)
            pdf.line(x, top, x, bottom)
        apply(pdf, tick)
        pdf.set_xy(x_of(10.0**exponent) - 12, bottom + 0.8)
        pdf.cell(24, 4, tick_label(10.0**exponent), align="C")
    for row, figure in enumerate(figures):
        _timing_bar(pdf, figure, top + 3 + row * (bar_height + gap), bar_height, x_of, left)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(left, top, left, bottom)
    pdf.line(left, bottom, left + width, bottom)
    legend_y = bottom + 6.5
    pdf.set_fill_color(*REFERENCE_BAND)
    pdf.rect(left, legend_y + 0.8, 4, 2.6, style="F")
    apply(pdf, tick)
    pdf.set_xy(left + 5.5, legend_y)
    pdf.cell(
        0,
        4.2,
        _("the article's “a few milliseconds” (taken as up to {limit})").format(
            limit=tick_label(reference_seconds)
        ),
    )
    pdf.set_y(legend_y + 7)
    if note:
        paragraph(pdf, note, NOTE, gap=2)


def tick_label(seconds: float) -> str:
    """An axis label: '10 ms', '1 s', '100 s'."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:g} s"


def _timing_bar(
    pdf: FPDF,
    figure: StartupFigure,
    y: float,
    height: float,
    x_of: Callable[[float], float],
    left: float,
) -> None:
    apply(pdf, Style(SMALL_SIZE + 0.5, "B"))
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(left - pdf.l_margin - 3, height, figure.label, align="R")
    pdf.set_fill_color(*OPTION_COLORS[figure.kind])
    end = x_of(figure.median_seconds)
    pdf.rect(left, y, end - left, height, style="F")
    fastest, slowest = x_of(figure.fastest_seconds), x_of(figure.slowest_seconds)
    middle = y + height / 2
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(fastest, middle, slowest, middle)
    for x in (fastest, slowest):
        pdf.line(x, middle - 1.6, x, middle + 1.6)
    runs = (
        _("1 run") if figure.runs == 1 else _("the middle of {runs} runs").format(runs=figure.runs)
    )
    apply(pdf, Style(SMALL_SIZE, "B"))
    pdf.set_xy(max(end, slowest) + 2, y)
    pdf.cell(0, height, f"{format_seconds(figure.median_seconds)} ({runs})")
