"""How far a probe run has got by time, and how long it has left, from the cost of each step.

The probes announce each step as they begin it; between two announcements only the clock
moves. An estimate holds the steps a run of its kind takes (advisor/probes/step_costs.py),
what each costs (measured by the last run of that kind here, else the table), and the step
under way since when: so the progress moves with time within a step, and the time left counts
down with it. A step that takes longer than its cost holds the estimate at its end ("overrun")
rather than counting down below what the later steps still need.
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import fmean

from advisor.probes.control import ProbeName
from advisor.probes.step_costs import (
    OCCASIONAL_STEP_COSTS,
    START_UP,
    STEP_COSTS,
    RunMode,
    planned_steps,
    step_kind,
)

StepKey = tuple[ProbeName, str]
DONE_STEP = "done"  # what a probe announces when it has ended


def step_name(key: StepKey) -> str:
    """How a measured step is kept in the settings: 'vm/first boot'."""
    return f"{key[0]}/{key[1]}"


def step_costs(
    mode: RunMode, measured: Mapping[str, float], pace: float = 1.0
) -> dict[StepKey, float]:
    """The cost of each kind of step of a `mode` run: measured here where it was, else the
    table's times `pace` (how much slower than the table this workstation ran, see pace_of)."""
    costs: dict[StepKey, float] = {
        (cost.probe, cost.kind): cost.seconds * pace for cost in STEP_COSTS[mode]
    }
    for key, seconds in OCCASIONAL_STEP_COSTS.items():
        costs.setdefault(key, seconds * pace)
    for key in costs:
        kept = measured.get(step_name(key))
        if kept is not None and kept >= 0:
            costs[key] = kept
    return costs


def pace_of(mode: RunMode, measured: Mapping[str, float]) -> float | None:
    """How many times the table's costs the steps measured here took, over the steps of a
    `mode` run that were measured: a run of one kind tells how fast this workstation is for
    the other kind too, before that one has run here. None when nothing was measured."""
    table = step_costs(mode, {})
    taken = [(measured[step_name(key)], table[key]) for key in table if step_name(key) in measured]
    table_seconds = sum(cost for _, cost in taken)
    if table_seconds <= 0:
        return None
    return sum(seconds for seconds, _ in taken) / table_seconds


def estimated_seconds(mode: RunMode, measured: Mapping[str, float], pace: float = 1.0) -> float:
    """How long a whole `mode` run should take, before it starts."""
    costs = step_costs(mode, measured, pace)
    return sum(costs[key] for key in planned_steps(STEP_COSTS[mode]))


class RunEstimate:
    """The time estimate of one run, fed the probes' step announcements and a clock's times."""

    def __init__(
        self, mode: RunMode, measured: Mapping[str, float], now: float, pace: float = 1.0
    ) -> None:
        """`measured`: step times kept from an earlier run of `mode` here (by step_name);
        `pace`: the table's costs scaled for the steps not measured (see pace_of)."""
        self._costs = step_costs(mode, measured, pace)
        self._plan = planned_steps(STEP_COSTS[mode])
        self._current: StepKey | None = ("host", START_UP)
        self._current_planned = self._plan[:1] == (self._current,)
        self._position = 1 if self._current_planned else 0  # plan entries begun or passed
        self._began = now
        self._finished: set[ProbeName] = set()
        self._taken: dict[StepKey, list[float]] = {}

    def heard(self, probe: ProbeName, step: str, now: float) -> None:
        """A probe announced `step` at time `now`; a line that names no step (a probe saying
        what the current step is doing) changes nothing."""
        if step == DONE_STEP:
            if probe in self._finished:
                return
            if self._current is not None and self._current[0] == probe:
                self._end(now)
            self._finished.add(probe)
            while self._position < len(self._plan) and self._plan[self._position][0] == probe:
                self._position += 1
            return
        key: StepKey = (probe, step_kind(step))
        if key not in self._costs:
            return
        self._end(now)
        later = self._plan[self._position :]
        self._current, self._began = key, now
        self._current_planned = key in later
        if self._current_planned:
            self._position += later.index(key) + 1

    def seconds_left(self, now: float) -> float:
        """What the run should still take: the rest of the step under way (none once it has
        overrun) and every step still to come."""
        rest = 0.0
        if self._current is not None:
            rest = max(0.0, self._costs[self._current] - (now - self._began))
        return rest + sum(self._costs[key] for key in self._plan[self._position :])

    def overrunning(self, now: float) -> bool:
        """Whether the step under way has taken longer than its cost."""
        return self._current is not None and now - self._began > self._costs[self._current]

    def fraction(self, probe: ProbeName, now: float) -> float:
        """How much of `probe`'s work is done, 0 to 1, by the cost of its steps."""
        if probe in self._finished:
            return 1.0
        indexes = [index for index, key in enumerate(self._plan) if key[0] == probe]
        total = sum(self._costs[self._plan[index]] for index in indexes)
        if total <= 0:
            return 0.0
        done = sum(self._costs[self._plan[index]] for index in indexes if index < self._position)
        current = self._current
        if current is not None and self._current_planned and current[0] == probe:
            done -= max(0.0, self._costs[current] - (now - self._began))
        return max(0.0, min(1.0, done / total))

    def step_seconds(self, now: float) -> dict[str, float]:
        """How long each kind of step took in this run (the mean of its repeats), by
        step_name: what the next run of this kind is estimated from."""
        self._end(now)
        return {step_name(key): round(fmean(times), 2) for key, times in self._taken.items()}

    def _end(self, now: float) -> None:
        if self._current is not None:
            self._taken.setdefault(self._current, []).append(max(0.0, now - self._began))
        self._current = None
        self._current_planned = False
