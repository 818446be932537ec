"""How a running probe is steered from outside: a cancel token and a progress callback."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Literal

from advisor.base.models import FrozenModel

ProbeName = Literal["host", "container", "vm"]


class ProbeCancelled(Exception):
    """Raised inside a probe when its cancel token was set; the probe cleans up and stops."""


class CancelToken:
    """A thread-safe flag a caller sets to stop a probe; probes poll it between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the probe to stop as soon as it can."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel() was called."""
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        """Raise ProbeCancelled when cancel() was called."""
        if self._event.is_set():
            raise ProbeCancelled

    def sleep(self, seconds: float) -> None:
        """Wait up to `seconds`, waking at once on cancel; then raise if cancelled."""
        self._event.wait(seconds)
        self.raise_if_cancelled()


class ProgressEvent(FrozenModel):
    """One step of a probe, as shown in a progress bar and a log line."""

    probe: ProbeName
    # The step as the probes name it, in English whatever the language shown: what estimates
    # of a run go by ("boot 1 of 2 (TCG)").
    step: str
    fraction: float  # 0.0 to 1.0 of this probe's work done
    shown: str | None = None  # the step in the language shown; None: as `step` says it

    @property
    def text(self) -> str:
        """The step as the user reads it."""
        return self.shown if self.shown is not None else self.step


ProgressCallback = Callable[[ProgressEvent], None]


def ignore_progress(_event: ProgressEvent) -> None:
    """A progress callback for callers that do not show progress."""
