"""An assessment's history and the difference between two milestones, in words.

Part of the view model: `dvm-advisor diff` and the app's history show these words. A
difference says which answers changed, whether the verdict and confidence changed, and the
reasons that made the difference: the rules that fired at one milestone and not the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from advisor.base.i18n import _, format_datetime, ngettext
from advisor.base.models import FrozenModel
from advisor.milestones import Milestone, ProbeUsed
from advisor.wording import CONFIDENCE_LABELS, OPTION_NAMES


class HistoryEntry(FrozenModel):
    """One milestone in a list of them."""

    number: int  # 1 for the first save
    when: str
    verdict_label: str
    confidence_label: str
    probe: str
    changes: str  # what changed since the milestone before, in a phrase


class AnswerChange(FrozenModel):
    """One answer that differs between two milestones."""

    question: str  # the question's short name
    before: str
    after: str

    @property
    def sentence(self) -> str:
        """'Security: Standard → Strict'."""
        return _("{question}: {before} → {after}").format(
            question=self.question, before=self.before, after=self.after
        )


class MilestoneDiff(FrozenModel):
    """What changed from one milestone to another."""

    before_label: str
    after_label: str
    answers: tuple[AnswerChange, ...]
    verdict: str  # "Containers → Virtual machines", or "Containers (unchanged)"
    verdict_changed: bool
    confidence: str
    confidence_changed: bool
    scores: str
    rules_now: tuple[str, ...]  # reasons that fired after, not before
    rules_gone: tuple[str, ...]  # reasons that fired before, not after
    probe: str
    ruleset: str
    summary: str


def verdict_label(verdict: str) -> str:
    """A verdict's name as a heading says it; a kind this version does not know, as kept."""
    known: dict[str, str] = {option: name.title for option, name in OPTION_NAMES.items()}
    return known.get(verdict, verdict)


def confidence_label(confidence: str) -> str:
    """A confidence level as the view model names it; one this version does not know, as kept."""
    known: dict[str, str] = {level: label for level, label in CONFIDENCE_LABELS.items()}
    return known.get(confidence, _("{level} confidence").format(level=confidence))


def when_label(milestone: Milestone) -> str:
    """When a milestone was saved, in words."""
    if milestone.saved_at is None:
        return _("saved before the history was kept")
    return _("saved {when}").format(when=_moment(milestone.saved_at))


def _moment(moment: datetime) -> str:
    return format_datetime(moment)


def probe_label(probe: ProbeUsed | None) -> str:
    """The probe report a milestone rested on, in a phrase."""
    if probe is None:
        return _("no probe report")
    account = f"{probe.user}@" if probe.user else ""
    return _("probe report of {host} taken {when}").format(
        host=f"{account}{probe.hostname}", when=_moment(probe.taken_at)
    )


def history_entries(milestones: Sequence[Milestone]) -> tuple[HistoryEntry, ...]:
    """The history as a list to show, oldest first."""
    entries = []
    for index, milestone in enumerate(milestones):
        if index == 0:
            changes = _("the first milestone")
        else:
            diff = milestone_diff(milestones[index - 1], milestone)
            changes = diff.summary
        entries.append(
            HistoryEntry(
                number=index + 1,
                when=when_label(milestone),
                verdict_label=verdict_label(milestone.verdict),
                confidence_label=confidence_label(milestone.confidence),
                probe=probe_label(milestone.probe),
                changes=changes,
            )
        )
    return tuple(entries)


def milestone_diff(
    before: Milestone,
    after: Milestone,
    *,
    before_label: str | None = None,
    after_label: str | None = None,
) -> MilestoneDiff:
    """What changed from `before` to `after`, each labelled by its save time unless named."""
    questions = type(after.answers).questionnaire
    answers = tuple(
        AnswerChange(
            question=question.step,
            before=question.label_of(before.answers.value(question.id)),
            after=question.label_of(after.answers.value(question.id)),
        )
        for question in questions.questions
        if before.answers.value(question.id) != after.answers.value(question.id)
    )
    verdict_changed = before.verdict != after.verdict
    confidence_changed = before.confidence != after.confidence
    fired_before = {rule.rule_id for rule in before.reasons}
    fired_after = {rule.rule_id for rule in after.reasons}
    rules_now = tuple(
        f"{rule.title} ({rule.rule_id})"
        for rule in after.reasons
        if rule.rule_id not in fired_before
    )
    rules_gone = tuple(
        f"{rule.title} ({rule.rule_id})"
        for rule in before.reasons
        if rule.rule_id not in fired_after
    )
    return MilestoneDiff(
        before_label=before_label or when_label(before),
        after_label=after_label or when_label(after),
        answers=answers,
        verdict=_change(verdict_label(before.verdict), verdict_label(after.verdict)),
        verdict_changed=verdict_changed,
        confidence=_change(confidence_label(before.confidence), confidence_label(after.confidence)),
        confidence_changed=confidence_changed,
        scores=_scores(before, after),
        rules_now=rules_now,
        rules_gone=rules_gone,
        probe=_change(probe_label(before.probe), probe_label(after.probe)),
        ruleset=_change(
            _("rules {version}").format(version=before.ruleset_version),
            _("rules {version}").format(version=after.ruleset_version),
        ),
        summary=_summary(len(answers), verdict_changed, confidence_changed, after),
    )


def _change(before: str, after: str) -> str:
    return (
        _("{value} (unchanged)").format(value=before) if before == after else f"{before} → {after}"
    )


def _scores(before: Milestone, after: Milestone) -> str:
    options = list(dict.fromkeys([*before.scores, *after.scores]))
    short: dict[str, str] = {option: name.title for option, name in OPTION_NAMES.items()}
    parts = []
    for option in options:
        name = short.get(option, option)
        old, new = before.scores.get(option), after.scores.get(option)
        parts.append(f"{name} {old}" if old == new else f"{name} {old} → {new}")
    return _(", ").join(parts)


def _summary(
    answers: int, verdict_changed: bool, confidence_changed: bool, after: Milestone
) -> str:
    changed = (
        ngettext("{count} answer changed", "{count} answers changed", answers).format(count=answers)
        if answers
        else _("no answer changed")
    )
    if verdict_changed:
        return _("{changed}; the verdict became {verdict}").format(
            changed=changed, verdict=verdict_label(after.verdict)
        )
    if confidence_changed:
        return _("{changed}; the confidence became {confidence}").format(
            changed=changed, confidence=confidence_label(after.confidence).lower()
        )
    return _("{changed}; the same verdict and confidence").format(changed=changed)
