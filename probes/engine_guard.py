"""A Docker SDK client whose every read from the engine is bounded: in time by the run's
deadline (in all, not per read, so an engine that drips a byte a second still ends in time),
in size by a cap on each reply, and by the run's cancel token.

The SDK's own timeout applies to each read of a socket, and it reads a whole reply into
memory: an engine that stalls or streams for ever would hold the probe, or fill the memory.
Here the client's sockets are replaced, as they connect, by sockets that check the budget
before every read and wait in short slices, so a cancel is seen within one slice.
Connections over TLS or SSH keep the SDK's own per-read timeout.
"""

from __future__ import annotations

import socket
import time
from typing import Any

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


class GuardedSocket(socket.socket):
    """A connected socket whose reads and writes keep to a budget.

    The byte count starts again with every request written, so it measures one reply.
    """

    budget: EngineBudget
    _received: int

    @classmethod
    def taking_over(cls, sock: socket.socket, budget: EngineBudget) -> GuardedSocket:
        """The same connection as `sock`, now under `budget` (`sock` is left detached)."""
        guarded = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        guarded.budget = budget
        guarded._received = 0
        return guarded

    def _waiting(self, operation: Any, *args: Any) -> Any:
        while True:
            self.settimeout(self.budget.wait_slice())
            try:
                return operation(*args)
            except TimeoutError:
                continue  # a slice without data: check the budget again

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        count: int = self._waiting(super().recv_into, buffer, nbytes, flags)
        self._count(count)
        return count

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        data: bytes = self._waiting(super().recv, bufsize, flags)
        self._count(len(data))
        return data

    def sendall(self, data: Any, flags: int = 0) -> None:
        self._received = 0
        view = memoryview(data).cast("B")
        while view:
            sent: int = self._waiting(super().send, view, flags)
            view = view[sent:]

    def send(self, data: Any, flags: int = 0) -> int:
        self._received = 0
        sent: int = self._waiting(super().send, data, flags)
        return sent

    def _count(self, received: int) -> None:
        self._received += received
        if self._received > self.budget.max_reply_bytes:
            raise EngineReplyTooLarge(
                _("the engine's reply passed {size} MiB").format(
                    size=self.budget.max_reply_bytes // (1024 * 1024)
                )
            )


def guarded_api_client(budget: EngineBudget, **arguments: Any) -> Any:
    """A docker.APIClient whose plain HTTP connections (unix socket, tcp) keep to `budget`,
    from the first call on: the one asking the engine's API version included."""
    import docker

    class GuardedAPIClient(docker.APIClient):  # type: ignore[misc]
        def mount(self, prefix: str, adapter: Any) -> None:
            super().mount(prefix, _guarded_adapter(adapter, budget))

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
            ends = time.monotonic() + budget.deadline.remaining()
            if isinstance(timeout, int | float):
                connection.timeout = max(0.1, min(float(timeout), ends - time.monotonic()))
            connect()
            sock = connection.sock
            if type(sock) is socket.socket:  # plain: not TLS, not an SSH channel
                connection.sock = GuardedSocket.taking_over(sock, budget)

        connection.connect = guarded_connect
        return connection

    pool._new_conn = guarded_connection
    pool._dvm_guarded = True
