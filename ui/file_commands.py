"""The window's file commands: New, Open (any file the command line writes), Save, Save As,
Import Probe Results, Export (PDF and Markdown), recent files, and files dropped on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QStandardPaths, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMenu

from advisor.base.errors import InputError
from advisor.base.i18n import _
from advisor.file_kinds import KIND_PHRASES, FileKindError, open_any, plain_message
from advisor.ui import dialogs
from advisor.ui.app_settings import AppSettings
from advisor.ui.document import AssessmentDocument
from advisor.ui.notice_bar import NoticeBar
from advisor.ui.probe_page import ProbePage
from advisor.ui.recent_files import RecentFiles
from advisor.ui.step_list import StepList
from advisor.ui.widgets import plain_tooltip

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport
    from advisor.report.model import ReportDocument


class ReportWriter(Protocol):
    """How the report's writers are called: a user who picks a link in a file dialog means
    the file it points to, so the app writes through links."""

    def __call__(self, document: ReportDocument, path: Path, *, follow_symlinks: bool) -> None: ...


LAST_FOLDER_KEY = "last_folder"
# File dialogs' filters, translated where they are shown ("FileCommands" context).
ASSESSMENT_FILTER = str(QT_TRANSLATE_NOOP("FileCommands", "Assessments (*.json);;All files (*)"))
OPEN_FILTER = str(
    QT_TRANSLATE_NOOP(
        "FileCommands", "Assessments, answers files and probe reports (*.json);;All files (*)"
    )
)
MARKDOWN_FILTER = str(QT_TRANSLATE_NOOP("FileCommands", "Markdown documents (*.md)"))
PROBE_REPORT_FILTER = str(
    QT_TRANSLATE_NOOP("FileCommands", "Probe results (*.json);;All files (*)")
)
PDF_FILTER = str(QT_TRANSLATE_NOOP("FileCommands", "PDF documents (*.pdf)"))


class FileCommands(QMainWindow):
    """The file commands of the main window, which sets up the parts declared here."""

    settings: AppSettings
    document: AssessmentDocument
    notice: NoticeBar
    recent_files: RecentFiles
    recent_menu: QMenu
    probe_page: ProbePage
    steps: StepList

    def go_to(self, key: str) -> None:
        """Show one step (the window's own navigation)."""
        raise NotImplementedError

    def show_results(self) -> None:
        """Show the results page (the window's own navigation)."""
        raise NotImplementedError

    def _last_folder(self) -> str:
        stored = self.settings.text(LAST_FOLDER_KEY)
        if stored and Path(stored).is_dir():
            return stored
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def _remember_folder(self, path: Path) -> None:
        self.settings.set(LAST_FOLDER_KEY, str(path.resolve().parent))

    def _suggested_name(self, suffix: str) -> str:
        if self.document.path is not None and suffix == "-assessment.json":
            return str(self.document.path)
        name = str(self.document.value("project_name") or "project")
        stem = "".join(char if char.isalnum() else "-" for char in name.lower()).strip("-")
        return str(Path(self._last_folder()) / f"{stem or 'project'}{suffix}")

    def _ask_path(
        self, dialog: Callable[..., tuple[str, str]], title: str, filters: str, start: str = ""
    ) -> Path | None:
        """The file a QFileDialog function lets the user pick, or None when cancelled."""
        chosen, _filter = dialog(self, title, start or self._last_folder(), self.tr(filters))
        return Path(chosen) if chosen else None

    def new_assessment(self) -> None:
        """Start again with no answers, after asking about unsaved changes."""
        if not self._may_discard():
            return
        self.document.reset()
        self.go_to(self.steps.key_at(0))
        self.notice.hide()

    def open_file(self, path: Path | None = None) -> bool:
        """Open a file the command line or the app wrote (asking for one when `path` is None):
        an assessment, an answers file or a probe report, told apart by content."""
        if path is None:
            path = self._ask_path(QFileDialog.getOpenFileName, self.tr("Open"), OPEN_FILTER)
            if path is None:
                return False
        try:
            opened = open_any(path, self.document.questions)
        except FileKindError as error:
            if not path.exists():
                self.recent_files.remove(path)
            self.notice.show_error(
                plain_message(error, path)
                if error.unknown or error.kind
                else self.tr("Could not open the file: {error}").format(error=error)
            )
            return False
        if opened.probe is not None:
            return self._take_probe_report(opened.probe, path)
        if not self._may_discard():
            return False
        if opened.assessment is not None:
            self.document.load(opened.assessment, path)
            self.recent_files.add(path)
            message = self.tr("Opened {name}.").format(name=path.name)
        else:
            assert opened.answers is not None
            self.document.load_answers(opened.answers)
            message = self.tr(
                "Opened the answers in {name} as a new assessment; Save keeps them with "
                "the probe results in a file of its own."
            ).format(name=path.name)
        self._remember_folder(path)
        if opened.assessment is not None:
            self.show_results()  # a saved assessment is finished: its advice comes first
        else:
            self.go_to(self.steps.key_at(0))
        self.notice.show_info(message)
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_path(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_file(path)

    def _dropped_path(self, event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        local = [url.toLocalFile() for url in urls if url.isLocalFile()]
        return Path(local[0]) if len(local) == 1 and not self.probe_page.running else None

    def save(self) -> bool:
        """Save to the current file, or ask for one; True when saved."""
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self, path: Path | None = None) -> bool:
        """Save to a file chosen now (or `path`); True when saved."""
        if not self._answers_complete(self.tr("saving")):
            return False
        if path is None:
            path = self._ask_path(
                QFileDialog.getSaveFileName,
                self.tr("Save assessment"),
                ASSESSMENT_FILTER,
                self._suggested_name("-assessment.json"),
            )
            if path is None:
                return False
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        if not self._answers_complete(self.tr("saving")):
            return False
        from advisor.assessment import save_assessment

        assessment = self.document.to_assessment()
        try:
            save_assessment(assessment, path, follow_symlinks=True)
        except InputError as error:
            self.notice.show_error(
                self.tr("Could not save the assessment: {error}").format(error=error)
            )
            return False
        self.document.mark_saved(path, assessment)
        self.recent_files.add(path)
        self._remember_folder(path)
        self.notice.show_info(self.tr("Saved to {path}.").format(path=path))
        return True

    def import_probe_results(self, path: Path | None = None) -> bool:
        """Take probe results from a file written by `dvm-advisor probe --json`."""
        if self.probe_page.running:
            return False
        if path is None:
            path = self._ask_path(
                QFileDialog.getOpenFileName, self.tr("Import probe results"), PROBE_REPORT_FILTER
            )
            if path is None:
                return False
        try:
            opened = open_any(path, self.document.questions)
        except FileKindError as error:
            self.notice.show_error(
                plain_message(error, path)
                if error.unknown or error.kind
                else self.tr("Could not import the probe results: {error}").format(error=error)
            )
            return False
        if opened.probe is not None:
            return self._take_probe_report(opened.probe, path)
        # Another kind of file the app opens: say what it is and offer to open it as that.
        choice = dialogs.ask(
            self,
            self.tr("Not probe results"),
            self.tr("{name} is {kind}, not probe results. Open it instead?").format(
                name=path.name, kind=_(KIND_PHRASES[opened.kind])
            ),
            (dialogs.Button.Open, dialogs.Button.Cancel),
            dialogs.Button.Open,
            self.tr(
                "Opening it replaces the answers shown now; probe results come from "
                "`dvm-advisor probe --json FILE`."
            ),
        )
        return choice == dialogs.Button.Open and self.open_file(path)

    def _take_probe_report(self, report: ProbeReport, path: Path) -> bool:
        if self.probe_page.running:
            self.notice.show_error(self.tr("The probes are running: import results once they end."))
            return False
        self.document.set_probe_report(
            report, self.tr("imported from {name}").format(name=path.name)
        )
        self._remember_folder(path)
        self.notice.show_info(
            self.tr("Imported the probe results of {host} from {name}.").format(
                host=report.hostname, name=path.name
            )
        )
        return True

    def export_pdf(self, path: Path | None = None) -> bool:
        """Write the report as a PDF (asking where when `path` is None); True when written."""
        from advisor.report.pdf import write_report_pdf

        return self._export(self.tr("PDF"), PDF_FILTER, "-advice.pdf", write_report_pdf, path)

    def export_markdown(self, path: Path | None = None) -> bool:
        """Write the Markdown decision record (asking where when `path` is None)."""
        from advisor.report.markdown import write_report_markdown

        return self._export(
            self.tr("Markdown decision record"),
            MARKDOWN_FILTER,
            "-decision.md",
            write_report_markdown,
            path,
        )

    def _export(
        self,
        what: str,
        filters: str,
        suffix: str,
        write: ReportWriter,
        path: Path | None,
    ) -> bool:
        view = self.document.view()
        if view is None:
            self._answers_complete(self.tr("exporting the {what}").format(what=what))
            return False
        if path is None:
            path = self._ask_path(
                QFileDialog.getSaveFileName,
                self.tr("Export {what}").format(what=what),
                filters,
                self._suggested_name(suffix),
            )
            if path is None:
                return False
            if not path.suffix:
                path = path.with_suffix(Path(suffix).suffix)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write(view, path, follow_symlinks=True)
        except InputError as error:
            self.notice.show_error(
                self.tr(
                    "Could not write the {what}: {error}. Choose a folder you can write to."
                ).format(what=what, error=error)
            )
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._remember_folder(path)
        saved = self.tr("{what} saved to {path}.").format(what=what, path=path)
        self.notice.show_info(saved[:1].upper() + saved[1:])
        return True

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent_files.paths()
        for index, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{index}  {path.name}")
            action.setToolTip(plain_tooltip(str(path)))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, path=path: self.open_file(path))
        if not paths:
            empty = self.recent_menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
            return
        self.recent_menu.addSeparator()
        self.recent_menu.addAction(self.tr("&Clear Recent Files"), self.recent_files.clear)

    def _answers_complete(self, doing: str) -> bool:
        missing = self.document.missing_required()
        if not missing:
            return True
        names = _(", ").join(self.document.questions.question(field).step for field in missing)
        self.notice.show_error(
            self.tr(
                "Answer the required questions (marked * in the list) before {doing}: {names}."
            ).format(doing=doing, names=names)
        )
        return False

    def _may_discard(self) -> bool:
        """Whether the current assessment may be replaced: saved, or the user says so."""
        if not self.document.modified:
            return True
        choice = dialogs.ask(
            self,
            self.tr("Unsaved changes"),
            self.tr("This assessment has changes that are not saved. Save them first?"),
            (dialogs.Button.Save, dialogs.Button.Discard, dialogs.Button.Cancel),
            dialogs.Button.Save,
        )
        if choice == dialogs.Button.Save:
            return self.save()
        return choice == dialogs.Button.Discard
