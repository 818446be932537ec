"""How long the desktop app takes from a fresh process to its first window shown; the target
is under 1.5 s. Also the resident memory of the idle window.

Each run starts a new interpreter that loads the app as `dvm-advisor` does (the command line
module, then `advisor.ui.app.create_app`), shows the window and prints a line at the first
paint; the time is from just before the process starts to the moment that line is read, so
interpreter start and every import count. The child's own CPU time to that paint is shown
too: unlike the wall time, it hardly moves when other work loads the machine. After a second
of idling the child prints its resident set size and quits. Settings go to a temporary
folder, so the user's are left alone. Where no display exists the window is drawn offscreen.

    .venv/bin/python bench/bench_gui_start.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

TARGET_SECONDS = 1.5
IDLE_MS = 1000
SHOWN_MARKER = "first-window-shown"
RSS_PREFIX = "idle-rss-kib "
RUN_TIMEOUT_SECONDS = 60.0


def child() -> None:
    """In the child process: build and show the app, report the first paint, then the RSS."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    # `dvm-advisor` loads its command line module before it hands over to the GUI.
    import advisor.cli  # noqa: F401
    from advisor.ui.app import create_app

    app, window = create_app()

    def report_rss() -> None:
        with open("/proc/self/status", encoding="ascii") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
        print(RSS_PREFIX + line.split()[1], flush=True)
        window.close()

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                print(f"{SHOWN_MARKER} {time.process_time():.4f}", flush=True)
                QTimer.singleShot(IDLE_MS, report_rss)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    window.show()
    app.exec()


def one_run(env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds to the first paint (wall and CPU) and the idle RSS in KiB of a fresh process."""
    # Here, not at the top: the child runs this file too, and must not pay for it.
    from common import child_process

    shown: float | None = None
    cpu = 0.0
    rss: int | None = None
    started = time.perf_counter()
    # A child that hangs is killed, which ends its output and so the reading below.
    with child_process(__file__, env, RUN_TIMEOUT_SECONDS) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(SHOWN_MARKER) and shown is None:
                shown = time.perf_counter() - started
                cpu = float(line.split()[1])
            elif line.startswith(RSS_PREFIX):
                rss = int(line.removeprefix(RSS_PREFIX))
        _out, errors = process.communicate()
    if process.returncode != 0 or shown is None or rss is None:
        last = (errors.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"bench_gui_start: the app did not start and idle cleanly: {last}")
    return shown, cpu, rss


def gui_environment(scratch: str, *, keep_home: bool = False) -> dict[str, str]:
    """A child's environment: the app's settings (and, unless `keep_home`, HOME) in
    `scratch`, so that the user's are left alone; offscreen where no display exists."""
    env = dict(os.environ, XDG_CONFIG_HOME=scratch)
    if not keep_home:
        env["HOME"] = scratch
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def measured_runs(description: str, default_runs: int, child: Callable[[], None]) -> int | None:
    """A benchmark script's command line: `--runs N` measured runs, the number; `--child`,
    the child's part of one run, done here (None)."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=default_runs, help=f"measured runs (default {default_runs})"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return None
    runs: int = args.runs
    return runs


def main() -> None:
    count = measured_runs(__doc__, 5, child)
    if count is None:
        return
    with tempfile.TemporaryDirectory(prefix="dvm-advisor-bench-") as scratch:
        env = gui_environment(scratch)
        platform = env.get("QT_QPA_PLATFORM") or "display"
        one_run(env)  # unrecorded: the first run also fills the disk cache
        runs = [one_run(env) for _ in range(count)]
    seconds = [run[0] for run in runs]
    median = statistics.median(seconds)
    cpu = statistics.median(run[1] for run in runs)
    rss_mib = statistics.median(run[2] for run in runs) / 1024
    met = "met" if median < TARGET_SECONDS else "MISSED"
    print(
        f"GUI start to first window shown: {median:.2f} s median of {len(runs)} "
        f"[{min(seconds):.2f}-{max(seconds):.2f}] (target < {TARGET_SECONDS:g} s: {met}), "
        f"{cpu:.2f} s of CPU; idle RSS {rss_mib:.0f} MiB "
        f"({platform}, load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
