"""`dvm-advisor --lang zh-CN probe --only container` against an engine that refuses: the
reason and the fix come in Chinese, in the report (which records its language) and in the
summary at the terminal; the real twin of tests/unit/probes/test_messages_in_chinese.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.probes.models import ProbeStatus
from advisor.probes.report import load_probe_report
from tests.integration.conftest import LIBVIRT_URI
from tests.unit.probes.test_messages_in_chinese import assert_chinese

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

CHINESE = re.compile(r"[\u4e00-\u9fff]")
RUN_SECONDS = 60  # host facts and an engine that refuses at once: seconds, on a busy machine


def test_an_engine_that_refuses_is_explained_in_chinese(stale_socket: str, tmp_path: Path) -> None:
    output = tmp_path / "report.json"
    environment = {**os.environ, "DOCKER_HOST": f"unix://{stale_socket}"}
    command = [sys.executable, "-m", "advisor", "--lang", "zh-CN", "probe", "--only", "container"]
    command += ["--runs", "1", "--libvirt-uri", LIBVIRT_URI, "--json", str(output)]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=RUN_SECONDS,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    report = load_probe_report(output)
    assert report.language == "zh_CN"
    container = report.container
    assert container is not None and container.status is ProbeStatus.UNAVAILABLE
    assert_chinese(container.reason, container.fix)
    assert container.reason is not None and stale_socket in container.reason
    assert container.fix is not None and "DOCKER_HOST" in container.fix
    # The summary at the terminal shows the same reason, and no note on another language.
    summary = [line for line in done.stdout.splitlines() if container.reason.rstrip("。") in line]
    assert summary and CHINESE.search(summary[0]), done.stdout
    assert "原文" not in done.stdout
