"""The full default probe, `dvm-advisor probe`, timed from the outside and broken into phases.

Each run is a fresh process, so interpreter start and imports count as a user pays them. The
command prints one progress line per step on standard error as the step begins; each line is
timed as it is read, so a step lasts until the next line (the last one until the process
exits). The report the run writes adds its own wall times.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import app_quick_check
from common import BenchmarkFailed, Row, Section, spread, verdict
from machine import running_guests, steal_seconds

from advisor.probes.models import Stats
from advisor.probes.report import ProbeReport, load_probe_report
from advisor.probes.workload import WORKLOAD_MEBIBYTES

TARGET_SECONDS = 12.0
# The desktop app's quick check: one run of each probe (ui/probe_page.py, QUICK_RUNS),
# timed in the app (bench/app_quick_check.py) and, beside it, from the command line.
QUICK_TARGET_SECONDS = 8.0
QUICK_ARGUMENTS = ("--runs", "1")
RUN_TIMEOUT_SECONDS = 300.0
CORES = os.cpu_count() or 1
STARTUP = "start-up: interpreter and imports, until the first step"
FINISH = "after the last step: report written, process exit"
_PROGRESS = re.compile(r"^dvm-advisor probe: \[(?P<probe>\w+)\] (?P<step>.*)$")
# Steps that repeat with a number are added up under one name.
_REPEATED = (
    (re.compile(r"^start run \d+ of \d+$"), "start runs (all)"),
    # The first measured boot runs the CPU workload; the others only boot.
    (
        re.compile(r"^boot 1 of \d+ \((?P<accelerator>\w+)\)$"),
        "boot 1 ({accelerator}): to the marker, the CPU workload",
    ),
    (
        re.compile(r"^boot \d+ of \d+ \((?P<accelerator>\w+)\)$"),
        "boots 2 and on ({accelerator}): to the marker",
    ),
    (re.compile(r"^try (?P<accelerator>\w+): .*$"), "{accelerator} trial boot"),
)


def phase_name(probe: str, step: str) -> str:
    """The phase a progress line starts: its probe and step, repeated steps under one name."""
    for pattern, name in _REPEATED:
        matched = pattern.match(step)
        if matched:
            step = name.format(**matched.groupdict())
            break
    if step.startswith("downloading ") or step.startswith("unpacking "):
        step = "kernel download"
    return f"{probe}: {step}"


class ProbeRun:
    """One `dvm-advisor probe --json FILE` process: its wall time, phases and report."""

    def __init__(
        self, wall_seconds: float, phases: dict[str, float], report: ProbeReport, guests: int
    ) -> None:
        self.wall_seconds = wall_seconds
        self.phases = phases
        self.report = report
        self.other_guests = guests  # QEMU guests of others running when it started


def run_once(folder: Path, arguments: tuple[str, ...] = ()) -> ProbeRun:
    """Run the probe once (by default as `dvm-advisor probe` does) in a fresh process and
    time its phases."""
    report_path = folder / "probe.json"
    command = [
        str(Path(sys.executable).with_name("dvm-advisor")),
        "probe",
        *arguments,
        "--json",
    ]
    marks: list[tuple[float, str]] = []
    guests = running_guests()
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, str(report_path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # A hung probe is ended (politely: it then cleans up), which ends the reading below.
    watchdog = threading.Timer(RUN_TIMEOUT_SECONDS, process.terminate)
    watchdog.start()
    other: list[str] = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            read_at = time.perf_counter() - started
            matched = _PROGRESS.match(line.strip())
            if matched:
                marks.append((read_at, phase_name(matched["probe"], matched["step"])))
            elif line.strip():
                other.append(line.strip())
        code = process.wait(RUN_TIMEOUT_SECONDS)
        ended = time.perf_counter() - started
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    if code != 0 or not marks:
        last = other[-1] if other else "no message"
        raise BenchmarkFailed(f"dvm-advisor probe exited with {code}: {last}")
    phases: dict[str, float] = {STARTUP: marks[0][0]}
    for (at, name), (next_at, _) in zip(marks, [*marks[1:], (ended, FINISH)], strict=True):
        phases[name] = phases.get(name, 0.0) + next_at - at
    return ProbeRun(ended, phases, load_probe_report(report_path), guests)


def run(runs: int) -> tuple[Section, ProbeReport | None]:
    """The full default probe `runs` times, the quick check from the command line and from
    the app as often, in turn; the rows, the breakdowns, and the last full report."""
    full: list[ProbeRun] = []
    quick: list[ProbeRun] = []
    in_app: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="dvm-advisor-bench-") as folder,
        tempfile.TemporaryDirectory(prefix="dvm-advisor-bench-app-") as settings,
    ):
        stolen_from, began = steal_seconds(), time.perf_counter()
        for _ in range(runs):
            full.append(run_once(Path(folder)))
            quick.append(run_once(Path(folder), QUICK_ARGUMENTS))
            try:
                seconds, _wall, _statuses = app_quick_check.one_run(
                    app_quick_check.app_environment(settings)
                )
            except RuntimeError as failure:
                raise BenchmarkFailed(str(failure)) from failure
            in_app.append(seconds)
        stolen = (steal_seconds() - stolen_from) / ((time.perf_counter() - began) * CORES)
    walls = Stats.of([result.wall_seconds for result in full])
    quick_walls = Stats.of([result.wall_seconds for result in quick])
    app_walls = Stats.of(in_app)
    rows = (
        _target_row(
            "Full default probe, `dvm-advisor probe` (fresh process)", walls, TARGET_SECONDS
        ),
        _target_row(
            "The app's quick check: one run of each probe, from the Run button to the result "
            "(the app, offscreen)",
            app_walls,
            QUICK_TARGET_SECONDS,
        ),
        Row(
            what=(
                "The same quick check from the command line, `dvm-advisor probe --runs 1` "
                "(fresh process: the interpreter's start and every import included)"
            ),
            measured=spread(quick_walls, digits=1),
            target="—",
            verdict="info",
        ),
    )
    steal = (
        f"While these runs went on, this machine's hypervisor gave {stolen:.0%} of its "
        f"{CORES} cores' time to its other guests (the steal time of /proc/stat): time the "
        "probes wanted and did not get. It varies from one minute to the next, and every "
        "figure here with it."
    )
    notes = (steal, breakdown(full), breakdown(quick, "The quick check from the command line"))
    return Section(rows=rows, notes=notes), full[-1].report


def _target_row(what: str, walls: Stats, target_seconds: float) -> Row:
    return Row(
        what=what,
        measured=spread(walls, digits=1),
        target=f"≤ {target_seconds:g} s",
        verdict=verdict(walls.median <= target_seconds),
    )


def breakdown(results: list[ProbeRun], title: str = "Full default probe") -> str:
    """What the probe's time goes to: each phase's median, largest first, with the report's
    own figures for the parts that dominate."""
    names = list(dict.fromkeys(name for result in results for name in result.phases))
    medians = {
        name: statistics.median(result.phases.get(name, 0.0) for result in results)
        for name in names
    }
    total = statistics.median(result.wall_seconds for result in results)
    lines = [
        f"**{title}: where the time goes** (median of {len(results)} runs, "
        f"{total:.1f} s in all; each phase from its progress line to the next):",
        "",
        "| Phase | Seconds | Share |",
        "|---|---:|---:|",
    ]
    for name, seconds in sorted(medians.items(), key=lambda item: -item[1]):
        if seconds >= 0.05:
            lines.append(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")
    lines += ["", *report_figures(results[-1].report)]
    crowded = max(result.other_guests for result in results)
    if crowded:
        lines += [
            "",
            f"Up to {crowded} QEMU guest(s) of other processes were running when a run began: "
            "the probe's TCG guests shared the two cores (and libvirt's CPU cgroup) with them.",
        ]
    return "\n".join(lines)


def report_figures(report: ProbeReport) -> list[str]:
    """The last run's report on the parts that take longest."""
    found: list[str] = [f"The last run's report says: whole run {report.wall_seconds:.1f} s"]
    if report.container is not None:
        container = report.container
        found.append(f"container probe {container.wall_seconds:.1f} s ({container.status})")
        if container.start_seconds is not None:
            found.append(
                f"{container.start_seconds.runs} container starts "
                f"{spread(container.start_seconds)} each"
            )
    if report.vm is not None:
        vm = report.vm
        found.append(f"VM probe {vm.wall_seconds:.1f} s ({vm.status}, {vm.accelerator or 'none'})")
        for attempt in vm.attempts:
            if attempt.outcome != "skipped":
                found.append(
                    f"{attempt.accelerator.upper()} {attempt.seconds:.1f} s ({attempt.outcome})"
                )
        if vm.boot_seconds is not None:
            found.append(f"{vm.boot_seconds.runs} boots to the marker {spread(vm.boot_seconds)}")
        if vm.guest_workload_seconds is not None:
            amount = vm.guest_workload_mebibytes or WORKLOAD_MEBIBYTES
            found.append(
                f"the guest's CPU workload ({amount} MiB) {spread(vm.guest_workload_seconds)}"
            )
    return ["; ".join(found) + "."]
