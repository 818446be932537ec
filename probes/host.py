"""Facts about this workstation, each saying where it was read from; none is guessed.

Files under /proc and /sys are read directly. The Docker engine and libvirt are asked
through their APIs with a timeout on every call, so an engine or daemon that hangs costs
at most that timeout. libvirt is imported only when it is asked, so the rest works without
its Python binding.
"""

from __future__ import annotations

import grp
import os
import platform
import pwd
import re
import socket
import stat
import urllib.parse
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from advisor.modelbase import FrozenModel
from advisor.probes.deadline import DeadlineExceeded, call_with_deadline
from advisor.probes.docker_engine import (
    EngineUnavailable,
    connect,
    docker_endpoint,
    explain_engine_error,
    socket_path,
)
from advisor.probes.libvirt_access import (
    LIBVIRT_CHECK_FIX,
    explain_connection_error,
    explain_import_error,
    import_libvirt,
    is_system_uri,
)
from advisor.probes.quantities import Bytes, Count, Label, Labels, Text

KVM_DEVICE = Path("/dev/kvm")
KVM_UDEV_RULE = 'KERNEL=="kvm", GROUP="kvm", MODE="0660"'


class OsFacts(FrozenModel):
    """The operating system and distribution."""

    system: Label  # "Linux", "Darwin", "Windows"
    distribution: Text | None  # PRETTY_NAME
    distribution_id: Label | None
    distribution_version: Label | None
    kernel: Label
    architecture: Label
    source: Text


class CpuFacts(FrozenModel):
    """The processor, and what it says about hardware virtualization."""

    model: Label | None
    count: Count | None
    virtualization_extension: Literal["vmx", "svm"] | None  # Intel VT-x or AMD-V in the flags
    hypervisor_flag: bool | None  # set when this machine is itself a virtual machine
    source: Text


class MemoryFacts(FrozenModel):
    """Physical memory."""

    total_bytes: Bytes | None
    available_bytes: Bytes | None
    source: Text


class KvmFacts(FrozenModel):
    """/dev/kvm: present, who may open it, and whether a guest proved it usable."""

    device_present: bool
    owner: Label | None
    group: Label | None
    mode: Label | None  # octal permission bits, e.g. "0660"
    accessible_to_user: bool
    qemu_user: Label | None  # the user libvirt runs QEMU as, from its DAC security label
    accessible_to_qemu: bool | None
    nested: bool | None  # the kvm_intel/kvm_amd `nested` parameter, where the kernel has one
    nested_source: Text
    # /dev/kvm present but closed to libvirt's QEMU: libvirt then re-probes QEMU on every
    # call, which makes each domain start take tens of seconds.
    capability_cache_trap: bool
    problem: Text | None
    fix: Text | None
    usable: bool | None = None  # None until a guest with KVM reached its marker, or did not
    usable_source: Text | None = None
    source: Text


class CgroupFacts(FrozenModel):
    """The control-group hierarchy containers are confined with."""

    version: Literal[1, 2] | None
    hybrid: bool  # a v1 hierarchy with a v2 tree mounted beside it
    controllers: Labels
    source: Text


class DockerFacts(FrozenModel):
    """Whether the Docker engine answers, and what reaching it means."""

    answers: bool
    endpoint: Text
    version: Label | None
    api_version: Label | None
    storage_driver: Label | None
    cgroup_version: Label | None  # as the engine reports it
    rootless: bool | None
    user_reaches_socket: bool | None
    access_via: Label | None  # how this user reaches the socket: "root", "group 'docker'", ...
    # Reaching a rootful engine's socket lets one start a container that mounts the host's
    # root file system: it is as good as root on the host.
    root_equivalent: bool | None
    root_warning: Text | None = None  # that, said plainly, where it applies
    reason: Text | None
    fix: Text | None
    source: Text


class LibvirtFacts(FrozenModel):
    """Whether libvirt answers, and which kinds of domain it offers."""

    answers: bool
    uri: Text
    version: Label | None
    hypervisor: Label | None  # e.g. "QEMU 7.2.22"
    domain_types: Labels  # for the host's architecture: "qemu" (TCG), "kvm"
    kvm_domain_supported: bool | None  # libvirt's domain capabilities for type kvm
    reason: Text | None
    fix: Text | None
    source: Text


