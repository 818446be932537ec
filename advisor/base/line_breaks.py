"""Where a line of text may break, and how wide it is, in Chinese as in English.

English breaks at spaces. Chinese writes no spaces between its words and may break between
any two characters, except before closing punctuation (the full-width comma, full stop and
closing bracket) and after opening punctuation, which stay with the character they belong
to. A terminal sets each Chinese character in two columns. The PDF report (fpdf2) and the
terminal's tables and help both break lines by these rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# A break opportunity where no space is.
BREAK = "\u200b"
# Never at the start of a line: closing and middle punctuation, in full and half width.
_NO_BREAK_BEFORE = frozenset("，。、；：？！）」』】》〉”’…—～·%,.;:?!)]}")  # noqa: RUF001
# Never at the end of a line: opening punctuation.
_NO_BREAK_AFTER = frozenset("（「『【《〈“‘([{")  # noqa: RUF001
_PIECES = re.compile(f"( +|{BREAK})")


def is_wide(char: str) -> bool:
    """A character of Chinese (or Japanese, Korean) writing: set in a full square, two
    columns of a terminal."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def display_width(text: str) -> int:
    """How many columns of a terminal `text` takes."""
    return sum(2 if is_wide(char) else 0 if unicodedata.combining(char) else 1 for char in text)


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` columns."""
    return text + " " * max(0, width - display_width(text))


def break_opportunities(text: str) -> str:
    """`text` with BREAK wherever a line may break between two characters with no space
    between them: next to a Chinese character, unless punctuation forbids it."""
    marked: list[str] = []
    for before, after in zip(text, text[1:] + " ", strict=False):
        marked.append(before)
        if (
            (is_wide(before) or is_wide(after))
            and not (before.isspace() or after.isspace())
            and after not in _NO_BREAK_BEFORE
            and before not in _NO_BREAK_AFTER
        ):
            marked.append(BREAK)
    return "".join(marked)


def wrap(text: str, width: float, measure: Callable[[str], float] = display_width) -> list[str]:
    """`text` as lines no wider than `width`, broken at spaces and between Chinese characters;
    a word longer than a line stays whole on a line of its own. `measure` gives a piece of
    text's width in the units of `width`: terminal columns unless said otherwise."""
    lines: list[str] = []
    line = gap = ""
    used = 0.0
    for piece in _PIECES.split(break_opportunities(" ".join(text.split()))):
        if piece == BREAK or piece.isspace():
            gap = "" if piece == BREAK else " "
            continue
        if not piece:
            continue
        extra = measure(gap + piece if line else piece)
        if line and used + extra > width:
            lines.append(line)
            line, used = piece, measure(piece)
        else:
            line, used = (line + gap + piece if line else piece), used + extra
        gap = ""
    if line:
        lines.append(line)
    return lines
