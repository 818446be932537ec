"""The report document: everything the PDF shows, built from the advice and a probe run."""

from __future__ import annotations

import pytest

from advisor.answers import Answers
from advisor.grounding import format_seconds
from advisor.probes.report import ProbeReport
from advisor.report import ReportDocument
from advisor.rulebook import Rulebook
from advisor.wording import CHECK_VERDICT_LABELS, OPTION_NAMES
from tests.unit.report.conftest import GENERATED_AT, HOSTILE_NAME, advise, report_for


def test_page_one_names_project_verdict_and_host(
    probed_document: ReportDocument, answers: Answers, probe_report: ProbeReport
) -> None:
    document = probed_document
    assert answers.project_name is not None
    assert document.project_label == answers.project_name
    assert answers.project_name in document.verdict_sentence
    assert OPTION_NAMES[document.verdict].phrase in document.verdict_sentence
    assert document.host_label.startswith(probe_report.hostname)
    assert document.generated_at == GENERATED_AT
    agreeing = [line for line in document.confidence_factors if line.agrees]
    assert document.confidence_sentence.startswith(document.confidence_label)
    assert f"{len(agreeing)} independent factors agree" in document.confidence_sentence
    for line in agreeing:
        assert line.name.lower() in document.confidence_sentence


def test_scores_mirror_the_recommendation(
    probed_document: ReportDocument, answers: Answers, rulebook: Rulebook, probe_report: ProbeReport
) -> None:
    recommendation = advise(answers, rulebook, probe_report)
    assert [bar.points for bar in probed_document.scores] == [
        recommendation.scores.of(bar.option) for bar in probed_document.scores
    ]
    assert [bar.option for bar in probed_document.scores if bar.is_verdict] == [
        recommendation.verdict
    ]


def test_every_reason_appears_in_order_with_an_article_sentence(
    probed_document: ReportDocument, answers: Answers, rulebook: Rulebook, probe_report: ProbeReport
) -> None:
    recommendation = advise(answers, rulebook, probe_report)
    assert [entry.rule_id for entry in probed_document.reasons] == [
        reason.rule_id for reason in recommendation.reasons
    ]
    for entry, reason in zip(probed_document.reasons, recommendation.reasons, strict=True):
        # One sentence per cited claim, each credited to the claim whose sentence it is.
        assert [excerpt.claim_id for excerpt in entry.excerpts] == sorted(
            reason.claims, key=lambda claim_id: claim_id != entry.excerpt.claim_id
        )
        for excerpt in entry.excerpts:
            claim = rulebook.claims[excerpt.claim_id]
            assert excerpt.digest == claim.reading
            assert any(excerpt.original in sentence for sentence in claim.original)
        assert entry.excerpt.quoted_by_rule == (reason.quote is not None)
        assert sum(excerpt.quoted_by_rule for excerpt in entry.excerpts) <= 1
        if reason.quote is not None:
            assert entry.excerpt.original == reason.quote


def test_key_reasons_are_the_strongest_for_the_verdict(probed_document: ReportDocument) -> None:
    key = probed_document.key_reasons
    assert 1 <= len(key) <= 3
    for_verdict = [entry for entry in probed_document.reasons if entry.stance == "for"]
    assert list(key) == for_verdict[: len(key)]


def test_a_reason_favouring_another_option_is_marked_against(
    answers: Answers, rulebook: Rulebook
) -> None:
    strict = answers.model_copy(update={"own_kernel": True, "app_count": 1})
    document = report_for(strict, rulebook)
    assert document.verdict == "vm"
    linux = next(r for r in document.reasons if r.rule_id.startswith("linux-apps-on-linux"))
    assert linux.stance == "against"
    assert linux not in document.key_reasons


def test_answers_table_has_every_question_in_form_order(
    probed_document: ReportDocument, answers: Answers
) -> None:
    table = type(answers).questionnaire.questions
    assert [row.question for row in probed_document.answers] == [q.question for q in table]
    by_question = {row.question: row.answer for row in probed_document.answers}
    assert by_question["How many applications must run?"] == "10"
    assert by_question["Must environments start quickly?"] == "Yes"
    assert by_question["Which operating systems do the applications need?"] == "Linux"


def test_flips_name_the_question_and_both_answers(
    probed_document: ReportDocument, answers: Answers, rulebook: Rulebook, probe_report: ProbeReport
) -> None:
    recommendation = advise(answers, rulebook, probe_report)
    titles = {q.id: q.question for q in type(answers).questionnaire.questions}
    assert [flip.question for flip in probed_document.flips] == [
        titles[flip.field] for flip in recommendation.flips
    ]
    assert all(flip.answer_now != flip.answer_then for flip in probed_document.flips)


def test_grounding_lines_carry_each_check_and_a_plain_verdict(
    probed_document: ReportDocument, answers: Answers, rulebook: Rulebook, probe_report: ProbeReport
) -> None:
    checks = advise(answers, rulebook, probe_report).grounding
    assert len(probed_document.grounding) == len(checks) > 0
    for line, check in zip(probed_document.grounding, checks, strict=True):
        assert (line.claim_id, line.measured, line.verdict) == (
            check.claim_id,
            check.measured,
            check.verdict,
        )
        assert line.verdict_label == CHECK_VERDICT_LABELS[check.verdict]
    counts = {v: sum(line.verdict == v for line in checks) for v in CHECK_VERDICT_LABELS}
    assert f"{counts['holds']} hold" in probed_document.grounding_summary


