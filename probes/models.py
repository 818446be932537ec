"""Result types shared by every probe."""

from __future__ import annotations

import statistics
from collections.abc import Collection, Sequence
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from advisor.base.i18n import N_, _
from advisor.base.models import FrozenModel
from advisor.probes.quantities import MAX_BYTES, MAX_SECONDS, Count

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
CANCELLED_REASON = N_("cancelled before it finished; everything it had started was removed")
CANCELLED_FIX = N_("run the probe again to measure this workstation")


class Stats(FrozenModel):
    """A measurement repeated over several runs: finite, not negative, in order."""

    median: float = Field(ge=0, le=MAX_BYTES, allow_inf_nan=False)
    min: float = Field(ge=0, le=MAX_BYTES, allow_inf_nan=False)
    max: float = Field(ge=0, le=MAX_BYTES, allow_inf_nan=False)
    runs: Count

    @model_validator(mode="after")
    def _in_order(self) -> Stats:
        if not self.min <= self.median <= self.max:
            raise ValueError(_("expected min <= median <= max"))
        return self

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        """Summarise one or more measured values."""
        if not values:
            raise ValueError("Stats.of needs at least one value")
        return cls(
            median=statistics.median(values), min=min(values), max=max(values), runs=len(values)
        )


def _durations(stats: Stats) -> Stats:
    if stats.min <= 0 or stats.max > MAX_SECONDS:
        raise ValueError(
            _("expected durations above 0 s and up to {seconds:.0f} s").format(seconds=MAX_SECONDS)
        )
    return stats


# Stats of a duration: every figure above zero, as log scales and ratios need.
DurationStats = Annotated[Stats, AfterValidator(_durations)]


def cpu_cost(
    inside: Stats | None, native: Stats | None, inside_field: str, inside_share: float = 1.0
) -> dict[str, Any]:
    """The CPU workload timed inside (a container, a guest) and natively, and their ratio:
    result fields of both probes, `inside_field` naming the inside one.

    `inside_share`: the part of the native workload's work that ran inside (a third in a
    guest under TCG); the ratio compares time per unit of work."""
    ratio = None
    if inside is not None and native is not None and native.median > 0:
        ratio = inside.median / inside_share / native.median
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
