"""The assessment being edited: answers so far, probe results, file and unsaved state.

Every page reads from and writes to one AssessmentDocument; it asks the engine for the
recommendation whenever the answers or the probe results change, and holds no rules itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal

from advisor.answers import Answers
from advisor.engine import advise
from advisor.facts import FactValue
from advisor.questions import Questionnaire
from advisor.recommendation import Recommendation
from advisor.report.model import ReportDocument, build_report
from advisor.rulebook import Rulebook

if TYPE_CHECKING:
    from advisor.assessment import Assessment
    from advisor.milestones import Milestone
    from advisor.probe_results import ProbeReport


class AssessmentDocument(QObject):
    """One assessment in the making; emits a signal whenever any part of it changes."""

    answersChanged = Signal()
    probeReportChanged = Signal()
    modifiedChanged = Signal(bool)
    pathChanged = Signal()
    reloaded = Signal()  # every answer replaced at once: by a file opened, or a new assessment
    historyChanged = Signal()  # a file opened, or a save added a milestone

    def __init__(self, rulebook: Rulebook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rulebook = rulebook
        self._values = self._initial_values()
        self._not_asked: tuple[str, ...] = ()  # what an older answers file never asked
        self._probe_report: ProbeReport | None = None
        self._probe_source = ""
        self._path: Path | None = None
        self._history: tuple[Milestone, ...] = ()  # the milestones saved so far, oldest first
        self._modified = False
        self._recommendation: Recommendation | None = None
        self._view: ReportDocument | None = None
        self._recommendation_stale = True

    @property
    def rulebook(self) -> Rulebook:
        """The rules every recommendation is made by."""
        return self._rulebook

    @property
    def questions(self) -> Questionnaire:
        """The questions asked, in form order."""
        return self._rulebook.questions

    def _initial_values(self) -> dict[str, FactValue]:
        return {question.id: question.initial for question in self.questions.questions}

    def value(self, field: str) -> FactValue:
        """The current answer to one question; None while a required one is unanswered."""
        return self._values[field]

    def set_value(self, field: str, value: FactValue) -> None:
        """Record an answer (None takes a required answer back)."""
        if field not in self._values:
            raise KeyError(f"no question {field!r} in the answers model")
        if self._values[field] == value:
            return
        self._values[field] = value
        self._answers_changed()

    def missing_required(self) -> tuple[str, ...]:
        """The required questions still unanswered, in form order."""
        return tuple(
            question.id for question in self.questions.required if self._values[question.id] is None
        )

    def answers(self) -> Answers | None:
        """The answers as the model validates them, or None while some are missing."""
        if self.missing_required():
            return None
        values = {name: value for name, value in self._values.items() if value is not None}
        questions = self.questions
        try:
            answers = questions.answers_model.model_validate(
                {"schema_version": questions.version, **values}
            )
        except ValidationError:
            # The inputs only offer values the model accepts, so this is a fault in the form.
            raise RuntimeError("the form produced answers the model refuses") from None
        # Until saved in the current format, an older file's note stays, less what is answered.
        still_open = tuple(field for field in self._not_asked if self._values[field] is None)
        return answers.noting_not_asked(still_open) if still_open else answers

    def recommendation(self) -> Recommendation | None:
        """The engine's advice for the current answers and probe results."""
        self._refresh()
        return self._recommendation

    def view(self) -> ReportDocument | None:
        """Every word shown about the advice, or None while required answers are missing."""
        self._refresh()
        return self._view

    def _refresh(self) -> None:
        if not self._recommendation_stale:
            return
        answers = self.answers()
        if answers is None:
            self._recommendation = self._view = None
        else:
            report = self._probe_report
            self._recommendation = advise(answers, report, rulebook=self._rulebook)
            self._view = build_report(
                answers,
                self._recommendation,
                report,
                rulebook=self._rulebook,
                generated_at=datetime.now(UTC),
            )
        self._recommendation_stale = False

    def language_changed(self) -> None:
        """Word the advice again: every word of it is chosen in the current language."""
        self._recommendation_stale = True

    @property
    def probe_report(self) -> ProbeReport | None:
        """The probe results this assessment holds, if any."""
        return self._probe_report

    @property
    def probe_source(self) -> str:
        """Where the probe results came from, in words: 'run here', 'imported from …'."""
        return self._probe_source

    def set_probe_report(self, report: ProbeReport | None, source: str) -> None:
        """Keep new probe results (or drop them with None); `source` says where they came from."""
        self._probe_report = report
        self._probe_source = source if report is not None else ""
        self._recommendation_stale = True
        self._set_modified(True)
        self.probeReportChanged.emit()

    @property
    def path(self) -> Path | None:
        """The file this assessment was last opened from or saved to."""
        return self._path

    @property
    def modified(self) -> bool:
        """Whether there are changes not yet saved."""
        return self._modified

    @property
    def history(self) -> tuple[Milestone, ...]:
        """The milestones of this assessment, oldest first: one per save."""
        return self._history

    def to_assessment(self) -> Assessment:
        """The assessment as saved to a file now, its history with a milestone for this save
        added; the answers must be complete."""
        from advisor.assessment import make_assessment

        answers = self.answers()
        if answers is None:
            raise ValueError("the required questions are not all answered")
        return make_assessment(answers, self._probe_report, history=self._history)

    def load(self, assessment: Assessment, path: Path) -> None:
        """Replace everything with an assessment read from `path`."""
        self._take_answers(assessment.answers)
        self._probe_report = assessment.probe
        self._probe_source = (
            self.tr("saved in {name}").format(name=path.name) if assessment.probe else ""
        )
        self._set_history(assessment.milestones())
        self._replace_all(path)

    def load_answers(self, answers: Answers) -> None:
        """Start a new assessment from an answers file: its answers, no probe results, and
        no file of its own yet (saving asks where, so the answers file stays as it is)."""
        self._take_answers(answers)
        self._probe_report = None
        self._probe_source = ""
        self._set_history(())
        # Answers taken from a file are a change not yet saved as an assessment.
        self._replace_all(None, modified=True)

    def _take_answers(self, answers: Answers) -> None:
        self._values = {
            question.id: answers.value(question.id) for question in self.questions.questions
        }
        self._not_asked = answers.not_asked

    def reset(self) -> None:
        """Start a new assessment: no answers, no probe results, no file."""
        self._values = self._initial_values()
        self._not_asked = ()
        self._probe_report = None
        self._probe_source = ""
        self._set_history(())
        self._replace_all(None)

    def mark_saved(self, path: Path, saved: Assessment | None = None) -> None:
        """Record that everything is now saved in `path`, as `saved` (whose history is now
        this assessment's)."""
        if saved is not None:
            self._set_history(saved.history)
        if path != self._path:
            self._path = path
            self.pathChanged.emit()
        self._set_modified(False)

    def _replace_all(self, path: Path | None, *, modified: bool = False) -> None:
        self._path = path
        self._set_modified(modified)
        self._recommendation_stale = True
        self.pathChanged.emit()
        self.reloaded.emit()
        self.answersChanged.emit()
        self.probeReportChanged.emit()

    def _set_history(self, history: tuple[Milestone, ...]) -> None:
        self._history = history
        self.historyChanged.emit()

    def _answers_changed(self) -> None:
        self._recommendation_stale = True
        self._set_modified(True)
        self.answersChanged.emit()

    def _set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modifiedChanged.emit(modified)
