"""The fixed CPU-bound workload run natively, in the container and in the guest.

The same busybox shell script runs in all three places so that their times compare the
environments, not the tools. It times itself with /proc/uptime (centiseconds), which exists
on the host, in a container and in the guest alike, since this busybox's `date` has no
sub-second format.
"""

from __future__ import annotations

import re
from pathlib import Path

from advisor.base.i18n import _
from advisor.probes.commands import CommandFailed, run_command
from advisor.probes.control import CancelToken

WORKLOAD_MEBIBYTES = 48
# In a guest under software emulation (TCG) the same work runs some 15 times slower: a third
# of it there still takes about a second, a hundred times the clock's resolution, where 48 MiB
# took 2.4 to 3.4 s of every probe run. The checksum's rate is steady over its input, so the
# guest's time per MiB compares with the host's (see `cpu_cost`).
GUEST_WORKLOAD_MEBIBYTES = 16
RESULT_PREFIX = "DVM_WORKLOAD_CS="


def workload_script(mebibytes: int = WORKLOAD_MEBIBYTES) -> str:
    """The workload over `mebibytes` MiB, printing its own duration in centiseconds."""
    # A checksum of a fixed, all-zero buffer: deterministic, CPU-bound, no disk and no network.
    return (
        "a=$(cut -d' ' -f1 /proc/uptime); "
        f"dd if=/dev/zero bs=65536 count={mebibytes * 16} 2>/dev/null | md5sum >/dev/null; "
        "b=$(cut -d' ' -f1 /proc/uptime); "
        # Centiseconds without leading zeros, which the shell would read as octal.
        "a=$((${a%.*} * 100 + 1${a#*.} - 100)); b=$((${b%.*} * 100 + 1${b#*.} - 100)); "
        f'echo "{RESULT_PREFIX}$((b - a))"'
    )


WORKLOAD_SCRIPT = workload_script()

_RESULT_LINE = re.compile(re.escape(RESULT_PREFIX) + r"(\d+)")


def parse_workload_seconds(output: str) -> float | None:
    """The workload's duration in seconds from the output it printed, or None if absent."""
    match = _RESULT_LINE.search(output)
    if match is None:
        return None
    return int(match.group(1)) / 100.0


def workload_loop(runs: int) -> str:
    """The workload `runs` times over in one shell, each run printing its own result line."""
    return f"for run in {' '.join(str(n) for n in range(1, runs + 1))}; do {WORKLOAD_SCRIPT}; done"


def parse_all_workload_seconds(output: str) -> list[float]:
    """Every workload duration printed in `output`, in order."""
    return [int(match.group(1)) / 100.0 for match in _RESULT_LINE.finditer(output)]


def measure_native_workload(
    busybox: Path, runs: int, timeout_seconds: float, cancel: CancelToken
) -> list[float]:
    """Time the workload `runs` times on the host, with `busybox sh`, outside any sandbox.

    Raises CommandFailed when the shell fails, overruns or prints fewer results than runs.
    """
    output = run_command([str(busybox), "sh", "-c", workload_loop(runs)], timeout_seconds, cancel)
    times = parse_all_workload_seconds(output)
    if len(times) != runs:
        raise CommandFailed(
            _("the native CPU workload printed {count} of {runs} results").format(
                count=len(times), runs=runs
            )
        )
    return times
