"""An assessment: a project's answers and, when taken, the probe results, kept in one JSON file,
with its history: a milestone for every save (advisor/milestones.py).

The desktop app saves and opens these files. The answers inside are exactly the answers file
format, and the probe results exactly what `dvm-advisor probe --json` writes, so either part
can be taken out and given to the command line. Files of format version 1 kept no history:
they open as a history of one, the advice as the engine gives it now.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SerializeAsAny, create_model

from advisor.answers import Answers
from advisor.base.errors import load_json_model
from advisor.base.models import FrozenModel
from advisor.milestones import Milestone, milestone_model, milestone_of, with_milestone
from advisor.outputs import Output, write_output
from advisor.probe_results import ProbeReport
from advisor.questions import Questionnaire, load_questions

ASSESSMENT_VERSION = 2


class Assessment(FrozenModel):
    """One project's answers and, where the probes ran (or were imported), their report.

    `answers` takes the answers format of one question table: `assessment_model` makes the
    model that reads and writes it.
    """

    schema_version: Literal[1, 2] = Field(
        description="Version of this file format: 2 keeps a history, 1 did not."
    )
    # Written as the answers' own format, whichever table made them.
    answers: SerializeAsAny[Answers]
    probe: ProbeReport | None = None
    # Oldest first; the last is the save that wrote the file. Empty in a version-1 file.
    history: tuple[SerializeAsAny[Milestone], ...] = ()

    def milestones(self) -> tuple[Milestone, ...]:
        """The history, oldest first: a file that kept none is a history of one, its save
        time unknown and its advice the engine's now."""
        if self.history:
            return self.history
        return (milestone_of(self.answers, self.probe, saved_at=None),)


@functools.cache
def assessment_model(questions: Questionnaire) -> type[Assessment]:
    """The assessment format whose answers are those of `questions`."""
    milestones: Any = tuple[milestone_model(questions), ...]  # type: ignore[misc]
    model: type[Assessment] = create_model(
        "Assessment",
        __base__=Assessment,
        __module__=__name__,
        answers=(questions.answers_model, Field(description="The answers file, as it is.")),
        history=(milestones, ()),
    )
    return model


def make_assessment(
    answers: Answers,
    probe: ProbeReport | None,
    *,
    history: tuple[Milestone, ...] = (),
    saved_at: datetime | None = None,
) -> Assessment:
    """An assessment of answers (and probe results) as saved now: `history` with a milestone
    for this save added. In the format of the answers' own table."""
    questions = type(answers).questionnaire
    model = assessment_model(questions)
    moment = saved_at or datetime.now(UTC)
    return model(
        schema_version=ASSESSMENT_VERSION,
        answers=answers,
        probe=probe,
        history=with_milestone(history, milestone_of(answers, probe, saved_at=moment)),
    )


def load_assessment(path: str | Path, questions: Questionnaire | None = None) -> Assessment:
    """Read an assessment file; raises InputError with one line naming what was wrong."""
    return load_json_model(assessment_model(questions or load_questions()), path)


def save_assessment(
    assessment: Assessment, path: str | Path, *, follow_symlinks: bool = False
) -> None:
    """Write `assessment` to `path` atomically: the file is whole, or left as it was.

    Raises InputError with one line when the path cannot or must not be written.
    """
    text = assessment.model_dump_json(indent=2) + "\n"
    write_output(
        text.encode(), Output(Path(path), "the assessment"), follow_symlinks=follow_symlinks
    )
