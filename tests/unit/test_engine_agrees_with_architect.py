"""The engine agrees with the architect's reference projects (tests/unit/data).

A project is held to the engine where the engine has a verdict kind for its advice or for a
verdict the architect accepts; then the engine's verdict must be one of those, and never one
the architect calls wrong. The others wait for the verdict kinds they need, and are listed.

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
from advisor.rulebook import OPTIONS, Option
from tests.unit.test_architect_projects import LEVELS, PROJECTS

# The engine's verdicts, named as the reference projects name verdict kinds.
KIND_OF: dict[Option, str] = {"container": "container", "vm": "vm", "hybrid": "containers_in_vms"}
# Facts of the reference projects that no question asks yet (the split verdict's counts).
NOT_YET_ASKED = {"apps_by_os"}


def answers_of(project: dict[str, Any]) -> Answers:
    questions = load_questions()
    facts = {key: value for key, value in project["facts"].items() if key not in NOT_YET_ASKED}
    return questions.answers_model.model_validate({"schema_version": questions.version, **facts})


def good_verdicts(project: dict[str, Any]) -> set[str]:
    return {project["advice"], *project["acceptable"]}


def expressible(project: dict[str, Any]) -> bool:
    return bool(good_verdicts(project) & set(KIND_OF.values()))


HELD = [project for project in PROJECTS if expressible(project)]
WAITING = [project for project in PROJECTS if not expressible(project)]


@pytest.mark.parametrize("project", HELD, ids=lambda project: project["id"])
def test_the_verdict_is_the_advice_or_an_acceptable_one(project: dict[str, Any]) -> None:
    recommendation = advise(answers_of(project))
    kind = KIND_OF[recommendation.verdict]
    assert kind not in project["never"]
    assert kind in good_verdicts(project), (kind, recommendation.scores)


# Projects whose advice is a verdict kind the engine has: their confidence can be compared.
CONFIDENCE_HELD = [project for project in HELD if project["advice"] in KIND_OF.values()]


@pytest.mark.parametrize("project", CONFIDENCE_HELD, ids=lambda project: project["id"])
def test_the_confidence_is_one_the_architect_signs(project: dict[str, Any]) -> None:
    recommendation = advise(answers_of(project))
    confidence, evidence = recommendation.confidence, recommendation.evidence
    if KIND_OF[recommendation.verdict] == project["advice"]:
        signed = {project["confidence"], *project.get("confidence_acceptable", ())}
        assert confidence in signed, (confidence, evidence)
    else:
        assert LEVELS.index(confidence) <= LEVELS.index(project["confidence"]), evidence


def test_every_facts_name_is_a_question_or_waits_for_one() -> None:
    ids = set(load_questions().by_id)
    named = {key for project in PROJECTS for key in project["facts"]}
    assert named - ids <= NOT_YET_ASKED


def test_only_projects_needing_the_new_verdict_kinds_wait() -> None:
    assert set(KIND_OF) == set(OPTIONS)
    for project in WAITING:
        assert project["advice"] in {"split", "host", "none"}
