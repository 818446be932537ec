"""Settings every test shares."""

import os
import signal

# Qt must never look for a display in the tests; UI tests render offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest

from advisor.base.i18n import DEFAULT_LANGUAGE, set_language

# A shell without job control starts background commands with SIGINT ignored, and an ignored
# signal stays ignored in every command a test starts. The tests that send SIGINT to a command
# need it to arrive as it does at a terminal: a handler here is reset to the default on exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in English whatever the machine's locale, and leaves it so; a test
    of another language asks for it."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language(DEFAULT_LANGUAGE)
    yield
    set_language(DEFAULT_LANGUAGE)
