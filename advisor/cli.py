"""The `dvm-advisor` command line: the GUI by default, headless subcommands beside it."""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from advisor.argparse_words import HELP_OPTION_HELP, HelpWords, argparse_message
from advisor.base.errors import InputError, describe_os_error
from advisor.base.i18n import (
    UnknownLanguage,
    _,
    current_language,
    language_from_environment,
    parse_language,
    set_language,
)
from advisor.base.version import __version__
from advisor.compare_command import add_compare_parser, run_compare_command
from advisor.diff_command import add_diff_parser, run_diff_command
from advisor.interrupts import Interrupted, raise_on_signals
from advisor.probe_command import add_probe_parser, run_probe_command
from advisor.report_command import (
    HEADLESS_COMMANDS,
    add_report_parser,
    run_headless_job,
    run_report_command,
)
from advisor.rulebook import RulebookError, load_rulebook
from advisor.terminal import OutputFailed, flush_output, json_for_terminal, say

# The status of a command whose reader went away, as for one killed by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141

# The probe modules load the Docker SDK and libvirt: only commands that probe import them,
# so that the GUI and the other commands start without that cost. The answers and the rule
# engine likewise load only for the commands that advise: a probe run is timed from its start.


def _answers_schema() -> dict[str, Any]:
    from advisor.answers import answers_json_schema

    return answers_json_schema(load_rulebook().questions)


def _probe_report_schema() -> dict[str, Any]:
    from advisor.probe_results import ProbeReport

    return ProbeReport.model_json_schema()


# `dvm-advisor schema TARGET` prints the JSON Schema one of these returns.
SCHEMA_TARGETS: dict[str, Any] = {
    "answers": _answers_schema,
    "probe": _probe_report_schema,
}


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2, and whose help is
    in the current language."""

    commands: tuple[str, ...] = ()  # the subcommands, once build_parser has added them

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpWords)
        kwargs["add_help"] = False  # its help in our words, added below
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help=_(HELP_OPTION_HELP))

    def error(self, message: str) -> NoReturn:
        raise UsageError(
            _("{command}: {problem} (see '{command} --help')").format(
                command=self.prog, problem=argparse_message(message)
            )
        )


LANG_OPTION = "--lang"


def _language_option(text: str) -> str:
    """An argparse type for `--lang`: the value checked, kept as given."""
    try:
        parse_language(text)
    except UnknownLanguage as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """`--lang en|zh-CN`, on the command and on each subcommand alike."""
    parser.add_argument(
        LANG_OPTION,
        metavar="LANG",
        type=_language_option,
        default=argparse.SUPPRESS,
        help=_("the language of every message and report: en or zh-CN (default: the locale's)"),
    )


def language_asked(argv: Sequence[str]) -> str | None:
    """The value of the last `--lang` before a `--`, read before the parser is made so that
    its help and its errors are in that language too."""
    asked = None
    tokens = list(argv)
    for index, token in enumerate(tokens):
        if token == "--":
            break
        if token == LANG_OPTION and index + 1 < len(tokens):
            asked = tokens[index + 1]
        elif token.startswith(LANG_OPTION + "="):
            asked = token.partition("=")[2]
    return asked


def choose_language(argv: Sequence[str]) -> bool:
    """Set the language from `--lang`, else the locale; whether `--lang` chose it.

    Raises UsageError for a `--lang` value that names no language the program speaks."""
    asked = language_asked(argv)
    set_language(language_from_environment())
    if asked is None:
        return False
    try:
        set_language(parse_language(asked))
    except UnknownLanguage as error:
        raise UsageError(
            _("dvm-advisor: {option}: {error}").format(option=LANG_OPTION, error=error)
        ) from None
    return True


def build_parser() -> _Parser:
    """Build the parser for every subcommand."""
    parser = _Parser(
        prog="dvm-advisor",
        description=_(
            "Decide between Docker containers and virtual machines for a project, "
            "and ground the advice with real probes on this workstation. "
            "With no subcommand, the desktop app opens; `dvm-advisor FILE` opens FILE in it."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"dvm-advisor {__version__}",
        help=_("print the version and exit"),
    )
    add_language_option(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui_parser = subparsers.add_parser("gui", help=_("open the desktop app (the default)"))
    gui_parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help=_("a file to open in the app: an assessment, an answers file or a probe report"),
    )
    recommend_parser = subparsers.add_parser(
        "recommend", help=_("recommend containers, VMs or both from a project's answers")
    )
    recommend_parser.add_argument(
        "--answers", required=True, metavar="FILE", help=_("answers JSON file; '-' reads stdin")
    )
    recommend_parser.add_argument(
        "--probe",
        metavar="FILE",
        help=_("a probe report written by 'dvm-advisor probe --json', to ground the advice"),
    )
    recommend_parser.add_argument(
        "--json", action="store_true", help=_("print the recommendation as JSON")
    )
    add_probe_parser(subparsers)
    add_report_parser(subparsers)
    add_compare_parser(subparsers)
    add_diff_parser(subparsers)
    schema_parser = subparsers.add_parser(
        "schema", help=_("print the JSON Schema of a file format")
    )
    schema_parser.add_argument("target", choices=sorted(SCHEMA_TARGETS), help=_("the file format"))
    subparsers.add_parser("headless", help=_("the job `make run` does where no display exists"))
    for subparser in subparsers.choices.values():
        add_language_option(subparser)
    parser.commands = tuple(subparsers.choices)
    return parser


def display_available() -> bool:
    """Whether a GUI can be shown here: a display server, or a Qt platform chosen explicitly."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _run_gui(file: str | None = None, *, chosen: bool = False) -> int:
    """The app, with a file opened in it; `chosen`: the language was chosen by `--lang`, and
    so outweighs the one the app remembers."""
    if file is not None and not Path(file).is_file():
        raise InputError(
            _(
                "{file}: no such file, expected an answers file, a probe report or an assessment"
            ).format(file=file)
        )
    if not display_available():
        say(
            _(
                "dvm-advisor: no display found (DISPLAY and WAYLAND_DISPLAY are unset); "
                "the headless commands are: {commands} (see 'dvm-advisor --help')"
            ).format(commands=HEADLESS_COMMANDS),
            file=sys.stderr,
        )
        return 2
    # Imported here so headless commands never load Qt.
    from advisor.ui.app import run_app

    exit_status: int = run_app(
        path=Path(file) if file else None, language=current_language() if chosen else None
    )
    return exit_status


