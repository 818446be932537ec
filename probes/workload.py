"""The fixed CPU-bound workload run natively, in the container and in the guest.

The same busybox shell script runs in all three places so that their times compare the
environments, not the tools. It times itself with /proc/uptime (centiseconds), which exists
on the host, in a container and in the guest alike, since this busybox's `date` has no
sub-second format.
"""

from __future__ import annotations

import re

WORKLOAD_MEBIBYTES = 48
RESULT_PREFIX = "DVM_WORKLOAD_CS="

# A checksum of a fixed, all-zero buffer: deterministic, CPU-bound, no disk and no network.
WORKLOAD_SCRIPT = (
    "a=$(cut -d' ' -f1 /proc/uptime); "
    f"dd if=/dev/zero bs=65536 count={WORKLOAD_MEBIBYTES * 16} 2>/dev/null | md5sum >/dev/null; "
    "b=$(cut -d' ' -f1 /proc/uptime); "
    # Centiseconds without leading zeros, which the shell would read as octal.
    "a=$((${a%.*} * 100 + 1${a#*.} - 100)); b=$((${b%.*} * 100 + 1${b#*.} - 100)); "
    f'echo "{RESULT_PREFIX}$((b - a))"'
)

_RESULT_LINE = re.compile(re.escape(RESULT_PREFIX) + r"(\d+)")


def parse_workload_seconds(output: str) -> float | None:
    """The workload's duration in seconds from the output it printed, or None if absent."""
    match = _RESULT_LINE.search(output)
    if match is None:
        return None
    return int(match.group(1)) / 100.0
