"""`dvm-advisor diff A B`: what changed between two assessments or answers files.

An assessment is taken at its last milestone, as it was saved; an answers file is advised
as the engine advises it now, with no probe report.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.base.errors import InputError
from advisor.file_kinds import KIND_NAMES, FileKindError, open_any
from advisor.terminal import say

if TYPE_CHECKING:
    from advisor.milestones import Milestone
    from advisor.questions import Questionnaire

DIFF_EXPECTED = "expected an assessment saved by the app or an answers file"


def add_diff_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff", help="what changed between two assessments or answers files, and why"
    )
    parser.add_argument("before", metavar="A", help="an assessment or an answers file")
    parser.add_argument("after", metavar="B", help="an assessment or an answers file")


def run_diff_command(args: argparse.Namespace) -> int:
    """Print the difference from A to B."""
    from advisor.questions import load_questions
    from advisor.report.milestone_view import milestone_diff
    from advisor.report.text import render_diff_text

    questions = load_questions()
    before, before_label = read_milestone(Path(args.before), questions)
    after, after_label = read_milestone(Path(args.after), questions)
    diff = milestone_diff(before, after, before_label=before_label, after_label=after_label)
    say(render_diff_text(diff))
    return 0


def read_milestone(path: Path, questions: Questionnaire) -> tuple[Milestone, str]:
    """The milestone a file stands for, and its label; InputError in one line for any other
    file."""
    from advisor.milestones import milestone_of
    from advisor.report.milestone_view import when_label

    try:
        opened = open_any(path, questions)
    except FileKindError as error:
        if error.unknown:
            raise InputError(
                f"{path}: is not an assessment or an answers file; {DIFF_EXPECTED}"
            ) from None
        raise InputError(str(error)) from None
    if opened.assessment is not None:
        last = opened.assessment.milestones()[-1]
        return last, f"{path.name}, {when_label(last)}"
    if opened.answers is not None:
        advised = milestone_of(opened.answers, None, saved_at=None)
        return advised, f"{path.name}, answers advised now"
    raise InputError(f"{path}: is {KIND_NAMES[opened.kind]}, not an assessment; {DIFF_EXPECTED}")
