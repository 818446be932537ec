"""Choosing the language: the locale, overridden by `--lang` on every command; in Chinese the
messages keep their exit statuses and their one-line form."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.base.i18n import current_language, language_from_environment, parse_language
from advisor.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "payment-service-strict.json"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_SG.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.UTF-8"}, "en"),  # Traditional Chinese is not Simplified
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LC_ALL": "zh_CN.GB18030"}, "zh_CN"),
        ({"LANG": ""}, "en"),
    ],
)
def test_the_locale_chooses_as_the_c_library_does(
    environment: dict[str, str], language: str
) -> None:
    assert language_from_environment(environment) == language


@pytest.mark.parametrize("tag", ["zh-CN", "zh_CN", "ZH-cn", "en"])
def test_lang_takes_the_language_tags(tag: str) -> None:
    assert parse_language(tag) == ("en" if tag == "en" else "zh_CN")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--lang", "fr", "recommend", "--answers", str(EXAMPLE)],
        ["recommend", "--lang", "fr", "--answers", str(EXAMPLE)],
        ["recommend", "--answers", str(EXAMPLE), "--lang=zh-TW"],
        ["schema", "answers", "--lang", ""],
    ],
)
def test_a_bad_lang_is_exit_2_and_one_line_naming_the_choices(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "--lang" in captured.err and "en, zh-CN" in captured.err


def test_the_locale_gives_chinese_and_lang_outweighs_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["recommend", "--answers", str(EXAMPLE)]) == 0
    chinese = capsys.readouterr().out
    assert _has_chinese(chinese) and current_language() == "zh_CN"
    assert main(["recommend", "--answers", str(EXAMPLE), "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert current_language() == "en"
    assert "Low confidence" in english and not _has_chinese(english.split("Reasons:")[0])


@pytest.mark.parametrize(
    ("arguments", "status"),
    [
        (["recommend", "--answers"], 2),
        (["recommend"], 2),
        (["recommend", "--answers", "/no/such/file.json"], 2),
        (["no-such-command"], 2),
        (["report", "--answers", str(EXAMPLE)], 2),
        (["probe", "--runs", "0"], 2),
        (["report", "--answers", str(EXAMPLE), "--probe", "a", "--run-probes"], 2),
    ],
)
def test_chinese_messages_keep_their_exit_status_and_one_line(
    arguments: list[str], status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "zh-CN", *arguments]) == status
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert _has_chinese(err), err
