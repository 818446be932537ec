"""The answers file format: strict validation, one-line errors, the question table."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from advisor.answers import load_answers
from advisor.base.errors import MAX_INPUT_BYTES, InputError
from tests.answers_data import answers_model

Answers = answers_model()

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

VALID: dict[str, Any] = {
    "schema_version": 2,
    "project_name": "Billing",
    "host_os": "linux",
    "app_oses": ["linux"],
    "security": "standard",
    "app_count": 3,
    "dependency_conflicts": False,
}


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def with_(**changes: object) -> dict[str, Any]:
    document = dict(VALID)
    document.update(changes)
    return document


def test_valid_file_loads_with_defaults_for_optional_questions(tmp_path: Path) -> None:
    answers = load_answers(write(tmp_path, VALID))
    assert answers.app_oses == ("linux",)
    assert answers.app_count == 3
    assert answers.fast_startup_matters is False
    assert answers.own_kernel is None  # not answered: a state of its own


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda path: path.stem)
def test_every_example_loads(path: Path) -> None:
    answers = load_answers(path)
    assert answers.schema_version == 2 and answers.not_asked == ()


V1_FIXTURES = Path(__file__).resolve().parent / "data" / "v1"


@pytest.mark.parametrize("path", sorted(V1_FIXTURES.glob("*.json")), ids=lambda path: path.stem)
def test_a_version_1_file_is_migrated_and_says_what_it_never_asked(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    answers = load_answers(path)
    assert answers.schema_version == 2
    assert answers.own_kernel is document["needs_own_kernel"]
    for field in ("host_os", "security", "app_count", "dependency_conflicts"):
        assert answers.value(field) == document[field]
    assert "untrusted_code" in answers.not_asked and "host_kernel_module" in answers.not_asked
    assert not {"host_os", "own_kernel", "project_name"} & set(answers.not_asked)
    assert all(answers.value(question) is None for question in answers.not_asked)


def test_a_version_2_file_with_a_version_1_field_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_answers(write(tmp_path, with_(needs_own_kernel=True)))
    assert "\n" not in str(caught.value) and "'needs_own_kernel'" in str(caught.value)


def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(with_(app_count=7)).encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    assert load_answers("-").app_count == 7


def test_round_trip_through_json_is_lossless(tmp_path: Path) -> None:
    answers = load_answers(write(tmp_path, with_(app_oses=["linux", "windows"])))
    path = tmp_path / "again.json"
    path.write_text(answers.model_dump_json(), encoding="utf-8")
    assert load_answers(path) == answers


BAD_DOCUMENTS = [
    pytest.param(with_(app_count="10"), "app_count", "a whole number", id="count-as-string"),
    pytest.param(with_(app_count=2.0), "app_count", "a whole number", id="count-as-float"),
    pytest.param(with_(app_count=True), "app_count", "a whole number", id="count-as-bool"),
    pytest.param(with_(app_count=0), "app_count", "a number of at least 1", id="count-zero"),
    pytest.param(with_(app_count=10_001), "app_count", "a number of at most 10000", id="count"),
    pytest.param(with_(security="ultra"), "security", "'standard', 'elevated', 'strict'",
                 id="unknown-security"),
    pytest.param(with_(host_os="bsd"), "host_os", "'linux', 'windows', 'macos'", id="host"),
    pytest.param(with_(app_oses=["linux", "beos"]), "app_oses[1]", "'other'", id="app-os"),
    pytest.param(
        with_(app_oses=[]), "app_oses", "choose at least one (Linux, Windows", id="no-app-os"
    ),
    pytest.param(with_(app_oses="linux"), "app_oses", "a list in square", id="app-os-not-a-list"),
    pytest.param(with_(app_oses=["linux", "linux"]), "app_oses", "at most once", id="dup-os"),
    pytest.param(with_(hardware=["gpu", "none"]), "hardware",
                 "“None” stands alone: expected it without GPU", id="none-with-hardware"),
    pytest.param(with_(dependency_conflicts="yes"), "dependency_conflicts", "true or false",
                 id="bool-as-string"),
    pytest.param(with_(schema_version=3), "schema_version", "2", id="future-version"),
    pytest.param(with_(project_name="x" * 121), "project_name", "at most 120", id="long-name"),
    pytest.param(with_(project_name="a\nb"), "project_name", "control characters",
                 id="name-with-newline"),
    pytest.param(with_(colour="blue"), "colour", "unknown field", id="unknown-field"),
    pytest.param({k: v for k, v in VALID.items() if k != "host_os"}, "host_os", "required",
                 id="missing-field"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "field", "expected"), BAD_DOCUMENTS)
def test_bad_answers_give_one_line_naming_field(
    tmp_path: Path, document: object, field: str, expected: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_answers(write(tmp_path, document))
    message = str(caught.value)
    assert "\n" not in message
    assert f"'{field}'" in message
    assert expected in message
    assert str(tmp_path / "answers.json") in message


def test_unknown_field_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="expected one of: schema_version, project_name"):
        load_answers(write(tmp_path, with_(colour="blue")))


def test_several_problems_are_counted_in_the_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\(and 1 more problem\)$"):
        load_answers(write(tmp_path, with_(app_count=0, security="ultra")))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object at the top level"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
    ids=["broken", "empty", "array", "not-utf8"],
)
def test_unreadable_json_is_one_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        load_answers(path)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothing\.json: no such file"):
        load_answers(tmp_path / "nothing.json")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        load_answers(tmp_path)


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (MAX_INPUT_BYTES + 1))
    with pytest.raises(InputError, match="larger than 1024 KiB"):
        load_answers(path)


def test_model_is_strict_and_frozen() -> None:
    answers = Answers.model_validate(with_(app_oses=("linux",)))
    with pytest.raises(ValueError, match="frozen"):
        answers.app_count = 5  # type: ignore[misc]
    with pytest.raises(ValueError, match="valid integer"):
        Answers.model_validate(with_(app_oses=("linux",), app_count="5"))


def test_schema_carries_the_claims_behind_each_question() -> None:
    schema = Answers.model_json_schema()
    assert schema["additionalProperties"] is False
    assert schema["properties"]["security"]["claims"] == ["CMP-SEC", "CT-1"]
    assert set(schema["required"]) == {
        "schema_version",
        "host_os",
        "app_oses",
        "app_count",
    }
