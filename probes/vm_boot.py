"""One guest boot, followed on its serial console until the guest is gone.

A boot is timed from the create call to the boot marker on the console. A workload boot then
waits for the guest's CPU workload to print its result and the power-off marker. Every boot's
guest is then destroyed without waiting for its own power-off: no figure of the report uses
how long a guest takes to power off, and waiting for it cost 1.3 to 1.5 s of every run. A
guest that fails, stalls or is cancelled never outlives its boot.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advisor.base.i18n import _
from advisor.base.models import FrozenModel
from advisor.probes.control import CancelToken
from advisor.probes.deadline import DeadlineExceeded
from advisor.probes.errors import ProbeFailed
from advisor.probes.guest_assets import BOOT_MARKER, POWEROFF_MARKER
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.qemu_processes import find_qemu_pid, read_rss_bytes
from advisor.probes.results import AttemptOutcome
from advisor.probes.vm_plan import PlannedBoot, VmPlan
from advisor.probes.workload import parse_workload_seconds

POLL_SECONDS = 0.05


class BootSample(FrozenModel):
    """One guest boot's measurements."""

    boot_seconds: float
    workload_seconds: float | None
    rss_bytes: int | None


class BootFailed(ProbeFailed):
    """A guest did not boot as it should; `outcome` says how it went."""

    def __init__(self, outcome: AttemptOutcome, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome


class Console:
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
        if not lines:
            return _("; its console is empty")
        return _("; its console's last line: {line!r}").format(line=lines[-1])


def boot(
    connection: LibvirtConnection, planned: PlannedBoot, plan: VmPlan, cancel: CancelToken
) -> BootSample:
    """Start one transient guest and follow it on its console until it is gone."""
    planned.serial_log.unlink(missing_ok=True)
    started = time.monotonic()
    try:
        domain = connection.start(planned.domain_name, planned.domain_xml)
    except (BootFailed, DeadlineExceeded):
        # A daemon that did not answer in time would not for another accelerator either.
        raise
    except ProbeFailed as refused:
        raise BootFailed("error", refused.reason) from refused
    try:
        return _follow(connection, domain, planned, plan, cancel, started)
    except BaseException:
        # A guest that failed, stalled or was cancelled must not outlive its boot.
        connection.retire(planned.domain_name)
        raise


def _follow(
    connection: LibvirtConnection,
    domain: Any,
    planned: PlannedBoot,
    plan: VmPlan,
    cancel: CancelToken,
    started: float,
) -> BootSample:
    """Wait for the boot marker, then (for a workload boot) the workload's result."""
    state = connection.state(domain)
    if state != connection.libvirt.VIR_DOMAIN_RUNNING:
        raise BootFailed(
            "error", _("the guest is in state {state} right after its start").format(state=state)
        )
    pid = find_qemu_pid(planned.domain_name)
    console = Console(planned.serial_log)
    _wait_for_line(
        console,
        BOOT_MARKER,
        connection,
        domain,
        cancel,
        ends=started + planned.marker_timeout_seconds,
        stall_seconds=planned.stall_seconds,
        overdue=lambda tail: _("no boot marker within {seconds:g} s{tail}").format(
            seconds=planned.marker_timeout_seconds, tail=tail
        ),
        gone=lambda tail: _("the guest ended before its boot marker{tail}").format(tail=tail),
    )
    boot_seconds = time.monotonic() - started
    rss = [read_rss_bytes(pid)]
    if planned.kind != "workload":
        if planned.kind == "trial":
            # Destroyed before the measured boots begin: a KVM guest can hold a whole core.
            connection.destroy(planned.domain_name)
        else:
            # Nothing more to measure: destroyed while the next step goes on.
            connection.retire(planned.domain_name)
        # QEMU's memory is read in the workload boot, at its peak.
        return BootSample(boot_seconds=boot_seconds, workload_seconds=None, rss_bytes=None)
    _wait_for_line(
        console,
        POWEROFF_MARKER,
        connection,
        domain,
        cancel,
        ends=time.monotonic() + plan.workload_timeout_seconds,
        overdue=lambda tail: _("no power-off marker within {seconds:g} s of boot{tail}").format(
            seconds=plan.workload_timeout_seconds, tail=tail
        ),
        gone=lambda tail: _("the guest ended before its power-off marker{tail}").format(tail=tail),
    )
    rss.append(read_rss_bytes(pid))
    console.read()
    # Measured: destroyed while the next step goes on, as a boot-only guest is.
    connection.retire(planned.domain_name)
    measured_rss = [value for value in rss if value is not None]
    return BootSample(
        boot_seconds=boot_seconds,
        workload_seconds=parse_workload_seconds(console.text),
        rss_bytes=max(measured_rss) if measured_rss else None,
    )


def _wait_for_line(
    console: Console,
    marker: str,
    connection: LibvirtConnection,
    domain: Any,
    cancel: CancelToken,
    *,
    ends: float,
    overdue: Callable[[str], str],
    gone: Callable[[str], str],
    stall_seconds: float | None = None,
) -> None:
    """Follow the console until the guest prints `marker` as a line. Raises BootFailed once
    `ends` (a monotonic time) passes, the guest ends, or (with `stall_seconds`) it writes
    nothing for that long; `overdue` and `gone` say the first two, given the console's tail."""
    quiet_since = time.monotonic()
    while not console.has_line(marker):
        cancel.sleep(POLL_SECONDS)
        now = time.monotonic()
        if console.read():
            quiet_since = now
            continue
        if stall_seconds is not None and now - quiet_since > stall_seconds:
            raise BootFailed("no_progress", _silence(console, stall_seconds))
        if now > ends:
            raise BootFailed("no_marker", overdue(console.tail()))
        if not connection.alive(domain):
            raise BootFailed("no_marker", gone(console.tail()))


def _silence(console: Console, seconds: float) -> str:
    """Why a guest that went silent failed: silent since its last output, or since its start."""
    silence = (
        _(
            "no progress: the guest wrote nothing to its console for {seconds:g} s "
            "after its last output (a working guest writes within a fraction of a "
            "second){tail}"
        )
        if console.text
        else _(
            "no progress: the guest wrote nothing to its console for {seconds:g} s "
            "after its start (a working guest writes within a fraction of a "
            "second){tail}"
        )
    )
    return silence.format(seconds=seconds, tail=console.tail())
