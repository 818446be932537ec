"""What each probe found, in one sentence for a person, with the fix where it did not run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from advisor.grounding import format_bytes, format_seconds

if TYPE_CHECKING:
    from advisor.probes.models import Stats
    from advisor.probes.suite import ProbeReport

ProbeKey = Literal["host", "container", "vm"]
PROBE_KEYS: tuple[ProbeKey, ...] = ("host", "container", "vm")
PROBE_TITLES: dict[ProbeKey, str] = {
    "host": "Host facts",
    "container": "Sample container",
    "vm": "Sample VM",
}
STATUS_WORDS = {
    "ok": "Done",
    "unavailable": "Could not run",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "skipped": "Not run",
}


@dataclass(frozen=True)
class ProbeOutcome:
    """How one probe ended: a status word, what it found or why not, and the fix if any."""

    probe: ProbeKey
    status: str  # ok | unavailable | failed | cancelled | skipped
    summary: str
    fix: str | None = None


def probe_outcomes(report: ProbeReport) -> tuple[ProbeOutcome, ...]:
    """One outcome per probe of `report`, in the order they run."""
    host = report.host
    system = host.os.distribution or host.os.system
    cpus = f"{host.cpu.count} CPUs" if host.cpu.count else "CPU count unknown"
    outcomes = [
        ProbeOutcome("host", "ok", f"{system}, kernel {host.os.kernel}, {cpus} ({report.hostname})")
    ]
    container = report.container
    if container is None:
        outcomes.append(ProbeOutcome("container", "skipped", "Not asked for in this run."))
    elif container.status == "ok":
        figures = [
            _timed("started", container.start_seconds),
            f"image {format_bytes(container.image_bytes)}" if container.image_bytes else None,
            _cpu(container.cpu_ratio),
        ]
        outcomes.append(ProbeOutcome("container", "ok", _ran(figures)))
    else:
        outcomes.append(_trouble("container", container.status, container.reason, container.fix))
    vm = report.vm
    if vm is None:
        outcomes.append(ProbeOutcome("vm", "skipped", "Not asked for in this run."))
    elif vm.status == "ok":
        accelerator = {
            "kvm": "hardware virtualization (KVM)",
            "tcg": "software emulation (TCG)",
            None: None,
        }[vm.accelerator]
        figures = [_timed("booted", vm.boot_seconds), accelerator, _cpu(vm.cpu_ratio)]
        outcomes.append(ProbeOutcome("vm", "ok", _ran(figures)))
    else:
        outcomes.append(_trouble("vm", vm.status, vm.reason, vm.fix))
    return tuple(outcomes)


def _timed(verb: str, stats: Stats | None) -> str | None:
    if stats is None:
        return None
    return f"{verb} in {format_seconds(stats.median)} (median of {stats.runs})"


def _cpu(ratio: float | None) -> str | None:
    return f"CPU {ratio:.2f}x native" if ratio is not None else None


def _ran(figures: list[str | None]) -> str:
    shown = [figure for figure in figures if figure]
    return f"Ran: {', '.join(shown)}." if shown else "Ran."


def _trouble(probe: ProbeKey, status: str, reason: str | None, fix: str | None) -> ProbeOutcome:
    text = (reason or STATUS_WORDS[str(status)]).rstrip(".")
    return ProbeOutcome(probe, str(status), text[:1].upper() + text[1:] + ".", fix)
