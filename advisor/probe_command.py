"""`dvm-advisor probe`: run the probes headless, progress on standard error, Ctrl-C cancels."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.probes.control import CancelToken, ProgressEvent
from advisor.probes.models import MAX_RUNS, MAX_TIMEOUT_SECONDS
from advisor.report.files import check_writable, write_atomically

if TYPE_CHECKING:
    from advisor.probes.report import ProbeReport, ProbeSettings


def add_probe_parser(subparsers: Any) -> None:
    probe_parser = subparsers.add_parser(
        "probe", help="launch a real sample container and VM here and measure them"
    )
    probe_parser.add_argument(
        "--json", metavar="FILE", help="write the report as JSON to FILE ('-' for stdout)"
    )
    probe_parser.add_argument(
        "--runs",
        type=_bounded(int, 1, MAX_RUNS, "a whole number"),
        help=f"measured runs per probe, 1 to {MAX_RUNS} (default: 5 containers, 2 VM boots)",
    )
    probe_parser.add_argument("--only", choices=("container", "vm"), help="run one probe only")
    probe_parser.add_argument(
        "--timeout",
        metavar="S",
        type=_bounded(float, 0.1, MAX_TIMEOUT_SECONDS, "a number of seconds"),
        help="the longest any one wait may take: a daemon call, a container run, a guest boot",
    )
    probe_parser.add_argument(
        "--libvirt-uri",
        metavar="URI",
        help="libvirt connection (default: qemu:///system as root, qemu:///session otherwise)",
    )
    probe_parser.add_argument(
        "--image", metavar="NAME", help="an image already in the engine, instead of the sample"
    )


def _bounded(kind: type[float], low: float, high: float, what: str) -> Any:
    """An argparse type: a number of `kind` from `low` to `high`, or a one-line error."""

    def convert(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"expected {what} from {low:g} to {high:g}, got {text!r}"
            )
        return value

    return convert


def run_probe_command(args: argparse.Namespace) -> int:
    """`dvm-advisor probe`: run the probes, progress on stderr, the report as asked."""
    from advisor.probes.report import ProbeSettings

    output = args.json
    if output not in (None, "-"):
        check_writable(Path(output))
    settings = ProbeSettings(
        runs=args.runs,
        only=args.only,
        timeout_seconds=args.timeout,
        libvirt_uri=args.libvirt_uri,
        image=args.image,
    )
    report = run_cancellable(settings)
    if report is None:
        print("dvm-advisor probe: cancelled; what it started has been removed", file=sys.stderr)
        return 130
    text = report.model_dump_json(indent=2)
    if output == "-":
        print(text)
        return 0
    if output is not None:
        write_atomically((text + "\n").encode(), Path(output), what="the probe report")
    for line in probe_summary(report):
        print(line)
    if output is not None:
        print(f"report written to {output}")
    return 0


def run_cancellable(settings: ProbeSettings) -> ProbeReport | None:
    """Run the probes on a worker thread so that Ctrl-C cancels them and they clean up."""
    from advisor.probes.suite import run_probes

    token = CancelToken()
    outcome: list[ProbeReport] = []
    finished = threading.Event()

    def show(event: ProgressEvent) -> None:
        print(f"dvm-advisor probe: [{event.probe}] {event.step}", file=sys.stderr, flush=True)

    def work() -> None:
        try:
            outcome.append(run_probes(settings, show, token))
        finally:
            finished.set()

    # A polite kill (SIGTERM) cancels like Ctrl-C does, so the probes still clean up.
    previous = signal.signal(signal.SIGTERM, _interrupt) if _on_main_thread() else None
    # Waited for through an Event: a KeyboardInterrupt inside Thread.join() can leave the
    # thread marked as ended while it still runs, and the process would exit mid-cleanup.
    threading.Thread(target=work, name="probes").start()
    try:
        while not finished.wait(0.2):
            pass
    except KeyboardInterrupt:
        print("dvm-advisor probe: cancelling…", file=sys.stderr, flush=True)
        token.cancel()
        finished.wait()
        return None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if not outcome:
        raise RuntimeError("the probes ended without a report")
    return outcome[0]


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def probe_summary(report: ProbeReport) -> list[str]:
    """A few lines saying what each probe found, for a person at a terminal."""
    from advisor.report.probe_view import probe_outcomes

    lines = []
    for outcome in probe_outcomes(report):
        fix = f" Fix: {outcome.fix}" if outcome.fix else ""
        lines.append(f"{outcome.title}: {outcome.status_word}. {outcome.summary}{fix}")
    if report.host.docker.root_warning:
        lines.append(f"Docker engine: {report.host.docker.root_warning}")
    lines.append(f"took {report.wall_seconds:.1f} s")
    return lines
