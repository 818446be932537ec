"""The app's quick check as a user runs it: from the Run button to the result, in the app.

Each run starts a fresh interpreter that opens the app as `dvm-advisor` does (offscreen where
no display exists), goes to the probe page and, once the page has loaded the probe code (it
starts that when first shown, while its user reads it), clicks Run with "Quick check"
chosen: one run of each probe, the real ones. The time runs from the click to the report the
page receives. The app's settings go to a temporary folder, so the estimates of the user's
own runs are left alone; the guest kernel's cache is the user's, as a run of the app uses.

    .venv/bin/python bench/app_quick_check.py [--runs N]
"""

from __future__ import annotations

import statistics
import tempfile
import time

DONE_MARKER = "quick-check-done"
RUN_TIMEOUT_SECONDS = 300.0


def child() -> None:
    """In the child process: open the app, run the quick check from its page, print the time."""
    from PySide6.QtCore import QTimer

    import advisor.cli  # noqa: F401  (`dvm-advisor` loads it before the GUI)
    from advisor.probes.report import ProbeReport
    from advisor.ui.app import create_app
    from advisor.ui.main_window import PROBES_STEP
    from advisor.ui.probe_worker import preload_probe_code

    app, window = create_app()
    window.show()
    window.go_to(PROBES_STEP)
    page = window.probe_page
    clicked = [0.0]

    def finished(report: ProbeReport) -> None:
        seconds = time.perf_counter() - clicked[0]
        statuses = [
            f"{name}={probe.status}"
            for name, probe in (("container", report.container), ("vm", report.vm))
            if probe is not None
        ]
        print(f"{DONE_MARKER} {seconds:.3f} {report.wall_seconds:.3f} {' '.join(statuses)}")

    def ended(running: bool) -> None:
        if not running:  # the probes have cleaned up; exit() asks nothing of the window
            QTimer.singleShot(0, lambda: app.exit(0))

    def click() -> None:
        preload_probe_code().join()  # what the page started when it was shown
        page.quick.setChecked(True)
        clicked[0] = time.perf_counter()
        page.run_button.click()

    page.reportReady.connect(finished)
    page.runningChanged.connect(ended)
    QTimer.singleShot(0, click)
    app.exec()


def one_run(env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds from the click to the report, the report's own wall time, and the statuses."""
    from common import child_process

    # A child that hangs is asked to stop: the app then cancels the probes and cleans up.
    with child_process(__file__, env, RUN_TIMEOUT_SECONDS, polite=True) as process:
        output, errors = process.communicate()
    for line in output.splitlines():
        if line.startswith(DONE_MARKER):
            _marker, seconds, wall, *statuses = line.split()
            if process.returncode == 0:
                return float(seconds), float(wall), " ".join(statuses)
    last = (errors.strip().splitlines() or ["no output"])[-1]
    raise RuntimeError(f"the app's quick check did not complete: {last}")


def app_environment(scratch: str) -> dict[str, str]:
    """The environment of a child: settings in `scratch`; offscreen where no display exists.
    HOME stays the user's: the guest kernel is in the user's cache, as the app's run uses."""
    from bench_gui_start import gui_environment

    return gui_environment(scratch, keep_home=True)


def main() -> None:
    from bench_gui_start import measured_runs

    count = measured_runs(__doc__, 3, child)
    if count is None:
        return
    with tempfile.TemporaryDirectory(prefix="dvm-advisor-bench-") as scratch:
        runs = [one_run(app_environment(scratch)) for _ in range(count)]
    seconds = [run[0] for run in runs]
    print(
        f"The app's quick check, Run button to result: {statistics.median(seconds):.2f} s median "
        f"of {len(runs)} [{min(seconds):.2f}-{max(seconds):.2f}]; {runs[-1][2]}"
    )


if __name__ == "__main__":
    main()
