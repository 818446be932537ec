"""The container probe against the real engine: plausible measurements, the hardening of a
running probe container seen from the engine and from the kernel, cancellation, leftovers
swept, and nothing of the probe's own left behind."""

from __future__ import annotations

import platform
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.container import run_container_probe
from advisor.probes.container_plan import (
    ContainerSettings,
    hardening_from_inspect,
    plan_container_probe,
)
from advisor.probes.control import CancelToken, ProgressEvent
from advisor.probes.leftovers import (
    OWNER_LABEL,
    PROBE_LABEL,
    PROBE_LABEL_FILTER,
)
from advisor.probes.leftovers import PROBE_NAME_PREFIX as NAME_PREFIX
from advisor.probes.models import ProbeStatus
from advisor.probes.results import ContainerResult
from advisor.probes.sample_image import SAMPLE_REPOSITORY, prepare_sample_image

pytestmark = pytest.mark.docker


def probe_containers(client: Any) -> list[dict[str, Any]]:
    """Every container labelled as the probe's or named with its prefix."""
    labelled = client.api.containers(all=True, filters={"label": PROBE_LABEL_FILTER})
    named = client.api.containers(all=True, filters={"name": NAME_PREFIX})
    return list({c["Id"]: c for c in labelled + named}.values())


def probe_images(client: Any) -> list[str]:
    """Every image tag of the probe's sample repository."""
    return [
        tag
        for image in client.api.images()
        for tag in image.get("RepoTags") or []
        if tag.startswith(f"{SAMPLE_REPOSITORY}:")
    ]


@pytest.fixture
def engine(docker_client: Any) -> Iterator[Any]:
    """The live engine, checked to hold nothing of the probe's before and after each test."""
    assert probe_containers(docker_client) == [], "a probe container was left before this test"
    yield docker_client
    assert probe_containers(docker_client) == []
    assert probe_images(docker_client) == []


@pytest.fixture(scope="module")
def measured(docker_client: Any) -> ContainerResult:
    """One default probe run, shared by the tests that read its measurements."""
    return run_container_probe(ContainerSettings())


def test_the_default_probe_measures_plausible_figures(
    engine: Any, measured: ContainerResult
) -> None:
    assert measured.status is ProbeStatus.OK, measured.reason
    assert measured.runs == 5
    assert measured.engine_version == engine.version()["Version"]
    assert measured.image_tag is not None and measured.image_tag.startswith(SAMPLE_REPOSITORY)
    assert measured.image_bytes is not None and 100_000 <= measured.image_bytes <= 10_000_000
    for figure in ("create_to_start_seconds", "start_to_output_seconds", "start_seconds"):
        stats = getattr(measured, figure)
        assert stats is not None and stats.runs == 5, figure
        assert stats.min <= stats.median <= stats.max, figure
    assert measured.start_seconds is not None and 0.01 <= measured.start_seconds.median <= 5
    assert measured.total_seconds is not None
    assert measured.total_seconds.median >= measured.start_seconds.median
    assert measured.memory_bytes is not None
    assert 50_000 <= measured.memory_bytes.median <= 64 * 1024 * 1024
    assert measured.native_workload_seconds is not None
    assert measured.native_workload_seconds.runs == 5
    assert measured.cpu_ratio is not None and 0.3 <= measured.cpu_ratio <= 5
    assert measured.hardening == plan_container_probe(ContainerSettings()).hardening
    # A container runs on the host's own kernel (CT-3): it reports the host's release.
    assert measured.kernel_release == platform.release()
    assert measured.wall_seconds < 60


