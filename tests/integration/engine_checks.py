"""What every engine's probe run must show: figures that are the container's own, limits
either enforced or said not to be, and nothing of the probe left in the engine."""

from __future__ import annotations

from typing import Any

from advisor.probes.container_confinement import HOST_WIDE_MEMORY
from advisor.probes.container_plan import ContainerSettings
from advisor.probes.leftovers import PROBE_LABEL_FILTER, PROBE_NAME_PREFIX
from advisor.probes.results import ContainerResult

ASKED = ContainerSettings()


def assert_measured_truly(container: ContainerResult, rootless: bool) -> None:
    """The confinement as read inside; limits and memory true, or marked not enforced and
    not measured; no note that the engine's echo differs where the inside shows it right."""
    seen = container.confinement
    assert seen is not None, container.notes
    assert seen.capabilities_dropped and seen.no_new_privileges and seen.uid == 65534
    assert seen.asked_memory_limit_bytes == ASKED.memory_limit_bytes
    assert container.start_seconds is not None and container.cpu_ratio is not None
    assert not any("different confinement" in note for note in container.notes), container.notes
    if seen.memory_limit_enforced:
        assert container.memory_bytes is not None and container.memory_not_measured is None
        assert 10_000 <= container.memory_bytes.median <= ASKED.memory_limit_bytes
    else:
        assert container.memory_bytes is None
        assert container.memory_not_measured == HOST_WIDE_MEMORY
        assert any("does not enforce the memory limit" in note for note in container.notes)
    if not seen.pids_limit_enforced:
        assert any("process limit" in note for note in container.notes), container.notes
    if not rootless:  # a rootful engine on either cgroup version gives both limits
        assert seen.memory_limit_enforced and seen.pids_limit_enforced


def assert_engine_left_nothing(client: Any) -> None:
    """No probe container, and no image labelled as the probe's, whatever its name."""
    labelled = client.api.containers(all=True, filters={"label": PROBE_LABEL_FILTER})
    named = client.api.containers(all=True, filters={"name": PROBE_NAME_PREFIX})
    assert labelled == [] and named == []
    assert client.api.images(filters={"label": PROBE_LABEL_FILTER}) == []
