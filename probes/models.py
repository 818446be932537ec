"""Result types shared by every probe."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from enum import StrEnum

from pydantic import Field

from advisor.modelbase import FrozenModel

# Bounds on what a caller may ask of a probe run; kept here, in a module that loads neither
# the Docker SDK nor libvirt, so that the command line can check arguments cheaply.
MAX_RUNS = 20
MAX_TIMEOUT_SECONDS = 3600.0


class ProbeStatus(StrEnum):
    """How a probe ended."""

    OK = "ok"
    UNAVAILABLE = "unavailable"  # what it needs is not there (no engine, no kernel, ...)
    FAILED = "failed"  # it was there but the probe did not complete
    CANCELLED = "cancelled"


# What a cancelled probe reports: it stopped where it was and removed what it had started.
CANCELLED_REASON = "cancelled before it finished; everything it had started was removed"
CANCELLED_FIX = "run the probe again to measure this workstation"


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
