"""What each probe reports: the container probe's and the VM probe's results.

The probe report (probes/report.py) is made of these and of the host facts; the runners
make them, and the advice, the report and the app read them. Every figure is bounded and
every text limited (probes/quantities.py), since a report may come from another workstation.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from advisor.base.i18n import _
from advisor.base.models import FrozenModel
from advisor.probes.models import DurationStats, ProbeStatus, Stats, without_copies
from advisor.probes.quantities import (
    MAX_ITEMS,
    Bytes,
    Count,
    ElapsedSeconds,
    FilePath,
    Label,
    Labels,
    Limit,
    Ratio,
    Text,
    Texts,
)

Accelerator = Literal["kvm", "tcg"]
AttemptOutcome = Literal["reached_marker", "no_progress", "no_marker", "error", "skipped"]


class ContainerHardening(FrozenModel):
    """The confinement of every probe container."""

    network_mode: Label
    read_only_root: bool
    cap_drop: Labels
    security_opt: Labels
    user: Label
    memory_limit_bytes: Limit
    pids_limit: Limit


class ConfinementSeen(FrozenModel):
    """The confinement of a running probe container as read inside it, beside what was asked:
    what the kernel gives the container, not how the engine echoes the request."""

    effective_capabilities: Limit  # CapEff of /proc/self/status, as a number
    bounding_capabilities: Limit  # CapBnd
    no_new_privileges: bool | None  # NoNewPrivs
    uid: Limit | None  # the real user ID inside
    memory_limit_bytes: Limit | None  # the container's own cgroup limit; None: no limit
    pids_limit: Limit | None  # None: no limit
    asked_memory_limit_bytes: Limit
    asked_pids_limit: Limit
    source: Text

    @property
    def capabilities_dropped(self) -> bool:
        """Whether the container holds no capability and cannot gain one."""
        return self.effective_capabilities == 0 and self.bounding_capabilities == 0

    @property
    def memory_limit_enforced(self) -> bool:
        """Whether the container's own control group holds it to the memory limit asked."""
        limit = self.memory_limit_bytes
        return limit is not None and limit <= self.asked_memory_limit_bytes

    @property
    def pids_limit_enforced(self) -> bool:
        """Whether the container's own control group holds it to the process limit asked."""
        return self.pids_limit is not None and self.pids_limit <= self.asked_pids_limit


class ContainerResult(FrozenModel):
    """What the container probe measured, or why it could not."""

    status: ProbeStatus
    reason: Text | None = None
    fix: Text | None = None
    engine_version: Label | None = None
    image_tag: Text | None = None
    image_origin: Literal["sample", "named"] | None = None
    image_bytes: Bytes | None = None  # size of the image on disk, as the engine reports it
    runs: Count
    # From the create call to the start call (creating and attaching).
    create_to_start_seconds: DurationStats | None = None
    # From the start call to the first byte of the container's output arriving here.
    start_to_output_seconds: DurationStats | None = None
    # From the create call to the first output: what a user waits for.
    start_seconds: DurationStats | None = None
    # From the create call to the engine reporting the container's exit.
    total_seconds: DurationStats | None = None
    # Memory in use (the engine's usage less inactive file cache, as `docker stats` shows
    # it), read from one running, idle probe container, once a second for `runs` readings;
    # None where the engine's figure is not the container's (memory_not_measured says why).
    memory_bytes: Stats | None = None
    memory_not_measured: Text | None = None
    native_workload_seconds: DurationStats | None = None
    container_workload_seconds: DurationStats | None = None
    cpu_ratio: Ratio | None = None  # container workload median / native median
    kernel_release: Label | None = None  # `uname -r` inside the container
    hardening: ContainerHardening | None = None  # as the engine reports it applied
    confinement: ConfinementSeen | None = None  # as read inside the running container
    notes: Texts = ()
    wall_seconds: ElapsedSeconds


class KernelSource(FrozenModel):
    """Where the guest kernel came from."""

    kind: Literal["configured", "package", "boot"]
    path: FilePath  # the file that was used (for a package: the unpacked copy in the cache)
    package: Label | None = None
    version: Label | None = None

    def describe(self) -> str:
        """One phrase for a report line."""
        if self.kind == "package":
            return _("distribution package {package} {version}").format(
                package=self.package, version=self.version
            )
        if self.kind == "boot":
            return _("host kernel {path}").format(path=self.path)
        return _("configured kernel {path}").format(path=self.path)


class AcceleratorAttempt(FrozenModel):
    """One accelerator the probe tried or skipped, what came of it and why it moved on."""

    accelerator: Accelerator
    outcome: AttemptOutcome
    seconds: ElapsedSeconds  # wall time spent on it, its trial boot included; 0 when skipped
    fallback_reason: Text | None = None  # None for the accelerator the measurements used
    fix: Text | None = None


class VmResult(FrozenModel):
    """What the VM probe measured, or why it could not."""

    status: ProbeStatus
    reason: Text | None = None
    fix: Text | None = None
    uri: Text
    accelerator: Accelerator | None = None
    attempts: list[AcceleratorAttempt] = Field(default_factory=list, max_length=MAX_ITEMS)
    kvm_usable: bool | None = None  # True only when a KVM guest reached its boot marker
    boot_seconds: DurationStats | None = None  # create call to boot marker
    # Power-off marker to domain gone: no longer measured (no figure used it; the guest is
    # destroyed once its workload is read), kept so that older reports load.
    poweroff_seconds: DurationStats | None = None
    hypervisor_rss_bytes: Bytes | None = None  # QEMU's resident memory at its peak, workload boots
    disk_bytes: Bytes | None = None  # kernel plus initramfs
    guest_workload_seconds: DurationStats | None = None
    # How much the guest checksummed; the native workload is WORKLOAD_MEBIBYTES. None in
    # older reports, whose guest did as much as the host.
    guest_workload_mebibytes: int | None = Field(default=None, gt=0)
    native_workload_seconds: DurationStats | None = None
    cpu_ratio: Ratio | None = None  # guest workload median / native median
    kernel_source: KernelSource | None = None
    libvirt_version: Label | None = None
    qemu_version: Label | None = None
    notes: Texts = ()
    wall_seconds: ElapsedSeconds

    @model_validator(mode="before")
    @classmethod
    def _forget_copies(cls, data: Any) -> Any:
        # Earlier reports also kept the run's time and host name here; the report holds them.
        return without_copies(data, ("taken_at", "hostname"))
