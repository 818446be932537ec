"""The first page's guide to the steps that follow."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame

from advisor.ui.widgets import card, wrapped_label


def how_it_works(question_count: int, required_count: int) -> QFrame:
    """A card naming the steps of an assessment and the keys that move between them."""
    frame, layout = card()
    layout.addWidget(
        wrapped_label(QCoreApplication.translate("Welcome", "How it works"), "cardTitle")
    )
    steps = (
        QCoreApplication.translate(
            "Welcome",
            "Answer the {questions} questions. The {required} marked * are required; "
            "the others are optional. Each one shows the article's reason behind it.",
        ).format(questions=question_count, required=required_count),
        QCoreApplication.translate(
            "Welcome", "Watch the advice on the right: it follows every answer."
        ),
        QCoreApplication.translate(
            "Welcome",
            "Check it on this workstation: the probes launch a real container and a real VM. "
            "Or import results taken on another machine.",
        ),
        QCoreApplication.translate(
            "Welcome",
            "Read the results, save the assessment, and export a PDF report or a Markdown "
            "decision record.",
        ),
    )
    items = "".join(f"<li style='margin-bottom:4px'>{step}</li>" for step in steps)
    guide = wrapped_label(f"<ol style='margin:0 0 0 -20px'>{items}</ol>", "guide")
    guide.setTextFormat(Qt.TextFormat.RichText)
    layout.addWidget(guide)
    keys = wrapped_label(
        QCoreApplication.translate(
            "Welcome",
            "Keyboard: Alt+Right and Alt+Left move between steps; in the list of steps, the "
            "arrow keys do. Ctrl+S saves, Ctrl+R shows the results.",
        ),
        "muted",
    )
    layout.addWidget(keys)
    return frame
