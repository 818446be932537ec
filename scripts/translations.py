"""Make the translation catalogs again from the source: `make translations`.

- advisor/ and probes/: every `_()`, `ngettext()` and `N_()` is extracted with Babel into the
  gettext catalog advisor/locale/zh_CN/LC_MESSAGES/dvm-advisor.po, which keeps the
  translations already written, drops the messages no longer in the source, and is compiled
  into the .mo beside it.
- ui/: pyside6-lupdate extracts every `tr()` and `QCoreApplication.translate()` into
  ui/translations/dvm_advisor_zh_CN.ts, and pyside6-lrelease compiles it into the .qm.

The catalogs are kept without locations or dates, so that they change only when a message
does. tests/unit/test_translations.py checks, with the functions here, that the files kept in
the repository are what this makes, and that no message is left untranslated.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_CN"
DOMAIN = "dvm-advisor"
PO_FILE = ROOT / "advisor" / "locale" / LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_FILE = PO_FILE.with_suffix(".mo")
TS_FILE = ROOT / "ui" / "translations" / f"dvm_advisor_{LANGUAGE}.ts"
QM_FILE = TS_FILE.with_suffix(".qm")
SOURCE_FOLDERS = ("advisor", "probes")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
KEPT_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def extracted() -> Catalog:
    """Every message of advisor/ and probes/, as the source holds them now."""
    template = Catalog(locale=LANGUAGE, project="dvm-advisor")
    for folder in SOURCE_FOLDERS:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            template.add(
                message,
                locations=[(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
                flags=("python-brace-format",) if _has_fields(message) else (),
            )
    return template


def _has_fields(message: str | tuple[str, ...]) -> bool:
    texts = (message,) if isinstance(message, str) else message
    return any("{" in text for text in texts)


def read_catalog(path: Path = PO_FILE) -> Catalog:
    """The gettext catalog kept in the repository."""
    if not path.exists():
        return Catalog(locale=LANGUAGE, project="dvm-advisor")
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=LANGUAGE)
    # The .po keeps no dates, so that the compiled catalog changes only when a message does.
    catalog.creation_date = catalog.revision_date = KEPT_DATE
    return catalog


def updated_catalog() -> Catalog:
    """The catalog with the source's messages: translations kept, messages gone dropped."""
    catalog = read_catalog()
    catalog.update(extracted(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    """The catalog as the .po file keeps it: no header, no locations, no line wrapping."""
    stream = io.BytesIO()
    write_po(stream, catalog, width=0, omit_header=True, no_location=True, sort_output=True)
    return stream.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The catalog compiled, as the program reads it."""
    stream = io.BytesIO()
    write_mo(stream, catalog)
    return stream.getvalue()


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"translations: {name} not found; it comes with PySide6")
    return found


def qt_catalog(ts_file: Path) -> None:
    """`ts_file` made from the source of ui/, keeping the translations it had."""
    subprocess.run(
        [
            *(_tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none"),
            *("-extensions", "py", str(ROOT / "ui"), "-ts", str(ts_file)),
        ],
        check=True,
    )


def qt_compiled(ts_file: Path, qm_file: Path) -> None:
    """`ts_file` compiled into `qm_file`."""
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)], check=True
    )


def qt_catalog_now() -> tuple[bytes, bytes]:
    """The .ts and .qm the source of ui/ and the kept translations make, without writing."""
    with tempfile.TemporaryDirectory() as folder:
        ts_file = Path(folder) / TS_FILE.name
        shutil.copyfile(TS_FILE, ts_file)
        qt_catalog(ts_file)
        qm_file = ts_file.with_suffix(".qm")
        qt_compiled(ts_file, qm_file)
        return ts_file.read_bytes(), qm_file.read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    catalog = updated_catalog()
    PO_FILE.parent.mkdir(parents=True, exist_ok=True)
    PO_FILE.write_bytes(po_bytes(catalog))
    MO_FILE.write_bytes(mo_bytes(read_catalog()))
    TS_FILE.parent.mkdir(parents=True, exist_ok=True)
    if not TS_FILE.exists():
        TS_FILE.write_text(
            f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            f'<TS version="2.1" language="{LANGUAGE}">\n</TS>\n'
        )
    qt_catalog(TS_FILE)
    qt_compiled(TS_FILE, QM_FILE)
    untranslated = sum(1 for message in catalog if message.id and not message.string)
    print(f"translations: {len(catalog)} messages in {PO_FILE.name}, {untranslated} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
