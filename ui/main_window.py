"""The main window: the step list, the pages, the live preview, menus and file handling."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from advisor.base.i18n import LANGUAGE_NAMES, LANGUAGES, Language, current_language
from advisor.rulebook import Rulebook, load_rulebook
from advisor.ui import dialogs, help_window
from advisor.ui.app_settings import AppSettings, app_settings
from advisor.ui.document import AssessmentDocument
from advisor.ui.file_commands import FileCommands
from advisor.ui.notice_bar import NoticeBar
from advisor.ui.preview import LivePreview
from advisor.ui.probe_page import ProbePage
from advisor.ui.probe_worker import ProbeRunFunction, run_real_probes
from advisor.ui.question_page import QuestionPage
from advisor.ui.recent_files import RecentFiles
from advisor.ui.results_page import ResultsPage
from advisor.ui.step_list import StepList, StepState
from advisor.ui.style import STYLE_SHEET
from advisor.ui.translation import apply_language, save_language
from advisor.ui.welcome import how_it_works

APP_NAME = help_window.APP_NAME
APP_ID = help_window.APP_ID

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport
    from advisor.ui.compare_view import CompareDialog
    from advisor.ui.history_view import HistoryDialog

PROBES_STEP = "probes"
RESULTS_STEP = "results"
GEOMETRY_KEY = "window/geometry"
DEFAULT_SIZE = QSize(1180, 760)
MINIMUM_SIZE = QSize(720, 480)
SCREEN_SHARE = 0.92  # of the screen's free area, at most, for a window opened the first time
# Below this width the advice panel folds into a button on the navigation bar, so that the page
# keeps room to read; below the second one the step list narrows too.
COLLAPSE_WIDTH = 1100
NARROW_WIDTH = 900
STEPS_WIDTH = 200
NARROW_STEPS_WIDTH = 160
PREVIEW_WIDTH = 280
WELCOME = str(
    QT_TRANSLATE_NOOP(
        "MainWindow",
        "Docker containers or virtual machines? This assessment answers it for your project "
        "with rules drawn from the article “Docker vs Virtual Machine (VM)”, then checks the "
        "advice on this workstation with a real container and a real VM.",
    )
)


class MainWindow(FileCommands):
    """The app's single top-level window."""

    def __init__(
        self,
        *,
        rulebook: Rulebook | None = None,
        settings: AppSettings | None = None,
        run_probes: ProbeRunFunction = run_real_probes,
        document: AssessmentDocument | None = None,
    ) -> None:
        """A window for a new assessment, or for `document` (one shown before in another
        language: the window takes it over)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)  # a file dropped on the window opens as File > Open does
        # Before any child exists: each widget is then styled once, as it is made.
        self.setStyleSheet(STYLE_SHEET)
        self.settings = settings if settings is not None else app_settings()
        self.recent_files = RecentFiles(self.settings)
        if document is None:
            document = AssessmentDocument(rulebook or load_rulebook(), self)
        document.setParent(self)
        self.document = document
        self._run_probes = run_probes
        self._visited: set[str] = set()
        self._closing = False  # decided to close; waiting only for the probes to clean up
        self.history_dialog: HistoryDialog | None = None
        self.compare_dialog: CompareDialog | None = None

        self.notice = NoticeBar()
        self.steps = StepList()
        self.pages = QStackedWidget()
        self._question_pages: dict[str, QuestionPage] = {}
        self._build_pages(run_probes)
        self.preview = LivePreview(self.document)
        # A fixed width: the panel must not widen when the first verdict appears.
        self.preview.setFixedWidth(PREVIEW_WIDTH)
        self._collapsed = False
        self._preview_opened = False  # shown by hand while the window is narrow
        self.setMinimumSize(MINIMUM_SIZE)
        central = self._build_central()
        self.setCentralWidget(central)
        self.notice.attach(central)
        self.setWindowIcon(help_window.app_icon())
        self._build_actions()
        self._build_menus()
        self._connect()
        self._show_document_answers()
        self._restore_geometry()
        self._refresh_title()
        self._refresh_steps()
        self.go_to(self.steps.key_at(0))
        # The first keystroke belongs to the first answer (the project's name), not the list.
        self._focus_page(Qt.FocusReason.OtherFocusReason)

    # Layout -------------------------------------------------------------------------------

    def _build_pages(self, run_probes: ProbeRunFunction) -> None:
        # Question pages are made when first shown: the window opens sooner, and a page
        # takes a few milliseconds to make, too little to notice on the way to it.
        for question in self.document.questions.questions:
            self.steps.add_step(question.id, question.step, required=question.required)
            self.pages.addWidget(QWidget())
        self.probe_page = ProbePage(self.document, run_probes, settings=self.settings)
        self.steps.add_step(PROBES_STEP, self.tr("Probes"))
        self.pages.addWidget(self.probe_page)
        self.results_page = ResultsPage(self.document)
        self.steps.add_step(RESULTS_STEP, self.tr("Results"))
        self.pages.addWidget(self.results_page)

    def question_page(self, field: str) -> QuestionPage:
        """The page asking one question, made on first use."""
        page = self._question_pages.get(field)
        if page is not None:
            return page
        questions = self.document.questions
        question = questions.question(field)
        asked = questions.decisions
        position = (
            self.tr("Question {number} of {count}").format(
                number=asked.index(question) + 1, count=len(asked)
            )
            if question.is_decision
            else self.tr("About the project")
        )
        # The first page welcomes the user and says how an assessment goes.
        first = questions.questions[0] is question
        page = QuestionPage(
            question,
            self.document.rulebook,
            position=position,
            intro=self.tr(WELCOME) if first else "",
            extra=how_it_works(len(asked), sum(item.required for item in asked)) if first else None,
        )
        page.input.set_value(self.document.value(field))
        page.input.changed.connect(lambda value: self.document.set_value(field, value))
        row = self.steps.row_of(field)
        placeholder = self.pages.widget(row)
        self.pages.insertWidget(row, page)
        if placeholder is not None:
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
        self._question_pages[field] = page
        return page

    def _build_central(self) -> QWidget:
        self.back_button = QPushButton(self.tr("← &Back"))
        self.next_button = QPushButton(self.tr("&Next →"))
        self.next_button.setObjectName("primary")
        # Where the advice panel is folded away: the verdict so far, a click opening the panel.
        self.advice_button = QToolButton()
        self.advice_button.setObjectName("adviceButton")
        self.advice_button.setCheckable(True)
        self.advice_button.setAccessibleName(self.tr("Advice so far"))
        self.advice_button.hide()
        navigation = QWidget()
        navigation.setObjectName("navBar")
        nav_layout = QHBoxLayout(navigation)
        nav_layout.setContentsMargins(24, 10, 24, 10)
        nav_layout.addWidget(self.back_button)
        nav_layout.addStretch(1)
        nav_layout.addWidget(self.advice_button)
        nav_layout.addStretch(1)
        nav_layout.addWidget(self.next_button)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(0)
        middle_layout.addWidget(self.pages, 1)
        middle_layout.addWidget(navigation)

        self.steps.setFixedWidth(STEPS_WIDTH)
        columns = QHBoxLayout()
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(0)
        columns.addWidget(self.steps)
        columns.addWidget(middle, 1)
        columns.addWidget(self.preview)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(columns, 1)
        return central

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action(self.tr("&New Assessment"), keys.New, self.new_assessment)
        self.open_action = self._action(self.tr("&Open…"), keys.Open, lambda: self.open_file())
        self.save_action = self._action(self.tr("&Save"), keys.Save, lambda: self.save())
        self.save_as_action = self._action(
            self.tr("Save &As…"), keys.SaveAs, lambda: self.save_as()
        )
        self.import_action = self._action(
            self.tr("&Import Probe Results…"), "Ctrl+I", lambda: self.import_probe_results()
        )
        self.export_action = self._action(
            self.tr("&PDF Report…"), "Ctrl+E", lambda: self.export_pdf()
        )
        self.export_markdown_action = self._action(
            self.tr("&Markdown Decision Record…"), "Ctrl+Shift+E", lambda: self.export_markdown()
        )
        self.history_action = self._action(self.tr("&History…"), "Ctrl+H", self.show_history)
        self.compare_action = self._action(
            self.tr("&Compare Hosts…"), "Ctrl+Shift+I", lambda: self.compare_hosts()
        )
        self.quit_action = self._action(self.tr("&Quit"), keys.Quit, self.close)
        self.back_action = self._action(self.tr("&Back"), "Alt+Left", self.go_back)
        self.next_action = self._action(self.tr("&Next"), "Alt+Right", self.go_next)
        self.results_action = self._action(self.tr("&Results"), "Ctrl+R", self.show_results)
        self.guide_action = self._action(self.tr("&Guide"), keys.HelpContents, self._show_guide)
        self.shortcuts_action = self._action(
            self.tr("&Keyboard Shortcuts"), "Ctrl+?", lambda: help_window.show_shortcuts(self)
        )
        self.about_action = self._action(
            self.tr("&About {app}").format(app=APP_NAME),
            None,
            lambda: help_window.show_about(self),
        )
        self.language_actions: dict[Language, QAction] = {}
        group = QActionGroup(self)
        for language in LANGUAGES:
            # `triggered` passes whether the action is checked; the language is bound here.
            action = self._action(
                LANGUAGE_NAMES[language],
                None,
                lambda *_checked, chosen=language: self.choose_language(chosen),
            )
            action.setCheckable(True)
            action.setChecked(language == current_language())
            group.addAction(action)
            self.language_actions[language] = action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addAction(self.history_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.compare_action)
        export_menu = file_menu.addMenu(self.tr("&Export"))
        export_menu.addAction(self.export_action)
        export_menu.addAction(self.export_markdown_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.language_menu = view_menu.addMenu(self.tr("&Language"))
        for action in self.language_actions.values():
            self.language_menu.addAction(action)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        go_menu.addAction(self.back_action)
        go_menu.addAction(self.next_action)
        go_menu.addAction(self.results_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _connect(self) -> None:
        document = self.document
        document.answersChanged.connect(self._refresh_steps)
        document.probeReportChanged.connect(self._refresh_steps)
        document.reloaded.connect(self._show_document_answers)
        document.modifiedChanged.connect(self._refresh_title)
        document.pathChanged.connect(self._refresh_title)
        document.answersChanged.connect(self._refresh_advice_button)
        document.probeReportChanged.connect(self._refresh_advice_button)
        self.advice_button.toggled.connect(self._open_preview)
        self.steps.currentRowChanged.connect(self._step_selected)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.probe_page.reportReady.connect(self._probe_report_ready)
        self.probe_page.importRequested.connect(lambda: self.import_probe_results())
        self.probe_page.runningChanged.connect(self._probes_running)
        self.results_page.exportRequested.connect(lambda: self.export_pdf())
        self.results_page.exportMarkdownRequested.connect(lambda: self.export_markdown())
        self.results_page.goToQuestion.connect(self.go_to)
        self.results_page.goToProbes.connect(lambda: self.go_to(PROBES_STEP))

    # Navigation ---------------------------------------------------------------------------

    @property
    def current_step(self) -> str:
        """The key of the step shown: a field of the answers model, 'probes' or 'results'."""
        return self.steps.key_at(self.pages.currentIndex())

    def go_to(self, key: str) -> None:
        """Show one step."""
        self.steps.setCurrentRow(self.steps.row_of(key))

    def show_results(self) -> None:
        """Show the results page."""
        self.go_to(RESULTS_STEP)

    def go_next(self) -> None:
        """Show the next step and put the keyboard focus on its answer."""
        row = self.pages.currentIndex()
        if row + 1 < self.pages.count():
            self.go_to(self.steps.key_at(row + 1))
            self._focus_page(Qt.FocusReason.TabFocusReason)

    def go_back(self) -> None:
        """Show the previous step and put the keyboard focus on its answer."""
        row = self.pages.currentIndex()
        if row > 0:
            self.go_to(self.steps.key_at(row - 1))
            self._focus_page(Qt.FocusReason.BacktabFocusReason)

    def _focus_page(self, reason: Qt.FocusReason) -> None:
        page = self.pages.currentWidget()
        if page is not None:
            page.setFocus(reason)

    def _chain_focus(self, page: QWidget) -> None:
        """Tab goes from the step list through the page shown to Back and Next, in the order
        a person reads them, whenever the page was made."""
        inside = [
            widget
            for widget in page.findChildren(QWidget)
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.focusProxy() is None
        ]
        chain = [self.steps, *inside, self.back_button, self.advice_button, self.next_button]
        # Round again from Next to the steps.
        for before, after in pairwise([*chain, self.steps]):
            QWidget.setTabOrder(before, after)

    def _step_selected(self, row: int) -> None:
        if row < 0:
            return
        key = self.steps.key_at(row)
        if key in self.document.questions.by_id:
            self.question_page(key)
        self.pages.setCurrentIndex(row)
        page = self.pages.currentWidget()
        if page is not None:
            self._chain_focus(page)
        self._visited.add(key)
        last = self.pages.count() - 1
        self.back_button.setEnabled(row > 0)
        self.back_action.setEnabled(row > 0)
        self.next_action.setEnabled(row < last)
        # The last page has nowhere to go: no button at all rather than a disabled one.
        self.next_button.setVisible(row < last)
        if row < last:
            self.next_button.setText(
                self.tr("&Next: {step} →").format(step=self.steps.item(row + 1).text().rstrip(" *"))
            )
        self._lay_out_columns()
        self._refresh_steps()

    def _refresh_steps(self) -> None:
        document = self.document
        for question in document.questions.questions:
            value = document.value(question.id)
            label = question.label_of(value)
            if value is None and question.required:
                state, tip = StepState.REQUIRED, self.tr("Required: not answered yet")
            elif value is None:
                # Seen or not, a question left unanswered is not done.
                state, tip = StepState.OPEN, self.tr("Optional: not answered")
            elif question.id in self._visited or value != question.initial:
                state, tip = StepState.DONE, self.tr("Answered: {answer}").format(answer=label)
            else:
                state, tip = (
                    StepState.OPEN,
                    self.tr("Optional: {answer} unless you change it").format(answer=label),
                )
            self.steps.set_state(question.id, state, tip)
        report = document.probe_report
        self.steps.set_state(
            PROBES_STEP,
            StepState.DONE if report is not None else StepState.OPEN,
            self.tr("Probe results {source}").format(source=document.probe_source)
            if report
            else self.tr("No probe results yet"),
        )
        ready = document.recommendation() is not None
        read = ready and RESULTS_STEP in self._visited
        self.steps.set_state(
            RESULTS_STEP,
            StepState.DONE if read else StepState.OPEN,
            (
                self.tr("The advice is ready: read")
                if read
                else self.tr("The advice is ready to read")
            )
            if ready
            else self.tr("Answer the required questions first"),
        )

    def _show_document_answers(self) -> None:
        for field, page in self._question_pages.items():
            page.input.set_value(self.document.value(field))
        # Opened answers were given in full; a new assessment starts unvisited.
        answered = self.document.path is not None or self.document.modified
        self._visited = set(self.document.questions.by_id) if answered else set()
        self._visited.add(self.current_step)

    # Probes, title, closing ---------------------------------------------------------------

    def _probe_report_ready(self, report: ProbeReport) -> None:
        self.document.set_probe_report(report, self.tr("from this workstation"))

    def _probes_running(self, running: bool) -> None:
        # A run's results belong to the assessment it started in: keep that one open.
        for action in (self.new_action, self.open_action, self.import_action):
            action.setEnabled(not running)
        self.recent_menu.setEnabled(not running)
        # A window made again in another language cannot take over a run under way.
        self.language_menu.setEnabled(not running)
        if not running and self._closing:
            self.close()

    def _refresh_title(self) -> None:
        path = self.document.path
        name = path.name if path is not None else self.tr("Untitled assessment")
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(self.document.modified)

    def show_history(self) -> HistoryDialog:
        """Show the milestones of this assessment and the difference between two of them."""
        from advisor.ui.history_view import HistoryDialog

        if self.history_dialog is None:
            self.history_dialog = HistoryDialog(self.document, self)
        self.history_dialog.show()
        return self.history_dialog

    def compare_hosts(self, paths: list[Path] | None = None) -> CompareDialog:
        """Show several hosts' probe reports side by side (asking for them when None)."""
        from advisor.ui.compare_view import CompareDialog

        if self.compare_dialog is None:
            self.compare_dialog = CompareDialog(self.document, self)
        self.compare_dialog.show()
        self.compare_dialog.import_reports(paths)
        return self.compare_dialog

    def _show_guide(self) -> None:
        questions = self.document.questions
        help_window.show_guide(
            self, len(questions.decisions), sum(item.required for item in questions.decisions)
        )

    def choose_language(self, language: Language) -> MainWindow:
        """View → Language: remember `language` and show the assessment in it; returns the
        window that shows it (a new one when the language changes)."""
        save_language(self.settings, language)
        if language == current_language():
            return self
        return self.show_in_language(language)

    def show_in_language(self, language: Language) -> MainWindow:
        """The assessment, the step shown and the window's place, in a new window made in
        `language`; this one closes. Every page is made again, so every word follows."""
        apply_language(language)
        self.document.language_changed()
        window = MainWindow(
            settings=self.settings, run_probes=self._run_probes, document=self.document
        )
        window.restoreGeometry(self.saveGeometry())
        window.take_visited(self._visited)
        window.go_to(self.current_step)
        if self.isVisible():
            window.show()
        self.close_without_asking()
        self.deleteLater()
        return window

    def take_visited(self, visited: set[str]) -> None:
        """Mark the steps a window shown before had visited as visited here too."""
        self._visited |= visited
        self._refresh_steps()

    # Size and layout ----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = QByteArray.fromBase64((self.settings.text(GEOMETRY_KEY) or "").encode())
        if not geometry.isEmpty() and self.restoreGeometry(geometry):
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        size = QSize(DEFAULT_SIZE)
        if screen is not None:
            free = screen.availableGeometry()
            size = size.boundedTo(free.size() * SCREEN_SHARE).expandedTo(MINIMUM_SIZE)
            self.resize(size)
            self.move(free.center() - self.rect().center())
        else:
            self.resize(size)

    @property
    def advice_collapsed(self) -> bool:
        """Whether the window is too narrow for the advice panel beside the page."""
        return self._collapsed

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out_columns()

    def _lay_out_columns(self) -> None:
        width = self.width()
        collapsed = width < COLLAPSE_WIDTH
        if collapsed != self._collapsed:
            self._collapsed = collapsed
            self._preview_opened = False
            self.advice_button.setChecked(False)
        self.steps.setFixedWidth(NARROW_STEPS_WIDTH if width < NARROW_WIDTH else STEPS_WIDTH)
        on_results = self.current_step == RESULTS_STEP
        self.preview.setVisible(not on_results and (not collapsed or self._preview_opened))
        self.advice_button.setVisible(collapsed and not on_results)
        self._refresh_advice_button()

    def _open_preview(self, shown: bool) -> None:
        self._preview_opened = shown
        self._lay_out_columns()

    def _refresh_advice_button(self) -> None:
        if self.advice_button.isHidden():
            return
        view = self.document.view()
        verdict = view.verdict_label if view is not None else self.tr("not yet")
        # Open, the panel shows the verdict itself: the button need only say how to close it.
        self.advice_button.setText(
            self.tr("Hide the advice panel")
            if self._preview_opened
            else self.tr("Advice so far: {verdict} (show)").format(verdict=verdict)
        )
        self.advice_button.setToolTip(
            self.tr("Hide the advice panel")
            if self._preview_opened
            else self.tr("Show the advice panel")
        )

    def close_without_asking(self) -> None:
        """Close as Quit does, but without asking about unsaved changes (the session ends)."""
        self._closing = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing:
            if self.probe_page.running and not self._may_stop_probes():
                event.ignore()
                return
            if not self._may_discard():
                event.ignore()
                return
            self._closing = True
        if self.probe_page.running:
            # Closing now would abandon what the probes started; they clean up first.
            self.probe_page.cancel()
            self.notice.show_info(
                self.tr(
                    self.tr(
                        "Stopping the probes and removing what they started; "
                        "the window closes as soon as that is done."
                    )
                )
            )
            event.ignore()
            return
        self.settings.set(GEOMETRY_KEY, bytes(self.saveGeometry().toBase64().data()).decode())
        event.accept()

    def _may_stop_probes(self) -> bool:
        """Whether the user agrees to stop a probe run to close the window."""
        choice = dialogs.ask(
            self,
            self.tr("The probes are running"),
            self.tr("Stop the probes and close the window?"),
            (dialogs.Button.Close, dialogs.Button.Ignore),
            dialogs.Button.Ignore,
            self.tr(
                "The probes remove what they started before the window closes; "
                "the results of this run are lost."
            ),
        )
        return choice == dialogs.Button.Close
