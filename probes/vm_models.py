"""What the VM probe reports: the accelerators it tried, and what it measured."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from advisor.modelbase import FrozenModel
from advisor.probes.kernel_package import KernelSource
from advisor.probes.models import DurationStats, ProbeStatus, without_copies
from advisor.probes.quantities import (
    MAX_ITEMS,
    Bytes,
    ElapsedSeconds,
    Label,
    Ratio,
    Text,
    Texts,
)
from advisor.probes.vm_plan import Accelerator

AttemptOutcome = Literal["reached_marker", "no_progress", "no_marker", "error", "skipped"]


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
    poweroff_seconds: DurationStats | None = None  # power-off marker to domain gone
    hypervisor_rss_bytes: Bytes | None = None  # QEMU's resident memory at its peak, workload boots
    disk_bytes: Bytes | None = None  # kernel plus initramfs
    guest_workload_seconds: DurationStats | None = None
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
