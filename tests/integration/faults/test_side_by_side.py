"""Probe runs side by side never touch each other: two container probes started 0.5 s apart,
and a probe beside `report --run-probes`, five rounds each, all `ok`, and nothing left.

Each run holds the shared sample image by a tag of its own and removes only that tag, so
neither run's sweep or clean-up can take the image from the other (probes/sample_image.py).
The probes run `--only container`: the VM adds nothing to what collides here. The report's
VM probe is refused at once by a cache folder its group may write (a refusal of its own,
tested in test_cache_faults.py), for the same reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport
from advisor.report.model import ReportDocument
from tests.integration.faults.checks import (
    EXAMPLE_ANSWERS,
    assert_nothing_left,
    sample_images,
)

pytestmark = pytest.mark.docker

ROUNDS = 5
GAP_SECONDS = 0.5
RUN_SECONDS = 120.0  # the longest one command of a round may take on a busy machine
ADVISOR = [sys.executable, "-m", "advisor"]


def start(arguments: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*ADVISOR, *arguments],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def finish(process: subprocess.Popen[str]) -> None:
    _, stderr = process.communicate(timeout=RUN_SECONDS)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr


def probe_container(output: Path) -> subprocess.Popen[str]:
    return start(["probe", "--only", "container", "--runs", "1", "--json", str(output)])


def assert_container_ok(output: Path) -> None:
    report = ProbeReport.model_validate_json(output.read_text())
    container = report.container
    assert container is not None and container.status is ProbeStatus.OK, container
    assert not any("sample image" in note for note in container.notes), container.notes


def held_tags(client: Any, pids: list[int]) -> list[str]:
    """Sample image tags still held by a run of one of `pids`."""
    return [
        tag
        for image in client.api.images(filters={"label": "dvm-advisor.probe=1"})
        for tag in image.get("RepoTags") or []
        if any(f"-{pid}-" in tag for pid in pids)
    ]


def test_two_probes_half_a_second_apart_never_touch_each_other(
    docker_client: Any, tmp_path: Path
) -> None:
    images_before = sample_images(docker_client)
    pids: list[int] = []
    for round_ in range(ROUNDS):
        outputs = (tmp_path / f"first-{round_}.json", tmp_path / f"second-{round_}.json")
        first = probe_container(outputs[0])
        time.sleep(GAP_SECONDS)
        second = probe_container(outputs[1])
        for process in (first, second):
            finish(process)
            pids.append(process.pid)
        for output in outputs:
            assert_container_ok(output)
    assert held_tags(docker_client, pids) == []
    assert_nothing_left(docker_client, None, pids, images_before)


def test_a_probe_beside_report_run_probes_never_touch_each_other(
    docker_client: Any, tmp_path: Path
) -> None:
    cache_home = tmp_path / "cache-home"
    (cache_home / "dvm-advisor" / "guest").mkdir(parents=True)
    (cache_home / "dvm-advisor" / "guest").chmod(0o770)  # the report's VM probe refuses it
    images_before = sample_images(docker_client)
    pids: list[int] = []
    for round_ in range(ROUNDS):
        document, output = tmp_path / f"report-{round_}.json", tmp_path / f"probe-{round_}.json"
        report = start(
            [
                "report",
                "--answers",
                str(EXAMPLE_ANSWERS),
                "--run-probes",
                "--markdown",
                str(document.with_suffix(".md")),
                "--json",
                str(document),
            ],
            env={"XDG_CACHE_HOME": str(cache_home)},
        )
        time.sleep(GAP_SECONDS)
        probe = probe_container(output)
        for process in (report, probe):
            finish(process)
            pids.append(process.pid)
        assert_container_ok(output)
        section = ReportDocument.model_validate_json(document.read_text()).probe
        assert section is not None
        statuses = {summary.probe: summary.status for summary in section.summaries}
        assert statuses["container"] == "ok", section.summaries
        assert statuses["vm"] == "unavailable"  # refused at once: not what is tested here
    assert held_tags(docker_client, pids) == []
    assert_nothing_left(docker_client, None, pids, images_before)
