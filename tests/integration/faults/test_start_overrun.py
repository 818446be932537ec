"""A guest start that overruns the run's limit: the real daemon behind a proxy that holds
its answer to the start (createXML) longer than `--timeout`, as a daemon that probes QEMU
again does (slow_libvirt.py). libvirt's start goes on after the probe gave up on it, and the
guest it starts must not outlive the command. The clean-up waits for that call and destroys
what it started, so when the command ends no domain and no QEMU process of its run is left,
and its files are gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport
from tests.integration.faults.checks import (
    assert_one_sentence,
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

RUN_SECONDS = 120.0  # the command, its clean-up's wait for the start included
TIMEOUT_SECONDS = 3.0
START_HELD_SECONDS = TIMEOUT_SECONDS + 3.0  # the start's answer comes after the probe gave up


def test_a_start_that_overruns_leaves_nothing_once_the_command_ends(
    libvirt_conn: Any, tmp_path: Path, short_dir: Path
) -> None:
    require_system_daemon()
    output = tmp_path / "report.json"
    arguments = ("--only", "vm", "--runs", "1", "--timeout", f"{TIMEOUT_SECONDS:g}")
    with slow_libvirt(short_dir, start_delay=START_HELD_SECONDS) as daemon:
        process = start_probe(daemon, output, *arguments)
        _, stderr = process.communicate(timeout=RUN_SECONDS)
    assert process.returncode == 0, stderr
    # Looked at the moment the command ended: no time given for anything to die later.
    assert owned_domains(libvirt_conn, [process.pid]) == []
    assert owned_qemu([process.pid], wait_seconds=0.0) == []
    assert owned_files([process.pid]) == []
    report = ProbeReport.model_validate_json(output.read_text())
    assert report.vm is not None and report.vm.status is ProbeStatus.FAILED
    assert_one_sentence(report.vm.reason, f"did not answer within {TIMEOUT_SECONDS:g} s (createXML")
