"""The ordinary workstation user the unprivileged tests run as, and how to run commands as them.

Each command runs through `setpriv` with the user's own groups (or chosen ones) and a clean
environment, as a login would give it, so the probe reaches root's dockerd through the
docker group and libvirt through the user's `qemu:///session`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

COMMAND_TIMEOUT_SECONDS = 300
SESSION_DAEMON_GONE_SECONDS = 10.0


@dataclass(frozen=True)
class WorkstationUser:
    """An ordinary user with a venv of this checkout, and how to run commands as them."""

    name: str
    uid: int
    gid: int
    home: Path
    venv: Path
    # The XDG runtime folder a login gives the user (/run/user/UID on a desktop). The session
    # daemon's sockets live there: each login of new_login() has a daemon of its own.
    runtime_dir: Path | None = None

    @property
    def cache_dir(self) -> Path:
        """The app's cache folder as the user's own process finds it (~/.cache/dvm-advisor)."""
        return self.home / ".cache" / "dvm-advisor"

    @property
    def session_log_dir(self) -> Path:
        """Where the user's session daemon writes each domain's QEMU log."""
        return self.home / ".cache" / "libvirt" / "qemu" / "log"

    def program(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """What a login gives the user, and nothing of the test's own environment."""
        return {
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "SHELL": "/bin/bash",
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            **({"XDG_RUNTIME_DIR": str(self.runtime_dir)} if self.runtime_dir else {}),
            **(extra or {}),
        }

    def command(
        self,
        argv: Sequence[str],
        extra_env: Mapping[str, str] | None = None,
        groups: Iterable[str] | None = None,
    ) -> list[str]:
        """`argv` as this user: their groups (or only `groups`), a clean environment.

        setpriv and env exec in place, so the process started has the probe's own pid."""
        membership = ["--init-groups"]
        if groups is not None:
            chosen = ",".join(groups)
            membership = [f"--groups={chosen}"] if chosen else ["--clear-groups"]
        variables = [f"{key}={value}" for key, value in self.environment(extra_env).items()]
        return [
            *("setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", *membership),
            *("--", "env", "-i", *variables, *argv),
        ]

    def popen(
        self,
        argv: Sequence[str],
        extra_env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        groups: Iterable[str] | None = None,
        **options: Any,
    ) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(argv, extra_env, groups),
            cwd=cwd or self.home,
            stdin=subprocess.DEVNULL,
            text=True,
            **options,
        )

    def run(
        self,
        argv: Sequence[str],
        extra_env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        groups: Iterable[str] | None = None,
    ) -> tuple[subprocess.CompletedProcess[str], int]:
        """Run to its end; the outcome and the pid it ran with."""
        process = self.popen(
            argv,
            extra_env,
            cwd,
            groups=groups,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            stdout, stderr = process.communicate(timeout=COMMAND_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            pytest.fail(f"{' '.join(argv)} as {self.name} did not end: {stderr[-2000:]}")
        done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        return done, process.pid

    def session_domains(self) -> list[str]:
        """Every domain, running or defined, in the user's own qemu:///session."""
        done, _ = self.run(["virsh", "-c", "qemu:///session", "list", "--all", "--name"])
        assert done.returncode == 0, done.stderr
        return [line.strip() for line in done.stdout.splitlines() if line.strip()]

    def session_daemons(self) -> list[int]:
        """The pids of the user's libvirt session daemons (and their virtlogd) serving this
        login's runtime folder."""
        if self.runtime_dir is None:
            return []
        daemons = ("libvirtd", "virtqemud", "virtlogd")
        return [
            pid for pid, program in self.processes_serving(self.runtime_dir) if program in daemons
        ]

    def processes_serving(self, runtime_dir: Path) -> list[tuple[int, str]]:
        """The user's processes (pid, program name) whose XDG_RUNTIME_DIR is `runtime_dir`."""
        found = []
        serving = f"XDG_RUNTIME_DIR={runtime_dir}".encode()
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                if proc.stat().st_uid != self.uid:
                    continue
                arguments = (proc / "cmdline").read_bytes().split(b"\0")
                environment = (proc / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if serving in environment:
                found.append((int(proc.name), Path(arguments[0].decode(errors="replace")).name))
        return found

    def stop_session_daemons(self) -> None:
        """End the session daemons of this login, as logging out does, and wait until gone.

        A libvirtd told to stop while a guest's QEMU was ending can hang in its shutdown for
        good, its socket already removed: what SIGTERM leaves after a while gets SIGKILL."""
        for stop in (signal.SIGTERM, signal.SIGKILL):
            for pid in self.session_daemons():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, stop)
            ends = time.monotonic() + SESSION_DAEMON_GONE_SECONDS
            while self.session_daemons() and time.monotonic() < ends:
                time.sleep(0.1)
        assert self.session_daemons() == [], "the user's session daemon did not end"

    @contextlib.contextmanager
    def new_login(self) -> Iterator[WorkstationUser]:
        """The user as after a login: a runtime folder of their own, where no session daemon
        runs until a libvirt client starts one; it is ended, and the folder removed, after.

        Test runs beside this one, as the same user, keep their own session daemons."""
        folder = self.scratch()
        runtime = folder / "run"
        runtime.mkdir(mode=0o700)
        os.chown(runtime, self.uid, self.gid)
        user = dataclasses.replace(self, runtime_dir=runtime)
        try:
            yield user
        finally:
            user.stop_session_daemons()
            shutil.rmtree(folder, ignore_errors=True)

    def scratch(self) -> Path:
        """A new folder (0700) in the user's home, theirs to write in; the caller removes it.

        Not in /tmp: the system's temporary folder is where the probes' own leftovers are
        looked for."""
        folder = Path(tempfile.mkdtemp(prefix="dvm-advisor-test-", dir=self.home))
        os.chown(folder, self.uid, self.gid)
        return folder

    def give(self, source: Path, folder: Path) -> Path:
        """A copy of `source` in `folder`, owned by the user."""
        target = folder / source.name
        shutil.copyfile(source, target)
        os.chown(target, self.uid, self.gid)
        return target
