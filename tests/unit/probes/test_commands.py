"""Host commands run by the probes: output, failures with their message, time limit, cancel;
and the native CPU workload that runs through them."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from advisor.probes.commands import CommandFailed, run_command
from advisor.probes.control import CancelToken, ProbeCancelled
from advisor.probes.workload import (
    measure_native_workload,
    parse_all_workload_seconds,
    workload_loop,
)

PYTHON = sys.executable


def test_the_output_of_a_command_is_returned(tmp_path: Path) -> None:
    output = run_command(
        [PYTHON, "-c", "import os; print(os.getcwd())"], 10, CancelToken(), cwd=tmp_path
    )

    assert output.strip() == str(tmp_path)


def test_a_failing_command_says_its_status_and_last_error_line() -> None:
    script = "import sys; sys.stderr.write('first\\nE: no such package\\n'); sys.exit(100)"

    with pytest.raises(CommandFailed, match=r"status 100: E: no such package"):
        run_command([PYTHON, "-c", script], 10, CancelToken())


def test_a_missing_program_is_named() -> None:
    with pytest.raises(CommandFailed, match="cannot run /nonexistent/apt-get"):
        run_command(["/nonexistent/apt-get", "download", "x"], 10, CancelToken())


def test_a_command_that_overruns_is_killed_at_its_time_limit() -> None:
    started = time.monotonic()

    with pytest.raises(CommandFailed, match=r"took longer than 0\.3 s"):
        run_command([PYTHON, "-c", "import time; time.sleep(30)"], 0.3, CancelToken())

    assert time.monotonic() - started < 5


def test_cancel_kills_a_running_command() -> None:
    cancel = CancelToken()
    started = time.monotonic()

    with pytest.raises(ProbeCancelled):
        cancel.cancel()
        run_command([PYTHON, "-c", "import time; time.sleep(30)"], 60, cancel)

    assert time.monotonic() - started < 5


def test_every_result_line_of_a_workload_loop_is_read() -> None:
    output = "DVM_WORKLOAD_CS=15\nnoise\nDVM_WORKLOAD_CS=7\nDVM_WORKLOAD_CS=120\n"

    assert parse_all_workload_seconds(output) == [0.15, 0.07, 1.2]
    assert workload_loop(3).startswith("for run in 1 2 3; do ")


@pytest.mark.skipif(shutil.which("busybox") is None, reason="no busybox on this host")
def test_the_native_workload_runs_once_per_run_with_the_hosts_busybox() -> None:
    busybox = Path(str(shutil.which("busybox")))

    times = measure_native_workload(busybox, 2, 60, CancelToken())

    assert len(times) == 2
    assert all(0 < seconds < 30 for seconds in times)
