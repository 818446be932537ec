"""The guide to an assessment: on the first page, and in Help > Guide."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QFrame

from advisor.ui.widgets import card, wrapped_label

KEYS_SENTENCE = str(
    QT_TRANSLATE_NOOP(
        "Welcome",
        "Keyboard: Alt+Right and Alt+Left move between steps; in the list of steps, the arrow "
        "keys do. Ctrl+S saves, Ctrl+R shows the results, F1 opens the guide.",
    )
)


def guide_steps(question_count: int, required_count: int) -> tuple[str, ...]:
    """The steps of an assessment, one sentence each."""
    return (
        QCoreApplication.translate(
            "Welcome",
            "Answer the {questions} questions. The {required} marked * are required; "
            "the others can stay unanswered. Each one shows the article's reason behind it.",
        ).format(questions=question_count, required=required_count),
        QCoreApplication.translate(
            "Welcome",
            "Watch the advice beside the questions: it follows every answer. Each rule that "
            "applies gives points to the options it favours; the verdict is the option with "
            "the most points that no rule ruled out.",
        ),
        QCoreApplication.translate(
            "Welcome",
            "Check it on this workstation: the probes launch a real container and a real VM, "
            "measure them, and remove them again. Or import results taken on another machine.",
        ),
        QCoreApplication.translate(
            "Welcome",
            "Read the results, save the assessment, and export a PDF report or a Markdown "
            "decision record.",
        ),
    )


def guide_html(question_count: int, required_count: int) -> str:
    """The steps as a numbered list, in the rich text a label shows."""
    items = "".join(
        f"<li style='margin-bottom:4px'>{escape(step)}</li>"
        for step in guide_steps(question_count, required_count)
    )
    return f"<ol style='margin:0 0 0 -20px'>{items}</ol>"


def how_it_works(question_count: int, required_count: int) -> QFrame:
    """A card naming the steps of an assessment and the keys that move between them."""
    frame, layout = card()
    layout.addWidget(
        wrapped_label(QCoreApplication.translate("Welcome", "How it works"), "cardTitle")
    )
    guide = wrapped_label(guide_html(question_count, required_count), "guide")
    guide.setTextFormat(Qt.TextFormat.RichText)
    layout.addWidget(guide)
    layout.addWidget(wrapped_label(QCoreApplication.translate("Welcome", KEYS_SENTENCE), "muted"))
    return frame
