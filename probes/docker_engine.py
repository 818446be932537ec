"""Reaching the Docker engine, and saying in one sentence why it could not be reached."""

from __future__ import annotations

import http.client
import json
import socket
import urllib.parse
from collections.abc import Iterator
from typing import Any

import requests

from advisor.base.i18n import _
from advisor.probes.control import ProbeCancelled
from advisor.probes.deadline import Deadline
from advisor.probes.engine_endpoint import Endpoint, find_endpoint, socket_path
from advisor.probes.engine_fixes import check_fix as engine_check_fix
from advisor.probes.engine_fixes import (
    host_kind,
    install_fix,
    look_command,
    permission_fix,
    start_fix,
)
from advisor.probes.engine_guard import (
    EngineBudget,
    EngineReplyTooLarge,
    EngineStalled,
    guarded_api_client,
)
from advisor.probes.errors import ProbeError, ProbeFailed, ProbeUnavailable

__all__ = ["connect", "docker_endpoint", "explain_engine_error", "socket_path"]


def docker_endpoint() -> str:
    """The address of the engine the probe talks to (probes/engine_endpoint.py)."""
    return find_endpoint().address


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
    endpoint = find_endpoint()
    try:
        try:
            client = _guarded_client(timeout, budget, endpoint)
        except ValueError as error:  # raised while parsing the address, before any call
            raise ProbeUnavailable(*_bad_address(error)) from error
        except Exception as error:
            if endpoint.address.startswith("ssh://") and "paramiko" in str(error):
                raise ProbeUnavailable(*_no_ssh_support(endpoint)) from error
            raise
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
        raise ProbeUnavailable(*explain_engine_error(error, timeout, endpoint=endpoint)) from error
    return client


def _guarded_client(timeout: float, budget: EngineBudget, endpoint: Endpoint) -> Any:
    import docker

    class Client(docker.DockerClient):  # type: ignore[misc]
        def __init__(self, api: Any) -> None:
            self.api = api

    # DOCKER_HOST comes with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH; any other address
    # (a context's, a socket found) is taken as it is.
    arguments = docker.utils.kwargs_from_env()
    if endpoint.found_by != "DOCKER_HOST":
        arguments = {"base_url": endpoint.address}
    return Client(guarded_api_client(budget, timeout=timeout, version="auto", **arguments))


def _bad_address(error: ValueError) -> tuple[str, str]:
    return (
        _("DOCKER_HOST={address} is not an address the Docker client can use ({error})").format(
            address=docker_endpoint(), error=error
        ),
        _(
            "set DOCKER_HOST to unix:///PATH/docker.sock or tcp://HOST:PORT, or unset it to use "
            "this machine's engine"
        ),
    )


def _no_ssh_support(endpoint: Endpoint) -> tuple[str, str]:
    """The reason and fix for an engine over SSH where the SDK has no SSH support: the
    probe's bounds hold for the local socket, tcp and TLS, which a forwarded socket is."""
    return (
        _(
            "the engine at {address} ({found_by}) is reached over SSH, which this installation "
            "cannot do: the Docker SDK's SSH support (paramiko) is not installed"
        ).format(address=endpoint.address, found_by=endpoint.found_by),
        _(
            "forward the engine's socket over SSH (ssh -nNT -L /tmp/docker.sock:"
            "/var/run/docker.sock HOST) and set DOCKER_HOST=unix:///tmp/docker.sock"
        ),
    )


def _cancelled(error: BaseException) -> bool:
    return any(isinstance(cause, ProbeCancelled) for cause in _causes(error))


def where_engine_is() -> str:
    """The engine as messages name it: its socket's path, or the address DOCKER_HOST gives."""
    endpoint = docker_endpoint()
    return socket_path(endpoint) or endpoint


def check_fix(endpoint: Endpoint | None = None) -> str:
    """What to check when the engine misbehaves, for where it is and what chose it."""
    return engine_check_fix(endpoint or find_endpoint(), host_kind())


