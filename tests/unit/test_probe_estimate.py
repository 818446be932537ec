"""The run estimate: progress and time left by the clock against the cost of each step, and
the table of step costs kept in step with the steps the probes announce."""

from __future__ import annotations

import pytest

from advisor.probe_estimate import (
    DONE_STEP,
    RunEstimate,
    estimated_seconds,
    pace_of,
    step_costs,
    step_name,
)
from advisor.probes.container_plan import ContainerSettings, plan_container_probe
from advisor.probes.runner import CLEAN_UP_STEP
from advisor.probes.step_costs import (
    FIRST_BOOT,
    QUICK_RUNS,
    START_UP,
    STEP_COSTS,
    planned_steps,
    step_kind,
)
from advisor.probes.vm import CONNECT_STEP, PREPARE_STEP, SWEEP_STEP, boot_step
from advisor.probes.vm_plan import VmSettings


def test_a_step_is_known_by_its_kind_whatever_its_number_and_detail() -> None:
    assert step_kind("boot 1 of 2 (TCG)") == FIRST_BOOT
    assert step_kind("boot 2 of 2 (TCG)") == step_kind("boot 5 of 9") != FIRST_BOOT
    assert step_kind("start run 3 of 5") == step_kind("start run 1 of 1")
    assert step_kind("connect to libvirt (qemu:///system)") == CONNECT_STEP


@pytest.mark.parametrize(("mode", "runs"), [("quick", QUICK_RUNS), ("thorough", None)])
def test_the_table_names_the_steps_the_probes_take(mode: str, runs: int | None) -> None:
    container_runs = runs or ContainerSettings().runs
    vm_runs = runs or VmSettings().runs
    container = plan_container_probe(ContainerSettings(runs=container_runs)).steps
    vm = (
        PREPARE_STEP,
        CONNECT_STEP,
        SWEEP_STEP,
        *(boot_step(number, vm_runs) for number in range(1, vm_runs + 1)),
    )
    expected = [
        ("host", START_UP),
        ("host", "read host facts"),
        *(("container", step_kind(step)) for step in (*container, CLEAN_UP_STEP)),
        *(("vm", step_kind(step)) for step in (*vm, CLEAN_UP_STEP)),
    ]
    assert list(planned_steps(STEP_COSTS[mode])) == expected  # type: ignore[index]


def test_the_estimate_of_a_run_is_its_steps_measured_here_where_they_were() -> None:
    table = estimated_seconds("quick", {})
    assert table == pytest.approx(sum(cost.seconds * cost.times for cost in STEP_COSTS["quick"]))
    first_boot = step_costs("quick", {})[("vm", FIRST_BOOT)]
    assert estimated_seconds("quick", {"vm/first boot": first_boot + 10}) == pytest.approx(
        table + 10
    )
    assert estimated_seconds("quick", {"vm/no such step": 99}) == pytest.approx(table)


def test_a_run_of_one_kind_paces_the_estimate_of_the_other_before_that_one_ran() -> None:
    assert pace_of("quick", {}) is None
    # A quick check whose every step took twice the table's cost: this workstation is slow.
    twice = {step_name(key): 2 * cost for key, cost in step_costs("quick", {}).items()}
    pace = pace_of("quick", twice)
    assert pace == pytest.approx(2.0)
    thorough = estimated_seconds("thorough", {})
    assert estimated_seconds("thorough", {}, pace) == pytest.approx(2 * thorough)
    # A step measured in the run of its own kind stands as measured, whatever the pace.
    first_boot = {"vm/first boot": 1.0}
    assert step_costs("thorough", first_boot, pace)[("vm", FIRST_BOOT)] == 1.0
    # The estimate during the run starts from the same paced costs.
    estimate = RunEstimate("thorough", {}, now=0.0, pace=pace)
    assert estimate.seconds_left(0.0) == pytest.approx(2 * thorough, rel=0.05)


def run_through(estimate: RunEstimate, steps: list[tuple[str, str]], start: float) -> float:
    """Announce `steps` one second apart from `start`; the time of the last."""
    now = start
    for probe, step in steps:
        now += 1.0
        estimate.heard(probe, step, now)  # type: ignore[arg-type]
    return now


def test_progress_and_time_left_move_with_the_clock_within_a_step() -> None:
    costs = step_costs("quick", {})
    boot = costs[("vm", FIRST_BOOT)]
    estimate = RunEstimate("quick", {}, now=100.0)
    assert estimate.seconds_left(100.0) == pytest.approx(estimated_seconds("quick", {}))
    now = run_through(
        estimate,
        [
            ("host", "read host facts"),
            ("host", DONE_STEP),
            ("container", "sweep leftovers of earlier runs"),
            ("container", DONE_STEP),
            ("vm", "boot 1 of 1 (TCG)"),
        ],
        100.0,
    )
    assert estimate.fraction("host", now) == 1.0
    assert estimate.fraction("container", now) == 1.0
    clean_up = costs[("vm", "clean up")]
    at_boot = estimate.fraction("vm", now)
    assert estimate.seconds_left(now) == pytest.approx(boot + clean_up)
    halfway = now + boot / 2
    assert estimate.seconds_left(halfway) == pytest.approx(boot / 2 + clean_up)
    assert at_boot < estimate.fraction("vm", halfway) < estimate.fraction("vm", now + boot) < 1
    assert not estimate.overrunning(halfway)

    late = now + boot + 5
    assert estimate.overrunning(late)
    assert estimate.seconds_left(late) == pytest.approx(clean_up)  # not below what comes after
    assert estimate.fraction("vm", late) == estimate.fraction("vm", now + boot)


def test_lines_that_name_no_step_change_nothing_and_skipped_steps_count_as_passed() -> None:
    estimate = RunEstimate("quick", {}, now=0.0)
    estimate.heard("vm", "prepare the guest kernel and initramfs", 1.0)
    left = estimate.seconds_left(1.0)
    estimate.heard("vm", "building initramfs", 1.0)
    assert estimate.seconds_left(1.0) == left
    assert estimate.fraction("container", 1.0) == 1.0  # a later probe began: it has ended
    estimate.heard("vm", CLEAN_UP_STEP, 2.0)
    assert estimate.seconds_left(2.0) < left


def test_the_steps_a_run_took_are_what_the_next_run_is_estimated_from() -> None:
    estimate = RunEstimate("thorough", {}, now=0.0)
    run_through(
        estimate,
        [
            ("container", "start run 1 of 5"),
            ("container", "start run 2 of 5"),
            ("vm", "boot 1 of 2"),
        ],
        0.0,
    )
    estimate.heard("container", "start run 3 of 5", 3.5)  # a repeat after the plan's order
    taken = estimate.step_seconds(now=10.0)
    assert taken["host/start-up"] == 1.0
    assert taken["container/start run"] == pytest.approx((1.0 + 1.0 + 6.5) / 3, abs=0.01)
    assert taken["vm/first boot"] == 0.5
