"""The `dvm-advisor` command line: the GUI by default, headless subcommands beside it."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import platformdirs
from pydantic import BaseModel

from advisor._version import __version__
from advisor.answers import Answers, load_answers
from advisor.engine import recommend
from advisor.errors import InputError
from advisor.facts import facts_from_probe_report
from advisor.probes.control import CancelToken, ProgressEvent
from advisor.probes.models import MAX_RUNS, MAX_TIMEOUT_SECONDS
from advisor.recommendation import render_text
from advisor.rulebook import RulebookError, load_rulebook

if TYPE_CHECKING:
    from advisor.probes.suite import ProbeReport, ProbeSettings

HEADLESS_COMMANDS = "recommend, probe, report, schema"
# The example project the headless job reports on, inside the package.
HEADLESS_EXAMPLE = "examples/linux-microservices-postgres.json"

# The probe modules load the Docker SDK and libvirt: only commands that probe import them,
# so that the GUI and the other commands start without that cost.


def _probe_report_model() -> type[BaseModel]:
    from advisor.probes.suite import ProbeReport

    return ProbeReport


# `dvm-advisor schema TARGET` prints the JSON Schema of the model one of these returns.
SCHEMA_TARGETS: dict[str, Any] = {
    "answers": lambda: Answers,
    "probe": _probe_report_model,
}


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """Build the parser for every subcommand."""
    parser = _Parser(
        prog="dvm-advisor",
        description="Decide between Docker containers and virtual machines for a project, "
        "and ground the advice with real probes on this workstation. "
        "With no subcommand, the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"dvm-advisor {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.add_parser("gui", help="open the desktop app (the default)")
    recommend_parser = subparsers.add_parser(
        "recommend", help="recommend containers, VMs or both from a project's answers"
    )
    recommend_parser.add_argument(
        "--answers", required=True, metavar="FILE", help="answers JSON file; '-' reads stdin"
    )
    recommend_parser.add_argument(
        "--probe",
        metavar="FILE",
        help="a probe report written by 'dvm-advisor probe --json', to ground the advice",
    )
    recommend_parser.add_argument(
        "--json", action="store_true", help="print the recommendation as JSON"
    )
    _add_probe_parser(subparsers)
    _add_report_parser(subparsers)
    schema_parser = subparsers.add_parser("schema", help="print the JSON Schema of a file format")
    schema_parser.add_argument("target", choices=sorted(SCHEMA_TARGETS), help="the file format")
    subparsers.add_parser("headless", help="the job `make run` does where no display exists")
    return parser


def display_available() -> bool:
    """Whether a GUI can be shown here: a display server, or a Qt platform chosen explicitly."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _run_gui() -> int:
    if not display_available():
        print(
            "dvm-advisor: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
            f"the headless commands are: {HEADLESS_COMMANDS} (see 'dvm-advisor --help')",
            file=sys.stderr,
        )
        return 2
    # Imported here so headless commands never load Qt.
    from advisor.ui.app import run_app

    exit_status: int = run_app()
    return exit_status


def _run_headless_job() -> int:
    """Where no display exists: the report for the bundled example, grounded by real probes."""
    with resources.as_file(resources.files("advisor").joinpath(HEADLESS_EXAMPLE)) as example:
        answers = load_answers(example)
    folder = report_folder()
    print(
        f"dvm-advisor: no display here, so the headless job runs: the report for the example "
        f"project “{answers.project_name}”, grounded by real probes on this workstation"
    )
    status = write_report(
        answers,
        None,
        run_probes_first=True,
        pdf_path=folder / "example-report.pdf",
        json_path=folder / "example-report.json",
    )
    if status == 0:
        print(f"other headless commands: {HEADLESS_COMMANDS} (see 'dvm-advisor --help')")
    return status


