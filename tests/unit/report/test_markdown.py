"""The Markdown decision record: MADR 4.0's sections in order, parsed by a Markdown library,
user text unable to add markup, and written like the PDF (whole, or exit 2 in one line)."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from advisor.answers import load_answers
from advisor.cli import main
from advisor.probe_results import ProbeReport
from advisor.report.markdown import escape, render_markdown
from advisor.rulebook import Rulebook
from tests.unit.report.conftest import EXAMPLES, HOSTILE_NAME, PROBE_REPORT, report_for

# MADR 4.0: the title, then these sections, in this order.
MADR_SECTIONS = [
    (2, "Context and Problem Statement"),
    (2, "Decision Drivers"),
    (2, "Considered Options"),
    (2, "Decision Outcome"),
    (3, "Consequences"),
    (3, "Confirmation"),
    (2, "Pros and Cons of the Options"),
    (2, "More Information"),
]
PARSER = MarkdownIt("commonmark").enable("table")


def front_matter(text: str) -> dict[str, str]:
    assert text.startswith("---\n")
    block = text.split("---\n")[1]
    return dict(line.split(": ", 1) for line in block.splitlines())


def body_tokens(text: str) -> list[Token]:
    return PARSER.parse(text.split("---\n", 2)[2])


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append((int(token.tag[1]), tokens[index + 1].content))
    return found


def plain_text(tokens: list[Token]) -> str:
    """What a reader sees: the text of every inline token, with markup resolved."""
    return " ".join(
        child.content
        for token in tokens
        if token.type == "inline" and token.children
        for child in token.children
        if child.type == "text"
    )


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda path: path.stem)
@pytest.mark.parametrize("probed", [False, True], ids=["no-probe", "probed"])
def test_each_example_is_a_madr_record(
    path: Path, probed: bool, rulebook: Rulebook, probe_report: ProbeReport
) -> None:
    document = report_for(load_answers(path), rulebook, probe_report if probed else None)
    text = render_markdown(document)
    meta = front_matter(text)
    assert meta["status"] == "proposed"
    assert meta["date"] == f"{document.generated_at:%Y-%m-%d}"
    assert "decision-makers" in meta
    tokens = body_tokens(text)
    found = headings(tokens)
    assert found[0][0] == 1
    titles = {title for _level, title in MADR_SECTIONS}
    sections = [heading for heading in found if heading[1] in titles]
    assert sections[: len(MADR_SECTIONS)] == MADR_SECTIONS
    option_titles = [option.title for option in document.options]
    assert [title for level, title in found if level == 3][-len(option_titles) :] == option_titles
    seen = plain_text(tokens)
    assert document.decision_sentence in seen
    if document.verdict not in ("split", "none"):
        assert f"Chosen option: “{document.verdict_label}”" in seen
    for caveat in document.caveats:
        assert caveat.text in seen
    if probed:
        assert any(token.type == "table_open" for token in tokens[1:])
        assert all(line.claim_id in seen for line in document.grounding)
    else:
        assert "No probe was run" in seen


def test_user_text_cannot_add_markup(rulebook: Rulebook) -> None:
    hostile = f"# {HOSTILE_NAME} [link](https://x) | `code` _i_ 1. <!-- x"
    answers = load_answers(EXAMPLES / "payment-service-strict.json")
    document = report_for(answers.model_copy(update={"project_name": hostile}), rulebook)
    tokens = body_tokens(render_markdown(document))
    assert not [token for token in tokens if token.type in ("html_block", "html_inline")]
    inline = [child for token in tokens if token.children for child in token.children]
    assert not [child for child in inline if child.type in ("link_open", "em_open", "code_inline")]
    assert hostile in plain_text(tokens)
    assert [level for level, _title in headings(tokens)].count(1) == 1


def test_an_answer_on_a_scale_says_what_its_level_means(rulebook: Rulebook) -> None:
    answers = load_answers(EXAMPLES / "payment-service-strict.json")
    document = report_for(answers, rulebook)
    row = next(row for row in document.answers if row.question_id == "security")
    meaning = rulebook.questions.by_id["security"].meaning_of(answers.value("security"))
    assert meaning and row.meaning == meaning
    assert f"{row.answer}: {meaning}" in plain_text(body_tokens(render_markdown(document)))


@pytest.mark.parametrize("text", ["1. first", "- item", "+ plus", "> quote", "#5", "a|b", "x\\y"])
def test_escaped_text_reads_as_typed(text: str) -> None:
    tokens = PARSER.parse(f"{escape(text, starts_block=True)}\n")
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert tokens[1].children is not None
    assert "".join(child.content for child in tokens[1].children) == text


def test_report_writes_markdown_with_or_without_the_pdf(tmp_path: Path) -> None:
    record, pdf = tmp_path / "decision.md", tmp_path / "report.pdf"
    answers = str(EXAMPLES / "linux-microservices-postgres.json")
    command = ["report", "--answers", answers, "--probe", str(PROBE_REPORT)]
    assert main([*command, "--markdown", str(record)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["decision.md"]
    assert headings(body_tokens(record.read_text(encoding="utf-8")))[0][0] == 1
    assert main([*command, "--markdown", str(record), "--pdf", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_report_without_any_output_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    answers = str(EXAMPLES / "linux-microservices-postgres.json")
    assert main(["report", "--answers", answers]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--markdown" in err and "--pdf" in err


def test_an_unwritable_markdown_path_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = str(EXAMPLES / "linux-microservices-postgres.json")
    target = tmp_path / "no-folder" / "decision.md"
    assert main(["report", "--answers", answers, "--markdown", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-folder" in err
    assert list(tmp_path.iterdir()) == []
