"""QEMU processes of probe guests, found in /proc by the guest name on their command line, and
their resident memory."""

from __future__ import annotations

import re
from pathlib import Path


def qemu_pids(name_prefix: str) -> dict[int, str]:
    """QEMU processes whose guest name starts with `name_prefix`, by pid, from /proc."""
    found: dict[int, str] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            arguments = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        for argument in arguments:
            text = argument.decode("utf-8", errors="replace")
            if text.startswith(f"guest={name_prefix}"):
                found[int(proc.name)] = text.removeprefix("guest=").split(",", 1)[0]
    return found


def find_qemu_pid(domain_name: str) -> int | None:
    """The pid of the QEMU process running `domain_name`, if this user can see it."""
    for pid, guest in qemu_pids(domain_name).items():
        if guest == domain_name:
            return pid
    return None


def read_rss_bytes(pid: int | None) -> int | None:
    """A process's resident memory from /proc/<pid>/status, or None once it is gone."""
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else None
