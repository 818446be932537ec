"""Reading the program's own data files (questions, rules, claims) from TOML, checked fully.

Every fault is one line naming the file, the record and the field, raised as RulebookError:
the shipped files are part of the program, so the command line reports a fault in them as an
internal error rather than as bad input.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from advisor.base.errors import InputError, describe_validation_error, read_limited
from advisor.base.models import FrozenModel

ModelT = TypeVar("ModelT", bound=BaseModel)

# A folder whose questions.toml, rules.toml and claims.toml replace the shipped ones (each
# file that is there does): for trying a rule set of one's own without changing the program.
DATA_FOLDER_VARIABLE = "DVM_ADVISOR_RULES"


def _non_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("expected non-empty text")
    return text


# Text a data file must fill in, and the strictness every data-file model is read with.
Text = Annotated[str, AfterValidator(_non_blank)]
STRICT = ConfigDict(strict=True)


CHINESE_SUFFIX = "_zh"


def english(name: str, **constraints: Any) -> Any:
    """The English text of a field the file writes as `name`, its Chinese as `name_zh`."""
    return Field(alias=name, **constraints)


class Bilingual(FrozenModel):
    """A record of a data file whose texts are written in English (`title`) and Simplified
    Chinese (`title_zh`): each `<name>_en` field has its `<name>_zh` beside it, and a
    property `<name>` gives the text in the current language."""


def missing_chinese(record: BaseModel, where: str = "") -> str | None:
    """Where `record` (or a record inside it) has an English text without its Chinese, as a
    field path ('choices[1].label_zh'); None when every text has both."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        stem = name.removesuffix("_en")
        translated = getattr(record, stem + CHINESE_SUFFIX, None)
        if isinstance(record, Bilingual) and stem != name and value is not None and not translated:
            return f"{where}{stem}{CHINESE_SUFFIX}"
        items = value if isinstance(value, tuple) else (value,)
        for index, item in enumerate(items):
            if isinstance(item, BaseModel):
                place = (
                    f"{where}{name}[{index}]." if isinstance(value, tuple) else f"{where}{name}."
                )
                found = missing_chinese(item, place)
                if found:
                    return found
    return None


class RulebookError(InputError):
    """A question, rule or claim file that cannot be used; the message names file, record
    and field."""


def read_data_file(path: Path) -> bytes:
    """The bytes of a data file, or RulebookError with one line saying why not."""
    try:
        return read_limited(path)
    except InputError as error:
        raise RulebookError(str(error)) from None


def data_file(name: str) -> tuple[bytes, str]:
    """The bytes of one of the program's data files and the name to report it by: from the
    folder DVM_ADVISOR_RULES names where it has that file, else the one shipped."""
    folder = os.environ.get(DATA_FOLDER_VARIABLE)
    if folder and (Path(folder) / name).is_file():
        path = Path(folder) / name
        return read_data_file(path), str(path)
    return resources.files("advisor.rules").joinpath(name).read_bytes(), name


def parse_toml(data: bytes, name: str) -> dict[str, Any]:
    """A TOML document with every list made a tuple, as the strict frozen models take them."""
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise RulebookError(f"{name}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise RulebookError(f"{name}: not valid TOML: {error}") from None
    frozen: dict[str, Any] = _as_tuples(document)
    return frozen


def _as_tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_as_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: _as_tuples(item) for key, item in value.items()}
    return value


def expect_keys(document: dict[str, Any], name: str, required: tuple[str, ...]) -> None:
    """Refuse a document whose top-level keys are not exactly `required`."""
    for key in document:
        if key not in required:
            raise RulebookError(
                f"{name}: unknown top-level key '{key}' (expected: {', '.join(required)})"
            )
    for key in required:
        if key not in document:
            raise RulebookError(f"{name}: '{key}' is missing; it is required")


def validated(model: type[ModelT], raw: Any, where: str) -> ModelT:
    """`raw` validated as `model`, or RulebookError naming `where` and the field."""
    try:
        record = model.model_validate(raw)
    except ValidationError as error:
        raise RulebookError(describe_validation_error(error, where, model)) from None
    return record


def require_chinese(records: Iterable[tuple[str, BaseModel]]) -> None:
    """Refuse the program's own data where a text lacks its Simplified Chinese: each record
    with where it is ('rules.toml: rule 'x''), the first gap named in one line."""
    for where, record in records:
        missing = missing_chinese(record)
        if missing:
            raise RulebookError(
                f"{where}: field '{missing}' is missing: every text is written in Simplified "
                "Chinese too"
            )


def records(document: dict[str, Any], key: str, name: str) -> tuple[Any, ...]:
    """The `[[key]]` tables of a document: one or more, or RulebookError."""
    raw = document[key]
    if not isinstance(raw, tuple) or not raw:
        raise RulebookError(f"{name}: expected one or more [[{key}]] tables")
    return raw


def record_label(kind: str, raw: Any, number: int) -> str:
    """How an error names one record: by its id where it has one, else by its position."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"{kind} '{raw['id']}'"
    return f"{kind} #{number}"
