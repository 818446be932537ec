"""The one libvirt connection of a probe run, shared by the host facts and the VM probe.

It opens on first use and remembers how that went: a daemon that does not answer gives the
host facts and the VM probe the same reason and fix. Every call ends by the total deadline
of whoever uses the connection now (the host facts, the VM probe's run, a clean-up), never
by a fresh limit of its own: a daemon that answers slowly call after call cannot stretch a
run past its deadline. A call also ends within a fraction of a second of a cancel. When one
overruns, a watchdog destroys the domains this connection started through a connection of
its own. What libvirt says about the host (versions, capabilities) is read once and kept.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from advisor.base.i18n import _
from advisor.probes.control import CancelToken
from advisor.probes.deadline import (
    WAIT_SLICE_SECONDS,
    Deadline,
    DeadlineExceeded,
    call_with_deadline,
)
from advisor.probes.errors import ProbeFailed, ProbeUnavailable
from advisor.probes.libvirt_access import (
    explain_connection_error,
    explain_import_error,
    import_libvirt,
    unanswered_fix,
)

T = TypeVar("T")

# How long a clean-up waits for a start that overran its limit to come back, so as to
# destroy what it started before the command ends (libvirt's own start can take ~40 s
# where it re-probes QEMU).
PENDING_START_SECONDS = 45.0
CLEAN_UP_SECONDS = 30.0  # the longest a clean-up may take in all, with no start pending
# After a call overran, a clean-up first asks the daemon over a fresh connection whether it
# answers at all; one that does not within this long is left to the connection's
# auto-destroy (the daemon ends the domains as it takes the connection's end, whenever it
# answers again), since nothing the clean-up asked would be answered either.
LIVENESS_SECONDS = 2.0


class LibvirtConnection:
    """A connection to libvirt at `uri` whose every call takes at most `timeout` seconds,
    and ends by the deadline of the block it runs in (bounded())."""

    def __init__(self, uri: str, timeout: float) -> None:
        self.uri = uri
        self.timeout = timeout
        self._deadline: Deadline | None = None
        self._cancel = CancelToken()
        self._unanswered = False  # a call overran: the daemon may be busy, or stalled
        self._given_up = False  # a clean-up left the rest to the connection's auto-destroy
        self._libvirt: Any = None
        self._conn: Any = None
        self._refused: ProbeUnavailable | None = None
        self._read: dict[str, Any] = {}
        self._live: dict[str, Any] = {}
        self._retiring: dict[str, threading.Thread] = {}
        # Starts that overran their limit: the thread still waiting on libvirt, and the
        # domain it got, once it gets one.
        self._pending: dict[str, tuple[threading.Thread, list[Any]]] = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, libvirt: Any, conn: Any, uri: str, timeout: float) -> LibvirtConnection:
        """A connection already opened, through `libvirt` (the binding, or a stand-in)."""
        connection = cls(uri, timeout)
        connection._libvirt, connection._conn = libvirt, conn
        return connection

    @contextlib.contextmanager
    def bounded(self, deadline: Deadline, cancel: CancelToken | None = None) -> Iterator[None]:
        """Every call in the block ends by `deadline` (in all, not per call), and on `cancel`
        with ProbeCancelled; the bound in force before is restored after it."""
        before = self._deadline, self._cancel
        self._deadline, self._cancel = deadline, cancel or CancelToken()
        try:
            yield
        finally:
            self._deadline, self._cancel = before

    def _limit(self, timeout: float | None, what: str) -> tuple[float, DeadlineExceeded]:
        """How long a call may wait now, and what it raises when it overruns; raises that at
        once when the deadline in force has passed."""
        seconds = limit = timeout or self.timeout
        deadline = self._deadline
        if deadline is not None and deadline.remaining() < seconds:
            seconds, limit = deadline.remaining(), deadline.seconds
        overran = DeadlineExceeded(
            _("libvirt at {uri} did not answer within {seconds:g} s ({what})").format(
                uri=self.uri, what=what, seconds=limit
            ),
            unanswered_fix(self.uri),
        )
        if seconds <= 0.0:
            raise overran
        return seconds, overran

    def give_up(self, error: DeadlineExceeded) -> None:
        """Take libvirt as not answering from now on, for the reason of `error`: the VM probe
        then says so at once rather than waiting on the daemon a second time."""
        with self._lock:
            self._refused = ProbeUnavailable(error.reason, error.fix)

    @property
    def libvirt(self) -> Any:
        """The libvirt binding; raises ProbeUnavailable when it cannot be imported."""
        if self._libvirt is None:
            try:
                self._libvirt = import_libvirt()
            except ImportError as error:
                raise ProbeUnavailable(*explain_import_error(error)) from error
        return self._libvirt

    @property
    def conn(self) -> Any:
        """The open connection; raises ProbeUnavailable, the same each time, when libvirt
        cannot be reached."""
        with self._lock:
            if self._conn is None and self._refused is None:
                self._conn = self._open()
            if self._refused is not None:
                raise self._refused
            return self._conn

    def _open(self) -> Any:
        try:
            libvirt = self.libvirt
            try:
                seconds, overran = self._limit(None, _("opening the connection"))
                try:
                    return call_with_deadline(
                        lambda: libvirt.open(self.uri), seconds, "open", self._cancel
                    )
                except DeadlineExceeded:
                    raise overran from None
            except DeadlineExceeded as error:
                raise ProbeUnavailable(error.reason, error.fix) from error
            except libvirt.libvirtError as error:
                raise ProbeUnavailable(*explain_connection_error(error, self.uri)) from error
        except ProbeUnavailable as refused:
            self._refused = refused
            return None

    def is_libvirt_error(self, error: BaseException) -> bool:
        """Whether `error` is one the libvirt binding raised."""
        return self._libvirt is not None and isinstance(error, self._libvirt.libvirtError)

    def call(self, function: Callable[[], T], what: str, timeout: float | None = None) -> T:
        """Run one libvirt call, ending by the deadline in force (and within `timeout`, or
        the connection's own limit); on overrun, the watchdog steps in."""
        seconds, overran = self._limit(timeout, what)
        try:
            return call_with_deadline(function, seconds, what, self._cancel)
        except DeadlineExceeded:
            self._unanswered = True
            self._watchdog()
            raise overran from None

    def read(self, name: str, function: Callable[[Any], T], timeout: float | None = None) -> T:
        """What the host's libvirt says about itself, asked once per connection."""
        if name not in self._read:
            conn = self.conn
            self._read[name] = self.call(lambda: function(conn), name, timeout)
        value: T = self._read[name]
        return value

    def capabilities(self, timeout: float | None = None) -> str:
        """libvirt's capabilities XML of this host."""
        return str(self.read("getCapabilities", lambda conn: conn.getCapabilities(), timeout))

    def start(self, name: str, domain_xml: str) -> Any:
        """Start a transient domain that dies with this connection; raises ProbeFailed."""
        libvirt = self.libvirt
        flags = libvirt.VIR_DOMAIN_START_AUTODESTROY
        conn = self.conn
        retiring = self._retiring.pop(name, None)
        if retiring is not None:  # a guest of the same name is still being destroyed
            self._join(retiring, self._limit(None, f"destroy {name}")[0])
        seconds, overran = self._limit(None, f"createXML {name}")
        started: list[Any] = []
        failed: list[BaseException] = []

        def create() -> None:
            try:
                started.append(conn.createXML(domain_xml, flags))
            except BaseException as error:  # handed to the caller below
                failed.append(error)

        thread = threading.Thread(target=create, name=f"createXML {name}", daemon=True)
        thread.start()
        try:
            ended = self._join(thread, seconds, self._cancel)
        except BaseException:  # cancelled: it may still start, as below
            self._pending[name] = (thread, started)
            raise
        if not ended:
            # It may still start: the clean-up waits for it and destroys what it started.
            self._pending[name] = (thread, started)
            self._unanswered = True
            self._watchdog()
            raise overran
        if failed:
            error = failed[0]
            if isinstance(error, libvirt.libvirtError):
                raise ProbeFailed(
                    _("libvirt did not start the guest: {message}").format(
                        message=message_of(error)
                    )
                ) from error
            raise error
        domain = started[0]
        self._live[name] = domain
        return domain

    def alive(self, domain: Any, timeout: float | None = None) -> bool:
        """Whether the domain still exists and runs (a transient one vanishes when it ends)."""
        return self.state(domain, timeout) is not None

    def state(self, domain: Any, timeout: float | None = None) -> int | None:
        """The domain's state (VIR_DOMAIN_RUNNING, ...), or None once it is gone."""
        libvirt = self.libvirt
        try:
            state = self.call(domain.state, _("domain state"), timeout)
        except libvirt.libvirtError as error:
            if error.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise ProbeFailed(
                _("libvirt could not read the guest's state: {message}").format(
                    message=message_of(error)
                )
            ) from error
        code = int(state[0])
        return None if code == libvirt.VIR_DOMAIN_SHUTOFF else code

    def destroy(self, name: str) -> None:
        """Destroy a domain this connection started, then check that it is gone."""
        domain = self._live.get(name)
        if domain is None:
            return
        libvirt = self.libvirt
        # Within a clean-up, its own deadline bounds this; within a run, the run's.
        limit = max(self.timeout, CLEAN_UP_SECONDS)
        try:
            self.call(domain.destroy, f"destroy {name}", limit)
        except libvirt.libvirtError as error:
            if error.get_error_code() not in (
                libvirt.VIR_ERR_NO_DOMAIN,
                libvirt.VIR_ERR_OPERATION_INVALID,
            ):
                raise ProbeFailed(
                    _("libvirt could not destroy {name}: {message}").format(
                        name=name, message=message_of(error)
                    )
                ) from error
        if self.alive(domain, limit):
            raise ProbeFailed(_("{name} still runs after libvirt destroyed it").format(name=name))
        self.forget(name)

    def forget(self, name: str) -> None:
        """Stop tracking a domain that is gone."""
        self._live.pop(name, None)

    def retire(self, name: str) -> None:
        """Destroy a domain without waiting for it; close() waits.

        libvirt's destroy returns only once QEMU's process is reaped, which can take seconds
        where the init process reaps slowly; the next boot need not wait for that.
        """
        thread = threading.Thread(
            target=self._destroy_quietly, args=(name,), name=f"destroy {name}", daemon=True
        )
        thread.start()
        self._retiring[name] = thread

    def _destroy_quietly(self, name: str) -> None:
        # Should this fail, close() tries again and closing the connection destroys it.
        with contextlib.suppress(Exception):
            self.destroy(name)

    def destroy_all(self) -> None:
        """Destroy what this connection started and still runs, including what a start
        that overran its limit started meanwhile; never raises.

        It ends by a deadline of its own, whatever the run's was: CLEAN_UP_SECONDS, or
        PENDING_START_SECONDS while a start that overran may still come back. After a call
        overran, a daemon that does not answer a fresh connection within LIVENESS_SECONDS is
        left to the connection's auto-destroy at once.
        """
        if self._given_up or not (self._retiring or self._pending or self._live):
            return
        if self._unanswered and not self._daemon_answers():
            self._given_up = True
            return
        deadline = Deadline(PENDING_START_SECONDS if self._pending else CLEAN_UP_SECONDS)
        with self.bounded(deadline):
            for thread in self._retiring.values():
                self._join(thread, deadline.remaining())
            self._retiring.clear()
            for name, (thread, started) in list(self._pending.items()):
                self._join(thread, deadline.remaining())
                if started:
                    self._live[name] = started[0]
                del self._pending[name]
            for name in list(self._live):
                # Should this fail, closing the connection destroys the domain regardless.
                with contextlib.suppress(Exception):
                    self.destroy(name)

    def _daemon_answers(self) -> bool:
        """Whether the daemon answers a fresh connection's first question in time: after a
        call overran, it may be busy (a start probing QEMU again) or not answering at all."""
        libvirt, uri = self._libvirt, self.uri
        if libvirt is None:
            return False

        def ask() -> None:
            conn = libvirt.open(uri)
            try:
                conn.getLibVersion()
            finally:
                conn.close()

        try:
            call_with_deadline(ask, LIVENESS_SECONDS, "libvirt's first answer")
        except Exception:  # no answer in time, or a refusal: nothing more to ask it
            return False
        return True

    def close(self) -> None:
        """Destroy what still runs and close the connection; never raises."""
        self.destroy_all()
        conn, self._conn = self._conn, None
        if conn is None:
            return
        # Should this fail, the daemon destroys auto-destroy domains when the socket goes;
        # one that does not answer takes the close whenever it answers again.
        seconds = LIVENESS_SECONDS if self._given_up else self.timeout
        with contextlib.suppress(Exception):
            call_with_deadline(conn.close, seconds, "close the libvirt connection")

    @staticmethod
    def _join(thread: threading.Thread, seconds: float, cancel: CancelToken | None = None) -> bool:
        """Wait up to `seconds` for `thread`, raising ProbeCancelled on `cancel`; whether it
        ended."""
        ends = time.monotonic() + seconds
        while thread.is_alive():
            if cancel is not None:
                cancel.raise_if_cancelled()
            left = ends - time.monotonic()
            if left <= 0.0:
                return False
            thread.join(min(left, WAIT_SLICE_SECONDS))
        return True

    def _watchdog(self) -> None:
        """A call overran: destroy this run's domains through a connection of their own."""
        names = list(self._live)
        libvirt, uri = self._libvirt, self.uri
        if libvirt is None or not names:
            return

        def destroy_all() -> None:
            # Should this fail too, the connection's auto-destroy remains as the last resort.
            with contextlib.suppress(Exception):
                conn = libvirt.open(uri)
                try:
                    for name in names:
                        with contextlib.suppress(libvirt.libvirtError):  # already gone
                            conn.lookupByName(name).destroy()
                finally:
                    conn.close()

        # It runs beside the run, which does not wait for it: the run's deadline holds.
        threading.Thread(target=destroy_all, name="libvirt watchdog", daemon=True).start()


def message_of(error: Any) -> str:
    """What libvirt said, in one line, without the binding's own wrapping."""
    getter = getattr(error, "get_error_message", None)
    text = getter() if callable(getter) else None
    return (str(text or error).strip().splitlines() or [_("no message")])[0]
