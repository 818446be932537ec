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
from advisor.base.i18n import N_, _
from advisor.file_kinds import KIND_NAMES, FileKindError, open_any
from advisor.outputs import FOLLOW_SYMLINKS_HELP, Output, check_outputs, write_output
from advisor.terminal import say

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport
    from advisor.questions import Questionnaire
    from advisor.report.comparison import ComparisonDocument

PROBE_REPORT_EXPECTED = N_("expected probe reports written by 'dvm-advisor probe --json'")


def add_compare_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "compare", help=_("compare the probe reports of several hosts side by side")
    )
    parser.add_argument(
        "reports", nargs="+", metavar="PROBE_FILE", help=_("probe reports, one per host")
    )
    parser.add_argument(
        "--answers", metavar="FILE", help=_("an answers file: adds the advice for each host")
    )
    parser.add_argument("--pdf", metavar="OUT", help=_("also write the comparison as a PDF"))
    parser.add_argument("--json", metavar="OUT", help=_("also write the comparison as JSON"))
    parser.add_argument("--follow-symlinks", action="store_true", help=_(FOLLOW_SYMLINKS_HELP))


def run_compare_command(args: argparse.Namespace) -> int:
    """Print the comparison, and write it as PDF and JSON where asked."""
    from advisor.answers import load_answers
    from advisor.questions import load_questions
    from advisor.report.comparison import build_comparison
    from advisor.report.text import render_comparison_text

    inputs = [Output(Path(path), _("a probe report")) for path in args.reports]
    if args.answers:
        inputs.append(Output(Path(args.answers), _("the answers")))
    outputs = [
        (Output(Path(path), what), done, render)
        for path, what, done, render in (
            (args.pdf, _("the PDF"), _("PDF comparison written to {path}"), _render_pdf),
            (args.json, _("the JSON"), _("JSON written to {path}"), _render_json),
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
        say(done.format(path=output.path))
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
            _(
                "compare: only one probe report given ({path}); expected at least two, one per host"
            ).format(path=paths[0] if paths else _("none"))
        )
    _refuse_mixed_versions(paths)
    reports: list[tuple[str, ProbeReport]] = []
    seen: dict[tuple[str, str | None], Path] = {}
    for path in paths:
        report = _probe_report(path, questions)
        identity = (report.hostname, report.host.user)
        if identity in seen:
            account = _(" as {user}").format(user=report.host.user) if report.host.user else ""
            raise InputError(
                _(
                    "{first} and {second} are both reports of {host}{account}; "
                    "expected one report per host"
                ).format(first=seen[identity], second=path, host=report.hostname, account=account)
            )
        seen[identity] = path
        reports.append((path.name, report))
    return reports


def _probe_report(path: Path, questions: Questionnaire) -> ProbeReport:
    try:
        opened = open_any(path, questions)
    except FileKindError as error:
        if error.kind is None and error.unknown:
            raise InputError(
                _("{path}: is not a probe report; {expected}").format(
                    path=path, expected=_(PROBE_REPORT_EXPECTED)
                )
            ) from None
        raise InputError(str(error)) from None
    if opened.probe is None:
        raise InputError(
            _("{path}: is {kind}, not a probe report; {expected}").format(
                path=path, kind=_(KIND_NAMES[opened.kind]), expected=_(PROBE_REPORT_EXPECTED)
            )
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
            _(
                "{first_path} is a probe report of format version {first} and {second_path} of "
                "version {second}; expected reports of one format version (probe every host "
                "with the same dvm-advisor)"
            ).format(first_path=first_path, first=first, second_path=second_path, second=second)
        )
