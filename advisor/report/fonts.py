"""The report's fonts: found on the system, Chinese loaded only when needed, subsets cached.

Latin text is set in DejaVu Sans (Debian's fonts-dejavu-core). The article's Chinese is set in
Noto Sans CJK SC (Debian's fonts-noto-cjk), used only for the characters DejaVu Sans lacks.
Opening that collection and subsetting it costs more than the rest of an export, so the
subset for every character the article's claims use (and any other the document needs) is
made once and kept in the user's cache folder; a later export opens a font of a few hundred
glyphs instead of sixty thousand.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import platformdirs
from fpdf import FPDF
from fpdf.fonts import TTFFont
from pydantic import BaseModel

from advisor.base.errors import InputError
from advisor.base.files import make_private_dir, write_private_file
from advisor.base.i18n import _, catalog_text
from advisor.base.models import texts_of
from advisor.rulebook import load_rulebook

LATIN_FAMILY = "DejaVu"
CJK_FAMILY = "NotoCJK"
_DEJAVU_FOLDER = Path("/usr/share/fonts/truetype/dejavu")
# Two faces only: each font opened costs export time.
_LATIN_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_LATIN_PATTERNS = {"": "DejaVu Sans", "B": "DejaVu Sans:bold"}
# Debian's fonts-noto-cjk: a collection whose font number 2 is the Simplified Chinese face.
NOTO_CJK = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2)
_LOOKUP_TIMEOUT_SECONDS = 5.0
_CACHE_FOLDER = "fonts"


class ReportFontError(InputError):
    """A font the report needs is not installed; the message names the package."""


@dataclass(frozen=True)
class FontFile:
    """A font on disk; `index` picks one face of a collection (.ttc)."""

    path: Path
    index: int = 0


def characters_of(document: BaseModel) -> set[str]:
    """Every character a document sets, so that only the fonts it needs are loaded."""
    return {character for text in texts_of(document) for character in text}


def load_fonts(pdf: FPDF, characters: Collection[str]) -> None:
    """Add the fonts that can set `characters`; raises ReportFontError naming what is missing."""
    for style in _LATIN_FILES:
        font = find_latin_font(style)
        if font is None:
            raise ReportFontError(
                _("font DejaVu Sans not found for the report: install Debian's fonts-dejavu-core")
            )
        pdf.add_font(LATIN_FAMILY, style=style, fname=font.path)
    latin = set(_ttf(pdf, LATIN_FAMILY).cmap)
    lacking = {char for char in characters if char.isprintable() and ord(char) not in latin}
    if not lacking:
        return
    cjk = find_cjk_font()
    if cjk is None:
        raise ReportFontError(
            _(
                "no Chinese font found for the article's quotes in the report: "
                "install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)"
            )
        )
    wanted = lacking | _article_characters(latin)
    cjk = cached_subset(cjk, wanted) or cjk
    pdf.add_font(CJK_FAMILY, fname=cjk.path, collection_font_number=cjk.index)
    # Recomputing every glyph's bounds when the subset is saved costs most of the time it
    # takes; the bounds of the font as it is are right for any subset of it.
    _ttf(pdf, CJK_FAMILY).ttfont.recalcBBoxes = False
    # Bold runs borrow the regular CJK face rather than lose their glyphs.
    pdf.set_fallback_fonts([CJK_FAMILY], exact_match=False)


def _ttf(pdf: FPDF, family: str) -> TTFFont:
    font = pdf.fonts[family.lower()]
    assert isinstance(font, TTFFont)  # every font added here is a TrueType/OpenType file
    return font


def find_latin_font(style: str, folder: Path = _DEJAVU_FOLDER) -> FontFile | None:
    """DejaVu Sans in `style` ('' or 'B'): at Debian's path, else where fontconfig says."""
    known = folder / _LATIN_FILES[style]
    if known.is_file():
        return FontFile(known)
    found = _fontconfig("fc-match", "-f", _FORMAT, _LATIN_PATTERNS[style])
    return next((_font_file(row) for row in found if "DejaVu Sans" in row[2]), None)


def find_cjk_font(known: tuple[Path, int] = NOTO_CJK) -> FontFile | None:
    """A Simplified Chinese sans-serif font: Debian's Noto Sans CJK, else any fontconfig knows."""
    path, index = known
    if path.is_file():
        return FontFile(path, index)
    found = _fontconfig("fc-list", "--format", _FORMAT, ":lang=zh-cn:style=Regular")
    usable = [row for row in found if row[0].endswith((".ttf", ".otf", ".ttc"))]
    usable.sort(key=lambda row: ("SC" not in row[2], "Mono" in row[2], "Sans" not in row[2], row))
    return _font_file(usable[0]) if usable else None


def cached_subset(font: FontFile, characters: Collection[str]) -> FontFile | None:
    """`font` cut down to `characters`, made once and kept in the cache; None if it cannot be."""
    text = "".join(sorted(characters))
    try:
        status = font.path.stat()
    except OSError:
        return None
    identity = f"{font.path}|{font.index}|{status.st_size}|{status.st_mtime_ns}|{text}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:24]
    cache = platformdirs.user_cache_path("dvm-advisor")
    cached = cache / _CACHE_FOLDER / f"cjk-{digest}.otf"
    if cached.is_file():
        return FontFile(cached)
    try:
        # Older versions made the app's cache folder readable by all: close it again.
        make_private_dir(cache)
        write_private_file(_subset(font, text), cached)
    except OSError:
        return None  # no cache here: the whole font still works, only slower
    return FontFile(cached)


def _subset(font: FontFile, text: str) -> bytes:
    # Imported here: needed only when the cache has no subset yet.
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    source = TTFont(font.path, fontNumber=font.index, lazy=True, recalcBBoxes=False)
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]  # keep the font's names and licence with it
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]  # fpdf2 sets text without shaping
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(source)
    output = BytesIO()
    source.save(output)
    return output.getvalue()


def _article_characters(latin: Collection[int]) -> set[str]:
    """Every character of the article's claims and of the program's words in the current
    language that the Latin font lacks."""
    claims = load_rulebook().claims.values()
    # The program's own words in the current language come in the same font.
    text = catalog_text() + "".join(claim.section_zh + "".join(claim.original) for claim in claims)
    return {char for char in text if char.isprintable() and ord(char) not in latin}


_FORMAT = "%{file}\t%{index}\t%{family}\n"


def _fontconfig(*command: str) -> list[tuple[str, str, str]]:
    """fontconfig's answer as (file, index, family) rows; empty when it is not there."""
    if shutil.which(command[0]) is None:
        return []
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=_LOOKUP_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    rows = []
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0]:
            rows.append((parts[0], parts[1], parts[2]))
    return rows


def _font_file(row: tuple[str, str, str]) -> FontFile:
    return FontFile(Path(row[0]), int(row[1]) if row[1].isdigit() else 0)
