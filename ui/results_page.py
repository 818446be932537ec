"""The results page: the verdict, its scores, reasons, caveats, what would change it, the
article's claims beside this host's figures, and the host's facts."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from advisor.base.i18n import _
from advisor.report.model import (
    INSTEAD_HEADING,
    WHOLE_ESTATE_CAPTION,
    GroundingLine,
    ReasonEntry,
    ReportDocument,
)
from advisor.ui.document import AssessmentDocument
from advisor.ui.score_chart import ScoreChart
from advisor.ui.widgets import card, heading, scrolling, wrapped_label
from advisor.wording import capitalized

CHECK_COLOURS = {
    "holds": QColor("#1f7a3a"),
    "does_not_hold": QColor("#a15c00"),
    "not_measured": QColor("#6b7280"),
}


class ResultsPage(QWidget):
    """Everything the engine says about the current answers and probe results."""

    exportRequested = Signal()
    exportMarkdownRequested = Signal()
    goToQuestion = Signal(str)  # a field of the answers model
    goToProbes = Signal()

    def __init__(self, document: AssessmentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._stale = True
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scrolling(QWidget())
        self._layout.addWidget(self.scroll_area)
        self.export_button: QPushButton | None = None
        self.export_markdown_button: QPushButton | None = None
        self.bottom_export_button: QPushButton | None = None
        self.chart: ScoreChart | None = None
        self.part_charts: list[ScoreChart] = []  # a split's parts, each on its own
        self.unserved_parts: list[QLabel] = []  # a split's parts that nothing serves, in words
        self.claims_table: ClaimTable | None = None
        document.answersChanged.connect(self._mark_stale)
        document.probeReportChanged.connect(self._mark_stale)

    def _mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        # Each visit starts at the verdict, not where the last one was left.
        self.scroll_area.verticalScrollBar().setValue(0)
        super().showEvent(event)

    def refresh(self) -> None:
        """Rebuild the page from the document's current recommendation."""
        self._stale = False
        view = self._document.view()
        body = QWidget()
        body.setObjectName("pageBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 32)
        layout.setSpacing(14)
        self.export_button = self.export_markdown_button = self.bottom_export_button = None
        self.chart = self.claims_table = None
        if view is None:
            self._add_unanswered(layout)
        else:
            self._add_verdict(layout, view)
            self._add_reasons(layout, view)
            self._add_caveats_and_flips(layout, view)
            self._add_claim_checks(layout, view)
            self._add_host_facts(layout, view)
            self._add_export_row(layout)
        layout.addStretch(1)
        scrolled = self.scroll_area.verticalScrollBar().value()
        self.scroll_area.setWidget(body)
        # A change of answers redraws the page where the reader is; a new visit starts at the
        # top (showEvent).
        self.scroll_area.verticalScrollBar().setValue(scrolled)

    def _add_unanswered(self, layout: QVBoxLayout) -> None:
        missing = self._document.missing_required()
        steps = [self._document.questions.question(field).step for field in missing]
        layout.addWidget(heading(self.tr("No advice yet"), "questionTitle"))
        layout.addWidget(
            wrapped_label(
                self.tr(
                    "The advice needs every required question answered. Still to answer: {steps}."
                ).format(steps=_(", ").join(steps)),
                "explanation",
            )
        )
        button = QPushButton(self.tr("Go to “{step}”").format(step=steps[0]))
        button.clicked.connect(lambda: self.goToQuestion.emit(missing[0]))
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    def _add_verdict(self, layout: QVBoxLayout, view: ReportDocument) -> None:
        frame, inner = card("verdictCard")
        top = QHBoxLayout()
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(
            wrapped_label(
                self.tr("Recommendation for {project}").format(project=view.project_label),
                "previewCaption",
            )
        )
        texts.addWidget(heading(view.verdict_label, "verdictTitle"))
        texts.addWidget(wrapped_label(view.verdict_sentence, "explanation"))
        texts.addWidget(wrapped_label(view.confidence_sentence, "muted"))
        top.addLayout(texts, 1)
        buttons = QVBoxLayout()
        self.export_button = QPushButton(self.tr("&Export PDF…"))
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.exportRequested)
        self.export_markdown_button = QPushButton(self.tr("Export &Markdown…"))
        self.export_markdown_button.setToolTip(self.tr("An architecture decision record (MADR)"))
        self.export_markdown_button.clicked.connect(self.exportMarkdownRequested)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.export_markdown_button)
        top.addLayout(buttons)
        inner.addLayout(top)
        if view.tie_break:
            inner.addWidget(
                wrapped_label(self.tr("Tie: {tie}").format(tie=view.tie_break), "muted")
            )
        inner.addSpacing(6)
        if view.parts:
            inner.addWidget(wrapped_label(_(WHOLE_ESTATE_CAPTION), "muted"))
        self.chart = ScoreChart()
        self.chart.show_scores(view.scores)
        inner.addWidget(self.chart)
        inner.addWidget(wrapped_label(view.score_explanation, "muted"))
        for sentence in view.ruled_out:
            inner.addWidget(wrapped_label(sentence, "muted"))
        # A split says what would serve beside the part that needs it.
        for text in () if view.parts else view.instead:
            inner.addWidget(wrapped_label(self._instead_text(text), "explanation"))
        self.part_charts = []
        self.unserved_parts = []
        for part in view.parts:
            inner.addWidget(wrapped_label(part.caption, "muted"))
            if not part.served:
                # In words, not as a chart of options all ruled out.
                lines = [_("{sentence}.").format(sentence=capitalized(part.outcome))]
                label = wrapped_label(
                    "\n".join(lines + [self._instead_text(text) for text in part.instead]),
                    "explanation",
                )
                inner.addWidget(label)
                self.unserved_parts.append(label)
                continue
            chart = ScoreChart(compact=True)
            chart.show_scores(part.scores)
            inner.addWidget(chart)
            self.part_charts.append(chart)
        layout.addWidget(frame)

    @staticmethod
    def _instead_text(text: str) -> str:
        return _("{heading}: {text}").format(heading=_(INSTEAD_HEADING), text=text)

    def _add_export_row(self, layout: QVBoxLayout) -> None:
        """Export again at the end of the page, where a reader who read it all arrives."""
        row = QHBoxLayout()
        row.addStretch(1)
        self.bottom_export_button = QPushButton(self.tr("Export P&DF…"))
        self.bottom_export_button.clicked.connect(self.exportRequested)
        markdown = QPushButton(self.tr("Export Mar&kdown…"))
        markdown.setToolTip(self.tr("An architecture decision record (MADR)"))
        markdown.clicked.connect(self.exportMarkdownRequested)
        row.addWidget(self.bottom_export_button)
        row.addWidget(markdown)
        layout.addSpacing(8)
        layout.addLayout(row)

    def _add_reasons(self, layout: QVBoxLayout, view: ReportDocument) -> None:
        layout.addWidget(heading(self.tr("Why"), "sectionHeading"))
        if not view.reasons:
            layout.addWidget(wrapped_label(self.tr("No rule moved the scores."), "muted"))
        for reason in view.reasons:
            layout.addWidget(ReasonCard(reason))

    def _add_caveats_and_flips(self, layout: QVBoxLayout, view: ReportDocument) -> None:
        layout.addWidget(heading(self.tr("Caveats"), "sectionHeading"))
        if view.caveats:
            for caveat in view.caveats:
                cited = f" ({', '.join(caveat.claims)})" if caveat.claims else ""
                layout.addWidget(wrapped_label(f"•  {caveat.text}{cited}", "bullet"))
        else:
            layout.addWidget(wrapped_label(self.tr("No caveats for these answers."), "muted"))
        layout.addWidget(
            heading(self.tr("What would change this advice, nearest first"), "sectionHeading")
        )
        if not view.flips:
            layout.addWidget(wrapped_label(self.tr("No single answer changes it."), "muted"))
        for flip in view.flips:
            layout.addWidget(wrapped_label(f"•  {flip.sentence}", "bullet"))
        if view.worth_answering:
            layout.addWidget(heading(self.tr("Questions worth answering"), "sectionHeading"))
            for entry in view.worth_answering:
                layout.addWidget(wrapped_label(f"•  {entry.sentence}", "bullet"))
        if view.format_note:
            layout.addWidget(wrapped_label(view.format_note, "muted"))

    def _add_claim_checks(self, layout: QVBoxLayout, view: ReportDocument) -> None:
        layout.addWidget(
            heading(self.tr("The article's claims on this workstation"), "sectionHeading")
        )
        if not view.grounding:
            row = QHBoxLayout()
            row.addWidget(
                wrapped_label(
                    self.tr(
                        "Run the probes, or import their results, to set each measurable claim "
                        "beside a figure measured on a real workstation."
                    ),
                    "muted",
                ),
                1,
            )
            button = QPushButton(self.tr("Go to the probes"))
            button.clicked.connect(self.goToProbes)
            row.addWidget(button)
            layout.addLayout(row)
            return
        layout.addWidget(wrapped_label(view.grounding_summary, "claimSummary"))
        self.claims_table = ClaimTable(view.grounding)
        layout.addWidget(self.claims_table)

    def _add_host_facts(self, layout: QVBoxLayout, view: ReportDocument) -> None:
        if view.probe is None:
            return
        layout.addWidget(heading(self.tr("This workstation"), "sectionHeading"))
        frame, inner = card()
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        for row in view.probe.host:
            form.addRow(wrapped_label(row.label, "factLabel"), wrapped_label(row.value))
        inner.addWidget(wrapped_label(view.probe_statement, "muted"))
        inner.addLayout(form)
        layout.addWidget(frame)


