"""argparse's own words, said in the current language: its one-line errors and its help.

argparse words its errors and help in English through a gettext domain no catalog here
serves. The few error forms it uses are matched here and said again in the current language,
with the names and values they quote kept as they were; `HelpWords` lays out the help with
our words for its headings and usage line, and wraps it by the columns a terminal gives
Chinese characters (two each).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from typing import Any

from advisor.base.i18n import N_, _
from advisor.base.line_breaks import display_width, wrap

# (argparse's English form as a pattern, the same message for the catalog), first match wins.
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (
            r"^the following arguments are required: (?P<names>.*)$",
            N_("the following arguments are required: {names}"),
        ),
        (r"^unrecognized arguments: (?P<names>.*)$", N_("unrecognized arguments: {names}")),
        (
            r"^one of the arguments (?P<names>.*) is required$",
            N_("one of the arguments {names} is required"),
        ),
        (
            r"^argument (?P<name>[^:]+): invalid choice: (?P<value>.*) \(choose from "
            r"(?P<choices>.*)\)$",
            N_("argument {name}: invalid choice: {value} (choose from {choices})"),
        ),
        (
            r"^argument (?P<name>[^:]+): expected one argument$",
            N_("argument {name}: expected one argument"),
        ),
        (
            r"^argument (?P<name>[^:]+): not allowed with argument (?P<other>.*)$",
            N_("argument {name}: not allowed with argument {other}"),
        ),
        (
            r"^argument (?P<name>[^:]+): invalid (?P<kind>\S+) value: (?P<value>.*)$",
            N_("argument {name}: invalid value: {value}"),
        ),
        (
            r"^argument (?P<name>[^:]+): ignored explicit argument (?P<value>.*)$",
            N_("argument {name}: ignored explicit argument {value}"),
        ),
        (
            r"^ambiguous option: (?P<name>\S+) could match (?P<matches>.*)$",
            N_("ambiguous option: {name} could match {matches}"),
        ),
        (r"^argument (?P<name>[^:]+): (?P<detail>.*)$", N_("argument {name}: {detail}")),
    )
)


def argparse_message(message: str) -> str:
    """argparse's error `message` in the current language; one it does not know, as it is."""
    for pattern, form in _FORMS:
        match = pattern.match(message)
        if match:
            return _(form).format(**match.groupdict())
    return message


HELP_OPTION_HELP = N_("show this help message and exit")
# argparse's section headings, by its English words.
_HEADINGS = {
    "options": N_("options"),
    "positional arguments": N_("positional arguments"),
}


class HelpWords(argparse.HelpFormatter):
    """argparse's help in the current language, wrapped by terminal columns."""

    def start_section(self, heading: str | None) -> None:
        known = _HEADINGS.get(heading or "")
        super().start_section(_(known) if known else heading)

    def format_help(self) -> str:
        text = super().format_help()
        # argparse ends each heading with an English colon; Chinese writes a full-width one.
        for heading in _HEADINGS.values():
            shown = _(heading)
            text = text.replace(
                f"\n{shown}:\n", "\n" + _("{heading}:").format(heading=shown) + "\n"
            )
        return text

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None,
    ) -> str:
        prefix = _("usage: ") if prefix is None else prefix
        text = super()._format_usage(usage, actions, groups, prefix)
        # argparse indents the usage's next lines by the prefix's characters; a Chinese
        # prefix is wider than that on a terminal.
        extra = " " * (display_width(prefix) - len(prefix))
        first, *rest = text.split("\n")
        return "\n".join([first, *(extra + line if line.strip() else line for line in rest)])

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))
