"""What every benchmark shares: interleaved pairs, ratios, rows of the table, child processes.

A comparison runs its two sides in turn (A B A B …) so that whatever else loads the machine
weighs on both alike, and is reported as the median of the per-pair ratios A/B with their
minimum and maximum.
"""

from __future__ import annotations

import ctypes
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

from advisor.base.models import FrozenModel
from advisor.probes.models import Stats

Verdict = Literal["met", "MISSED", "info", "quoted", "not measured", "failed"]
_PR_SET_PDEATHSIG = 1


class Row(FrozenModel):
    """One line of the benchmark table."""

    what: str
    measured: str
    compared_with: str = "—"
    ratio: str = "—"
    target: str = "—"
    verdict: Verdict


class Section(FrozenModel):
    """What one benchmark found: its rows of the table and notes for docs/benchmarks.md."""

    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()  # markdown paragraphs


class BenchmarkFailed(Exception):
    """A benchmark could not take its measurements; the message says why, in one line."""


def interleave(
    first: Callable[[], float], second: Callable[[], float], pairs: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Run `first` and `second` in turn, `warmup` pairs unrecorded, then `pairs` recorded."""
    for _ in range(warmup):
        first()
        second()
    a: list[float] = []
    b: list[float] = []
    for _ in range(pairs):
        a.append(first())
        b.append(second())
    return a, b


def pair_ratios(a: Sequence[float], b: Sequence[float]) -> Stats:
    """The ratio A/B of each pair, summarised."""
    return Stats.of([x / y for x, y in zip(a, b, strict=True)])


def spread(stats: Stats, unit: str = "s", digits: int = 2) -> str:
    """`median unit [min to max]`, as the table prints a repeated measurement."""
    return f"{stats.median:.{digits}f} {unit} [{stats.min:.{digits}f} to {stats.max:.{digits}f}]"


def spread_of(values: Sequence[float], unit: str = "s", digits: int = 2) -> str:
    """As spread(), for figures a measurement's summary may not hold: differences, which can
    be negative (a probe report's figures never are)."""
    low, middle, high = min(values), statistics.median(values), max(values)
    return f"{middle:.{digits}f} {unit} [{low:.{digits}f} to {high:.{digits}f}]"


def ratio_text(stats: Stats) -> str:
    """A ratio's median with its range and the number of pairs."""
    return f"{stats.median:.2f} [{stats.min:.2f} to {stats.max:.2f}], {stats.runs} pairs"


def verdict(met: bool) -> Verdict:
    """The table's word for a target met or missed."""
    return "met" if met else "MISSED"


def _die_with_parent() -> None:
    # Runs in the child before exec: should the benchmark be killed outright, the kernel
    # kills the child too, so no QEMU or docker client outlives the run.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class LineWatcher:
    """A child process whose output is read line by line on threads, each line timed.

    `seconds_to(marker)` is the time from just before the process was started to the moment
    a line ending with `marker` (carriage returns and spaces aside) was read: a serial
    console may put terminal escapes before the marker on the same line.
    """

    def __init__(self, command: Sequence[str], env: dict[str, str] | None = None) -> None:
        self.command = list(command)
        self._stdout: list[tuple[float, str]] = []
        self._stderr: list[str] = []
        self._changed = threading.Condition()
        self._ended = False
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            preexec_fn=_die_with_parent,
        )
        self._readers = [
            threading.Thread(target=self._read_stdout, name="bench stdout", daemon=True),
            threading.Thread(target=self._read_stderr, name="bench stderr", daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            now = time.perf_counter()
            with self._changed:
                self._stdout.append((now, raw.decode("utf-8", errors="replace").strip()))
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for raw in iter(self.process.stderr.readline, b""):
            self._stderr.append(raw.decode("utf-8", errors="replace").strip())

    def seconds_to(self, marker: str, timeout: float) -> float:
        """Seconds from the start to the marker line; raises BenchmarkFailed if it never comes."""
        ends = time.monotonic() + timeout
        with self._changed:
            while True:
                for read_at, line in self._stdout:
                    if line.endswith(marker):
                        return read_at - self.started_at
                left = ends - time.monotonic()
                if self._ended or left <= 0:
                    why = "ended" if self._ended else f"took over {timeout:g} s"
                    raise BenchmarkFailed(
                        f"{self.command[0]} {why} before printing {marker!r} "
                        f"(last output: {self.last_words()!r})"
                    )
                self._changed.wait(min(left, 0.5))

    def last_words(self) -> str:
        """The last non-empty line written to standard error, or else to standard output."""
        for lines in (self._stderr, [line for _, line in self._stdout]):
            for line in reversed(lines):
                if line:
                    return line
        return "nothing"

    def wait(self, timeout: float) -> int:
        """Wait for the process to exit by itself; kill it if it takes longer than `timeout`."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise BenchmarkFailed(f"{self.command[0]} did not exit within {timeout:g} s") from None
        for reader in self._readers:
            reader.join(5)
        return code

    def kill(self) -> None:
        """End the process now, if it still runs, and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for reader in self._readers:
            reader.join(5)

    def close(self) -> None:
        """Kill the process if it still runs and close its pipes."""
        self.kill()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def pid_tag() -> str:
    """What names every object this run makes: the probes' prefix and this process's pid."""
    return f"dvm-advisor-probe-{os.getpid()}-bench"


@contextmanager
def child_process(
    script: str, env: dict[str, str], timeout_seconds: float, *, polite: bool = False
) -> Iterator[subprocess.Popen[str]]:
    """`script --child` in a fresh interpreter with `env`, its output and errors piped. A child
    still running after `timeout_seconds` is killed (`polite`: asked to stop, so that it
    cleans up), which ends its output and so any reading of it; it never outlives the block."""
    process = subprocess.Popen(
        [sys.executable, script, "--child"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    watchdog = threading.Timer(timeout_seconds, process.terminate if polite else process.kill)
    watchdog.start()
    try:
        yield process
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
