"""Milestones and `dvm-advisor diff`: each save is recorded, old files are a history of one,
and the difference names the answers, the verdict, the confidence and the reasons."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from advisor.assessment import load_assessment, make_assessment, save_assessment
from advisor.cli import main
from advisor.engine import advise
from advisor.milestones import MAX_MILESTONES, milestone_of, with_milestone
from advisor.report.milestone_view import history_entries, milestone_diff
from advisor.wording import OPTION_NAMES
from tests.answers_data import make_answers
from tests.probe_reports import make_report, offline_host_facts

FIRST = make_answers(project_name="Billing", security="standard", app_count=4)
STRICTER = make_answers(
    project_name="Billing", security="strict", compliance="pci_dss", app_count=4
)


def test_each_save_adds_a_milestone_with_its_answers_probe_rules_and_verdict(
    tmp_path: Path,
) -> None:
    path = tmp_path / "billing.json"
    probe = make_report(offline_host_facts())
    history: tuple = ()
    for answers, report in ((FIRST, None), (STRICTER, None), (STRICTER, probe)):
        save_assessment(make_assessment(answers, report, history=history), path)
        history = load_assessment(path).milestones()
    assert [m.answers for m in history] == [FIRST, STRICTER, STRICTER]
    assert history[0].probe is None and history[2].probe is not None
    assert history[2].probe.hostname == probe.hostname
    assert history[2].probe.taken_at == probe.taken_at
    for milestone, report in zip(history, (None, None, probe), strict=True):
        advice = advise(milestone.answers, report)
        assert milestone.verdict == advice.verdict
        assert milestone.confidence == advice.confidence
        assert milestone.ruleset_version == advice.ruleset_version
        assert [r.rule_id for r in milestone.reasons] == [r.rule_id for r in advice.reasons]
    saved = [m.saved_at for m in history]
    assert all(saved) and saved == sorted(saved)  # type: ignore[type-var]


def test_a_file_of_format_version_1_opens_as_a_history_of_one(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    answers = json.loads(FIRST.model_dump_json())
    path.write_text(json.dumps({"schema_version": 1, "answers": answers, "probe": None}))
    (only,) = load_assessment(path).milestones()
    assert only.saved_at is None and only.answers == FIRST
    assert only.verdict == advise(FIRST).verdict
    (entry,) = history_entries((only,))
    assert entry.when == "saved before the history was kept"


def test_the_difference_names_answers_verdict_confidence_and_reasons() -> None:
    before = milestone_of(FIRST, None, saved_at=datetime.now(UTC))
    after = milestone_of(STRICTER, None, saved_at=datetime.now(UTC))
    diff = milestone_diff(before, after)
    changed = {change.question for change in diff.answers}
    assert changed == {"Security", "Compliance"}
    fired_before = {r.rule_id for r in before.reasons}
    fired_after = {r.rule_id for r in after.reasons}
    assert {text.rsplit("(", 1)[1].rstrip(")") for text in diff.rules_now} == (
        fired_after - fired_before
    )
    assert {text.rsplit("(", 1)[1].rstrip(")") for text in diff.rules_gone} == (
        fired_before - fired_after
    )
    assert diff.verdict_changed == (before.verdict != after.verdict)
    assert diff.confidence_changed == (before.confidence != after.confidence)
    assert ("unchanged" in diff.verdict) != diff.verdict_changed


def test_a_verdict_word_this_version_does_not_know_still_opens_and_reads(tmp_path: Path) -> None:
    saved = make_assessment(FIRST, None)
    data = json.loads(saved.model_dump_json())
    data["history"][0]["verdict"] = "unikernel"
    data["history"][0]["confidence"] = "certain"
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (entry,) = history_entries(load_assessment(path).milestones())
    assert entry.verdict_label == "unikernel" and entry.confidence_label == "certain confidence"


def test_a_long_history_keeps_its_first_milestone_and_the_latest() -> None:
    start = datetime.now(UTC)
    history: tuple = ()
    for index in range(MAX_MILESTONES + 5):
        milestone = milestone_of(FIRST, None, saved_at=start + timedelta(seconds=index))
        history = with_milestone(history, milestone)
    assert len(history) == MAX_MILESTONES
    assert history[0].saved_at == start
    assert history[-1].saved_at == start + timedelta(seconds=MAX_MILESTONES + 4)


def test_diff_of_two_files_prints_the_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tmp_path / "before.json"
    save_assessment(make_assessment(FIRST, None), before)
    after = tmp_path / "after.json"
    after.write_text(STRICTER.model_dump_json(), encoding="utf-8")
    assert main(["diff", str(before), str(after)]) == 0
    printed = capsys.readouterr().out
    assert "Security: Standard → Strict" in printed
    verdicts = [OPTION_NAMES[advise(a).verdict].title for a in (FIRST, STRICTER)]
    assert f"Verdict: {verdicts[0]} → {verdicts[1]}" in printed or verdicts[0] == verdicts[1]
    assert "before.json, saved " in printed and "after.json, answers advised now" in printed


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, r"no such file"),
        ("not json", r"is not an assessment or an answers file; expected an assessment"),
        ("probe", r"is the probe report, not an assessment; expected an assessment"),
        ('{"schema_version": 2, "answers": {"host_os": "beos"}}', r"bad\.json: field 'answers\."),
    ],
)
def test_diff_of_a_bad_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, expected: str
) -> None:
    good = tmp_path / "good.json"
    good.write_text(FIRST.model_dump_json(), encoding="utf-8")
    bad = tmp_path / "bad.json"
    if content == "probe":
        bad.write_text(make_report(offline_host_facts()).model_dump_json(), encoding="utf-8")
    elif content is not None:
        bad.write_text(content, encoding="utf-8")
    assert main(["diff", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert re.search(expected, captured.err)
