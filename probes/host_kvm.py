"""/dev/kvm: who may open it, the user libvirt runs QEMU as, and the capability-cache trap.

A /dev/kvm that is present but closed to QEMU under the privileged daemon makes libvirt
probe QEMU again on every call: each domain start then takes tens of seconds.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.base.i18n import _
from advisor.probes.host_models import KvmFacts
from advisor.probes.host_system import group_id, group_name, parse_xml, read_text, user_name
from advisor.probes.libvirt_access import is_system_uri

KVM_DEVICE = Path("/dev/kvm")
KVM_UDEV_RULE = 'KERNEL=="kvm", GROUP="kvm", MODE="0660"'


@dataclass(frozen=True)
class QemuIdentity:
    """The user and groups libvirt runs QEMU processes as."""

    uid: int
    gid: int
    name: str | None
    groups: frozenset[int]


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
    # What is known of QEMU and the kernel module, however the device is.
    about_qemu: dict[str, Any] = {
        "qemu_user": qemu.name if qemu else None,
        "qemu_uid": qemu.uid if qemu else None,
        "nested": nested[0],
        "nested_source": nested[1],
    }
    if device is None:
        return KvmFacts(
            **about_qemu,
            device_present=False,
            owner=None,
            group=None,
            mode=None,
            accessible_to_user=False,
            accessible_to_qemu=False if qemu else None,
            capability_cache_trap=False,
            problem=None,
            fix=None,
            source=f"stat {KVM_DEVICE}: not present",
        )
    owner, group = user_name(device.uid), group_name(device.gid)
    qemu_access = (
        dac_access(device.mode, device.uid, device.gid, qemu.uid, qemu.groups)
        if qemu is not None
        else None
    )
    trap = False
    problem = fix = None
    if qemu is not None and qemu_access is None:
        qemu_name = qemu.name or f"uid {qemu.uid}"
        closed = {"device": KVM_DEVICE, "owner": owner, "group": group, "user": qemu_name}
        closed["mode"] = f"{device.mode:04o}"
        trap = is_system_uri(libvirt_uri)
        if trap:
            problem = _(
                "{device} is {owner}:{group} {mode}, which {user} cannot open, yet libvirt "
                "({uri}) probes QEMU as root: it then throws its QEMU capability cache away on "
                "every call, and each domain start takes tens of seconds"
            ).format(**closed, uri=libvirt_uri)
        else:
            problem = _(
                "{device} is {owner}:{group} {mode}, which {user} cannot open: QEMU guests get "
                "software emulation only"
            ).format(**closed)
        fix = kvm_permission_fix(qemu, device)
    source = f"stat {KVM_DEVICE}; access(2)"
    if qemu is not None:
        source += f"; libvirt {libvirt_uri} getCapabilities (DAC base label)"
    return KvmFacts(
        **about_qemu,
        device_present=True,
        owner=owner,
        group=group,
        mode=f"{device.mode:04o}",
        accessible_to_user=accessible_to_user,
        accessible_to_qemu=None if qemu is None else qemu_access is not None,
        capability_cache_trap=trap,
        problem=problem,
        fix=fix,
        source=source,
    )


def kvm_permission_fix(qemu: QemuIdentity, device: DeviceMode) -> str:
    """The commands that let QEMU's user open /dev/kvm, and keep it so after a reboot."""
    kvm_gid = group_id("kvm")
    steps = []
    if qemu.name and (kvm_gid is None or kvm_gid not in qemu.groups):
        steps.append(f"sudo usermod -aG kvm {qemu.name}")
    regroup = device.gid != kvm_gid or (device.mode >> 3) & 0o6 != 0o6
    if regroup:
        steps += [f"sudo chgrp kvm {KVM_DEVICE}", f"sudo chmod 0660 {KVM_DEVICE}"]
    fix = " && ".join(steps)
    if regroup:
        fix = _(
            "{commands}, and keep it so with the udev rule {rule} in /etc/udev/rules.d/"
        ).format(commands=fix, rule=KVM_UDEV_RULE)
    return fix


def read_nested_setting(modules: Path = Path("/sys/module")) -> tuple[bool | None, str]:
    """The KVM module's `nested` parameter, and the file it came from."""
    for module in ("kvm_intel", "kvm_amd"):
        parameter = modules / module / "parameters" / "nested"
        value = read_text(parameter)
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
            f"group '{group_name(owner_gid)}'" if (mode >> 3) & read_write == read_write else None
        )
    return "permissions for everyone" if mode & read_write == read_write else None


def parse_qemu_identity(capabilities_xml: str) -> QemuIdentity | None:
    """The user and groups QEMU runs as, from the DAC base label in libvirt's capabilities."""
    root = parse_xml(capabilities_xml)
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
