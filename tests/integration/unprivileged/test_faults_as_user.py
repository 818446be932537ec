"""The README's fault rows that an ordinary user meets, met by that user for real: an engine
socket closed to them (not in the docker group), an engine that is not running, a libvirt
daemon that does not answer, the system daemon refusing them, a wrong libvirt URI, a cache
folder they may not write, and their own probe killed during a boot. Each time the probe says
why and how to fix it, the other probe's answer stands, and nothing of the run is left."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.engine_endpoint import Endpoint
from advisor.probes.engine_fixes import HostKind, host_kind, install_fix, permission_fix, start_fix
from advisor.probes.leftovers import run_name
from advisor.probes.libvirt_access import KNOWN_URIS_FIX, LIBVIRT_SESSION_FIX
from advisor.probes.models import ProbeStatus
from tests.integration.faults.checks import (
    assert_one_sentence,
    assert_plain_words,
    owned_qemu,
    sample_images,
)
from tests.integration.faults.test_cancel_and_kill import wait_until
from tests.integration.unprivileged.checks import (
    assert_both_probes_ok,
    assert_user_left_nothing,
    kill_during_boot,
    probe_as,
    user_files,
)
from tests.integration.unprivileged.workstation import WorkstationUser

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

# Bounds on time, as the README's fault table states them.
ENGINE_FAULT_SECONDS = 2.0
VM_REFUSED_SECONDS = 5.0
KILLED_GUEST_GONE_SECONDS = 30.0
SYSTEM_URI = "qemu:///system"
# Where polkit is asked, over the system D-Bus; this kind of machine runs none.
SYSTEM_BUS = Path("/run/dbus/system_bus_socket")


def assert_refused(result: Any, reason: tuple[str, ...], fix: str, seconds: float) -> None:
    """A probe that could not run as the user: a sentence why, one with the fix, in time."""
    assert result is not None and result.status is ProbeStatus.UNAVAILABLE, result
    assert_one_sentence(result.reason, *reason)
    assert_one_sentence(result.fix, fix)
    assert result.wall_seconds <= seconds


@pytest.fixture
def images_before(docker_client: Any) -> set[str]:
    return sample_images(docker_client)


def test_an_engine_socket_closed_to_a_user_outside_the_docker_group_says_the_group_is_root(
    workstation_user: WorkstationUser, docker_client: Any, libvirt_conn: Any, images_before: Any
) -> None:
    report, pid = probe_as(workstation_user, "--only", "container", groups=["kvm", "libvirt"])

    assert_refused(
        report.container,
        ("permission denied on the Docker engine socket",),
        "group",
        ENGINE_FAULT_SECONDS,
    )
    assert report.container is not None and report.container.fix == permission_fix(host_kind())
    assert report.host.docker.user_reaches_socket is False
    assert report.host.docker.root_equivalent is True
    assert_user_left_nothing(workstation_user, docker_client, libvirt_conn, [pid], images_before)


@pytest.mark.parametrize(
    ("engine_state", "words", "fix"),
    [
        pytest.param(
            "stale socket", "is not running (connection refused at", start_fix, id="stale"
        ),
        pytest.param("no socket", "no Docker engine socket at", install_fix, id="absent"),
    ],
)
def test_an_engine_that_is_not_running_is_unavailable_to_the_user_too(
    workstation_user: WorkstationUser,
    user_folder: Path,
    docker_client: Any,
    libvirt_conn: Any,
    images_before: Any,
    engine_state: str,
    words: str,
    fix: Callable[[Endpoint, HostKind], str],
) -> None:
    path = user_folder / "docker.sock"
    if engine_state == "stale socket":
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
        os.chown(path, workstation_user.uid, workstation_user.gid)

    report, pid = probe_as(
        workstation_user, "--only", "container", extra_env={"DOCKER_HOST": f"unix://{path}"}
    )

    named = Endpoint(f"unix://{path}", "named", "DOCKER_HOST")
    assert_refused(
        report.container, (words, str(path)), fix(named, host_kind()), ENGINE_FAULT_SECONDS
    )
    assert report.container is not None and report.container.fix is not None
    assert "DOCKER_HOST" in report.container.fix
    assert_user_left_nothing(workstation_user, docker_client, libvirt_conn, [pid], images_before)


def test_a_session_daemon_that_does_not_answer_is_unavailable_with_a_fix(
    workstation_user: WorkstationUser,
    user_folder: Path,
    docker_client: Any,
    libvirt_conn: Any,
    images_before: Any,
) -> None:
    # With no socket named, the session daemon is started on demand (test_probe_as_user.py);
    # one named where no daemon listens is what a stopped daemon looks like.
    uri = f"qemu:///session?socket={user_folder}/libvirt-sock"

    report, pid = probe_as(workstation_user, "--only", "vm", "--libvirt-uri", uri)

    reason = (f"libvirt at {uri} does not answer", "no daemon listens")
    assert_refused(report.vm, reason, "libvirtd --daemon", VM_REFUSED_SECONDS)
    # The session's own fix: no sudo, no system service.
    assert report.vm is not None and report.vm.fix == LIBVIRT_SESSION_FIX
    assert report.vm.boot_seconds is None
    assert_user_left_nothing(workstation_user, docker_client, libvirt_conn, [pid], images_before)


@pytest.mark.parametrize(
    "groups",
    [pytest.param(None, id="in the libvirt group"), pytest.param(["docker", "kvm"], id="outside")],
)
def test_the_system_daemon_refusing_the_user_says_why_and_offers_the_session(
    workstation_user: WorkstationUser,
    docker_client: Any,
    libvirt_conn: Any,
    images_before: Any,
    groups: list[str] | None,
) -> None:
    report, pid = probe_as(
        workstation_user, "--only", "vm", "--libvirt-uri", SYSTEM_URI, groups=groups
    )

    vm = report.vm
    assert vm is not None
    if groups is None and SYSTEM_BUS.exists():
        # With polkit there to ask, the libvirt group lets the user in: no refusal to word.
        assert report.host.libvirt.answers is True, vm
    else:
        words = ("polkit", "D-Bus") if not SYSTEM_BUS.exists() else ("refuses this user",)
        assert_refused(
            vm,
            (f"libvirt at {SYSTEM_URI} does not answer", *words),
            "qemu:///session",
            VM_REFUSED_SECONDS,
        )
        assert vm.fix is not None and "systemctl start libvirtd" not in vm.fix
        assert ("usermod -aG libvirt" in vm.fix) == (groups is not None)
        assert (report.host.libvirt.reason, report.host.libvirt.fix) == (vm.reason, vm.fix)
    assert_plain_words(report)
    assert_user_left_nothing(workstation_user, docker_client, libvirt_conn, [pid], images_before)


@pytest.mark.parametrize("uri", ["bogus:///x", "qemu:///bogus"])
def test_a_wrong_libvirt_uri_is_unavailable_to_the_user_and_names_the_right_ones(
    workstation_user: WorkstationUser,
    docker_client: Any,
    libvirt_conn: Any,
    images_before: Any,
    uri: str,
) -> None:
    report, pid = probe_as(workstation_user, "--only", "vm", "--libvirt-uri", uri)

    assert_refused(
        report.vm, (f"libvirt at {uri} does not answer",), KNOWN_URIS_FIX, VM_REFUSED_SECONDS
    )
    assert report.vm is not None and report.vm.fix is not None
    assert "systemctl start libvirtd" not in report.vm.fix
    assert_plain_words(report)
    assert_user_left_nothing(workstation_user, docker_client, libvirt_conn, [pid], images_before)


def test_a_cache_folder_the_user_may_not_write_is_unavailable_with_the_fix(
    workstation_user: WorkstationUser,
    user_folder: Path,
    docker_client: Any,
    libvirt_conn: Any,
    images_before: Any,
) -> None:
    cache_home = user_folder / "root-owned-cache"
    cache_home.mkdir(mode=0o755)  # root's, as a folder made by `sudo` in the user's home is

    report, pid = probe_as(
        workstation_user, "--only", "vm", extra_env={"XDG_CACHE_HOME": str(cache_home)}
    )

    cache_dir = cache_home / "dvm-advisor"
    reason = (f"the cache folder {cache_dir} cannot be written",)
    assert_refused(report.vm, reason, "XDG_CACHE_HOME", VM_REFUSED_SECONDS)
    assert list(cache_home.iterdir()) == []
    assert_user_left_nothing(workstation_user, docker_client, libvirt_conn, [pid], images_before)


def test_the_users_probe_killed_during_a_boot_is_swept_by_their_next_start(
    workstation_user: WorkstationUser, docker_client: Any, libvirt_conn: Any, images_before: Any
) -> None:
    probe = workstation_user.popen(
        [workstation_user.program("dvm-advisor"), "probe", "--only", "vm", "--runs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    kill_during_boot(probe)
    # Started with auto-destroy, the guest dies with the killed process's session connection.
    prefix = f"{run_name(probe.pid, '')}"
    wait_until(
        lambda: (
            not owned_qemu([probe.pid], 0)
            and not any(name.startswith(prefix) for name in workstation_user.session_domains())
        ),
        KILLED_GUEST_GONE_SECONDS,
        "the session daemon destroyed the killed probe's guest",
    )
    left = user_files(workstation_user, [probe.pid])
    assert any(Path(path).parent == workstation_user.session_log_dir for path in left), left

    report, pid = probe_as(workstation_user, "--runs", "1")

    assert_both_probes_ok(report)
    assert_plain_words(report)
    assert report.vm is not None
    assert any("removed leftovers of an earlier run" in note for note in report.vm.notes)
    assert user_files(workstation_user, [probe.pid]) == []
    assert_user_left_nothing(
        workstation_user, docker_client, libvirt_conn, [pid, probe.pid], images_before
    )