def _run_recommend(args: argparse.Namespace) -> int:
    from advisor.answers import load_answers
    from advisor.engine import advise
    from advisor.probe_results import load_probe_report
    from advisor.report.model import build_report
    from advisor.report.text import render_text

    rulebook = load_rulebook()
    answers = load_answers(args.answers, rulebook.questions)
    probe_report = load_probe_report(args.probe) if args.probe else None
    recommendation = advise(answers, probe_report, rulebook=rulebook)
    if args.json:
        say(json_for_terminal(recommendation.model_dump_json(indent=2)))
        return 0
    document = build_report(
        answers, recommendation, probe_report, rulebook=rulebook, generated_at=datetime.now(UTC)
    )
    say(render_text(document))
    return 0


def _print_schema(target: str) -> int:
    schema: dict[str, Any] = SCHEMA_TARGETS[target]()
    say(json_for_terminal(json.dumps(schema, indent=2, ensure_ascii=False)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    try:
        try:
            status = _dispatch(argv)
        except SystemExit:  # --help and --version: their text must reach its reader too
            flush_output()
            raise
        flush_output()
        return status
    except (OutputFailed, BrokenPipeError) as failure:
        return _output_failed(failure)
    except Interrupted as stop:
        # Whatever was under way has cleaned up; the shell's convention says which signal.
        return stop.exit_status


def _as_gui_file(argv: Sequence[str], parser: _Parser) -> list[str]:
    """`dvm-advisor FILE` as `dvm-advisor gui FILE`: how a file manager opens a file."""
    arguments = list(argv)
    if arguments and not arguments[0].startswith("-") and arguments[0] not in parser.commands:
        return ["gui", *arguments]
    return arguments


def _dispatch(argv: Sequence[str] | None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        chosen = choose_language(arguments)
        parser = build_parser()
        args = parser.parse_args(_as_gui_file(arguments, parser))
        if args.command in (None, "gui"):
            return _run_gui(getattr(args, "file", None), chosen=chosen)
        raise_on_signals()
        if args.command == "headless":
            return run_headless_job()
        if args.command == "recommend":
            return _run_recommend(args)
        if args.command == "probe":
            return run_probe_command(args)
        if args.command == "report":
            return run_report_command(args)
        if args.command == "diff":
            return run_diff_command(args)
        if args.command == "compare":
            return run_compare_command(args)
        if args.command == "schema":
            return _print_schema(args.target)
        raise UsageError(_("dvm-advisor: unknown command {command!r}").format(command=args.command))
    except KeyboardInterrupt:
        raise Interrupted(signal.SIGINT) from None
    except UsageError as error:
        say(str(error), file=sys.stderr)
        return 2
    except RulebookError as error:
        # The shipped rules are part of the program: a fault there is internal, not bad input.
        say(
            _("dvm-advisor: internal error in the shipped rules: {error}").format(error=error),
            file=sys.stderr,
        )
        return 1
    except InputError as error:
        say(_("dvm-advisor: {error}").format(error=error), file=sys.stderr)
        return 2


def _output_failed(failure: OutputFailed | BrokenPipeError) -> int:
    """A reader that went away (`| head`) ends the command quietly, with the status a command
    killed by SIGPIPE has; an output that cannot take more (`> /dev/full`) is one line."""
    error = failure.error if isinstance(failure, OutputFailed) else failure
    # Nothing more may reach the broken stream, not even the interpreter's last flush.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    if error.errno == errno.EPIPE:
        return EXIT_BROKEN_PIPE
    with contextlib.suppress(OSError):
        print(
            _("dvm-advisor: cannot write the output ({reason})").format(
                reason=describe_os_error(error)
            ),
            file=sys.stderr,
            flush=True,
        )
    return 1
