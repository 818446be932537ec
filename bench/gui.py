"""GUI cold start and idle memory, drawn offscreen and on an X server (Xvfb), in turn.

Each run is `bench_gui_start.one_run`: a fresh interpreter that builds the app as
`dvm-advisor` does, timed from just before its start to its first paint, then idled for a
second and asked for its resident memory. Offscreen is how the tests draw; Xvfb is a real X
server, so the xcb platform plugin, fonts and the X connection are paid as on a desktop.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import bench_gui_start
from common import BenchmarkFailed, Row, Section, interleave, spread, verdict

from advisor.probes.models import Stats

TARGET_SECONDS = bench_gui_start.TARGET_SECONDS
XVFB_START_SECONDS = 15.0


@contextmanager
def xvfb_display() -> Iterator[str | None]:
    """A private X server for the length of the block, as its DISPLAY; None without Xvfb."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    read_end, write_end = os.pipe()
    # -displayfd: the server picks a free display and writes its number once it listens.
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as announced:
            number = _read_with_timeout(announced.readline, XVFB_START_SECONDS).strip()
        if not number.isdigit():
            raise BenchmarkFailed("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()  # on SIGTERM the server removes its socket and lock file
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _read_with_timeout(read: Callable[[], str], seconds: float) -> str:
    from advisor.probes.deadline import DeadlineExceeded, call_with_deadline

    try:
        return call_with_deadline(read, seconds, "Xvfb's display number")
    except DeadlineExceeded as error:
        raise BenchmarkFailed(str(error)) from None


class _Runs:
    """Runs of the app under one platform, with what each measured."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.shown: list[float] = []
        self.cpu: list[float] = []
        self.rss_kib: list[int] = []

    def __call__(self) -> float:
        try:
            measured = bench_gui_start.one_run(self.env)
        except SystemExit as failure:  # how one_run reports an app that did not start
            raise BenchmarkFailed(str(failure)) from None
        shown, *middle, rss = measured
        self.shown.append(shown)
        self.cpu.extend(middle[:1])
        self.rss_kib.append(rss)
        return shown


def _rows(name: str, runs: _Runs, recorded: int) -> list[Row]:
    shown = Stats.of(runs.shown[-recorded:])
    rss = Stats.of([kib / 1024 for kib in runs.rss_kib[-recorded:]])
    cpu = f"; CPU time to the paint {spread(Stats.of(runs.cpu[-recorded:]))}" if runs.cpu else ""
    return [
        Row(
            what=f"GUI cold start → first window painted ({name})",
            measured=spread(shown) + cpu,
            target=f"≤ {TARGET_SECONDS:g} s",
            verdict=verdict(shown.median <= TARGET_SECONDS),
        ),
        Row(
            what=f"GUI idle resident memory ({name}), 1 s after the first paint",
            measured=spread(rss, unit="MiB", digits=0),
            verdict="info",
        ),
    ]


def run(pairs: int) -> Section:
    """Offscreen and Xvfb starts in turn, `pairs` of each after one unrecorded pair."""
    with tempfile.TemporaryDirectory(prefix="dvm-advisor-bench-") as scratch:
        # Settings and caches go to the scratch folder, so the user's are left alone.
        base = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
        }
        base.update(
            HOME=scratch,
            XDG_CONFIG_HOME=f"{scratch}/config",
            XDG_CACHE_HOME=f"{scratch}/cache",
            XDG_DATA_HOME=f"{scratch}/data",
            XDG_RUNTIME_DIR=scratch,
        )
        offscreen = _Runs({**base, "QT_QPA_PLATFORM": "offscreen"})
        with xvfb_display() as display:
            if display is None:
                for _ in range(pairs + 1):  # the first is unrecorded
                    offscreen()
                return Section(rows=tuple(_rows("offscreen", offscreen, pairs)))
            xvfb = _Runs({**base, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display})
            interleave(offscreen, xvfb, pairs)
    rows = _rows("offscreen", offscreen, pairs) + _rows("Xvfb", xvfb, pairs)
    note = (
        "**GUI.** Each run is a fresh interpreter (bench/bench_gui_start.py) that loads the "
        "app as `dvm-advisor` does and shows the main window; the time runs from just before "
        "the process starts to the first paint line read from its output, so interpreter "
        "start and every import count. Offscreen and Xvfb runs alternate; settings and caches "
        "go to a temporary folder."
    )
    return Section(rows=tuple(rows), notes=(note,))
