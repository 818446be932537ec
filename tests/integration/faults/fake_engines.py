"""Engines that lie or stall, each on a unix socket of the test's own: they read a request
and answer it the way a broken or hostile engine would."""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    try:
        with serving(server):
            yield server
    finally:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[None]:
    """`server` answering on a thread of its own while the block runs; closed after it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


class TlsFakeEngine(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """One behaviour over TLS on 127.0.0.1, with a throwaway certificate; `environment` is
    what points the Docker client at it with TLS verified (DOCKER_TLS_VERIFY)."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    behaviour = "drip"
    connections = 0
    context: ssl.SSLContext
    environment: dict[str, str]

    def get_request(self) -> tuple[Any, Any]:
        client, address = self.socket.accept()
        client.settimeout(30)  # a client that never finishes its handshake
        try:
            return self.context.wrap_socket(client, server_side=True), address
        except (OSError, ssl.SSLError):
            client.close()
            raise

    @property
    def docker_host(self) -> str:
        host, port = self.server_address[:2]
        return f"tcp://{host}:{port}"


def throwaway_certificate(folder: Path) -> None:
    """A throwaway authority and a certificate it signed for 127.0.0.1, in `folder`, named as
    DOCKER_CERT_PATH wants them; the client shows the same certificate as its own."""

    def openssl(*arguments: str | Path) -> None:
        command = ["openssl", *map(str, arguments)]
        subprocess.run(command, capture_output=True, timeout=60, check=True)

    ca_key, ca, key, request = (folder / name for name in ("ca-key", "ca.pem", "key.pem", "req"))
    extensions = folder / "extensions"
    extensions.write_text("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n")
    new_key = ("-newkey", "rsa:2048", "-nodes", "-keyout")
    authority = ("-subj", "/CN=throwaway authority", "-days", "1")
    openssl("req", "-x509", *authority, *new_key, ca_key, "-out", ca)
    openssl("req", "-new", "-subj", "/CN=127.0.0.1", *new_key, key, "-out", request)
    signed = ("-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-days", "1")
    openssl(
        "x509", "-req", "-in", request, *signed, "-extfile", extensions, "-out", folder / "cert.pem"
    )


@contextlib.contextmanager
def tls_fake_engine(folder: Path, behaviour: str) -> Iterator[TlsFakeEngine]:
    """Serve `behaviour` over TLS on a port of 127.0.0.1 while the block runs."""
    assert behaviour in BEHAVIOURS, behaviour
    certificates = folder / "certificates"
    certificates.mkdir()
    throwaway_certificate(certificates)
    server = TlsFakeEngine(("127.0.0.1", 0), _Handler)
    server.behaviour = behaviour
    server.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.context.load_cert_chain(certificates / "cert.pem", certificates / "key.pem")
    server.environment = {
        "DOCKER_HOST": server.docker_host,
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(certificates),
    }
    with serving(server):
        yield server


DRIP_SECONDS = 0.2  # between two bytes of a dripped handshake


@contextlib.contextmanager
def dripping_handshake(engine: TlsFakeEngine) -> Iterator[str]:
    """A port of 127.0.0.1 in front of `engine` that passes the engine's bytes on one at a
    time, DRIP_SECONDS apart: each read of the TLS handshake gets a byte in time, and the
    handshake takes minutes. Yields the address DOCKER_HOST names it by."""
    listener = socket.create_server(("127.0.0.1", 0))
    open_sockets: list[socket.socket] = [listener]

    def pump(source: socket.socket, target: socket.socket, chunk: int, pause: float) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(chunk):
                time.sleep(pause)
                target.sendall(data)

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = listener.accept()
                upstream = socket.create_connection(engine.server_address[:2])
                open_sockets.extend((client, upstream))
                for args in ((client, upstream, 65536, 0.0), (upstream, client, 1, DRIP_SECONDS)):
                    threading.Thread(target=pump, args=args, daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        for sock in open_sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
