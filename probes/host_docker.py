"""Whether the container engine answers, what it is, and what reaching its socket means.

The engine is named from its own /version (Docker Engine, Docker Desktop, Podman); it is
rootless when any place engines report it says so: Podman's `Rootless` in /info, Docker's
`name=rootless` security option, or a socket owned by an ordinary user (the engine made it
as that user). Only a rootful engine makes its socket as good as root.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from advisor.probes.docker_engine import connect, explain_engine_error
from advisor.probes.engine_endpoint import find_endpoint
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.host_kvm import dac_access
from advisor.probes.host_models import DockerFacts
from advisor.probes.host_system import group_name, stat_or_none


def gather_docker_facts(timeout: float) -> DockerFacts:
    """Whether the Docker engine answers, its version and storage, and what access it grants."""
    found = find_endpoint()
    endpoint, path = found.address, found.socket_path
    socket_stat = stat_or_none(path) if path else None
    access_via = None
    if socket_stat is not None:
        access_via = dac_access(
            stat.S_IMODE(socket_stat.st_mode),
            socket_stat.st_uid,
            socket_stat.st_gid,
            os.geteuid(),
            frozenset([os.getegid(), *os.getgroups()]),
        )
    source = f"docker API /version and /info at {endpoint}"
    if path:
        source += f"; stat {path}"
    warning = docker_root_warning(endpoint, path, socket_stat, access_via)
    owned_by_root = socket_stat is not None and socket_stat.st_uid == 0
    unreached = DockerFacts(
        answers=False,
        endpoint=endpoint,
        version=None,
        api_version=None,
        storage_driver=None,
        cgroup_version=None,
        rootless=None,
        user_reaches_socket=(access_via is not None) if path else None,
        access_via=access_via,
        # A root-owned socket belongs to a rootful engine, another user's to a rootless one.
        root_equivalent=owned_by_root if socket_stat is not None else None,
        root_warning=warning if owned_by_root else None,
        reason=None,
        fix=None,
        source=source,
        found_by=found.found_by,
    )
    try:
        client = connect(timeout)
    except ProbeUnavailable as error:
        return unreached.model_copy(update={"reason": error.reason, "fix": error.fix})
    try:
        version = client.version()
        info = client.info()
    except Exception as error:  # the SDK raises its own and requests' errors alike
        reason, fix = explain_engine_error(error, timeout, endpoint=found)
        return unreached.model_copy(update={"reason": reason, "fix": fix})
    finally:
        client.close()
    rootless = engine_is_rootless(info, socket_stat)
    engine, engine_version = engine_identity(version)
    return DockerFacts(
        answers=True,
        endpoint=endpoint,
        version=engine_version,
        api_version=version.get("ApiVersion"),
        storage_driver=info.get("Driver"),
        cgroup_version=info.get("CgroupVersion"),
        rootless=rootless,
        user_reaches_socket=True,
        access_via=access_via,
        root_equivalent=not rootless,
        root_warning=None if rootless else warning,
        reason=None,
        fix=None,
        source=source,
        engine=engine,
        found_by=found.found_by,
    )


def engine_identity(version: dict[str, Any]) -> tuple[str, str | None]:
    """The engine's name and version from its /version answer.

    Podman names its component "Podman Engine"; Docker Desktop names the platform after
    itself; any other engine speaking this API is taken as Docker Engine.
    """
    components = [c for c in version.get("Components") or [] if isinstance(c, dict)]
    for component in components:
        if str(component.get("Name", "")).startswith("Podman"):
            return "Podman", str(component.get("Version") or version.get("Version") or "") or None
    platform = version.get("Platform") or {}
    platform_name = str(platform.get("Name", "")) if isinstance(platform, dict) else ""
    engine = "Docker Desktop" if "Docker Desktop" in platform_name else "Docker Engine"
    return engine, version.get("Version")


def engine_is_rootless(info: dict[str, Any], socket_stat: os.stat_result | None) -> bool:
    """Whether the engine runs without root, from every place engines report it."""
    if info.get("Rootless") is True:  # Podman
        return True
    if any("name=rootless" in str(option) for option in info.get("SecurityOptions") or []):
        return True
    # An engine makes its socket as the user it runs as.
    return socket_stat is not None and socket_stat.st_uid != 0


def docker_root_warning(
    endpoint: str,
    path: str | None,
    socket_stat: os.stat_result | None,
    access_via: str | None = None,
) -> str:
    """The plain statement that reaching a rootful engine is as good as being root here,
    worded for how this user reaches its socket (as root, as its owner, through its group,
    as everyone may)."""
    consequence = (
        "equivalent to root on this host: whoever can reach the socket can start a container "
        "that mounts the host's root file system"
    )
    if path is None or socket_stat is None:
        return f"Access to the Docker engine at {endpoint} is {consequence}."
    group = group_name(socket_stat.st_gid)
    group_may = group != "root" and (stat.S_IMODE(socket_stat.st_mode) >> 3) & 0o6
    if access_via == "root":
        others = f"; members of the '{group}' group reach it too" if group_may else ""
        return f"This run reaches {path} as root{others}; access to it is {consequence}."
    if access_via == "owner":
        return f"Access to {path}, which this user owns, is {consequence}."
    if access_via == "permissions for everyone":
        return f"Access to {path}, open to every user of this host, is {consequence}."
    if group_may:
        return f"Membership of the '{group}' group (which may use {path}) is {consequence}."
    return f"Access to {path} is {consequence}."
