"""A user who cancels during the container runs or during the VM's boot, and a probe process
killed outright (SIGKILL) in either phase: a cancel stops the run within its bound and
removes what it started; what a killed process leaves is swept by the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from advisor.probes.control import CancelToken, ProgressEvent
from advisor.probes.models import CANCELLED_FIX, CANCELLED_REASON, ProbeStatus
from advisor.probes.places import default_cache_dir, guest_cache_dir
from advisor.probes.report import ProbeReport, ProbeSettings
from advisor.probes.suite import run_probes
from advisor.probes.vm_plan import VmSettings
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import (
    advise,
    assert_nothing_left,
    caveat_rules,
    owned_containers,
    owned_domains,
    owned_files,
    owned_qemu,
    sample_images,
)

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

# Bounds on time, as the README's fault table states them.
CANCEL_CONTAINER_SECONDS = 5.0  # from the cancel to the report, during the container runs
CANCEL_VM_SECONDS = 10.0  # from the cancel to the report, during a guest's boot
KILLED_GUEST_GONE_SECONDS = 30.0  # a killed probe's guest destroyed by libvirt (auto-destroy)
NEXT_START_SECONDS = 90.0  # the next start: its sweep and its own run

SETTINGS = ProbeSettings(runs=3, try_kvm=False, libvirt_uri=LIBVIRT_URI)


def cancel_on(
    step_starts: str,
    token: CancelToken,
    delay: float,
    fired: list[float],
    look_first: Any = None,
) -> Any:
    """A progress callback that, at the first step starting with `step_starts`, sets the
    token from a timer thread `delay` seconds later, as a Cancel button would; `look_first`
    is called just before."""

    def progress(event: ProgressEvent) -> None:
        if event.step.startswith(step_starts) and not fired:
            fired.append(0.0)

            def cancel() -> None:
                if look_first is not None:
                    look_first()
                fired[0] = time.monotonic()
                token.cancel()

            threading.Timer(delay, cancel).start()

    return progress


def assert_cancelled(result: Any) -> None:
    assert result is not None and result.status is ProbeStatus.CANCELLED, result
    assert (result.reason, result.fix) == (CANCELLED_REASON, CANCELLED_FIX)


@pytest.fixture
def untouched(docker_client: Any, libvirt_conn: Any) -> Iterator[None]:
    images_before = sample_images(docker_client)
    yield
    assert_nothing_left(docker_client, libvirt_conn, [os.getpid()], images_before)


@pytest.mark.usefixtures("untouched")
def test_cancel_during_the_container_runs_stops_the_whole_run() -> None:
    token = CancelToken()
    fired: list[float] = []

    report = run_probes(SETTINGS, cancel_on("start run 2", token, 0.05, fired), token)
    ended = time.monotonic()

    assert fired and fired[0] > 0, "the cancel never fired"
    assert_cancelled(report.container)
    assert report.container is not None and report.container.start_seconds is not None
    # The runs done before the cancel keep their figures; the rest never happen.
    assert 1 <= report.container.start_seconds.runs < SETTINGS.runs
    assert_cancelled(report.vm)  # one cancel stops the run: the VM probe does not start
    assert report.vm is not None and report.vm.boot_seconds is None
    assert ended - fired[0] <= CANCEL_CONTAINER_SECONDS
    assert "probe-cancelled" in caveat_rules(advise(report))


@pytest.mark.usefixtures("untouched")
def test_cancel_during_the_vm_boot_destroys_the_guest_and_keeps_the_container_figures() -> None:
    token = CancelToken()
    fired: list[float] = []
    guests_at_cancel: list[list[str]] = []

    def look_for_the_guest() -> None:
        guests_at_cancel.append(owned_qemu([os.getpid()], wait_seconds=0))

    # One second into the boot QEMU runs; a TCG guest needs several to reach its marker.
    progress = cancel_on("boot 1", token, 1.0, fired, look_for_the_guest)
    report = run_probes(SETTINGS.model_copy(update={"runs": 1}), progress, token)
    ended = time.monotonic()

    assert fired and fired[0] > 0, "the cancel never fired"
    assert guests_at_cancel and guests_at_cancel[0], "no guest was running at the cancel"
    assert report.container is not None and report.container.status is ProbeStatus.OK
    assert_cancelled(report.vm)
    assert report.vm is not None and report.vm.boot_seconds is None
    assert ended - fired[0] <= CANCEL_VM_SECONDS
    assert "probe-cancelled" in caveat_rules(advise(report))


def start_probe(*arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "advisor", "probe", "--libvirt-uri", LIBVIRT_URI, *arguments],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(stream: IO[str] | None, *words: str) -> str:
    """Read the probe's progress until a line holds one of `words`."""
    assert stream is not None
    for line in stream:
        if any(word in line for word in words):
            return line
    raise AssertionError(f"the probe ended before printing any of {words}")


