"""Which of the files dvm-advisor writes a file is, told by its content, and that file read.

The app opens all three: an answers file (`recommend --answers`), a probe report (`probe
--json`) and an assessment (the app's own Save). Their top-level fields tell them apart: an
assessment holds `answers`, a probe report `host` and `taken_at`, and an answers file the ids
of the questions. Each is then read by its own model, so a fault is named as for that kind.
The advice the command line writes as JSON (`report --json`, `recommend --json`) holds a
`verdict`: it is told apart first, since it also holds `answers` or `project_name`, and is
named as what it is rather than read as a faulty file of another kind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from advisor.base.errors import InputError, read_limited
from advisor.base.i18n import N_, _

if TYPE_CHECKING:
    from advisor.answers import Answers
    from advisor.assessment import Assessment
    from advisor.probe_results import ProbeReport
    from advisor.questions import Questionnaire

FileKind = Literal["answers", "probe", "assessment"]
KIND_NAMES: dict[FileKind, str] = {
    "answers": N_("the answers file"),
    "probe": N_("the probe report"),
    "assessment": N_("the assessment"),
}
# The kinds as a sentence names what a file is: "team.json is an answers file"; in English,
# shown through `_` in the current language.
KIND_PHRASES: dict[FileKind, str] = {
    "answers": N_("an answers file"),
    "probe": N_("a probe report"),
    "assessment": N_("an assessment saved by the app"),
}
THREE_KINDS = N_("an answers file, a probe report or an assessment saved by the app")
# What to do with a file of each kind that has a fault; in English, shown through `_`.
FIX_HINTS: dict[FileKind, str] = {
    "answers": N_("Correct it in a text editor, or answer the questions here and save them."),
    "probe": N_("Run the probes again here, or run `dvm-advisor probe --json FILE` again there."),
    "assessment": N_("Correct it in a text editor, or open the answers file it was made from."),
}


class FileKindError(InputError):
    """A file that cannot be opened: unreadable, of no known kind, or faulty as `kind`."""

    def __init__(
        self,
        message: str,
        kind: FileKind | None,
        *,
        unknown: bool = False,
        plain: str | None = None,
    ) -> None:
        super().__init__(message, plain)
        self.kind = kind
        self.unknown = unknown  # the file is none of the three kinds


@dataclass(frozen=True)
class OpenedFile:
    """A file read as the kind its content says; exactly one of the three parts is set."""

    kind: FileKind
    answers: Answers | None = None
    probe: ProbeReport | None = None
    assessment: Assessment | None = None


def _is_advice(document: object) -> bool:
    """Whether a document is advice the command line wrote: a report's or a recommendation's
    JSON, which the app does not read back."""
    return isinstance(document, dict) and "verdict" in document


def _kind_of(document: object, questions: Questionnaire) -> FileKind | None:
    if not isinstance(document, dict) or _is_advice(document):
        return None
    if "answers" in document:
        return "assessment"
    if "host" in document and "taken_at" in document:
        return "probe"
    if any(question.id in document for question in questions.questions):
        return "answers"
    return None


def kind_of_file(path: Path, questions: Questionnaire | None = None) -> FileKind | None:
    """Which of the three kinds `path` holds, read whole as that kind; None for any other
    file (a report's JSON, a file with faults), or one that cannot be read."""
    if questions is None:
        from advisor.questions import load_questions

        questions = load_questions()
    try:
        return open_any(path, questions).kind
    except InputError:
        return None


def open_any(path: Path, questions: Questionnaire) -> OpenedFile:
    """Read `path` as whichever of the three kinds it is.

    Raises FileKindError with one line: that the file cannot be read or is none of the three
    kinds (`kind` None), or, for a file of one kind, what in it is wrong.
    """
    try:
        data = read_limited(path)
    except InputError as error:
        raise FileKindError(str(error), None) from None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        document = None
    kind = _kind_of(document, questions)
    if _is_advice(document):
        raise FileKindError(
            _(
                "{name} holds advice written by `dvm-advisor report --json` or `recommend "
                "--json`, which the app does not read back: open the answers file or the "
                "assessment it was made from."
            ).format(name=path.name),
            None,
            unknown=True,
        )
    if kind is None:
        raise FileKindError(
            _("{name} is not a file dvm-advisor writes: expected {kinds}.").format(
                name=path.name, kinds=_(THREE_KINDS)
            ),
            None,
            unknown=True,
        )
    try:
        return _read_as(kind, path, questions)
    except InputError as error:
        raise FileKindError(str(error), kind, plain=error.plain) from None


def plain_message(error: FileKindError, path: Path) -> str:
    """What the app says about a file it cannot open: what the file is, what is wrong with it
    in plain words, and what to do."""
    if error.unknown or error.kind is None:
        return str(error)
    problem = error.plain or str(error)
    return _("{name} is {kind}, but it cannot be opened: {problem}. {fix}").format(
        name=path.name,
        kind=_(KIND_PHRASES[error.kind]),
        problem=problem,
        fix=_(FIX_HINTS[error.kind]),
    )


def _read_as(kind: FileKind, path: Path, questions: Questionnaire) -> OpenedFile:
    if kind == "answers":
        from advisor.answers import load_answers

        return OpenedFile(kind, answers=load_answers(path, questions))
    if kind == "probe":
        from advisor.probe_results import load_probe_report

        return OpenedFile(kind, probe=load_probe_report(path))
    from advisor.assessment import load_assessment

    return OpenedFile(kind, assessment=load_assessment(path, questions))
