"""`dvm-advisor report`, and the headless job that reports on a bundled example."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from advisor.answers import Answers, load_answers
from advisor.engine import recommend
from advisor.errors import InputError, describe_os_error
from advisor.facts import facts_from_probe_report
from advisor.outputs import FOLLOW_SYMLINKS_HELP, Output, check_outputs, write_output
from advisor.probe_command import run_cancellable
from advisor.rulebook import load_rulebook
from advisor.terminal import say

if TYPE_CHECKING:
    from advisor.probes.suite import ProbeReport

# The example project the headless job reports on, inside the package.
HEADLESS_EXAMPLE = "examples/linux-microservices-postgres.json"
HEADLESS_COMMANDS = "recommend, probe, report, schema"


def run_headless_job() -> int:
    """Where no display exists: the report for the bundled example, grounded by real probes."""
    with resources.as_file(resources.files("advisor").joinpath(HEADLESS_EXAMPLE)) as example:
        answers = load_answers(example)
    folder = report_folder()
    say(
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
        say(f"other headless commands: {HEADLESS_COMMANDS} (see 'dvm-advisor --help')")
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
        raise InputError(
            f"{folder}: cannot make the report folder ({describe_os_error(error)})"
        ) from None
    return folder


def add_report_parser(subparsers: Any) -> None:
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
    report_parser.add_argument("--follow-symlinks", action="store_true", help=FOLLOW_SYMLINKS_HELP)


def run_report_command(args: argparse.Namespace) -> int:
    """`dvm-advisor report`: the recommendation as a PDF (and JSON)."""
    from advisor.probes.suite import load_probe_report

    inputs = [Output(Path(args.answers), "the answers")]
    if args.probe:
        inputs.append(Output(Path(args.probe), "the probe report"))
    outputs = [Output(Path(args.pdf), "the PDF")]
    if args.json:
        outputs.append(Output(Path(args.json), "the JSON"))
    # Checked first: an output that is an input, a device or unwritable costs nothing.
    check_outputs(outputs, inputs, follow_symlinks=args.follow_symlinks)
    answers = load_answers(args.answers)
    probe_report = load_probe_report(args.probe) if args.probe else None
    return write_report(
        answers,
        probe_report,
        run_probes_first=args.run_probes,
        pdf_path=Path(args.pdf),
        json_path=Path(args.json) if args.json else None,
        follow_symlinks=args.follow_symlinks,
    )


def write_report(
    answers: Answers,
    probe_report: ProbeReport | None,
    *,
    run_probes_first: bool,
    pdf_path: Path,
    json_path: Path | None,
    follow_symlinks: bool = False,
) -> int:
    """Advise, draw the report and write it; the outputs are checked before any probe runs."""
    # Imported here: fpdf2 and fonts are needed only by this command.
    from advisor.probes.suite import ProbeSettings
    from advisor.report import build_report
    from advisor.report.pdf import render_report_pdf

    pdf = Output(pdf_path, "the PDF")
    json = Output(json_path, "the JSON") if json_path is not None else None
    check_outputs([pdf] + ([json] if json else []), follow_symlinks=follow_symlinks)
    if run_probes_first:
        probe_report = run_cancellable(ProbeSettings())
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
    write_output(render_report_pdf(document), pdf, follow_symlinks=follow_symlinks)
    say(f"verdict: {document.verdict_label} ({document.confidence} confidence)")
    say(f"PDF report written to {pdf_path}")
    if json is not None:
        data = (document.model_dump_json(indent=2) + "\n").encode()
        write_output(data, json, follow_symlinks=follow_symlinks)
        say(f"JSON written to {json_path}")
    return 0
