"""The VM probe: boot a real transient guest through libvirt, measure it, and leave nothing.

A run prepares the guest kernel and initramfs, connects to libvirt, sweeps what killed runs
left, reads the host facts the plan needs (probes/vm_plan.py), then boots the guest: a KVM
trial where KVM may work, and `runs` measured boots with the first accelerator that reaches
the boot marker. Each boot is timed from the create call to the boot marker on the serial
console, and from the power-off marker to the domain being gone; QEMU's resident memory is
read from /proc/<pid>/status, and the guest's CPU workload is compared with the same
workload run natively.

Every libvirt call runs under a time limit; when one overruns, a watchdog destroys this run's
domains through a fresh connection. Domains start with VIR_DOMAIN_START_AUTODESTROY, so they
die with the connection even if this process is killed. Whatever the outcome, the `finally`
of a run destroys its live domains, closes the connection and removes its directory and the
domain logs libvirt wrote for it.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import Field

from advisor.modelbase import FrozenModel
from advisor.private_files import make_private_dir
from advisor.probes.commands import CommandFailed
from advisor.probes.control import (
    CancelToken,
    ProbeCancelled,
    ProgressCallback,
    ProgressEvent,
)
from advisor.probes.deadline import DeadlineExceeded, call_with_deadline
from advisor.probes.guest_assets import (
    BOOT_MARKER,
    POWEROFF_MARKER,
    GuestAssets,
    GuestAssetsUnavailable,
    KernelSource,
    default_cache_dir,
    guest_cache_dir,
    prepare_guest_assets,
)
from advisor.probes.host import (
    format_libvirt_version,
    gather_kvm_facts,
    parse_domain_types,
    parse_qemu_identity,
)
from advisor.probes.libvirt_access import (
    LIBVIRT_CHECK_FIX,
    explain_connection_error,
    explain_import_error,
    is_system_uri,
)
from advisor.probes.libvirt_access import import_libvirt as _import_binding
from advisor.probes.models import (
    CANCELLED_FIX,
    CANCELLED_REASON,
    DurationStats,
    ProbeStatus,
    Stats,
)
from advisor.probes.quantities import (
    MAX_ITEMS,
    Bytes,
    ElapsedSeconds,
    Label,
    Ratio,
    Text,
    Texts,
)
from advisor.probes.sample_image import find_static_busybox
from advisor.probes.vm_plan import (
    DEFAULT_STAGING_ROOT,
    DOMAIN_PREFIX,
    Accelerator,
    PlannedBoot,
    VmPlan,
    VmSettings,
    owner_pid,
    plan_vm_probe,
    run_name,
)
from advisor.probes.workload import measure_native_workload, parse_workload_seconds

__all__ = [
    "AcceleratorAttempt",
    "BootSample",
    "SweptLeftovers",
    "VmPlan",
    "VmResult",
    "VmSettings",
    "plan_vm_probe",
    "run_vm_probe",
    "sweep_leftovers",
]

T = TypeVar("T")

POLL_SECONDS = 0.05
NATIVE_WORKLOAD_TIMEOUT_SECONDS = 60.0
SYSTEM_DOMAIN_LOG_DIR = Path("/var/log/libvirt/qemu")

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
    hypervisor_rss_bytes: Bytes | None = None  # QEMU's resident memory, median of each boot's peak
    disk_bytes: Bytes | None = None  # kernel plus initramfs
    guest_workload_seconds: DurationStats | None = None
    native_workload_seconds: DurationStats | None = None
    cpu_ratio: Ratio | None = None  # guest workload median / native median
    kernel_source: KernelSource | None = None
    libvirt_version: Label | None = None
    qemu_version: Label | None = None
    notes: Texts = ()
    wall_seconds: ElapsedSeconds
    taken_at: datetime
    hostname: Label


class SweptLeftovers(FrozenModel):
    """What a sweep removed (domains and files of probe runs whose process is gone), and what
    it left because this user may not remove it (another user's run, say root's)."""

    domains: list[str]
    paths: list[str]
    skipped: list[str] = Field(default_factory=list)


class BootSample(FrozenModel):
    """One guest boot's measurements."""

    boot_seconds: float
    poweroff_seconds: float | None
    workload_seconds: float | None
    rss_bytes: int | None


