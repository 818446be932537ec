"""The comparison of several hosts as a PDF: a layout of the comparison view model's words."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from advisor.base.i18n import LANGUAGE_TAGS, _, current_language, format_datetime
from advisor.report.comparison import DIFFERS_MARK, ComparisonDocument
from advisor.report.fonts import characters_of, load_fonts
from advisor.report.layout import (
    HAIRLINE,
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
FOOTER_HEIGHT = 7.0
_DIFFERS_COLOR = (190, 45, 40)
# fpdf2's page-count alias, switched on only while a footer is drawn (see _ComparisonPdf).
_TOTAL_PAGES = "{nb}"


class _ComparisonPdf(FPDF):
    """Landscape A4 pages, so that several hosts fit side by side, numbered at the foot."""

    def __init__(self, document: ComparisonDocument) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.document = document
        # fpdf2 replaces its page-count alias in any text it sets: on only in the footer.
        self.alias_nb_pages("")
        self.c_margin = 0
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.set_auto_page_break(True, margin=PAGE_MARGIN + FOOTER_HEIGHT)
        self.set_title(document.title)
        self.set_creator("dvm-advisor")
        self.set_lang(LANGUAGE_TAGS[current_language()])
        self.set_creation_date(document.generated_at)

    def header(self) -> None:
        self.alias_nb_pages("")

    def footer(self) -> None:
        self.alias_nb_pages(_TOTAL_PAGES)
        top = self.h - PAGE_MARGIN - 1
        self.set_draw_color(*HAIRLINE)
        self.set_line_width(0.2)
        self.line(self.l_margin, top, self.w - self.r_margin, top)
        apply(self, Style(SMALL_SIZE - 0.5, color=MUTED))
        self.set_xy(self.l_margin, top + 1.5)
        self.cell(self.epw * 0.75, 4, f"{self.document.title} · dvm-advisor")
        page = _("Page {page} of {pages}").format(page=self.page_no(), pages=_TOTAL_PAGES)
        self.cell(self.epw * 0.25, 4, page, align="R")


def render_comparison_pdf(document: ComparisonDocument) -> bytes:
    """The comparison as PDF bytes."""
    pdf = _ComparisonPdf(document)
    load_fonts(pdf, characters_of(document))
    pdf.add_page()
    apply(pdf, Style(SMALL_SIZE, "B", MUTED))
    pdf.cell(0, 4, _("FLEET COMPARISON · DVM-ADVISOR"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    paragraph(pdf, document.title, Style(18, "B"), gap=1)
    generated = _("Generated {when}. {summary}").format(
        when=format_datetime(document.generated_at), summary=document.summary
    )
    paragraph(pdf, generated, NOTE, gap=3)
    for host in document.hosts:
        bullet(pdf, host.line)
    if document.advice_heading is not None:
        subheading(pdf, document.advice_heading)
        for entry in document.advice:
            bullet(
                pdf,
                _("{host}: {verdict} ({confidence})").format(
                    host=entry.host,
                    verdict=entry.verdict_label,
                    confidence=entry.confidence_label.lower(),
                ),
            )
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
