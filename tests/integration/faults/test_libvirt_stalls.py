"""A libvirt daemon that answers slowly call after call, or stops answering during a boot:
the real daemon behind a proxy on a socket of the test's own (slow_libvirt.py). Every
libvirt call of a run ends by that run's deadline, not by a fresh limit of its own, so the
run ends within `--timeout` plus a margin with one sentence and its fix; the container probe
still runs, and nothing of the run is left once the command ends."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.leftovers import sweep_libvirt
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import (
    assert_one_sentence,
    assert_plain_words,
    owned_domains,
    owned_files,
    owned_qemu,
)
from tests.integration.faults.slow_libvirt import (
    require_system_daemon,
    slow_libvirt,
    start_probe,
)

pytestmark = pytest.mark.libvirt

PROBE = [sys.executable, "-m", "advisor", "probe", "--runs", "1"]
REPLY_DELAY_SECONDS = 0.5  # each of libvirt's replies held this long: the host facts need ~9
SLOW_TIMEOUT_SECONDS = 3.0
STALL_TIMEOUT_SECONDS = 8.0
# The command's start and end (about 2 s on a busy 2-core machine), the clean-up's question
# whether the daemon answers at all and the close (2 s each at most, probes/libvirt_connection.py).
MARGIN_SECONDS = 8.0
DESTROYED_SECONDS = 15.0  # from the command's end until the daemon has ended its guest
RUN_SECONDS = 180.0


@pytest.fixture(autouse=True)
def system_daemon() -> None:
    require_system_daemon()


def report_of(output: Path) -> ProbeReport:
    report = ProbeReport.model_validate_json(output.read_text())
    assert_plain_words(report)
    return report


def assert_unanswered(reason: str | None, fix: str | None, uri: str, seconds: float) -> None:
    assert_one_sentence(reason, f"libvirt at {uri} did not answer within {seconds:g} s")
    assert_one_sentence(fix, f"virsh -c {uri} version")


@pytest.mark.docker  # the container probe runs beside it
def test_a_libvirt_that_answers_slowly_call_after_call_costs_the_host_facts_only_the_timeout(
    short_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "report.json"
    with slow_libvirt(short_dir, REPLY_DELAY_SECONDS) as daemon:
        arguments = ["--timeout", f"{SLOW_TIMEOUT_SECONDS:g}", "--libvirt-uri", daemon.uri]
        done = subprocess.run(
            [*PROBE, *arguments, "--json", str(output)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=RUN_SECONDS,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    report = report_of(output)
    libvirt = report.host.libvirt
    assert libvirt.answers is False
    assert_unanswered(libvirt.reason, libvirt.fix, daemon.uri, SLOW_TIMEOUT_SECONDS)
    # The VM probe says the same at once, without waiting on the daemon a second time.
    vm = report.vm
    assert vm is not None and vm.status is ProbeStatus.UNAVAILABLE, vm
    assert (vm.reason, vm.fix) == (libvirt.reason, libvirt.fix)
    assert vm.boot_seconds is None
    container = report.container
    assert container is not None and container.status is ProbeStatus.OK, container.reason
    # Everything but the container probe: the host facts, bounded in all, and the VM's answer.
    assert report.wall_seconds - container.wall_seconds <= SLOW_TIMEOUT_SECONDS + MARGIN_SECONDS


def wait_for_domain(libvirt_conn: Any, pid: int, process: subprocess.Popen[str]) -> None:
    ends = time.monotonic() + RUN_SECONDS
    while not owned_domains(libvirt_conn, [pid]):
        assert process.poll() is None, "the probe ended before its guest started"
        assert time.monotonic() < ends, "no guest started"
        time.sleep(0.1)


def test_a_libvirt_that_stops_answering_during_a_boot_ends_the_run_in_time_leaving_nothing(
    short_dir: Path, tmp_path: Path, libvirt_conn: Any
) -> None:
    output = tmp_path / "report.json"
    with slow_libvirt(short_dir) as daemon:
        arguments = ("--runs", "1", "--only", "vm", "--timeout", f"{STALL_TIMEOUT_SECONDS:g}")
        process = start_probe(daemon, output, *arguments)
        try:
            wait_for_domain(libvirt_conn, process.pid, process)
            daemon.stall()
            stalled = time.monotonic()
            _, stderr = process.communicate(timeout=RUN_SECONDS)
            ended = time.monotonic() - stalled
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(30)
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert ended <= STALL_TIMEOUT_SECONDS + MARGIN_SECONDS
        # The command's end closed its connection: the daemon ends the guest it started.
        ends = time.monotonic() + DESTROYED_SECONDS
        while owned_domains(libvirt_conn, [process.pid]) and time.monotonic() < ends:
            time.sleep(0.2)
        assert owned_domains(libvirt_conn, [process.pid]) == []
    assert owned_qemu([process.pid]) == []
    # The daemon writes the guest's log as it ends it, after the command's clean-up: the
    # next start's sweep removes it, and nothing else of the run is there.
    logs = [path for path in owned_files([process.pid]) if path.endswith(".log")]
    assert owned_files([process.pid]) == logs
    sweeping = LibvirtConnection(LIBVIRT_URI, 30)
    sweep_libvirt(sweeping)
    sweeping.close()
    assert owned_files([process.pid]) == []
    vm = report_of(output).vm
    assert vm is not None and vm.status is ProbeStatus.FAILED, vm
    assert_unanswered(vm.reason, vm.fix, daemon.uri, STALL_TIMEOUT_SECONDS)
