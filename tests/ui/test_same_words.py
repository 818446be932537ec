"""One recommendation, the same words everywhere: the command line, the PDF, the Markdown
record and the app's results page all show the view model's words, none their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from advisor.answers import load_answers
from advisor.cli import main
from advisor.probe_results import load_probe_report
from advisor.report.markdown import render_markdown
from advisor.report.model import ReportDocument, report_for
from advisor.report.pdf import KEY_FLIP_COUNT, write_report_pdf
from advisor.ui.main_window import RESULTS_STEP, MainWindow

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "mixed-team-dev-environment.json"
PROBE_REPORT = REPO / "tests" / "unit" / "data" / "probe-report.json"


def flat(text: str) -> str:
    return " ".join(text.split())


def phrases(view: ReportDocument) -> list[str]:
    """Every sentence of the advice a reader must find, whatever the output."""
    found = [view.verdict_label, view.confidence_sentence]
    for reason in view.reasons:
        found += [reason.title, reason.effect, reason.because]
    found += [caveat.text for caveat in view.caveats]
    found += [flip.sentence for flip in view.flips]
    return [flat(phrase) for phrase in found]


def markdown_text(view: ReportDocument) -> str:
    tokens = MarkdownIt("commonmark").enable("table").parse(render_markdown(view))
    return " ".join(
        child.content
        for token in tokens
        if token.children
        for child in token.children
        if child.type == "text"
    )


def results_text(window: MainWindow) -> str:
    body = window.results_page.scroll_area.widget()
    return " ".join(label.text() for label in body.findChildren(type(window.preview.verdict)))


def test_cli_pdf_markdown_and_app_show_the_same_words(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answers = load_answers(EXAMPLE)
    probe = load_probe_report(PROBE_REPORT)
    view = report_for(answers, probe)
    assert view.reasons and view.caveats and view.flips

    assert main(["recommend", "--answers", str(EXAMPLE), "--probe", str(PROBE_REPORT)]) == 0
    cli = flat(capsys.readouterr().out)
    pdf_path = tmp_path / "advice.pdf"
    write_report_pdf(view, pdf_path)
    pdf = flat(" ".join(page.extract_text() for page in PdfReader(pdf_path).pages))
    markdown = flat(markdown_text(view))
    window.document.load_answers(answers)
    window.document.set_probe_report(probe, "imported")
    window.go_to(RESULTS_STEP)
    app = flat(results_text(window))

    for phrase in phrases(view):
        assert phrase in cli, f"command line lacks: {phrase}"
        assert phrase in markdown, f"Markdown lacks: {phrase}"
        assert phrase in app, f"app lacks: {phrase}"
        # The PDF sets the flips beyond the first few as a table of the same parts.
        if phrase not in {flat(flip.sentence) for flip in view.flips[KEY_FLIP_COUNT:]}:
            assert phrase in pdf, f"PDF lacks: {phrase}"
    for flip in view.flips:
        for part in (flip.question, flip.answer_now, flip.answer_then, flip.verdict_then):
            assert flat(part) in pdf, f"PDF lacks: {part}"