def report_folder() -> Path:
    """Where the headless job keeps its report: the user's documents, else the data folder."""
    documents = platformdirs.user_documents_path()
    folder = (
        documents / "dvm-advisor"
        if documents.is_dir()
        else platformdirs.user_data_path("dvm-advisor") / "reports"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{folder}: cannot make the report folder ({error.strerror})") from None
    return folder


def _run_recommend(args: argparse.Namespace) -> int:
    from advisor.probes.suite import load_probe_report

    answers = load_answers(args.answers)
    facts = facts_from_probe_report(load_probe_report(args.probe)) if args.probe else None
    recommendation = recommend(answers, load_rulebook(), facts)
    print(recommendation.model_dump_json(indent=2) if args.json else render_text(recommendation))
    return 0


def _print_schema(target: str) -> int:
    model: type[BaseModel] = SCHEMA_TARGETS[target]()
    print(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
    return 0


def _add_probe_parser(subparsers: Any) -> None:
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
    from advisor.probes.suite import ProbeSettings

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
    report = _run_cancellable(settings)
    if report is None:
        print("dvm-advisor probe: cancelled; what it started has been removed", file=sys.stderr)
        return 130
    text = report.model_dump_json(indent=2)
    if output == "-":
        print(text)
        return 0
    if output is not None:
        Path(output).write_text(text + "\n", encoding="utf-8")
    for line in probe_summary(report):
        print(line)
    if output is not None:
        print(f"report written to {output}")
    return 0


def check_writable(path: Path) -> None:
    """Refuse, before any probe runs, a report path that could not be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file name for the report")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"{path}: permission denied, cannot write the report there")


def _run_cancellable(settings: ProbeSettings) -> ProbeReport | None:
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
    host = report.host
    kvm_usable = {True: "yes", False: "no", None: "unproven"}[host.kvm.usable]
    lines = [
        f"host: {host.os.distribution or host.os.system}, kernel {host.os.kernel}, "
        f"{host.cpu.count or '?'} CPUs, /dev/kvm "
        f"{'present' if host.kvm.device_present else 'absent'} (usable: {kvm_usable})"
    ]
    if host.kvm.problem:
        lines.append(f"  /dev/kvm: {host.kvm.problem}; fix: {host.kvm.fix}")
    if host.docker.root_warning:
        lines.append(f"  docker: {host.docker.root_warning}")
    container = report.container
    if container is not None:
        line = f"container: {container.status}"
        if container.start_seconds and container.image_bytes is not None:
            line += (
                f", start {container.start_seconds.median:.2f} s median of "
                f"{container.start_seconds.runs}, image {container.image_bytes / 1e6:.1f} MB"
            )
        if container.cpu_ratio is not None:
            line += f", CPU ratio to native {container.cpu_ratio:.2f}"
        lines.append(line + _because(container.reason, container.fix))
    vm = report.vm
    if vm is not None:
        line = f"vm: {vm.status}"
        if vm.accelerator and vm.boot_seconds:
            line += (
                f" ({vm.accelerator}), boot {vm.boot_seconds.median:.2f} s median of "
                f"{vm.boot_seconds.runs}"
            )
        if vm.disk_bytes is not None:
            line += f", disk {vm.disk_bytes / 1e6:.1f} MB"
        if vm.cpu_ratio is not None:
            line += f", CPU ratio to native {vm.cpu_ratio:.2f}"
        lines.append(line + _because(vm.reason, vm.fix))
    lines.append(f"took {report.wall_seconds:.1f} s")
    return lines


def _because(reason: str | None, fix: str | None) -> str:
    text = f": {reason}" if reason else ""
    return text + (f" (fix: {fix})" if fix else "")


def _add_report_parser(subparsers: Any) -> None:
    report_parser = subparsers.add_parser(
        "report", help="write the recommendation as a PDF, grounded by a probe run if given one"
    )
    report_parser.add_argument(
        "--answers", required=True, metavar="FILE", help="answers JSON file; '-' reads stdin"
    )
    grounding = report_parser.add_mutually_exclusive_group()
    grounding.add_argument(
        "--probe", metavar="FILE", help="a probe report written by 'dvm-advisor probe --json'"
    )
    grounding.add_argument(
        "--run-probes",
        action="store_true",
        help="run the probes here first (a few seconds to a minute; progress on stderr)",
    )
    report_parser.add_argument("--pdf", required=True, metavar="OUT", help="the PDF to write")
    report_parser.add_argument(
        "--json", metavar="OUT", help="also write the report's content as JSON"
    )


def run_report_command(args: argparse.Namespace) -> int:
    """`dvm-advisor report`: the recommendation as a PDF (and JSON)."""
    from advisor.probes.suite import load_probe_report

    answers = load_answers(args.answers)
    probe_report = load_probe_report(args.probe) if args.probe else None
    return write_report(
        answers,
        probe_report,
        run_probes_first=args.run_probes,
        pdf_path=Path(args.pdf),
        json_path=Path(args.json) if args.json else None,
    )


def write_report(
    answers: Answers,
    probe_report: ProbeReport | None,
    *,
    run_probes_first: bool,
    pdf_path: Path,
    json_path: Path | None,
) -> int:
    """Advise, draw the report and write it; the outputs are checked before any probe runs."""
    # Imported here: fpdf2 and fonts are needed only by this command.
    from advisor.probes.suite import ProbeSettings
    from advisor.report import build_report
    from advisor.report.files import write_atomically
    from advisor.report.pdf import write_report_pdf

    for path in (pdf_path, json_path):
        if path is not None:
            check_writable(path)
    if run_probes_first:
        probe_report = _run_cancellable(ProbeSettings())
        if probe_report is None:
            print("dvm-advisor report: cancelled; no report written", file=sys.stderr)
            return 130
    rulebook = load_rulebook()
    facts = facts_from_probe_report(probe_report) if probe_report is not None else None
    recommendation = recommend(answers, rulebook, facts)
    document = build_report(
        answers,
        recommendation,
        probe_report,
        rulebook=rulebook,
        generated_at=datetime.now(UTC),
    )
    write_report_pdf(document, pdf_path)
    print(f"verdict: {document.verdict_label} ({document.confidence} confidence)")
    print(f"PDF report written to {pdf_path}")
    if json_path is not None:
        write_atomically(
            (document.model_dump_json(indent=2) + "\n").encode(), json_path, what="the JSON"
        )
        print(f"JSON written to {json_path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command in (None, "gui"):
            return _run_gui()
        if args.command == "headless":
            return _run_headless_job()
        if args.command == "recommend":
            return _run_recommend(args)
        if args.command == "probe":
            return run_probe_command(args)
        if args.command == "report":
            return run_report_command(args)
        if args.command == "schema":
            return _print_schema(args.target)
        raise UsageError(f"dvm-advisor: unknown command {args.command!r}")
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except RulebookError as error:
        # The shipped rules are part of the program: a fault there is internal, not bad input.
        print(f"dvm-advisor: internal error in the shipped rules: {error}", file=sys.stderr)
        return 1
    except InputError as error:
        print(f"dvm-advisor: {error}", file=sys.stderr)
        return 2
