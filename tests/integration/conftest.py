"""Fixtures that reach the real daemons.

In CI (CI=true) a daemon that does not answer fails the test: an integration test is never
skipped there. On a developer machine without the daemons the test skips, saying why.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest

LIBVIRT_URI = os.environ.get("DVM_ADVISOR_TEST_LIBVIRT_URI", "qemu:///system")


def in_ci() -> bool:
    """Whether the suite runs in CI, where every daemon must answer."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def daemon_missing(message: str) -> NoReturn:
    """Fail in CI, skip elsewhere."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: integration tests must reach their daemon)")
    pytest.skip(message)


TEST_USER_NAME = os.environ.get("DVM_ADVISOR_TEST_USER", "dvm-advisor-user")
SETUP_HINT = "run scripts/provision-host test as root"


def ordinary_user(why_root: str) -> pwd.struct_passwd:
    """The ordinary user `scripts/provision-host test` makes; the tests that act as them or
    give them keys must be root (`why_root` says why)."""
    if os.geteuid() != 0:
        daemon_missing(why_root)
    try:
        return pwd.getpwnam(TEST_USER_NAME)
    except KeyError:
        daemon_missing(f"no ordinary user {TEST_USER_NAME}: {SETUP_HINT}")


@pytest.fixture(scope="session")
def docker_client() -> Iterator[Any]:
    """A docker SDK client connected to a live engine."""
    import docker

    try:
        client = docker.from_env(timeout=30)
        client.ping()
    except Exception as error:  # any failure to reach the engine means the same here
        daemon_missing(f"Docker engine not reachable: {error}")
    yield client
    client.close()


@pytest.fixture(scope="session")
def libvirt_conn() -> Iterator[Any]:
    """A libvirt connection to a live daemon with the QEMU driver."""
    import libvirt

    try:
        conn = libvirt.open(LIBVIRT_URI)
    except libvirt.libvirtError as error:
        daemon_missing(f"libvirt not reachable at {LIBVIRT_URI}: {error}")
    yield conn
    conn.close()
