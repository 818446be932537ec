"""Whether the container engine answers, what it is, and what reaching its socket means.

The engine is named from its own /version (Docker Engine, Docker Desktop, Podman); it is
rootless when any place engines report it says so: Podman's `Rootless` in /info, Docker's
`name=rootless` security option, or a socket owned by an ordinary user (the engine made it
as that user). Only a rootful engine makes its socket as good as root.
"""

from __future__ import annotations

import os
import stat

from advisor.base.i18n import _
from advisor.probes.control import CancelToken, ProbeCancelled
from advisor.probes.deadline import Deadline
from advisor.probes.docker_engine import connect, docker_endpoint, explain_engine_error
from advisor.probes.engine_endpoint import find_endpoint
from advisor.probes.engine_fixes import host_kind, permission_fix
from advisor.probes.engine_guard import EngineBudget
from advisor.probes.engine_replies import InfoReply, VersionReply, parse_reply
from advisor.probes.errors import ProbeError, ProbeUnavailable
from advisor.probes.host_kvm import dac_access
from advisor.probes.host_models import DockerFacts
from advisor.probes.host_system import group_name, stat_or_none


def gather_docker_facts(timeout: float, cancel: CancelToken | None = None) -> DockerFacts:
    """Whether the Docker engine answers, its version and storage, and what access it grants.

    All of it, every read of the engine together, takes at most `timeout` seconds.
    """
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
    # A socket that refuses this user belongs, as far as the user can tell, to a rootful
    # engine when root owns it and to a rootless one otherwise; one that does not answer as
    # the Docker API may be anything at all.
    root_socket = socket_stat is not None and socket_stat.st_uid == 0
    unreached = _unreached(endpoint, source).model_copy(
        update={
            "user_reaches_socket": (access_via is not None) if path else None,
            "access_via": access_via,
            "found_by": found.found_by,
        }
    )
    try:
        client = connect(timeout, EngineBudget(Deadline(timeout), cancel))
    except ProbeUnavailable as error:
        refused = socket_stat is not None and error.fix == permission_fix(host_kind())
        return unreached.model_copy(
            update={
                "reason": error.reason,
                "fix": error.fix,
                "root_equivalent": root_socket if refused else None,
                "root_warning": warning if refused and root_socket else None,
            }
        )
    try:
        version = parse_reply(VersionReply, client.version(), "GET /version")
        info = parse_reply(InfoReply, client.info(), "GET /info")
    except ProbeCancelled:
        raise
    except ProbeError as error:
        return unreached.model_copy(update={"reason": error.reason, "fix": error.fix})
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
        api_version=version.api_version,
        storage_driver=info.driver,
        cgroup_version=info.cgroup_version,
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


def engine_identity(version: VersionReply) -> tuple[str, str | None]:
    """The engine's name and version from its /version answer.

    Podman names its component "Podman Engine"; Docker Desktop names the platform after
    itself; any other engine speaking this API is taken as Docker Engine.
    """
    for component in version.components or []:
        if component.name.startswith("Podman"):
            return "Podman", component.version or version.version
    platform = version.platform.name if version.platform else ""
    engine = "Docker Desktop" if "Docker Desktop" in platform else "Docker Engine"
    return engine, version.version


def engine_is_rootless(info: InfoReply, socket_stat: os.stat_result | None) -> bool:
    """Whether the engine runs without root, from every place engines report it."""
    if info.rootless is True:  # Podman
        return True
    if any("name=rootless" in option for option in info.security_options or []):
        return True
    # An engine makes its socket as the user it runs as.
    return socket_stat is not None and socket_stat.st_uid != 0


def unasked_docker_facts() -> DockerFacts:
    """The Docker facts of a run that does not touch the engine (the VM probe alone)."""
    unasked = _unreached(docker_endpoint(), "not asked: the run probed the VM only")
    return unasked.model_copy(update={"asked": False})


def _unreached(endpoint: str, source: str) -> DockerFacts:
    """Facts of an engine that gave no answer: nothing known but where it is."""
    return DockerFacts(
        answers=False,
        endpoint=endpoint,
        version=None,
        api_version=None,
        storage_driver=None,
        cgroup_version=None,
        rootless=None,
        user_reaches_socket=None,
        access_via=None,
        root_equivalent=None,
        reason=None,
        fix=None,
        source=source,
    )


def docker_root_warning(
    endpoint: str,
    path: str | None,
    socket_stat: os.stat_result | None,
    access_via: str | None = None,
) -> str:
    """The plain statement that reaching a rootful engine is as good as being root here,
    worded for how this user reaches its socket (as root, as its owner, through its group,
    as everyone may)."""
    consequence = _(
        "equivalent to root on this host: whoever can reach the socket can start a container "
        "that mounts the host's root file system"
    )
    if path is None or socket_stat is None:
        return _("Access to the Docker engine at {place} is {consequence}.").format(
            place=endpoint, consequence=consequence
        )
    group = group_name(socket_stat.st_gid)
    group_may = group != "root" and (stat.S_IMODE(socket_stat.st_mode) >> 3) & 0o6
    if access_via == "root":
        if group_may:
            return _(
                "This run reaches {path} as root; members of the '{group}' group reach it too; "
                "access to it is {consequence}."
            ).format(path=path, group=group, consequence=consequence)
        return _("This run reaches {path} as root; access to it is {consequence}.").format(
            path=path, consequence=consequence
        )
    if access_via == "owner":
        return _("Access to {path}, which this user owns, is {consequence}.").format(
            path=path, consequence=consequence
        )
    if access_via == "permissions for everyone":
        return _("Access to {path}, open to every user of this host, is {consequence}.").format(
            path=path, consequence=consequence
        )
    if group_may:
        return _(
            "Membership of the '{group}' group (which may use {path}) is {consequence}."
        ).format(group=group, path=path, consequence=consequence)
    return _("Access to {path} is {consequence}.").format(path=path, consequence=consequence)
