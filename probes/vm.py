"""The VM probe: boot a real transient guest through libvirt, measure it, and leave nothing.

A run prepares the guest kernel and initramfs, connects to libvirt (the run's one
connection, which the host facts read first), sweeps what killed runs left, then boots the
guest as its plan (probes/vm_plan.py, made from the host facts) says: a KVM trial where KVM
may work, and `runs` measured boots with the first accelerator that reaches the boot marker.
The first measured boot runs the CPU workload; the others only boot
(probes/vm_boot.py). The guest's workload is compared with the same workload run natively.

Every libvirt call of the run ends by the run's deadline and on its cancel
(probes/libvirt_connection.py). Domains start with VIR_DOMAIN_START_AUTODESTROY, so they
die with the connection even if this process is killed; however a run ends, its clean-up
destroys its live domains and removes its folder and the domain logs libvirt wrote for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from advisor.base.i18n import N_, _
from advisor.probes.cache_holds import CacheHolds
from advisor.probes.control import CancelToken, ProgressCallback, ignore_progress
from advisor.probes.errors import ProbeError, ProbeFailed, ProbeUnavailable
from advisor.probes.guest_assets import prepare_guest_assets
from advisor.probes.host import gather_host_facts
from advisor.probes.host_libvirt import format_libvirt_version
from advisor.probes.host_models import HostFacts
from advisor.probes.leftovers import sweep_libvirt, sweep_notes
from advisor.probes.libvirt_connection import LibvirtConnection, message_of
from advisor.probes.models import Stats, cpu_cost, stats_of
from advisor.probes.places import default_cache_dir, leftover_places
from advisor.probes.results import Accelerator, AcceleratorAttempt, KernelSource, VmResult
from advisor.probes.runner import Ending, ProbeJob, ProbeRun, run_probe
from advisor.probes.sample_image import find_static_busybox
from advisor.probes.vm_boot import BootFailed, BootSample, boot
from advisor.probes.vm_files import prepare_run_dir, remove_run_files
from advisor.probes.vm_plan import (
    NATIVE_WORKLOAD_TIMEOUT_SECONDS,
    VmPlan,
    VmSettings,
    plan_from_host,
)
from advisor.probes.workload import (
    GUEST_WORKLOAD_MEBIBYTES,
    WORKLOAD_MEBIBYTES,
    measure_native_workload,
)

PREPARE_STEP = N_("prepare the guest kernel and initramfs")
CONNECT_STEP = N_("connect to libvirt")
SWEEP_STEP = N_("sweep leftovers of earlier runs")
TRIAL_STEP = N_("try KVM: does a guest reach user space?")
NATIVE_STEP = N_("time the CPU workload natively")
NATIVE_RUNS = 3


BOOT_STEP = N_("boot {number} of {runs}")  # a numbered step: run.step(BOOT_STEP, number=…)


def boot_step(number: int, runs: int) -> str:
    """The name of the step of measured boot `number` of `runs`."""
    return BOOT_STEP.format(number=number, runs=runs)


@dataclass
class VmMeasured:
    """What a run learned so far; a run that stops early still reports it."""

    kernel_source: KernelSource | None = None
    disk_bytes: int | None = None
    libvirt_version: str | None = None
    qemu_version: str | None = None
    attempts: list[AcceleratorAttempt] = field(default_factory=list)
    kvm_usable: bool | None = None
    accelerator: Accelerator | None = None
    samples: list[BootSample] = field(default_factory=list)
    native: Stats | None = None
    # What the guest's workload checksums: the built initramfs does a share of the host's.
    guest_mebibytes: int = WORKLOAD_MEBIBYTES


def boot_candidates(
    connection: LibvirtConnection, plan: VmPlan, run: ProbeRun, measured: VmMeasured
) -> None:
    """Try each accelerator in turn; the first whose boots all reach the marker is measured."""
    failure = _("no accelerator planned")
    for candidate in plan.candidates:
        name = candidate.accelerator.upper()
        started = time.monotonic()
        samples: list[BootSample] = []
        try:
            if candidate.trial is not None:
                run.step(TRIAL_STEP)
                boot(connection, candidate.trial, plan, run.cancel)
                if candidate.accelerator == "kvm":
                    measured.kvm_usable = True
            for number, planned in enumerate(candidate.measured(plan.runs), start=1):
                run.step(BOOT_STEP, name, number=number, runs=plan.runs)
                samples.append(boot(connection, planned, plan, run.cancel))
        except BootFailed as boot_failure:
            if candidate.accelerator == "kvm" and measured.kvm_usable is None:
                measured.kvm_usable = False
            failure = _("{accelerator}: {reason}").format(
                accelerator=name, reason=boot_failure.reason
            )
            measured.attempts.append(
                AcceleratorAttempt(
                    accelerator=candidate.accelerator,
                    outcome=boot_failure.outcome,
                    seconds=time.monotonic() - started,
                    fallback_reason=boot_failure.reason,
                )
            )
            continue
        measured.attempts.append(
            AcceleratorAttempt(
                accelerator=candidate.accelerator,
                outcome="reached_marker",
                seconds=time.monotonic() - started,
            )
        )
        measured.accelerator = candidate.accelerator
        measured.samples = samples
        return
    raise ProbeFailed(
        _("no guest completed its boots: {failure}").format(failure=failure),
        _(
            "check that QEMU runs here (virsh -c URI domcapabilities), or turn KVM off in the "
            "probe settings and run it again"
        ),
    )


def run_vm_probe(
    settings: VmSettings,
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
    host: HostFacts | None = None,
    connection: LibvirtConnection | None = None,
    native_workload: Stats | None = None,
) -> VmResult:
    """Boot the sample VM through libvirt, measure it, and clean up; never raises.

    `host` and `connection`: the run's host facts and libvirt connection, read and opened
    by the caller; by default the probe gathers and opens its own (and closes it). The
    status says how it ended: ok, unavailable or failed (each with the fix), or cancelled.
    """
    own = connection is None
    libvirt = connection or LibvirtConnection(settings.uri, settings.libvirt_call_timeout_seconds)
    try:
        facts = host or gather_host_facts(settings.uri, libvirt=libvirt)
        return run_probe(VmJob(settings, facts, libvirt, native_workload), progress, cancel)
    finally:
        if own:
            libvirt.close()


class VmJob(ProbeJob[VmPlan, VmResult]):
    """The VM probe through the real libvirt and QEMU."""

    probe = "vm"
    title = N_("VM")
    failed_fix = N_("check libvirt (sudo systemctl status libvirtd) and run the probe again")

    def __init__(
        self,
        settings: VmSettings,
        host: HostFacts,
        connection: LibvirtConnection,
        native_workload: Stats | None = None,
    ) -> None:
        """`native_workload`: the host's CPU workload timed already in this run, if it was."""
        self.settings = settings
        self.host = host
        self.connection = connection
        self.cache_dir = settings.cache_dir or default_cache_dir()
        self.measured = VmMeasured(native=native_workload)
        self.holds = CacheHolds()  # the cached kernel and initramfs this run boots

    def prepare(self, name: str) -> VmPlan:
        return plan_from_host(self.settings, self.host, name, self.cache_dir)

    def steps(self, plan: VmPlan) -> tuple[str, ...]:
        trial = any(candidate.trial is not None for candidate in plan.candidates)
        boots = tuple(boot_step(number, plan.runs) for number in range(1, plan.runs + 1))
        return (
            PREPARE_STEP,
            CONNECT_STEP,
            SWEEP_STEP,
            *((TRIAL_STEP,) if trial else ()),
            *boots,
            NATIVE_STEP,
        )

    def timeout_seconds(self, plan: VmPlan) -> float:
        return plan.timeout_seconds

    def run(self, plan: VmPlan, run: ProbeRun) -> None:
        # Every libvirt call of the run ends by the run's deadline, and on its cancel.
        with self.connection.bounded(run.deadline, run.cancel):
            self._run(plan, run)

    def _run(self, plan: VmPlan, run: ProbeRun) -> None:
        settings, measured, connection = self.settings, self.measured, self.connection
        run.step(PREPARE_STEP)
        assets = prepare_guest_assets(
            self.cache_dir,
            settings.kernel_path,
            settings.initrd_path,
            run.cancel,
            note=run.say,
            command_timeout_seconds=settings.download_timeout_seconds,
            allow_download=settings.allow_kernel_download,
            holds=self.holds,
        )
        measured.kernel_source = assets.kernel_source
        measured.disk_bytes = assets.disk_bytes
        if assets.initrd_built:
            measured.guest_mebibytes = GUEST_WORKLOAD_MEBIBYTES
        run.step(CONNECT_STEP, settings.uri)
        measured.libvirt_version = format_libvirt_version(
            int(connection.read("getLibVersion", lambda conn: conn.getLibVersion()))
        )
        measured.qemu_version = format_libvirt_version(
            int(connection.read("getVersion", lambda conn: conn.getVersion()))
        )
        run.step(SWEEP_STEP)
        places = leftover_places(self.cache_dir, settings.staging_root)
        for note in sweep_notes(sweep_libvirt(connection, places)):
            run.note(note)
        for skipped in plan.skipped:
            measured.attempts.append(
                AcceleratorAttempt(
                    accelerator=skipped.accelerator,
                    outcome="skipped",
                    seconds=0.0,
                    fallback_reason=skipped.reason,
                    fix=skipped.fix,
                )
            )
            measured.kvm_usable = skipped.kvm_usable
        if plan.blocker is not None:
            raise ProbeUnavailable(plan.blocker.reason, plan.blocker.fix)
        prepare_run_dir(plan, assets)
        boot_candidates(connection, plan, run, measured)
        self._measure_native(run)

    def _measure_native(self, run: ProbeRun) -> None:
        """The same CPU workload on the host, for the ratio; skipped where there is no busybox."""
        measured = self.measured
        if not any(sample.workload_seconds is not None for sample in measured.samples):
            return  # a configured initramfs that runs no workload: nothing to compare
        if measured.native is not None:
            return  # timed already in this run, by the container probe
        busybox = find_static_busybox()
        if busybox is None:
            return
        run.step(NATIVE_STEP)
        measured.native = Stats.of(
            measure_native_workload(
                busybox, NATIVE_RUNS, run.limit(NATIVE_WORKLOAD_TIMEOUT_SECONDS), run.cancel
            )
        )

    def clean_up(self, plan: VmPlan, run: ProbeRun) -> None:
        self.connection.destroy_all()
        remove_run_files(plan)
        self.holds.release()  # no guest of this run reads them any more

    def explain(self, error: Exception) -> ProbeError | None:
        if not self.connection.is_libvirt_error(error):
            return None
        return ProbeFailed(
            _("libvirt refused a call of the probe, saying: {message}").format(
                message=message_of(error)
            )
        )

    def result(self, plan: VmPlan, ending: Ending) -> VmResult:
        measured = self.measured
        samples = measured.samples
        guest = stats_of([sample.workload_seconds for sample in samples])
        native = measured.native if guest is not None else None
        rss = stats_of([sample.rss_bytes for sample in samples])
        return VmResult(
            **ending.fields(),
            uri=self.settings.uri,
            accelerator=measured.accelerator,
            attempts=measured.attempts,
            kvm_usable=measured.kvm_usable,
            boot_seconds=stats_of([sample.boot_seconds for sample in samples]),
            hypervisor_rss_bytes=round(rss.median) if rss else None,
            disk_bytes=measured.disk_bytes,
            **cpu_cost(
                guest,
                native,
                "guest_workload_seconds",
                inside_share=measured.guest_mebibytes / WORKLOAD_MEBIBYTES,
            ),
            guest_workload_mebibytes=measured.guest_mebibytes if guest is not None else None,
            kernel_source=measured.kernel_source,
            libvirt_version=measured.libvirt_version,
            qemu_version=measured.qemu_version,
        )
