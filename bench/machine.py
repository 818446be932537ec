"""The machine the benchmarks ran on, and how busy it was: the context every figure needs."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

from advisor.probes.report import ProbeReport

COMMAND_TIMEOUT_SECONDS = 10.0
# Other work that weighs on the figures when it runs beside the benchmark.
BUSY_PATTERNS = ("pytest", "pyinstaller", "PyInstaller", "qemu-system", "mypy", "ruff")


def _first_line(command: list[str]) -> str | None:
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = result.stdout.strip().splitlines()
    return lines[0].strip() if lines else None


def cpu_model() -> str:
    """The CPU's model name as the kernel reports it."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found[1].strip() if found else platform.processor() or "unknown"


def memory_gib() -> float | None:
    """Total memory in GiB, from /proc/meminfo."""
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    found = re.search(r"^MemTotal:\s+(\d+) kB", text, re.MULTILINE)
    return int(found[1]) / 1024**2 if found else None


def distribution() -> str:
    """The operating system's name, from /etc/os-release."""
    try:
        text = Path("/etc/os-release").read_text()
    except OSError:
        return platform.system()
    found = re.search(r'^PRETTY_NAME="?([^"\n]+)"?$', text, re.MULTILINE)
    return found[1] if found else platform.system()


def accelerator(report: ProbeReport | None) -> str:
    """What the VM probe booted with, and what it found of KVM, from a probe report."""
    kvm_device = "present" if Path("/dev/kvm").exists() else "absent"
    if report is None or report.vm is None or report.vm.accelerator is None:
        return f"not measured (/dev/kvm {kvm_device})"
    vm = report.vm
    chosen = "TCG (software emulation)" if vm.accelerator == "tcg" else "KVM"
    tried = [
        f"{attempt.accelerator.upper()}: {attempt.outcome.replace('_', ' ')}"
        for attempt in vm.attempts
        if attempt.accelerator != vm.accelerator
    ]
    detail = f"; {', '.join(tried)}" if tried else ""
    return f"{chosen} (/dev/kvm {kvm_device}{detail})"


def versions() -> dict[str, str]:
    """The software under measurement, each as its own tool reports it."""
    docker = _first_line(["docker", "version", "--format", "{{.Server.Version}}"])
    libvirt = _first_line(["virsh", "-c", "qemu:///system", "version", "--daemon"])
    qemu = _first_line(["qemu-system-x86_64", "--version"])
    xvfb = _first_line(["dpkg-query", "-W", "-f=${Version}", "xvfb"])
    return {
        "Docker engine": docker or "not reachable",
        "Docker CLI": _first_line(["docker", "version", "--format", "{{.Client.Version}}"])
        or "not installed",
        "libvirt": _libvirt_version(libvirt),
        "QEMU": qemu.removeprefix("QEMU emulator version ") if qemu else "not installed",
        "Python": platform.python_version(),
        "PySide6": _installed("PySide6-Essentials"),
        "Xvfb": xvfb or "not installed",
    }


def _libvirt_version(virsh_line: str | None) -> str:
    if virsh_line is None:
        return "not reachable"
    found = re.search(r"(\d+\.\d+\.\d+)", virsh_line)
    return found[1] if found else virsh_line


def _installed(distribution_name: str) -> str:
    try:
        return metadata.version(distribution_name)
    except metadata.PackageNotFoundError:
        return "not installed"


def load() -> str:
    """The load averages and the other busy processes, right now."""
    one, five, fifteen = os.getloadavg()
    mine = {os.getpid(), os.getppid()}
    busy: list[str] = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) in mine:
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        for pattern in BUSY_PATTERNS:
            if pattern in command:
                busy.append(pattern.lower())
                break
    counted = ", ".join(f"{busy.count(name)} {name}" for name in sorted(set(busy)))
    others = f"; other processes: {counted}" if counted else "; no other test or build running"
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min){others}"


def steal_seconds() -> float:
    """CPU time this machine's hypervisor gave to others while this machine's CPUs wanted
    it (the "steal" of /proc/stat), all CPUs together, since boot; 0 where none is counted."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return 0.0
    ticks = int(fields[8]) if len(fields) > 8 and fields[0] == "cpu" else 0
    return ticks / os.sysconf("SC_CLK_TCK")


def running_guests() -> int:
    """QEMU processes running now: other guests share the CPU, and libvirt's share of it."""
    count = 0
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "comm").read_text().startswith("qemu-system"):
                count += 1
        except OSError:
            continue
    return count


def _command_name(pid: str) -> str | None:
    try:
        return (Path("/proc") / pid / "comm").read_text().strip()
    except OSError:
        return None


def libvirtd_parent() -> str:
    """What runs libvirtd, and so reaps the QEMU processes it daemonizes: init, or a
    subreaper between them (tini, where scripts/provision-host started it without systemd)."""
    init = _command_name("1") or "unknown"
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or _command_name(proc.name) != "libvirtd":
            continue
        try:
            parent = (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            continue
        name = _command_name(parent) or "unknown"
        if parent == "1":
            return f"{name} (the init process)"
        return f"{name}, under init {init}"
    return f"libvirtd not found (init: {init})"


def describe(report: ProbeReport | None) -> list[str]:
    """The machine, one fact a line, for the head of docs/benchmarks.md."""
    memory = memory_gib()
    lines = [
        f"CPU: {cpu_model()}, {os.cpu_count()} logical cores",
        f"Memory: {memory:.1f} GiB" if memory is not None else "Memory: unknown",
        f"OS: {distribution()}, kernel {platform.release()} ({platform.machine()})",
        f"VM accelerator: {accelerator(report)}",
        f"libvirtd run by: {libvirtd_parent()}",
    ]
    lines += [f"{name}: {version}" for name, version in versions().items()]
    return lines
