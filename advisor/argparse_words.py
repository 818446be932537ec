"""argparse's own one-line errors, said in the current language.

argparse words its errors in English through a gettext domain no catalog here serves; the
few forms it uses are matched here and said again in the current language, with the names
and values they quote kept as they were.
"""

from __future__ import annotations

import re

from advisor.base.i18n import N_, _

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
