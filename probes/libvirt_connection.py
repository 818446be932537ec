"""The one libvirt connection of a probe run, shared by the host facts and the VM probe.

It opens on first use and remembers how that went: a daemon that does not answer gives the
host facts and the VM probe the same reason and fix. Every call runs under a time limit;
when one overruns, a watchdog destroys the domains this connection started through a
connection of its own. What libvirt says about the host (versions, capabilities) is read
once and kept.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from advisor.base.i18n import _
from advisor.probes.deadline import DeadlineExceeded, call_with_deadline
from advisor.probes.errors import ProbeFailed, ProbeUnavailable
from advisor.probes.libvirt_access import (
    LIBVIRT_CHECK_FIX,
    explain_connection_error,
    explain_import_error,
    import_libvirt,
)

T = TypeVar("T")

# How long a clean-up waits for a start that overran its limit to come back, so as to
# destroy what it started before the command ends (libvirt's own start can take ~40 s
# where it re-probes QEMU).
PENDING_START_SECONDS = 45.0
CLEAN_UP_CALL_SECONDS = 30.0  # the longest one call of a clean-up may take


class LibvirtConnection:
    """A connection to libvirt at `uri` whose every call takes at most `timeout` seconds."""

    def __init__(self, uri: str, timeout: float) -> None:
        self.uri = uri
        self.timeout = timeout
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
                return call_with_deadline(
                    lambda: libvirt.open(self.uri),
                    self.timeout,
                    _("libvirt at {uri}").format(uri=self.uri),
                )
            except DeadlineExceeded as error:
                raise ProbeUnavailable(error.reason, _(LIBVIRT_CHECK_FIX)) from error
            except libvirt.libvirtError as error:
                raise ProbeUnavailable(*explain_connection_error(error, self.uri)) from error
        except ProbeUnavailable as refused:
            self._refused = refused
            return None

    def is_libvirt_error(self, error: BaseException) -> bool:
        """Whether `error` is one the libvirt binding raised."""
        return self._libvirt is not None and isinstance(error, self._libvirt.libvirtError)

    def call(self, function: Callable[[], T], what: str, timeout: float | None = None) -> T:
        """Run one libvirt call under the time limit; on overrun, the watchdog steps in."""
        try:
            return call_with_deadline(function, timeout or self.timeout, what)
        except DeadlineExceeded:
            self._watchdog()
            raise

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
            retiring.join(self.timeout)
        started: list[Any] = []
        failed: list[BaseException] = []

        def create() -> None:
            try:
                started.append(conn.createXML(domain_xml, flags))
            except BaseException as error:  # handed to the caller below
                failed.append(error)

        thread = threading.Thread(target=create, name=f"createXML {name}", daemon=True)
        thread.start()
        thread.join(self.timeout)
        if thread.is_alive():
            # It may still start: the clean-up waits for it and destroys what it started.
            self._pending[name] = (thread, started)
            self._watchdog()
            raise DeadlineExceeded(
                _("createXML {name} did not answer within {seconds:g} s").format(
                    name=name, seconds=self.timeout
                )
            )
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
            state = self.call(domain.state, "domain state", timeout)
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
        # A clean-up's own limit: the run's may be spent, or as short as --timeout says.
        limit = max(self.timeout, CLEAN_UP_CALL_SECONDS)
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
        that overran its limit started meanwhile; never raises."""
        for thread in self._retiring.values():
            thread.join(self.timeout)
        self._retiring.clear()
        for name, (thread, started) in list(self._pending.items()):
            thread.join(PENDING_START_SECONDS)
            if started:
                self._live[name] = started[0]
            del self._pending[name]
        for name in list(self._live):
            # Should this fail, closing the connection destroys the domain regardless.
            with contextlib.suppress(Exception):
                self.destroy(name)

    def close(self) -> None:
        """Destroy what still runs and close the connection; never raises."""
        self.destroy_all()
        conn, self._conn = self._conn, None
        if conn is None:
            return
        # Should this fail, the daemon destroys auto-destroy domains when the socket goes.
        with contextlib.suppress(Exception):
            call_with_deadline(conn.close, self.timeout, "close the libvirt connection")

    def _watchdog(self) -> None:
        """A call overran: destroy this run's domains through a connection of their own."""
        names = list(self._live)
        libvirt, uri = self._libvirt, self.uri
        if libvirt is None or not names:
            return

        def destroy_all() -> None:
            conn = libvirt.open(uri)
            try:
                for name in names:
                    with contextlib.suppress(libvirt.libvirtError):  # already gone
                        conn.lookupByName(name).destroy()
            finally:
                conn.close()

        # Should this fail too, the connection's auto-destroy remains as the last resort.
        with contextlib.suppress(Exception):
            call_with_deadline(destroy_all, self.timeout, "watchdog destroying the probe's domains")


def message_of(error: Any) -> str:
    """What libvirt said, in one line, without the binding's own wrapping."""
    getter = getattr(error, "get_error_message", None)
    text = getter() if callable(getter) else None
    return (str(text or error).strip().splitlines() or [_("no message")])[0]
