"""Result types shared by every probe."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from enum import StrEnum

from pydantic import Field

from advisor.modelbase import FrozenModel


class ProbeStatus(StrEnum):
    """How a probe ended."""

    OK = "ok"
    UNAVAILABLE = "unavailable"  # what it needs is not there (no engine, no kernel, ...)
    FAILED = "failed"  # it was there but the probe did not complete
    CANCELLED = "cancelled"


class Stats(FrozenModel):
    """A measurement repeated over several runs."""

    median: float
    min: float
    max: float
    runs: int = Field(ge=1)

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        """Summarise one or more measured values."""
        if not values:
            raise ValueError("Stats.of needs at least one value")
        return cls(
            median=statistics.median(values), min=min(values), max=max(values), runs=len(values)
        )
