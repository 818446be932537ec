"""Where the container engine is: the address the probe talks to, and how it was found.

The order is the one users expect from their own tools: DOCKER_HOST, then the current
Docker context (as the docker command chooses it), then the sockets engines make by
default: rootless Docker's in the user's runtime folder, the root engine's, and Podman's
Docker-compatible service, the user's then root's. Of those sockets the first this user may
connect to is taken; when none is, the first that exists, so that the refusal names it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from advisor.base.i18n import _

ROOT_DOCKER_SOCKET = "/var/run/docker.sock"
ROOT_PODMAN_SOCKET = "/run/podman/podman.sock"
DEFAULT_DOCKER_HOST = f"unix://{ROOT_DOCKER_SOCKET}"

# What the address is known to be before the engine answers: it chooses the fix offered.
SocketKind = Literal["docker", "rootless-docker", "podman", "rootless-podman", "named"]


@dataclass(frozen=True)
class Endpoint:
    """An engine's address and how the probe came to it."""

    address: str  # unix:///…, tcp://…, ssh://…
    kind: SocketKind
    found_by: str  # "DOCKER_HOST", "Docker context 'x'", "the rootless Docker socket", …

    @property
    def socket_path(self) -> str | None:
        """The file system path of a unix-socket address, or None for other transports."""
        return socket_path(self.address)

    @property
    def named_by_user(self) -> bool:
        """Whether the user chose it (DOCKER_HOST or a context) rather than a default."""
        return self.kind == "named"


def socket_path(address: str) -> str | None:
    """The file system path of a unix-socket address, or None for other transports."""
    for prefix in ("unix://", "npipe://"):
        if address.startswith(prefix):
            return address[len(prefix) :] or None
    return None


def runtime_dir() -> Path:
    """The user's runtime folder, where user engines put their sockets."""
    return Path(os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.geteuid()}")


def default_sockets() -> tuple[Endpoint, ...]:
    """The sockets engines make by default, in the order they are tried."""
    user = runtime_dir()
    return (
        Endpoint(f"unix://{user / 'docker.sock'}", "rootless-docker", "the rootless Docker socket"),
        Endpoint(DEFAULT_DOCKER_HOST, "docker", "the Docker engine's socket"),
        Endpoint(
            f"unix://{user / 'podman' / 'podman.sock'}",
            "rootless-podman",
            "the user's Podman socket",
        ),
        Endpoint(f"unix://{ROOT_PODMAN_SOCKET}", "podman", "root's Podman socket"),
    )


def find_endpoint() -> Endpoint:
    """The engine the probe talks to (see the module's docstring for the order)."""
    named = os.environ.get("DOCKER_HOST")
    if named:
        return Endpoint(named, "named", "DOCKER_HOST")
    context = current_context()
    if context is not None:
        return context
    candidates = default_sockets()
    present = [c for c in candidates if c.socket_path and os.path.exists(c.socket_path)]
    usable = [c for c in present if os.access(c.socket_path or "", os.R_OK | os.W_OK)]
    return (usable or present or [candidates[1]])[0]


def docker_config_dir() -> Path:
    """Where the docker command keeps its configuration and contexts."""
    return Path(os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker")


def current_context(config_dir: Path | None = None) -> Endpoint | None:
    """The engine of the current Docker context, unless it is the default one.

    DOCKER_CONTEXT overrides the context chosen in config.json, as it does for the docker
    command; a context whose metadata cannot be read is passed over.
    """
    folder = config_dir or docker_config_dir()
    name = os.environ.get("DOCKER_CONTEXT") or _chosen_context(folder / "config.json")
    if not name or name == "default":
        return None
    meta = folder / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest() / "meta.json"
    try:
        endpoints = json.loads(meta.read_text(encoding="utf-8")).get("Endpoints") or {}
        host = (endpoints.get("docker") or {}).get("Host")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(host, str) or not host:
        return None
    return Endpoint(host, "named", _("Docker context '{name}'").format(name=name))


def _chosen_context(config: Path) -> str | None:
    try:
        chosen = json.loads(config.read_text(encoding="utf-8")).get("currentContext")
    except (OSError, ValueError, AttributeError):
        return None
    return chosen if isinstance(chosen, str) else None
