"""Several hosts' probe reports side by side, as `dvm-advisor compare` shows them.

The words come from the comparison view model (advisor/report/comparison.py); this window
lays them out as a table with a column per host, the rows where hosts disagree marked, and,
once the open assessment's required questions are answered, the advice on each host.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor.base.errors import InputError
from advisor.compare_command import load_reports_to_compare
from advisor.report.comparison import DIFFERS_MARK, ComparisonDocument, build_comparison
from advisor.ui.document import AssessmentDocument
from advisor.ui.file_commands import PROBE_REPORT_FILTER
from advisor.ui.widgets import heading, wrapped_label

_DIFFERS_BACKGROUND = QColor("#fdecea")
_SECTION_BACKGROUND = QColor("#eef2f7")


class CompareDialog(QDialog):
    """Probe reports of several hosts, imported together and shown side by side."""

    def __init__(self, document: AssessmentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare hosts"))
        self.resize(1100, 760)
        self._document = document
        self.comparison: ComparisonDocument | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Hosts side by side"), "sectionTitle"))
        self.lead = wrapped_label(
            self.tr(
                "Import the probe reports of several hosts (written by dvm-advisor probe "
                "--json, or fetched by the fleet playbook), one per host."
            ),
            "muted",
        )
        layout.addWidget(self.lead)
        self.error = wrapped_label("", "noticeBar")
        self.error.hide()
        layout.addWidget(self.error)
        self.table = QTableWidget(0, 1)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        self.advice = wrapped_label("")
        layout.addWidget(self.advice)
        actions = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import Probe Reports…"))
        self.import_button.clicked.connect(lambda: self.import_reports())
        actions.addWidget(self.import_button)
        actions.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        actions.addWidget(buttons)
        layout.addLayout(actions)

    def import_reports(self, paths: list[Path] | None = None) -> bool:
        """Compare the reports at `paths` (asking for them when None); True when shown.

        A set that cannot be compared is one plain sentence above the table, which keeps
        the comparison shown before."""
        if paths is None:
            chosen, _filter = QFileDialog.getOpenFileNames(
                self,
                self.tr("Import probe reports"),
                "",
                QCoreApplication.translate("FileCommands", PROBE_REPORT_FILTER),
            )
            if not chosen:
                return False
            paths = [Path(name) for name in chosen]
        try:
            reports = load_reports_to_compare(paths, self._document.questions)
        except InputError as error:
            self.error.setText(
                self.tr("These reports cannot be compared: {error}").format(error=error)
            )
            self.error.show()
            return False
        self.error.hide()
        self.show_comparison(
            build_comparison(
                reports,
                self._document.answers(),
                generated_at=datetime.now(UTC),
                rulebook=self._document.rulebook,
            )
        )
        return True

    def show_comparison(self, comparison: ComparisonDocument) -> None:
        """Lay out a comparison: a row per fact, a column per host, a mark where they differ."""
        self.comparison = comparison
        hosts = comparison.hosts
        self.lead.setText(comparison.summary)
        self.table.clear()
        self.table.setColumnCount(len(hosts) + 2)
        self.table.setHorizontalHeaderLabels(
            ["", *(f"{host.label}\n{host.source}" for host in hosts), ""]
        )
        rows = sum(1 + len(section.rows) for section in comparison.sections)
        self.table.setRowCount(rows)
        row = 0
        bold = QFont()
        bold.setBold(True)
        for section in comparison.sections:
            title = self._item(section.title)
            title.setFont(bold)
            for column in range(len(hosts) + 2):
                cell = title if column == 0 else self._item("")
                cell.setBackground(QBrush(_SECTION_BACKGROUND))
                self.table.setItem(row, column, cell)
            row += 1
            for entry in section.rows:
                cells = [entry.label, *entry.values, DIFFERS_MARK if entry.differs else ""]
                for column, text in enumerate(cells):
                    item = self._item(text)
                    if entry.differs:
                        item.setBackground(QBrush(_DIFFERS_BACKGROUND))
                        item.setFont(bold)
                    item.setToolTip(text)
                    self.table.setItem(row, column, item)
                row += 1
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, len(hosts) + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(hosts) + 1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.resizeRowsToContents()
        lines = []
        if comparison.project_label is not None:
            lines.append(
                self.tr("The advice for {project}:").format(project=comparison.project_label)
            )
            lines += [entry.sentence for entry in comparison.advice]
        else:
            lines.append(self.tr("Answer the required questions for the advice on each host."))
        lines.append(comparison.advice_note if comparison.project_label is not None else "")
        self.advice.setText("\n".join(line for line in lines if line))

    @staticmethod
    def _item(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return item
