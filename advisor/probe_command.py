"""`dvm-advisor probe`: run the probes headless, progress on standard error; Ctrl+C, SIGTERM
and SIGHUP cancel."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from advisor.base.errors import STDIN_SOURCE
from advisor.base.i18n import _
from advisor.interrupts import Interrupted, signals_deferred
from advisor.outputs import FOLLOW_SYMLINKS_HELP, check_outputs, outputs_of, write_output
from advisor.probes.control import CancelToken, ProgressEvent
from advisor.probes.models import MAX_RUNS, MAX_TIMEOUT_SECONDS
from advisor.terminal import OutputFailed, json_for_terminal, say

if TYPE_CHECKING:
    from advisor.probes.report import ProbeReport, ProbeSettings


def add_probe_parser(subparsers: Any) -> None:
    probe_parser = subparsers.add_parser(
        "probe", help=_("launch a real sample container and VM here and measure them")
    )
    probe_parser.add_argument(
        "--json", metavar="FILE", help=_("write the report as JSON to FILE ('-' for stdout)")
    )
    probe_parser.add_argument(
        "--runs",
        type=_bounded(int, 1, MAX_RUNS, _("a whole number")),
        help=_("measured runs per probe, 1 to {most} (default: 5 containers, 2 VM boots)").format(
            most=MAX_RUNS
        ),
    )
    probe_parser.add_argument("--only", choices=("container", "vm"), help=_("run one probe only"))
    probe_parser.add_argument(
        "--timeout",
        metavar="S",
        type=_bounded(float, 0.1, MAX_TIMEOUT_SECONDS, _("a number of seconds")),
        help=_("the longest any one wait may take: a daemon call, a container run, a guest boot"),
    )
    probe_parser.add_argument(
        "--libvirt-uri",
        metavar="URI",
        help=_("libvirt connection (default: qemu:///system as root, qemu:///session otherwise)"),
    )
    probe_parser.add_argument(
        "--image", metavar="NAME", help=_("an image already in the engine, instead of the sample")
    )
    probe_parser.add_argument(
        "--follow-symlinks", action="store_true", help=_(FOLLOW_SYMLINKS_HELP)
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
                _("expected {what} from {low:g} to {high:g}, got {text!r}").format(
                    what=what, low=low, high=high, text=text
                )
            )
        return value

    return convert


def run_probe_command(args: argparse.Namespace) -> int:
    """`dvm-advisor probe`: run the probes, progress on stderr, the report as asked."""
    from advisor.probes.report import ProbeSettings

    follow = args.follow_symlinks
    outputs = outputs_of([(args.json, _("the probe report"))], writes="probe")
    # Before any probe runs: a report that could not be written would lose the whole run.
    check_outputs(outputs, follow_symlinks=follow)
    settings = ProbeSettings(
        runs=args.runs,
        only=args.only,
        timeout_seconds=args.timeout,
        libvirt_uri=args.libvirt_uri,
        image=args.image,
    )
    report = run_cancellable(settings)
    text = report.model_dump_json(indent=2)
    if args.json == STDIN_SOURCE:
        say(json_for_terminal(text))
        return 0
    for output in outputs:
        write_output((text + "\n").encode(), output, follow_symlinks=follow)
    for line in probe_summary(report):
        say(line)
    for output in outputs:
        say(_("report written to {path}").format(path=output.path))
    return 0


def run_cancellable(settings: ProbeSettings) -> ProbeReport:
    """Run the probes on a worker thread so that a signal cancels them and they clean up.

    Raises Interrupted once the clean-up is done, when a signal (or Ctrl+C) stopped the run.
    """
    from advisor.probes.suite import run_probes

    token = CancelToken()
    outcome: list[ProbeReport] = []
    finished = threading.Event()

    def show(event: ProgressEvent) -> None:
        _tell(f"[{event.probe}] {event.text}")

    def work() -> None:
        try:
            outcome.append(run_probes(settings, show, token))
        finally:
            finished.set()

    # Waited for through an Event: an exception inside Thread.join() can leave the thread
    # marked as ended while it still runs, and the process would exit mid-cleanup.
    threading.Thread(target=work, name="probes").start()
    try:
        while not finished.wait(0.2):
            pass
    except (Interrupted, KeyboardInterrupt) as stop:
        with signals_deferred(lambda _signum: _tell(_("still removing what the probes started…"))):
            token.cancel()
            _tell(_("cancelling; removing what the probes started…"))
            finished.wait()
            _tell(_("cancelled; what it started has been removed"))
        if isinstance(stop, KeyboardInterrupt):
            raise Interrupted(signal.SIGINT) from None
        raise
    if not outcome:
        raise RuntimeError("the probes ended without a report")
    return outcome[0]


def _tell(text: str) -> None:
    """A progress line on standard error; a terminal gone (SIGHUP) must not stop a clean-up."""
    with contextlib.suppress(OSError, OutputFailed):
        say(f"dvm-advisor probe: {text}", file=sys.stderr)


def probe_summary(report: ProbeReport) -> list[str]:
    """A few lines saying what each probe found, for a person at a terminal."""
    from advisor.report.probe_view import probe_outcomes

    lines = []
    for outcome in probe_outcomes(report):
        fix = _(" Fix: {fix}").format(fix=outcome.fix) if outcome.fix else ""
        lines.append(
            _("{probe}: {status}. {summary}").format(
                probe=outcome.title, status=outcome.status_word, summary=outcome.summary
            )
            + fix
        )
    docker, libvirt = report.host.docker, report.host.libvirt
    silent = _("not answering")
    lines.append(
        _("Engines: {engine} at {endpoint}, libvirt {libvirt} at {uri}").format(
            engine=docker.title
            if docker.answers
            else (
                _("Docker engine, not answering") if docker.asked else _("Docker engine, not asked")
            ),
            endpoint=docker.endpoint,
            libvirt=libvirt.version or silent,
            uri=libvirt.uri,
        )
    )
    if docker.root_warning:
        lines.append(
            _("{engine}: {warning}").format(
                engine=docker.engine or _("Docker engine"), warning=docker.root_warning
            )
        )
    lines.append(_("took {seconds:.1f} s").format(seconds=report.wall_seconds))
    return lines
