"""Result types shared by every probe."""

from __future__ import annotations

import statistics
from collections.abc import Collection, Sequence
from enum import StrEnum
from typing import Any

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


def cpu_cost(inside: Stats | None, native: Stats | None, inside_field: str) -> dict[str, Any]:
    """The CPU workload timed inside (a container, a guest) and natively, and their ratio:
    result fields of both probes, `inside_field` naming the inside one."""
    ratio = None
    if inside is not None and native is not None and native.median > 0:
        ratio = inside.median / native.median
    return {inside_field: inside, "native_workload_seconds": native, "cpu_ratio": ratio}


def stats_of(values: Sequence[float | None]) -> Stats | None:
    """The summary of the values measured, or None when none was."""
    present = [value for value in values if value is not None]
    return Stats.of(present) if present else None


def without_copies(data: Any, names: Collection[str]) -> Any:
    """A stored model's fields without `names`: values earlier versions kept as copies of
    what is now derived, so that their files still load."""
    if isinstance(data, dict):
        return {key: value for key, value in data.items() if key not in names}
    return data
