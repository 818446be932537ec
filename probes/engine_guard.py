"""A Docker SDK client whose every read from the engine is bounded: in time by the run's
deadline (in all, not per read, so an engine that drips a byte a second still ends in time),
in size by a cap on each reply, and by the run's cancel token.

The SDK's own timeout applies to each read of a socket, and it reads a whole reply into
memory: an engine that stalls or streams for ever would hold the probe, or fill the memory.
Here the client's sockets are replaced, as they connect, by sockets that check the budget
before every read and wait in short slices, so a cancel is seen within one slice: plain
sockets (a unix socket, tcp) and TLS sockets alike, the latter reading the same TLS session
under the budget once its handshake is done. The handshake itself ends by the deadline too:
a watchdog shuts the connection's socket then. Connections over SSH (the SDK's paramiko
channel) keep the SDK's own per-read timeout.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from typing import Any, cast

from advisor.base.i18n import _
from advisor.probes.control import CancelToken
from advisor.probes.deadline import Deadline

MAX_REPLY_BYTES = 16 * 1024 * 1024  # the largest reply the probe reads; its own are KiB
_SLICE_SECONDS = 0.2  # how long one wait for the engine lasts before the budget is checked


class EngineStalled(TimeoutError):
    """The engine had not finished answering when the run's time was up."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            _("the engine had not finished answering after {seconds:g} s").format(seconds=seconds)
        )
        self.seconds = seconds


class EngineReplyTooLarge(OSError):
    """The engine sent more than the probe reads from any reply."""


