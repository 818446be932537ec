"""The smallest proof that the engine runs what the probe makes: import the sample image,
start a container from it, read its output, and remove both."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.probes.leftovers import PROBE_LABEL
from advisor.probes.sample_image import prepare_sample_image

pytestmark = pytest.mark.docker


def test_a_container_from_the_local_sample_image_starts_and_is_removed(docker_client: Any) -> None:
    image = prepare_sample_image(docker_client, timeout=30)
    api = docker_client.api
    container = None
    try:
        assert image.made_here and image.held_as is not None
        assert docker_client.images.get(image.held_as).labels[PROBE_LABEL] == "1"
        container = api.create_container(image.image_id, ["sh", "-c", "echo hello from busybox"])
        api.start(container)
        assert api.wait(container, timeout=30)["StatusCode"] == 0
        assert api.logs(container) == b"hello from busybox\n"
    finally:
        if container is not None:
            api.remove_container(container, force=True)
        api.remove_image(image.held_as)
    assert not api.containers(all=True, filters={"id": container["Id"]})
    # Only this run's tag is gone: a probe running beside this test may hold the image too.
    assert image.held_as not in {
        tag
        for summary in api.images(name=image.tag.partition(":")[0])
        for tag in summary["RepoTags"]
    }
