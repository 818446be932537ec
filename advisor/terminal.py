"""Text for a terminal: every line the command line prints goes through `say`.

What it prints comes from answers files, probe reports, the Docker engine, libvirt, the
environment and file names. A control character in any of them could move the cursor, clear
the screen, set the window's title (ESC and the C1 controls CSI and OSC) or reorder what is
shown (bidirectional overrides): each is printed as a visible escape such as `\\x1b` instead.
"""

from __future__ import annotations

import sys
from typing import TextIO

# Characters that reorder the text around them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Line breaks other than "\n": NEL, and the line and paragraph separators.
OTHER_LINE_BREAKS = frozenset("\u0085\u2028\u2029")


# All of them with the C0 and C1 controls and DEL, as ranges of code points.
CONTROL_RANGES = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0x061C, 0x061C),
    (0x200E, 0x200F),
    (0x2028, 0x202E),
    (0x2066, 0x2069),
)


def is_control(char: str) -> bool:
    """Whether `char` is a C0 or C1 control, DEL, a bidirectional control or a line break."""
    code = ord(char)
    return any(low <= code <= high for low, high in CONTROL_RANGES)


def no_controls_pattern() -> str:
    """A regular expression (PCRE, as Qt's) matching text without any of those characters."""
    ranges = "".join(f"\\x{{{low:x}}}-\\x{{{high:x}}}" for low, high in CONTROL_RANGES)
    return f"[^{ranges}]*"


def escape(char: str) -> str:
    """`char` as Python writes it in a string literal: `\\x1b`, `\\u202e`, `\\n`."""
    return repr(char)[1:-1] if char != "'" else char


def for_terminal(text: str) -> str:
    """`text` with every control character but the line break written as an escape."""
    return "".join(escape(char) if char != "\n" and is_control(char) else char for char in text)


def json_for_terminal(text: str) -> str:
    """JSON text whose strings hold control characters, with those written as JSON escapes:
    the same JSON, safe to print (the line breaks of its indentation are kept)."""
    return "".join(
        f"\\u{ord(char):04x}" if char != "\n" and is_control(char) else char for char in text
    )


class OutputFailed(Exception):
    """Standard output or error could not take what was printed: a closed pipe, a full disk."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


def say(text: str = "", *, file: TextIO | None = None) -> None:
    """Print one line (or several) for a person, control characters escaped.

    Raises OutputFailed when the stream cannot be written."""
    stream = file or sys.stdout
    try:
        print(for_terminal(text), file=stream, flush=stream is sys.stderr)
    except OSError as error:
        raise OutputFailed(error) from None


def flush_output() -> None:
    """Flush standard output now, while a failure can still be reported; OutputFailed if not."""
    try:
        sys.stdout.flush()
    except OSError as error:
        raise OutputFailed(error) from None