class ReasonCard(QFrame):
    """One reason: its title, effect, claims, rationale, the answers behind it, and the
    article's own words on demand."""

    def __init__(self, reason: ReasonEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.reason = reason
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(wrapped_label(reason.title, "reasonTitle"))
        layout.addWidget(wrapped_label(reason.effect, "reasonEffect"))
        cited = self.tr("Article: {claims}").format(claims=", ".join(reason.claims))
        if reason.beyond_article:
            cited += self.tr(". Beyond the article: {source}").format(source=reason.beyond_article)
        layout.addWidget(wrapped_label(cited, "claimIds"))
        layout.addWidget(wrapped_label(reason.rationale))
        if reason.because:
            layout.addWidget(
                wrapped_label(self.tr("Because {because}").format(because=reason.because), "muted")
            )
        self.quote_button = QToolButton()
        self.quote_button.setObjectName("linkButton")
        self.quote_button.setText(self.tr("Show the article's words"))
        self.quote_button.setCheckable(True)
        self.quote_button.setAccessibleName(
            self.tr("The article's words for “{reason}”").format(reason=reason.title)
        )
        self.quote_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.quote = wrapped_label(_quote_html(reason), "quote")
        self.quote.setTextFormat(Qt.TextFormat.RichText)
        self.quote.hide()
        self.quote_button.toggled.connect(self._toggle_quote)
        layout.addWidget(self.quote_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.quote)

    def _toggle_quote(self, shown: bool) -> None:
        self.quote.setVisible(shown)
        self.quote_button.setText(
            self.tr("Hide the article's words") if shown else self.tr("Show the article's words")
        )


def _quote_html(reason: ReasonEntry) -> str:
    """The article's sentences behind a reason, each credited to the claim it states, under a
    label that says they are the article's Chinese."""
    label = QCoreApplication.translate("ReasonCard", "The article's words (Chinese):")
    parts = [f"<p style='margin:0 0 6px 0;font-weight:600'>{escape(label)}</p>"]
    for excerpt in reason.excerpts:
        source = QCoreApplication.translate("ReasonCard", "{claim}, {section}: {digest}").format(
            claim=excerpt.claim_id, section=excerpt.section, digest=excerpt.digest
        )
        parts.append(
            f"<p style='margin:0 0 2px 0'>“{escape(excerpt.original)}”</p>"
            f"<p style='margin:0 0 8px 0;color:#5b6472'>{escape(source)}</p>"
        )
    return "".join(parts)


class ClaimTable(QTableWidget):
    """Each measurable claim beside what was measured here; as tall as its rows."""

    COLUMNS = (
        str(QT_TRANSLATE_NOOP("ClaimTable", "Claim")),
        str(QT_TRANSLATE_NOOP("ClaimTable", "The article says")),
        str(QT_TRANSLATE_NOOP("ClaimTable", "Measured here")),
        str(QT_TRANSLATE_NOOP("ClaimTable", "Verdict")),
    )

    def __init__(self, checks: tuple[GroundingLine, ...], parent: QWidget | None = None) -> None:
        super().__init__(len(checks), len(self.COLUMNS), parent)
        self.setObjectName("claimTable")
        self.setAccessibleName(self.tr("The article's claims beside the figures measured here"))
        self.setHorizontalHeaderLabels([self.tr(column) for column in self.COLUMNS])
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        metrics = self.fontMetrics()
        self.setColumnWidth(0, metrics.horizontalAdvance("hypervisor and accelerator") + 24)
        self.setColumnWidth(3, metrics.horizontalAdvance("Does not hold here") + 28)
        for row, check in enumerate(checks):
            verdict_text = check.verdict_label.capitalize()
            colour = CHECK_COLOURS[check.verdict]
            cells = (
                f"{check.claim_id}\n{check.aspect}",
                check.article_says,
                f"{check.measured}\n{check.explanation}" if check.measured else check.explanation,
                verdict_text,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                item.setToolTip(check.explanation)
                if column == 3:
                    item.setForeground(colour)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(row, column, item)
        header.sectionResized.connect(self._fit_height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self, *_args: object) -> None:
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(row) for row in range(self.rowCount()))
        if self.height() != height:
            self.setFixedHeight(height)
