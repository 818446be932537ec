"""PDF export of a full report, through bench/bench_report.py: fresh process and in-process.

The report is the bundled example grounded by the recorded probe run. A fresh process pays
for its imports, as one `dvm-advisor report` does; in one process, after a first export, is
what the app pays when the user exports. The font cache is a temporary folder, made by an
unrecorded first export, so the user's cache is left alone and the figures do not include
making the CJK font subset (done once per machine).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import Row, Section, interleave, spread, verdict

from advisor.probes.models import Stats

TARGET_SECONDS = 2.0


def report_module_missing() -> bool:
    """Whether the report code the export needs is not there (yet)."""
    return any(
        importlib.util.find_spec(name) is None for name in ("advisor.report", "advisor.report.pdf")
    )


def _wall(measured: float | tuple[float, ...]) -> float:
    # bench_report's functions give the wall time, alone or first beside the CPU time.
    return measured[0] if isinstance(measured, tuple) else measured


@contextmanager
def _cache_home(folder: Path) -> Iterator[None]:
    """XDG_CACHE_HOME set to `folder` in this process for the block, then restored."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = previous


def run(pairs: int) -> Section:
    """A fresh-process export and an in-process export in turn, `pairs` times."""
    if report_module_missing():
        return Section(
            rows=(
                Row(
                    what="PDF export of a full report",
                    measured="not measured: report module missing",
                    target=f"≤ {TARGET_SECONDS:g} s",
                    verdict="not measured",
                ),
            )
        )
    import bench_report

    with tempfile.TemporaryDirectory(prefix="dvm-advisor-bench-") as folder:
        pdf, cache = Path(folder) / "report.pdf", Path(folder) / "cache"
        with _cache_home(cache):
            a, b = interleave(
                lambda: _wall(bench_report.cold_seconds(pdf, cache)),
                lambda: _wall(bench_report.export_once(pdf)),
                pairs,
            )
            pages = pdf.read_bytes().count(b"/Type /Page\n")
    fresh, warm = Stats.of(a), Stats.of(b)
    rows = (
        Row(
            what=f"PDF export of a full report ({pages} pages), fresh process, imports included",
            measured=spread(fresh),
            target=f"≤ {TARGET_SECONDS:g} s",
            verdict=verdict(fresh.median <= TARGET_SECONDS),
        ),
        Row(
            what="PDF export of a full report, again in the same process (as the app exports)",
            measured=spread(warm),
            target=f"≤ {TARGET_SECONDS:g} s",
            verdict=verdict(warm.median <= TARGET_SECONDS),
        ),
    )
    note = (
        "**PDF export.** bench/bench_report.py builds the report of the bundled example "
        "grounded by the recorded probe run and writes the PDF: in a fresh interpreter "
        "(imports included, as one `dvm-advisor report` pays) and again in this process (as "
        "the app pays after its first export), in turn. The first, unrecorded pair makes "
        "the CJK font subset in a temporary cache, which a machine does once."
    )
    return Section(rows=rows, notes=(note,))
