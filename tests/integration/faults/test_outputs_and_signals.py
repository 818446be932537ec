"""`dvm-advisor probe` against what a hostile or broken workstation offers: an engine whose
answers hold escape sequences, a report folder that is full or read-only, and the terminal
closed (SIGHUP) during a guest's boot, then a second signal during the clean-up."""

from __future__ import annotations

import http.server
import json
import os
import signal
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.outputs import MIN_FREE_BYTES
from advisor.terminal import is_control
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import assert_nothing_left, owned_qemu
from tests.integration.faults.test_cancel_and_kill import wait_for_line, wait_until

PROBE = [sys.executable, "-m", "advisor", "probe"]
# What the engine says its version is: it sets the terminal's title and clears the screen,
# also through the C1 controls, and reverses what follows.
HOSTILE_TEXT = "\x1b]0;owned\x07\x1b[2J\u009b2J\u202eexe.txt"
HOSTILE_VERSION = f"20.10{HOSTILE_TEXT}"
SHOWN_ESCAPED = "\\x1b]0;owned\\x07\\x1b[2J\\x9b2J\\u202eexe.txt"


class _EngineHandler(http.server.BaseHTTPRequestHandler):
    """The two calls a Docker client makes first, answered; anything else is not found."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.endswith("/_ping"):
            self._answer(200, b"OK", "text/plain")
        elif path.endswith("/version"):
            version = {"Version": HOSTILE_VERSION, "ApiVersion": "1.41", "MinAPIVersion": "1.12"}
            self._answer(200, json.dumps(version).encode(), "application/json")
        elif path.endswith("/info"):
            info = {"Driver": f"overlay2{HOSTILE_TEXT}", "CgroupVersion": "1"}
            self._answer(200, json.dumps(info).encode(), "application/json")
        else:
            self._answer(404, b'{"message": "page not found"}', "application/json")

    do_HEAD = do_POST = do_DELETE = do_GET

    def _answer(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def address_string(self) -> str:
        return "unix socket"

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture
def hostile_engine(short_dir: Path) -> Iterator[str]:
    """A Docker API on a socket of this test whose version string is escape sequences."""
    path = short_dir / "e\x1b[2J.sock"  # DOCKER_HOST holds an escape sequence too
    server = _UnixServer(str(path), _EngineHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"unix://{path}"
    server.shutdown()
    server.server_close()


def run_probe(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PROBE, *arguments],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **environment},
    )


def test_an_engines_escape_sequences_are_shown_escaped(hostile_engine: str, tmp_path: Path) -> None:
    done = run_probe(
        "--only",
        "container",
        "--timeout",
        "5",
        "--libvirt-uri",
        "test:///default\x1b[2J",
        "--json",
        str(tmp_path / "report.json"),
        DOCKER_HOST=hostile_engine,
    )
    assert done.returncode == 0, done.stderr
    for stream in (done.stdout, done.stderr):
        assert not any(is_control(char) for char in stream.replace("\n", "")), stream
    # The engine is named as it names itself ("Docker Engine" here), then its version.
    assert f" 20.10{SHOWN_ESCAPED} at unix://" in done.stdout
    assert "e\\x1b[2J.sock" in done.stdout
    assert "test:///default\\x1b[2J" in done.stdout
    # The report keeps what the engine said, as data.
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["host"]["docker"]["version"] == HOSTILE_VERSION


@pytest.mark.parametrize(
    ("options", "fill", "expected"),
    [
        ("size=64k", True, f"KiB free in %s, expected at least {MIN_FREE_BYTES // 2**20} MiB"),
        ("ro,size=64k", False, "the folder %s is on a read-only file system"),
    ],
    ids=["full", "read-only"],
)
def test_a_report_folder_that_cannot_take_it_is_refused_before_the_probe_starts(
    small_tmpfs: Any, options: str, fill: bool, expected: str
) -> None:
    folder = small_tmpfs("out", options)
    if fill:
        filler = (folder / "filler").open("wb", buffering=0)
        with filler, pytest.raises(OSError, match="No space"):
            while True:
                filler.write(b"\0" * 4096)
    done = run_probe("--json", str(folder / "report.json"))
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(f"dvm-advisor: {folder / 'report.json'}: ")
    assert expected % folder in done.stderr
    assert "[host]" not in done.stderr  # no probe started
    assert not (folder / "report.json").exists()


def test_a_closed_terminal_during_a_boot_cancels_and_a_second_signal_waits_for_the_clean_up(
    libvirt_conn: Any,
) -> None:
    probe = subprocess.Popen(
        [*PROBE, "--only", "vm", "--runs", "1", "--libvirt-uri", LIBVIRT_URI],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_line(probe.stderr, "boot 1", "try KVM")
        wait_until(lambda: owned_qemu([probe.pid], 0), 30, "QEMU runs the probe's guest")
        probe.send_signal(signal.SIGHUP)
        wait_for_line(probe.stderr, "cancelling")
        probe.send_signal(signal.SIGINT)  # during the clean-up
        assert probe.stderr is not None
        rest = probe.stderr.read()
        probe.wait(60)
    finally:
        if probe.poll() is None:
            probe.kill()
            probe.wait()
    assert probe.returncode == 129, rest  # 128 + SIGHUP: the first signal says why it ended
    assert "still removing what the probes started" in rest
    assert "cancelled; what it started has been removed" in rest
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    assert_nothing_left(None, libvirt_conn, [probe.pid])
