"""Files from elsewhere, whatever is in them: the answers loader, the probe-report loader and
the rule loader either load a file or refuse it with InputError in one line. Never another
exception, never a traceback, never a hang; oversized files are refused before parsing; the
command line exits 2; and text from a file is data, printed literally."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.answers import load_answers
from advisor.assessment import load_assessment
from advisor.base.errors import MAX_INPUT_BYTES, InputError
from advisor.probes.report import load_probe_report
from advisor.rulebook import CLAIMS_RESOURCE, RULES_RESOURCE, load_rulebook_from, parse_rulebook

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parents[2] / "examples"
VALID_ANSWERS: dict[str, Any] = json.loads(
    (EXAMPLES / "linux-microservices-postgres.json").read_text()
)
VALID_PROBE_REPORT: dict[str, Any] = json.loads((DATA / "probe-report.json").read_text())
RULES_TEXT = resources.files("advisor.rules").joinpath(RULES_RESOURCE).read_text()
CLAIMS_BYTES = resources.files("advisor.rules").joinpath(CLAIMS_RESOURCE).read_bytes()
HOSTILE_NAME = "<b>x</b><img src=x>"

# Each example must finish well within this: a loader that hangs fails here.
QUICK = settings(
    max_examples=150,
    deadline=5000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=20,
)


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> Any:
    """A valid document with one thing changed at any depth: a value replaced by any JSON,
    a field removed, or a field added."""

    def change(node: Any) -> Any:
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            action = draw(st.sampled_from(["replace", "remove", "add", "descend"]))
            copy = dict(node)
            if action == "replace":
                copy[key] = draw(json_values)
            elif action == "remove":
                del copy[key]
            elif action == "add":
                copy[draw(st.text(min_size=1, max_size=12))] = draw(json_values)
            else:
                copy[key] = change(node[key])
            return copy
        if isinstance(node, list) and node:
            index = draw(st.integers(0, len(node) - 1))
            return [*node[:index], change(node[index]), *node[index + 1 :]]
        return draw(json_values)

    return change(document)


def any_json_file(document: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """Bytes as another workstation might send them: noise, any JSON, or a near-valid file."""
    return st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        json_values.map(lambda value: json.dumps(value).encode()),
        mutated(document).map(lambda value: json.dumps(value).encode()),
    )


def assert_loads_or_one_line(load: Any, path: Path) -> None:
    try:
        load(path)
    except InputError as error:
        message = str(error)
        assert message and "\n" not in message and "Traceback" not in message, message
        assert str(path) in message or "standard input" in message, message


LOADERS: dict[str, tuple[Any, dict[str, Any]]] = {
    "answers": (load_answers, VALID_ANSWERS),
    "probe report": (load_probe_report, VALID_PROBE_REPORT),
}


@pytest.mark.parametrize("kind", sorted(LOADERS))
@QUICK
@given(data=st.data())
def test_any_file_loads_or_is_refused_in_one_line(tmp_path: Path, kind: str, data: Any) -> None:
    load, valid = LOADERS[kind]
    path = tmp_path / f"{kind}.json"
    path.write_bytes(data.draw(any_json_file(valid), label="file"))
    assert_loads_or_one_line(load, path)


@QUICK
@given(
    answers=mutated(VALID_ANSWERS),
    probe=st.none() | mutated(VALID_PROBE_REPORT),
)
def test_any_assessment_loads_or_is_refused_in_one_line(
    tmp_path: Path, answers: Any, probe: Any
) -> None:
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps({"schema_version": 1, "answers": answers, "probe": probe}))
    assert_loads_or_one_line(load_assessment, path)


@st.composite
def edited_rules(draw: st.DrawFn) -> str:
    """The shipped rules with a few lines replaced, removed or inserted."""
    lines = RULES_TEXT.splitlines()
    toml_snippets = st.sampled_from(
        [
            'id = "x"',
            "effect = { vm = 99 }",
            'claims = ["NOPE"]',
            'condition = { fact = "answers.app_count", op = "contains", value = 3 }',
            'condition = { fact = "probe.nothing", op = "eq", value = true }',
            "condition = { all = [] }",
            "[[rule]]",
            "[ruleset]",
            "rules_out = []",
            'rules_out = ["container", "vm", "hybrid"]',
            'caveat = ""',
            'id = "a\\nb"',
            "tie_order = []",
        ]
    )
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["replace", "remove", "insert"]))
        new_line = draw(toml_snippets | st.text(max_size=60))
        if action == "replace":
            lines[index] = new_line
        elif action == "remove":
            del lines[index]
        else:
            lines.insert(index, new_line)
    return "\n".join(lines)


@QUICK
@given(rules=edited_rules() | st.text(max_size=300))
def test_any_rule_file_loads_or_is_refused_in_one_line(rules: str) -> None:
    try:
        parse_rulebook(rules.encode(), "rules.toml", CLAIMS_BYTES, "claims.toml")
    except InputError as error:
        message = str(error)
        assert message.startswith("rules.toml") or message.startswith("claims.toml"), message
        assert "\n" not in message and "Traceback" not in message, message


@QUICK
@given(claims=st.binary(max_size=300))
def test_any_claim_file_is_refused_in_one_line(claims: bytes) -> None:
    with pytest.raises(InputError) as refused:
        parse_rulebook(RULES_TEXT.encode(), "rules.toml", claims, "claims.toml")
    assert refused.value.args[0].startswith("claims.toml")
    assert "\n" not in str(refused.value)


def test_the_shipped_rules_are_valid_toml_to_start_from() -> None:
    assert tomllib.loads(RULES_TEXT)["rule"]


@pytest.mark.parametrize("loader", [load_answers, load_probe_report, load_assessment])
def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path, loader: Any) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * MAX_INPUT_BYTES + b"{}")

    with pytest.raises(InputError) as refused:
        loader(path)

    assert str(refused.value) == f"{path}: larger than 1024 KiB, expected a small file"


def test_an_oversized_rule_file_is_refused_too(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_bytes(b"#" * (MAX_INPUT_BYTES + 1))
    claims = tmp_path / "claims.toml"
    claims.write_bytes(CLAIMS_BYTES)

    with pytest.raises(InputError, match="larger than 1024 KiB, expected a small file"):
        load_rulebook_from(rules, claims)


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


BAD_ANSWERS = st.one_of(
    st.binary(min_size=1, max_size=100),
    mutated(VALID_ANSWERS)
    .map(lambda value: json.dumps(value).encode())
    .filter(lambda data: data != json.dumps(VALID_ANSWERS).encode()),
)


# A few examples only: each starts a Python process.
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=BAD_ANSWERS)
def test_the_command_line_exits_2_with_one_line_for_a_bad_file(
    tmp_path_factory: Any, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("bad") / "answers.json"
    path.write_bytes(data)
    try:
        load_answers(path)
    except InputError:
        pass
    else:
        return  # the change left a valid file: nothing to refuse

    done = run_cli("recommend", "--answers", str(path))

    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(f"dvm-advisor: {path}")


def test_a_bad_probe_file_given_to_the_report_command_exits_2(tmp_path: Path) -> None:
    probe = tmp_path / "probe.json"
    probe.write_text(json.dumps({**VALID_PROBE_REPORT, "container": "rm -rf /"}))

    done = run_cli(
        "report",
        "--answers",
        str(EXAMPLES / "linux-microservices-postgres.json"),
        "--probe",
        str(probe),
        "--pdf",
        str(tmp_path / "out.pdf"),
    )

    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"dvm-advisor: {probe}: field 'container': expected ")
    assert lines[0].endswith('got "rm -rf /"')
    assert not (tmp_path / "out.pdf").exists()


def test_a_project_name_with_markup_is_printed_literally(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**VALID_ANSWERS, "project_name": HOSTILE_NAME}))

    done = run_cli("recommend", "--answers", str(answers))

    assert done.returncode == 0, done.stderr
    assert f"Project: {HOSTILE_NAME}\n" in done.stdout
    as_json = run_cli("recommend", "--answers", str(answers), "--json")
    assert json.loads(as_json.stdout)["project_name"] == HOSTILE_NAME
