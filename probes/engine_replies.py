"""The Docker engine's replies the probes read, as typed models checked before use.

An engine that answers with other types (a list for `/info`, a number for a version) is
named as not speaking the Docker API, with the call and the endpoint, never a Python error.
Fields the probes do not read are ignored: engines add fields with every release.
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
