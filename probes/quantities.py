"""The constrained types probe results are made of.

A probe report may come from a file written on another workstation, or written by hand: every
figure in it is finite and physically possible (durations above zero, sizes and counts not
negative, ratios above zero), and every text and list is bounded, so that nothing read from a
report can hold what the advice, the charts (log scales) or the PDF cannot show. The bounds are
far beyond anything a real probe measures or says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field

from advisor.base.i18n import _

MAX_SECONDS = 1_000_000.0  # about 11.5 days: far beyond any probe's time limit
MAX_BYTES = 2**63 - 1
MAX_RATIO = 1_000_000.0
MAX_COUNT = 1_000_000
LABEL_CHARS = 256  # a version, a name, a tag, a mode
TEXT_CHARS = 1_000  # a reason, a fix, a note, where a fact was read
MAX_ITEMS = 16

# A measured duration: log scales and ratios divide by it.
Seconds = Annotated[float, Field(gt=0, le=MAX_SECONDS, allow_inf_nan=False)]
# Time spent, which may round to nothing (a step skipped).
ElapsedSeconds = Annotated[float, Field(ge=0, le=MAX_SECONDS, allow_inf_nan=False)]
# A size or an amount of memory.
Bytes = Annotated[int, Field(ge=0, le=MAX_BYTES)]
# A measured size that may be fractional (a median over readings).
ByteFigure = Annotated[float, Field(ge=0, le=MAX_BYTES, allow_inf_nan=False)]
# One workload's time against another's.
Ratio = Annotated[float, Field(gt=0, le=MAX_RATIO, allow_inf_nan=False)]
# How many of something there are: runs, processors.
Count = Annotated[int, Field(ge=1, le=MAX_COUNT)]
# A limit as the engine reports it, 0 meaning none.
Limit = Annotated[int, Field(ge=0, le=MAX_BYTES)]
Label = Annotated[str, Field(max_length=LABEL_CHARS)]
Text = Annotated[str, Field(max_length=TEXT_CHARS)]
Labels = Annotated[tuple[Label, ...], Field(max_length=MAX_ITEMS)]
Texts = Annotated[tuple[Text, ...], Field(max_length=MAX_ITEMS)]


def clipped(text: str, limit: int = TEXT_CHARS) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut: for words a probe makes
    itself from what an engine or the system said, which must fit the report's bounds."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounded_path(path: Path) -> Path:
    if len(str(path)) > TEXT_CHARS:
        raise ValueError(
            _("expected a path of at most {count} characters").format(count=TEXT_CHARS)
        )
    return path


FilePath = Annotated[Path, AfterValidator(_bounded_path)]
