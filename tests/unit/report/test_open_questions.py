"""Questions worth answering and the note on an older answers file, in every layout."""

from __future__ import annotations

from pathlib import Path

from advisor.answers import load_answers
from advisor.report.markdown import render_markdown
from advisor.report.pdf import write_report_pdf
from advisor.report.text import render_text
from advisor.rulebook import Rulebook
from tests.unit.report.conftest import report_for
from tests.unit.report.test_pdf import pdf_text, squeezed

V1_FILE = Path(__file__).resolve().parents[1] / "data" / "v1" / "payment-service-strict.json"


def test_an_older_file_is_noted_and_its_open_questions_listed_everywhere(
    rulebook: Rulebook, tmp_path: Path
) -> None:
    answers = load_answers(V1_FILE)
    document = report_for(answers, rulebook)
    assert document.format_note and document.worth_answering
    for question_id in answers.not_asked:
        assert type(answers).questionnaire.question(question_id).step in document.format_note
    text, markdown = render_text(document), render_markdown(document)
    pdf = tmp_path / "report.pdf"
    write_report_pdf(document, pdf)
    _, pdf_words = pdf_text(pdf)
    for entry in document.worth_answering:
        assert entry.sentence in text and entry.sentence in markdown
        assert squeezed(entry.sentence) in pdf_words
    assert document.format_note in text and document.format_note in markdown
    assert squeezed(document.format_note) in pdf_words


def test_a_current_file_has_no_format_note(rulebook: Rulebook) -> None:
    answers = load_answers(Path(__file__).resolve().parents[3] / "examples" / V1_FILE.name)
    assert report_for(answers, rulebook).format_note is None
