"""The assessment's history: every milestone saved, and what changed between two of them.

The words come from the view model (advisor/report/milestone_view.py); this window only lays
them out: a table of the milestones, a choice of two, and their difference.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor.report.milestone_view import MilestoneDiff, history_entries, milestone_diff
from advisor.ui.document import AssessmentDocument
from advisor.ui.widgets import card, heading, plain_label, wrapped_label


class DiffPanel(QWidget):
    """The difference between two milestones, as the view model words it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame, self._body = card()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        self.summary = wrapped_label("", "cardTitle")
        self._body.addWidget(self.summary)
        self._form = QFormLayout()
        self._body.addLayout(self._form)
        self._body.addStretch(1)
        self.fields: dict[str, str] = {}  # what each row of the form shows, by its title

    def show_diff(self, diff: MilestoneDiff | None) -> None:
        """Lay out `diff`, or a sentence saying there is nothing to compare."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self.fields = {}
        if diff is None:
            self.summary.setText(self.tr("Save the assessment again to compare two milestones."))
            return
        self.summary.setText(f"{diff.summary[:1].upper()}{diff.summary[1:]}.")
        rules = [f"+ {rule}" for rule in diff.rules_now] + [f"- {rule}" for rule in diff.rules_gone]
        rows = (
            (self.tr("From"), diff.before_label),
            (self.tr("To"), diff.after_label),
            (
                self.tr("Answers changed"),
                "\n".join(change.sentence for change in diff.answers) or self.tr("none"),
            ),
            (self.tr("Verdict"), diff.verdict),
            (self.tr("Confidence"), diff.confidence),
            (self.tr("Scores"), diff.scores),
            (
                self.tr("Reasons that made the difference"),
                "\n".join(rules) or self.tr("none: the same rules fired"),
            ),
            (self.tr("Probe report"), diff.probe),
            (self.tr("Rules"), diff.ruleset),
        )
        for title, text in rows:
            self.fields[title] = text
            value = wrapped_label(text)
            if title in (self.tr("Verdict"), self.tr("Confidence")) and "→" in text:
                value.setObjectName("changed")
                value.setStyleSheet("font-weight: bold;")
            self._form.addRow(wrapped_label(title, "muted"), value)


class HistoryDialog(QDialog):
    """Every milestone of the open assessment, and the difference between two of them."""

    def __init__(self, document: AssessmentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assessment history"))
        self.resize(960, 680)
        self._document = document
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("History of this assessment"), "sectionTitle"))
        self.lead = wrapped_label("", "muted")
        layout.addWidget(self.lead)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("#"),
                self.tr("Saved"),
                self.tr("Verdict"),
                self.tr("Confidence"),
                self.tr("Probe report"),
                self.tr("What changed"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(260)  # the difference below matters more than old rows
        layout.addWidget(self.table)
        choice = QHBoxLayout()
        self.before_box = QComboBox()
        self.after_box = QComboBox()
        choice.addWidget(plain_label(self.tr("Compare milestone")))
        choice.addWidget(self.before_box)
        choice.addWidget(plain_label(self.tr("with")))
        choice.addWidget(self.after_box)
        choice.addStretch(1)
        layout.addLayout(choice)
        self.diff_panel = DiffPanel()
        # The height to spare goes to the difference, never between the heading and the table.
        layout.addWidget(self.diff_panel, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.before_box.currentIndexChanged.connect(self._show_diff)
        self.after_box.currentIndexChanged.connect(self._show_diff)
        document.historyChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Show the document's history again; the two latest milestones are compared."""
        history = self._document.history
        entries = history_entries(history)
        if not entries:
            self.lead.setText(self.tr("No milestone yet: each save of the assessment records one."))
        else:
            self.lead.setText(
                self.tr("One milestone: each save of the assessment records one.")
                if len(entries) == 1
                else self.tr("{count} milestones, one per save, oldest first.").format(
                    count=len(entries)
                )
            )
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (
                str(entry.number),
                entry.when,
                entry.verdict_label,
                entry.confidence_label,
                entry.probe,
                entry.changes,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        for box in (self.before_box, self.after_box):
            box.blockSignals(True)
            box.clear()
            box.addItems([f"{entry.number}: {entry.when}" for entry in entries])
            box.blockSignals(False)
        if len(entries) >= 2:
            self.before_box.setCurrentIndex(len(entries) - 2)
            self.after_box.setCurrentIndex(len(entries) - 1)
        self._show_diff()

    def compare(self, before: int, after: int) -> None:
        """Compare two milestones by their place in the history (0 for the first)."""
        self.before_box.setCurrentIndex(before)
        self.after_box.setCurrentIndex(after)

    def _show_diff(self) -> None:
        history = self._document.history
        before, after = self.before_box.currentIndex(), self.after_box.currentIndex()
        if len(history) < 2 or before < 0 or after < 0:
            self.diff_panel.show_diff(None)
            return
        self.diff_panel.show_diff(milestone_diff(history[before], history[after]))