def wait_until(condition: Any, seconds: float, what: str) -> None:
    ends = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < ends, f"{what} within {seconds:g} s"
        time.sleep(0.05)


def kill(probe: subprocess.Popen[str]) -> None:
    probe.send_signal(signal.SIGKILL)
    probe.wait(30)
    if probe.stderr is not None:
        probe.stderr.close()


def next_start(settings: ProbeSettings) -> ProbeReport:
    began = time.monotonic()
    report = run_probes(settings)
    assert time.monotonic() - began <= NEXT_START_SECONDS
    return report


@pytest.mark.usefixtures("untouched")
def test_a_probe_killed_in_the_container_phase_is_swept_by_the_next_start(
    docker_client: Any,
) -> None:
    probe = start_probe("--only", "container")
    try:
        wait_for_line(probe.stderr, "measure memory of a running container")
        wait_until(
            lambda: owned_containers(docker_client, [probe.pid]),
            10,
            "a probe container of the process to kill runs",
        )
    finally:
        kill(probe)
    left = owned_containers(docker_client, [probe.pid])
    assert left, "the killed probe left no container: nothing to sweep"

    report = next_start(SETTINGS.model_copy(update={"only": "container", "runs": 1}))

    assert report.container is not None and report.container.status is ProbeStatus.OK
    notes = " ".join(report.container.notes)
    assert f"removed leftovers of an earlier run: {len(left)} container(s)" in notes
    assert owned_containers(docker_client, [probe.pid]) == []


@pytest.mark.usefixtures("untouched")
def test_a_probe_killed_during_a_boot_loses_its_guest_and_the_next_start_sweeps_its_files(
    docker_client: Any, libvirt_conn: Any
) -> None:
    probe = start_probe("--only", "vm", "--runs", "1")
    try:
        wait_for_line(probe.stderr, "try KVM", "boot 1")
        wait_until(lambda: owned_qemu([probe.pid], 0), 30, "QEMU runs the killed probe's guest")
    finally:
        kill(probe)
    # Started with auto-destroy, the guest dies with the killed process's connection.
    wait_until(
        lambda: not owned_domains(libvirt_conn, [probe.pid]) and not owned_qemu([probe.pid], 0),
        KILLED_GUEST_GONE_SECONDS,
        "libvirt destroyed the killed probe's guest",
    )
    left = owned_files([probe.pid])
    assert left, "the killed probe left no run files: nothing to sweep"
    run_dirs = {VmSettings().staging_root, guest_cache_dir(default_cache_dir()) / "runs"}
    assert any(Path(path).parent in run_dirs for path in left), left  # its run folder

    report = next_start(SETTINGS.model_copy(update={"only": "vm", "runs": 1}))

    assert report.vm is not None and report.vm.status is ProbeStatus.OK, report.vm.reason
    assert any("removed leftovers of an earlier run" in note for note in report.vm.notes)
    assert owned_files([probe.pid]) == []
    assert_nothing_left(docker_client, libvirt_conn, [probe.pid])
