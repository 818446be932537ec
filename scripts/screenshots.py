"""Take a screenshot of each page of the desktop app; run under an X server by scripts/screenshots.

The app is driven as a person would use it: answers given, the real probes run from the
Run button (or results imported with --probe-report), the results read. Each picture is
grabbed from the X server into docs/screenshots/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from advisor.answers import Answers
from advisor.base.i18n import LANGUAGE_TAGS, parse_language
from advisor.questions import load_questions
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import PROBES_STEP, RESULTS_STEP, MainWindow
from advisor.ui.results_page import ReasonCard, ResultsPage
from advisor.ui.translation import apply_language

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "screenshots"
EXAMPLE = REPO / "examples" / "mixed-team-dev-environment.json"
# Two real probe reports of one machine, taken as root and as an ordinary user.
FLEET_REPORTS = sorted((REPO / "docs" / "fleet").glob("*.json"))
# The example project's name as a team writing in that language would call it.
PROJECT_NAMES = {"zh_CN": "订单处理平台"}
WINDOW_SIZE = (1280, 820)
PROBES_TIMEOUT_SECONDS = 300.0

ANSWERS = load_questions().answers_model(
    schema_version=load_questions().version,
    project_name="Order processing platform",
    host_os="linux",
    app_oses=("linux", "windows"),
    security="elevated",
    app_count=12,
    dependency_conflicts=True,
    fast_startup_matters=True,
    replicate_across_machines=True,
)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    """Let the window lay out and paint."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_until(app: QApplication, condition: Callable[[], bool], what: str) -> None:
    """Process events until `condition` holds, or give up saying what did not happen."""
    end = time.monotonic() + PROBES_TIMEOUT_SECONDS
    while not condition():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: gave up waiting for {what}")
        app.processEvents()
        time.sleep(0.02)


def shoot(app: QApplication, window: QWidget, name: str) -> None:
    """Grab a window (the main one or a dialog) from the X server into OUTPUT/name.png."""
    settle(app)
    path = OUTPUT / f"{name}.png"
    picture = window.screen().grabWindow(window.winId())
    if picture.isNull() or not picture.save(str(path)):
        raise SystemExit(f"screenshots: could not save {path}")
    print(f"screenshots: {path}")


def scroll_to(results: ResultsPage, y: int) -> None:
    """Scroll the results so that the body's line `y` is at the top."""
    results.scroll_area.verticalScrollBar().setValue(y)


