"""Ctrl+C (SIGINT), a polite kill (SIGTERM) and a closed terminal (SIGHUP), for the command line.

Each of them raises `Interrupted` in the main thread, so that whatever is under way unwinds
through its clean-up (a probe run cancels and removes what it started, a half-written file is
deleted), and the command ends with the conventional status: 128 plus the signal's number,
130, 143 and 129. While that clean-up runs, a further signal only says it is under way.
A signal the command was started with ignored (`nohup`, a background job) stays ignored.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """A signal asked the command to stop; a BaseException so no `except Exception` keeps it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        """The shell's convention for a command ended by this signal."""
        return 128 + self.signum


@dataclass
class _State:
    """Whether a signal already asked the command to stop, and what a further one does."""

    stopping: bool = False
    noted: Callable[[int], None] | None = None


_state = _State()


def _raise(signum: int, _frame: object) -> None:
    # Only the first signal stops the command: one arriving while it unwinds, even before
    # the clean-up has begun, must not cut that clean-up short.
    if _state.stopping:
        if _state.noted is not None:
            _state.noted(signum)
        return
    _state.stopping = True
    raise Interrupted(signum)


def raise_on_signals() -> None:
    """From now on the first handled signal raises Interrupted in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return
    _state.stopping = False
    for signum in HANDLED:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _raise)


@contextlib.contextmanager
def signals_deferred(noted: Callable[[int], None]) -> Iterator[None]:
    """Within the block, a handled signal only calls `noted`; afterwards a further signal
    still does nothing but wait, as the command is on its way out.

    Used while cleaning up: stopping halfway would leave what the clean-up is removing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _state.stopping = True
    _state.noted = noted
    installed = {signum: signal.getsignal(signum) for signum in HANDLED}
    for signum, handler in installed.items():
        if handler not in (signal.SIG_IGN, _raise):
            signal.signal(signum, _raise)
    try:
        yield
    finally:
        _state.noted = None
        for signum, handler in installed.items():
            if handler not in (signal.SIG_IGN, _raise):
                signal.signal(signum, handler)
