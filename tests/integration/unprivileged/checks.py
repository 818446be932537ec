"""What the unprivileged tests check: both probes measured through the user's session, words
a user may be shown, and nothing left by the user's runs anywhere a probe writes."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from advisor.probes.models import ProbeStatus
from advisor.probes.places import leftover_places
from advisor.probes.report import ProbeReport
from tests.integration.faults.checks import (
    new_sample_images,
    own_prefixes,
    owned_containers,
    owned_domains,
    owned_qemu,
    unfinished_writes,
)
from tests.integration.faults.test_cancel_and_kill import kill, wait_for_line, wait_until
from tests.integration.unprivileged.workstation import WorkstationUser

SESSION_URI = "qemu:///session"
QEMU_STARTS_SECONDS = 30.0


def probe_as(
    user: WorkstationUser,
    *arguments: str,
    extra_env: dict[str, str] | None = None,
    groups: list[str] | None = None,
) -> tuple[ProbeReport, int]:
    """`dvm-advisor probe --json - ARGUMENTS` as the user; the report and the probe's pid."""
    done, pid = user.run(
        [user.program("dvm-advisor"), "probe", "--json", "-", *arguments], extra_env, None, groups
    )
    assert done.returncode == 0, done.stderr
    return ProbeReport.model_validate_json(done.stdout), pid


def assert_both_probes_ok(report: ProbeReport) -> None:
    """Both probes measured, the VM through the user's own session daemon."""
    container, vm = report.container, report.vm
    assert container is not None and container.status is ProbeStatus.OK, container
    assert container.start_seconds is not None
    assert vm is not None and vm.status is ProbeStatus.OK, vm
    assert vm.uri == SESSION_URI
    assert vm.boot_seconds is not None
    assert report.host.docker.user_reaches_socket is True  # through the docker group


def kill_during_boot(probe: subprocess.Popen[str]) -> int:
    """SIGKILL a VM probe, started with its progress on a pipe, once QEMU boots its guest;
    the pid its run's names carry."""
    try:
        wait_for_line(probe.stderr, "try KVM", "boot 1")
        wait_until(lambda: owned_qemu([probe.pid], 0), QEMU_STARTS_SECONDS, "QEMU runs its guest")
    finally:
        kill(probe)
    return probe.pid


def user_files(user: WorkstationUser, pids: Iterable[int]) -> list[str]:
    """Run folders, staged boot files, console and domain logs and downloads of `pids`, in
    every place a run of the user or of root writes to, and the temporary folder."""
    places = [*leftover_places(user.cache_dir), user.session_log_dir, Path(tempfile.gettempdir())]
    prefixes = own_prefixes(pids)
    return sorted(
        {
            str(path)
            for place in places
            if place.is_dir()
            for prefix in prefixes
            for path in place.glob(f"{prefix}*")
        }
    )


def assert_user_left_nothing(
    user: WorkstationUser,
    docker_client: Any,
    libvirt_conn: Any,
    pids: Iterable[int],
    images_before: set[str],
) -> None:
    """Nothing a probe process of the user made remains: containers and sample images in the
    engine, domains in qemu:///system and in the user's qemu:///session, QEMU processes, run
    folders and logs, and half-written files in the user's cache."""
    pids = list(pids)
    assert owned_containers(docker_client, pids) == []
    assert new_sample_images(docker_client, images_before) == set()
    assert owned_domains(libvirt_conn, pids) == []
    prefixes = tuple(own_prefixes(pids))
    assert [name for name in user.session_domains() if name.startswith(prefixes)] == []
    assert owned_qemu(pids) == []
    assert user_files(user, pids) == []
    assert unfinished_writes(user.cache_dir) == []
