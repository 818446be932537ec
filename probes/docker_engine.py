"""Reaching the Docker engine, and saying in one sentence why it could not be reached."""

from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.parse
from collections.abc import Iterator
from typing import Any

import requests
from pydantic import ValidationError

from advisor.probes.control import ProbeCancelled
from advisor.probes.deadline import Deadline
from advisor.probes.engine_guard import (
    EngineBudget,
    EngineReplyTooLarge,
    EngineStalled,
    guarded_api_client,
)
from advisor.probes.errors import ProbeError, ProbeFailed, ProbeUnavailable

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


class EngineNotDockerApi(ProbeFailed):
    """The engine answered, but not as the Docker API does (a reply of the wrong shape)."""


def connect(timeout: float, budget: EngineBudget | None = None) -> Any:
    """A docker SDK client that has answered a ping; every call it makes has `timeout`,
    and all its reads keep to `budget` (by default, `timeout` from now in all), each reply
    capped in size (probes/engine_guard.py).

    Raises ProbeUnavailable with the reason and the fix when the engine cannot be reached,
    ProbeCancelled when the budget's cancel token was set meanwhile.
    """
    budget = budget or EngineBudget(Deadline(timeout))
    try:
        try:
            client = _guarded_client(timeout, budget)
        except ValueError as error:  # raised while parsing the address, before any call
            raise ProbeUnavailable(*_bad_address(error)) from error
        try:
            if client.ping() is not True:
                raise EngineNotDockerApi(*not_docker_api("GET /_ping"))
        except BaseException:
            client.close()
            raise
    except ProbeError:
        raise
    except Exception as error:  # the SDK's, requests' and the address parser's errors alike
        if _cancelled(error):
            raise ProbeCancelled from error
        raise ProbeUnavailable(*explain_engine_error(error, timeout)) from error
    return client


def _guarded_client(timeout: float, budget: EngineBudget) -> Any:
    import docker

    class Client(docker.DockerClient):  # type: ignore[misc]
        def __init__(self, api: Any) -> None:
            self.api = api

    arguments = docker.utils.kwargs_from_env()
    return Client(guarded_api_client(budget, timeout=timeout, version="auto", **arguments))


def _bad_address(error: ValueError) -> tuple[str, str]:
    return (
        f"DOCKER_HOST={docker_endpoint()} is not an address the Docker client can use ({error})",
        "set DOCKER_HOST to unix:///PATH/docker.sock or tcp://HOST:PORT, or unset it to use "
        "this machine's engine",
    )


def _cancelled(error: BaseException) -> bool:
    return any(isinstance(cause, ProbeCancelled) for cause in _causes(error))


def where_engine_is() -> str:
    """The engine as messages name it: its socket's path, or the address DOCKER_HOST gives."""
    endpoint = docker_endpoint()
    return socket_path(endpoint) or endpoint


def check_fix(endpoint: str | None = None) -> str:
    """What to check when the engine misbehaves, for where it is: this machine's service,
    or whatever DOCKER_HOST names."""
    endpoint = endpoint or docker_endpoint()
    if endpoint == DEFAULT_DOCKER_HOST:
        return CHECK_FIX
    return (
        f"check the Docker engine at {endpoint}, which DOCKER_HOST names, then run the probe "
        "again; or unset DOCKER_HOST to use this machine's engine"
    )


def not_docker_api(call: str) -> tuple[str, str]:
    """The reason and fix for a reply that is not what the Docker API answers to `call`."""
    endpoint = docker_endpoint()
    reason = (
        f"the engine at {where_engine_is()} answered something that is not the Docker API ({call})"
    )
    if endpoint == DEFAULT_DOCKER_HOST:
        return reason, (
            f"check that {where_engine_is()} is the Docker engine's socket: "
            "sudo systemctl status docker"
        )
    return reason, (
        f"point DOCKER_HOST at a Docker engine (it names {endpoint}), or unset it to use this "
        "machine's engine"
    )


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
        if isinstance(cause, ProbeError):
            return cause.reason, cause.fix or check_fix(endpoint)
        if isinstance(cause, EngineStalled):
            return (
                f"the Docker engine at {where} had not finished answering within the probe's "
                f"time ({cause})",
                check_fix(endpoint),
            )
        if isinstance(cause, EngineReplyTooLarge):
            return (
                f"the Docker engine at {where} sent a reply larger than the probe reads ({cause})",
                check_fix(endpoint),
            )
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
            return (
                f"the Docker engine at {where} did not answer within {timeout:g} s",
                check_fix(endpoint),
            )
        if isinstance(cause, _NOT_DOCKER_API):
            return not_docker_api(_call_of(error))
    if reached_before and any(
        isinstance(cause, requests.ConnectionError | ConnectionError) for cause in _causes(error)
    ):
        return f"the Docker engine at {where} stopped during the probe", START_FIX
    return f"the Docker engine at {where} {_refusal(error)}", check_fix(endpoint)


# What a reply that is not the Docker API's gives: no HTTP, not JSON, fields of other types.
_NOT_DOCKER_API = (
    http.client.HTTPException,
    json.JSONDecodeError,
    ValidationError,
    TypeError,
    KeyError,
    AttributeError,
)


def _call_of(error: BaseException) -> str:
    """The API call a requests error was about, as "GET /info", where it says."""
    for cause in _causes(error):
        request = getattr(cause, "request", None)
        if request is not None and getattr(request, "method", None):
            path = urllib.parse.urlsplit(str(request.url)).path or "/"
            return f"{request.method} {path}"
    return "its first answer"


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
