"""Milestones: what an assessment said each time it was saved.

Each save records the answers, the probe report the advice rested on (which host, taken
when), the rules version and the advice at that moment: verdict, confidence, scores and the
rules that fired. The verdict and confidence are kept as the words the engine used then, so
a history written by an older engine still opens when the engine's kinds change.
"""

from __future__ import annotations

import functools
from datetime import datetime

from pydantic import Field, SerializeAsAny, create_model

from advisor.answers import Answers
from advisor.base.models import FrozenModel
from advisor.engine import advise
from advisor.probe_results import ProbeReport
from advisor.probes.quantities import Label, Text
from advisor.questions import Questionnaire
from advisor.rulebook import Rulebook

# A history longer than this keeps its first save and the most recent ones: an assessment
# file must stay well under the size any input may have.
MAX_MILESTONES = 200


class ProbeUsed(FrozenModel):
    """Which probe report the advice rested on: the host and when it was probed."""

    hostname: Label
    user: Label | None = None
    taken_at: datetime


class FiredRule(FrozenModel):
    """A rule that fired, by id and title as the rules said then."""

    rule_id: Label
    title: Text


class Milestone(FrozenModel):
    """The assessment as it stood at one save.

    `answers` takes the answers format of one question table: `milestone_model` makes the
    model that reads and writes it.
    """

    saved_at: datetime | None = Field(
        description="When it was saved; null for a file saved before the history was kept."
    )
    answers: SerializeAsAny[Answers]
    probe: ProbeUsed | None
    ruleset_version: Label
    verdict: Label
    confidence: Label
    scores: dict[Label, int] = Field(max_length=16)
    reasons: tuple[FiredRule, ...] = Field(max_length=1000)


@functools.cache
def milestone_model(questions: Questionnaire) -> type[Milestone]:
    """The milestone format whose answers are those of `questions`."""
    model: type[Milestone] = create_model(
        "Milestone",
        __base__=Milestone,
        __module__=__name__,
        answers=(questions.answers_model, Field(description="The answers, as they were.")),
    )
    return model


def probe_used(report: ProbeReport | None) -> ProbeUsed | None:
    """The reference a milestone keeps to a probe report."""
    if report is None:
        return None
    return ProbeUsed(hostname=report.hostname, user=report.host.user, taken_at=report.taken_at)


def milestone_of(
    answers: Answers,
    probe: ProbeReport | None,
    *,
    saved_at: datetime | None,
    rulebook: Rulebook | None = None,
) -> Milestone:
    """The milestone of answers and a probe report, with the advice the engine gives now."""
    recommendation = advise(answers, probe, rulebook=rulebook)
    model = milestone_model(type(answers).questionnaire)
    return model(
        saved_at=saved_at,
        answers=answers,
        probe=probe_used(probe),
        ruleset_version=recommendation.ruleset_version,
        verdict=recommendation.verdict,
        confidence=recommendation.confidence,
        scores=recommendation.scores.model_dump(),
        reasons=tuple(
            FiredRule(rule_id=reason.rule_id, title=reason.title)
            for reason in recommendation.reasons
        ),
    )


def with_milestone(history: tuple[Milestone, ...], milestone: Milestone) -> tuple[Milestone, ...]:
    """`history` with `milestone` added, the oldest but the first let go beyond the limit."""
    added = (*history, milestone)
    if len(added) <= MAX_MILESTONES:
        return added
    return (added[0], *added[len(added) - MAX_MILESTONES + 1 :])