class HostFacts(FrozenModel):
    """Everything learned about the workstation before any probe launched anything."""

    hostname: Label
    os: OsFacts
    cpu: CpuFacts
    memory: MemoryFacts
    kvm: KvmFacts
    cgroup: CgroupFacts
    docker: DockerFacts
    libvirt: LibvirtFacts

    def with_kvm_usable(self, usable: bool | None, source: str) -> HostFacts:
        """A copy whose `kvm.usable` is what a guest proved."""
        kvm = self.kvm.model_copy(update={"usable": usable, "usable_source": source})
        return self.model_copy(update={"kvm": kvm})


@dataclass(frozen=True)
class QemuIdentity:
    """The user and groups libvirt runs QEMU processes as."""

    uid: int
    gid: int
    name: str | None
    groups: frozenset[int]


def default_libvirt_uri() -> str:
    """The libvirt connection a user of this machine would normally use."""
    return "qemu:///system" if os.geteuid() == 0 else "qemu:///session"


def gather_host_facts(libvirt_uri: str | None = None, timeout: float = 10.0) -> HostFacts:
    """Read every host fact; the Docker and libvirt parts each take at most `timeout` seconds."""
    uri = libvirt_uri or default_libvirt_uri()
    libvirt_facts, capabilities_xml = gather_libvirt_facts(uri, timeout)
    # The local /dev/kvm says nothing about QEMU on another machine.
    local = not urllib.parse.urlsplit(uri).hostname
    qemu = parse_qemu_identity(capabilities_xml) if capabilities_xml and local else None
    kvm = gather_kvm_facts(qemu, uri)
    if libvirt_facts.answers and "kvm" in libvirt_facts.domain_types:
        libvirt_facts = libvirt_facts.model_copy(
            update={"kvm_domain_supported": read_kvm_domain_support(uri, timeout, kvm)}
        )
    return HostFacts(
        hostname=socket.gethostname(),
        os=gather_os_facts(),
        cpu=gather_cpu_facts(),
        memory=gather_memory_facts(),
        kvm=kvm,
        cgroup=gather_cgroup_facts(),
        docker=gather_docker_facts(timeout),
        libvirt=libvirt_facts,
    )


# --- operating system, processor, memory -------------------------------------------------


