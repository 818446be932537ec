"""Fixtures of the fault tests: a Docker engine of their own to stop, sockets where no daemon
listens, file systems that refuse writes, and a cache folder per test."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.probes import container, runner, vm
from tests.integration.conftest import daemon_missing
from tests.integration.faults.checks import assert_plain_words

ENGINE_START_SECONDS = 30.0
SHARED_BRIDGE = Path("/sys/class/net/docker0")  # the shared engine's default bridge


@pytest.fixture(autouse=True)
def every_result_in_plain_words(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every probe result a fault test produces, walked at its end: each reason a sentence
    with its fix, each note and fallback plain words, no raw exception text anywhere."""
    produced: list[Any] = []

    def recorded(*args: Any, **kwargs: Any) -> Any:
        result = runner.run_probe(*args, **kwargs)
        produced.append(result)
        return result

    for module in (container, vm):
        monkeypatch.setattr(module, "run_probe", recorded)
    yield produced
    for result in produced:
        assert_plain_words(result)


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path: a unix socket's path may not exceed 107 bytes."""
    path = Path(tempfile.mkdtemp(prefix="dvm-fault-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def stale_socket(short_dir: Path) -> str:
    """A unix socket file nobody listens on: what a stopped daemon leaves behind."""
    path = short_dir / "stale.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    return str(path)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty XDG cache home for this test: the app's cache folder lands inside it."""
    home = tmp_path / "cache-home"
    home.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def small_tmpfs(short_dir: Path) -> Iterator[Any]:
    """Mount a tmpfs of a given size and options under a folder of this test; unmounted after."""
    mounted: list[Path] = []

    def mount(name: str, options: str) -> Path:
        target = short_dir / name
        target.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            daemon_missing(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
        mounted.append(target)
        return target

    yield mount
    for target in mounted:
        subprocess.run(["umount", "--lazy", str(target)], timeout=30, check=False)


class PrivateEngine:
    """A Docker engine started for one test, with its own socket, data and state folders.

    The fault tests stop it in the middle of a probe run; the engine other tests share is
    never touched. It runs in a network namespace of its own with no bridge (the probe's
    containers have no network anyway): a dockerd without a bridge deletes any `docker0` it
    sees, and in the host's namespace that would be the shared engine's.
    """

    def __init__(self, root: Path, run_root: Path) -> None:
        self.socket = root / "docker.sock"
        self.endpoint = f"unix://{self.socket}"
        self.data_root = Path("/var/lib") / run_root.name
        self.exec_root = run_root
        self.log = root / "dockerd.log"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        return [
            "unshare",  # a network namespace of its own; unshare then runs dockerd in its place
            "--net",
            "dockerd",
            f"--host={self.endpoint}",
            f"--data-root={self.data_root}",
            f"--exec-root={self.exec_root}",
            f"--pidfile={self.exec_root}.pid",
            "--bridge=none",
            "--iptables=false",
            "--ip-masq=false",
            # A stop waits this long for running containers before killing them.
            "--shutdown-timeout=1",
        ]

    def start(self) -> None:
        """Start the engine, detached in its own session, and wait until it answers."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ends = time.monotonic() + ENGINE_START_SECONDS
        while time.monotonic() < ends:
            if self.answers():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        tail = self.log.read_text(errors="replace")[-2000:]
        self.kill()
        daemon_missing(f"a private dockerd did not start: {tail}")

    def answers(self) -> bool:
        done = subprocess.run(
            ["docker", "-H", self.endpoint, "version"], capture_output=True, timeout=10, check=False
        )
        return done.returncode == 0

    def stop(self) -> None:
        """Stop the engine as `systemctl stop docker` does (SIGTERM), and wait for it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def kill(self) -> None:
        """Stop the engine and the containerd it started, whatever state they are in."""
        self.stop()
        for pid in self._containerd_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def _containerd_pids(self) -> list[int]:
        found = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                if str(self.exec_root).encode() in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
        return found

    def client(self) -> Any:
        import docker

        return docker.DockerClient(base_url=self.endpoint, timeout=30)


def unmount_below(*roots: Path) -> None:
    """Unmount what a killed engine may have left mounted under `roots`, innermost first."""
    mounts = Path("/proc/self/mounts").read_text().splitlines()
    for line in reversed(mounts):
        target = line.split()[1]
        if any(target == str(root) or target.startswith(f"{root}/") for root in roots):
            subprocess.run(["umount", "--lazy", target], timeout=30, check=False)


@pytest.fixture
def private_engine(short_dir: Path) -> Iterator[PrivateEngine]:
    """A running private Docker engine; stopped and wiped after the test, pass or fail."""
    if shutil.which("dockerd") is None:
        daemon_missing("dockerd is not installed")
    run_root = Path(tempfile.mkdtemp(prefix="dvm-fault-engine-", dir="/run"))
    engine = PrivateEngine(short_dir, run_root)
    shared_bridge = SHARED_BRIDGE.exists()
    try:
        engine.start()
        yield engine
    finally:
        engine.kill()
        unmount_below(engine.data_root, run_root)
        shutil.rmtree(engine.data_root, ignore_errors=True)
        shutil.rmtree(run_root, ignore_errors=True)
        Path(f"{run_root}.pid").unlink(missing_ok=True)
    assert SHARED_BRIDGE.exists() == shared_bridge, "the private engine touched docker0"
