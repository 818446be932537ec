"""Bad input, reported as one line: which file, which field, what was expected.

Every loader of user-supplied files (answers, probe reports, rule files) reads through
`read_limited` and turns pydantic's errors into one line with `describe_validation_error`,
so the command line can print the message and exit with status 2, never a traceback.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import os
import stat
import sys
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from advisor.base.i18n import N_, _, ngettext
from advisor.base.validation_words import expectation, json_fault

MAX_INPUT_BYTES = 1024 * 1024
STDIN_SOURCE = "-"

ModelT = TypeVar("ModelT", bound=BaseModel)

_SHOWN_VALUE_CHARS = 60


class InputError(Exception):
    """Input that cannot be used, with a one-line message saying where and what was expected.

    The message often quotes the input (a field name, a file name): control characters in
    it are shown escaped, so that the message stays one line, whatever the file held.
    """

    def __init__(self, message: str, plain: str | None = None) -> None:
        super().__init__(one_line(message))
        # The problem in words for a reader who never saw the file's fields, without the
        # file's name (the app says which file): "“security” holds "paranoid", …".
        self.plain = one_line(plain) if plain is not None else None


class FixableError(Exception):
    """Something could not be done: `reason` says why in one sentence, `fix` what would change
    that (None when nothing the user does would). Both reach the user as they are, so they
    never carry errno text, an exception's class name or a traceback."""

    def __init__(self, reason: str, fix: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters written as escapes (\\n, \\x1b)."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def read_limited(source: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file, or of standard input when `source` is '-', refusing
    oversized input, and a FIFO, socket or device at once rather than waiting on it."""
    name = _source_name(source)
    try:
        if str(source) == STDIN_SOURCE:
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            _refuse_unless_regular(os.stat(source).st_mode, name)
            # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it
            # does not wait for a writer.
            handle = os.open(source, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
            with open(handle, "rb") as stream:
                _refuse_unless_regular(os.fstat(stream.fileno()).st_mode, name)
                data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(_("{name}: no such file").format(name=name)) from None
    except OSError as error:
        raise InputError(
            _("{name}: cannot be read ({reason})").format(
                name=name, reason=describe_os_error(error)
            )
        ) from None
    if len(data) > max_bytes:
        raise InputError(
            _("{name}: larger than {size} KiB, expected a small file").format(
                name=name, size=max_bytes // 1024
            )
        )
    return data


def describe_os_error(error: OSError) -> str:
    """What went wrong with a file, in plain words: a read-only file system is not a
    permission problem, and a full disk says so."""
    plain = {
        errno.EROFS: N_("the file system is read-only"),
        errno.ENOSPC: N_("no space left on device"),
        errno.EDQUOT: N_("the disk quota is used up"),
        errno.EACCES: N_("permission denied"),
        errno.EPERM: N_("permission denied"),
        errno.EISDIR: N_("it is a directory"),
        errno.ENOTDIR: N_("a part of the path is not a folder"),
        errno.ENAMETOOLONG: N_("the name is too long"),
        errno.ELOOP: N_("too many levels of symbolic links"),
    }
    known = plain.get(error.errno or 0)
    return _(known) if known else (error.strerror or str(error)).lower()


def load_json_model(model: type[ModelT], source: str | Path) -> ModelT:
    """Read `source` (a path or '-') as JSON and validate it as `model`, or raise InputError."""
    data = read_limited(source)
    name = _source_name(source)
    _refuse_other_encodings(data, name)
    _refuse_duplicate_keys(data, name)
    try:
        return model.model_validate_json(data)
    except ValidationError as error:
        raise InputError(
            describe_validation_error(error, name, model), plain=plain_validation_problem(error)
        ) from None


def _refuse_unless_regular(mode: int, name: str) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(_("{name}: is a directory, expected a file").format(name=name))
    if not stat.S_ISREG(mode):
        raise InputError(
            _("{name}: is {kind}, expected a regular file").format(
                name=name, kind=describe_kind(mode)
            )
        )


def describe_kind(mode: int) -> str:
    """What a file that is not a regular file is, in a few words."""
    kinds = (
        (stat.S_ISCHR, N_("a character device")),
        (stat.S_ISBLK, N_("a block device")),
        (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
        (stat.S_ISSOCK, N_("a socket")),
        (stat.S_ISDIR, N_("a directory")),
    )
    found = next((name for test, name in kinds if test(mode)), None)
    return _(found) if found else _("not a regular file")


# Byte-order marks, longest first: UTF-32's begin with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF8, "UTF-8 with a byte-order mark (BOM)"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _refuse_other_encodings(data: bytes, name: str) -> None:
    """JSON files are UTF-8 without a byte-order mark: say which encoding a file is in."""
    found = next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)
    if found is None and len(data) >= 2 and (data[0] == 0) != (data[1] == 0):
        found = "UTF-16 (no byte-order mark)"  # ASCII text in UTF-16: every other byte zero
    if found is not None:
        raise InputError(
            _(
                "{name}: not valid JSON: the file is {encoding}; save it as UTF-8 without a BOM"
            ).format(name=name, encoding=found)
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            _(
                "{name}: not valid JSON: not UTF-8 (byte {number} is 0x{byte:02x}); "
                "save it as UTF-8"
            ).format(name=name, number=error.start + 1, byte=data[error.start])
        ) from None


def _refuse_duplicate_keys(data: bytes, name: str) -> None:
    """A key given twice in one object would silently lose one of its values."""

    def once_each(pairs: list[tuple[str, object]]) -> dict[str, object]:
        seen: dict[str, object] = {}
        for key, value in pairs:
            if key in seen:
                raise InputError(
                    _(
                        "{name}: the key '{key}' appears twice in one object; "
                        "expected each key once"
                    ).format(name=name, key=key)
                )
            seen[key] = value
        return seen

    # Not JSON, or too deep for this scan: the validation that follows says what is wrong.
    with contextlib.suppress(ValueError, RecursionError):
        json.loads(data, object_pairs_hook=once_each)


def describe_validation_error(
    error: ValidationError, source: str, model: type[BaseModel] | None = None
) -> str:
    """One line for the first problem in `error`, naming the field and what was expected."""
    problems = error.errors(include_url=False)
    first = problems[0]
    kind = first["type"]
    field = format_location(first["loc"])
    expected = expectation(first)
    if kind == "json_invalid":
        line = _not_json(source, str(first.get("ctx", {}).get("error", "")))
    elif kind == "model_type" and not first["loc"]:
        line = _("{name}: expected a JSON object at the top level, got {value}").format(
            name=source, value=_shown(first["input"])
        )
    elif kind == "extra_forbidden":
        known = ""
        if model is not None and len(first["loc"]) == 1:
            names = (info.alias or name for name, info in model.model_fields.items())
            known = _(" (expected one of: {names})").format(names=", ".join(names))
        line = _("{name}: unknown field '{field}'{known}").format(
            name=source, field=field, known=known
        )
    elif kind == "missing":
        line = _("{name}: field '{field}' is missing; it is required").format(
            name=source, field=field
        )
    elif expected is not None:
        line = _("{name}: field '{field}': expected {expectation}, got {value}").format(
            name=source, field=field, expectation=expected, value=_shown(first["input"])
        )
    else:
        # A check of our own (its words already in the current language), or a kind of
        # error not known to validation_words: pydantic's words.
        line = _("{name}: field '{field}': {problem}, got {value}").format(
            name=source, field=field, problem=_own_words(first), value=_shown(first["input"])
        )
    if len(problems) > 1:
        more = len(problems) - 1
        line += ngettext(
            " (and {count} more problem)", " (and {count} more problems)", more
        ).format(count=more)
    return line


def _not_json(source: str, detail: str) -> str:
    what, position = json_fault(detail)
    if position is None:
        if what is None:
            return _("{name}: not valid JSON").format(name=source)
        return _("{name}: not valid JSON: {what}").format(name=source, what=what)
    line, column = position
    if what is None:
        return _("{name}: not valid JSON at line {line}, column {column}").format(
            name=source, line=line, column=column
        )
    return _("{name}: not valid JSON at line {line}, column {column}: {what}").format(
        name=source, line=line, column=column, what=what
    )


def _own_words(problem: ErrorDetails) -> str:
    """The words of a check of our own: the message of the ValueError it raised."""
    return problem["msg"].removeprefix("Value error, ")


def plain_validation_problem(error: ValidationError) -> str:
    """The first problem in `error` in plain words, and how many more there are."""
    problems = error.errors(include_url=False)
    first = problems[0]
    kind = first["type"]
    field = format_location(first["loc"])
    expected = expectation(first)
    value = first["input"]
    # A whole object or list quoted would bury the point: name the entry alone.
    shown = None if isinstance(value, dict | list) else _shown(value)
    if kind == "json_invalid":
        _what, position = json_fault(str(first.get("ctx", {}).get("error", "")))
        text = (
            _("its text is not JSON, so it may be damaged or be another kind of file")
            if position is None
            else _(
                "its text is not JSON (line {line}, column {column}), so it may be damaged "
                "or be another kind of file"
            ).format(line=position[0], column=position[1])
        )
    elif kind == "model_type" and not first["loc"]:
        text = _("it holds no set of named entries, as the files dvm-advisor writes do")
    elif kind == "extra_forbidden":
        text = _("it has an entry “{field}” that this version does not know").format(field=field)
    elif kind == "missing":
        text = _("the entry “{field}” is missing").format(field=field)
    elif expected is not None:
        text = (
            _("the entry “{field}” should hold {expectation}")
            if shown is None
            else _("the entry “{field}” holds {value}, where {expectation} is expected")
        ).format(field=field, value=shown, expectation=expected)
    else:
        text = (
            _("the entry “{field}” is not possible: {problem}")
            if shown is None
            else _("the entry “{field}” holds {value}: {problem}")
        ).format(field=field, value=shown, problem=_own_words(first))
    more = len(problems) - 1
    if more:
        text += ngettext(
            "; {count} other entry is wrong too", "; {count} other entries are wrong too", more
        ).format(count=more)
    return text


def format_location(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a dotted path with list indices: `rule[3].condition.op`."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or _("(top level)")


def _source_name(source: str | Path) -> str:
    return _("standard input") if str(source) == STDIN_SOURCE else str(source)


def _shown(value: object) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > _SHOWN_VALUE_CHARS:
        text = text[: _SHOWN_VALUE_CHARS - 1] + "…"
    return text
