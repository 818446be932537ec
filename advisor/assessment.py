"""An assessment: a project's answers and, when taken, the probe results, kept in one JSON file.

The desktop app saves and opens these files. The answers inside are exactly the answers file
format, and the probe results exactly what `dvm-advisor probe --json` writes, so either part
can be taken out and given to the command line.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import Field

from advisor.answers import Answers
from advisor.errors import InputError, load_json_model
from advisor.modelbase import FrozenModel
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

    Raises InputError with one line when the path cannot be written.
    """
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise InputError(f"{target}: is a directory, expected a file name for the assessment")
    if not folder.is_dir():
        raise InputError(f"{target}: the folder {folder} does not exist")
    text = assessment.model_dump_json(indent=2) + "\n"
    try:
        # A temporary file beside the target, then a rename: a crash or a full disk midway
        # never leaves a half-written assessment in place of a good one.
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as error:
        raise InputError(f"{target}: cannot be written ({_cause(error)})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise InputError(f"{target}: cannot be written ({_cause(error)})") from None


def _cause(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