def test_startup_figures_are_the_measured_medians(
    probed_document: ReportDocument, probe_report: ProbeReport
) -> None:
    container, vm = probe_report.container, probe_report.vm
    assert container and container.start_seconds and vm and vm.boot_seconds
    start, boot = probed_document.startup
    assert (start.kind, start.median_seconds, start.runs) == (
        "container",
        container.start_seconds.median,
        container.start_seconds.runs,
    )
    assert (boot.kind, boot.median_seconds, boot.slowest_seconds) == (
        "vm",
        vm.boot_seconds.median,
        vm.boot_seconds.max,
    )
    ratio = round(vm.boot_seconds.median / container.start_seconds.median)
    assert probed_document.startup_note and f"{ratio}x" in probed_document.startup_note


def test_probe_section_shows_host_settings_and_versions(
    probed_document: ReportDocument, probe_report: ProbeReport
) -> None:
    probe = probed_document.probe
    assert probe is not None
    host = {row.label: row.value for row in probe.host}
    assert probe_report.host.os.kernel in host["Operating system"]
    tools = {row.label: row.value for row in probe.tools}
    assert tools["Container engine"] == probe_report.host.docker.title
    assert tools["Hypervisor"] == probe_report.host.libvirt.hypervisor
    outcomes = {row.label: row.value for row in probe.outcomes}
    assert probe_report.container is not None and probe_report.container.start_seconds
    median = format_seconds(probe_report.container.start_seconds.median)
    assert median in outcomes["Container probe"]
    assert {row.label for row in probe.settings} >= {"Runs per probe", "Image"}


def test_without_a_probe_the_report_says_so(answers: Answers, rulebook: Rulebook) -> None:
    document = report_for(answers, rulebook)
    assert document.probe is None
    assert document.grounding == () and document.startup == ()
    assert document.host_label == "none probed"
    assert document.probe_statement.startswith("No probe was run")
    assert document.grounding_summary.startswith("No probe was run")


def test_cited_claims_are_those_of_the_reasons(
    probed_document: ReportDocument, rulebook: Rulebook
) -> None:
    cited = {claim for entry in probed_document.reasons for claim in entry.claims}
    assert [claim.id for claim in probed_document.cited_claims] == [
        claim_id for claim_id in rulebook.claims if claim_id in cited
    ]


def test_source_names_the_article_and_rule_set(
    probed_document: ReportDocument, rulebook: Rulebook
) -> None:
    source = probed_document.source
    assert source.article_title == "Docker vs Virtual Machine (VM)"
    assert source.article_author == "Peter Dong"
    assert source.article_published.isoformat() == "2022-06-10"
    assert source.ruleset_version == rulebook.version


def test_user_text_is_kept_as_typed(answers: Answers, rulebook: Rulebook) -> None:
    document = report_for(answers.model_copy(update={"project_name": HOSTILE_NAME}), rulebook)
    assert document.project_name == document.project_label == HOSTILE_NAME
    assert f"“{HOSTILE_NAME}”" in document.verdict_sentence


def test_an_unnamed_project_gets_a_plain_label(answers: Answers, rulebook: Rulebook) -> None:
    document = report_for(answers.model_copy(update={"project_name": None}), rulebook)
    assert document.project_label == "Unnamed project"
    assert "this project" in document.verdict_sentence


def test_confidence_when_every_other_option_is_ruled_out(
    answers: Answers, rulebook: Rulebook
) -> None:
    # A Windows GUI application on a Linux host: only a VM is left.
    forced = answers.model_copy(update={"app_oses": ("windows",), "windows_gui": True})
    document = report_for(forced, rulebook)
    assert document.confidence_sentence.startswith(
        f"{document.confidence_label}: every other option is ruled out."
    )
    assert "The operating systems factor rules out" in document.confidence_sentence
    ruled = {bar.option: bar.ruled_out_by for bar in document.scores}
    assert ruled["container"] and ruled["hybrid"] and ruled["host"] and not ruled["vm"]


def test_building_is_pure_and_survives_json(
    answers: Answers, rulebook: Rulebook, probe_report: ProbeReport
) -> None:
    first = report_for(answers, rulebook, probe_report)
    assert report_for(answers, rulebook, probe_report) == first
    assert ReportDocument.model_validate_json(first.model_dump_json()) == first


@pytest.mark.parametrize("only", ["container", "vm"])
def test_a_single_probe_leaves_the_other_figures_out(
    answers: Answers, rulebook: Rulebook, probe_report: ProbeReport, only: str
) -> None:
    other = "vm" if only == "container" else "container"
    report = probe_report.model_copy(update={other: None})
    document = report_for(answers, rulebook, report)
    assert [figure.kind for figure in document.startup] == [only]
    assert document.startup_note is not None and "not both measured" in document.startup_note
    assert document.probe is not None
    outcomes = {row.label: row.value for row in document.probe.outcomes}
    label = "VM probe" if other == "vm" else "Container probe"
    assert outcomes[label].startswith("not run")
