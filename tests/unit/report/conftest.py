"""Shared by the report tests: real answers, a real probe run, documents built from them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from advisor import engine
from advisor.answers import Answers, load_answers
from advisor.probe_results import ProbeReport, load_probe_report
from advisor.recommendation import Recommendation
from advisor.report import ReportDocument, build_report
from advisor.rulebook import Rulebook, load_rulebook

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples"
# Written by `dvm-advisor probe --json` on a Debian workstation where KVM is not usable.
PROBE_REPORT = REPO / "tests" / "unit" / "data" / "probe-report.json"
GENERATED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# Markup and fpdf2's page-count alias: a report must show all of it as typed.
HOSTILE_NAME = "<b>x</b><img src=x> {nb} **bold** --dash"


@pytest.fixture(scope="session", autouse=True)
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of the tests' own, so the user's cache is left alone."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return load_rulebook()


@pytest.fixture(scope="session")
def probe_report() -> ProbeReport:
    return load_probe_report(PROBE_REPORT)


@pytest.fixture(scope="session")
def answers() -> Answers:
    return load_answers(EXAMPLES / "linux-microservices-postgres.json")


def advise(answers: Answers, rulebook: Rulebook, probe: ProbeReport | None) -> Recommendation:
    """The engine's advice, grounded by `probe` when given."""
    return engine.advise(answers, probe, rulebook=rulebook)


def report_for(
    answers: Answers, rulebook: Rulebook, probe: ProbeReport | None = None
) -> ReportDocument:
    """The report document for `answers`, as the command line builds it."""
    recommendation = advise(answers, rulebook, probe)
    return build_report(
        answers, recommendation, probe, rulebook=rulebook, generated_at=GENERATED_AT
    )


@pytest.fixture(scope="session")
def probed_document(
    answers: Answers, rulebook: Rulebook, probe_report: ProbeReport
) -> ReportDocument:
    return report_for(answers, rulebook, probe_report)
