"""`dvm-advisor report --lang zh-CN`: the whole PDF and the Markdown record in Chinese, the
article's own sentences still quoted, dates written as the language writes them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from advisor.answers import load_answers
from advisor.base.i18n import set_language
from advisor.cli import main
from advisor.probe_results import load_probe_report
from advisor.report.model import ReportDocument, report_for
from tests.unit.report.conftest import EXAMPLES, PROBE_REPORT

EXAMPLE = EXAMPLES / "payment-service-strict.json"
HEADINGS = (
    "决策记录",
    "得分",
    "什么会改变这条建议",
    "所给的答案",
    "全部理由",
    "注意事项",
    "文章的论断在这台工作站上的检验",
    "宿主机信息与探测设置",
    "来源",
)


def _pdftotext(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: scripts/provision-host installs poppler-utils")
    result = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(result.stdout.split())


@pytest.fixture(scope="module")
def chinese_outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("zh")
    pdf, markdown = folder / "report.pdf", folder / "decision.md"
    arguments = ["report", "--lang", "zh-CN", "--answers", str(EXAMPLE)]
    arguments += ["--probe", str(PROBE_REPORT), "--pdf", str(pdf), "--markdown", str(markdown)]
    assert main(arguments) == 0
    return pdf, markdown


def _chinese_document() -> ReportDocument:
    set_language("zh_CN")
    try:
        return report_for(load_answers(EXAMPLE), load_probe_report(PROBE_REPORT))
    finally:
        set_language("en")


def test_the_chinese_pdf_has_the_translated_headings_verdict_and_the_articles_words(
    chinese_outputs: tuple[Path, Path],
) -> None:
    text = _pdftotext(chinese_outputs[0])
    document = _chinese_document()
    for heading in HEADINGS:
        assert heading in text, heading
    assert "".join(document.verdict_label.split()) in text
    assert "".join(document.verdict_sentence.split()) in text
    # The article's own sentence of the first reason, quoted as it was written.
    excerpt = document.reasons[0].excerpt.original
    assert "".join(excerpt.split()) in text
    for english in ("Every reason", "What would change this advice", "Host facts", "Verdict"):
        assert "".join(english.split()) not in text


def test_the_chinese_markdown_record_is_chinese_with_its_front_matter_kept(
    chinese_outputs: tuple[Path, Path],
) -> None:
    record = chinese_outputs[1].read_text(encoding="utf-8")
    assert record.startswith("---\nstatus: proposed\n")
    for heading in ("## 背景与问题", "## 决策因素", "## 决策结果", "## 各选项的利弊"):
        assert heading in record
    assert "## Context and Problem Statement" not in record
    assert "年" in record.rstrip().splitlines()[-1]  # the date as Chinese writes it
