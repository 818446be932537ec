"""The facts the probes gathered about a workstation, as rows of label and value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.grounding import format_bytes

if TYPE_CHECKING:
    from advisor.probes.suite import ProbeReport


def _yes_no(value: bool | None, unknown: str = "unknown") -> str:
    return unknown if value is None else "yes" if value else "no"


def host_fact_rows(report: ProbeReport) -> list[tuple[str, str]]:
    """Label and value for each fact worth showing, in reading order."""
    host = report.host
    os_name = host.os.distribution or host.os.system
    cpu = host.cpu.model or "unknown model"
    if host.cpu.count:
        cpu += f", {host.cpu.count} CPUs"
    if host.cpu.virtualization_extension:
        cpu += f", {host.cpu.virtualization_extension.upper()} extension"
    if host.cpu.hypervisor_flag:
        cpu += ", itself a virtual machine"
    memory = (
        f"{format_bytes(host.memory.total_bytes)} total"
        if host.memory.total_bytes is not None
        else "unknown"
    )
    if host.memory.available_bytes is not None:
        memory += f", {format_bytes(host.memory.available_bytes)} available"
    kvm = "/dev/kvm present" if host.kvm.device_present else "no /dev/kvm"
    kvm += f"; a guest proved it usable: {_yes_no(report.kvm_usable, 'not tried')}"
    if host.kvm.problem:
        kvm += f"; {host.kvm.problem}"
    cgroup = f"v{host.cgroup.version}" if host.cgroup.version else "unknown"
    if host.cgroup.hybrid:
        cgroup += " (hybrid)"
    docker = host.docker
    if docker.answers:
        engine = f"{docker.version or 'version unknown'} at {docker.endpoint}"
        if docker.storage_driver:
            engine += f", {docker.storage_driver}"
        if docker.root_equivalent:
            engine += "; its socket gives root"
    else:
        engine = f"not reachable: {docker.reason or 'no answer'}"
    libvirt = host.libvirt
    if libvirt.answers:
        hypervisor = f"libvirt {libvirt.version or '?'}, {libvirt.hypervisor or 'hypervisor ?'}"
        hypervisor += f" at {libvirt.uri}"
    else:
        hypervisor = f"not reachable at {libvirt.uri}: {libvirt.reason or 'no answer'}"
    return [
        ("Host name", report.hostname),
        ("Operating system", f"{os_name} ({host.os.architecture})"),
        ("Kernel", host.os.kernel),
        ("CPU", cpu),
        ("Memory", memory),
        ("KVM", kvm),
        ("Control groups", cgroup),
        ("Docker engine", engine),
        ("Hypervisor", hypervisor),
        (
            "Measured",
            f"{report.taken_at.astimezone():%Y-%m-%d %H:%M}, took {report.wall_seconds:.0f} s",
        ),
        ("Measured by", f"dvm-advisor {report.tool_versions.dvm_advisor}"),
    ]
