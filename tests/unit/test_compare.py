"""`dvm-advisor compare`: hosts side by side, disagreements marked, the advice per host, and
bad sets of reports refused in one line each."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor.cli import main
from advisor.engine import advise
from advisor.facts import facts_from_probe_report
from advisor.grounding import check_claims
from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport
from advisor.report.comparison import ComparisonDocument, build_comparison
from advisor.wording import CHECK_VERDICT_LABELS, OPTION_NAMES
from tests.answers_data import make_answers
from tests.probe_reports import make_report, offline_host_facts, on_host

ANSWERS = make_answers(project_name="Fleet", untrusted_code=True, app_count=3)


def with_engine(report: ProbeReport, *, rootless: bool) -> ProbeReport:
    """`report` as if its Docker engine had answered, rootless or not."""
    docker = report.host.docker.model_copy(update={"answers": True, "rootless": rootless})
    return report.model_copy(update={"host": report.host.model_copy(update={"docker": docker})})


@pytest.fixture(scope="module")
def report() -> ProbeReport:
    return with_engine(make_report(offline_host_facts()), rootless=False)


def rootless(report: ProbeReport, hostname: str) -> ProbeReport:
    """`report` as if taken on another host whose Docker engine is rootless."""
    return with_engine(on_host(report, hostname), rootless=True)


def write(path: Path, report: ProbeReport) -> Path:
    path.write_text(report.model_dump_json(), encoding="utf-8")
    return path


def row(document: ComparisonDocument, section: str, label: str) -> tuple[tuple[str, ...], bool]:
    found = next(s for s in document.sections if s.title == section)
    entry = next(r for r in found.rows if r.label == label)
    return entry.values, entry.differs


def test_a_fact_hosts_disagree_on_is_marked_and_the_rest_is_not(report: ProbeReport) -> None:
    other = rootless(report, "ci-runner")
    document = build_comparison(
        [("a.json", report), ("b.json", other)], None, generated_at=datetime.now(UTC)
    )
    assert [host.label for host in document.hosts] == [report.hostname, "ci-runner"]
    values, differs = row(document, "Host", "Docker engine")
    assert differs and len(set(values)) == 2
    marked = [r.label for s in document.sections for r in s.rows if r.differs]
    assert marked == ["Docker engine"]
    assert "1 row" in document.summary
    assert document.advice == ()


def test_figures_are_shown_per_host_but_never_marked(report: ProbeReport) -> None:
    assert report.container is not None and report.container.start_seconds is not None
    slower = report.container.model_copy(
        update={"start_seconds": report.container.start_seconds.model_copy(update={"median": 9.0})}
    )
    other = on_host(report, "slow").model_copy(update={"container": slower})
    document = build_comparison(
        [("a.json", report), ("b.json", other)], None, generated_at=datetime.now(UTC)
    )
    values, differs = row(document, "Sample container", "Start (create to first output)")
    assert values[0] != values[1] and not differs


def test_each_claims_verdict_per_host_is_the_claim_check_of_its_report(
    report: ProbeReport,
) -> None:
    other = make_report(
        offline_host_facts().model_copy(update={"hostname": "bare"}),
        vm=report.vm.model_copy(update={"boot_seconds": None, "status": ProbeStatus.FAILED})
        if report.vm
        else None,
    )
    document = build_comparison(
        [("a.json", report), ("b.json", other)], None, generated_at=datetime.now(UTC)
    )
    claims = next(s for s in document.sections if s.title == "The article's claims")
    for column, probed in enumerate((report, other)):
        checks = check_claims(facts_from_probe_report(probed))
        assert len(claims.rows) == len(checks)
        for entry, check in zip(claims.rows, checks, strict=True):
            assert entry.values[column].startswith(CHECK_VERDICT_LABELS[check.verdict])


def test_with_answers_each_host_gets_the_advice_its_report_grounds(report: ProbeReport) -> None:
    other = rootless(report, "laptop")
    document = build_comparison(
        [("a.json", report), ("b.json", other)], ANSWERS, generated_at=datetime.now(UTC)
    )
    assert document.project_label == "Fleet"
    for entry, probed in zip(document.advice, (report, other), strict=True):
        assert entry.verdict_label == OPTION_NAMES[advise(ANSWERS, probed).verdict].title


def test_two_accounts_on_one_machine_are_two_columns(report: ProbeReport) -> None:
    first = report.model_copy(update={"host": report.host.model_copy(update={"user": "root"})})
    second = report.model_copy(update={"host": report.host.model_copy(update={"user": "dev"})})
    document = build_comparison(
        [("a.json", first), ("b.json", second)], None, generated_at=datetime.now(UTC)
    )
    assert [host.label for host in document.hosts] == [
        f"root@{report.hostname}",
        f"dev@{report.hostname}",
    ]


def test_the_command_prints_the_table_and_writes_pdf_and_json(
    tmp_path: Path, report: ProbeReport, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path / "a.json", report)
    second = write(tmp_path / "b.json", rootless(report, "ci-runner"))
    answers = tmp_path / "answers.json"
    answers.write_text(ANSWERS.model_dump_json(), encoding="utf-8")
    pdf, out = tmp_path / "fleet.pdf", tmp_path / "fleet.json"
    command = ["compare", str(first), str(second), "--answers", str(answers)]
    status = main([*command, "--pdf", str(pdf), "--json", str(out)])
    printed = capsys.readouterr().out
    assert status == 0
    assert "≠ Docker engine" in printed and "ci-runner" in printed
    document = ComparisonDocument.model_validate_json(out.read_text(encoding="utf-8"))
    assert len(document.advice) == 2
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "ci-runner" in text and report.hostname in text and "≠" in text


def version_2(report: ProbeReport, path: Path) -> Path:
    data = json.loads(report.model_dump_json())
    data["schema_version"] = 2
    data["host"]["hostname"] = "newer"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("same host", r"are both reports of .*; expected one report per host"),
        ("versions", r"format version 1 and .* of version 2; expected reports of one format"),
        ("answers", r"is the answers file, not a probe report; expected probe reports"),
        ("not json", r"is not a probe report; expected probe reports"),
        ("one", r"only one probe report given .*; expected at least two"),
    ],
)
def test_a_bad_set_of_reports_is_one_line_and_exit_2(
    tmp_path: Path,
    report: ProbeReport,
    capsys: pytest.CaptureFixture[str],
    case: str,
    expected: str,
) -> None:
    first = write(tmp_path / "a.json", report)
    second = {
        "same host": lambda: write(tmp_path / "b.json", report),
        "versions": lambda: version_2(report, tmp_path / "b.json"),
        "answers": lambda: _answers_file(tmp_path / "b.json"),
        "not json": lambda: _text_file(tmp_path / "b.json"),
        "one": lambda: None,
    }[case]()
    files = [str(first)] + ([str(second)] if second else [])
    pdf = tmp_path / "fleet.pdf"
    assert main(["compare", *files, "--pdf", str(pdf)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert re.search(expected, captured.err)
    assert not pdf.exists()


def _answers_file(path: Path) -> Path:
    path.write_text(ANSWERS.model_dump_json(), encoding="utf-8")
    return path


def _text_file(path: Path) -> Path:
    path.write_text("hosts: many\n", encoding="utf-8")
    return path
