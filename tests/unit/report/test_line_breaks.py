"""Chinese breaks between characters, never before closing punctuation or after opening
punctuation: in the terminal's wrapping and in the PDF's lines."""

# Chinese text in full-width punctuation is what these tests are about.
# ruff: noqa: RUF001

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from advisor.base.line_breaks import BREAK, break_opportunities, display_width, wrap
from advisor.cli import main
from advisor.report.fonts import load_fonts
from advisor.report.layout import BODY, apply, measure
from tests.unit.report.conftest import EXAMPLES, REPO

CLOSING = "，。、；：？！）」”"
OPENING = "（「“"
PARAGRAPH = (
    "容器启动无需引导操作系统，启动一个 Docker 容器通常只需几百毫秒；虚拟机则要先引导"
    "自己的内核（在没有 KVM 的宿主机上用软件模拟，可能需要几十秒）。所以在需要运行"
    "多个应用时，“轻量、快速”是容器的主要优势，而隔离强度是虚拟机的主要优势。"
) * 3
ENGLISH = "Containers share the host's kernel, so a container starts in milliseconds. " * 4


def test_breaks_fall_between_chinese_characters_but_not_at_punctuation() -> None:
    marked = break_opportunities("在 Docker 容器中运行（几秒），然后停止。")
    assert f"容{BREAK}器" in marked and f"中{BREAK}运" in marked
    for char in CLOSING:
        assert f"{BREAK}{char}" not in marked
    assert f"（{BREAK}" not in marked
    assert break_opportunities(ENGLISH) == ENGLISH


def test_the_terminal_wraps_chinese_by_its_columns_and_english_as_textwrap_does() -> None:
    lines = wrap(PARAGRAPH, 40)
    assert "".join(lines).replace(" ", "") == PARAGRAPH.replace(" ", "")
    assert all(display_width(line) <= 40 for line in lines)
    assert all(line[0] not in CLOSING and line[-1] not in OPENING for line in lines)
    # Full lines: none ends more than a few columns short of the width (the last aside).
    assert all(display_width(line) >= 34 for line in lines[:-1])
    assert wrap(ENGLISH, 50) == textwrap.wrap(ENGLISH, 50)


def test_a_chinese_paragraph_in_the_pdf_fills_its_lines_and_keeps_punctuation_with_its_word() -> (
    None
):
    pdf = FPDF(unit="mm", format="A4")
    load_fonts(pdf, set(PARAGRAPH))
    pdf.add_page()
    block = measure(pdf, PARAGRAPH, 80)
    lines = block.lines
    assert len(lines) > 3 and all(BREAK not in line for line in lines)
    assert "".join(lines).replace(" ", "") == PARAGRAPH.replace(" ", "")
    assert all(line[0] not in CLOSING and line.rstrip()[-1] not in OPENING for line in lines)
    # Broken between characters, not only at spaces: every line but the last is nearly full.
    apply(pdf, BODY)
    assert min(pdf.get_string_width(line) for line in lines[:-1]) >= 0.8 * 80


@pytest.fixture(scope="module")
def chinese_comparison(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = tmp_path_factory.mktemp("compare") / "fleet.pdf"
    fleet = sorted((REPO / "docs" / "fleet").glob("*.json"))
    answers = EXAMPLES / "linux-microservices-postgres.json"
    command = ["--lang", "zh-CN", "compare", *map(str, fleet), "--answers", str(answers)]
    assert main([*command, "--pdf", str(pdf)]) == 0
    return pdf


def test_the_chinese_comparison_pdf_has_chinese_headings_and_numbered_pages(
    chinese_comparison: Path,
) -> None:
    pages = PdfReader(chinese_comparison).pages
    # pypdf puts a NUL between the characters of a font it reads as two-byte.
    texts = ["".join(page.extract_text().replace("\x00", "").split()) for page in pages]
    whole = "".join(texts)
    for heading in ("多宿主机比较", "宿主机并排比较", "生成于", "各台宿主机上的建议", "探测于"):
        assert heading in whole
    for english in ("FLEETCOMPARISON", "Generated", "probed", "Theadvicefor"):
        assert english not in whole
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页，共{len(pages)}页" in text
