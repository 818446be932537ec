"""What a field of a user's file should have held, in our words, from pydantic's error.

pydantic words its errors in English ("Input should be a valid integer"). Its errors also
carry a `type` and the expected values (`ctx`), which do not depend on the language: the
expectation is said again here from those, in the current language, so that an error line
has no English beyond the names it quotes. A type not known here keeps pydantic's words.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic_core import ErrorDetails

from advisor.base.i18n import N_, _

# The expectation by pydantic's error type, for the types that need nothing but the type.
_EXPECTED: dict[str, str] = {
    "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "int_parsing_size": N_("a whole number of a size that can be read"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "finite_number": N_("a finite number"),
    "bool_type": N_("true or false"),
    "bool_parsing": N_("true or false"),
    "string_type": N_("text in quotes"),
    "list_type": N_("a list in square brackets"),
    "tuple_type": N_("a list in square brackets"),
    "set_type": N_("a list in square brackets"),
    "dict_type": N_("an object in curly brackets"),
    "model_type": N_("an object in curly brackets"),
    "model_attributes_type": N_("an object in curly brackets"),
    "datetime_type": N_("a date and time such as 2026-12-01T23:40:00Z"),
    "datetime_parsing": N_("a date and time such as 2026-12-01T23:40:00Z"),
    "datetime_from_date_parsing": N_("a date and time such as 2026-12-01T23:40:00Z"),
    "timezone_aware": N_("a date and time with its time zone, such as 2026-12-01T23:40:00Z"),
    "date_type": N_("a date such as 2026-12-01"),
    "date_parsing": N_("a date such as 2026-12-01"),
    "date_from_datetime_parsing": N_("a date such as 2026-12-01"),
    "string_pattern_mismatch": N_("text of the form this field takes"),
    "none_required": N_("null"),
    "path_type": N_("a file path in quotes"),
}
# The expectation for a bound, by the error type and the name of the bound in `ctx`.
_BOUNDS: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("ge", N_("a number of at least {limit}")),
    "greater_than": ("gt", N_("a number greater than {limit}")),
    "less_than_equal": ("le", N_("a number of at most {limit}")),
    "less_than": ("lt", N_("a number less than {limit}")),
    "multiple_of": ("multiple_of", N_("a multiple of {limit}")),
    "string_too_short": ("min_length", N_("text of at least {limit} characters")),
    "too_short": ("min_length", N_("at least {limit} items")),
    "string_too_long": ("max_length", N_("at most {limit} characters")),
    "too_long": ("max_length", N_("at most {limit} items")),
}
# pydantic lists the values a field allows as "'a', 'b' or 'c'".
_LISTED = re.compile(r", | or ")


def expectation(problem: ErrorDetails) -> str | None:
    """What the field of `problem` should have held, in the current language; None where
    the error says no such thing (a check of our own, a missing field) or is unknown here."""
    kind = problem["type"]
    context: dict[str, Any] = dict(problem.get("ctx") or {})
    if kind in _EXPECTED:
        return _(_EXPECTED[kind])
    if kind in _BOUNDS:
        name, form = _BOUNDS[kind]
        return _(form).format(limit=context.get(name))
    if kind in ("literal_error", "enum"):
        return one_of(_LISTED.split(str(context.get("expected", ""))))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return one_of(_LISTED.split(str(context.get("expected_tags", ""))))
    return None


def one_of(values: list[str]) -> str:
    """Values a field allows, as an expectation names them: "one of 'a', 'b', 'c'"."""
    if len(values) == 1:
        return _("the value {value}").format(value=values[0])
    return _("one of {values}").format(values=_(", ").join(values))


# serde_json's words for what is wrong in a text that is not JSON, by how they begin.
_JSON_FAULTS: tuple[tuple[str, str], ...] = (
    ("EOF while parsing", N_("the text ends before the JSON does")),
    ("expected value", N_("a value was expected")),
    ("expected `,` or `}`", N_("a comma or a closing curly bracket was expected")),
    ("expected `,` or `]`", N_("a comma or a closing square bracket was expected")),
    ("expected `:`", N_("a colon was expected")),
    ("expected ident", N_("a value was expected (true, false and null are the only words)")),
    ("trailing comma", N_("a comma stands before a closing bracket")),
    ("trailing characters", N_("more text follows the end of the JSON")),
    ("key must be a string", N_("a key in double quotes was expected")),
    ("invalid escape", N_("a string holds an escape JSON does not know")),
    ("invalid unicode code point", N_("a string holds an invalid \\u escape")),
    ("lone leading surrogate", N_("a string holds an invalid \\u escape")),
    ("control character", N_("a string holds a control character")),
    ("invalid number", N_("a number is written wrong")),
    ("number out of range", N_("a number is too large")),
    ("recursion limit exceeded", N_("it is nested too deeply")),
)
_POSITION = re.compile(r"line (\d+) column (\d+)")


def json_fault(detail: str) -> tuple[str | None, tuple[int, int] | None]:
    """What serde_json's `detail` says is wrong, in the current language (None when it is
    not known here), and the line and column it names."""
    where = _POSITION.search(detail)
    position = (int(where[1]), int(where[2])) if where else None
    what = next((_(words) for start, words in _JSON_FAULTS if detail.startswith(start)), None)
    return what, position
