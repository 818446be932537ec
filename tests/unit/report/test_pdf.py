"""The PDF: its text as a reader extracts it, fonts, literal user text, and safe writing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor import outputs as report_files
from advisor.answers import Answers
from advisor.base.errors import InputError
from advisor.grounding import format_seconds
from advisor.probes.report import ProbeReport
from advisor.report import ReportDocument
from advisor.report import fonts as report_fonts
from advisor.report import pdf as report_pdf
from advisor.report.fonts import FontFile, ReportFontError, find_cjk_font
from advisor.report.pdf import write_report_pdf
from advisor.rulebook import Rulebook
from tests.unit.report.conftest import HOSTILE_NAME, report_for


def squeezed(text: str) -> str:
    """Text without whitespace: extraction spaces CJK glyphs and wraps long lines.

    pypdf also decodes the embedded CJK subset with a NUL before each glyph (pdftotext
    does not); the NULs go too.
    """
    return "".join(text.replace("\x00", "").split())


def pdf_text(path: Path) -> tuple[list[str], str]:
    pages = [page.extract_text() for page in PdfReader(path).pages]
    return pages, squeezed("".join(pages))


def font_names(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"]["/Font"]
        names.update(str(font.get_object()["/BaseFont"]) for font in fonts.values())
    return names


@pytest.fixture(scope="module")
def probed_pdf(probed_document: ReportDocument, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    write_report_pdf(probed_document, path)
    return path


def test_the_pdf_states_verdict_and_every_fired_rule(
    probed_pdf: Path, probed_document: ReportDocument
) -> None:
    pages, text = pdf_text(probed_pdf)
    assert squeezed(probed_document.verdict_label) in squeezed(pages[0])
    assert squeezed(probed_document.verdict_sentence) in squeezed(pages[0])
    assert probed_document.reasons
    for reason in probed_document.reasons:
        assert squeezed(reason.rule_id) in text
        assert squeezed(reason.title) in text


def test_the_pdf_shows_the_measured_figures(probed_pdf: Path, probe_report: ProbeReport) -> None:
    _, text = pdf_text(probed_pdf)
    container, vm = probe_report.container, probe_report.vm
    assert container and container.start_seconds and vm and vm.boot_seconds
    assert squeezed(format_seconds(container.start_seconds.median)) in text
    assert squeezed(format_seconds(vm.boot_seconds.median)) in text
    assert probe_report.host.docker.version
    assert probe_report.host.docker.version in text
    assert squeezed(probe_report.host.os.kernel) in text


def test_the_pdf_renders_the_article_in_chinese(
    probed_pdf: Path, probed_document: ReportDocument
) -> None:
    _, text = pdf_text(probed_pdf)
    for reason in probed_document.reasons:
        assert squeezed(reason.excerpt.original) in text
    assert any("NotoSansCJK" in name for name in font_names(probed_pdf))


def test_every_page_is_numbered_out_of_the_total(probed_pdf: Path) -> None:
    pages, _ = pdf_text(probed_pdf)
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


@pytest.fixture(scope="module")
def unprobed_pdf(
    answers: Answers, rulebook: Rulebook, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A report with no probe run, for a project whose name looks like markup."""
    named = answers.model_copy(update={"project_name": HOSTILE_NAME})
    path = tmp_path_factory.mktemp("report") / "unprobed.pdf"
    write_report_pdf(report_for(named, rulebook), path)
    return path


def test_no_probe_is_stated_rather_than_left_blank(unprobed_pdf: Path) -> None:
    _, text = pdf_text(unprobed_pdf)
    assert squeezed("No probe was run for this report") in text
    assert squeezed("none probed") in text


def test_user_text_appears_literally(unprobed_pdf: Path) -> None:
    pages, _ = pdf_text(unprobed_pdf)
    assert HOSTILE_NAME in pages[0]
    # The running header repeats the name on later pages, still as typed.
    assert all(HOSTILE_NAME in page for page in pages[1:])


def test_a_latin_only_document_does_not_load_the_cjk_font(
    answers: Answers, rulebook: Rulebook, tmp_path: Path
) -> None:
    document = report_for(answers, rulebook).model_copy(
        update={"reasons": (), "key_reasons": (), "cited_claims": ()}
    )
    path = tmp_path / "latin.pdf"
    write_report_pdf(document, path)
    names = font_names(path)
    assert any("DejaVuSans" in name for name in names)
    assert not any("CJK" in name for name in names)


