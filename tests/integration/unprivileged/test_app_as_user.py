"""The app's probe page as the ordinary user, offscreen: the user's own venv runs pytest-qt on
as_user/probe_page.py, which clicks Run; both probes must measure, through root's dockerd and
the user's qemu:///session, and nothing of the run may be left."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.report import ProbeReport
from tests.integration.faults.checks import assert_plain_words, sample_images
from tests.integration.unprivileged.checks import (
    assert_both_probes_ok,
    assert_user_left_nothing,
)
from tests.integration.unprivileged.workstation import WorkstationUser

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

PAGE_TEST = Path(__file__).parent / "as_user" / "probe_page.py"
# What the project's own pytest settings say for UI tests, given to the user's pytest here.
QT_OPTIONS = [
    *("-o", "qt_api=pyside6"),
    *("-o", "qt_log_level_fail=WARNING"),
    *("-o", "qt_log_ignore=This plugin does not support propagateSizeHints"),
]


def test_the_app_probe_page_as_the_user_measures_both_probes_and_leaves_nothing(
    workstation_user: WorkstationUser, user_folder: Path, docker_client: Any, libvirt_conn: Any
) -> None:
    images_before = sample_images(docker_client)
    page_test = workstation_user.give(PAGE_TEST, user_folder)
    out = user_folder / "page.json"
    command = [
        workstation_user.program("pytest"),
        *("-q", "-p", "no:cacheprovider", "--basetemp", str(user_folder / "pytest")),
        *QT_OPTIONS,
        str(page_test),
    ]

    done, pid = workstation_user.run(
        command,
        {"QT_QPA_PLATFORM": "offscreen", "DVM_ADVISOR_PAGE_OUT": str(out)},
        cwd=user_folder,
    )

    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    shown = json.loads(out.read_text())
    report = ProbeReport.model_validate(shown["report"])
    assert_both_probes_ok(report)
    assert_plain_words(report)
    assert_user_left_nothing(workstation_user, docker_client, libvirt_conn, [pid], images_before)
