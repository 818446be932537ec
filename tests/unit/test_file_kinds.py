"""Telling the files the command line writes apart by their content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.assessment import make_assessment, save_assessment
from advisor.file_kinds import THREE_KINDS, FileKindError, open_any
from advisor.questions import load_questions

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "windows-line-of-business.json"
PROBE_REPORT = REPO / "tests" / "unit" / "data" / "probe-report.json"
QUESTIONS = load_questions()


def test_each_kind_is_read_by_its_own_model(tmp_path: Path) -> None:
    answers = open_any(EXAMPLE, QUESTIONS)
    assert answers.kind == "answers" and answers.answers is not None
    probe = open_any(PROBE_REPORT, QUESTIONS)
    assert probe.kind == "probe" and probe.probe is not None
    path = tmp_path / "saved.json"
    save_assessment(make_assessment(answers.answers, probe.probe), path)
    assessment = open_any(path, QUESTIONS)
    assert assessment.kind == "assessment" and assessment.assessment is not None
    assert assessment.assessment.answers == answers.answers


@pytest.mark.parametrize("content", ['{"colour": "blue"}', "[]", "42", "not json", ""])
def test_anything_else_is_one_sentence_naming_the_three_kinds(tmp_path: Path, content: str) -> None:
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileKindError) as caught:
        open_any(path, QUESTIONS)
    assert caught.value.unknown and caught.value.kind is None
    assert (
        str(caught.value) == f"other.json is not a file dvm-advisor writes: expected {THREE_KINDS}."
    )


def test_a_faulty_file_of_one_kind_names_its_kind_and_field(tmp_path: Path) -> None:
    document = json.loads(PROBE_REPORT.read_text(encoding="utf-8"))
    document["wall_seconds"] = -1
    path = tmp_path / "probe.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(FileKindError) as caught:
        open_any(path, QUESTIONS)
    assert caught.value.kind == "probe" and not caught.value.unknown
    assert "wall_seconds" in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_file_is_said_as_such(tmp_path: Path) -> None:
    with pytest.raises(FileKindError, match="no such file") as caught:
        open_any(tmp_path / "gone.json", QUESTIONS)
    assert caught.value.kind is None and not caught.value.unknown
