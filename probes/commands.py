"""Running a host command from a probe: argument lists, a time limit, and the cancel token."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from advisor.base.i18n import _
from advisor.probes.control import CancelToken
from advisor.probes.errors import ProbeFailed

_POLL_SECONDS = 0.05


class CommandFailed(ProbeFailed):
    """A command could not start, exited non-zero or overran its time limit."""


def run_command(
    args: Sequence[str],
    timeout_seconds: float,
    cancel: CancelToken,
    cwd: Path | None = None,
) -> str:
    """Run `args` (no shell) and return its standard output.

    Raises CommandFailed with the last line of its standard error when it fails or takes
    longer than `timeout_seconds`, and ProbeCancelled (after killing it) on cancel.
    """
    command = " ".join(args)
    try:
        process = subprocess.Popen(
            list(args),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as error:
        raise CommandFailed(
            _("cannot run {command}: it is not installed, or this user may not run it").format(
                command=args[0]
            ),
            _("install {name}, or run the probe as a user who may run it").format(
                name=Path(args[0]).name
            ),
        ) from error
    ends = time.monotonic() + timeout_seconds
    try:
        while True:
            try:
                stdout, stderr = process.communicate(timeout=_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                cancel.raise_if_cancelled()
                if time.monotonic() >= ends:
                    raise CommandFailed(
                        _("{command} took longer than {seconds:g} s").format(
                            command=command, seconds=timeout_seconds
                        )
                    ) from None
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    if process.returncode != 0:
        last_line = (stderr.strip().splitlines() or [_("no message")])[-1]
        raise CommandFailed(
            _("{command} exited with status {status}: {message}").format(
                command=command, status=process.returncode, message=last_line
            )
        )
    return stdout
