"""VM boot: the probe's create-to-marker time against QEMU started directly, to the same marker.

A is the probe's code path for each measured boot after the first (`vm_boot.boot`, with the
plan the VM probe makes from the host facts): libvirt's `createXML` of the transient TCG
domain, then the serial console file polled until the boot marker line. The guest is
destroyed once the marker is read, as the probe does with every boot but the one that runs
the CPU workload.

B is `qemu-system-x86_64 -accel tcg` with the same kernel, initramfs, firmware, memory and
kernel command line, timed from just before the process starts to the marker line read from its
standard output (the serial console under -nographic), then killed.
"""

from __future__ import annotations

import shutil

from common import (
    BenchmarkFailed,
    LineWatcher,
    Row,
    Section,
    interleave,
    pair_ratios,
    pid_tag,
    ratio_text,
    spread,
    spread_of,
    verdict,
)
from machine import running_guests

from advisor.probes.control import CancelToken
from advisor.probes.guest_assets import BOOT_MARKER, GuestAssets, prepare_guest_assets
from advisor.probes.host import gather_host_facts
from advisor.probes.leftovers import run_name
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.models import Stats
from advisor.probes.places import default_cache_dir
from advisor.probes.vm_boot import POLL_SECONDS, boot
from advisor.probes.vm_files import prepare_run_dir, remove_run_files
from advisor.probes.vm_plan import (
    BOOT_ONLY_CMDLINE,
    PlannedBoot,
    VmPlan,
    VmSettings,
    plan_from_host,
)

TARGET_RATIO = 1.15
QEMU = "qemu-system-x86_64"


def direct_command(settings: VmSettings, plan: VmPlan) -> list[str]:
    """QEMU with the probe's guest, no libvirt: TCG, same memory, kernel, initramfs, cmdline.

    The kernel and initramfs are the run folder's, as the domain names them: the same files,
    which no other run's clean-up of the cache can take away meanwhile.

    `-nic none` because the probe's domain has no network: QEMU's default NIC would add its
    boot ROM to every boot. `-name` only labels the process. `-bios` is the domain's firmware
    where the plan names one (qboot), as libvirt passes it; the guest's memory is a memfd, as
    the domain's is (QEMU's default memory would pay for huge pages the domain does not use).
    """
    firmware = ["-bios", str(plan.firmware)] if plan.firmware is not None else []
    memory = [
        "-object",
        f"memory-backend-memfd,id=pc.ram,size={settings.memory_mib}M",
        "-machine",
        "memory-backend=pc.ram",
    ]
    return [
        QEMU,
        "-name",
        f"guest={pid_tag()}-direct",
        "-accel",
        "tcg",
        "-m",
        str(settings.memory_mib),
        "-nographic",
        "-no-reboot",
        "-nic",
        "none",
        "-kernel",
        str(plan.kernel),
        "-initrd",
        str(plan.initrd),
        "-append",
        BOOT_ONLY_CMDLINE,
        *firmware,
        *memory,
    ]


def _firmware_name(plan: VmPlan | None) -> str:
    firmware = plan.firmware if plan is not None else None
    return f"`{firmware}`" if firmware is not None else "libvirt's default (SeaBIOS)"


