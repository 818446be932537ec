"""The live preview beside the questionnaire: the verdict so far and its strongest reasons."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from advisor.report.model import KEY_REASON_COUNT
from advisor.ui.document import AssessmentDocument
from advisor.ui.score_chart import ScoreChart
from advisor.ui.widgets import wrapped_label
from advisor.wording import capitalized


class LivePreview(QFrame):
    """Shows what the engine advises for the answers given so far, updated on every change."""

    def __init__(self, document: AssessmentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.setAccessibleName(self.tr("Advice so far"))
        self._document = document
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(8)
        layout.addWidget(wrapped_label(self.tr("Advice so far"), "previewCaption"))
        self.verdict = wrapped_label("", "previewVerdict")
        self.confidence = wrapped_label("", "muted")
        # A split's parts, one line each: the whole estate's chart would show every option
        # ruled out, which is not the advice.
        self.parts = wrapped_label("", "explanation")
        self.chart = ScoreChart(compact=True)
        self.reasons_title = wrapped_label(self.tr("Strongest reasons"), "sectionTitle")
        self.reasons = wrapped_label("", "previewReasons")
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.grounding = wrapped_label("", "muted")
        for widget in (self.verdict, self.confidence, self.parts, self.chart, self.reasons_title):
            layout.addWidget(widget)
        layout.addWidget(self.reasons)
        layout.addStretch(1)
        layout.addWidget(self.grounding)
        document.answersChanged.connect(self.refresh)
        document.probeReportChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Show the document's current recommendation, or what is still missing."""
        view = self._document.view()
        self.chart.show_scores(view.scores if view is not None else ())
        split = view is not None and bool(view.parts)
        self.chart.setVisible(view is not None and not split)
        self.parts.setVisible(split)
        self.parts.setText(
            "\n".join(f"•  {capitalized(part.sentence)}" for part in view.parts) if view else ""
        )
        self.reasons_title.setVisible(view is not None)
        if view is None:
            missing = self._document.missing_required()
            questions = self._document.questions
            self.verdict.setText(self.tr("Not yet"))
            self.confidence.setText(
                self.tr("{count} required questions still to answer:").format(count=len(missing))
                if len(missing) != 1
                else self.tr("1 required question still to answer:")
            )
            self.reasons.setText(
                "<br>".join(f"•&nbsp;{escape(questions.question(field).step)}" for field in missing)
            )
        else:
            self.verdict.setText(view.verdict_label)
            self.confidence.setText(view.confidence_sentence)
            # The reasons for the verdict; where none stands out, the first ones given.
            top = view.key_reasons or view.reasons[:KEY_REASON_COUNT]
            self.reasons.setText(
                "".join(
                    f"<p style='margin:0 0 6px 0'>{escape(reason.title)}<br>"
                    f"<span style='color:#5b6472'>{escape(', '.join(reason.claims))}</span></p>"
                    for reason in top
                )
                or self.tr("No rule moved the scores.")
            )
        self.grounding.setText(
            self.tr("Includes the probe results ({source}).").format(
                source=escape(self._document.probe_source)
            )
            if self._document.probe_report is not None
            else self.tr(
                "Not yet checked on a workstation: run the probes or import their results."
            )
        )
