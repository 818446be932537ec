"""Fixtures that reach the real daemons.

In CI (CI=true) a daemon that does not answer fails the test: an integration test is never
skipped there. On a developer machine without the daemons the test skips, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

LIBVIRT_URI = os.environ.get("DVM_ADVISOR_TEST_LIBVIRT_URI", "qemu:///system")


def in_ci() -> bool:
    """Whether the suite runs in CI, where every daemon must answer."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def daemon_missing(message: str) -> None:
    """Fail in CI, skip elsewhere."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: integration tests must reach their daemon)")
    pytest.skip(message)


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