def test_a_missing_cjk_font_fails_in_one_line_naming_the_package(
    probed_document: ReportDocument, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_fonts, "find_cjk_font", lambda: None)
    path = tmp_path / "report.pdf"
    with pytest.raises(ReportFontError) as error:
        write_report_pdf(probed_document, path)
    assert "fonts-noto-cjk" in str(error.value) and "\n" not in str(error.value)
    assert not path.exists()


def test_the_cjk_font_is_found_where_debian_puts_it() -> None:
    font = find_cjk_font()
    assert font is not None and font.path.is_file()
    assert font.path.name == "NotoSansCJK-Regular.ttc" and font.index == 2


def test_no_cjk_font_anywhere_is_reported_as_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-list to ask
    assert find_cjk_font((tmp_path / "absent.ttc", 2)) is None


def test_fontconfig_is_asked_when_the_debian_path_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    font = find_cjk_font((tmp_path / "absent.ttc", 2))
    # fontconfig knows the installed Noto Sans CJK, and prefers its Simplified Chinese face.
    assert font == FontFile(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2)


@pytest.fixture
def quick_render(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Rendering replaced by fixed bytes: these tests are about writing the file."""
    data = b"%PDF-1.7 stand-in\n%%EOF\n"
    monkeypatch.setattr(report_pdf, "render_report_pdf", lambda document: data)
    return data


def test_writing_replaces_the_target_whole(
    probed_document: ReportDocument, tmp_path: Path, quick_render: bytes
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"an older report")
    write_report_pdf(probed_document, path)
    assert path.read_bytes() == quick_render
    assert os.listdir(tmp_path) == ["report.pdf"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_the_written_pdf_is_complete(probed_pdf: Path) -> None:
    data = probed_pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert os.listdir(probed_pdf.parent) == [probed_pdf.name]


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(
    probed_document: ReportDocument,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    quick_render: bytes,
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"an older report")

    def refuse(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_files.os, "replace", refuse)
    with pytest.raises(InputError, match="no space left on device"):
        write_report_pdf(probed_document, path)
    assert path.read_bytes() == b"an older report"
    assert os.listdir(tmp_path) == ["report.pdf"]


def test_a_failed_render_leaves_the_target_untouched(
    probed_document: ReportDocument, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"an older report")

    def broken(document: ReportDocument) -> bytes:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(report_pdf, "render_report_pdf", broken)
    with pytest.raises(RuntimeError):
        write_report_pdf(probed_document, path)
    assert path.read_bytes() == b"an older report"
    assert os.listdir(tmp_path) == ["report.pdf"]


@pytest.mark.parametrize("where", ["missing-folder/report.pdf", "a-file/report.pdf", "."])
def test_an_unwritable_path_is_one_line(
    probed_document: ReportDocument, tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    path = tmp_path / where
    with pytest.raises(InputError) as error:
        write_report_pdf(probed_document, path)
    message = str(error.value)
    assert str(path) in message and "\n" not in message
    assert sorted(os.listdir(tmp_path)) == ["a-file"]


def test_the_cjk_subset_is_made_once_and_reused(
    probed_pdf: Path, probed_document: ReportDocument, font_cache: Path, tmp_path: Path
) -> None:
    def cached() -> dict[Path, int]:
        folder = font_cache / "dvm-advisor" / "fonts"
        return {path: path.stat().st_mtime_ns for path in folder.glob("cjk-*.otf")}

    before = cached()
    assert before  # made when probed_pdf was written
    write_report_pdf(probed_document, tmp_path / "again.pdf")
    assert cached() == before


def test_without_a_usable_cache_the_whole_font_is_used(
    probed_document: ReportDocument, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    path = tmp_path / "report.pdf"
    write_report_pdf(probed_document, path)
    _, text = pdf_text(path)
    assert squeezed(probed_document.reasons[0].excerpt.original) in text
    assert sorted(os.listdir(tmp_path)) == ["not-a-folder", "report.pdf"]


def test_a_line_after_chinese_keeps_its_type_size(
    answers: Answers, rulebook: Rulebook, tmp_path: Path
) -> None:
    # The title wraps after a line that mixes Chinese (the fallback font) and Latin text.
    name = "团队开发环境 Team dev environment on macOS laptops for the payments platform"
    path = tmp_path / "mixed.pdf"
    write_report_pdf(report_for(answers.model_copy(update={"project_name": name}), rulebook), path)
    sizes: dict[str, float] = {}

    def visit(text: str, cm: object, tm: object, font: object, size: float) -> None:
        sizes.setdefault(text.strip(), size)

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    assert sizes["macOS laptops for the payments platform"] == 20
