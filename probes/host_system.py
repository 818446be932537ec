"""The operating system, processor, memory and control groups, read from /proc and /sys; and
the small readers the other host facts share (files, XML, account names)."""

from __future__ import annotations

import grp
import os
import platform
import pwd
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Literal

from advisor.probes.host_models import CgroupFacts, CpuFacts, MemoryFacts, OsFacts


def gather_os_facts(os_release: Path = Path("/etc/os-release")) -> OsFacts:
    """The system, distribution and kernel."""
    fields = parse_os_release(read_text(os_release) or "")
    return OsFacts(
        system=platform.system(),
        distribution=fields.get("PRETTY_NAME") or fields.get("NAME"),
        distribution_id=fields.get("ID"),
        distribution_version=fields.get("VERSION_ID"),
        kernel=platform.release(),
        architecture=platform.machine(),
        source=f"{os_release}; uname(2)" if fields else "uname(2)",
    )


def parse_os_release(text: str) -> dict[str, str]:
    """The KEY=value pairs of an os-release file, with shell quoting removed."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if not sep or key.startswith("#"):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        fields[key] = value
    return fields


def gather_cpu_facts(cpuinfo: Path = Path("/proc/cpuinfo")) -> CpuFacts:
    """The processor model and count, and its virtualization flags."""
    text = read_text(cpuinfo)
    if text is None:
        return CpuFacts(
            model=platform.processor() or None,
            count=os.cpu_count(),
            virtualization_extension=None,
            hypervisor_flag=None,
            source=f"os.cpu_count() ({cpuinfo} unreadable)",
        )
    return parse_cpuinfo(text, source=str(cpuinfo))


def parse_cpuinfo(text: str, source: str) -> CpuFacts:
    """Model, processor count and flags from /proc/cpuinfo."""
    model: str | None = None
    count = 0
    flags: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "processor":
            count += 1
        elif key == "model name" and model is None:
            model = value.strip()
        elif key == "flags" and not flags:
            flags = set(value.split())
    extension: Literal["vmx", "svm"] | None = (
        "vmx" if "vmx" in flags else "svm" if "svm" in flags else None
    )
    return CpuFacts(
        model=model,
        count=count or None,
        virtualization_extension=extension,
        hypervisor_flag=("hypervisor" in flags) if flags else None,
        source=source,
    )


def gather_memory_facts(meminfo: Path = Path("/proc/meminfo")) -> MemoryFacts:
    """Total and available memory."""
    fields = parse_meminfo(read_text(meminfo) or "")
    return MemoryFacts(
        total_bytes=fields.get("MemTotal"),
        available_bytes=fields.get("MemAvailable"),
        source=str(meminfo),
    )


def parse_meminfo(text: str) -> dict[str, int]:
    """The /proc/meminfo fields in bytes."""
    fields: dict[str, int] = {}
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+):\s+(\d+)(?:\s+kB)?\s*", line)
        if match:
            factor = 1024 if line.rstrip().endswith("kB") else 1
            fields[match.group(1)] = int(match.group(2)) * factor
    return fields


# --- control groups ---------------------------------------------------------------------


def gather_cgroup_facts(
    mountinfo: Path = Path("/proc/self/mountinfo"),
    proc_cgroups: Path = Path("/proc/cgroups"),
    cgroup_root: Path = Path("/sys/fs/cgroup"),
) -> CgroupFacts:
    """The cgroup version in use and the controllers present."""
    version, hybrid = parse_cgroup_mounts(read_text(mountinfo) or "", str(cgroup_root))
    if version == 2:
        listing = cgroup_root / "cgroup.controllers"
        controllers = tuple((read_text(listing) or "").split())
        return CgroupFacts(
            version=2,
            hybrid=False,
            controllers=controllers,
            source=f"{mountinfo}; {listing}",
        )
    return CgroupFacts(
        version=version,
        hybrid=hybrid,
        controllers=parse_proc_cgroups(read_text(proc_cgroups) or ""),
        source=f"{mountinfo}; {proc_cgroups}",
    )


def parse_cgroup_mounts(mountinfo: str, cgroup_root: str) -> tuple[Literal[1, 2] | None, bool]:
    """The cgroup version from the mount table, and whether a v1 host also mounts a v2 tree."""
    v1_mounted = False
    v2_below_root = False
    for line in mountinfo.splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        mount_point = fields[4]
        fs_type = line.split(" - ", 1)[1].split()[0]
        if fs_type == "cgroup2":
            if mount_point == cgroup_root:
                return 2, False
            if mount_point.startswith(cgroup_root + "/"):
                v2_below_root = True
        elif fs_type == "cgroup":
            v1_mounted = True
    if v1_mounted:
        return 1, v2_below_root
    return None, False


def parse_proc_cgroups(text: str) -> tuple[str, ...]:
    """The v1 controllers that are enabled and mounted in a hierarchy, from /proc/cgroups."""
    controllers = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) == 4 and fields[1] != "0" and fields[3] == "1":
            controllers.append(fields[0])
    return tuple(controllers)


# --- shared readers -------------------------------------------------------------------


def read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def stat_or_none(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def parse_xml(text: str) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def group_id(name: str) -> int | None:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None
