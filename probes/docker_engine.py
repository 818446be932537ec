"""Reaching the Docker engine, and saying in one sentence why it could not be reached."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import requests

from advisor.probes.engine_endpoint import Endpoint, find_endpoint, socket_path
from advisor.probes.engine_fixes import (
    check_fix,
    host_kind,
    install_fix,
    permission_fix,
    start_fix,
)
from advisor.probes.errors import ProbeUnavailable

__all__ = ["connect", "docker_endpoint", "explain_engine_error", "socket_path"]


def docker_endpoint() -> str:
    """The address of the engine the probe talks to (probes/engine_endpoint.py)."""
    return find_endpoint().address


def connect(timeout: float) -> Any:
    """A docker SDK client that has answered a ping; every call it makes has `timeout`.

    Raises ProbeUnavailable with the reason and the fix when the engine cannot be reached.
    """
    import docker

    endpoint = find_endpoint()
    try:
        if endpoint.found_by == "DOCKER_HOST":  # with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH
            client = docker.from_env(timeout=timeout)
        else:
            client = docker.DockerClient(base_url=endpoint.address, timeout=timeout)
    except (docker.errors.DockerException, requests.RequestException) as error:
        raise ProbeUnavailable(*explain_engine_error(error, timeout, endpoint=endpoint)) from error
    try:
        client.ping()
    except (docker.errors.DockerException, requests.RequestException) as error:
        client.close()
        raise ProbeUnavailable(*explain_engine_error(error, timeout, endpoint=endpoint)) from error
    return client


def explain_engine_error(
    error: BaseException,
    timeout: float,
    reached_before: bool = False,
    endpoint: Endpoint | None = None,
) -> tuple[str, str]:
    """The reason and fix for an error met while reaching the engine at `endpoint` (by
    default, the one the probe finds now).

    `reached_before`: the engine had answered earlier in this probe, so a socket that is
    gone or refuses now means the engine stopped, not that it was never there.
    """
    endpoint = endpoint or find_endpoint()
    kind = host_kind()
    where = endpoint.socket_path or endpoint.address
    for cause in _causes(error):
        if isinstance(cause, PermissionError):
            return f"permission denied on the Docker engine socket {where}", permission_fix(kind)
        if isinstance(cause, FileNotFoundError | ConnectionRefusedError) and reached_before:
            return f"the Docker engine at {where} stopped during the probe", start_fix(
                endpoint, kind
            )
        if isinstance(cause, FileNotFoundError):
            return f"no Docker engine socket at {where}", install_fix(endpoint, kind)
        if isinstance(cause, ConnectionRefusedError):
            return (
                f"the Docker engine is not running (connection refused at {where})",
                start_fix(endpoint, kind),
            )
        if isinstance(cause, requests.Timeout | socket.timeout | TimeoutError):
            return (
                f"the Docker engine at {where} did not answer within {timeout:g} s",
                check_fix(endpoint, kind),
            )
    if reached_before and any(
        isinstance(cause, requests.ConnectionError | ConnectionError) for cause in _causes(error)
    ):
        return f"the Docker engine at {where} stopped during the probe", start_fix(endpoint, kind)
    return f"the Docker engine at {where} {_refusal(error)}", check_fix(endpoint, kind)


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
