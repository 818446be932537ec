"""Assessment files: a round trip keeps everything, a failed save keeps the old file, and bad
files or paths are refused in one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from advisor.assessment import load_assessment, make_assessment, save_assessment
from advisor.base.errors import InputError
from advisor.probes.report import ProbeReport
from tests.answers_data import answers_model, make_answers
from tests.probe_reports import make_report, offline_host_facts

Answers = answers_model()
ANSWERS = make_answers(
    project_name="Billing",
    host_os="linux",
    app_oses=("linux", "windows"),
    security="elevated",
    app_count=4,
    dependency_conflicts=True,
)


@pytest.fixture(scope="module")
def probe_report() -> ProbeReport:
    """A report with real host facts (no daemon reached) and measured results."""
    return make_report(offline_host_facts())


@pytest.mark.parametrize("with_probe", [False, True])
def test_an_assessment_reads_back_equal(
    tmp_path: Path, probe_report: ProbeReport, with_probe: bool
) -> None:
    assessment = make_assessment(ANSWERS, probe_report if with_probe else None)
    path = tmp_path / "billing.json"
    save_assessment(assessment, path)
    assert load_assessment(path) == assessment
    assert [entry.name for entry in tmp_path.iterdir()] == ["billing.json"]


def test_the_answers_inside_are_an_answers_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    save_assessment(make_assessment(ANSWERS, None), path)
    inner = json.loads(path.read_text(encoding="utf-8"))["answers"]
    assert Answers.model_validate_json(json.dumps(inner)) == ANSWERS


def test_a_failed_save_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    save_assessment(make_assessment(ANSWERS, None), path)
    before = path.read_bytes()

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    changed = ANSWERS.model_copy(update={"app_count": 9})
    expected = r"a\.json: cannot write the assessment there \(no space left on device\)"
    with pytest.raises(InputError, match=expected):
        save_assessment(make_assessment(changed, None), path)
    assert path.read_bytes() == before
    assert [entry.name for entry in tmp_path.iterdir()] == ["a.json"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing/a.json", r"missing/a\.json: the folder .*missing does not exist$"),
        (".", r"is a directory, expected a file name for the assessment$"),
    ],
)
def test_an_unwritable_path_is_one_line(tmp_path: Path, name: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected) as caught:
        save_assessment(make_assessment(ANSWERS, None), tmp_path / name)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", r"not valid JSON"),
        ('{"schema_version": 3, "answers": {}}', r"field 'schema_version': expected one of 1, 2"),
        ('{"schema_version": 1}', r"field 'answers' is missing; it is required"),
        (
            '{"schema_version": 1, "answers": {"schema_version": 1, "host_os": "linux", '
            '"app_oses": ["linux"], "security": "standard", "app_count": 0, '
            '"dependency_conflicts": false}}',
            r"field 'answers\.app_count': expected a number of at least 1, got 0",
        ),
        (
            '{"schema_version": 1, "answers": ' + ANSWERS.model_dump_json() + ', "extra": 1}',
            r"unknown field 'extra' \(expected one of: schema_version, answers, probe, history\)",
        ),
    ],
)
def test_a_bad_file_is_one_line_naming_the_problem(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected) as caught:
        load_assessment(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_an_assessment_of_version_1_answers_opens_migrated(tmp_path: Path) -> None:
    old = (Path(__file__).parent / "data" / "v1" / "payment-service-strict.json").read_text()
    path = tmp_path / "old.json"
    path.write_text(f'{{"schema_version": 1, "answers": {old}, "probe": null}}', encoding="utf-8")
    answers = load_assessment(path).answers
    assert answers.schema_version == 2 and answers.security == "strict"
    assert "untrusted_code" in answers.not_asked
