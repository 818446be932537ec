"""Bad input, reported as one line: which file, which field, what was expected.

Every loader of user-supplied files (answers, probe reports, rule files) reads through
`read_limited` and turns pydantic's errors into one line with `describe_validation_error`,
so the command line can print the message and exit with status 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

MAX_INPUT_BYTES = 1024 * 1024
STDIN_SOURCE = "-"

ModelT = TypeVar("ModelT", bound=BaseModel)

_SHOWN_VALUE_CHARS = 60


class InputError(Exception):
    """Input that cannot be used, with a one-line message saying where and what was expected.

    The message often quotes the input (a field name, a file name): control characters in
    it are shown escaped, so that the message stays one line, whatever the file held.
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters written as escapes (\\n, \\x1b)."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def read_limited(source: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a file, or of standard input when `source` is '-', refusing oversized input."""
    name = _source_name(source)
    try:
        if str(source) == STDIN_SOURCE:
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(source, "rb") as stream:
                data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, expected a file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror or error})") from None
    if len(data) > max_bytes:
        raise InputError(f"{name}: larger than {max_bytes // 1024} KiB, expected a small file")
    return data


def load_json_model(model: type[ModelT], source: str | Path) -> ModelT:
    """Read `source` (a path or '-') as JSON and validate it as `model`, or raise InputError."""
    data = read_limited(source)
    try:
        return model.model_validate_json(data)
    except ValidationError as error:
        raise InputError(describe_validation_error(error, _source_name(source), model)) from None


def describe_validation_error(
    error: ValidationError, source: str, model: type[BaseModel] | None = None
) -> str:
    """One line for the first problem in `error`, naming the field and what was expected."""
    problems = error.errors(include_url=False)
    first = problems[0]
    kind = first["type"]
    field = format_location(first["loc"])
    if kind == "json_invalid":
        detail = first.get("ctx", {}).get("error", first["msg"])
        line = f"{source}: not valid JSON: {detail}"
    elif kind == "model_type" and not first["loc"]:
        line = f"{source}: expected a JSON object at the top level, got {_shown(first['input'])}"
    elif kind == "extra_forbidden":
        known = ""
        if model is not None and len(first["loc"]) == 1:
            known = f" (expected one of: {', '.join(model.model_fields)})"
        line = f"{source}: unknown field '{field}'{known}"
    elif kind == "missing":
        line = f"{source}: field '{field}' is missing; it is required"
    else:
        message = first["msg"].removeprefix("Value error, ")
        expectation = message.removeprefix("Input should be ")
        if expectation != message:
            message = f"expected {expectation}"
        line = f"{source}: field '{field}': {message}, got {_shown(first['input'])}"
    if len(problems) > 1:
        more = len(problems) - 1
        line += f" (and {more} more problem{'s' if more > 1 else ''})"
    return line


def format_location(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a dotted path with list indices: `rule[3].condition.op`."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(top level)"


def _source_name(source: str | Path) -> str:
    return "standard input" if str(source) == STDIN_SOURCE else str(source)


def _shown(value: object) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > _SHOWN_VALUE_CHARS:
        text = text[: _SHOWN_VALUE_CHARS - 1] + "…"
    return text
