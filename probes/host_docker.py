"""Whether the Docker engine answers, and what reaching its socket means on this host."""

from __future__ import annotations

import os
import stat

from advisor.probes.control import CancelToken, ProbeCancelled
from advisor.probes.deadline import Deadline
from advisor.probes.docker_engine import (
    PERMISSION_FIX,
    connect,
    docker_endpoint,
    explain_engine_error,
    socket_path,
)
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
    endpoint = docker_endpoint()
    path = socket_path(endpoint)
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
    warning = docker_root_warning(endpoint, path, socket_stat)
    # A root-owned socket that refuses this user belongs to a rootful engine as far as the
    # user can tell; one that does not answer as the Docker API may be anything at all.
    root_socket = socket_stat is not None and socket_stat.st_uid == 0
    unreached = _unreached(endpoint, source).model_copy(
        update={
            "user_reaches_socket": (access_via is not None) if path else None,
            "access_via": access_via,
        }
    )
    try:
        client = connect(timeout, EngineBudget(Deadline(timeout), cancel))
    except ProbeUnavailable as error:
        refused = root_socket and error.fix == PERMISSION_FIX
        return unreached.model_copy(
            update={
                "reason": error.reason,
                "fix": error.fix,
                "root_equivalent": True if refused else None,
                "root_warning": warning if refused else None,
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
        reason, fix = explain_engine_error(error, timeout)
        return unreached.model_copy(update={"reason": reason, "fix": fix})
    finally:
        client.close()
    rootless = any("name=rootless" in option for option in info.security_options or [])
    return DockerFacts(
        answers=True,
        endpoint=endpoint,
        version=version.version,
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
    )


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


def docker_root_warning(endpoint: str, path: str | None, socket_stat: os.stat_result | None) -> str:
    """The plain statement that reaching a rootful engine is as good as being root here."""
    consequence = (
        "equivalent to root on this host: whoever can reach the socket can start a container "
        "that mounts the host's root file system"
    )
    if path is None or socket_stat is None:
        return f"Access to the Docker engine at {endpoint} is {consequence}."
    group = group_name(socket_stat.st_gid)
    if group != "root" and (stat.S_IMODE(socket_stat.st_mode) >> 3) & 0o6:
        return f"Membership of the '{group}' group (which may use {path}) is {consequence}."
    return f"Access to {path} is {consequence}."
