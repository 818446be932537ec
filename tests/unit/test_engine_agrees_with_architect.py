"""The engine agrees with the architect's reference projects (tests/unit/data).

Every project is held to the engine: its verdict must be the architect's advice or one the
architect accepts, never one the architect calls wrong; a split must put each part where the
architect does, and where nothing serves the advice must say what would.

The confidence is held too: where the engine gives the architect's advice, its confidence is
the architect's or a level the project accepts (`confidence_acceptable`); where it gives
another acceptable verdict, it is never surer than the architect is of the advice.
"""

from __future__ import annotations

from typing import Any

import pytest

from advisor.answers import Answers
from advisor.engine import advise
from advisor.questions import load_questions
from advisor.rulebook import VERDICTS, Verdict
from tests.unit.test_architect_projects import LEVELS, PROJECTS, VERDICT_KINDS

# The engine's verdicts, named as the reference projects name verdict kinds.
KIND_OF: dict[Verdict, str] = {
    "container": "container",
    "vm": "vm",
    "hybrid": "containers_in_vms",
    "host": "host",
    "split": "split",
    "none": "none",
}


def answers_of(project: dict[str, Any]) -> Answers:
    questions = load_questions()
    return questions.answers_model.model_validate(
        {"schema_version": questions.version, **project["facts"]}
    )


def good_verdicts(project: dict[str, Any]) -> set[str]:
    return {project["advice"], *project["acceptable"]}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda project: project["id"])
def test_the_verdict_is_the_advice_or_an_acceptable_one(project: dict[str, Any]) -> None:
    recommendation = advise(answers_of(project))
    kind = KIND_OF[recommendation.verdict]
    assert kind not in project["never"]
    assert kind in good_verdicts(project), (kind, recommendation.scores)


def advising(kind: str) -> Any:
    """The projects whose advice is `kind`, one test each."""
    chosen = [project for project in PROJECTS if project["advice"] == kind]
    return pytest.mark.parametrize("project", chosen, ids=lambda project: project["id"])


@advising("split")
def test_a_split_puts_each_part_where_the_architect_does(project: dict[str, Any]) -> None:
    recommendation = advise(answers_of(project))
    if recommendation.verdict != "split":
        return  # an acceptable verdict of one kind, held by the test above
    placed = {
        os_name: KIND_OF[part.verdict] for part in recommendation.parts for os_name in part.app_oses
    }
    wanted = {os_name: kind for kind, oses in project["split"].items() for os_name in oses}
    assert placed == wanted
    for part in recommendation.parts:
        # A part nothing serves says what would; a served part needs no such words.
        assert bool(part.instead) == (part.verdict == "none")


@advising("none")
def test_where_nothing_serves_the_advice_says_what_would(project: dict[str, Any]) -> None:
    recommendation = advise(answers_of(project))
    assert recommendation.verdict == "none"
    assert recommendation.instead
    assert {item.option for item in recommendation.ruled_out} == set(KIND_OF) - {"split", "none"}


@pytest.mark.parametrize("project", PROJECTS, ids=lambda project: project["id"])
def test_the_confidence_is_one_the_architect_signs(project: dict[str, Any]) -> None:
    recommendation = advise(answers_of(project))
    confidence, evidence = recommendation.confidence, recommendation.evidence
    if KIND_OF[recommendation.verdict] == project["advice"]:
        signed = {project["confidence"], *project.get("confidence_acceptable", ())}
        assert confidence in signed, (confidence, evidence)
    else:
        assert LEVELS.index(confidence) <= LEVELS.index(project["confidence"]), evidence


def test_every_facts_name_is_a_question() -> None:
    ids = set(load_questions().by_id)
    assert {key for project in PROJECTS for key in project["facts"]} <= ids


def test_every_verdict_kind_has_a_name_and_two_projects_at_least() -> None:
    assert set(KIND_OF) == set(VERDICTS)
    assert set(KIND_OF.values()) == VERDICT_KINDS
    for kind in VERDICT_KINDS:
        assert sum(project["advice"] == kind for project in PROJECTS) >= 2, kind
