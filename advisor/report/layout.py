"""How the report sets text: styles, paragraphs broken into lines once, tables, headings.

Every text is broken into lines by fpdf2 once (a dry run), then set line by line: a block's
height is known before it is drawn, so a panel can be painted behind it and a block that
must stay whole can move to the next page first, without laying the text out twice.
Text is always plain: no markdown, no HTML.

fpdf2 breaks lines only at spaces. A text with Chinese in it is broken by the rules of
advisor/base/line_breaks.py instead (between characters, never before closing or after
opening punctuation), measured by fpdf2; a word longer than a line still goes to fpdf2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from advisor.base.line_breaks import is_wide, wrap
from advisor.report.fonts import LATIN_FAMILY

Color = tuple[int, int, int]

INK: Color = (33, 37, 41)
MUTED: Color = (108, 117, 125)
HAIRLINE: Color = (206, 212, 218)
PANEL: Color = (246, 247, 249)
HEADING: Color = (24, 61, 97)

BODY_SIZE = 9.5
SMALL_SIZE = 8.0
# Line height in millimetres per point of type size: a little over 1.3 times the size.
_LINE_FACTOR = 0.47
_CELL_PADDING = (2.0, 1.3)  # horizontal, vertical, in millimetres


@dataclass(frozen=True)
class Style:
    """Type size in points, emphasis ('' or 'B') and colour."""

    size: float = BODY_SIZE
    emphasis: str = ""
    color: Color = INK

    @property
    def line_height(self) -> float:
        """Millimetres from one baseline to the next."""
        return self.size * _LINE_FACTOR


BODY = Style()
BOLD = Style(emphasis="B")
NOTE = Style(SMALL_SIZE + 0.5, color=MUTED)
SMALL = Style(SMALL_SIZE, color=MUTED)
TABLE = Style(SMALL_SIZE + 0.5)
TABLE_HEADING = Style(SMALL_SIZE + 0.5, "B", HEADING)


@dataclass(frozen=True)
class Block:
    """A text broken into lines for one width and style."""

    lines: tuple[str, ...]
    style: Style

    @property
    def height(self) -> float:
        """The height of all its lines."""
        return len(self.lines) * self.style.line_height


@dataclass(frozen=True)
class Cell:
    """One table cell's text and style."""

    text: str
    style: Style = TABLE


def apply(pdf: FPDF, style: Style) -> None:
    """Make `style` the current font and colour."""
    pdf.set_font(LATIN_FAMILY, style=style.emphasis, size=style.size)
    pdf.set_text_color(*style.color)


def measure(pdf: FPDF, text: str, width: float, style: Style = BODY) -> Block:
    """`text` broken into lines that fit `width` millimetres."""
    apply(pdf, style)
    if not any(is_wide(char) for char in text):
        return Block(tuple(_broken_by_fpdf(pdf, text, width, style)), style)
    # fpdf2 sets no kerning: a text is as wide as its characters, each measured once.
    widths: dict[str, float] = {}

    def width_of(piece: str) -> float:
        return sum(
            widths.get(char) or widths.setdefault(char, pdf.get_string_width(char))
            for char in piece
        )

    lines: list[str] = []
    for part in text.split("\n"):
        for line in wrap(part, width, width_of) or [""]:
            fits = width_of(line) <= width
            lines += [line] if fits else _broken_by_fpdf(pdf, line, width, style)
    return Block(tuple(lines), style)


def _broken_by_fpdf(pdf: FPDF, text: str, width: float, style: Style) -> list[str]:
    lines = pdf.multi_cell(
        width,
        style.line_height,
        text,
        align="L",
        dry_run=True,
        output=MethodReturnValue.LINES,
    )
    return cast(list[str], lines)


def draw(pdf: FPDF, block: Block, x: float, y: float) -> float:
    """Set `block` with its first line's top at (x, y); returns the y below it.

    A block that reaches the page's foot continues on the next page.
    """
    apply(pdf, block.style)
    step = block.style.line_height
    for line in block.lines:
        if y + step > pdf.page_break_trigger:
            pdf.add_page()
            apply(pdf, block.style)
            y = pdf.get_y()
        pdf.set_xy(x, y)
        pdf.cell(0, step, line)
        y += step
    return y


