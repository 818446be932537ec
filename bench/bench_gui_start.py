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
import subprocess
import sys
import tempfile
import threading
import time

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
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    # A child that hangs is killed, which ends its output and so the reading below.
    watchdog = threading.Timer(RUN_TIMEOUT_SECONDS, process.kill)
    watchdog.start()
    shown: float | None = None
    cpu = 0.0
    rss: int | None = None
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(SHOWN_MARKER) and shown is None:
                shown = time.perf_counter() - started
                cpu = float(line.split()[1])
            elif line.startswith(RSS_PREFIX):
                rss = int(line.removeprefix(RSS_PREFIX))
        _out, errors = process.communicate()
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0 or shown is None or rss is None:
        last = (errors.strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"bench_gui_start: the app did not start and idle cleanly: {last}")
    return shown, cpu, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs (default 5)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    with tempfile.TemporaryDirectory(prefix="dvm-advisor-bench-") as scratch:
        env = dict(os.environ, XDG_CONFIG_HOME=scratch, HOME=scratch)
        if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
            env["QT_QPA_PLATFORM"] = "offscreen"
        platform = env.get("QT_QPA_PLATFORM") or "display"
        one_run(env)  # unrecorded: the first run also fills the disk cache
        runs = [one_run(env) for _ in range(args.runs)]
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
