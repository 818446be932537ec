"""Fixtures of the unprivileged tests: the ordinary workstation user and a folder of theirs.

`scripts/provision-host test` makes the user (groups docker, kvm and libvirt, as a developer's
account is) and `scripts/user-venv` a venv of this checkout built from Debian's python3, in a
folder the user can read: the checkout itself may lie where only root can.

These tests switch users, so they need root; in CI a missing user, venv or root fails them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import TEST_USER_NAME, daemon_missing, ordinary_user
from tests.integration.unprivileged.workstation import COMMAND_TIMEOUT_SECONDS, WorkstationUser

REPOSITORY = Path(__file__).parents[3]


@pytest.fixture(scope="session")
def workstation_user() -> Iterator[WorkstationUser]:
    """The provisioned ordinary user, logged in for this test run, with the venv made
    current for this checkout."""
    entry = ordinary_user("running commands as the ordinary user needs root")
    # Fast when nothing changed; after an edit it reinstalls this checkout's code (seconds).
    made = subprocess.run(
        [str(REPOSITORY / "scripts" / "user-venv")],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
        check=False,
    )
    if made.returncode != 0:
        daemon_missing(f"the ordinary user's venv could not be made: {made.stderr[-2000:]}")
    venv = Path(made.stdout.strip().splitlines()[-1])
    account = WorkstationUser(TEST_USER_NAME, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir), venv)
    with account.new_login() as user:
        yield user


@pytest.fixture
def fresh_login(workstation_user: WorkstationUser) -> Iterator[WorkstationUser]:
    """The user logged in afresh for one test: no session daemon of theirs runs yet."""
    with workstation_user.new_login() as user:
        yield user


@pytest.fixture
def user_folder(workstation_user: WorkstationUser) -> Iterator[Path]:
    """A folder of the user's for this test's inputs and outputs, removed after it."""
    folder = workstation_user.scratch()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
