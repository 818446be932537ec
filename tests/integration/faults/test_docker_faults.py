"""Docker engine faults: not running, a socket this user may not use, and an engine stopped in
the middle of a container run. Each time the container probe says why and how to fix it,
the VM probe still runs, and the advice carries the matching caveat."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from advisor.probes.container import run_container_probe
from advisor.probes.container_plan import ContainerSettings
from advisor.probes.control import ProgressEvent
from advisor.probes.engine_endpoint import Endpoint, find_endpoint
from advisor.probes.engine_fixes import HostKind, host_kind, install_fix, permission_fix, start_fix
from advisor.probes.leftovers import PROBE_LABEL_FILTER
from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport, ProbeSettings
from advisor.probes.suite import run_probes
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import (
    advise,
    assert_nothing_left,
    assert_one_sentence,
    caveat_rules,
    owned_containers,
    sample_images,
)
from tests.integration.faults.conftest import PrivateEngine

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

# Bounds on time, as the README's fault table states them.
ENGINE_FAULT_SECONDS = 2.0  # an engine that is absent or refuses: the container probe's answer
FULL_RUN_SECONDS = 90.0  # host facts, the container probe and one TCG boot of the VM probe
UNPRIVILEGED_RUN_SECONDS = 20.0  # `dvm-advisor probe --only container` as nobody
STOPPED_ENGINE_SECONDS = 10.0  # from the engine's stop to the container probe's answer

# The probes' own VM probe, short: one boot under TCG.
OTHER_PROBE = ProbeSettings(runs=1, try_kvm=False, libvirt_uri=LIBVIRT_URI)


def assert_vm_probe_still_ran(report: ProbeReport) -> None:
    assert report.vm is not None and report.vm.status is ProbeStatus.OK, report.vm
    assert report.vm.boot_seconds is not None


@pytest.mark.parametrize(
    ("engine_state", "words", "fix"),
    [
        pytest.param(
            "stale socket", "is not running (connection refused at", start_fix, id="stale"
        ),
        pytest.param("no socket", "no Docker engine socket at", install_fix, id="absent"),
    ],
)
# The VM probe's run is shown once, beside the stale socket a stopped engine leaves.
def test_an_engine_that_is_not_running_is_unavailable_and_the_vm_probe_still_runs(
    docker_client: Any,
    libvirt_conn: Any,
    monkeypatch: pytest.MonkeyPatch,
    stale_socket: str,
    engine_state: str,
    words: str,
    fix: Callable[[Endpoint, HostKind], str],
) -> None:
    path = stale_socket if engine_state == "stale socket" else f"{stale_socket}.absent"
    monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
    images_before = sample_images(docker_client)

    with_vm = engine_state == "stale socket"

    began = time.monotonic()
    report = run_probes(OTHER_PROBE.model_copy(update={"only": None if with_vm else "container"}))
    seconds = time.monotonic() - began

    container = report.container
    assert container is not None and container.status is ProbeStatus.UNAVAILABLE
    assert_one_sentence(container.reason, words, path)
    assert container.fix == fix(find_endpoint(), host_kind())
    assert_one_sentence(container.fix, "DOCKER_HOST")
    assert container.wall_seconds <= ENGINE_FAULT_SECONDS
    assert report.host.docker.answers is False and report.host.docker.reason == container.reason
    if with_vm:
        assert_vm_probe_still_ran(report)
    assert seconds <= FULL_RUN_SECONDS
    assert {"probe-docker-engine-unreachable", "probe-container-did-not-run"} <= caveat_rules(
        advise(report)
    )
    assert_nothing_left(docker_client, libvirt_conn, [os.getpid()], images_before)


# The interpreter of this checkout may live under /root (pyenv): nobody reaches it only with
# CAP_DAC_READ_SEARCH, which lets a process read and list files, never write to them. A unix
# socket takes write permission to connect to, so the engine's socket stays closed to it.
AS_NOBODY = [
    "setpriv",
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    "--inh-caps=+dac_read_search",
    "--ambient-caps=+dac_read_search",
]


def test_a_socket_this_user_may_not_use_is_unavailable_and_says_the_group_is_root(
    docker_client: Any,
) -> None:
    if os.geteuid() != 0:
        pytest.skip("switching to the unprivileged user needs root")
    socket_stat = os.stat("/var/run/docker.sock")
    if socket_stat.st_mode & 0o006:
        pytest.skip("the engine's socket is open to everyone here")
    environment = {**os.environ, "HOME": "/nonexistent"}
    environment.pop("DOCKER_HOST", None)
    command = [
        *AS_NOBODY,
        *(sys.executable, "-m", "advisor", "probe", "--only", "container", "--json", "-"),
        # The system daemon refuses nobody at once; a session daemon would be started for it.
        *("--libvirt-uri", "qemu:///system"),
    ]

    began = time.monotonic()
    probe = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    stdout, stderr = probe.communicate(timeout=UNPRIVILEGED_RUN_SECONDS * 3)
    seconds = time.monotonic() - began

    assert probe.returncode == 0, stderr
    report = ProbeReport.model_validate_json(stdout)
    container = report.container
    assert container is not None and container.status is ProbeStatus.UNAVAILABLE
    assert_one_sentence(container.reason, "permission denied on the Docker engine socket")
    assert container.fix == permission_fix(host_kind()) and "equivalent to root" in container.fix
    assert report.host.docker.user_reaches_socket is False
    assert report.host.docker.root_equivalent is True
    assert_one_sentence(report.host.docker.root_warning, "equivalent to root on this host")
    assert report.vm is None  # --only container
    assert seconds <= UNPRIVILEGED_RUN_SECONDS
    assert {
        "probe-container-did-not-run",
        "probe-docker-engine-unreachable",
        "probe-docker-group-is-root",
    } <= caveat_rules(advise(report))
    assert_nothing_left(docker_client, None, [probe.pid])  # setpriv runs the probe in its place


def stop_engine_once_a_probe_container_runs(
    engine: PrivateEngine, stopped: list[float]
) -> threading.Thread:
    """On a thread: wait until a probe container runs in `engine`, then stop the engine."""

    def watch_and_stop() -> None:
        client = engine.client()
        try:
            ends = time.monotonic() + 10
            while time.monotonic() < ends:
                running = client.api.containers(
                    filters={"label": PROBE_LABEL_FILTER, "status": "running"}
                )
                if running:
                    stopped.append(time.monotonic())
                    engine.stop()
                    return
                time.sleep(0.01)
        finally:
            client.close()

    thread = threading.Thread(target=watch_and_stop, name="stop the engine")
    thread.start()
    return thread


def test_an_engine_stopped_mid_run_fails_the_probe_and_the_next_start_sweeps_its_leftovers(
    docker_client: Any,
    libvirt_conn: Any,
    monkeypatch: pytest.MonkeyPatch,
    private_engine: PrivateEngine,
) -> None:
    monkeypatch.setenv("DOCKER_HOST", private_engine.endpoint)
    stopped: list[float] = []
    stopper: list[threading.Thread] = []
    vm_began: list[float] = []

    def progress(event: ProgressEvent) -> None:
        if event.step == "measure memory of a running container" and not stopper:
            stopper.append(stop_engine_once_a_probe_container_runs(private_engine, stopped))
        if event.probe == "vm" and not vm_began:
            vm_began.append(time.monotonic())

    began = time.monotonic()
    report = run_probes(OTHER_PROBE.model_copy(update={"runs": 2}), progress)
    seconds = time.monotonic() - began
    for thread in stopper:
        thread.join(60)

    assert stopped, "no probe container was seen running before the probe ended"
    container = report.container
    assert container is not None and container.status is ProbeStatus.FAILED
    assert_one_sentence(container.reason, "stopped during the probe", private_engine.endpoint[7:])
    assert container.fix == start_fix(find_endpoint(), host_kind())
    assert container.start_seconds is not None  # what was measured before the stop is kept
    assert vm_began[0] - stopped[0] <= STOPPED_ENGINE_SECONDS
    assert_vm_probe_still_ran(report)
    assert seconds <= FULL_RUN_SECONDS
    assert "probe-container-did-not-run" in caveat_rules(advise(report))

    # Started again, the engine holds what the interrupted run could not remove: whether
    # its own clean-up reached the engine while it was shutting down is a race.
    private_engine.start()
    restarted = private_engine.client()
    try:
        left = owned_containers(restarted, [os.getpid()])
        next_start = run_container_probe(ContainerSettings(runs=1))
        assert next_start.status is ProbeStatus.OK, next_start.reason
        if left:
            assert any(
                f"removed leftovers of an earlier run: {len(left)} container(s)" in note
                for note in next_start.notes
            ), next_start.notes
        assert owned_containers(restarted, [os.getpid()]) == []
        assert restarted.api.images(name="dvm-advisor-probe") == []
    finally:
        restarted.close()
    assert_nothing_left(docker_client, libvirt_conn, [os.getpid()])
