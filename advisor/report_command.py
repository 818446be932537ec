"""`dvm-advisor report`, and the headless job that reports on a bundled example."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from advisor.base.errors import InputError, describe_os_error
from advisor.base.i18n import N_, _
from advisor.outputs import FOLLOW_SYMLINKS_HELP, Output, check_outputs, write_output
from advisor.probe_command import run_cancellable
from advisor.terminal import say

if TYPE_CHECKING:
    from advisor.answers import Answers
    from advisor.probe_results import ProbeReport
    from advisor.report.model import ReportDocument

# The example project the headless job reports on, inside the package.
HEADLESS_EXAMPLE = "examples/linux-microservices-postgres.json"
HEADLESS_COMMANDS = "recommend, probe, report, compare, diff, schema"


def run_headless_job() -> int:
    """Where no display exists: the report for the bundled example, grounded by real probes."""
    from advisor.answers import load_answers

    with resources.as_file(resources.files("advisor").joinpath(HEADLESS_EXAMPLE)) as example:
        answers = load_answers(example)
    folder = report_folder()
    say(
        _(
            "dvm-advisor: no display here, so the headless job runs: the report for the example "
            "project “{project}”, grounded by real probes on this workstation"
        ).format(project=answers.project_name)
    )
    status = write_report(
        answers,
        None,
        run_probes_first=True,
        pdf_path=folder / "example-report.pdf",
        json_path=folder / "example-report.json",
    )
    if status == 0:
        say(
            _("other headless commands: {commands} (see 'dvm-advisor --help')").format(
                commands=HEADLESS_COMMANDS
            )
        )
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
            _("{folder}: cannot make the report folder ({reason})").format(
                folder=folder, reason=describe_os_error(error)
            )
        ) from None
    return folder


def add_report_parser(subparsers: Any) -> None:
    report_parser = subparsers.add_parser(
        "report",
        help=_(
            "write the recommendation as a PDF and/or a Markdown decision record, grounded "
            "by a probe run if given one"
        ),
    )
    report_parser.add_argument(
        "--answers", required=True, metavar="FILE", help=_("answers JSON file; '-' reads stdin")
    )
    grounding = report_parser.add_mutually_exclusive_group()
    grounding.add_argument(
        "--probe", metavar="FILE", help=_("a probe report written by 'dvm-advisor probe --json'")
    )
    grounding.add_argument(
        "--run-probes",
        action="store_true",
        help=_("run the probes here first (a few seconds to a minute; progress on stderr)"),
    )
    report_parser.add_argument("--pdf", metavar="OUT", help=_("the PDF report to write"))
    report_parser.add_argument(
        "--markdown",
        metavar="OUT",
        help=_("the decision record to write, in Markdown (the MADR layout)"),
    )
    report_parser.add_argument(
        "--json", metavar="OUT", help=_("also write the report's content as JSON")
    )
    report_parser.add_argument(
        "--follow-symlinks", action="store_true", help=_(FOLLOW_SYMLINKS_HELP)
    )


def run_report_command(args: argparse.Namespace) -> int:
    """`dvm-advisor report`: the recommendation as a PDF and/or Markdown (and JSON)."""
    from advisor.probe_results import load_probe_report

    if not (args.pdf or args.markdown):
        raise InputError(_("report: nothing to write; expected --pdf OUT, --markdown OUT or both"))
    inputs = [Output(Path(args.answers), _("the answers"))]
    if args.probe:
        inputs.append(Output(Path(args.probe), _("the probe report")))
    # Checked first: an output that is an input, a device or unwritable costs nothing.
    outputs = [each.output for each in _outputs(args.pdf, args.markdown, args.json)]
    check_outputs(outputs, inputs, follow_symlinks=args.follow_symlinks)
    from advisor.answers import load_answers

    answers = load_answers(args.answers)
    probe_report = load_probe_report(args.probe) if args.probe else None
    return write_report(
        answers,
        probe_report,
        run_probes_first=args.run_probes,
        pdf_path=Path(args.pdf) if args.pdf else None,
        markdown_path=Path(args.markdown) if args.markdown else None,
        json_path=Path(args.json) if args.json else None,
        follow_symlinks=args.follow_symlinks,
    )


@dataclass(frozen=True)
class _ReportOutput:
    """One file of the report: where, and how it is made from the document."""

    output: Output
    done: str  # what the command says once it is written, with {path} for where
    render: Callable[[ReportDocument], bytes]


def _render_pdf(document: ReportDocument) -> bytes:
    from advisor.report.pdf import render_report_pdf

    return render_report_pdf(document)


def _render_markdown(document: ReportDocument) -> bytes:
    from advisor.report.markdown import render_markdown

    return render_markdown(document).encode()


def _render_json(document: ReportDocument) -> bytes:
    return (document.model_dump_json(indent=2) + "\n").encode()


def _outputs(
    pdf: str | Path | None, markdown: str | Path | None, json: str | Path | None
) -> list[_ReportOutput]:
    kinds = [
        (pdf, N_("the PDF"), N_("PDF report written to {path}"), _render_pdf),
        (
            markdown,
            N_("the Markdown record"),
            N_("Markdown decision record written to {path}"),
            _render_markdown,
        ),
        (json, N_("the JSON"), N_("JSON written to {path}"), _render_json),
    ]
    return [
        _ReportOutput(Output(Path(path), _(what)), done, render)
        for path, what, done, render in kinds
        if path is not None
    ]


def write_report(
    answers: Answers,
    probe_report: ProbeReport | None,
    *,
    run_probes_first: bool,
    pdf_path: Path | None,
    json_path: Path | None,
    markdown_path: Path | None = None,
    follow_symlinks: bool = False,
) -> int:
    """Advise, lay out the report and write it; the outputs are checked before any probe runs."""
    # Imported here: fpdf2 and fonts are needed only by this command.
    from advisor.probes.report import ProbeSettings
    from advisor.report.model import report_for

    outputs = _outputs(pdf_path, markdown_path, json_path)
    check_outputs([each.output for each in outputs], follow_symlinks=follow_symlinks)
    if run_probes_first:
        probe_report = run_cancellable(ProbeSettings())
    document = report_for(answers, probe_report)
    say(
        _("verdict: {verdict} ({confidence})").format(
            verdict=document.verdict_label, confidence=document.confidence_label.lower()
        )
    )
    for each in outputs:
        write_output(each.render(document), each.output, follow_symlinks=follow_symlinks)
        say(_(each.done).format(path=each.output.path))
    return 0