class _Sides:
    """The two ways of booting the sample guest."""

    def __init__(self, settings: VmSettings, assets: GuestAssets) -> None:
        self.settings = settings
        self.assets = assets
        self.cancel = CancelToken()
        self.session: LibvirtConnection | None = None
        self.plan: VmPlan | None = None
        self.boot: PlannedBoot | None = None
        self.other_guests = 0

    def open(self) -> None:
        settings = self.settings
        self.session = LibvirtConnection(settings.uri, settings.libvirt_call_timeout_seconds)
        host = gather_host_facts(settings.uri, libvirt=self.session)
        cache_dir = settings.cache_dir or default_cache_dir()
        self.plan = plan_from_host(settings, host, run_name(), cache_dir)
        if self.plan.blocker is not None:
            raise BenchmarkFailed(f"the VM probe cannot run here: {self.plan.blocker.reason}")
        tcg = [c for c in self.plan.candidates if c.accelerator == "tcg"]
        if not tcg:
            raise BenchmarkFailed("the VM probe plans no TCG boot here")
        # A boot-only boot: the probe's code destroys the guest once the marker is read.
        self.boot = tcg[0].boot
        prepare_run_dir(self.plan, self.assets)

    def probe_boot(self) -> float:
        assert self.session is not None and self.plan is not None and self.boot is not None
        # Neither side's guest runs now: whatever QEMU runs belongs to someone else.
        self.other_guests = max(self.other_guests, running_guests())
        sample = boot(self.session, self.boot, self.plan, self.cancel)
        # Untimed: the guest is gone before the other side's boot begins.
        self.session.destroy_all()
        return sample.boot_seconds

    def direct_boot(self) -> float:
        assert self.plan is not None
        watcher = LineWatcher(direct_command(self.settings, self.plan))
        try:
            return watcher.seconds_to(BOOT_MARKER, self.settings.boot_timeout_seconds)
        finally:
            watcher.close()

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
        if self.plan is not None:
            remove_run_files(self.plan)


def run(pairs: int) -> Section:
    """VM boot to the marker, A (the probe through libvirt) and B (QEMU) over `pairs` pairs."""
    if shutil.which(QEMU) is None:
        raise BenchmarkFailed(f"{QEMU} is not installed")
    settings = VmSettings(try_kvm=False)
    assets = prepare_guest_assets(default_cache_dir(), cancel=CancelToken())
    sides = _Sides(settings, assets)
    try:
        sides.open()
        a, b = interleave(sides.probe_boot, sides.direct_boot, pairs)
    finally:
        sides.close()
    ratios = pair_ratios(a, b)
    row = Row(
        what="VM boot (TCG): probe (libvirt createXML → marker on the console)",
        measured=spread(Stats.of(a)),
        compared_with=f"`{QEMU}` direct, process start → marker line: {spread(Stats.of(b))}",
        ratio=ratio_text(ratios),
        target=f"≤ {TARGET_RATIO:g}",
        verdict=verdict(ratios.median <= TARGET_RATIO),
    )
    if sides.other_guests:
        row = row.model_copy(
            update={"ratio": f"{row.ratio}; {sides.other_guests} other guest(s) running"}
        )
    overhead = [x - y for x, y in zip(a, b, strict=True)]
    crowded = (
        f" While it ran, up to {sides.other_guests} other QEMU guest(s) ran too: libvirt puts "
        "every domain's QEMU under one `machine` CPU cgroup, so A's guest shared that cgroup's "
        "CPU share with them, while B's QEMU, outside it, competed as a task of its own. The "
        "ratio then measures that placement more than the probe."
        if sides.other_guests
        else " No other QEMU guest ran meanwhile."
    )
    note = (
        "**VM boot.** A is the probe's own code for each measured boot "
        "after the first (`boot` of probes/vm_boot.py with the plan the VM probe makes): "
        "libvirt's `createXML` "
        f"of the transient TCG domain ({settings.memory_mib} MiB, one vCPU, firmware "
        f"{_firmware_name(sides.plan)}, kernel command line `{BOOT_ONLY_CMDLINE}`), then "
        "the serial console file read every "
        f"{POLL_SECONDS * 1000:g} ms until the boot marker line; the guest is destroyed "
        f"once the marker is read, untimed. B starts `{QEMU} -accel tcg -m {settings.memory_mib} "
        "-nographic -no-reboot -nic none -kernel … -initrd … -append … [-bios …]` with the "
        "guest's memory a memfd as the domain's (`-object memory-backend-memfd …`) and the "
        "same files "
        "and reads its standard output until the same line, then kills it. `-nic none` "
        "matches the domain, which has no network. "
        f"A minus B per pair: {spread_of(overhead)} (libvirt's start of QEMU, its monitor "
        "handshake, and the console poll)." + crowded
    )
    return Section(rows=(row,), notes=(note,))
