"""`dvm-advisor report` and the headless job, with the probe run replaced by a recorded one.

tests/integration/test_report_cli.py runs both with real probes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from advisor import report_command
from advisor.cli import main
from advisor.probes import suite
from advisor.probes.report import ProbeReport
from advisor.report import ReportDocument
from advisor.report_command import HEADLESS_EXAMPLE
from tests.unit.report.conftest import EXAMPLES, PROBE_REPORT

ANSWERS = str(EXAMPLES / "linux-microservices-postgres.json")

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def recorded_probes(monkeypatch: pytest.MonkeyPatch, probe_report: ProbeReport) -> list[Any]:
    """`run_probes` answering with the recorded run; the list collects each call's settings."""
    calls: list[Any] = []

    def run(settings: Any, progress: Any, cancel: Any) -> ProbeReport:
        calls.append(settings)
        return probe_report

    monkeypatch.setattr(suite, "run_probes", run)
    return calls


@pytest.fixture
def no_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any) -> ProbeReport:
        raise AssertionError("no probe may run when the output cannot be written")

    monkeypatch.setattr(suite, "run_probes", refuse)


def one_line_error(capsys: Capture) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_report_with_a_probe_file_writes_pdf_and_json(tmp_path: Path, capsys: Capture) -> None:
    pdf, document_json = tmp_path / "report.pdf", tmp_path / "report.json"
    command = ["report", "--answers", ANSWERS, "--probe", str(PROBE_REPORT)]
    assert main([*command, "--pdf", str(pdf), "--json", str(document_json)]) == 0
    out = capsys.readouterr().out
    assert f"PDF report written to {pdf}" in out and f"JSON written to {document_json}" in out
    assert pdf.read_bytes().startswith(b"%PDF-")
    document = ReportDocument.model_validate_json(document_json.read_text())
    recorded = json.loads(PROBE_REPORT.read_text())
    assert document.probe is not None and document.probe.hostname == recorded["hostname"]
    assert document.verdict == "container"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json", "report.pdf"]


def test_report_runs_the_probes_when_asked(
    tmp_path: Path, recorded_probes: list[Any], capsys: Capture
) -> None:
    pdf, document_json = tmp_path / "report.pdf", tmp_path / "report.json"
    command = ["report", "--answers", ANSWERS, "--run-probes"]
    assert main([*command, "--pdf", str(pdf), "--json", str(document_json)]) == 0
    assert len(recorded_probes) == 1
    assert ReportDocument.model_validate_json(document_json.read_text()).startup
    assert pdf.is_file()


def test_missing_answers_is_one_line_and_exit_2(tmp_path: Path, capsys: Capture) -> None:
    pdf = tmp_path / "report.pdf"
    assert main(["report", "--answers", str(tmp_path / "none.json"), "--pdf", str(pdf)]) == 2
    assert "none.json: no such file" in one_line_error(capsys)
    assert not pdf.exists()


def test_a_bad_probe_file_is_one_line_and_exit_2(tmp_path: Path, capsys: Capture) -> None:
    probe = tmp_path / "probe.json"
    probe.write_text('{"schema_version": 1}')
    pdf = tmp_path / "report.pdf"
    command = ["report", "--answers", ANSWERS, "--probe", str(probe), "--pdf", str(pdf)]
    assert main(command) == 2
    assert "probe.json: field" in one_line_error(capsys)
    assert not pdf.exists()


@pytest.mark.parametrize("option", ["--pdf", "--json"])
def test_an_unwritable_output_stops_before_any_probe(
    tmp_path: Path, capsys: Capture, no_probes: None, option: str
) -> None:
    outputs = {"--pdf": tmp_path / "report.pdf", "--json": tmp_path / "report.json"}
    outputs[option] = tmp_path / "no-folder" / "out"
    command = ["report", "--answers", ANSWERS, "--run-probes"]
    for name, path in outputs.items():
        command += [name, str(path)]
    assert main(command) == 2
    assert "no-folder" in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_probe_file_and_probe_run_exclude_each_other(tmp_path: Path, capsys: Capture) -> None:
    command = ["report", "--answers", ANSWERS, "--probe", str(PROBE_REPORT), "--run-probes"]
    assert main([*command, "--pdf", str(tmp_path / "r.pdf")]) == 2
    assert "not allowed with" in one_line_error(capsys)


def test_the_headless_job_reports_on_the_bundled_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded_probes: list[Any], capsys: Capture
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert main(["headless"]) == 0
    folder = tmp_path / ".local" / "share" / "dvm-advisor" / "reports"
    out = capsys.readouterr().out
    assert f"PDF report written to {folder / 'example-report.pdf'}" in out
    assert (folder / "example-report.pdf").read_bytes().startswith(b"%PDF-")
    document = ReportDocument.model_validate_json((folder / "example-report.json").read_text())
    assert document.project_name == "Shop backend: ten Linux microservices"
    assert len(recorded_probes) == 1


def test_the_headless_job_prefers_the_documents_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Documents").mkdir()
    assert report_command.report_folder() == tmp_path / "Documents" / "dvm-advisor"


def test_the_bundled_example_is_the_published_one() -> None:
    bundled = Path(report_command.__file__).parent / HEADLESS_EXAMPLE
    assert json.loads(bundled.read_text()) == json.loads(Path(ANSWERS).read_text())
