"""A guest start that overruns the run's limit (`--only vm --timeout 0.1`): libvirt's start
call goes on after the probe gave up on it, and the guest it starts must not outlive the
command. The clean-up waits for that call and destroys what it started, so when the command
ends no domain and no QEMU process of its run is left, and its files are gone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import owned_domains, owned_files, owned_qemu

pytestmark = pytest.mark.libvirt

PROBE = [sys.executable, "-m", "advisor", "probe", "--libvirt-uri", LIBVIRT_URI]
RUN_SECONDS = 120.0  # the command, its clean-up's wait for the start included


def test_a_start_that_overruns_leaves_nothing_once_the_command_ends(
    libvirt_conn: Any, tmp_path: Path
) -> None:
    output = tmp_path / "report.json"
    process = subprocess.Popen(
        [*PROBE, "--only", "vm", "--runs", "1", "--timeout", "0.1", "--json", str(output)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, stderr = process.communicate(timeout=RUN_SECONDS)
    assert process.returncode == 0, stderr
    # Looked at the moment the command ended: no time given for anything to die later.
    assert owned_domains(libvirt_conn, [process.pid]) == []
    assert owned_qemu([process.pid], wait_seconds=0.0) == []
    assert owned_files([process.pid]) == []
    report = ProbeReport.model_validate_json(output.read_text())
    assert report.vm is not None and report.vm.status is ProbeStatus.FAILED
    # Mostly the start overran; on a very busy machine the run's time may be up before it.
    assert report.vm.reason is not None
    assert "did not answer within 0.1 s" in report.vm.reason or "0.1 s reached" in report.vm.reason
