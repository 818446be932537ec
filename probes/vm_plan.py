"""What the VM probe will do, decided before it touches libvirt: a pure function of facts.

Accelerators, in order: KVM first where it may work, then software emulation (TCG, libvirt
domain type `qemu`). KVM is tried only where libvirt offers it, QEMU's user can open
/dev/kvm and the processor shows VT-x or AMD-V. A device that is present but closed to QEMU
under the system daemon is the capability-cache trap (see probes/host_kvm.py): libvirt then
probes QEMU again on every call and every domain start, TCG included, takes some 40 s, so
the probe does not start at all and says how to fix the device instead.

A KVM guest is first given a short trial boot with a verbose console: a guest that works
prints within a fraction of a second, so console silence for `kvm_stall_seconds` means it
makes no progress (nested virtualization that does not work hangs exactly so), and the probe
moves on to TCG. The measured boots use a quiet console, which prints nothing before the
boot marker; the first runs the CPU workload, the others only boot. Each guest is destroyed
once what it prints was read.

What a boot costs under TCG is mostly the guest's own instructions, emulated: the domain
boots with qboot where the host has it (a firmware that only loads the given kernel) and
skips the kernel's work that a sample guest has no use for (GUEST_TUNING).

Kernel and initramfs placement. The domain always names them in the run's own directory, so
that the plan is decided before the files are found. Under qemu:///session QEMU runs as this
user: the run's directory, in the cache, holds links to the cached files. Under a privileged
daemon (qemu:///system, and root's qemu:///session too)
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

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from pydantic import Field

from advisor.base.i18n import _
from advisor.base.models import FrozenModel
from advisor.probes.guest_assets import WORKLOAD_OFF_PARAMETER
from advisor.probes.host_models import HostFacts, KvmFacts, default_libvirt_uri
from advisor.probes.libvirt_access import is_local_uri, is_qemu_uri, is_system_uri
from advisor.probes.places import DEFAULT_STAGING_ROOT, guest_cache_dir
from advisor.probes.results import Accelerator

SUPPORTED_ARCHITECTURES = ("x86_64",)
# Work a throwaway guest that runs one script has no use for, skipped in every boot: the
# crypto API's self-tests of every algorithm the kernel registers (some 0.9 s of each boot
# under TCG, measured with the guest's clock tied to its instruction count).
GUEST_TUNING = "cryptomgr.notests"
MEASURED_CMDLINE = f"console=ttyS0 quiet panic=-1 {GUEST_TUNING}"
# A measured boot after the first: timed to the boot marker, then destroyed; no workload.
BOOT_ONLY_CMDLINE = f"{MEASURED_CMDLINE} {WORKLOAD_OFF_PARAMETER}"
# Not quiet, so a working guest writes to the console from its first instructions on.
TRIAL_CMDLINE = f"console=ttyS0 earlyprintk=ttyS0 panic=-1 {GUEST_TUNING} {WORKLOAD_OFF_PARAMETER}"
BootKind = Literal["trial", "workload", "boot"]

CMDLINES: dict[BootKind, str] = {
    "trial": TRIAL_CMDLINE,
    "workload": MEASURED_CMDLINE,
    "boot": BOOT_ONLY_CMDLINE,
}
NATIVE_WORKLOAD_TIMEOUT_SECONDS = 60.0
# qboot, QEMU's minimal firmware (Debian's qemu-system-data ships it): it only loads the
# kernel QEMU was given, where SeaBIOS first sets up a whole PC's boot devices.
QBOOT_FIRMWARE = Path("/usr/share/qemu/qboot.rom")
DOMAIN_TYPES: dict[Accelerator, str] = {"kvm": "kvm", "tcg": "qemu"}


class VmSettings(FrozenModel):
    """What the user may choose about the VM probe."""

    uri: str = Field(default_factory=default_libvirt_uri)
    # One boot by default: the figures the report uses (boot time against a container's
    # start, the CPU ratio, QEMU's memory) come from the workload boot, and a second boot
    # only repeated the boot time (a median of two is their mean, no guard against an
    # outlier) for some 3 s under TCG. More runs give the boot time's spread.
    runs: int = Field(default=1, ge=1, le=20)
    memory_mib: int = Field(default=128, ge=128, le=256)
    kernel_path: Path | None = None
    initrd_path: Path | None = None
    try_kvm: bool = True
    boot_timeout_seconds: float = Field(default=60.0, gt=0)  # create call to boot marker
    workload_timeout_seconds: float = Field(default=60.0, gt=0)  # boot marker to power-off marker
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
    # trial: only proves the guest reaches user space, not measured; workload: measured to
    # the boot marker, then the CPU workload; boot: to the marker only.
    kind: BootKind
    domain_name: str
    domain_xml: str
    serial_log: Path
    marker_timeout_seconds: float
    stall_seconds: float | None  # give up when the console stays silent this long


class PlannedAccelerator(FrozenModel):
    """An accelerator to try: an optional trial boot, then `runs` measured boots: the first
    runs the CPU workload, the others only boot to the marker."""

    accelerator: Accelerator
    trial: PlannedBoot | None
    workload: PlannedBoot
    boot: PlannedBoot

    def measured(self, runs: int) -> list[PlannedBoot]:
        """The measured boots, in order."""
        return [self.workload, *[self.boot] * (runs - 1)]

    def boots(self) -> list[PlannedBoot]:
        """Every kind of boot it may make."""
        return [boot for boot in (self.trial, self.workload, self.boot) if boot is not None]


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
    firmware: Path | None  # the domain's firmware; None: libvirt's default (SeaBIOS)
    candidates: list[PlannedAccelerator]
    skipped: list[SkippedAccelerator]
    blocker: Blocker | None
    runs: int
    workload_timeout_seconds: float
    libvirt_call_timeout_seconds: float
    timeout_seconds: float  # the whole run, each of its waits at their longest

    def boot_names(self) -> list[str]:
        """The domain names this run may use."""
        return [boot.domain_name for c in self.candidates for boot in c.boots()]


def plan_from_host(
    settings: VmSettings, host: HostFacts, name: str, cache_dir: Path, euid: int | None = None
) -> VmPlan:
    """The plan for this host, from the facts gathered before any probe ran."""
    qemu_uid = host.kvm.qemu_uid
    euid = os.geteuid() if euid is None else euid
    cpu = host.cpu
    firmware = QBOOT_FIRMWARE if QBOOT_FIRMWARE.is_file() else None
    return plan_vm_probe(
        settings,
        host.kvm,
        # Where libvirt did not answer, the run says so when it connects.
        host.libvirt.domain_types if host.libvirt.answers else ("qemu",),
        host.os.architecture,
        name,
        cache_dir,
        qemu_runs_as_other_user=(
            qemu_uid != euid if qemu_uid is not None else is_system_uri(settings.uri)
        ),
        # Unknown where the processor's flags could not be read.
        cpu_virtualization=(
            None if cpu.hypervisor_flag is None else cpu.virtualization_extension is not None
        ),
        firmware=firmware,
    )


def plan_vm_probe(
    settings: VmSettings,
    kvm: KvmFacts,
    domain_types: Sequence[str],
    architecture: str,
    name: str,
    cache_dir: Path,
    qemu_runs_as_other_user: bool,
    cpu_virtualization: bool | None = None,
    firmware: Path | None = None,
) -> VmPlan:
    """Decide accelerators, domains, file placement and time limits for one probe run.

    `kvm` and `domain_types` (libvirt's domain types for `architecture`) describe the host;
    `qemu_runs_as_other_user` whether QEMU runs as another user than this process (as under
    a privileged daemon, whatever the URI's path says); `cpu_virtualization` whether the
    processor shows this system VT-x or AMD-V (None: not known); `firmware` the firmware to
    boot (None: libvirt's default); `name` names the run.
    Nothing here touches the host.
    """
    staged = qemu_runs_as_other_user
    run_dir = (settings.staging_root if staged else guest_cache_dir(cache_dir) / "runs") / name
    # Copies QEMU's user may read, or links to the cache where QEMU runs as this user.
    kernel = run_dir / "vmlinuz"
    initrd = run_dir / "initrd.img"
    blocker = _blocker(settings, kvm, domain_types, architecture)
    skipped: list[SkippedAccelerator] = []
    candidates: list[PlannedAccelerator] = []

    def boot(accelerator: Accelerator, kind: BootKind) -> PlannedBoot:
        suffix = accelerator if kind == "workload" else f"{accelerator}-{kind}"
        serial_log = run_dir / f"console-{suffix}.log"
        trial = kind == "trial"
        return PlannedBoot(
            accelerator=accelerator,
            kind=kind,
            domain_name=f"{name}-{suffix}",
            domain_xml=domain_xml(
                name=f"{name}-{suffix}",
                domain_type=DOMAIN_TYPES[accelerator],
                memory_mib=settings.memory_mib,
                kernel=kernel,
                initrd=initrd,
                cmdline=CMDLINES[kind],
                serial_log=serial_log,
                firmware=firmware,
            ),
            serial_log=serial_log,
            marker_timeout_seconds=(
                settings.kvm_trial_timeout_seconds if trial else settings.boot_timeout_seconds
            ),
            stall_seconds=settings.kvm_stall_seconds if trial else None,
        )

    kvm_skip = _kvm_skip_reason(settings, kvm, domain_types, cpu_virtualization)
    if kvm_skip is not None:
        skipped.append(kvm_skip)
    else:
        candidates.append(
            PlannedAccelerator(
                accelerator="kvm",
                trial=boot("kvm", "trial"),
                workload=boot("kvm", "workload"),
                boot=boot("kvm", "boot"),
            )
        )
    candidates.append(
        PlannedAccelerator(
            accelerator="tcg",
            trial=None,
            workload=boot("tcg", "workload"),
            boot=boot("tcg", "boot"),
        )
    )
    calls = 8 * settings.libvirt_call_timeout_seconds  # connect, sweep, clean-up
    boots = settings.runs * settings.boot_timeout_seconds + settings.workload_timeout_seconds
    kvm_trial = settings.kvm_trial_timeout_seconds if kvm_skip is None else 0.0
    timeout = (
        settings.download_timeout_seconds
        + calls
        + kvm_trial
        + 2 * boots
        + NATIVE_WORKLOAD_TIMEOUT_SECONDS
    )
    return VmPlan(
        uri=settings.uri,
        run_name=name,
        run_dir=run_dir,
        stage_assets=staged,
        kernel=kernel,
        initrd=initrd,
        firmware=firmware,
        candidates=[] if blocker else candidates,
        skipped=skipped,
        blocker=blocker,
        runs=settings.runs,
        workload_timeout_seconds=settings.workload_timeout_seconds,
        libvirt_call_timeout_seconds=settings.libvirt_call_timeout_seconds,
        timeout_seconds=timeout,
    )


def _blocker(
    settings: VmSettings, kvm: KvmFacts, domain_types: Sequence[str], architecture: str
) -> Blocker | None:
    if not is_local_uri(settings.uri):
        return Blocker(
            reason=_(
                "{uri} is a remote libvirt; the probe boots a kernel from files on this machine"
            ).format(uri=settings.uri),
            fix=_("probe a local libvirt: qemu:///system, or qemu:///session"),
        )
    if architecture not in SUPPORTED_ARCHITECTURES:
        return Blocker(
            reason=_("the VM probe boots x86_64 guests; this host is {architecture}").format(
                architecture=architecture
            ),
            fix=_("run the VM probe on an x86_64 workstation"),
        )
    if kvm.capability_cache_trap:
        return Blocker(
            reason=kvm.problem or _("libvirt re-probes QEMU on every call on this host"),
            fix=kvm.fix
            or _("let QEMU's user open /dev/kvm: chgrp kvm /dev/kvm && chmod 0660 /dev/kvm"),
        )
    if DOMAIN_TYPES["tcg"] not in domain_types:
        return Blocker(
            reason=_("libvirt at {uri} offers no QEMU domains for {architecture}").format(
                uri=settings.uri, architecture=architecture
            ),
            fix=_(
                "install QEMU for libvirt: sudo apt-get install qemu-system-x86 "
                "libvirt-daemon-driver-qemu, then restart libvirtd"
            ),
        )
    return None


def _kvm_skip_reason(
    settings: VmSettings,
    kvm: KvmFacts,
    domain_types: Sequence[str],
    cpu_virtualization: bool | None,
) -> SkippedAccelerator | None:
    if not settings.try_kvm:
        return SkippedAccelerator(
            accelerator="kvm",
            reason=_("KVM not tried: turned off in the settings"),
            kvm_usable=None,
        )
    if not kvm.device_present:
        return SkippedAccelerator(
            accelerator="kvm",
            reason=_(
                "no /dev/kvm: hardware virtualization is off in the firmware, the kvm "
                "module is not loaded, or this machine is a VM without nested virtualization"
            ),
            kvm_usable=False,
        )
    if kvm.accessible_to_qemu is False:
        return SkippedAccelerator(
            accelerator="kvm",
            reason=kvm.problem or _("QEMU's user cannot open /dev/kvm"),
            fix=kvm.fix,
            kvm_usable=False,
        )
    if DOMAIN_TYPES["kvm"] not in domain_types:
        return SkippedAccelerator(
            accelerator="kvm",
            reason=_("libvirt at {uri} offers no KVM domains on this host").format(
                uri=settings.uri
            ),
            # Only QEMU's driver speaks for KVM here; another (test:///) says nothing of it.
            kvm_usable=False if is_qemu_uri(settings.uri) else None,
        )
    if cpu_virtualization is False:
        # KVM runs guests on VT-x or AMD-V; without them a KVM guest makes no progress, and
        # a trial would only spend its stall time to show it.
        return SkippedAccelerator(
            accelerator="kvm",
            reason=_(
                "the processor shows this system no hardware virtualization (no vmx or "
                "svm flag in /proc/cpuinfo), which KVM needs, although /dev/kvm is present"
            ),
            fix=_(
                "turn VT-x or AMD-V on in the firmware; in a virtual machine, turn on nested "
                "virtualization in its host"
            ),
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
    firmware: Path | None = None,
) -> str:
    """A transient domain booting `kernel` directly: one vCPU, no network, no disk, no display.

    `firmware`, a ROM such as qboot, replaces libvirt's default firmware. Guest memory
    comes from a memfd rather than QEMU's anonymous memory, which QEMU marks for transparent
    huge pages: under the kernel's default THP defrag policy ("madvise") each huge-page fault
    of such memory may stall in direct reclaim and compaction, which on a host whose free
    memory is fragmented cost 1.3 to 1.8 s of a 128 MiB guest's first boot. A memfd is shmem,
    which the default `shmem_enabled=never` keeps in small pages faulted as the guest touches
    them. A short-lived sample guest gains nothing from huge pages. ACPI lets the
    guest's `poweroff -f` end the domain; without it the guest halts and the
    domain stays alive. Reboot and crash destroy it too, so a panicking guest (panic=-1) ends
    at once rather than looping.
    """
    loader = (
        "" if firmware is None else f"\n    <loader type='rom'>{escape(str(firmware))}</loader>"
    )
    return f"""<domain type={quoteattr(domain_type)}>
  <name>{escape(name)}</name>
  <memory unit='MiB'>{memory_mib}</memory>
  <memoryBacking>
    <source type='memfd'/>
  </memoryBacking>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>{loader}
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