def paragraph(
    pdf: FPDF,
    text: str,
    style: Style = BODY,
    *,
    indent: float = 0,
    width: float | None = None,
    gap: float = 1.0,
) -> None:
    """Set `text` at the current position, `indent` from the left margin; then `gap` below."""
    x = pdf.l_margin + indent
    block = measure(pdf, text, width if width is not None else pdf.epw - indent, style)
    pdf.set_y(draw(pdf, block, x, pdf.get_y()) + gap)


def make_room(pdf: FPDF, height: float) -> None:
    """Start a new page when less than `height` is left on this one."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def section(pdf: FPDF, number: int, title: str, lead: str | None = None) -> None:
    """A numbered section heading, never alone at the foot of a page."""
    make_room(pdf, 40)
    pdf.ln(3)
    apply(pdf, Style(13, "B", HEADING))
    pdf.cell(0, 7, f"{number}  {title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*HEADING)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + 18, pdf.get_y() + 0.5)
    pdf.ln(3)
    if lead:
        paragraph(pdf, lead, NOTE, gap=2)


def subheading(pdf: FPDF, title: str, room: float = 25) -> None:
    """A heading inside a section, kept with at least `room` millimetres of what follows."""
    make_room(pdf, room)
    pdf.ln(1.5)
    apply(pdf, Style(10.5, "B", INK))
    pdf.cell(0, 6, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.5)


def bullet(pdf: FPDF, text: str, gap: float = 1.5) -> None:
    """A bulleted paragraph, the bullet on the page its first line is on."""
    # The bullet's own cell would break the page under the paragraph's first line.
    make_room(pdf, BODY.line_height)
    top = pdf.get_y()
    apply(pdf, Style(BODY_SIZE, "B", HEADING))
    pdf.set_xy(pdf.l_margin, top)
    pdf.cell(5, BODY.line_height, "•")
    pdf.set_y(top)
    paragraph(pdf, text, indent=5, gap=gap)


def table(
    pdf: FPDF,
    widths: Sequence[float],
    rows: Sequence[Sequence[Cell]],
    headings: Sequence[str] | None = None,
) -> None:
    """A table across the page; `widths` are fractions of it. Rows never split; the headings
    repeat on each page the table reaches."""
    columns = [fraction * pdf.epw for fraction in widths]
    pad_x, pad_y = _CELL_PADDING
    heading_cells = [Cell(text, TABLE_HEADING) for text in headings] if headings else None

    def blocks_of(cells: Sequence[Cell]) -> list[Block]:
        return [
            measure(pdf, cell.text, width - 2 * pad_x, cell.style)
            for cell, width in zip(cells, columns, strict=True)
        ]

    def draw_row(blocks: list[Block], y: float, fill: Color | None, rule: Color) -> float:
        height = max(block.height for block in blocks) + 2 * pad_y
        if fill is not None:
            pdf.set_fill_color(*fill)
            pdf.rect(pdf.l_margin, y, pdf.epw, height, style="F")
        x = pdf.l_margin
        for block, width in zip(blocks, columns, strict=True):
            draw(pdf, block, x + pad_x, y + pad_y)
            x += width
        pdf.set_draw_color(*rule)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + pdf.epw, y + height)
        return y + height

    heading_blocks = blocks_of(heading_cells) if heading_cells else None
    measured = [blocks_of(cells) for cells in rows]
    heights = [max(block.height for block in blocks) + 2 * pad_y for blocks in measured]
    y = pdf.get_y()
    if heading_blocks:
        y = draw_row(heading_blocks, y, PANEL, MUTED)
    for index, blocks in enumerate(measured):
        height = heights[index]
        # The last row never goes alone to a new page: the one before it goes along.
        widowed = index == len(rows) - 2 and y + height + heights[-1] > pdf.page_break_trigger
        if y + height > pdf.page_break_trigger or (widowed and index > 0):
            pdf.add_page()
            y = pdf.get_y()
            if heading_blocks:
                y = draw_row(heading_blocks, y, PANEL, MUTED)
        y = draw_row(blocks, y, PANEL if index % 2 else None, HAIRLINE)
    pdf.set_y(y + 3)


def emphasised(style: Style, color: Color | None = None) -> Style:
    """`style` in bold, optionally in another colour."""
    return replace(style, emphasis="B", color=color or style.color)