class _Unavailable(Exception):
    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


class _Failed(Exception):
    """The probe could run but did not complete."""


class _BootFailed(Exception):
    def __init__(self, outcome: AttemptOutcome, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


@dataclass
class _Collected:
    """What a run learned so far; a run that stops early still reports it."""

    uri: str
    kernel_source: KernelSource | None = None
    disk_bytes: int | None = None
    libvirt_version: str | None = None
    qemu_version: str | None = None
    attempts: list[AcceleratorAttempt] = field(default_factory=list)
    kvm_usable: bool | None = None
    accelerator: Accelerator | None = None
    samples: list[BootSample] = field(default_factory=list)
    native: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def result(
        self,
        status: ProbeStatus,
        started: float,
        taken_at: datetime,
        reason: str | None = None,
        fix: str | None = None,
    ) -> VmResult:
        def stats(values: Sequence[float | None]) -> Stats | None:
            present = [value for value in values if value is not None]
            return Stats.of(present) if present else None

        guest = stats([sample.workload_seconds for sample in self.samples])
        native = stats(self.native)
        rss = stats([sample.rss_bytes for sample in self.samples])
        return VmResult(
            status=status,
            reason=reason,
            fix=fix,
            uri=self.uri,
            accelerator=self.accelerator,
            attempts=self.attempts,
            kvm_usable=self.kvm_usable,
            boot_seconds=stats([sample.boot_seconds for sample in self.samples]),
            poweroff_seconds=stats([sample.poweroff_seconds for sample in self.samples]),
            hypervisor_rss_bytes=round(rss.median) if rss else None,
            disk_bytes=self.disk_bytes,
            guest_workload_seconds=guest,
            native_workload_seconds=native,
            cpu_ratio=guest.median / native.median if guest and native and native.median else None,
            kernel_source=self.kernel_source,
            libvirt_version=self.libvirt_version,
            qemu_version=self.qemu_version,
            notes=tuple(self.notes),
            wall_seconds=time.monotonic() - started,
            taken_at=taken_at,
            hostname=socket.gethostname(),
        )


def run_vm_probe(settings: VmSettings, progress: ProgressCallback, cancel: CancelToken) -> VmResult:
    """Boot the sample VM through libvirt, measure it, and clean up; never raises.

    The status says how it ended: ok, unavailable (with the fix), failed (with the reason)
    or cancelled.
    """
    started = time.monotonic()
    taken_at = datetime.now(UTC)
    collected = _Collected(uri=settings.uri)
    try:
        _probe(settings, progress, cancel, collected)
    except ProbeCancelled:
        return collected.result(
            ProbeStatus.CANCELLED, started, taken_at, CANCELLED_REASON, CANCELLED_FIX
        )
    except (GuestAssetsUnavailable, _Unavailable) as missing:
        return collected.result(
            ProbeStatus.UNAVAILABLE, started, taken_at, missing.reason, missing.fix
        )
    except (_Failed, DeadlineExceeded, CommandFailed) as failure:
        return collected.result(ProbeStatus.FAILED, started, taken_at, str(failure))
    except Exception as error:  # libvirtError, OSError...: still a result, never a traceback
        reason = f"{type(error).__name__}: {error}"
        return collected.result(ProbeStatus.FAILED, started, taken_at, reason)
    progress(ProgressEvent(probe="vm", step="done", fraction=1.0))
    return collected.result(ProbeStatus.OK, started, taken_at)


def _probe(
    settings: VmSettings, progress: ProgressCallback, cancel: CancelToken, collected: _Collected
) -> None:
    def step(text: str, fraction: float) -> None:
        progress(ProgressEvent(probe="vm", step=text, fraction=fraction))

    step("prepare the guest kernel and initramfs", 0.0)
    cancel.raise_if_cancelled()
    cache_dir = settings.cache_dir or default_cache_dir()
    assets = prepare_guest_assets(
        cache_dir,
        settings.kernel_path,
        settings.initrd_path,
        cancel,
        note=lambda text: step(text, 0.02),
        command_timeout_seconds=settings.download_timeout_seconds,
        allow_download=settings.allow_kernel_download,
    )
    collected.kernel_source = assets.kernel_source
    collected.disk_bytes = assets.disk_bytes
    cancel.raise_if_cancelled()

    step(f"connect to libvirt at {settings.uri}", 0.08)
    session = _LibvirtSession.open(settings.uri, settings.libvirt_call_timeout_seconds)
    plan: VmPlan | None = None
    try:
        conn = session.conn
        collected.libvirt_version = format_libvirt_version(session.call(conn.getLibVersion))
        collected.qemu_version = format_libvirt_version(session.call(conn.getVersion))
        swept = sweep_leftovers(
            conn, leftover_places(cache_dir, settings.staging_root), session.timeout
        )
        collected.notes.extend(sweep_notes(swept))
        plan = _plan(settings, session, assets, cache_dir)
        for skipped in plan.skipped:
            collected.attempts.append(
                AcceleratorAttempt(
                    accelerator=skipped.accelerator,
                    outcome="skipped",
                    seconds=0.0,
                    fallback_reason=skipped.reason,
                    fix=skipped.fix,
                )
            )
            collected.kvm_usable = skipped.kvm_usable
        if plan.blocker is not None:
            raise _Unavailable(plan.blocker.reason, plan.blocker.fix)
        _prepare_run_dir(plan, assets)
        _boot_candidates(session, plan, cancel, collected, step)
        _measure_native(plan, cancel, collected, step)
    finally:
        step("clean up", 0.97)
        session.close()
        if plan is not None:
            _remove_run_files(plan)


def _plan(
    settings: VmSettings, session: _LibvirtSession, assets: GuestAssets, cache_dir: Path
) -> VmPlan:
    capabilities = str(session.call(session.conn.getCapabilities))
    architecture = platform.machine()
    qemu = parse_qemu_identity(capabilities)
    kvm = gather_kvm_facts(qemu, settings.uri)
    return plan_vm_probe(
        settings,
        kvm,
        parse_domain_types(capabilities, architecture),
        architecture,
        assets,
        run_name(os.getpid(), secrets.token_hex(4)),
        cache_dir,
        qemu_runs_as_other_user=(
            qemu.uid != os.geteuid() if qemu is not None else is_system_uri(settings.uri)
        ),
    )


def _boot_candidates(
    session: _LibvirtSession,
    plan: VmPlan,
    cancel: CancelToken,
    collected: _Collected,
    step: Callable[[str, float], None],
) -> None:
    """Try each accelerator in turn; the first whose boots all reach the marker is measured."""
    failure = "no accelerator planned"
    for candidate in plan.candidates:
        name = candidate.accelerator.upper()
        started = time.monotonic()
        samples: list[BootSample] = []
        try:
            if candidate.trial is not None:
                step(f"try {name}: does a guest reach user space?", 0.12)
                _boot(session, candidate.trial, plan, cancel)
                if candidate.accelerator == "kvm":
                    collected.kvm_usable = True
            for index in range(plan.runs):
                step(f"boot {index + 1} of {plan.runs} ({name})", 0.2 + 0.7 * index / plan.runs)
                samples.append(_boot(session, candidate.measured, plan, cancel))
        except _BootFailed as boot_failure:
            if candidate.accelerator == "kvm" and collected.kvm_usable is None:
                collected.kvm_usable = False
            failure = f"{name}: {boot_failure.reason}"
            collected.attempts.append(
                AcceleratorAttempt(
                    accelerator=candidate.accelerator,
                    outcome=boot_failure.outcome,
                    seconds=time.monotonic() - started,
                    fallback_reason=boot_failure.reason,
                )
            )
            continue
        collected.attempts.append(
            AcceleratorAttempt(
                accelerator=candidate.accelerator,
                outcome="reached_marker",
                seconds=time.monotonic() - started,
            )
        )
        collected.accelerator = candidate.accelerator
        collected.samples = samples
        return
    raise _Failed(f"no guest completed its boots: {failure}")


def _measure_native(
    plan: VmPlan, cancel: CancelToken, collected: _Collected, step: Callable[[str, float], None]
) -> None:
    """The same CPU workload on the host, for the ratio; skipped where there is no busybox."""
    if not any(sample.workload_seconds is not None for sample in collected.samples):
        return  # a configured initramfs that runs no workload: nothing to compare
    busybox = find_static_busybox()
    if busybox is None:
        return
    step("time the CPU workload natively", 0.92)
    collected.native = measure_native_workload(
        busybox, max(3, plan.runs), NATIVE_WORKLOAD_TIMEOUT_SECONDS, cancel
    )


def _boot(
    session: _LibvirtSession, planned: PlannedBoot, plan: VmPlan, cancel: CancelToken
) -> BootSample:
    """Start one transient guest and follow it on its console until it is gone."""
    planned.serial_log.unlink(missing_ok=True)
    started = time.monotonic()
    domain = session.create(planned)
    try:
        return _follow(session, domain, planned, plan, cancel, started)
    except BaseException:
        # A guest that failed, stalled or was cancelled must not outlive its boot.
        session.retire(planned.domain_name)
        raise


def _follow(
    session: _LibvirtSession,
    domain: Any,
    planned: PlannedBoot,
    plan: VmPlan,
    cancel: CancelToken,
    started: float,
) -> BootSample:
    """Wait for the boot marker, then (unless a trial) the workload, power-off and the end."""
    state = session.state(domain)
    if state != session.libvirt.VIR_DOMAIN_RUNNING:
        raise _BootFailed("error", f"the guest is in state {state} right after its start")
    pid = find_qemu_pid(planned.domain_name)
    console = _Console(planned.serial_log)
    quiet_since = time.monotonic()
    while not console.has_line(BOOT_MARKER):
        cancel.sleep(POLL_SECONDS)
        now = time.monotonic()
        if console.read():
            quiet_since = now
            continue
        if planned.stall_seconds is not None and now - quiet_since > planned.stall_seconds:
            silence = "after its last output" if console.text else "after its start"
            raise _BootFailed(
                "no_progress",
                f"no progress: the guest wrote nothing to its console for "
                f"{planned.stall_seconds:g} s {silence} (a working guest writes within a "
                f"fraction of a second){console.tail()}",
            )
        if now - started > planned.marker_timeout_seconds:
            raise _BootFailed(
                "no_marker",
                f"no boot marker within {planned.marker_timeout_seconds:g} s{console.tail()}",
            )
        if not session.alive(domain):
            raise _BootFailed(
                "no_marker", f"the guest ended before its boot marker{console.tail()}"
            )
    boot_seconds = time.monotonic() - started
    rss = [read_rss_bytes(pid)]
    if planned.trial:
        session.destroy(planned.domain_name)
        return BootSample(
            boot_seconds=boot_seconds, poweroff_seconds=None, workload_seconds=None, rss_bytes=None
        )
    workload_ends = time.monotonic() + plan.workload_timeout_seconds
    while not console.has_line(POWEROFF_MARKER):
        cancel.sleep(POLL_SECONDS)
        if console.read():
            continue
        if time.monotonic() > workload_ends:
            raise _BootFailed(
                "no_marker",
                f"no power-off marker within {plan.workload_timeout_seconds:g} s of boot"
                f"{console.tail()}",
            )
        if not session.alive(domain):
            raise _BootFailed(
                "no_marker", f"the guest ended before its power-off marker{console.tail()}"
            )
    rss.append(read_rss_bytes(pid))
    marked = time.monotonic()
    while session.alive(domain):
        cancel.sleep(POLL_SECONDS)
        if time.monotonic() - marked > plan.poweroff_timeout_seconds:
            raise _BootFailed(
                "error", f"the guest did not power off within {plan.poweroff_timeout_seconds:g} s"
            )
    poweroff_seconds = time.monotonic() - marked
    session.forget(planned.domain_name)
    console.read()
    measured_rss = [value for value in rss if value is not None]
    return BootSample(
        boot_seconds=boot_seconds,
        poweroff_seconds=poweroff_seconds,
        workload_seconds=parse_workload_seconds(console.text),
        rss_bytes=max(measured_rss) if measured_rss else None,
    )


class _Console:
    """The guest's serial console, as libvirt writes it to a file."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._offset = 0
        self.text = ""

    def read(self) -> bool:
        """Take in what the guest wrote since the last read; whether there was anything."""
        try:
            with self._path.open("rb") as log:
                log.seek(self._offset)
                new = log.read()
        except FileNotFoundError:
            return False
        self._offset += len(new)
        self.text += new.decode("utf-8", errors="replace")
        return bool(new)

    def has_line(self, marker: str) -> bool:
        """Whether the guest printed `marker` as a whole line."""
        self.read()
        return re.search(rf"(?m)^{re.escape(marker)}\r?$", self.text) is not None

    def tail(self) -> str:
        """The console's last line, for a failure message."""
        lines = [line.strip() for line in self.text.splitlines() if line.strip()]
        return f"; its console's last line: {lines[-1]!r}" if lines else "; its console is empty"


class _LibvirtSession:
    """A libvirt connection whose every call has a time limit, and the domains it started."""

    def __init__(self, libvirt: Any, conn: Any, uri: str, timeout: float) -> None:
        self.libvirt = libvirt
        self.conn = conn
        self.uri = uri
        self.timeout = timeout
        self._live: dict[str, Any] = {}
        self._retiring: list[threading.Thread] = []

    @classmethod
    def open(cls, uri: str, timeout: float) -> _LibvirtSession:
        """Connect, or raise _Unavailable saying what is missing and how to get it."""
        libvirt = import_libvirt()
        try:
            conn = call_with_deadline(lambda: libvirt.open(uri), timeout, f"libvirt at {uri}")
        except DeadlineExceeded as error:
            raise _Unavailable(str(error), LIBVIRT_CHECK_FIX) from error
        except libvirt.libvirtError as error:
            raise _Unavailable(*explain_connection_error(error, uri)) from error
        return cls(libvirt, conn, uri, timeout)

    def call(self, function: Callable[[], T], what: str | None = None) -> T:
        """Run one libvirt call under the time limit; on overrun, the watchdog steps in."""
        label = what or str(getattr(function, "__name__", "libvirt call"))
        try:
            return call_with_deadline(function, self.timeout, label)
        except DeadlineExceeded:
            self._watchdog()
            raise

    def create(self, planned: PlannedBoot) -> Any:
        """Start a transient domain that dies with this connection."""
        flags = self.libvirt.VIR_DOMAIN_START_AUTODESTROY
        try:
            domain = self.call(
                lambda: self.conn.createXML(planned.domain_xml, flags),
                f"createXML {planned.domain_name}",
            )
        except self.libvirt.libvirtError as error:
            raise _BootFailed("error", f"libvirt did not start the guest: {error}") from error
        self._live[planned.domain_name] = domain
        return domain

    def alive(self, domain: Any) -> bool:
        """Whether the domain still exists and runs (a transient one vanishes when it ends)."""
        return self.state(domain) is not None

    def destroy(self, name: str) -> None:
        """Destroy a domain this session started, then check that it is gone."""
        domain = self._live.get(name)
        if domain is None:
            return
        try:
            self.call(domain.destroy, f"destroy {name}")
        except self.libvirt.libvirtError as error:
            if error.get_error_code() not in (
                self.libvirt.VIR_ERR_NO_DOMAIN,
                self.libvirt.VIR_ERR_OPERATION_INVALID,
            ):
                raise _Failed(f"libvirt could not destroy {name}: {error}") from error
        if self.alive(domain):
            raise _Failed(f"{name} still runs after libvirt destroyed it")
        self.forget(name)

    def forget(self, name: str) -> None:
        """Stop tracking a domain that is gone."""
        self._live.pop(name, None)

    def retire(self, name: str) -> None:
        """Destroy a domain without waiting for it; close() waits.

        libvirt's destroy returns only once QEMU's process is reaped, which can take seconds
        where the init process reaps slowly; the next boot need not wait for that.
        """
        thread = threading.Thread(
            target=self._destroy_quietly, args=(name,), name=f"destroy {name}", daemon=True
        )
        thread.start()
        self._retiring.append(thread)

    def _destroy_quietly(self, name: str) -> None:
        # Should this fail, close() tries again and closing the connection destroys it.
        with contextlib.suppress(Exception):
            self.destroy(name)

    def close(self) -> None:
        """Destroy what still runs and close the connection; never raises."""
        for thread in self._retiring:
            thread.join(self.timeout)
        for name in list(self._live):
            # Should this fail, closing the connection below destroys the domain regardless.
            with contextlib.suppress(Exception):
                self.destroy(name)
        # Should this fail, the daemon destroys auto-destroy domains when the socket goes.
        with contextlib.suppress(Exception):
            call_with_deadline(self.conn.close, self.timeout, "close the libvirt connection")

    def state(self, domain: Any) -> int | None:
        """The domain's state (VIR_DOMAIN_RUNNING, ...), or None once it is gone."""
        try:
            state = self.call(domain.state, "domain state")
        except self.libvirt.libvirtError as error:
            if error.get_error_code() == self.libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise _Failed(f"libvirt could not read the guest's state: {error}") from error
        code = int(state[0])
        return None if code == self.libvirt.VIR_DOMAIN_SHUTOFF else code

    def _watchdog(self) -> None:
        """A call overran: destroy this run's domains through a connection of their own."""
        names = list(self._live)
        libvirt, uri = self.libvirt, self.uri

        def destroy_all() -> None:
            conn = libvirt.open(uri)
            try:
                for name in names:
                    with contextlib.suppress(libvirt.libvirtError):  # already gone
                        conn.lookupByName(name).destroy()
            finally:
                conn.close()

        # Should this fail too, the connection's auto-destroy remains as the last resort.
        with contextlib.suppress(Exception):
            call_with_deadline(destroy_all, self.timeout, "watchdog destroying the probe's domains")


def import_libvirt() -> Any:
    """The libvirt binding, with its default error handler (which prints) silenced."""
    try:
        return _import_binding()
    except ImportError as error:
        raise _Unavailable(*explain_import_error(error)) from error


# --- this run's files ------------------------------------------------------------------------


def _prepare_run_dir(plan: VmPlan, assets: GuestAssets) -> None:
    """Create the run's directory; under the system daemon, with copies QEMU's user can read."""
    try:
        if plan.stage_assets:
            plan.run_dir.parent.mkdir(mode=0o711, parents=True, exist_ok=True)
            plan.run_dir.mkdir(mode=0o711)
            plan.run_dir.chmod(0o711)
            for source, target in ((assets.kernel, plan.kernel), (assets.initrd, plan.initrd)):
                shutil.copyfile(source, target)
                target.chmod(0o644)
        else:
            make_private_dir(plan.run_dir)
    except OSError as error:
        raise _Unavailable(
            f"cannot prepare {plan.run_dir} for the guest's files: {error.strerror or error}",
            "run the probe as root to use qemu:///system, or probe your own session with "
            "qemu:///session",
        ) from error


def _remove_run_files(plan: VmPlan) -> None:
    shutil.rmtree(plan.run_dir, ignore_errors=True)
    for candidate in plan.candidates:
        for boot in (candidate.trial, candidate.measured):
            if boot is not None:
                for log_dir in domain_log_dirs():
                    (log_dir / f"{boot.domain_name}.log").unlink(missing_ok=True)


def domain_log_dirs() -> list[Path]:
    """Where libvirt writes each domain's QEMU log: the privileged daemon's, the session's.

    Which daemon serves a URI is not always in it (root's qemu:///session is the privileged
    one), and the probe's names are unique, so both places are cleaned.
    """
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [SYSTEM_DOMAIN_LOG_DIR, Path(cache_home) / "libvirt" / "qemu" / "log"]


def leftover_places(
    cache_dir: Path | None = None, staging_root: Path = DEFAULT_STAGING_ROOT
) -> list[Path]:
    """Every directory where a probe run leaves files named after it."""
    guest_dir = guest_cache_dir(cache_dir or default_cache_dir())
    return [guest_dir, guest_dir / "runs", staging_root, *domain_log_dirs()]


# --- leftovers of killed runs ----------------------------------------------------------------


def owner_alive(pid: int) -> bool:
    """Whether the process that made a leftover still runs (then it is not a leftover)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def is_leftover(name: str) -> bool:
    """Whether `name` belongs to a probe run whose process is gone."""
    if not name.startswith(DOMAIN_PREFIX):
        return False
    pid = owner_pid(name)
    return pid is None or not owner_alive(pid)


def sweep_leftovers(
    conn: Any, directories: Sequence[Path] | None = None, timeout: float = 30.0
) -> SweptLeftovers:
    """Destroy and undefine probe domains of runs that were killed, and remove their files
    from `directories` (by default, leftover_places()).

    A domain or file belongs to the probe by its name prefix, and to a dead run when the pid
    in its name no longer runs; a probe running beside this one keeps its own. What this user
    may not remove (another user's files, a domain libvirt refuses to end) is left in place
    and listed as skipped: it never fails the probe.
    """
    libvirt = import_libvirt()
    swept_domains: list[str] = []
    skipped: list[str] = []
    domains = call_with_deadline(lambda: conn.listAllDomains(0), timeout, "listAllDomains")
    for domain in domains:
        name = str(domain.name())
        if not is_leftover(name):
            continue
        try:
            if call_with_deadline(domain.isActive, timeout, f"state of {name}"):
                call_with_deadline(domain.destroy, timeout, f"destroy {name}")
            if call_with_deadline(domain.isPersistent, timeout, f"persistence of {name}"):
                call_with_deadline(domain.undefine, timeout, f"undefine {name}")
        except libvirt.libvirtError as error:
            if error.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                skipped.append(f"domain {name}")
                continue
        swept_domains.append(name)
    swept_paths: list[str] = []
    for directory in leftover_places() if directories is None else directories:
        try:
            entries = list(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            if is_leftover(entry.name):
                (swept_paths if _remove_entry(entry) else skipped).append(str(entry))
    return SweptLeftovers(domains=swept_domains, paths=swept_paths, skipped=skipped)


def _remove_entry(entry: Path) -> bool:
    """Remove a file or folder tree; False when it stays (this user may not remove it)."""
    try:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink(missing_ok=True)
    except FileNotFoundError:
        return True  # removed meanwhile, by its owner or another sweep
    except OSError:
        return not os.path.lexists(entry)
    return True


SKIPPED_NAMES_SHOWN = 3


def sweep_notes(swept: SweptLeftovers) -> list[str]:
    """The sentences a run reports about the sweep: what it removed, what it had to leave."""
    notes: list[str] = []
    if swept.domains or swept.paths:
        notes.append(
            f"removed leftovers of an earlier run: {len(swept.domains)} domain(s), "
            f"{len(swept.paths)} file(s) or folder(s)"
        )
    if swept.skipped:
        shown = ", ".join(swept.skipped[:SKIPPED_NAMES_SHOWN])
        more = len(swept.skipped) - SKIPPED_NAMES_SHOWN
        if more > 0:
            shown += f" and {more} more"
        notes.append(
            f"left {len(swept.skipped)} leftover(s) of an earlier run in place because this "
            f"user may not remove them: {shown}; they do no harm, and the next probe run by "
            "their owner (or root) removes them"
        )
    return notes


# --- QEMU processes --------------------------------------------------------------------------


def qemu_pids(name_prefix: str) -> dict[int, str]:
    """QEMU processes whose guest name starts with `name_prefix`, by pid, from /proc."""
    found: dict[int, str] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            arguments = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        for argument in arguments:
            text = argument.decode("utf-8", errors="replace")
            if text.startswith(f"guest={name_prefix}"):
                found[int(proc.name)] = text.removeprefix("guest=").split(",", 1)[0]
    return found


def find_qemu_pid(domain_name: str) -> int | None:
    """The pid of the QEMU process running `domain_name`, if this user can see it."""
    for pid, guest in qemu_pids(domain_name).items():
        if guest == domain_name:
            return pid
    return None


def read_rss_bytes(pid: int | None) -> int | None:
    """A process's resident memory from /proc/<pid>/status, or None once it is gone."""
    if pid is None:
        return None
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+)\s+kB", status, re.MULTILINE)
    return int(match.group(1)) * 1024 if match else None
