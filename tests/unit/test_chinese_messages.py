"""The command line's own words in Chinese beyond its messages: argparse's help and errors,
the faults pydantic finds in a user's file, what kind a file is, and `compare`'s table.

Each Chinese text is checked for English left in it once the names it quotes (the file, the
field, the value, an option) are taken out."""

# Chinese text in full-width punctuation is what these tests are about.
# ruff: noqa: RUF001

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from advisor.base.i18n import set_language
from advisor.base.line_breaks import display_width
from advisor.base.validation_words import expectation
from advisor.cli import main
from advisor.file_kinds import FileKindError, open_any, plain_message
from advisor.probe_results import ProbeReport
from advisor.questions import load_questions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "linux-microservices-postgres.json"
FLEET = sorted((ROOT / "docs" / "fleet").glob("*.json"))
# Names and JSON's own words, written the same in every language.
NAMES = {"JSON", "true", "false", "null", "dvm-advisor", "Linux", "Windows", "macOS", "FILE"}
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*(\"|…)|`[^`]*`|“[^”]*”|(?<![\w-])--?[a-z][a-z-]*|\[[^\]]*\]")
COMMANDS = ("recommend", "report", "compare", "probe", "schema", "diff", "gui", "headless")


def english_words(text: str, *names: str) -> set[str]:
    """The English words of `text` once `names` and everything it quotes are taken out."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = _QUOTED.sub(" ", text)
    return set(re.findall(r"[A-Za-z][A-Za-z-]+", text)) - NAMES


def _broken(tmp_path: Path, change: dict[str, object]) -> Path:
    document = {**json.loads(EXAMPLE.read_text()), **change}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change",
    [
        {"app_count": "ten"},
        {"app_count": 1.5},
        {"app_count": 0},
        {"app_count": 20_000},
        {"host_os": "bsd"},
        {"app_oses": "linux"},
        {"app_oses": ["linux", "linux"]},
        {"app_oses": []},
        {"untrusted_code": "maybe"},
        {"project_name": "x" * 300},
        {"project_name": 5},
        {"schema_version": 7},
    ],
    ids=lambda change: "-".join(f"{key}={value!r}"[:30] for key, value in change.items()),
)
def test_a_wrong_answers_file_is_one_chinese_line_with_no_english_but_names(
    tmp_path: Path, change: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    path = _broken(tmp_path, change)
    assert main(["--lang", "zh-CN", "recommend", "--answers", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert english_words(err, str(path)) == set(), err


@pytest.mark.parametrize(
    "text", ['{"a": 1,,}', '{"a": 1', "[1, 2] x", '{"a": tru}', "", '{"a": "\\q"}']
)
def test_a_file_that_is_not_json_says_where_in_chinese(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    assert main(["--lang", "zh-CN", "recommend", "--answers", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "JSON" in err
    assert english_words(err, str(path)) == set(), err


def test_what_the_app_says_of_a_faulty_file_is_chinese(tmp_path: Path) -> None:
    set_language("zh_CN")
    questions = load_questions()
    faulty = _broken(tmp_path, {"app_count": "ten"})
    with pytest.raises(FileKindError) as caught:
        open_any(faulty, questions)
    said = plain_message(caught.value, faulty)
    assert "答案文件" in said and english_words(said, faulty.name) == set(), said
    other = tmp_path / "other.json"
    other.write_text('{"colour": "red"}', encoding="utf-8")
    with pytest.raises(FileKindError) as caught:
        open_any(other, questions)
    assert english_words(str(caught.value), other.name) == set(), str(caught.value)


@pytest.mark.parametrize("command", [[], ["report"], ["compare"], ["probe"]])
def test_help_in_chinese_has_no_words_of_argparse_left(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--lang", "zh-CN", *command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：") and "选项：" in out
    for english in ("usage", "options", "positional arguments", "show this help"):
        assert english not in out
    # Wrapped by the columns a terminal gives each Chinese character (two): argparse's width.
    assert max(display_width(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize(
    "arguments",
    [
        ["recommend"],
        ["recommend", "--answers", str(EXAMPLE), "--bogus"],
        ["schema", "nothing"],
        ["probe", "--runs", "many"],
        ["report", "--answers", str(EXAMPLE), "--probe", "a", "--run-probes"],
    ],
)
def test_usage_errors_in_chinese_are_exit_2_and_one_line(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "zh-CN", *arguments]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    # The subcommands and argparse's name for an argument without an option are names.
    assert english_words(err, *COMMANDS, "target") == set(), err


def test_the_comparison_in_chinese_lines_up_its_columns_by_terminal_width(
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments = ["--lang", "zh-CN", "compare", *map(str, FLEET), "--answers", str(EXAMPLE)]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith(("  ", "≠ ")) and "  " in line[2:]]
    hosts = [json.loads(path.read_text())["host"]["user"] + "@" for path in FLEET]
    header = next(line for line in rows if hosts[0] in line and hosts[1] in line)
    # Each host's column begins at one terminal column, on every row.
    second = display_width(header[: header.index(hosts[1])])
    for row in rows:
        cells = re.split(r" {2,}", row[2:].rstrip())
        if len(cells) == 3:
            assert display_width(row[: row.rindex(cells[2])]) == second, row
    assert "probed" not in out and "The advice for" not in out and "completed" not in out
    assert "探测于" in out and "各台宿主机上的建议" in out


def test_diff_in_chinese_has_chinese_headings(capsys: pytest.CaptureFixture[str]) -> None:
    other = ROOT / "examples" / "payment-service-strict.json"
    assert main(["--lang", "zh-CN", "diff", str(EXAMPLE), str(other)]) == 0
    out = capsys.readouterr().out
    for english in ("From:", "To:", "Answers changed", "Verdict:", "Confidence:", "Rules:"):
        assert english not in out
    assert out.startswith("从：") and "答案变化：" in out and "造成差异的理由：" in out
    assert ": " not in out.replace("Shop backend: ten", "")  # Chinese colons after Chinese


def _leaves(value: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def _with(document: Any, path: tuple[str | int, ...], value: object) -> Any:
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


# Faults said in words of their own beside the expectation: a field missing or unknown, a
# check of ours (its ValueError's words are ours), a text that is not JSON.
_OWN_WORDS = {"missing", "extra_forbidden", "value_error", "json_invalid"}
_WRONG_VALUES = ({"x": 1}, "text", -1, 1e308, None, [1], True, 10**30, "2026-13-45")


@pytest.mark.parametrize("kind", ["probe", "answers"])
def test_every_fault_a_users_file_can_have_is_said_in_our_words(kind: str) -> None:
    if kind == "probe":
        model: type[BaseModel] = ProbeReport
        document = json.loads(FLEET[0].read_text())
    else:
        model = load_questions().answers_model
        document = json.loads(EXAMPLE.read_text())
    unsaid: dict[str, str] = {}
    for path in _leaves(document):
        for value in _WRONG_VALUES:
            try:
                model.model_validate_json(json.dumps(_with(document, path, value)))
            except ValidationError as error:
                for problem in error.errors(include_url=False):
                    if problem["type"] not in _OWN_WORDS and expectation(problem) is None:
                        unsaid[problem["type"]] = problem["msg"]
    assert unsaid == {}