def gather_os_facts(os_release: Path = Path("/etc/os-release")) -> OsFacts:
    """The system, distribution and kernel."""
    fields = parse_os_release(_read_text(os_release) or "")
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
    text = _read_text(cpuinfo)
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
    fields = parse_meminfo(_read_text(meminfo) or "")
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
    version, hybrid = parse_cgroup_mounts(_read_text(mountinfo) or "", str(cgroup_root))
    if version == 2:
        listing = cgroup_root / "cgroup.controllers"
        controllers = tuple((_read_text(listing) or "").split())
        return CgroupFacts(
            version=2,
            hybrid=False,
            controllers=controllers,
            source=f"{mountinfo}; {listing}",
        )
    return CgroupFacts(
        version=version,
        hybrid=hybrid,
        controllers=parse_proc_cgroups(_read_text(proc_cgroups) or ""),
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


# --- /dev/kvm ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceMode:
    """Ownership and permission bits of a device file."""

    uid: int
    gid: int
    mode: int


def gather_kvm_facts(qemu: QemuIdentity | None, libvirt_uri: str) -> KvmFacts:
    """Who may open /dev/kvm, the nested-virtualization setting, and the libvirt trap."""
    try:
        info = KVM_DEVICE.stat()
    except OSError:
        device = None
    else:
        device = DeviceMode(uid=info.st_uid, gid=info.st_gid, mode=stat.S_IMODE(info.st_mode))
    return assess_kvm(
        device,
        accessible_to_user=os.access(KVM_DEVICE, os.R_OK | os.W_OK),
        qemu=qemu,
        libvirt_uri=libvirt_uri,
        nested=read_nested_setting(),
    )


def assess_kvm(
    device: DeviceMode | None,
    accessible_to_user: bool,
    qemu: QemuIdentity | None,
    libvirt_uri: str,
    nested: tuple[bool | None, str],
) -> KvmFacts:
    """The /dev/kvm facts from the device's mode and the identity QEMU runs as.

    The capability-cache trap needs a daemon that probes QEMU as root (a system URI) while
    QEMU itself runs as a user who cannot open /dev/kvm.
    """
    if device is None:
        return KvmFacts(
            device_present=False,
            owner=None,
            group=None,
            mode=None,
            accessible_to_user=False,
            qemu_user=qemu.name if qemu else None,
            accessible_to_qemu=False if qemu else None,
            nested=nested[0],
            nested_source=nested[1],
            capability_cache_trap=False,
            problem=None,
            fix=None,
            source=f"stat {KVM_DEVICE}: not present",
        )
    owner, group = _user_name(device.uid), _group_name(device.gid)
    qemu_access = (
        dac_access(device.mode, device.uid, device.gid, qemu.uid, qemu.groups)
        if qemu is not None
        else None
    )
    trap = False
    problem = fix = None
    if qemu is not None and qemu_access is None:
        qemu_name = qemu.name or f"uid {qemu.uid}"
        closed = f"{KVM_DEVICE} is {owner}:{group} {device.mode:04o}, which {qemu_name} cannot open"
        trap = is_system_uri(libvirt_uri)
        if trap:
            problem = (
                f"{closed}, yet libvirt ({libvirt_uri}) probes QEMU as root: it then throws "
                "its QEMU capability cache away on every call, and each domain start takes "
                "tens of seconds"
            )
        else:
            problem = f"{closed}: QEMU guests get software emulation only"
        fix = kvm_permission_fix(qemu, device)
    source = f"stat {KVM_DEVICE}; access(2)"
    if qemu is not None:
        source += f"; libvirt {libvirt_uri} getCapabilities (DAC base label)"
    return KvmFacts(
        device_present=True,
        owner=owner,
        group=group,
        mode=f"{device.mode:04o}",
        accessible_to_user=accessible_to_user,
        qemu_user=qemu.name if qemu else None,
        accessible_to_qemu=None if qemu is None else qemu_access is not None,
        nested=nested[0],
        nested_source=nested[1],
        capability_cache_trap=trap,
        problem=problem,
        fix=fix,
        source=source,
    )


def kvm_permission_fix(qemu: QemuIdentity, device: DeviceMode) -> str:
    """The commands that let QEMU's user open /dev/kvm, and keep it so after a reboot."""
    kvm_gid = _group_id("kvm")
    steps = []
    if qemu.name and (kvm_gid is None or kvm_gid not in qemu.groups):
        steps.append(f"sudo usermod -aG kvm {qemu.name}")
    regroup = device.gid != kvm_gid or (device.mode >> 3) & 0o6 != 0o6
    if regroup:
        steps += [f"sudo chgrp kvm {KVM_DEVICE}", f"sudo chmod 0660 {KVM_DEVICE}"]
    fix = " && ".join(steps)
    if regroup:
        fix += f", and keep it so with the udev rule {KVM_UDEV_RULE} in /etc/udev/rules.d/"
    return fix


def read_nested_setting(modules: Path = Path("/sys/module")) -> tuple[bool | None, str]:
    """The KVM module's `nested` parameter, and the file it came from."""
    for module in ("kvm_intel", "kvm_amd"):
        parameter = modules / module / "parameters" / "nested"
        value = _read_text(parameter)
        if value is not None:
            return value.strip() in ("Y", "y", "1"), str(parameter)
    return None, f"not exposed: no kvm_intel or kvm_amd `nested` parameter under {modules}"


def dac_access(
    mode: int, owner_uid: int, owner_gid: int, uid: int, gids: frozenset[int]
) -> str | None:
    """How a process with `uid` and `gids` may read and write a file, or None if it may not.

    Follows the kernel's order: the owner bits apply to the owner, the group bits to members,
    the other bits to everyone else; root is allowed regardless.
    """
    read_write = 0o6
    if uid == 0:
        return "root"
    if uid == owner_uid:
        return "owner" if (mode >> 6) & read_write == read_write else None
    if owner_gid in gids:
        return (
            f"group '{_group_name(owner_gid)}'" if (mode >> 3) & read_write == read_write else None
        )
    return "permissions for everyone" if mode & read_write == read_write else None


# --- Docker -----------------------------------------------------------------------------


def gather_docker_facts(timeout: float) -> DockerFacts:
    """Whether the Docker engine answers, its version and storage, and what access it grants."""
    endpoint = docker_endpoint()
    path = socket_path(endpoint)
    socket_stat = _stat(path) if path else None
    access_via = None
    if socket_stat is not None:
        access_via = dac_access(
            stat.S_IMODE(socket_stat.st_mode),
            socket_stat.st_uid,
            socket_stat.st_gid,
            os.geteuid(),
            frozenset([os.getegid(), *os.getgroups()]),
        )
    source = f"docker API /version and /info at {endpoint}"
    if path:
        source += f"; stat {path}"
    warning = docker_root_warning(endpoint, path, socket_stat)
    unreached = DockerFacts(
        answers=False,
        endpoint=endpoint,
        version=None,
        api_version=None,
        storage_driver=None,
        cgroup_version=None,
        rootless=None,
        user_reaches_socket=(access_via is not None) if path else None,
        access_via=access_via,
        # A root-owned socket belongs to a rootful engine, whatever else is unknown.
        root_equivalent=True if socket_stat is not None and socket_stat.st_uid == 0 else None,
        root_warning=warning if socket_stat is not None and socket_stat.st_uid == 0 else None,
        reason=None,
        fix=None,
        source=source,
    )
    try:
        client = connect(timeout)
    except EngineUnavailable as error:
        return unreached.model_copy(update={"reason": error.reason, "fix": error.fix})
    try:
        version = client.version()
        info = client.info()
    except Exception as error:  # the SDK raises its own and requests' errors alike
        reason, fix = explain_engine_error(error, timeout)
        return unreached.model_copy(update={"reason": reason, "fix": fix})
    finally:
        client.close()
    rootless = any("name=rootless" in option for option in info.get("SecurityOptions") or [])
    return DockerFacts(
        answers=True,
        endpoint=endpoint,
        version=version.get("Version"),
        api_version=version.get("ApiVersion"),
        storage_driver=info.get("Driver"),
        cgroup_version=info.get("CgroupVersion"),
        rootless=rootless,
        user_reaches_socket=True,
        access_via=access_via,
        root_equivalent=not rootless,
        root_warning=None if rootless else warning,
        reason=None,
        fix=None,
        source=source,
    )


def docker_root_warning(endpoint: str, path: str | None, socket_stat: os.stat_result | None) -> str:
    """The plain statement that reaching a rootful engine is as good as being root here."""
    consequence = (
        "equivalent to root on this host: whoever can reach the socket can start a container "
        "that mounts the host's root file system"
    )
    if path is None or socket_stat is None:
        return f"Access to the Docker engine at {endpoint} is {consequence}."
    group = _group_name(socket_stat.st_gid)
    if group != "root" and (stat.S_IMODE(socket_stat.st_mode) >> 3) & 0o6:
        return f"Membership of the '{group}' group (which may use {path}) is {consequence}."
    return f"Access to {path} is {consequence}."


# --- libvirt ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _LibvirtReading:
    lib_version: int
    hypervisor_type: str
    hypervisor_version: int
    capabilities_xml: str


def gather_libvirt_facts(uri: str, timeout: float) -> tuple[LibvirtFacts, str | None]:
    """libvirt's versions and domain types, and its capabilities XML when it answered."""
    source = f"libvirt {uri}: getLibVersion, getVersion, getCapabilities"
    unanswered = LibvirtFacts(
        answers=False,
        uri=uri,
        version=None,
        hypervisor=None,
        domain_types=(),
        kvm_domain_supported=None,
        reason=None,
        fix=None,
        source=source,
    )
    try:
        libvirt = import_libvirt()
    except ImportError as error:
        reason, fix = explain_import_error(error)
        return unanswered.model_copy(update={"reason": reason, "fix": fix}), None

    def read() -> _LibvirtReading:
        connection = libvirt.open(uri)
        try:
            return _LibvirtReading(
                lib_version=connection.getLibVersion(),
                hypervisor_type=connection.getType(),
                hypervisor_version=connection.getVersion(),
                capabilities_xml=connection.getCapabilities(),
            )
        finally:
            connection.close()

    try:
        reading = call_with_deadline(read, timeout, f"libvirt at {uri}")
    except DeadlineExceeded as error:
        return unanswered.model_copy(update={"reason": str(error), "fix": LIBVIRT_CHECK_FIX}), None
    except libvirt.libvirtError as error:
        reason, fix = explain_connection_error(error, uri)
        return unanswered.model_copy(update={"reason": reason, "fix": fix}), None
    hypervisor_version = format_libvirt_version(reading.hypervisor_version)
    return LibvirtFacts(
        answers=True,
        uri=uri,
        version=format_libvirt_version(reading.lib_version),
        hypervisor=f"{reading.hypervisor_type} {hypervisor_version}",
        domain_types=parse_domain_types(reading.capabilities_xml, platform.machine()),
        kvm_domain_supported=None,
        reason=None,
        fix=None,
        source=source,
    ), reading.capabilities_xml


def read_kvm_domain_support(uri: str, timeout: float, kvm: KvmFacts) -> bool | None:
    """Whether libvirt's domain capabilities accept KVM guests; None when not asked.

    Not asked under the capability-cache trap, where each such call costs seconds.
    """
    if kvm.capability_cache_trap:
        return None
    libvirt = import_libvirt()

    def read() -> str:
        connection = libvirt.open(uri)
        try:
            return str(connection.getDomainCapabilities(None, platform.machine(), None, "kvm", 0))
        finally:
            connection.close()

    try:
        xml = call_with_deadline(read, timeout, f"libvirt at {uri}")
    except DeadlineExceeded:
        return None
    except libvirt.libvirtError:
        return False  # libvirt refuses: "KVM is not supported ... on this host"
    root = _parse_xml(xml)
    return root is not None and root.findtext("domain") == "kvm"


def parse_domain_types(capabilities_xml: str, architecture: str) -> tuple[str, ...]:
    """The domain types libvirt offers for full virtualization of `architecture`."""
    root = _parse_xml(capabilities_xml)
    if root is None:
        return ()
    types: list[str] = []
    for guest in root.findall("guest"):
        arch = guest.find("arch")
        if guest.findtext("os_type") != "hvm" or arch is None:
            continue
        if arch.get("name") != architecture:
            continue
        for domain in arch.findall("domain"):
            kind = domain.get("type")
            if kind and kind not in types:
                types.append(kind)
    return tuple(types)


def parse_qemu_identity(capabilities_xml: str) -> QemuIdentity | None:
    """The user and groups QEMU runs as, from the DAC base label in libvirt's capabilities."""
    root = _parse_xml(capabilities_xml)
    if root is None:
        return None
    for model in root.iterfind("host/secmodel"):
        if model.findtext("model") != "dac":
            continue
        for label in model.findall("baselabel"):
            identity = _parse_dac_label(label.text or "")
            if identity is not None:
                return identity
    return None


def format_libvirt_version(number: int) -> str:
    """libvirt's packed version number (major * 1,000,000 + minor * 1,000 + micro) as text."""
    return f"{number // 1_000_000}.{number // 1000 % 1000}.{number % 1000}"


def _parse_dac_label(label: str) -> QemuIdentity | None:
    """'+64055:+64055' (numeric) or 'libvirt-qemu:kvm' (names) as an identity."""
    user_part, sep, group_part = label.strip().partition(":")
    if not sep:
        return None
    uid = _resolve_id(user_part, lambda name: pwd.getpwnam(name).pw_uid)
    gid = _resolve_id(group_part, lambda name: grp.getgrnam(name).gr_gid)
    if uid is None or gid is None:
        return None
    groups = {gid}
    try:
        user = pwd.getpwuid(uid)
    except KeyError:
        name = None
    else:
        # libvirt gives QEMU the groups of that user (primary and supplementary) as well.
        name = user.pw_name
        groups.update(os.getgrouplist(user.pw_name, user.pw_gid))
    return QemuIdentity(uid=uid, gid=gid, name=name, groups=frozenset(groups))


def _resolve_id(text: str, by_name: Any) -> int | None:
    text = text.strip()
    if text.startswith("+") and text[1:].isdigit():
        return int(text[1:])
    if text.isdigit():
        return int(text)
    try:
        return int(by_name(text))
    except KeyError:
        return None


# --- small helpers ----------------------------------------------------------------------


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _parse_xml(text: str) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _group_id(name: str) -> int | None:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None
