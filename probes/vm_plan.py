"""What the VM probe will do, decided before it touches libvirt: a pure function of facts.

Accelerators, in order: KVM first where it may work, then software emulation (TCG, libvirt
domain type `qemu`). KVM is tried only where libvirt offers it and QEMU's user can open
/dev/kvm. A device that is present but closed to QEMU under the system daemon is the
capability-cache trap (see probes/host.py): libvirt then probes QEMU again on every call and
every domain start, TCG included, takes some 40 s, so the probe does not start at all and
says how to fix the device instead.

A KVM guest is first given a short trial boot with a verbose console: a guest that works
prints within a fraction of a second, so console silence for `kvm_stall_seconds` means it
makes no progress (nested virtualization that does not work hangs exactly so), and the probe
moves on to TCG. The measured boots use a quiet console, which prints nothing before the
boot marker.

Kernel and initramfs placement. Under qemu:///session QEMU runs as this user, who reads the
cache directly. Under a privileged daemon (qemu:///system, and root's qemu:///session too)
QEMU runs as another user (libvirt-qemu on Debian, as libvirt's DAC label says) who cannot
traverse a home directory, so each run copies them into its own directory under
/var/lib/libvirt/boot: the place libvirt and its security drivers (DAC, SELinux's
virt_content_t, AppArmor) expect boot files, not a world-readable temporary directory. The
directory is 0711 and the copies 0644 (they are public distribution files), it is named after
the run and removed when the run ends; a killed run's directory is swept at the next start.
The serial console log goes to the same directory; libvirt itself opens it and hands QEMU the
descriptor.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from pydantic import Field

from advisor.modelbase import FrozenModel
from advisor.probes.guest_assets import (
    PROBE_NAME_PREFIX,
    TRIAL_BOOT_PARAMETER,
    GuestAssets,
    guest_cache_dir,
)
from advisor.probes.host import KvmFacts, default_libvirt_uri

DOMAIN_PREFIX = PROBE_NAME_PREFIX
DEFAULT_STAGING_ROOT = Path("/var/lib/libvirt/boot")
SUPPORTED_ARCHITECTURES = ("x86_64",)
MEASURED_CMDLINE = "console=ttyS0 quiet panic=-1"
# Not quiet, so a working guest writes to the console from its first instructions on.
TRIAL_CMDLINE = f"console=ttyS0 earlyprintk=ttyS0 panic=-1 {TRIAL_BOOT_PARAMETER}"

Accelerator = Literal["kvm", "tcg"]
DOMAIN_TYPES: dict[Accelerator, str] = {"kvm": "kvm", "tcg": "qemu"}


class VmSettings(FrozenModel):
    """What the user may choose about the VM probe."""

    uri: str = Field(default_factory=default_libvirt_uri)
    # Two boots under TCG take about 13 s here; the whole default probe stays under 30 s.
    runs: int = Field(default=2, ge=1, le=20)
    memory_mib: int = Field(default=128, ge=128, le=256)
    kernel_path: Path | None = None
    initrd_path: Path | None = None
    try_kvm: bool = True
    boot_timeout_seconds: float = Field(default=60.0, gt=0)  # create call to boot marker
    workload_timeout_seconds: float = Field(default=60.0, gt=0)  # boot marker to power-off marker
    poweroff_timeout_seconds: float = Field(default=30.0, gt=0)  # power-off marker to domain gone
    kvm_stall_seconds: float = Field(default=2.0, gt=0)  # KVM trial: console silent this long
    kvm_trial_timeout_seconds: float = Field(default=15.0, gt=0)  # KVM trial: to boot marker
    libvirt_call_timeout_seconds: float = Field(default=30.0, gt=0)
    download_timeout_seconds: float = Field(default=300.0, gt=0)  # kernel package download
    allow_kernel_download: bool = True  # off: only a cached, configured or /boot kernel
    cache_dir: Path | None = None  # default: the user's cache directory
    staging_root: Path = DEFAULT_STAGING_ROOT


class PlannedBoot(FrozenModel):
    """One kind of boot: the domain, where its console goes, and how long to wait."""

    accelerator: Accelerator
    trial: bool  # only proves the guest reaches user space; no workload, not measured
    domain_name: str
    domain_xml: str
    serial_log: Path
    marker_timeout_seconds: float
    stall_seconds: float | None  # give up when the console stays silent this long


class PlannedAccelerator(FrozenModel):
    """An accelerator to try: an optional trial boot, then `runs` measured boots."""

    accelerator: Accelerator
    trial: PlannedBoot | None
    measured: PlannedBoot


class SkippedAccelerator(FrozenModel):
    """An accelerator not tried, and why."""

    accelerator: Accelerator
    reason: str
    fix: str | None = None
    kvm_usable: bool | None  # what skipping it says about KVM: False closed, None unknown


class Blocker(FrozenModel):
    """Why the probe cannot start on this host, and what would change that."""

    reason: str
    fix: str


class VmPlan(FrozenModel):
    """Everything the VM probe run does, decided up front."""

    uri: str
    run_name: str
    run_dir: Path  # this run's own directory: serial logs, and staged copies when needed
    stage_assets: bool  # copy kernel and initramfs into run_dir for QEMU's user
    kernel: Path  # as the domain XML names it
    initrd: Path
    candidates: list[PlannedAccelerator]
    skipped: list[SkippedAccelerator]
    blocker: Blocker | None
    runs: int
    workload_timeout_seconds: float
    poweroff_timeout_seconds: float
    libvirt_call_timeout_seconds: float


def run_name(pid: int, token: str) -> str:
    """The name shared by a run's domains and directories; it carries the owner's pid."""
    return f"{DOMAIN_PREFIX}{pid}-{token}"


def owner_pid(name: str) -> int | None:
    """The pid of the process that made a probe domain or directory, from its name."""
    if not name.startswith(DOMAIN_PREFIX):
        return None
    pid = name[len(DOMAIN_PREFIX) :].split("-", 1)[0]
    return int(pid) if pid.isdigit() else None


def is_local_uri(uri: str) -> bool:
    """Whether `uri` names a daemon on this machine (no host part)."""
    return not urllib.parse.urlsplit(uri).hostname


def plan_vm_probe(
    settings: VmSettings,
    kvm: KvmFacts,
    domain_types: Sequence[str],
    architecture: str,
    assets: GuestAssets,
    name: str,
    cache_dir: Path,
    qemu_runs_as_other_user: bool,
) -> VmPlan:
    """Decide accelerators, domains, file placement and time limits for one probe run.

    `kvm` and `domain_types` (libvirt's domain types for `architecture`) describe the host;
    `qemu_runs_as_other_user` whether QEMU runs as another user than this process (as under
    a privileged daemon, whatever the URI's path says); `name` comes from run_name().
    Nothing here touches the host.
    """
    staged = qemu_runs_as_other_user
    run_dir = (settings.staging_root if staged else guest_cache_dir(cache_dir) / "runs") / name
    kernel = run_dir / "vmlinuz" if staged else assets.kernel
    initrd = run_dir / "initrd.img" if staged else assets.initrd
    blocker = _blocker(settings, kvm, domain_types, architecture)
    skipped: list[SkippedAccelerator] = []
    candidates: list[PlannedAccelerator] = []

    def boot(accelerator: Accelerator, trial: bool) -> PlannedBoot:
        suffix = f"{accelerator}-trial" if trial else accelerator
        serial_log = run_dir / f"console-{suffix}.log"
        return PlannedBoot(
            accelerator=accelerator,
            trial=trial,
            domain_name=f"{name}-{suffix}",
            domain_xml=domain_xml(
                name=f"{name}-{suffix}",
                domain_type=DOMAIN_TYPES[accelerator],
                memory_mib=settings.memory_mib,
                kernel=kernel,
                initrd=initrd,
                cmdline=TRIAL_CMDLINE if trial else MEASURED_CMDLINE,
                serial_log=serial_log,
            ),
            serial_log=serial_log,
            marker_timeout_seconds=(
                settings.kvm_trial_timeout_seconds if trial else settings.boot_timeout_seconds
            ),
            stall_seconds=settings.kvm_stall_seconds if trial else None,
        )

    kvm_skip = _kvm_skip_reason(settings, kvm, domain_types)
    if kvm_skip is not None:
        skipped.append(kvm_skip)
    else:
        candidates.append(
            PlannedAccelerator(
                accelerator="kvm", trial=boot("kvm", trial=True), measured=boot("kvm", False)
            )
        )
    candidates.append(
        PlannedAccelerator(accelerator="tcg", trial=None, measured=boot("tcg", False))
    )
    return VmPlan(
        uri=settings.uri,
        run_name=name,
        run_dir=run_dir,
        stage_assets=staged,
        kernel=kernel,
        initrd=initrd,
        candidates=[] if blocker else candidates,
        skipped=skipped,
        blocker=blocker,
        runs=settings.runs,
        workload_timeout_seconds=settings.workload_timeout_seconds,
        poweroff_timeout_seconds=settings.poweroff_timeout_seconds,
        libvirt_call_timeout_seconds=settings.libvirt_call_timeout_seconds,
    )


def _blocker(
    settings: VmSettings, kvm: KvmFacts, domain_types: Sequence[str], architecture: str
) -> Blocker | None:
    if not is_local_uri(settings.uri):
        return Blocker(
            reason=f"{settings.uri} is a remote libvirt; the probe boots a kernel from files "
            "on this machine",
            fix="probe a local libvirt: qemu:///system, or qemu:///session",
        )
    if architecture not in SUPPORTED_ARCHITECTURES:
        return Blocker(
            reason=f"the VM probe boots x86_64 guests; this host is {architecture}",
            fix="run the VM probe on an x86_64 workstation",
        )
    if kvm.capability_cache_trap:
        return Blocker(
            reason=kvm.problem or "libvirt re-probes QEMU on every call on this host",
            fix=kvm.fix
            or "let QEMU's user open /dev/kvm: chgrp kvm /dev/kvm && chmod 0660 /dev/kvm",
        )
    if DOMAIN_TYPES["tcg"] not in domain_types:
        return Blocker(
            reason=f"libvirt at {settings.uri} offers no QEMU domains for {architecture}",
            fix="install QEMU for libvirt: sudo apt-get install qemu-system-x86 "
            "libvirt-daemon-driver-qemu, then restart libvirtd",
        )
    return None


def _kvm_skip_reason(
    settings: VmSettings, kvm: KvmFacts, domain_types: Sequence[str]
) -> SkippedAccelerator | None:
    if not settings.try_kvm:
        return SkippedAccelerator(
            accelerator="kvm", reason="KVM not tried: turned off in the settings", kvm_usable=None
        )
    if not kvm.device_present:
        return SkippedAccelerator(
            accelerator="kvm",
            reason="no /dev/kvm: hardware virtualization is off in the firmware, the kvm "
            "module is not loaded, or this machine is a VM without nested virtualization",
            kvm_usable=False,
        )
    if kvm.accessible_to_qemu is False:
        return SkippedAccelerator(
            accelerator="kvm",
            reason=kvm.problem or "QEMU's user cannot open /dev/kvm",
            fix=kvm.fix,
            kvm_usable=False,
        )
    if DOMAIN_TYPES["kvm"] not in domain_types:
        return SkippedAccelerator(
            accelerator="kvm",
            reason=f"libvirt at {settings.uri} offers no KVM domains on this host",
            kvm_usable=False,
        )
    return None


def domain_xml(
    name: str,
    domain_type: str,
    memory_mib: int,
    kernel: Path,
    initrd: Path,
    cmdline: str,
    serial_log: Path,
) -> str:
    """A transient domain booting `kernel` directly: one vCPU, no network, no disk, no display.

    ACPI lets the guest's `poweroff -f` end the domain; without it the guest halts and the
    domain stays alive. Reboot and crash destroy it too, so a panicking guest (panic=-1) ends
    at once rather than looping.
    """
    return f"""<domain type={quoteattr(domain_type)}>
  <name>{escape(name)}</name>
  <memory unit='MiB'>{memory_mib}</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>{escape(str(kernel))}</kernel>
    <initrd>{escape(str(initrd))}</initrd>
    <cmdline>{escape(cmdline)}</cmdline>
  </os>
  <features>
    <acpi/>
  </features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <serial type='file'>
      <source path={quoteattr(str(serial_log))} append='off'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
"""
