"""A libvirt daemon that answers slowly, or stops answering: the real daemon behind a proxy
on a socket of the test's own (`qemu:///system?socket=…`). The proxy holds every reply for
`delay` seconds, and the reply to a guest's start (createXML) for `start_delay` more, as a
daemon that probes QEMU again does; or, once told to stall, it passes nothing on in either
direction, as a daemon stopped with SIGSTOP. When a client goes away it closes the daemon's
side of that connection too, so the daemon's auto-destroy ends the client's domains, as a
stopped daemon does once it runs again."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tests.integration.conftest import daemon_missing

SYSTEM_SOCKET = Path("/run/libvirt/libvirt-sock")  # the privileged daemon's, as root uses it
# libvirt's RPC: each message is a 4-byte length, then program, version and procedure.
REMOTE_PROGRAM = 0x20008086
DOMAIN_CREATE_XML = 10


class SlowLibvirt:
    """The proxy: `uri` reaches the real daemon through it."""

    def __init__(self, listen: Path, upstream: Path, delay: float, start_delay: float) -> None:
        self.listen = listen
        self.upstream = upstream
        self.delay = delay
        self.start_delay = start_delay
        self.connections = 0
        self._stalled = threading.Event()
        self._closing = threading.Event()
        self._server = socket.socket(socket.AF_UNIX)
        self._server.bind(str(listen))
        self._server.listen(16)
        self._open: list[socket.socket] = []

    @property
    def uri(self) -> str:
        return f"qemu:///system?socket={self.listen}"

    def stall(self) -> None:
        """From now on, pass nothing on, in either direction."""
        self._stalled.set()

    def serve(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            daemon = socket.socket(socket.AF_UNIX)
            daemon.connect(str(self.upstream))
            self.connections += 1
            self._open += [client, daemon]
            ended = threading.Event()
            for source, target, replies in ((client, daemon, False), (daemon, client, True)):
                threading.Thread(
                    target=self._pump, args=(source, target, replies, ended), daemon=True
                ).start()

    def _hold(self, message: bytes) -> float:
        """How long to hold one of the daemon's messages."""
        program = int.from_bytes(message[4:8], "big")
        procedure = int.from_bytes(message[12:16], "big")
        if program == REMOTE_PROGRAM and procedure == DOMAIN_CREATE_XML:
            return self.delay + self.start_delay
        return self.delay

    def _pump(
        self, source: socket.socket, target: socket.socket, replies: bool, ended: threading.Event
    ) -> None:
        pending = b""
        with contextlib.suppress(OSError):
            while not ended.is_set():
                data = source.recv(65536)
                if not data:
                    break
                pending += data
                while pending:
                    # The daemon's replies one message at a time; the client's as they come.
                    size = int.from_bytes(pending[:4], "big") if replies else len(pending)
                    if len(pending) < max(size, 4):
                        break  # the rest of the message is still on its way
                    message, pending = pending[:size], pending[size:]
                    if replies:
                        time.sleep(self._hold(message))
                    if not self._stalled.is_set():
                        target.sendall(message)
        # One side went away: so does the other, and the daemon ends the client's domains.
        ended.set()
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        self._closing.set()
        self._server.close()
        for end in self._open:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


@contextlib.contextmanager
def slow_libvirt(
    folder: Path, delay: float = 0.0, start_delay: float = 0.0
) -> Iterator[SlowLibvirt]:
    """The real system daemon behind a proxy in `folder`, while the block runs."""
    proxy = SlowLibvirt(folder / "libvirt.sock", SYSTEM_SOCKET, delay, start_delay)
    thread = threading.Thread(target=proxy.serve, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.close()
        (folder / "libvirt.sock").unlink(missing_ok=True)


def require_system_daemon() -> None:
    """The proxy stands in front of the privileged daemon: it must be there."""
    if not SYSTEM_SOCKET.is_socket():
        daemon_missing(f"no privileged libvirt daemon listens on {SYSTEM_SOCKET}")


def start_probe(daemon: SlowLibvirt, output: Path, *arguments: str) -> subprocess.Popen[str]:
    """`dvm-advisor probe ARGUMENTS` through the proxy, its report to `output`, its progress
    readable on standard error."""
    command = [sys.executable, "-m", "advisor", "probe", *arguments]
    return subprocess.Popen(
        [*command, "--libvirt-uri", daemon.uri, "--json", str(output)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
