"""The ordinary user's container probe on the engines of their own, for real: rootless Docker
and rootless Podman, each on the socket it makes in the user's runtime folder, found there by
the probe with no DOCKER_HOST; the engine named, rootless, not root-equivalent; limits the
engine cannot enforce on this host said not to be, and memory not taken from its host-wide
statistics; nothing left in the engine."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.answers import load_answers
from advisor.engine import advise
from advisor.facts import facts_from_probe_report
from advisor.grounding import check_claims
from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport
from advisor.probes.sample_image import prepare_sample_image
from advisor.report.probe_view import probe_section
from tests.integration.engine_checks import assert_engine_left_nothing, assert_measured_truly
from tests.integration.engines import Engine, user_podman, user_rootless_docker
from tests.integration.faults.checks import EXAMPLE_ANSWERS, assert_plain_words
from tests.integration.unprivileged.checks import probe_as
from tests.integration.unprivileged.workstation import WorkstationUser

pytestmark = pytest.mark.docker

# A process limit low enough that the container's own shell meets it, were it enforced.
LOW_PIDS_LIMIT = 8
BACKGROUND_SLEEPS = 16


@pytest.fixture
def engine_folder(fresh_login: WorkstationUser) -> Iterator[Path]:
    folder = fresh_login.scratch()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def rootless_docker(fresh_login: WorkstationUser, engine_folder: Path) -> Iterator[Engine]:
    with user_rootless_docker(fresh_login, engine_folder) as engine:
        yield engine


@pytest.fixture
def rootless_podman(fresh_login: WorkstationUser, engine_folder: Path) -> Iterator[Engine]:
    with user_podman(fresh_login, engine_folder) as engine:
        yield engine


def assert_a_rootless_engine_measured_truly(
    report: ProbeReport, engine: Engine, found_by: str
) -> None:
    docker = report.host.docker
    assert docker.answers and docker.endpoint == engine.address, docker
    assert docker.found_by == found_by
    assert docker.engine == engine.name
    assert docker.rootless is True and docker.root_equivalent is False
    assert docker.root_warning is None
    container = report.container
    assert container is not None and container.status is ProbeStatus.OK, container.reason
    assert_measured_truly(container, rootless=True)
    assert_plain_words(report)
    rows = {row.label: row.value for row in probe_section(report).outcomes}
    seen = container.confinement
    assert seen is not None
    if not seen.memory_limit_enforced:
        assert "(not enforced by this engine)" in rows["Container hardening"]
        # No claim is judged on the host's memory taken for the container's.
        checks = check_claims(facts_from_probe_report(report))
        memory = [check for check in checks if check.aspect.startswith("memory")]
        assert memory and all(check.verdict == "not_measured" for check in memory)
    if not seen.pids_limit_enforced:
        # Said not enforced, and truly not: a container held to a few processes starts more.
        assert processes_started_under(engine, LOW_PIDS_LIMIT) > LOW_PIDS_LIMIT
    caveats = advise(load_answers(EXAMPLE_ANSWERS), report).caveats
    assert "probe-docker-group-is-root" not in {caveat.rule_id for caveat in caveats}
    client = engine.client()
    try:
        assert_engine_left_nothing(client)
    finally:
        client.close()


def processes_started_under(engine: Engine, limit: int) -> int:
    """How many background processes a container asked to hold `limit` could start: what
    the kernel really enforces, whatever the engine reports."""
    client = engine.client()
    try:
        image = prepare_sample_image(client, timeout=30)
        # The processes the container's shell sees once it has started the sleeps.
        sleeps = " ".join(str(n) for n in range(BACKGROUND_SLEEPS))
        script = f'for i in {sleeps}; do sleep 5 & done; set -- /proc/[0-9]*; echo "started=$#"'

        output = client.containers.run(
            image.image_id,
            ["sh", "-c", script],
            pids_limit=limit,
            network_mode="none",
            remove=True,
            stderr=True,
        ).decode()
        client.api.remove_image(image.image_id)
    finally:
        client.close()
    return int(output.rsplit("started=", 1)[1].split()[0])


def test_the_users_probe_finds_rootless_docker_in_the_runtime_folder_and_says_what_it_enforces(
    fresh_login: WorkstationUser, rootless_docker: Engine
) -> None:
    report, _ = probe_as(fresh_login, "--only", "container", "--runs", "2")

    assert_a_rootless_engine_measured_truly(report, rootless_docker, "the rootless Docker socket")


def test_the_users_probe_finds_rootless_podman_when_no_docker_socket_is_theirs(
    fresh_login: WorkstationUser, rootless_podman: Engine
) -> None:
    # Without the docker group the root engine's socket is closed to the user: the probe
    # goes on to the user's own Podman.
    assert rootless_podman.runtime_dir is not None
    report, _ = probe_as(
        fresh_login,
        "--only",
        "container",
        "--runs",
        "2",
        extra_env={"XDG_RUNTIME_DIR": str(rootless_podman.runtime_dir)},
        groups=["kvm", "libvirt"],
    )

    assert_a_rootless_engine_measured_truly(report, rootless_podman, "the user's Podman socket")
