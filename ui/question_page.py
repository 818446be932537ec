"""One page of the questionnaire: the question, why it matters, and its input."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from advisor.questions import Question
from advisor.rulebook import Rulebook
from advisor.ui.answer_inputs import AnswerInput, input_for
from advisor.ui.widgets import card, heading, scrolling, wrapped_label


class QuestionPage(QWidget):
    """Ask one question, with its explanation and the article's reason."""

    def __init__(
        self,
        question: Question,
        rulebook: Rulebook,
        *,
        position: str,
        intro: str = "",
        extra: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = question.id
        self.input: AnswerInput = input_for(question)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)
        if intro:
            layout.addWidget(wrapped_label(intro, "intro"))
            layout.addSpacing(8)
        layout.addWidget(wrapped_label(position, "stepPosition"))
        layout.addWidget(heading(question.question, "questionTitle"))
        if question.required:
            tag = self.tr("Required")
        elif question.initial is not None:
            tag = self.tr("Optional · default: {answer}").format(
                answer=question.label_of(question.initial)
            )
        else:
            tag = self.tr("Optional")
        self.requirement = wrapped_label(tag, "requiredTag" if question.required else "optionalTag")
        layout.addWidget(self.requirement)
        layout.addWidget(wrapped_label(question.explanation, "explanation"))
        layout.addSpacing(6)
        layout.addWidget(self.input)
        if question.claims:
            layout.addSpacing(14)
            layout.addWidget(_article_reasons(question.claims, rulebook))
        if extra is not None:
            layout.addSpacing(14)
            layout.addWidget(extra)
        layout.addStretch(1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(body))
        self.setFocusProxy(self.input)


def _article_reasons(claims: tuple[str, ...], rulebook: Rulebook) -> QFrame:
    frame, layout = card()
    title = QCoreApplication.translate("QuestionPage", "Why it matters, from the article")
    layout.addWidget(wrapped_label(title, "cardTitle"))
    for claim_id in claims:
        claim = rulebook.claims[claim_id]
        text = (
            f"<span style='font-weight:600'>{escape(claim.id)}</span>&nbsp;&nbsp;"
            f"{escape(claim.reading)}"
        )
        label = wrapped_label(text, "claimDigest")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setToolTip(
            claim.section
            if claim.section == claim.section_zh
            else f"{claim.section} ({claim.section_zh})"
        )
        layout.addWidget(label)
    return frame
