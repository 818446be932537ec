"""Engines that lie or stall, each on a unix socket of the test's own: they read a request
and answer it the way a broken or hostile engine would."""

from __future__ import annotations

import contextlib
import json
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path

LONGEST_ANSWER_SECONDS = 120.0  # a fake engine gives up on its client after this
GARBAGE = bytes(range(256)) * 4  # about 1 KiB of binary, no HTTP at all


def _answer(status: str, body: bytes, kind: str = "application/json") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
        "Api-Version: 1.41\r\n\r\n"
    )
    return head.encode() + body


def _lying_answer(path: str) -> bytes:
    """Right for a ping, the API version a client asks first; wrong types for the rest."""
    if path.endswith("/_ping"):
        return _answer("200 OK", b"OK", "text/plain")
    if path == "/version":  # the client's first question: which API version?
        return _answer("200 OK", json.dumps({"ApiVersion": "1.41", "Version": 20.10}).encode())
    if path.endswith("/info"):
        return _answer("200 OK", json.dumps(["Driver", "overlay2"]).encode())
    return _answer("200 OK", json.dumps({"Version": ["20", "10"], "Id": 7}).encode())


def _later_lying_answer(path: str) -> bytes:
    """Right for what the host facts ask (ping, version, info); a list of containers that
    is no list."""
    if path.endswith("/_ping"):
        return _answer("200 OK", b"OK", "text/plain")
    if path.endswith("/version"):
        version = {"ApiVersion": "1.41", "Version": "20.10.24", "Components": []}
        return _answer("200 OK", json.dumps(version).encode())
    if path.endswith("/info"):
        return _answer("200 OK", json.dumps({"Driver": "overlay2", "CgroupVersion": "1"}).encode())
    return _answer("200 OK", json.dumps({"Containers": "none", "Id": 7}).encode())


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.server.connections += 1  # type: ignore[attr-defined]
        behaviour = self.server.behaviour  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):
            while True:
                request = self._read_request()
                if request is None:
                    return
                if not self._respond(behaviour, request):
                    return

    def _read_request(self) -> str | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return None
            data += chunk
        line = data.split(b"\r\n", 1)[0].decode(errors="replace")
        parts = line.split(" ")
        return parts[1].split("?")[0] if len(parts) > 1 else "/"

    def _respond(self, behaviour: str, path: str) -> bool:
        """Answer one request; False when the connection is done with."""
        ends = time.monotonic() + LONGEST_ANSWER_SECONDS
        if behaviour == "drip":  # a valid answer, one byte a second, that never ends
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            while time.monotonic() < ends:
                self.request.sendall(b" ")
                time.sleep(1.0)
            return False
        if behaviour == "endless":  # a reply as large as the client will take
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
            block = b'{"Id": "0123456789abcdef"},' * 2048
            while time.monotonic() < ends:
                self.request.sendall(block)
            return False
        if behaviour == "garbage":
            self.request.sendall(GARBAGE)
            return False
        if behaviour == "broken status line":
            self.request.sendall(b"HTTP/1.1 OK-ish\r\n\r\n" + GARBAGE)
            return False
        if behaviour == "lying later":
            self.request.sendall(_later_lying_answer(path))
            return True
        self.request.sendall(_lying_answer(path))
        return True


class FakeEngine(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """One behaviour on one socket; `connections` counts the clients it saw."""

    daemon_threads = True
    block_on_close = False
    behaviour = "lying types"
    connections = 0

    @property
    def docker_host(self) -> str:
        return f"unix://{self.server_address}"


BEHAVIOURS = ("drip", "endless", "garbage", "broken status line", "lying types")
# An engine the host facts find sound, whose later replies are of the wrong shape.
LATER_BEHAVIOURS = ("lying later",)


@contextlib.contextmanager
def fake_engine(folder: Path, behaviour: str) -> Iterator[FakeEngine]:
    """Serve `behaviour` on a socket in `folder` while the block runs."""
    assert behaviour in (*BEHAVIOURS, *LATER_BEHAVIOURS), behaviour
    path = folder / "fake-engine.sock"
    server = FakeEngine(str(path), _Handler)
    server.behaviour = behaviour
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        path.unlink(missing_ok=True)
