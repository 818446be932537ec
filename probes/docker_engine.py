"""Reaching the Docker engine, and saying in one sentence why it could not be reached."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import requests

from advisor.probes.errors import ProbeUnavailable

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"
INSTALL_FIX = (
    "install the Docker engine and start it: "
    "sudo apt-get install docker.io && sudo systemctl start docker"
)
START_FIX = "start the Docker engine: sudo systemctl start docker"
CHECK_FIX = "check the engine: sudo systemctl status docker, then run the probe again"
PERMISSION_FIX = (
    "ask an administrator to add you to the 'docker' group (sudo usermod -aG docker $USER, "
    "then log in again; note that this group is equivalent to root), or set up rootless "
    "Docker (dockerd-rootless-setuptool.sh install)"
)


def docker_endpoint() -> str:
    """The address the Docker SDK connects to: DOCKER_HOST, or the default socket."""
    return os.environ.get("DOCKER_HOST") or DEFAULT_DOCKER_HOST


def socket_path(endpoint: str) -> str | None:
    """The file system path of a unix-socket endpoint, or None for other transports."""
    for prefix in ("unix://", "npipe://"):
        if endpoint.startswith(prefix):
            return endpoint[len(prefix) :] or None
    return None


def connect(timeout: float) -> Any:
    """A docker SDK client that has answered a ping; every call it makes has `timeout`.

    Raises ProbeUnavailable with the reason and the fix when the engine cannot be reached.
    """
    import docker

    try:
        client = docker.from_env(timeout=timeout)
    except (docker.errors.DockerException, requests.RequestException) as error:
        raise ProbeUnavailable(*explain_engine_error(error, timeout)) from error
    try:
        client.ping()
    except (docker.errors.DockerException, requests.RequestException) as error:
        client.close()
        raise ProbeUnavailable(*explain_engine_error(error, timeout)) from error
    return client


def explain_engine_error(
    error: BaseException, timeout: float, reached_before: bool = False
) -> tuple[str, str]:
    """The reason and fix for an error met while reaching the engine.

    `reached_before`: the engine had answered earlier in this probe, so a socket that is
    gone or refuses now means the engine stopped, not that it was never there.
    """
    endpoint = docker_endpoint()
    where = socket_path(endpoint) or endpoint
    for cause in _causes(error):
        if isinstance(cause, PermissionError):
            return f"permission denied on the Docker engine socket {where}", PERMISSION_FIX
        if isinstance(cause, FileNotFoundError | ConnectionRefusedError) and reached_before:
            return f"the Docker engine at {where} stopped during the probe", START_FIX
        if isinstance(cause, FileNotFoundError):
            return f"no Docker engine socket at {where}", _elsewhere(INSTALL_FIX, endpoint)
        if isinstance(cause, ConnectionRefusedError):
            return (
                f"the Docker engine is not running (connection refused at {where})",
                _elsewhere(START_FIX, endpoint),
            )
        if isinstance(cause, requests.Timeout | socket.timeout | TimeoutError):
            return f"the Docker engine at {where} did not answer within {timeout:g} s", CHECK_FIX
    if reached_before and any(
        isinstance(cause, requests.ConnectionError | ConnectionError) for cause in _causes(error)
    ):
        return f"the Docker engine at {where} stopped during the probe", START_FIX
    return f"the Docker engine at {where} {_refusal(error)}", CHECK_FIX


def _elsewhere(fix: str, endpoint: str) -> str:
    """A fix, plus a word on DOCKER_HOST when it points somewhere other than the default."""
    if endpoint == DEFAULT_DOCKER_HOST:
        return fix
    return f"{fix}; or, as DOCKER_HOST points at {endpoint}, point it at a running engine"


def _refusal(error: BaseException) -> str:
    """What the engine said when it refused a call, in its own words where it gave them."""
    for cause in _causes(error):
        explanation = getattr(cause, "explanation", None)
        if explanation:
            said = str(explanation).strip().splitlines()[0]
            return f"refused a call of the probe, saying: {said}"
    return "answered in a way the probe does not understand"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, its chained causes and the exceptions wrapped in its arguments."""
    pending = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        pending.extend(
            linked for linked in (current.__cause__, current.__context__) if linked is not None
        )
