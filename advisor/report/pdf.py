"""The report as a PDF, drawn with fpdf2: no Qt, no HTML, every string set as plain text.

Page one holds the decision: verdict, confidence, scores, the strongest reasons, what would
change the advice. Then the answers, every reason with the article's own sentence, caveats,
the article's claims beside this host's measurements, the host and probe settings, and the
source. The PDF is rendered in memory and written to a temporary file beside the target,
then renamed over it: a reader never finds a half-written report.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from advisor.base.i18n import LANGUAGE_TAGS, _, current_language, format_date, format_datetime
from advisor.grounding import CheckVerdict
from advisor.outputs import Output, writable_target, write_output
from advisor.report.charts import OPTION_COLORS, score_chart, startup_chart
from advisor.report.fonts import characters_of, load_fonts
from advisor.report.layout import (
    BODY,
    BODY_SIZE,
    HAIRLINE,
    HEADING,
    MUTED,
    NOTE,
    PANEL,
    SMALL,
    SMALL_SIZE,
    TABLE,
    Cell,
    Color,
    Style,
    apply,
    bullet,
    draw,
    emphasised,
    make_room,
    measure,
    paragraph,
    section,
    subheading,
    table,
)
from advisor.report.model import INSTEAD_HEADING, WHOLE_ESTATE_CAPTION, ReasonEntry, ReportDocument
from advisor.report.probe_view import FactRow
from advisor.rulebook import Verdict
from advisor.wording import capitalized

PAGE_MARGIN = 18.0
FOOTER_HEIGHT = 8.0
KEY_FLIP_COUNT = 3
# fpdf2's page-count alias, switched on only while a footer is drawn (see _ReportPdf).
_TOTAL_PAGES = "{nb}"

OPTION_TINTS: dict[Verdict, Color] = {
    "container": (232, 241, 250),
    "vm": (240, 235, 247),
    "hybrid": (251, 241, 226),
    "host": (232, 245, 236),
    "split": (228, 244, 244),
    "none": (250, 234, 232),
}
VERDICT_COLORS: dict[CheckVerdict, Color] = {
    "holds": (40, 120, 60),
    "does_not_hold": (190, 45, 40),
    "not_measured": (120, 120, 120),
}
_QUOTE = Style(10.5)
_BOLD_BODY = Style(BODY_SIZE, "B")
_REASON_TITLE = Style(10.5, "B", HEADING)


def write_report_pdf(
    document: ReportDocument, path: Path, *, follow_symlinks: bool = False
) -> None:
    """Write the report to `path` as a PDF, atomically; raises InputError in one line."""
    output = Output(path, _("the PDF"))
    # Checked first so that a bad path costs no rendering; the write checks it again.
    writable_target(output, follow_symlinks=follow_symlinks)
    write_output(render_report_pdf(document), output, follow_symlinks=follow_symlinks)


def render_report_pdf(document: ReportDocument) -> bytes:
    """The report as PDF bytes."""
    pdf = _ReportPdf(document)
    load_fonts(pdf, characters_of(document))
    _first_page(pdf, document)
    pdf.add_page()
    _answers(pdf, document)
    _reasons(pdf, document)
    _caveats_and_flips(pdf, document)
    _grounding(pdf, document)
    _probe(pdf, document)
    _source(pdf, document)
    return bytes(pdf.output())


class _ReportPdf(FPDF):
    """A4 pages with a running header after page one and a footer with page numbers."""

    def __init__(self, document: ReportDocument) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        # fpdf2 replaces its page-count alias in any text it sets; it is on only while the
        # footer is drawn, so no user text can ever trigger it.
        self.alias_nb_pages("")
        self.c_margin = 0  # text starts exactly where the layout says
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.set_auto_page_break(True, margin=PAGE_MARGIN + FOOTER_HEIGHT)
        self.set_title(f"{document.title} {document.project_label}")
        self.set_subject(document.verdict_sentence)
        self.set_creator("dvm-advisor")
        self.set_lang(LANGUAGE_TAGS[current_language()])
        self.set_creation_date(document.generated_at)

    def cell(self, *args: Any, **kwargs: Any) -> bool:
        # fpdf2 2.8 sets a fallback font (Chinese) inside the q/Q pair that wraps coloured
        # text, then takes the font as still set after Q has restored the previous one, and
        # the next line is drawn in the wrong size. Naming the font for every cell avoids it.
        self.current_font_is_set_on_page = False
        drawn: bool = super().cell(*args, **kwargs)
        return drawn

    def header(self) -> None:
        self.alias_nb_pages("")
        if self.page_no() == 1:
            return
        apply(self, Style(SMALL_SIZE, color=MUTED))
        width = self.epw * 0.7
        name = measure(self, self.document.project_label, width, Style(SMALL_SIZE, color=MUTED))
        first = name.lines[0] if name.lines else ""
        self.set_xy(self.l_margin, 9)
        self.cell(width, 5, first if len(name.lines) == 1 else first.rstrip() + " …")
        self.cell(self.epw - width, 5, self.document.title, align="R")
        self.set_draw_color(*HAIRLINE)
        self.set_line_width(0.2)
        self.line(self.l_margin, 14.5, self.w - self.r_margin, 14.5)
        self.set_y(PAGE_MARGIN + 1)

    def footer(self) -> None:
        # Left on after the last footer: fpdf2 substitutes the count only while it is set.
        self.alias_nb_pages(_TOTAL_PAGES)
        top = self.h - PAGE_MARGIN + 1
        self.set_draw_color(*HAIRLINE)
        self.set_line_width(0.2)
        self.line(self.l_margin, top, self.w - self.r_margin, top)
        apply(self, Style(SMALL_SIZE - 0.5, color=MUTED))
        generated = format_datetime(self.document.generated_at)
        self.set_xy(self.l_margin, top + 1.5)
        self.cell(
            self.epw * 0.75,
            4,
            _("dvm-advisor decision record · generated {when} · rules {version}").format(
                when=generated, version=self.document.source.ruleset_version
            ),
        )
        page = _("Page {page} of {pages}").format(page=self.page_no(), pages=_TOTAL_PAGES)
        self.cell(self.epw * 0.25, 4, page, align="R")


# --- page one --------------------------------------------------------------------------------


def _first_page(pdf: FPDF, document: ReportDocument) -> None:
    pdf.add_page()
    apply(pdf, Style(SMALL_SIZE, "B", MUTED))
    pdf.set_char_spacing(0.6)
    pdf.cell(0, 4, _("DECISION RECORD · DVM-ADVISOR"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_char_spacing(0)
    pdf.ln(2)
    paragraph(pdf, document.project_label, Style(20, "B"), gap=0.5)
    paragraph(pdf, document.title, Style(12, color=MUTED), gap=4)
    _meta(pdf, document)
    pdf.ln(4)
    _verdict_box(pdf, document)
    pdf.ln(5)
    apply(pdf, Style(11, "B"))
    pdf.cell(0, 6, _("Scores"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    paragraph(pdf, document.score_explanation, SMALL, gap=2)
    numbers = {reason.rule_id: number for number, reason in enumerate(document.reasons, 1)}
    if document.parts:
        paragraph(pdf, _("{caption}:").format(caption=_(WHOLE_ESTATE_CAPTION)), SMALL, gap=1)
    score_chart(pdf, document.scores, numbers)
    for part in document.parts:
        pdf.ln(2)
        if part.served:
            paragraph(pdf, _("{caption}:").format(caption=part.caption), SMALL, gap=1)
            score_chart(pdf, part.scores, numbers)
        else:
            # Not a chart of options all ruled out: what the part needs, in words.
            text = _("{outcome}. {instead}").format(
                outcome=capitalized(part.outcome), instead=" ".join(part.instead)
            )
            _panel(pdf, capitalized(part.sentence), text)
    if document.instead and not document.parts:
        pdf.ln(2)
        _panel(pdf, _(INSTEAD_HEADING), " ".join(document.instead))
    pdf.ln(4)
    heading = {
        0: _("No rule favours the verdict"),
        1: _("The strongest reason"),
        2: _("The two strongest reasons"),
    }.get(len(document.key_reasons), _("The three strongest reasons"))
    apply(pdf, Style(11, "B"))
    pdf.cell(0, 6, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    for number, reason in enumerate(document.key_reasons, start=1):
        _key_reason(pdf, number, reason)
    _key_flips(pdf, document)
    pdf.ln(2)
    _panel(pdf, _("On this workstation"), document.grounding_summary)


def _meta(pdf: FPDF, document: ReportDocument) -> None:
    source = document.source
    rows = (
        (_("DATE"), format_datetime(document.generated_at)),
        (_("HOST"), document.host_label),
        (
            _("RULES"),
            _("version {version}, from “{article}” by {author} ({year})").format(
                version=source.ruleset_version,
                article=source.article_title,
                author=source.article_author,
                year=source.article_published.year,
            ),
        ),
    )
    for label, value in rows:
        top = pdf.get_y()
        apply(pdf, Style(SMALL_SIZE, "B", MUTED))
        pdf.set_xy(pdf.l_margin, top + 0.3)
        pdf.cell(18, BODY.line_height, label)
        pdf.set_y(top)
        paragraph(pdf, value, indent=18, gap=0.6)


def _verdict_box(pdf: FPDF, document: ReportDocument) -> None:
    color, tint = OPTION_COLORS[document.verdict], OPTION_TINTS[document.verdict]
    left, inner = pdf.l_margin + 8, pdf.epw - 14
    blocks = [measure(pdf, document.verdict_sentence, inner, Style(10.5, "B"))]
    blocks.append(measure(pdf, document.confidence_sentence, inner, Style(BODY_SIZE, color=MUTED)))
    if document.tie_break:
        blocks.append(measure(pdf, _("Tie: {tie}").format(tie=document.tie_break), inner, NOTE))
    height = 5 + 5 + 13 + sum(block.height + 1.5 for block in blocks) + 3
    make_room(pdf, height)
    top = pdf.get_y()
    pdf.set_fill_color(*tint)
    pdf.rect(pdf.l_margin, top, pdf.epw, height, style="F")
    pdf.set_fill_color(*color)
    pdf.rect(pdf.l_margin, top, 2.2, height, style="F")
    apply(pdf, Style(SMALL_SIZE, "B", color))
    pdf.set_char_spacing(0.6)
    pdf.set_xy(left, top + 5)
    pdf.cell(inner, 4, _("RECOMMENDATION"))
    pdf.set_char_spacing(0)
    apply(pdf, _fitted(pdf, document.verdict_label, inner, Style(22, "B", color)))
    pdf.set_xy(left, top + 10)
    pdf.cell(inner, 11, document.verdict_label)
    y = top + 23
    for block in blocks:
        y = draw(pdf, block, left, y) + 1.5
    pdf.set_y(top + height)


def _fitted(pdf: FPDF, text: str, width: float, style: Style) -> Style:
    """`style` at the largest size down to 14 pt that sets `text` on one line of `width`."""
    size = style.size
    while size > 14:
        apply(pdf, replace(style, size=size))
        if pdf.get_string_width(text) <= width:
            break
        size -= 1
    return replace(style, size=size)


def _key_reason(pdf: FPDF, number: int, reason: ReasonEntry) -> None:
    top = pdf.get_y()
    apply(pdf, Style(10, "B", HEADING))
    pdf.set_xy(pdf.l_margin, top)
    pdf.cell(7, Style(10).line_height, f"{number}.")
    pdf.set_y(top)
    paragraph(pdf, reason.title, Style(10, "B"), indent=7, gap=0.5)
    paragraph(pdf, reason.rationale, Style(BODY_SIZE - 0.5), indent=7, gap=0.5)
    detail = _("{effect} · claims {claims}").format(
        effect=reason.effect, claims=", ".join(reason.claims)
    )
    paragraph(pdf, detail, Style(SMALL_SIZE - 0.5, color=MUTED), indent=7, gap=2.5)


def _key_flips(pdf: FPDF, document: ReportDocument) -> None:
    apply(pdf, Style(11, "B"))
    pdf.cell(0, 6, _("What would change this advice"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.5)
    if not document.flips:
        paragraph(pdf, _("No single answer, changed on its own, changes the verdict."))
        return
    for flip in document.flips[:KEY_FLIP_COUNT]:
        bullet(pdf, flip.sentence, gap=0.8)
    if len(document.flips) > KEY_FLIP_COUNT:
        paragraph(pdf, _("See section 3 for all {count}.").format(count=len(document.flips)), SMALL)


def _panel(pdf: FPDF, title: str, text: str) -> None:
    inner = pdf.epw - 10
    block = measure(pdf, text, inner)
    height = 3.5 + 6 + block.height + 3.5
    make_room(pdf, height)
    top = pdf.get_y()
    pdf.set_fill_color(*PANEL)
    pdf.rect(pdf.l_margin, top, pdf.epw, height, style="F")
    apply(pdf, _BOLD_BODY)
    pdf.set_xy(pdf.l_margin + 5, top + 3.5)
    pdf.cell(inner, 5, title)
    draw(pdf, block, pdf.l_margin + 5, top + 9.5)
    pdf.set_y(top + height)


# --- the sections ----------------------------------------------------------------------------


def _answers(pdf: FPDF, document: ReportDocument) -> None:
    section(
        pdf,
        1,
        _("The answers given"),
        _(
            "What the team said about the project; each question names the article's claims "
            "that make it matter."
        ),
    )
    table(
        pdf,
        (0.62, 0.17, 0.21),
        [
            (
                Cell(f"{answer.question}\n{answer.meaning}" if answer.meaning else answer.question),
                Cell(answer.answer, emphasised(TABLE)),
                Cell(", ".join(answer.claims), Style(TABLE.size, color=MUTED)),
            )
            for answer in document.answers
        ],
        (_("Question"), _("Answer"), _("Claims")),
    )


def _reasons(pdf: FPDF, document: ReportDocument) -> None:
    section(
        pdf,
        2,
        _("Every reason"),
        _(
            "Each rule that fired, strongest for the verdict first, with the article's own "
            "sentence (Simplified Chinese) and the English digest of the claim it belongs to."
        ),
    )
    if not document.reasons:
        paragraph(pdf, _("No rule moved the scores for these answers."))
    if document.confidence_factors:
        subheading(pdf, _("Independent factors, each counted once"))
        for line in document.confidence_factors:
            bullet(pdf, _("{factor}: {stance}").format(factor=line.name, stance=line.stance))
    for number, reason in enumerate(document.reasons, start=1):
        _reason(pdf, number, reason)


def _reason(pdf: FPDF, number: int, reason: ReasonEntry) -> None:
    excerpt = reason.excerpt
    inner = pdf.epw - 12
    source = f"— {excerpt.claim_id}, “{excerpt.section}”"
    if not excerpt.quoted_by_rule:
        source += _(" (the claim's first sentence)")
    stance = {"for": _(" (for the verdict)"), "against": _(" (against the verdict)"), "even": ""}
    footnote = _("Rule {rule} · claims {claims}").format(
        rule=reason.rule_id, claims=", ".join(reason.claims)
    )
    if reason.beyond_article:
        footnote += _(" · beyond the article; source: {source}").format(
            source=reason.beyond_article
        )
    head = [
        measure(pdf, f"{number}. {reason.title}", pdf.epw, _REASON_TITLE),
        measure(
            pdf,
            _("{effect}{stance} · because {because}").format(
                effect=reason.effect, stance=stance[reason.stance], because=reason.because
            ),
            pdf.epw,
            SMALL,
        ),
        measure(pdf, reason.rationale, pdf.epw),
    ]
    quote = [
        measure(pdf, excerpt.original, inner, _QUOTE),
        measure(pdf, source, inner, SMALL),
        measure(pdf, excerpt.digest, inner, NOTE),
    ]
    foot = measure(pdf, footnote, pdf.epw, Style(SMALL_SIZE - 0.5, color=MUTED))
    box_height = 2.5 + sum(block.height + 1.5 for block in quote) + 1
    # Kept on one page: a reason parted from its quote reads as two.
    make_room(pdf, 1 + sum(b.height for b in head) + 2.5 + box_height + 1.5 + foot.height)
    y = pdf.get_y() + 1
    y = draw(pdf, head[0], pdf.l_margin, y)
    y = draw(pdf, head[1], pdf.l_margin, y) + 1
    y = draw(pdf, head[2], pdf.l_margin, y) + 1.5
    pdf.set_fill_color(*PANEL)
    pdf.rect(pdf.l_margin + 2, y, pdf.epw - 2, box_height, style="F")
    pdf.set_fill_color(*HAIRLINE)
    pdf.rect(pdf.l_margin + 2, y, 0.8, box_height, style="F")
    inside = y + 2.5
    for block in quote:
        inside = draw(pdf, block, pdf.l_margin + 7, inside) + 1.5
    y = draw(pdf, foot, pdf.l_margin, y + box_height + 1.5)
    pdf.set_y(y + 3)


def _caveats_and_flips(pdf: FPDF, document: ReportDocument) -> None:
    section(pdf, 3, _("Caveats, and what would change this advice"))
    subheading(pdf, _("Caveats"))
    if not document.caveats:
        paragraph(pdf, _("None: no rule that fired raised a caveat."), Style(color=MUTED))
    for caveat in document.caveats:
        cited = f" ({', '.join(caveat.claims)})" if caveat.claims else ""
        bullet(pdf, caveat.text + cited)
    _worth_answering(pdf, document)
    subheading(pdf, _("What would change this advice"))
    if not document.flips:
        paragraph(pdf, _("No single answer, changed on its own, changes the verdict."))
        return
    paragraph(
        pdf,
        _(
            "Each row is one answer that, changed on its own, would change the verdict; the row "
            "shows the smallest such change."
        ),
        NOTE,
        gap=1.5,
    )
    table(
        pdf,
        (0.46, 0.14, 0.14, 0.26),
        [
            (
                Cell(flip.question),
                Cell(flip.answer_now),
                Cell(flip.answer_then, emphasised(TABLE)),
                Cell(flip.verdict_then),
            )
            for flip in document.flips
        ],
        (_("Question"), _("Now"), _("Instead"), _("Advice then")),
    )


def _worth_answering(pdf: FPDF, document: ReportDocument) -> None:
    if document.format_note:
        paragraph(pdf, document.format_note, NOTE, gap=1.5)
    if not document.worth_answering:
        return
    subheading(pdf, _("Questions worth answering"))
    for entry in document.worth_answering:
        bullet(pdf, entry.sentence)


def _grounding(pdf: FPDF, document: ReportDocument) -> None:
    if not document.grounding:
        section(pdf, 4, _("The article's claims on this workstation"))
        paragraph(pdf, document.grounding_summary)
        return
    section(
        pdf,
        4,
        _("The article's claims on this workstation"),
        _(
            "Each measurable claim beside the figure measured here by starting a real sample "
            "container and a real sample VM."
        ),
    )
    table(
        pdf,
        (0.17, 0.29, 0.39, 0.15),
        [
            (
                Cell(f"{line.claim_id}\n{line.aspect}"),
                Cell(line.article_says),
                Cell(f"{line.measured or '—'}\n{line.explanation}"),
                Cell(line.verdict_label, emphasised(TABLE, VERDICT_COLORS[line.verdict])),
            )
            for line in document.grounding
        ],
        (_("Claim"), _("The article says"), _("Measured here"), _("Verdict")),
    )
    if document.startup:
        startup_chart(
            pdf, document.startup, document.few_milliseconds_seconds, document.startup_note
        )


def _probe(pdf: FPDF, document: ReportDocument) -> None:
    probe = document.probe
    if probe is None:
        section(pdf, 5, _("Host facts and probe settings"))
        paragraph(pdf, document.probe_statement)
        return
    section(pdf, 5, _("Host facts and probe settings"), document.probe_statement)
    for title, rows in (
        (_("This workstation"), probe.host),
        (_("What the probes did"), probe.outcomes),
        (_("Settings of the probe run"), probe.settings),
        (_("Tool versions"), probe.tools),
    ):
        subheading(pdf, title)
        _facts(pdf, rows)


def _facts(pdf: FPDF, rows: tuple[FactRow, ...]) -> None:
    table(
        pdf,
        (0.24, 0.76),
        [(Cell(fact.label, emphasised(TABLE)), Cell(fact.value)) for fact in rows],
    )


def _source(pdf: FPDF, document: ReportDocument) -> None:
    source = document.source
    section(pdf, 6, _("Source"))
    paragraph(
        pdf,
        _(
            "The rules derive claim by claim from the article “{article}” by {author}, "
            "published {published} in {language}. Rule set version {version}; dvm-advisor "
            "{advisor}. Rules that go beyond the article say so and name their own source."
        ).format(
            article=source.article_title,
            author=source.article_author,
            published=format_date(source.article_published),
            language=source.article_language,
            version=source.ruleset_version,
            advisor=source.advisor_version,
        ),
        gap=3,
    )
    if not document.cited_claims:
        return
    subheading(pdf, _("The article's claims cited in this report"))
    table(
        pdf,
        (0.17, 0.29, 0.54),
        [
            (
                Cell(claim.id, emphasised(TABLE)),
                Cell(
                    claim.section_zh
                    if claim.section == claim.section_zh
                    else f"{claim.section}\n{claim.section_zh}"
                ),
                Cell(claim.digest),
            )
            for claim in document.cited_claims
        ],
        (_("Claim"), _("Section"), _("What the article says")),
    )
