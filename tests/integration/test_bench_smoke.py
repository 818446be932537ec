"""`make bench` still runs: every benchmark once (`bench/run.py --smoke`), through the real
daemons, writing its table. The figures of one iteration say nothing and are not checked;
what is checked is that no benchmark failed, so that a change to the probes' seams cannot
break the benchmarks unseen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

BENCH = Path(__file__).resolve().parents[2] / "bench" / "run.py"


@pytest.mark.timeout(600)
def test_every_benchmark_runs_once_without_failing(
    docker_client: Any, libvirt_conn: Any, tmp_path: Path
) -> None:
    output = tmp_path / "benchmarks.md"

    done = subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    table = output.read_text(encoding="utf-8")
    benchmarks = ("Rule engine", "Container start", "VM boot", "Full default probe")
    for benchmark in (*benchmarks, "The app's quick check: one run of each probe, from the Run"):
        assert benchmark in table
    assert "| failed |" not in table
    assert "(quick run: fewer repetitions)" in table