def give_answers(window: MainWindow, answers: Answers) -> None:
    """Answer every question through the form's inputs, visiting each step."""
    for question in window.document.questions.questions:
        field = question.id
        window.go_to(field)
        value = answers.value(field)
        window.question_page(field).input.set_value(value)
        window.document.set_value(field, value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--probe-report",
        type=Path,
        help="import these probe results instead of running the real probes",
    )
    parser.add_argument(
        "--fleet-reports",
        type=Path,
        nargs="+",
        default=FLEET_REPORTS,
        help="the probe reports the comparison shows (default: docs/fleet/*.json)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGE_TAGS.values(),
        default="en",
        help="the app's language; other than English, into docs/screenshots/<language>/",
    )
    parser.add_argument(
        "--only-fleet",
        action="store_true",
        help="take only the comparison and the history (no probes run)",
    )
    parser.add_argument(
        "--size",
        default=f"{WINDOW_SIZE[0]}x{WINDOW_SIZE[1]}",
        help="the window's size, WIDTHxHEIGHT (1366x768, 1024x768: the small screens checked)",
    )
    parser.add_argument(
        "--output", type=Path, default=None, help="the folder the pictures go to (docs/screenshots)"
    )
    args = parser.parse_args()
    global OUTPUT, ANSWERS
    if args.output is not None:
        OUTPUT = args.output.resolve()
    width, height = (int(number) for number in args.size.lower().split("x"))
    language = parse_language(args.lang)
    if language != "en":
        OUTPUT = OUTPUT / language
        ANSWERS = ANSWERS.model_copy(update={"project_name": PROJECT_NAMES[language]})
    OUTPUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("dvm-advisor")
    apply_language(language)
    with tempfile.TemporaryDirectory() as scratch:
        settings = AppSettings(Path(scratch) / "settings.json")
        window = MainWindow(settings=settings)
        window.resize(width, height)
        window.move(0, 0)
        window.show()
        settle(app, 1.0)
        if args.only_fleet:
            fleet_and_history(app, window, Path(scratch), args.fleet_reports)
            window.close()
            return 0
        shoot(app, window, "01-welcome")

        window.go_to("host_os")
        shoot(app, window, "02-question")

        give_answers(window, ANSWERS)
        window.go_to("app_oses")
        shoot(app, window, "03-question-with-advice")

        window.go_to(PROBES_STEP)
        page = window.probe_page
        if args.probe_report is not None:
            if not window.import_probe_results(args.probe_report):
                raise SystemExit(f"screenshots: {window.notice.text}")
        else:
            page.run_button.click()
            wait_until(
                app, lambda: page.rows["vm"].bar.value() > 0, "the VM probe to start booting"
            )
            shoot(app, window, "04-probes-running")
            wait_until(app, lambda: not page.running, "the probes to finish")
        window.notice.hide()
        shoot(app, window, "05-probes-done")

        window.go_to(RESULTS_STEP)
        shoot(app, window, "06-results")

        results = window.results_page
        card = results.findChildren(ReasonCard)[0]
        card.quote_button.click()
        settle(app)
        scroll_to(results, card.y() - 80)
        shoot(app, window, "07-results-reasons")

        table = results.claims_table
        if table is None:
            raise SystemExit("screenshots: the results hold no claim checks")
        scroll_to(results, table.y() - 60)
        shoot(app, window, "08-results-claims")

        # What `dvm-advisor gui FILE` shows for an answers file written by hand or by a tool.
        window.document.reset()
        if not window.open_file(EXAMPLE):
            raise SystemExit(f"screenshots: {window.notice.text}")
        window.go_to("app_oses")
        shoot(app, window, "09-opened-answers-file")

        fleet_and_history(app, window, Path(scratch), args.fleet_reports)
        window.close()
    return 0


def fleet_and_history(
    app: QApplication, window: MainWindow, scratch: Path, reports: list[Path]
) -> None:
    """The comparison of several hosts, and an assessment saved three times with its history."""
    window.document.reset()
    give_answers(window, ANSWERS)
    path = scratch / "order-processing.json"
    # Linux only at first; then stricter security; then Windows too, grounded by a probe run.
    changes: tuple[dict[str, object], ...] = (
        {"app_oses": ("linux",), "security": "standard"},
        {"security": "strict", "compliance": "pci_dss"},
        {"app_oses": ("linux", "windows")},
    )
    for number, change in enumerate(changes):
        for field, value in change.items():
            window.question_page(field).input.set_value(value)
            window.document.set_value(field, value)
        grounded = number == len(changes) - 1 and reports
        if grounded and not window.import_probe_results(reports[0]):
            raise SystemExit(f"screenshots: {window.notice.text}")
        if not window.save_as(path):
            raise SystemExit(f"screenshots: {window.notice.text}")
    history = window.show_history()
    history.resize(1180, 760)
    history.move(20, 20)
    history.compare(0, 2)
    shoot(app, history, "11-history")
    history.close()

    compare = window.compare_hosts(reports)
    if compare.comparison is None:
        raise SystemExit(f"screenshots: {compare.error.text()}")
    compare.resize(1240, 900)
    compare.move(20, 20)
    compare.table.scrollToTop()
    shoot(app, compare, "10-compare-hosts")
    compare.close()


if __name__ == "__main__":
    sys.exit(main())
