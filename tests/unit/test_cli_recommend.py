"""`dvm-advisor recommend` and `dvm-advisor schema`: outputs, examples, and every bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import cli
from advisor.cli import main
from advisor.recommendation import Recommendation
from advisor.rulebook import VERDICTS, RulebookError, load_rulebook
from advisor.wording import OPTION_NAMES
from tests.answers_data import answers_model

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXPECTED_VERDICTS = {
    "windows-line-of-business": "vm",
    "linux-microservices-postgres": "container",
    "payment-service-strict": "hybrid",
    "mixed-team-dev-environment": "split",
    "ebpf-node-agent": "host",
    "ios-builds-on-linux-ci": "none",
}
CLAIM_IDS = set(load_rulebook().claims)

Capture = pytest.CaptureFixture[str]


def test_every_example_declares_its_expected_verdict() -> None:
    assert {path.stem for path in EXAMPLES.glob("*.json")} == set(EXPECTED_VERDICTS)


def test_each_example_shows_a_different_verdict_kind_and_the_readme_says_which() -> None:
    assert sorted(EXPECTED_VERDICTS.values()) == sorted(VERDICTS)
    readme = (EXAMPLES.parent / "README.md").read_text("utf-8")
    table = readme[readme.index("| example | verdict |") :].split("\n\n", 1)[0]
    for name, verdict in EXPECTED_VERDICTS.items():
        assert f"| `{name}.json` | {verdict} " in table or f"| `{name}.json` | {verdict} |" in table


@pytest.mark.parametrize(("name", "verdict"), EXPECTED_VERDICTS.items())
def test_example_json_recommendation(name: str, verdict: str, capsys: Capture) -> None:
    assert main(["recommend", "--answers", str(EXAMPLES / f"{name}.json"), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    recommendation = Recommendation.model_validate_json(captured.out)
    assert recommendation.verdict == verdict
    assert recommendation.reasons
    for reason in recommendation.reasons:
        assert reason.claims and set(reason.claims) <= CLAIM_IDS


@pytest.mark.parametrize(("name", "verdict"), EXPECTED_VERDICTS.items())
def test_example_text_recommendation(name: str, verdict: str, capsys: Capture) -> None:
    assert main(["recommend", "--answers", str(EXAMPLES / f"{name}.json")]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("Verdict: "))
    title = OPTION_NAMES[verdict].title  # a split names its parts' options after it
    assert line == f"Verdict: {title}" or (
        verdict == "split" and line.startswith(f"Verdict: {title}: ")
    )
    assert "Reasons:" in out and "What would change the verdict:" in out
    assert any(f"[{claim}" in out or f", {claim}" in out for claim in CLAIM_IDS)


def test_answers_from_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    content = (EXAMPLES / "payment-service-strict.json").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(content)))
    assert main(["recommend", "--answers", "-", "--json"]) == 0
    assert (
        Recommendation.model_validate_json(capsys.readouterr().out).verdict
        == EXPECTED_VERDICTS["payment-service-strict"]
    )


VALID = json.loads((EXAMPLES / "payment-service-strict.json").read_text("utf-8"))

BAD_INPUTS = [
    pytest.param(None, "no such file", id="missing-file"),
    pytest.param("{ not json", "not valid JSON", id="invalid-json"),
    pytest.param({**VALID, "app_count": "ten"}, "field 'app_count': expected a whole number",
                 id="wrong-type"),
    pytest.param({**VALID, "budget": 3}, "unknown field 'budget'", id="unknown-field"),
    pytest.param({**VALID, "app_count": 20_000}, "field 'app_count': expected a number of at most",
                 id="count-out-of-range"),
    pytest.param({**VALID, "security": "paranoid"},
                 "'security': expected one of 'standard', 'elevated', 'strict', got \"paranoid\"",
                 id="unknown-enum"),
    pytest.param({**VALID, "app_oses": ["linux", "plan9"]}, "field 'app_oses[1]'",
                 id="unknown-app-os"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "expected"), BAD_INPUTS)
def test_bad_answers_exit_2_with_one_line(
    tmp_path: Path, content: object, expected: str, capsys: Capture
) -> None:
    path = tmp_path / "answers.json"
    if content is not None:
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, encoding="utf-8")
    assert main(["recommend", "--answers", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(f"dvm-advisor: {path}")
    assert expected in captured.err
    assert "Traceback" not in captured.err


def test_recommend_without_answers_is_a_usage_error(capsys: Capture) -> None:
    assert main(["recommend"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--answers" in err


def test_broken_shipped_rules_are_an_internal_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    def broken() -> None:
        raise RulebookError("rules.toml: rule 'x': field 'claims': unknown claim ID 'NOPE'")

    monkeypatch.setattr(cli, "load_rulebook", broken)
    assert main(["recommend", "--answers", str(EXAMPLES / "payment-service-strict.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "NOPE" in err


def test_schema_answers_prints_the_json_schema(capsys: Capture) -> None:
    assert main(["schema", "answers"]) == 0
    current, version_1 = json.loads(capsys.readouterr().out)["oneOf"]
    assert set(current["properties"]) == set(answers_model().model_fields)
    assert current["additionalProperties"] is False
    assert current["properties"]["schema_version"]["const"] == 2
    # The old format is described too, as it is read: with its own field names.
    assert version_1["properties"]["schema_version"]["const"] == 1
    assert "needs_own_kernel" in version_1["properties"]
    assert version_1["additionalProperties"] is False


def test_schema_of_an_unknown_format_is_a_usage_error(capsys: Capture) -> None:
    assert main(["schema", "weather"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "answers" in err


def test_installed_command_reads_stdin_and_fails_cleanly() -> None:
    command = [sys.executable, "-m", "advisor", "recommend", "--answers", "-", "--json"]
    good = subprocess.run(
        command,
        input=(EXAMPLES / "linux-microservices-postgres.json").read_text("utf-8"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert Recommendation.model_validate_json(good.stdout).verdict == "container"
    bad = subprocess.run(
        command, input='{"schema_version": 1}', capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1
    assert "standard input: field 'host_os' is missing" in bad.stderr


PROBE_REPORT = Path(__file__).resolve().parent / "data" / "probe-report.json"


def test_a_probe_report_grounds_the_recommendation(capsys: Capture) -> None:
    answers = str(EXAMPLES / "linux-microservices-postgres.json")
    assert main(["recommend", "--answers", answers, "--probe", str(PROBE_REPORT), "--json"]) == 0
    recommendation = Recommendation.model_validate_json(capsys.readouterr().out)
    assert recommendation.grounding
    assert {check.verdict for check in recommendation.grounding} & {"holds", "does_not_hold"}
    assert main(["recommend", "--answers", answers, "--json"]) == 0
    assert Recommendation.model_validate_json(capsys.readouterr().out).grounding == ()


@pytest.mark.parametrize("content", [None, "{}", "not json"])
def test_a_bad_probe_report_is_one_line_and_exit_2(
    content: str | None, tmp_path: Path, capsys: Capture
) -> None:
    probe = tmp_path / "probe.json"
    if content is not None:
        probe.write_text(content)
    answers = str(EXAMPLES / "payment-service-strict.json")
    assert main(["recommend", "--answers", answers, "--probe", str(probe)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and str(probe) in captured.err
