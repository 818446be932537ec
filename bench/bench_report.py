"""How long exporting the recommendation PDF takes; the target is under 2 s.

Builds the report for the bundled example grounded by the recorded probe run in
tests/unit/data and writes the PDF: in a fresh process (what one `dvm-advisor report` pays,
imports included), the very first time (when the CJK font subset is made and cached) and
after, and as the median of several runs in one process (what the app pays). The font cache
is a temporary folder, so the user's is left alone.

    .venv/bin/python bench/bench_report.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANSWERS = REPO / "examples" / "linux-microservices-postgres.json"
PROBE_REPORT = REPO / "tests" / "unit" / "data" / "probe-report.json"
TARGET_SECONDS = 2.0


def export_once(pdf: Path) -> tuple[float, float]:
    """Wall and CPU seconds to build and write the report, imports included on a first call."""
    began, began_cpu = time.perf_counter(), time.process_time()
    from advisor.answers import load_answers
    from advisor.engine import recommend
    from advisor.facts import facts_from_probe_report
    from advisor.probes.report import load_probe_report
    from advisor.report import build_report
    from advisor.report.pdf import write_report_pdf
    from advisor.rulebook import load_rulebook

    answers = load_answers(ANSWERS)
    probe = load_probe_report(PROBE_REPORT)
    rulebook = load_rulebook()
    recommendation = recommend(answers, rulebook, facts_from_probe_report(probe))
    document = build_report(
        answers, recommendation, probe, rulebook=rulebook, generated_at=datetime.now(UTC)
    )
    write_report_pdf(document, pdf)
    return time.perf_counter() - began, time.process_time() - began_cpu


def cold_seconds(pdf: Path, cache: Path) -> tuple[float, float]:
    """`export_once` in a fresh interpreter whose font cache is `cache`."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        "from bench_report import export_once; print(*export_once(Path(sys.argv[2])))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    wall, cpu = result.stdout.split()
    return float(wall), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs to take the median of")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdf, cache = Path(folder) / "report.pdf", Path(folder) / "cache"
        first = cold_seconds(pdf, cache)  # makes the font cache
        cold = cold_seconds(pdf, cache)
        os.environ["XDG_CACHE_HOME"] = str(cache)
        export_once(pdf)  # warm this process's imports
        warm = [export_once(pdf) for _ in range(args.runs)]
        pages = pdf.read_bytes().count(b"/Type /Page\n")
    median = statistics.median(wall for wall, _ in warm)
    median_cpu = statistics.median(cpu for _, cpu in warm)
    verdict = "ok" if max(cold[0], median) < TARGET_SECONDS else "SLOWER THAN TARGET"
    load = os.getloadavg()[0]
    print(
        f"report export ({pages} pages): median {median:.2f} s ({median_cpu:.2f} s CPU) over "
        f"{args.runs} runs in one process; {cold[0]:.2f} s ({cold[1]:.2f} s CPU) in a fresh "
        f"process, imports included; {first[0]:.2f} s the very first time, making the font "
        f"cache; load {load:.1f} on {os.cpu_count()} CPUs; target < {TARGET_SECONDS:.0f} s: "
        f"{verdict}"
    )


if __name__ == "__main__":
    main()