class EngineBudget:
    """What the engine may still take: time until `deadline`, bytes per reply, a cancel."""

    def __init__(
        self,
        deadline: Deadline,
        cancel: CancelToken | None = None,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        self.deadline = deadline
        self.cancel = cancel or CancelToken()
        self.max_reply_bytes = max_reply_bytes

    def for_clean_up(self, seconds: float) -> None:
        """From now on: `seconds` more, and no cancel. A run's clean-up talks to the engine
        after its time ran out or it was cancelled, and is bounded by its own limit."""
        self.deadline = Deadline(seconds)
        self.cancel = CancelToken()

    def wait_slice(self) -> float:
        """How long the next wait may last; raises when the time is up or on cancel."""
        self.cancel.raise_if_cancelled()
        remaining = self.deadline.remaining()
        if remaining <= 0.0:
            raise EngineStalled(self.deadline.seconds)
        return min(remaining, _SLICE_SECONDS)


class _KeepsToBudget:
    """Reads and writes of a connected socket that keep to a budget; mixed into a socket
    class, before it.

    The byte count starts again with every request written, so it measures one reply.
    """

    budget: EngineBudget
    _received: int

    def _waiting(self, operation: Any, *args: Any) -> Any:
        while True:
            # The socket's own timeout, which TLS reads keep to as plain ones do.
            socket.socket.settimeout(cast(socket.socket, self), self.budget.wait_slice())
            try:
                return operation(*args)
            except TimeoutError:
                continue  # a slice without data: check the budget again

    def recv_into(self, buffer: Any, *args: Any) -> int:
        count: int = self._waiting(super().recv_into, buffer, *args)  # type: ignore[misc]
        self._count(count)
        return count

    def recv(self, *args: Any) -> bytes:
        data: bytes = self._waiting(super().recv, *args)  # type: ignore[misc]
        self._count(len(data))
        return data

    def sendall(self, data: Any, flags: int = 0) -> None:
        self._received = 0
        view = memoryview(data).cast("B")
        while view:
            sent: int = self._waiting(super().send, view, flags)  # type: ignore[misc]
            view = view[sent:]

    def send(self, data: Any, flags: int = 0) -> int:
        self._received = 0
        sent: int = self._waiting(super().send, data, flags)  # type: ignore[misc]
        return sent

    def _count(self, received: int) -> None:
        self._received += received
        if self._received > self.budget.max_reply_bytes:
            raise EngineReplyTooLarge(
                _("the engine's reply passed {size} MiB").format(
                    size=self.budget.max_reply_bytes // (1024 * 1024)
                )
            )


class GuardedSocket(_KeepsToBudget, socket.socket):
    """A plain connected socket (a unix socket, tcp) that keeps to a budget."""

    @classmethod
    def taking_over(cls, sock: socket.socket, budget: EngineBudget) -> GuardedSocket:
        """The same connection as `sock`, now under `budget` (`sock` is left detached)."""
        guarded = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        guarded.budget = budget
        guarded._received = 0
        return guarded


class GuardedTLSSocket(_KeepsToBudget, ssl.SSLSocket):
    """A TLS connection, its handshake done, that keeps to a budget."""

    @classmethod
    def taking_over(cls, sock: ssl.SSLSocket, budget: EngineBudget) -> GuardedTLSSocket:
        """`sock` itself, now reading its TLS session under `budget`: a TLS socket cannot be
        made anew around a session under way, so it takes this class in place."""
        sock.__class__ = cls
        guarded = cast(GuardedTLSSocket, sock)
        guarded.budget = budget
        guarded._received = 0
        return guarded


def guarded_api_client(budget: EngineBudget, **arguments: Any) -> Any:
    """A docker.APIClient whose HTTP connections (unix socket, tcp, TLS) keep to `budget`,
    from the first call on: the one asking the engine's API version included."""
    import docker

    class GuardedAPIClient(docker.APIClient):  # type: ignore[misc]
        def mount(self, prefix: str, adapter: Any) -> None:
            super().mount(prefix, _guarded_adapter(adapter, budget))

        def merge_environment_settings(self, *args: Any) -> dict[str, Any]:
            settings: dict[str, Any] = super().merge_environment_settings(*args)
            # The authority DOCKER_CERT_PATH names verifies the engine, as the docker command
            # does; requests would take REQUESTS_CA_BUNDLE's over it.
            if isinstance(self.verify, str):
                settings["verify"] = self.verify
            return settings

    return GuardedAPIClient(**arguments)


def _guarded_adapter(adapter: Any, budget: EngineBudget) -> Any:
    """`adapter`, whose connection pools hand out guarded connections."""
    original = adapter.get_connection_with_tls_context

    def get_connection_with_tls_context(*args: Any, **kwargs: Any) -> Any:
        pool = original(*args, **kwargs)
        if not getattr(pool, "_dvm_guarded", False):
            _guard_pool(pool, budget)
        return pool

    adapter.get_connection_with_tls_context = get_connection_with_tls_context
    return adapter


def _guard_pool(pool: Any, budget: EngineBudget) -> None:
    new_connection = pool._new_conn

    def guarded_connection() -> Any:
        connection = new_connection()
        connect = connection.connect

        def guarded_connect() -> None:
            # The connect itself is bounded too: by the budget, or the SDK's timeout if sooner.
            timeout = connection.timeout
            remaining = budget.deadline.remaining()
            if isinstance(timeout, int | float):
                connection.timeout = max(0.1, min(float(timeout), remaining))
            _connect_by_deadline(connection, connect, budget)
            sock = connection.sock
            if type(sock) is socket.socket:  # plain: not TLS, not an SSH channel
                connection.sock = GuardedSocket.taking_over(sock, budget)
            elif type(sock) is ssl.SSLSocket:
                connection.sock = GuardedTLSSocket.taking_over(sock, budget)

        connection.connect = guarded_connect
        return connection

    pool._new_conn = guarded_connection
    pool._dvm_guarded = True


def _connect_by_deadline(connection: Any, connect: Any, budget: EngineBudget) -> None:
    """Run the connection's `connect` (for TLS, its handshake too, which reads with a limit
    per read) so that it ends by the budget's deadline: a watchdog shuts down the socket
    it made when the deadline passes first."""
    made: list[socket.socket] = []
    new_socket = getattr(connection, "_new_conn", None)
    if callable(new_socket):

        def noted_socket() -> Any:
            sock = new_socket()
            made.append(sock)
            return sock

        connection._new_conn = noted_socket

    def shut() -> None:
        for sock in made:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(max(0.0, budget.deadline.remaining()), shut)
    watchdog.daemon = True
    watchdog.start()
    try:
        connect()
    except Exception as error:
        if budget.deadline.remaining() <= 0.0:
            raise EngineStalled(budget.deadline.seconds) from error
        raise
    finally:
        watchdog.cancel()
