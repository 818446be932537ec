"""The container probe on Podman's Docker-compatible service as root, for real: the sample
found however Podman names it, the engine called Podman and rootful, the confinement read
inside the container, and a leftover under Podman's qualified name swept. The same probe as
the ordinary user, on rootless Podman and rootless Docker, is in
tests/integration/unprivileged/test_engines_as_user.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport, ProbeSettings
from advisor.probes.sample_image import (
    IMAGE_CHANGES,
    SAMPLE_REPOSITORY,
    build_rootfs_tar,
    find_static_busybox,
)
from advisor.probes.suite import run_probes
from tests.integration.conftest import daemon_missing
from tests.integration.engine_checks import assert_engine_left_nothing, assert_measured_truly
from tests.integration.engines import Engine, root_podman, short_folder

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def podman() -> Iterator[Engine]:
    """Podman's service as root, on a socket and storage of this module's own."""
    if os.geteuid() != 0:
        daemon_missing("Podman's service as root needs root")
    folder = short_folder()
    try:
        with root_podman(folder) as engine:
            yield engine
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def leave_a_sample_the_old_way(client: Any) -> str:
    """A labelled sample imported with the tag apart from the repository, as a run before
    this fix did: Podman drops the tag and keeps `docker.io/library/…:latest`."""
    busybox = find_static_busybox()
    assert busybox is not None
    client.api.import_image_from_data(
        build_rootfs_tar(busybox.read_bytes()),
        repository=SAMPLE_REPOSITORY,
        tag="from-a-failed-run",
        changes=list(IMAGE_CHANGES),
    )
    tags = [tag for image in client.api.images() for tag in image.get("RepoTags") or []]
    qualified = [tag for tag in tags if SAMPLE_REPOSITORY in tag]
    assert qualified and not any(tag.startswith(f"{SAMPLE_REPOSITORY}:") for tag in qualified)
    return qualified[0]


def test_the_probe_runs_on_root_podman_names_it_and_sweeps_its_qualified_leftover(
    podman: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", podman.address)
    client = podman.client()
    try:
        left = leave_a_sample_the_old_way(client)

        report: ProbeReport = run_probes(ProbeSettings(only="container", runs=2))

        version = client.version()
        docker = report.host.docker
        assert docker.answers and docker.endpoint == podman.address
        assert docker.engine == "Podman" and docker.found_by == "DOCKER_HOST"
        assert docker.version == next(
            c["Version"] for c in version["Components"] if c["Name"] == "Podman Engine"
        )
        assert docker.rootless is False and docker.root_equivalent is True
        assert docker.root_warning is not None and "as root" in docker.root_warning
        container = report.container
        assert container is not None and container.status is ProbeStatus.OK, container.reason
        assert_measured_truly(container, rootless=False)
        assert any("1 image(s)" in note for note in container.notes), (left, container.notes)
        assert_engine_left_nothing(client)
    finally:
        client.close()
