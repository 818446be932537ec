"""Time limits for probe steps, including calls that offer no timeout of their own."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from advisor.base.i18n import _
from advisor.probes.control import CancelToken
from advisor.probes.errors import ProbeFailed

T = TypeVar("T")

WAIT_SLICE_SECONDS = 0.2  # how long a wait lasts before the cancel token is looked at again


class DeadlineExceeded(ProbeFailed):
    """A step or a call did not finish within its time limit."""


class Deadline:
    """A point in time a probe must finish by; each step asks how long it may still take."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends_at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self._ends_at - time.monotonic())

    def check(self, step: str) -> None:
        """Raise DeadlineExceeded when no time is left before `step`."""
        if self.remaining() <= 0.0:
            raise DeadlineExceeded(
                _("time limit of {seconds:g} s reached before {step}").format(
                    seconds=self.seconds, step=_(step)
                )
            )

    def limit(self, call_timeout: float) -> float:
        """The timeout for one call: its own limit, cut short by what is left of the deadline."""
        return max(0.1, min(call_timeout, self.remaining()))


def call_with_deadline(
    function: Callable[[], T],
    seconds: float,
    what: str,
    cancel: CancelToken | None = None,
) -> T:
    """Run `function` and return its result, or raise DeadlineExceeded after `seconds`, or
    ProbeCancelled within a fraction of a second of a cancel.

    For blocking library calls that take no timeout (libvirt, the Docker SDK's image
    import). The call runs on a daemon thread: when it overruns or is cancelled, the caller
    moves on and the thread ends whenever the call returns, never keeping the process alive.
    """
    outcome: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            outcome.put((True, function()))
        except BaseException as error:  # handed to the caller, who re-raises it
            outcome.put((False, error))

    threading.Thread(target=run, name=f"deadline: {what}", daemon=True).start()
    ends = time.monotonic() + seconds
    while True:
        if cancel is not None:
            cancel.raise_if_cancelled()
        left = ends - time.monotonic()
        if left <= 0.0:
            raise DeadlineExceeded(
                _("{what} did not answer within {seconds:g} s").format(what=what, seconds=seconds)
            )
        try:
            succeeded, value = outcome.get(timeout=min(left, WAIT_SLICE_SECONDS))
            break
        except queue.Empty:
            continue  # a slice without an answer: look at the cancel token again
    if not succeeded:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]
