"""The comparison of several hosts as a PDF: a layout of the comparison view model's words."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from advisor.report.comparison import DIFFERS_MARK, ComparisonDocument
from advisor.report.fonts import characters_of, load_fonts
from advisor.report.layout import (
    MUTED,
    NOTE,
    SMALL_SIZE,
    TABLE,
    Cell,
    Style,
    apply,
    bullet,
    emphasised,
    paragraph,
    subheading,
    table,
)

PAGE_MARGIN = 15.0
_DIFFERS_COLOR = (190, 45, 40)


def render_comparison_pdf(document: ComparisonDocument) -> bytes:
    """The comparison as PDF bytes, landscape A4 so that several hosts fit side by side."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.c_margin = 0
    pdf.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
    pdf.set_auto_page_break(True, margin=PAGE_MARGIN)
    pdf.set_title(document.title)
    pdf.set_creator("dvm-advisor")
    pdf.set_lang("en")
    pdf.set_creation_date(document.generated_at)
    load_fonts(pdf, characters_of(document))
    pdf.add_page()
    apply(pdf, Style(SMALL_SIZE, "B", MUTED))
    pdf.cell(0, 4, "FLEET COMPARISON · DVM-ADVISOR", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    paragraph(pdf, document.title, Style(18, "B"), gap=1)
    generated = document.generated_at.strftime("%d %B %Y, %H:%M UTC")
    paragraph(pdf, f"Generated {generated}. {document.summary}", NOTE, gap=3)
    for host in document.hosts:
        bullet(pdf, f"{host.label}: {host.source}, probed {host.taken_at}")
    if document.project_label is not None:
        subheading(pdf, f"The advice for {document.project_label} on each host")
        for entry in document.advice:
            bullet(pdf, f"{entry.host}: {entry.verdict_label} ({entry.confidence_label.lower()})")
    paragraph(pdf, document.advice_note, NOTE, gap=3)
    count = len(document.hosts)
    label_width = 0.28
    host_width = (1 - label_width - 0.03) / count
    widths = (label_width, *([host_width] * count), 0.03)
    for section in document.sections:
        subheading(pdf, section.title)
        rows = []
        for row in section.rows:
            style = emphasised(TABLE, _DIFFERS_COLOR) if row.differs else TABLE
            mark = DIFFERS_MARK if row.differs else ""
            rows.append(
                (
                    Cell(row.label, emphasised(TABLE)),
                    *(Cell(value, style) for value in row.values),
                    Cell(mark, emphasised(TABLE, _DIFFERS_COLOR)),
                )
            )
        table(pdf, widths, rows, ("", *(host.label for host in document.hosts), ""))
    return bytes(pdf.output())
