"""`dvm-advisor probe` end to end, as a user runs it: both probes through the real daemons,
the report written, progress on standard error, and nothing of the run left behind, also
when the run is stopped with SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.models import ProbeStatus
from advisor.probes.report import load_probe_report

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

PROBE = [sys.executable, "-m", "advisor", "probe"]
STAGING_ROOT = Path("/var/lib/libvirt/boot")


def temporary_entries() -> set[str]:
    return {entry.name for entry in Path(tempfile.gettempdir()).iterdir() if "dvm" in entry.name}


def assert_nothing_left(pid: int, docker_client: Any, libvirt_conn: Any) -> None:
    """Nothing the probe process `pid` made is still there: containers, images, domains, files."""
    owner = f"{socket.gethostname()}/{pid}"
    containers = docker_client.api.containers(all=True, filters={"label": "dvm-advisor.owner"})
    assert [c for c in containers if c["Labels"]["dvm-advisor.owner"] == owner] == []
    assert docker_client.api.images(name="dvm-advisor-probe") == []
    prefix = f"dvm-advisor-probe-{pid}-"
    assert [d.name() for d in libvirt_conn.listAllDomains() if d.name().startswith(prefix)] == []
    if STAGING_ROOT.is_dir():
        assert [p.name for p in STAGING_ROOT.iterdir() if p.name.startswith(prefix)] == []


def test_the_full_probe_finishes_ok_and_leaves_nothing(
    docker_client: Any, libvirt_conn: Any, tmp_path: Path
) -> None:
    before = temporary_entries()
    output = tmp_path / "out.json"
    process = subprocess.Popen(
        [*PROBE, "--json", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    report = load_probe_report(output)
    container, vm = report.container, report.vm
    assert container is not None and container.status is ProbeStatus.OK, container
    assert vm is not None and vm.status is ProbeStatus.OK, vm
    assert container.start_seconds is not None and 0.01 <= container.start_seconds.median <= 5
    assert container.image_bytes is not None and 100_000 <= container.image_bytes <= 10_000_000
    assert vm.accelerator in ("kvm", "tcg")
    assert vm.boot_seconds is not None and 0.1 <= vm.boot_seconds.median <= 120
    assert vm.disk_bytes is not None and 1_000_000 <= vm.disk_bytes <= 200_000_000
    assert report.kvm_usable is vm.kvm_usable
    assert report.hostname == socket.gethostname()
    progress = stderr.splitlines()
    assert progress and all(line.startswith("dvm-advisor probe: [") for line in progress)
    assert "Sample container: Done." in stdout and "Sample VM: Done." in stdout
    assert_nothing_left(process.pid, docker_client, libvirt_conn)
    assert temporary_entries() <= before


def test_sigterm_cancels_the_probe_and_it_cleans_up(docker_client: Any, libvirt_conn: Any) -> None:
    process = subprocess.Popen(
        [*PROBE, "--only", "container"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "start run 2 of 5" in line:
            process.send_signal(signal.SIGTERM)
            break
    sent = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr  # 128 + SIGTERM
    assert "cancelled" in stderr
    assert time.monotonic() - sent < 30
    assert_nothing_left(process.pid, docker_client, libvirt_conn)