def not_docker_api(call: str) -> tuple[str, str]:
    """The reason and fix for a reply that is not what the Docker API answers to `call`."""
    endpoint = find_endpoint()
    reason = _(
        "the engine at {place} answered something that is not the Docker API ({call})"
    ).format(place=where_engine_is(), call=call)
    if not endpoint.named_by_user:
        look = look_command(endpoint, host_kind())
        return (
            reason,
            _("check that {place} is a Docker-compatible engine's socket ({command})").format(
                place=where_engine_is(), command=look
            ),
        )
    return reason, _(
        "point {chooser} at a Docker engine (it names {address}), or unset it to use this "
        "machine's engine"
    ).format(chooser=endpoint.found_by, address=endpoint.address)


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
        if isinstance(cause, ProbeError):
            return cause.reason, cause.fix or check_fix(endpoint)
        if isinstance(cause, EngineStalled):
            # However slowly it dripped, it did not answer in the time the run gave it.
            return (
                _("the Docker engine at {place} did not answer within {seconds:g} s").format(
                    place=where, seconds=cause.seconds
                ),
                check_fix(endpoint),
            )
        if isinstance(cause, EngineReplyTooLarge):
            return (
                _(
                    "the Docker engine at {place} sent a reply larger than the probe reads "
                    "({detail})"
                ).format(place=where, detail=cause),
                check_fix(endpoint),
            )
        if isinstance(cause, PermissionError):
            return _("permission denied on the Docker engine socket {place}").format(
                place=where
            ), permission_fix(kind)
        if isinstance(cause, FileNotFoundError | ConnectionRefusedError) and reached_before:
            return stopped(where), start_fix(endpoint, kind)
        if isinstance(cause, FileNotFoundError):
            return _("no Docker engine socket at {place}").format(place=where), install_fix(
                endpoint, kind
            )
        if isinstance(cause, ConnectionRefusedError):
            return (
                _("the Docker engine is not running (connection refused at {place})").format(
                    place=where
                ),
                start_fix(endpoint, kind),
            )
        if isinstance(cause, requests.Timeout | socket.timeout | TimeoutError):
            return (
                _("the Docker engine at {place} did not answer within {seconds:g} s").format(
                    place=where, seconds=timeout
                ),
                check_fix(endpoint),
            )
        if isinstance(cause, _NOT_DOCKER_API):
            return not_docker_api(_call_of(error))
    if reached_before and any(
        isinstance(cause, requests.ConnectionError | ConnectionError) for cause in _causes(error)
    ):
        return stopped(where), start_fix(endpoint, kind)
    return _refusal(error, where), check_fix(endpoint)


def stopped(where: str) -> str:
    """The reason for an engine that answered earlier in the probe and no longer does."""
    return _("the Docker engine at {place} stopped during the probe").format(place=where)


# What the SDK raises on a reply that is not the Docker API's: no HTTP, not JSON. Fields of
# other types are refused by the typed replies (probes/engine_replies.py) instead: a
# Python error of any other kind is a fault of the probe's own, not the engine's.
_NOT_DOCKER_API = (http.client.HTTPException, json.JSONDecodeError)


def _call_of(error: BaseException) -> str:
    """The API call a requests error was about, as "GET /info", where it says."""
    for cause in _causes(error):
        request = getattr(cause, "request", None)
        if request is not None and getattr(request, "method", None):
            path = urllib.parse.urlsplit(str(request.url)).path or "/"
            return f"{request.method} {path}"
    return _("its first answer")


def _refusal(error: BaseException, where: str) -> str:
    """What the engine at `where` said when it refused a call, in its own words where it
    gave them."""
    for cause in _causes(error):
        explanation = getattr(cause, "explanation", None)
        if explanation:
            said = str(explanation).strip().splitlines()[0]
            return _(
                "the Docker engine at {place} refused a call of the probe, saying: {said}"
            ).format(place=where, said=said)
    return _("the Docker engine at {place} answered in a way the probe does not understand").format(
        place=where
    )


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
