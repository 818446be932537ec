"""The Docker engine's replies the probes read, as typed models checked before use.

An engine that answers with other types (a list for `/info`, a number for a version) is
named as not speaking the Docker API, with the call and the endpoint, never a Python error.
Every reply is read through these models and nowhere else, so a Python error met after
them is a fault of the probe's own, never taken for the engine's. Fields the probes do
not read are ignored: engines add fields with every release.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.probes.docker_engine import EngineNotDockerApi, not_docker_api

ReplyT = TypeVar("ReplyT", bound="EngineReply")


class EngineReply(BaseModel):
    """A reply of the engine: its fields as the API names them; others ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


class VersionComponent(EngineReply):
    """One part of the engine in GET /version: "Engine", "Podman Engine", "containerd"."""

    name: str = Field(default="", alias="Name")
    version: str | None = Field(default=None, alias="Version")


class VersionPlatform(EngineReply):
    """What the engine calls its platform: "Docker Engine - Community", "Docker Desktop …"."""

    name: str = Field(default="", alias="Name")


class VersionReply(EngineReply):
    """GET /version."""

    version: str | None = Field(default=None, alias="Version")
    api_version: str | None = Field(default=None, alias="ApiVersion")
    components: list[VersionComponent] | None = Field(default=None, alias="Components")
    platform: VersionPlatform | None = Field(default=None, alias="Platform")


class InfoReply(EngineReply):
    """GET /info."""

    driver: str | None = Field(default=None, alias="Driver")
    cgroup_version: str | None = Field(default=None, alias="CgroupVersion")
    security_options: list[str] | None = Field(default=None, alias="SecurityOptions")
    rootless: bool | None = Field(default=None, alias="Rootless")  # Podman says it here


class CreatedReply(EngineReply):
    """POST /containers/create."""

    id: str = Field(alias="Id", min_length=1)


class WaitReply(EngineReply):
    """POST /containers/{id}/wait."""

    status_code: int = Field(alias="StatusCode")


class ContainerSummary(EngineReply):
    """One entry of GET /containers/json."""

    id: str = Field(alias="Id", min_length=1)
    names: list[str] | None = Field(default=None, alias="Names")
    labels: dict[str, str] | None = Field(default=None, alias="Labels")


class ImageSummary(EngineReply):
    """One entry of GET /images/json."""

    id: str = Field(alias="Id", min_length=1)
    repo_tags: list[str] | None = Field(default=None, alias="RepoTags")
    labels: dict[str, str] | None = Field(default=None, alias="Labels")


class InspectHostConfig(EngineReply):
    """The confinement in GET /containers/{id}/json, as the engine applied it."""

    network_mode: str | None = Field(default=None, alias="NetworkMode")
    readonly_rootfs: bool | None = Field(default=None, alias="ReadonlyRootfs")
    cap_drop: list[str] | None = Field(default=None, alias="CapDrop")
    security_opt: list[str] | None = Field(default=None, alias="SecurityOpt")
    memory: int | None = Field(default=None, alias="Memory")
    pids_limit: int | None = Field(default=None, alias="PidsLimit")


class InspectConfig(EngineReply):
    """The container's own configuration in GET /containers/{id}/json."""

    user: str | None = Field(default=None, alias="User")


class InspectReply(EngineReply):
    """GET /containers/{id}/json."""

    host_config: InspectHostConfig | None = Field(default=None, alias="HostConfig")
    config: InspectConfig | None = Field(default=None, alias="Config")


class MemoryDetails(EngineReply):
    """The cgroup's memory counters in a stats reply (v1 and v2 name them differently)."""

    total_inactive_file: int | None = None
    inactive_file: int | None = None


class MemoryStats(EngineReply):
    """The memory part of a stats reply."""

    usage: int | None = None
    stats: MemoryDetails | None = None


class StatsReply(EngineReply):
    """One reading of GET /containers/{id}/stats."""

    memory_stats: MemoryStats | None = None


class ImageInspect(EngineReply):
    """GET /images/{name}/json."""

    id: str = Field(alias="Id", min_length=1)
    size: int | None = Field(default=None, alias="Size")


def parse_reply(model: type[ReplyT], data: Any, call: str) -> ReplyT:
    """`data` as `model`; raises EngineNotDockerApi naming `call` when it is not one."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise EngineNotDockerApi(*not_docker_api(call)) from error


def parse_replies(model: type[ReplyT], data: Any, call: str) -> list[ReplyT]:
    """A list reply, each entry as `model`."""
    if not isinstance(data, list):
        raise EngineNotDockerApi(*not_docker_api(call))
    return [parse_reply(model, entry, call) for entry in data]
