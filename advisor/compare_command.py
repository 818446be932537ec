"""`dvm-advisor compare`: several hosts' probe reports side by side, and the files they come from.

The reports are read before anything is written, and refused in one line each: a file that is
not a probe report, reports of different format versions (their fields do not mean the same),
or two reports of the same host and account (one column each is what a comparison shows).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.base.errors import InputError, read_limited
from advisor.file_kinds import KIND_NAMES, FileKindError, open_any
from advisor.outputs import FOLLOW_SYMLINKS_HELP, Output, check_outputs, write_output
from advisor.terminal import say

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport
    from advisor.questions import Questionnaire
    from advisor.report.comparison import ComparisonDocument

PROBE_REPORT_EXPECTED = "expected probe reports written by 'dvm-advisor probe --json'"


def add_compare_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "compare", help="compare the probe reports of several hosts side by side"
    )
    parser.add_argument(
        "reports", nargs="+", metavar="PROBE_FILE", help="probe reports, one per host"
    )
    parser.add_argument(
        "--answers", metavar="FILE", help="an answers file: adds the advice for each host"
    )
    parser.add_argument("--pdf", metavar="OUT", help="also write the comparison as a PDF")
    parser.add_argument("--json", metavar="OUT", help="also write the comparison as JSON")
    parser.add_argument("--follow-symlinks", action="store_true", help=FOLLOW_SYMLINKS_HELP)


def run_compare_command(args: argparse.Namespace) -> int:
    """Print the comparison, and write it as PDF and JSON where asked."""
    from advisor.answers import load_answers
    from advisor.questions import load_questions
    from advisor.report.comparison import build_comparison
    from advisor.report.text import render_comparison_text

    inputs = [Output(Path(path), "a probe report") for path in args.reports]
    if args.answers:
        inputs.append(Output(Path(args.answers), "the answers"))
    outputs = [
        (Output(Path(path), what), done, render)
        for path, what, done, render in (
            (args.pdf, "the PDF", "PDF comparison", _render_pdf),
            (args.json, "the JSON", "JSON", _render_json),
        )
        if path is not None
    ]
    check_outputs(
        [each for each, _done, _render in outputs], inputs, follow_symlinks=args.follow_symlinks
    )
    questions = load_questions()
    reports = load_reports_to_compare([Path(path) for path in args.reports], questions)
    answers = load_answers(args.answers, questions) if args.answers else None
    document = build_comparison(reports, answers, generated_at=datetime.now(UTC))
    say(render_comparison_text(document))
    for output, done, render in outputs:
        write_output(render(document), output, follow_symlinks=args.follow_symlinks)
        say(f"{done} written to {output.path}")
    return 0


def _render_pdf(document: ComparisonDocument) -> bytes:
    from advisor.report.comparison_pdf import render_comparison_pdf

    return render_comparison_pdf(document)


def _render_json(document: ComparisonDocument) -> bytes:
    return (document.model_dump_json(indent=2) + "\n").encode()


def load_reports_to_compare(
    paths: Sequence[Path], questions: Questionnaire
) -> list[tuple[str, ProbeReport]]:
    """Each file read as a probe report, as (file name, report); raises InputError in one line
    for a file that is not one, for reports of different format versions, and for two reports
    of the same host and account."""
    if len(paths) < 2:
        raise InputError(
            f"compare: only one probe report given ({paths[0] if paths else 'none'}); "
            "expected at least two, one per host"
        )
    _refuse_mixed_versions(paths)
    reports: list[tuple[str, ProbeReport]] = []
    seen: dict[tuple[str, str | None], Path] = {}
    for path in paths:
        report = _probe_report(path, questions)
        identity = (report.hostname, report.host.user)
        if identity in seen:
            account = f" as {report.host.user}" if report.host.user else ""
            raise InputError(
                f"{seen[identity]} and {path} are both reports of {report.hostname}{account}; "
                "expected one report per host"
            )
        seen[identity] = path
        reports.append((path.name, report))
    return reports


def _probe_report(path: Path, questions: Questionnaire) -> ProbeReport:
    try:
        opened = open_any(path, questions)
    except FileKindError as error:
        if error.kind is None and error.unknown:
            raise InputError(f"{path}: is not a probe report; {PROBE_REPORT_EXPECTED}") from None
        raise InputError(str(error)) from None
    if opened.probe is None:
        raise InputError(
            f"{path}: is {KIND_NAMES[opened.kind]}, not a probe report; {PROBE_REPORT_EXPECTED}"
        )
    return opened.probe


def _refuse_mixed_versions(paths: Sequence[Path]) -> None:
    # Read before the reports are: a report of another version would otherwise be refused
    # for a field it spells differently, which hides what is really wrong.
    versions: dict[object, Path] = {}
    for path in paths:
        try:
            document = json.loads(read_limited(path))
        except (InputError, ValueError, RecursionError):
            continue  # said when the file itself is read
        if isinstance(document, dict) and "host" in document and "taken_at" in document:
            versions.setdefault(document.get("schema_version"), path)
    if len(versions) > 1:
        (first, first_path), (second, second_path) = list(versions.items())[:2]
        raise InputError(
            f"{first_path} is a probe report of format version {first} and {second_path} of "
            f"version {second}; expected reports of one format version (probe every host "
            "with the same dvm-advisor)"
        )
