"""An assessment: a project's answers and, when taken, the probe results, kept in one JSON file.

The desktop app saves and opens these files. The answers inside are exactly the answers file
format, and the probe results exactly what `dvm-advisor probe --json` writes, so either part
can be taken out and given to the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from advisor.answers import Answers
from advisor.errors import load_json_model
from advisor.modelbase import FrozenModel
from advisor.outputs import Output, write_output
from advisor.probes.suite import ProbeReport


class Assessment(FrozenModel):
    """One project's answers and, where the probes ran (or were imported), their report."""

    schema_version: Literal[1] = Field(
        description="Version of this file format; 1 is the only version so far."
    )
    answers: Answers
    probe: ProbeReport | None = None


def load_assessment(path: str | Path) -> Assessment:
    """Read an assessment file; raises InputError with one line naming what was wrong."""
    return load_json_model(Assessment, path)


def save_assessment(assessment: Assessment, path: str | Path) -> None:
    """Write `assessment` to `path` atomically: the file is whole, or left as it was.

    Raises InputError with one line when the path cannot or must not be written.
    """
    text = assessment.model_dump_json(indent=2) + "\n"
    write_output(text.encode(), Output(Path(path), "the assessment"))
