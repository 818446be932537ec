"""The translation catalogs: made from the source, complete, and compiled as kept.

The gettext catalog (advisor/ and probes/) and Qt's catalog (ui/) are kept in the repository
with their compiled forms; `make translations` (scripts/translations.py) makes them again.
"""

from __future__ import annotations

import importlib.util
import os
import re
import string
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts/translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def _fields(text: str) -> set[str]:
    """The replacement fields of a str.format text: {name}, {ratio:.2f}."""
    return {
        f"{name}:{spec}" for _literal, name, spec, _conv in string.Formatter().parse(text) if name
    }


def _messages() -> Iterator[tuple[str, str]]:
    """Each source text of the gettext catalog with its translation (plurals: each form)."""
    for message in tool.read_catalog():
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        for translation in strings:
            yield ids[-1], translation


def test_the_gettext_catalog_is_what_the_source_makes() -> None:
    # A message added to the code and not to the catalog, or a catalog not rewritten after
    # a change, fails here: `make translations` makes it again.
    assert tool.PO_FILE.read_bytes() == tool.po_bytes(tool.updated_catalog())


def test_the_compiled_gettext_catalog_matches_its_source() -> None:
    assert tool.MO_FILE.read_bytes() == tool.mo_bytes(tool.read_catalog())


def test_every_gettext_message_is_translated_and_none_is_fuzzy() -> None:
    catalog = tool.read_catalog()
    untranslated = [message.id for message in catalog if message.id and not all(_strings(message))]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert (untranslated, fuzzy) == ([], [])
    assert len(catalog) > 100


def _strings(message: object) -> tuple[str, ...]:
    value = message.string  # type: ignore[attr-defined]
    return (value,) if isinstance(value, str) else tuple(value)


def test_every_gettext_translation_keeps_the_fields_of_its_source() -> None:
    wrong = [
        (source, translation)
        for source, translation in _messages()
        if _fields(source) != _fields(translation)
    ]
    assert wrong == []


def _qt_messages(ts_text: str) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(ts_text).iter("message"))


def test_the_qt_catalog_is_what_the_source_of_ui_makes_and_its_compiled_form_matches() -> None:
    ts_now, qm_now = tool.qt_catalog_now()
    assert tool.TS_FILE.read_bytes() == ts_now
    assert tool.QM_FILE.read_bytes() == qm_now


def test_every_qt_message_is_translated_with_the_fields_of_its_source() -> None:
    messages = _qt_messages(tool.TS_FILE.read_text(encoding="utf-8"))
    unfinished = []
    wrong = []
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        text = translation.text or ""
        if translation.get("type") in ("unfinished", "obsolete", "vanished") or not text:
            unfinished.append(source)
        elif _fields(source) != _fields(text) or _accelerators(source) != _accelerators(text):
            wrong.append((source, text))
    assert (unfinished, wrong) == ([], [])


def _accelerators(text: str) -> int:
    """How many keyboard accelerators (&F) a menu or button text has."""
    return len(re.findall(r"&[^&\s]", text))


@pytest.mark.parametrize("path", sorted((ROOT / "advisor/locale").rglob("*.po")))
def test_the_glossary_terms_are_used_as_the_glossary_says(path: Path) -> None:
    # The words the article uses: never the other common renderings of the same terms.
    text = path.read_text(encoding="utf-8")
    for avoided in ("虚拟主机", "映像", "集装箱", "主机操作系统"):
        assert avoided not in text.replace("宿主机操作系统", "")


def test_every_text_of_the_shipped_data_is_in_both_languages() -> None:
    # Loading the shipped files checks it: a text without its Chinese is refused there.
    from advisor.questions import load_questions
    from advisor.rulebook import load_rulebook

    assert load_rulebook().rules and load_questions().questions


def test_a_shipped_text_without_its_chinese_is_refused_in_one_line(tmp_path: Path) -> None:
    # Through the program's own start, in a process of its own: the loaded tables are cached.
    shipped = (ROOT / "rules" / "questions.toml").read_text(encoding="utf-8")
    lacking = re.sub(r'^question_zh = "[^"]*"\n', "", shipped, count=1, flags=re.MULTILINE)
    assert lacking != shipped
    (tmp_path / "questions.toml").write_text(lacking, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "schema", "answers"],
        capture_output=True,
        text=True,
        env={**os.environ, "DVM_ADVISOR_RULES": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "question 'project_name'" in result.stderr
    assert "'question_zh' is missing" in result.stderr
