"""What each step of a probe run costs, in seconds: the one table the app's estimates start from.

The app estimates a run, and the time left while it runs, from these figures until a run on
the user's own workstation has measured its steps (then that run's own times stand in for
them). The figures are medians measured on a quiet two-core workstation whose VMs boot under
software emulation (TCG), by `make bench` (2026-12-02 06:49 UTC); keep them in step with its
"where the time goes" tables when a probe gets faster or slower. A test checks that every step
named here is one the probes announce, and that the repeated steps match the probes' run counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from advisor.probes.control import ProbeName

RunMode = Literal["quick", "thorough"]
# How many times the quick check runs each probe (ProbeSettings.runs); the thorough run uses
# each probe's default.
QUICK_RUNS = 1
# Before the probes announce their first step: the thread starting, and the probe code
# imported unless the page loaded it already.
START_UP = "start-up"
FIRST_BOOT = "first boot"  # boot 1 of N: also runs the guest's CPU workload
LATER_BOOT = "later boot"  # boot 2 of N and on: to the boot marker only
START_RUN = "start run"  # start run N of M of the sample container


@dataclass(frozen=True)
class StepCost:
    """One kind of step of a run, how long it takes, and how many times the run takes it."""

    probe: ProbeName
    kind: str
    seconds: float
    times: int = 1


# The thorough run's container starts: the container probe's default number of runs. Not read
# from ContainerSettings, whose models the window would then load at its start; a test checks
# that the two agree.
THOROUGH_STARTS = 5

# Each step once, in the order the probes take them: (probe, step, seconds in the quick
# check, seconds in the thorough run). The probe page loads the probe code when it is shown
# (ui/probe_worker.py), so a run started from it has only its thread to start.
_MEASURED: tuple[tuple[ProbeName, str, float, float], ...] = (
    ("host", START_UP, 0.1, 0.1),
    ("host", "read host facts", 0.13, 0.12),
    ("container", "sweep leftovers of earlier runs", 0.03, 0.03),
    ("container", "prepare the image", 0.14, 0.13),
    ("container", START_RUN, 0.25, 0.24),
    ("container", "measure memory of a running container", 0.26, 0.32),
    ("container", "time the CPU workload natively", 0.17, 0.83),
    ("container", "time the CPU workload in a container", 0.39, 1.13),
    ("container", "clean up", 0.02, 0.02),
    ("vm", "prepare the guest kernel and initramfs", 0.12, 0.12),
    ("vm", "connect to libvirt", 0.02, 0.02),
    ("vm", "sweep leftovers of earlier runs", 0.07, 0.07),
    ("vm", FIRST_BOOT, 4.7, 4.84),
    ("vm", "clean up", 0.21, 0.2),
)

STEP_COSTS: Mapping[RunMode, tuple[StepCost, ...]] = MappingProxyType(
    {
        "quick": tuple(StepCost(probe, kind, quick) for probe, kind, quick, _ in _MEASURED),
        "thorough": tuple(
            StepCost(probe, kind, thorough, THOROUGH_STARTS if kind == START_RUN else 1)
            for probe, kind, _, thorough in _MEASURED
        ),
    }
)

# Steps a run takes only on some hosts (a KVM trial where /dev/kvm may work; the VM timing
# the CPU workload itself when the container probe did not): their cost when they come.
OCCASIONAL_STEP_COSTS: Mapping[tuple[ProbeName, str], float] = MappingProxyType(
    {
        ("vm", "try KVM: does a guest reach user space?"): 4.0,
        ("vm", "time the CPU workload natively"): 0.4,
    }
)

_NUMBERED = re.compile(r"(start run|boot) (\d+) of \d+")


def step_kind(step: str) -> str:
    """The kind of step a progress line names: its detail dropped ('boot 1 of 2 (TCG)' is the
    first boot), repeated steps told apart only as first and later boots."""
    name = step.split(" (", 1)[0]
    numbered = _NUMBERED.fullmatch(name)
    if numbered is None:
        return name
    if numbered[1] == "boot":
        return FIRST_BOOT if numbered[2] == "1" else LATER_BOOT
    return START_RUN


def planned_steps(costs: tuple[StepCost, ...]) -> tuple[tuple[ProbeName, str], ...]:
    """Every step a run of `costs` takes, in order, repeated steps repeated."""
    return tuple((cost.probe, cost.kind) for cost in costs for _ in range(cost.times))