def _kernel_view(status_file: Path) -> dict[str, str]:
    fields = {}
    for line in status_file.read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def test_a_running_probe_container_is_hardened(engine: Any) -> None:
    """Catch the container kept alive for memory readings and look at it while it runs: as
    the engine reports it, and where the confinement takes effect, in the kernel."""
    settings = ContainerSettings(runs=1, memory_samples=3)
    outcome: list[ContainerResult] = []
    probe = threading.Thread(target=lambda: outcome.append(run_container_probe(settings)))
    probe.start()
    seen: list[tuple[dict[str, Any], dict[str, str], list[str], str]] = []
    ends = time.monotonic() + 30
    while not seen and time.monotonic() < ends and probe.is_alive():
        found = engine.api.containers(filters={"label": PROBE_LABEL_FILTER, "status": "running"})
        if found and "sleep" in found[0]["Command"]:
            running = engine.api.inspect_container(found[0]["Id"])
            proc = Path(f"/proc/{running['State']['Pid']}")
            seen.append(
                (
                    running,
                    _kernel_view(proc / "status"),
                    (proc / "mountinfo").read_text().splitlines(),
                    (proc / "net" / "dev").read_text(),
                )
            )
        else:
            time.sleep(0.01)
    probe.join(60)
    assert seen, "never saw a running probe container"
    running, status, mounts, network = seen[0]
    host_config, config = running["HostConfig"], running["Config"]
    assert host_config["NetworkMode"] == "none"
    assert host_config["ReadonlyRootfs"] is True
    assert host_config["CapDrop"] == ["ALL"]
    assert host_config["SecurityOpt"] == ["no-new-privileges"]
    assert config["User"] == "65534:65534"
    assert host_config["Memory"] == settings.memory_limit_bytes
    assert host_config["PidsLimit"] == settings.pids_limit
    assert config["Labels"][PROBE_LABEL] == "1"
    assert config["Labels"][OWNER_LABEL].startswith(socket.gethostname() + "/")
    assert running["Name"].lstrip("/").startswith(NAME_PREFIX)
    # The kernel's view of the container's process.
    assert status["Uid"].split()[:2] == ["65534", "65534"]
    assert int(status["CapEff"], 16) == 0
    assert status["NoNewPrivs"] == "1"
    root = next(line for line in mounts if line.split()[4] == "/")
    assert "ro" in root.split()[5].split(",")
    assert [line.split(":")[0].strip() for line in network.splitlines()[2:]] == ["lo"]
    assert outcome and outcome[0].status is ProbeStatus.OK, outcome
    assert outcome[0].hardening == hardening_from_inspect(running)


def test_cancelling_stops_the_probe_and_cleans_up(engine: Any) -> None:
    token = CancelToken()

    def cancel_at_second_run(event: ProgressEvent) -> None:
        if event.step == "start run 2 of 5":
            token.cancel()

    result = run_container_probe(ContainerSettings(), progress=cancel_at_second_run, cancel=token)
    assert result.status is ProbeStatus.CANCELLED
    assert result.start_seconds is not None and result.start_seconds.runs == 1


def test_leftovers_of_a_killed_run_are_swept_and_live_ones_spared(engine: Any) -> None:
    image = prepare_sample_image(engine, timeout=30)
    dead = engine.api.create_container(
        image.image_id,
        ["true"],
        name=f"{NAME_PREFIX}killed-run",
        labels={PROBE_LABEL: "1", OWNER_LABEL: f"{socket.gethostname()}/999999999"},
    )
    live = engine.api.create_container(
        image.image_id,
        ["true"],
        labels={PROBE_LABEL: "1", OWNER_LABEL: f"{socket.gethostname()}/1"},
    )
    try:
        result = run_container_probe(ContainerSettings(runs=1))
        remaining = {c["Id"] for c in probe_containers(engine)}
        assert result.status is ProbeStatus.OK, result.reason
        assert dead["Id"] not in remaining
        assert live["Id"] in remaining
        assert any("leftovers" in note for note in result.notes)
    finally:
        engine.api.remove_container(live["Id"], force=True)
        engine.api.remove_image(image.held_as)


def test_a_named_image_is_used_and_kept(engine: Any) -> None:
    sample = prepare_sample_image(engine, timeout=30)
    named = "dvm-advisor-test-named:1"
    engine.api.tag(sample.image_id, "dvm-advisor-test-named", "1")
    engine.api.remove_image(sample.held_as)
    try:
        result = run_container_probe(ContainerSettings(runs=1, image=named))
        assert result.status is ProbeStatus.OK, result.reason
        assert result.image_origin == "named" and result.image_tag == named
        assert engine.images.get(named).id == sample.image_id
    finally:
        engine.api.remove_image(named)


def test_a_named_image_that_is_absent_is_unavailable_not_pulled(engine: Any) -> None:
    result = run_container_probe(ContainerSettings(runs=1, image="dvm-advisor-absent:never"))
    assert result.status is ProbeStatus.UNAVAILABLE
    assert result.reason is not None and "never pulls" in result.reason
