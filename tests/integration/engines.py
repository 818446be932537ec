"""Container engines of the tests' own, besides the shared root dockerd: Podman's
Docker-compatible service, as root and as the ordinary user, and rootless Docker for that user.

Each runs on a socket and with storage of its own, in a folder the test made, and is ended,
with everything it kept, after the test. The settings this sandbox needs are set here for
these instances only (see HOST_SETTINGS), never on the machine: root lacks CAP_SYS_RESOURCE,
so Podman's root defaults for rlimits cannot be applied; `/dev/net/tun` is root-only, so
rootless Docker runs with the host's network namespace and no bridge.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import docker

from tests.integration.conftest import daemon_missing
from tests.integration.unprivileged.workstation import WorkstationUser

ENGINE_STARTS_SECONDS = 60.0
ENGINE_ENDS_SECONDS = 20.0
ROOTLESS_DOCKER_SCRIPT = "/usr/share/docker.io/contrib/dockerd-rootless.sh"
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
SETPRIV_ENV = {"PATH": SYSTEM_PATH}

# For this sandbox: rlimits the runtime may set without CAP_SYS_RESOURCE.
PODMAN_CONF = """[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
tmp_dir = "{folder}/t"
"""
# A rootless Podman reads rootless_storage_path where root reads graphroot.
PODMAN_STORAGE = """[storage]
driver = "overlay"
graphroot = "{folder}/g"
runroot = "{folder}/r"
rootless_storage_path = "{folder}/g"
"""
# For this sandbox: no tap device for the user, so no network namespace of its own.
ROOTLESS_DOCKER_ENV = {
    "DOCKERD_ROOTLESS_ROOTLESSKIT_NET": "host",
    "DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER": "none",
}


@dataclass(frozen=True)
class Engine:
    """An engine the test started: where it listens, and what it is."""

    name: str  # as the probe should call it: "Podman", "Docker Engine"
    socket: Path
    rootless: bool
    runtime_dir: Path | None = None  # the XDG_RUNTIME_DIR its user's clients must have

    @property
    def address(self) -> str:
        return f"unix://{self.socket}"

    def client(self) -> docker.DockerClient:
        return docker.DockerClient(base_url=self.address, timeout=30)


def _needs(program: str) -> None:
    if shutil.which(program) is None and not Path(program).exists():
        daemon_missing(f"{program} is not installed: run scripts/provision-host test as root")


def _wait_for(socket: Path, process: subprocess.Popen[bytes], log: Path) -> None:
    ends = time.monotonic() + ENGINE_STARTS_SECONDS
    while time.monotonic() < ends:
        if process.poll() is not None:
            break
        if socket.exists() and _answers(socket):
            return
        time.sleep(0.2)
    _end(process)
    daemon_missing(f"the engine at {socket} did not answer: {log.read_text()[-2000:]}")


def _answers(socket: Path) -> bool:
    client = docker.DockerClient(base_url=f"unix://{socket}", timeout=5)
    try:
        return bool(client.ping())
    except Exception:  # not listening yet: any failure means the same here
        return False
    finally:
        client.close()


def _end(process: subprocess.Popen[bytes]) -> None:
    """End the engine's whole process group, as a logout would, and wait for it."""
    for stop in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, stop)
        try:
            process.wait(ENGINE_ENDS_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue


def _start(argv: Sequence[str], env: dict[str, str], folder: Path) -> subprocess.Popen[bytes]:
    log = folder / "engine.log"
    with log.open("wb") as output:
        return subprocess.Popen(
            argv,
            env=env,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _unmount_under(folder: Path) -> None:
    """Podman as root mounts its overlay storage on itself, and leaves it mounted."""
    with Path("/proc/self/mountinfo").open() as mounts:
        points = [line.split()[4] for line in mounts]
    inside = sorted((p for p in points if p.startswith(f"{folder}/")), reverse=True)
    for point in inside:
        subprocess.run(["umount", "--lazy", point], check=False, capture_output=True)


def _write(path: Path, text: str, owner: WorkstationUser | None = None) -> Path:
    path.write_text(text)
    if owner is not None:
        os.chown(path, owner.uid, owner.gid)
    return path


def _end_what_the_login_left(user: WorkstationUser, runtime: Path) -> None:
    """Rootless Podman leaves a pause process holding its user namespace, and its
    containers' conmon: end every process of the user serving the runtime folder."""
    for pid, _ in user.processes_serving(runtime):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def short_folder() -> Path:
    """A new folder for an engine of root's: short, as the paths of the sockets Podman and
    conmon make under it must fit a unix socket's 108 bytes."""
    return Path(tempfile.mkdtemp(prefix="dvm-engine-"))


@contextlib.contextmanager
def root_podman(folder: Path) -> Iterator[Engine]:
    """Podman's Docker-compatible service as root, on a socket and storage in `folder` (a
    short_folder())."""
    _needs("podman")
    socket = folder / "podman.sock"
    env = {
        "PATH": SYSTEM_PATH,
        "HOME": str(folder),
        "CONTAINERS_CONF": str(
            _write(folder / "containers.conf", PODMAN_CONF.format(folder=folder))
        ),
        "CONTAINERS_STORAGE_CONF": str(
            _write(folder / "storage.conf", PODMAN_STORAGE.format(folder=folder))
        ),
    }
    process = _start(["podman", "system", "service", "--time=0", f"unix://{socket}"], env, folder)
    try:
        _wait_for(socket, process, folder / "engine.log")
        yield Engine("Podman", socket, rootless=False)
    finally:
        _end(process)
        _unmount_under(folder)


@contextlib.contextmanager
def user_podman(user: WorkstationUser, folder: Path) -> Iterator[Engine]:
    """Podman's service as the user, on the socket rootless Podman makes in the user's
    runtime folder, with storage in `folder` (the user's).

    The runtime folder is one of its own, by a short path (Engine.runtime_dir): rootless
    Podman keeps its run root there, and the sockets conmon makes under it must fit a unix
    socket's 108 bytes, which a folder in the user's home does not."""
    _needs("podman")
    runtime = short_folder()
    os.chown(runtime, user.uid, user.gid)
    socket = runtime / "podman" / "podman.sock"
    socket.parent.mkdir(mode=0o700)
    os.chown(socket.parent, user.uid, user.gid)
    storage = _write(folder / "storage.conf", PODMAN_STORAGE.format(folder=folder), user)
    variables = {"CONTAINERS_STORAGE_CONF": str(storage), "XDG_RUNTIME_DIR": str(runtime)}
    argv = ["podman", "system", "service", "--time=0", f"unix://{socket}"]
    process = _start(user.command(argv, variables), SETPRIV_ENV, folder)
    try:
        _wait_for(socket, process, folder / "engine.log")
        yield Engine("Podman", socket, rootless=True, runtime_dir=runtime)
    finally:
        _end(process)
        _end_what_the_login_left(user, runtime)
        shutil.rmtree(runtime, ignore_errors=True)


@contextlib.contextmanager
def user_rootless_docker(user: WorkstationUser, folder: Path) -> Iterator[Engine]:
    """Rootless Docker as the user, on its default socket in the user's runtime folder,
    with its data in `folder`."""
    _needs(ROOTLESS_DOCKER_SCRIPT)
    _needs("rootlesskit")
    assert user.runtime_dir is not None, "a login's runtime folder is where the socket goes"
    socket = user.runtime_dir / "docker.sock"
    env = {**ROOTLESS_DOCKER_ENV, "PATH": f"{Path(ROOTLESS_DOCKER_SCRIPT).parent}:{SYSTEM_PATH}"}
    argv = [
        ROOTLESS_DOCKER_SCRIPT,
        f"--data-root={folder / 'data'}",
        "--bridge=none",
        "--iptables=false",
    ]
    process = _start(user.command(argv, env), SETPRIV_ENV, folder)
    try:
        _wait_for(socket, process, folder / "engine.log")
        yield Engine("Docker Engine", socket, rootless=True)
    finally:
        _end(process)
