"""An assessment: a project's answers and, when taken, the probe results, kept in one JSON file.

The desktop app saves and opens these files. The answers inside are exactly the answers file
format, and the probe results exactly what `dvm-advisor probe --json` writes, so either part
can be taken out and given to the command line.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import Field, SerializeAsAny, create_model

from advisor.answers import Answers
from advisor.base.errors import load_json_model
from advisor.base.models import FrozenModel
from advisor.outputs import Output, write_output
from advisor.probe_results import ProbeReport
from advisor.questions import Questionnaire, load_questions

ASSESSMENT_VERSION = 1


class Assessment(FrozenModel):
    """One project's answers and, where the probes ran (or were imported), their report.

    `answers` takes the answers format of one question table: `assessment_model` makes the
    model that reads and writes it.
    """

    schema_version: Literal[1] = Field(
        description="Version of this file format; 1 is the only version so far."
    )
    # Written as the answers' own format, whichever table made them.
    answers: SerializeAsAny[Answers]
    probe: ProbeReport | None = None


@functools.cache
def assessment_model(questions: Questionnaire) -> type[Assessment]:
    """The assessment format whose answers are those of `questions`."""
    model: type[Assessment] = create_model(
        "Assessment",
        __base__=Assessment,
        __module__=__name__,
        answers=(questions.answers_model, Field(description="The answers file, as it is.")),
    )
    return model


def make_assessment(answers: Answers, probe: ProbeReport | None) -> Assessment:
    """An assessment of answers (and probe results), in the format of the answers' own table."""
    model = assessment_model(type(answers).questionnaire)
    return model(schema_version=ASSESSMENT_VERSION, answers=answers, probe=probe)


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
