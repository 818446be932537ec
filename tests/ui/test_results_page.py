"""The results page shows what the engine says: verdict, scores, reasons with their claims and
the article's words on demand, caveats, flips, claim checks and host facts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from advisor.recommendation import Recommendation
from advisor.report.model import ReportDocument
from advisor.ui.main_window import PROBES_STEP, RESULTS_STEP, MainWindow
from advisor.ui.results_page import ReasonCard
from advisor.ui.score_chart import RULED_OUT_COLOUR, VERDICT_COLOUR, ScoreChart
from advisor.wording import CHECK_VERDICT_LABELS, OPTION_NAMES
from tests.ui.conftest import ANSWERS, FakeProbes
from tests.ui.driving import answer_everything, give_answer


def advice(window: MainWindow) -> Recommendation:
    recommendation = window.document.recommendation()
    assert recommendation is not None
    return recommendation


def view(window: MainWindow) -> ReportDocument:
    document = window.document.view()
    assert document is not None
    return document


def label_texts(window: MainWindow) -> list[str]:
    body = window.results_page.scroll_area.widget()
    return [label.text() for label in body.findChildren(type(window.preview.verdict))]


def test_the_verdict_reasons_caveats_and_flips_are_the_engines(
    qtbot: QtBot, window: MainWindow
) -> None:
    answer_everything(qtbot, window)
    window.go_to(RESULTS_STEP)
    rec = advice(window)
    texts = label_texts(window)
    assert OPTION_NAMES[rec.verdict].title in texts
    cards = window.results_page.findChildren(ReasonCard)
    assert [card.reason.rule_id for card in cards] == [reason.rule_id for reason in rec.reasons]
    for reason in rec.reasons:
        assert any(text.startswith("Article: " + ", ".join(reason.claims)) for text in texts)
    assert len(view(window).caveats) == len(rec.caveats)
    for caveat in view(window).caveats:
        assert any(caveat.text in text for text in texts)
    assert f"•  {view(window).flips[0].sentence}" in texts
    assert window.results_page.chart is not None
    assert window.results_page.chart.scores == rec.scores.model_dump()


def test_the_articles_words_show_on_demand(qtbot: QtBot, window: MainWindow) -> None:
    answer_everything(qtbot, window)
    window.go_to(RESULTS_STEP)
    card = window.results_page.findChildren(ReasonCard)[0]
    expected = card.reason.excerpt.original
    assert not card.quote.isVisible()
    qtbot.mouseClick(card.quote_button, Qt.MouseButton.LeftButton)
    assert card.quote.isVisible()
    assert expected in card.quote.text()
    assert card.quote_button.text() == "Hide the article's words"
    assert card.quote.text().count("words (Chinese):") == 1  # labelled as the article's Chinese


def test_each_sentence_of_the_article_is_credited_to_its_own_claim(
    qtbot: QtBot, window: MainWindow
) -> None:
    answer_everything(qtbot, window)
    window.go_to(RESULTS_STEP)
    rulebook = window.document.rulebook
    for card in window.results_page.findChildren(ReasonCard):
        shown = card.quote.text()
        assert [excerpt.claim_id for excerpt in card.reason.excerpts] == sorted(
            card.reason.claims, key=lambda claim_id: claim_id != card.reason.excerpt.claim_id
        )
        for excerpt in card.reason.excerpts:
            owners = [
                claim.id
                for claim in rulebook.claims.values()
                if any(excerpt.original in sentence for sentence in claim.original)
            ]
            assert owners == [excerpt.claim_id]
            assert f"{excerpt.claim_id}, " in shown


def test_every_security_level_says_what_it_means(window: MainWindow) -> None:
    window.go_to("security")
    page = window.question_page("security")
    question = window.document.questions.by_id["security"]
    shown = [label.text() for label in page.findChildren(type(window.preview.verdict))]
    for choice in question.choices:
        assert choice.meaning and choice.meaning in shown


def test_without_probe_results_the_page_points_to_the_probes(
    qtbot: QtBot, window: MainWindow
) -> None:
    answer_everything(qtbot, window)
    window.go_to(RESULTS_STEP)
    assert window.results_page.claims_table is None
    buttons = {
        button.text(): button
        for button in window.results_page.findChildren(type(window.next_button))
    }
    qtbot.mouseClick(buttons["Go to the probes"], Qt.MouseButton.LeftButton)
    assert window.current_step == PROBES_STEP


def test_each_measurable_claim_sits_beside_the_figure_measured(
    qtbot: QtBot, window: MainWindow, fake_probes: FakeProbes
) -> None:
    answer_everything(qtbot, window)
    window.document.set_probe_report(fake_probes.report, "from this workstation")
    window.go_to(RESULTS_STEP)
    rec = advice(window)
    table = window.results_page.claims_table
    assert table is not None and table.rowCount() == len(rec.grounding) > 0
    for row, check in enumerate(rec.grounding):
        assert table.item(row, 0).text().startswith(check.claim_id)
        assert table.item(row, 1).text() == check.article_says
        assert check.explanation in table.item(row, 2).text()
        assert table.item(row, 3).text() == CHECK_VERDICT_LABELS[check.verdict].capitalize()
    assert "Host name" in label_texts(window)
    assert fake_probes.report.hostname in label_texts(window)


def test_unanswered_questions_lead_back_to_the_first_one(qtbot: QtBot, window: MainWindow) -> None:
    give_answer(qtbot, window, "host_os", "linux")
    window.go_to(RESULTS_STEP)
    assert "No advice yet" in label_texts(window)
    assert window.results_page.export_button is None
    buttons = window.results_page.findChildren(type(window.next_button))
    go = next(button for button in buttons if button.text().startswith("Go to"))
    qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    assert window.current_step == "app_oses"


def test_the_results_follow_a_changed_answer(qtbot: QtBot, window: MainWindow) -> None:
    answer_everything(qtbot, window)
    window.go_to(RESULTS_STEP)
    flip = advice(window).flips[0]
    give_answer(qtbot, window, flip.field, flip.value)
    window.go_to(RESULTS_STEP)
    assert OPTION_NAMES[flip.verdict].title in label_texts(window)


def test_the_chart_draws_the_verdict_and_a_ruled_out_option(
    qtbot: QtBot, window: MainWindow
) -> None:
    answer_everything(qtbot, window)
    rec = advice(window)
    assert rec.ruled_out, "these answers rule an option out"
    chart = ScoreChart()
    qtbot.addWidget(chart)
    chart.resize(400, chart.sizeHint().height())
    chart.show_scores(view(window).scores)
    image = chart.grab().toImage()
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    assert VERDICT_COLOUR.name() in colours
    assert RULED_OUT_COLOUR.name() in colours
    assert "ruled out" in chart.accessibleDescription()


def test_a_part_nothing_serves_is_said_in_words_not_drawn_as_a_chart(
    qtbot: QtBot, window: MainWindow
) -> None:
    answers = type(ANSWERS).model_validate(
        {
            "schema_version": ANSWERS.schema_version,
            "host_os": "linux",
            "app_oses": ["linux", "macos"],
            "app_count": 21,
            "linux_app_count": 20,
            "run_targets": ["ci"],
        }
    )
    answer_everything(qtbot, window, answers)
    window.go_to(RESULTS_STEP)
    rec = advice(window)
    assert rec.verdict == "split" and [part.verdict for part in rec.parts][1] == "none"
    page = window.results_page
    assert len(page.part_charts) == 1  # only the served part is drawn
    (unserved,) = page.unserved_parts
    macos = rec.parts[1]
    assert all(text in unserved.text() for text in macos.instead)
    assert view(window).verdict_label in label_texts(window)
