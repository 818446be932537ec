"""The view model of a recommendation: every word a person reads about it, decided once.

The command line's text, the PDF, the Markdown record and the app's results page and live
preview only lay out a ReportDocument; none of them words a recommendation itself. Option
names, effects, the answers behind a reason, the article's sentence for a reason, claim
verdicts and probe outcomes are all chosen here (and in probe_view.py for the probe run).

`build_report` is pure: the same answers, recommendation, probe report and time always give
the same document. Every string here is plain text. Each renderer escapes it for its own
format, so a project name such as `<b>x</b>` appears as those characters, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Literal

from advisor.answers import Answers
from advisor.base.i18n import N_, _, format_datetime, ngettext
from advisor.base.models import FrozenModel
from advisor.base.version import __version__
from advisor.engine import advise
from advisor.facts import PROBE_NAMESPACE
from advisor.grounding import FEW_MILLISECONDS, CheckVerdict
from advisor.questions import Questionnaire
from advisor.recommendation import (
    Caveat,
    Confidence,
    EngineNote,
    Part,
    Reason,
    Recommendation,
    RuledOut,
    Scores,
    Tie,
    Trigger,
)
from advisor.report.confidence_view import FactorLine, confidence_sentence, factor_lines
from advisor.report.probe_view import (
    ProbeSection,
    StartupFigure,
    probe_section,
    startup_figures,
    startup_note,
)
from advisor.rulebook import OPTIONS, Claim, Option, Rulebook, Verdict, load_rulebook
from advisor.wording import (
    CHECK_VERDICT_LABELS,
    CONFIDENCE_LABELS,
    OPTION_NAMES,
    fact_label,
    measured_value_text,
    points_text,
)

if TYPE_CHECKING:
    from advisor.probe_results import ProbeReport

REPORT_TITLE = N_("Containers or virtual machines?")
ARTICLE_TITLE = "Docker vs Virtual Machine (VM)"
ARTICLE_AUTHOR = "Peter Dong"
ARTICLE_PUBLISHED = date(2022, 6, 10)
ARTICLE_LANGUAGE = N_("Simplified Chinese")
KEY_REASON_COUNT = 3
INSTEAD_HEADING = N_("What would serve instead")
WHOLE_ESTATE_CAPTION = N_("The whole estate weighed as one")
# The score charts' scale grows in steps of this many points, from at least SCALE_MIN_POINTS:
# a bar keeps its length while the answers change, unless the scale must grow to hold it.
SCALE_STEP_POINTS = 5
SCALE_MIN_POINTS = 10
SCORE_EXPLANATION = N_(
    "Each rule that applies to these answers gives points to the options it favours, more "
    "for a stronger reason, or takes points away; a rule can also rule an option out. The "
    "verdict is the highest option no rule ruled out."
)

_SUMMARY_LABELS: Mapping[CheckVerdict, str] = {
    "holds": N_("hold"),
    "does_not_hold": N_("do not hold here"),
    "not_measured": N_("were not measured"),
}


class ScoreBar(FrozenModel):
    """One option's score, as the chart on page one draws it."""

    option: Option
    label: str
    points: int
    is_verdict: bool
    ruled_out_by: tuple[str, ...]  # rule ids; empty when the option is still possible

    @property
    def summary(self) -> str:
        """The bar in words, for a screen reader: 'Containers: 7 points, the verdict'."""
        if self.ruled_out_by:
            text = _("{option}: {points}, ruled out")
        elif self.is_verdict:
            text = _("{option}: {points}, the verdict")
        else:
            text = _("{option}: {points}")
        return text.format(option=self.label, points=points_text(self.points))


def score_axis(bars: Iterable[ScoreBar]) -> tuple[int, int]:
    """The lowest and highest points a score chart spans: from 0 (or below, for a negative
    score) to at least SCALE_MIN_POINTS, in whole steps of SCALE_STEP_POINTS."""
    points = [bar.points for bar in bars]
    step = SCALE_STEP_POINTS
    high = max(SCALE_MIN_POINTS, -(-max(points, default=0) // step) * step)
    low = min(0, (min(points, default=0) // step) * step)
    return low, high


class ArticleExcerpt(FrozenModel):
    """A sentence of the article with the English digest of the claim it belongs to."""

    claim_id: str
    section: str  # the title of the claim's section in the article, in the current language
    original: str  # the article's own words, Simplified Chinese
    digest: str
    quoted_by_rule: bool  # the rule quotes this sentence; else it is the claim's first one


class ReasonEntry(FrozenModel):
    """A rule that fired, as a reader needs it: what, why, and where the article says so."""

    rule_id: str
    title: str
    rationale: str
    effect: str  # "+3 Containers, +1 Containers in VMs, rules out Virtual machines"
    because: str  # the answers and measurements that made the rule fire
    claims: tuple[str, ...]
    # for: favours the verdict over every other option; against: favours another more.
    stance: Literal["for", "against", "even"]
    # One sentence of the article per claim the rule cites, each credited to its own claim.
    excerpts: tuple[ArticleExcerpt, ...]
    beyond_article: str | None  # the outside source of a rule the article does not cover

    @property
    def excerpt(self) -> ArticleExcerpt:
        """The sentence the rule quotes; for a rule without a quote, its first claim's first."""
        return self.excerpts[0]


class AnswerRow(FrozenModel):
    """One question of the answers form and the answer given."""

    question_id: str
    step: str  # the question's short name
    question: str
    answer: str
    # What the answer means, where its label alone does not say it (a level of a scale).
    meaning: str | None = None
    claims: tuple[str, ...]
    mattered: bool  # a reason for or against the verdict rests on this answer

    @property
    def answer_explained(self) -> str:
        """The answer with its meaning: 'Elevated: customer data or internal systems …'."""
        if self.meaning is None:
            return self.answer
        return _("{answer}: {meaning}").format(answer=self.answer, meaning=self.meaning)


class CaveatEntry(FrozenModel):
    """Something the team must still weigh."""

    text: str
    claims: tuple[str, ...]
    rule_id: str | None


class FlipEntry(FrozenModel):
    """One answer whose change alone would change the advice."""

    question: str
    answer_name: str  # a short name for the answer, for compact lines
    answer_now: str
    answer_then: str
    verdict_then: str

    @property
    def sentence(self) -> str:
        """'Security: Strict instead of Standard would change the advice to virtual machines.'"""
        return _("{answer}: {then} instead of {now} would change the advice to {verdict}.").format(
            answer=self.answer_name,
            then=self.answer_then,
            now=self.answer_now,
            verdict=self.verdict_then,
        )


class OpenQuestionEntry(FrozenModel):
    """A question not answered whose answer could change the advice."""

    question: str
    answer_name: str
    answer_then: str
    verdict_then: str

    @property
    def sentence(self) -> str:
        """'Untrusted code, not answered: Yes would change the advice to virtual machines.'"""
        return _("{answer}, not answered: {then} would change the advice to {verdict}.").format(
            answer=self.answer_name, then=self.answer_then, verdict=self.verdict_then
        )


class PartEntry(FrozenModel):
    """One part of a split estate: which applications, where they go, and their scores; or,
    for a part that nothing on these hosts serves, that it is not served and what would."""

    applications: str  # "the 30 applications that need Linux"
    caption: str  # above the part's scores
    verdict: Option | Literal["none"]
    verdict_label: str
    sentence: str  # "Docker containers for the 30 applications that need Linux"
    points: int  # the verdict's, for this part (0 for a part nothing serves)
    scores: tuple[ScoreBar, ...]
    margin: int
    instead: tuple[str, ...] = ()  # for a part nothing serves: what would

    @property
    def served(self) -> bool:
        """Whether an option serves this part: a part that none serves is shown in words,
        not as a chart of options all ruled out."""
        return self.verdict != "none"

    @property
    def outcome(self) -> str:
        """'“Containers” scores highest for the 20 applications that need Linux (13 points)',
        or 'every option is ruled out for the 1 application that needs macOS'."""
        if not self.served:
            return _("every option is ruled out for {applications}").format(
                applications=self.applications
            )
        return _("“{option}” scores highest for {applications} ({points})").format(
            option=self.verdict_label,
            applications=self.applications,
            points=points_text(self.points),
        )


class OptionEntry(FrozenModel):
    """One option considered, with what speaks for and against it."""

    option: Option
    title: str
    points: int
    is_verdict: bool
    ruled_out_by: tuple[str, ...]
    good: tuple[str, ...]  # reasons that give it points
    bad: tuple[str, ...]  # reasons that rule it out, take points away or favour another


class GroundingLine(FrozenModel):
    """One measurable aspect of the article's claims beside the figure measured here."""

    claim_id: str
    aspect: str
    article_says: str
    measured: str | None
    verdict: CheckVerdict
    verdict_label: str
    explanation: str


class CitedClaim(FrozenModel):
    """A claim of the article cited by the reasons, in full."""

    id: str
    section_zh: str
    section: str  # in the current language: section_zh itself in Chinese
    original: tuple[str, ...]
    digest: str


class SourceInfo(FrozenModel):
    """Where the advice comes from."""

    article_title: str
    article_author: str
    article_published: date
    article_language: str
    ruleset_version: str
    advisor_version: str


class ReportDocument(FrozenModel):
    """The whole recommendation report, ready to draw."""

    schema_version: Literal[1] = 1
    title: str
    project_name: str | None
    project_label: str  # the project name, or a plain stand-in when none was given
    generated_at: datetime
    host_label: str
    verdict: Verdict
    verdict_label: str
    verdict_sentence: str
    decision_sentence: str  # why this verdict, as the decision record's outcome opens
    parts: tuple[PartEntry, ...]  # a split's parts, each weighed on its own
    instead: tuple[str, ...]  # where no option serves: what would
    confidence: Confidence
    margin: int
    confidence_label: str
    confidence_sentence: str  # how many independent factors agree, and which disagrees
    confidence_factors: tuple[FactorLine, ...]  # each factor that weighed, and its stance
    tie_break: str | None
    ruled_out: tuple[str, ...]  # one sentence per option the rules make impossible
    score_explanation: str  # what a point is, and how the verdict follows from the scores
    scores: tuple[ScoreBar, ...]
    options: tuple[OptionEntry, ...]
    key_reasons: tuple[ReasonEntry, ...]
    grounding_summary: str
    answers: tuple[AnswerRow, ...]
    reasons: tuple[ReasonEntry, ...]
    caveats: tuple[CaveatEntry, ...]
    flips: tuple[FlipEntry, ...]
    worth_answering: tuple[OpenQuestionEntry, ...]
    format_note: str | None  # that the answers come from an older format, and what it never asked
    grounding: tuple[GroundingLine, ...]
    startup: tuple[StartupFigure, ...]
    startup_note: str | None
    few_milliseconds_seconds: float  # where the article's "a few milliseconds" ends
    probe: ProbeSection | None
    probe_statement: str  # what the probe run was, or that none was run
    cited_claims: tuple[CitedClaim, ...]
    source: SourceInfo


def report_for(
    answers: Answers,
    probe_report: ProbeReport | None = None,
    *,
    rulebook: Rulebook | None = None,
    generated_at: datetime | None = None,
) -> ReportDocument:
    """The advice for `answers` (grounded by `probe_report`) as a document, made now."""
    rulebook = rulebook or load_rulebook()
    return build_report(
        answers,
        advise(answers, probe_report, rulebook=rulebook),
        probe_report,
        rulebook=rulebook,
        generated_at=generated_at or datetime.now(UTC),
    )


def build_report(
    answers: Answers,
    recommendation: Recommendation,
    probe_report: ProbeReport | None,
    *,
    rulebook: Rulebook,
    generated_at: datetime,
) -> ReportDocument:
    """Everything the report shows, from the advice and (when one ran) the probe run."""
    rec = recommendation
    questions = type(answers).questionnaire
    reasons = tuple(
        _reason_entry(reason, rec.advised, rulebook.claims, questions) for reason in rec.reasons
    )
    mattered = {trigger.fact for reason in rec.reasons for trigger in reason.triggers}
    parts = tuple(_part_entry(part, questions) for part in rec.parts)
    ruled_out = {item.option: item.by for item in rec.ruled_out}
    return ReportDocument(
        title=_(REPORT_TITLE),
        project_name=rec.project_name,
        project_label=rec.project_name or _("Unnamed project"),
        generated_at=generated_at,
        host_label=_host_label(probe_report),
        verdict=rec.verdict,
        verdict_label=_verdict_label(rec),
        verdict_sentence=_verdict_sentence(rec, parts),
        decision_sentence=_decision_sentence(rec, parts),
        parts=parts,
        # Where nothing serves the whole estate, or a part of it: what would.
        instead=rec.instead or tuple(text for part in rec.parts for text in part.instead),
        confidence=rec.confidence,
        margin=rec.margin,
        confidence_label=CONFIDENCE_LABELS[rec.confidence],
        confidence_sentence=_confidence_sentence(rec),
        confidence_factors=factor_lines(rec),
        tie_break=_tie_sentence(rec.tie) if rec.tie else None,
        ruled_out=tuple(_ruled_out_sentence(option, by, rec) for option, by in ruled_out.items()),
        score_explanation=_(_SCORE_EXPLANATIONS.get(rec.verdict, SCORE_EXPLANATION)),
        # A split's options are its parts': the whole estate's chart marks none of them.
        scores=_score_bars(rec.scores, rec.ruled_out, () if rec.parts else rec.advised),
        options=tuple(_option_entry(option, rec, ruled_out, reasons) for option in OPTIONS),
        key_reasons=tuple(entry for entry in reasons if entry.stance == "for")[:KEY_REASON_COUNT],
        grounding_summary=_grounding_summary(rec, probe_report),
        answers=tuple(
            AnswerRow(
                question_id=question.id,
                step=question.step,
                question=question.question,
                answer=question.label_of(answers.value(question.id)),
                meaning=question.meaning_of(answers.value(question.id)),
                claims=question.claims,
                mattered=question.fact in mattered,
            )
            for question in questions.questions
        ),
        reasons=reasons,
        caveats=tuple(
            CaveatEntry(
                text=_caveat_text(caveat, rec), claims=caveat.claims, rule_id=caveat.rule_id
            )
            for caveat in rec.caveats
        ),
        flips=tuple(
            FlipEntry(
                question=questions.question(flip.field).question,
                answer_name=questions.question(flip.field).step,
                answer_now=questions.label_of(flip.field, flip.current),
                answer_then=questions.label_of(flip.field, flip.value),
                verdict_then=OPTION_NAMES[flip.verdict].phrase,
            )
            for flip in rec.flips
        ),
        worth_answering=tuple(
            OpenQuestionEntry(
                question=questions.question(flip.field).question,
                answer_name=questions.question(flip.field).step,
                answer_then=questions.label_of(flip.field, flip.value),
                verdict_then=OPTION_NAMES[flip.verdict].phrase,
            )
            for flip in rec.worth_answering
        ),
        format_note=_format_note(answers),
        grounding=tuple(
            GroundingLine(
                claim_id=check.claim_id,
                aspect=check.aspect,
                article_says=check.article_says,
                measured=check.measured,
                verdict=check.verdict,
                verdict_label=CHECK_VERDICT_LABELS[check.verdict],
                explanation=check.explanation,
            )
            for check in rec.grounding
        ),
        startup=startup_figures(probe_report),
        startup_note=startup_note(probe_report),
        few_milliseconds_seconds=FEW_MILLISECONDS,
        probe=probe_section(probe_report) if probe_report is not None else None,
        probe_statement=_probe_statement(probe_report),
        cited_claims=_cited_claims(rec.reasons, rulebook.claims),
        source=SourceInfo(
            article_title=ARTICLE_TITLE,
            article_author=ARTICLE_AUTHOR,
            article_published=ARTICLE_PUBLISHED,
            article_language=_(ARTICLE_LANGUAGE),
            ruleset_version=rec.ruleset_version,
            advisor_version=__version__,
        ),
    )


# --- the advice ------------------------------------------------------------------------------


def _ruled_out_sentence(option: Option, by: tuple[str, ...], rec: Recommendation) -> str:
    titles = {reason.rule_id: reason.title for reason in rec.reasons}
    because = "; ".join(
        _("“{title}”").format(title=titles[rule]) if rule in titles else rule for rule in by
    )
    if rec.parts:
        # A split's parts are weighed apart; this is the estate weighed as one.
        text = _(
            "For the whole estate weighed as one, {option} is ruled out ({rules}: {because}), "
            "whatever its {points}."
        )
    else:
        text = _(
            "{option} is ruled out ({rules}: {because}), so it cannot be the verdict, whatever "
            "its {points}."
        )
    return text.format(
        option=OPTION_NAMES[option].title,
        rules=", ".join(by),
        because=because,
        points=points_text(rec.scores.of(option)),
    )


def _tie_sentence(tie: Tie) -> str:
    names = _(" and ").join(OPTION_NAMES[option].title for option in tie.options)
    winner = OPTION_NAMES[tie.options[0]].title
    return _("{options} tie at {points}; {winner} wins because {rationale}.").format(
        options=names, points=points_text(tie.points), winner=winner, rationale=tie.rationale
    )


def _caveat_text(caveat: Caveat, rec: Recommendation) -> str:
    if caveat.note is None:
        return caveat.text or ""
    return _note_text(caveat.note, rec.verdict)


def _note_text(note: EngineNote, verdict: Verdict) -> str:
    rules = ", ".join(note.rules)
    if note.kind == "ruled_out_lead":
        return _(
            "{option} scores highest ({points}) but is ruled out by {rules}: the verdict is "
            "the best option still possible."
        ).format(
            option=OPTION_NAMES[note.option].title, points=points_text(note.points), rules=rules
        )
    standing = (
        _("still lead it by {points}").format(points=points_text(note.lead))
        if note.lead
        else _("tie with it and win by the tie order")
    )
    return _(
        "The reasons pull both ways: {rules} favour {option} by {points}; {verdict} {standing}."
    ).format(
        rules=rules,
        option=OPTION_NAMES[note.option].phrase,
        points=points_text(note.points),
        verdict=OPTION_NAMES[verdict].phrase,
        standing=standing,
    )


_SCORE_EXPLANATIONS: Mapping[Verdict, str] = {
    "split": N_(
        "Each rule that applies to these answers gives points to the options it favours, "
        "or takes points away; a rule can also rule an option out. The whole estate is "
        "weighed as one, and each part on its own: each part goes to its highest option no "
        "rule ruled out, and a part for which every option is ruled out is named with what "
        "would serve it."
    ),
    "none": N_(
        "Each rule that applies to these answers gives points to the options it favours, "
        "or takes points away; a rule can also rule an option out. Every option is ruled out "
        "on the hosts given, so none is advised."
    ),
}


NOT_SERVED_LABEL = N_("nothing on these hosts")


def _part_label(part: Part) -> str:
    return _(NOT_SERVED_LABEL) if part.verdict == "none" else OPTION_NAMES[part.verdict].title


def _verdict_label(rec: Recommendation) -> str:
    if rec.verdict != "split":
        return OPTION_NAMES[rec.verdict].title
    parts = _(" and ").join(_part_label(part) for part in rec.parts)
    return _("{split}: {parts}").format(split=OPTION_NAMES["split"].title, parts=parts)


def _verdict_sentence(rec: Recommendation, parts: tuple[PartEntry, ...]) -> str:
    subject = f"“{rec.project_name}”" if rec.project_name else _("this project")
    if rec.verdict == "split":
        return _("Split {project}: {parts}.").format(
            project=subject, parts=_(", ").join(part.sentence for part in parts)
        )
    if rec.verdict == "none":
        return _("No option can run {project} on the hosts given.").format(project=subject)
    return _("Run {project} {where}.").format(
        project=subject, where=OPTION_NAMES[rec.verdict].where
    )


def _decision_sentence(rec: Recommendation, parts: tuple[PartEntry, ...]) -> str:
    if rec.verdict == "split":
        return _(
            "Chosen option: “{label}”, because the parts of the estate, each weighed on its "
            "own, come out differently: {parts}."
        ).format(label=_verdict_label(rec), parts=_("; ").join(part.outcome for part in parts))
    if rec.verdict == "none":
        return _(
            "No option chosen (“{label}”), because the rules rule out every option on the "
            "hosts given."
        ).format(label=OPTION_NAMES["none"].title)
    return _(
        "Chosen option: “{option}”, because it scores highest of the options still possible "
        "({points})."
    ).format(option=OPTION_NAMES[rec.verdict].title, points=points_text(rec.scores.of(rec.verdict)))


def _applications_text(part: Part, questions: Questionnaire) -> str:
    """'the 30 applications that need Linux', 'the applications that need macOS'."""
    oses = _(" and ").join(questions.label_of("app_oses", (name,)) for name in part.app_oses)
    if part.app_count is None:
        return _("the applications that need {oses}").format(oses=oses)
    return ngettext(
        "the {count} application that needs {oses}",
        "the {count} applications that need {oses}",
        part.app_count,
    ).format(count=part.app_count, oses=oses)


def _part_entry(part: Part, questions: Questionnaire) -> PartEntry:
    applications = _applications_text(part, questions)
    if part.verdict == "none":
        sentence = _("nothing on these hosts for {applications}").format(applications=applications)
    else:
        sentence = _("{option} for {applications}").format(
            option=OPTION_NAMES[part.verdict].phrase, applications=applications
        )
    return PartEntry(
        applications=applications,
        caption=_("Weighed on their own, {applications}").format(applications=applications),
        verdict=part.verdict,
        verdict_label=_part_label(part),
        sentence=sentence,
        points=part.scores.of(part.verdict) if part.verdict != "none" else 0,
        scores=_score_bars(part.scores, part.ruled_out, _part_advised(part)),
        margin=part.margin,
        instead=part.instead,
    )


def _part_advised(part: Part) -> tuple[Option, ...]:
    """The option a part goes to, none for a part nothing serves."""
    return tuple(option for option in OPTIONS if option == part.verdict)


def _confidence_sentence(rec: Recommendation) -> str:
    level = CONFIDENCE_LABELS[rec.confidence]
    if rec.verdict == "none":
        return _("{level}: every option is ruled out on the hosts given.").format(level=level)
    sentence = confidence_sentence(rec)
    if rec.verdict == "split":
        # A split is as sure as its less sure part, whose evidence the sentence counts.
        return _("Each part weighed on its own; the less sure one: {sentence}").format(
            sentence=sentence
        )
    return sentence


def _score_bars(
    scores: Scores, ruled: tuple[RuledOut, ...], advised: tuple[Option, ...]
) -> tuple[ScoreBar, ...]:
    ruled_out = {item.option: item.by for item in ruled}
    return tuple(
        ScoreBar(
            option=option,
            label=OPTION_NAMES[option].title,
            points=scores.of(option),
            is_verdict=option in advised,
            ruled_out_by=ruled_out.get(option, ()),
        )
        for option in OPTIONS
    )


def _option_entry(
    option: Option,
    rec: Recommendation,
    ruled_out: Mapping[Option, tuple[str, ...]],
    reasons: tuple[ReasonEntry, ...],
) -> OptionEntry:
    good, bad = [], []
    for reason, entry in zip(rec.reasons, reasons, strict=True):
        points = reason.effect.of(option)
        best_other = max(reason.effect.of(other) for other in OPTIONS if other != option)
        line = _("{reason} ({effect})").format(reason=entry.title, effect=entry.effect)
        if points > 0:
            good.append(line)
        elif option in reason.rules_out or points < 0 or best_other > 0:
            bad.append(line)
    return OptionEntry(
        option=option,
        title=OPTION_NAMES[option].title,
        points=rec.scores.of(option),
        is_verdict=option in rec.advised,
        ruled_out_by=ruled_out.get(option, ()),
        good=tuple(good),
        bad=tuple(bad),
    )


def _reason_entry(
    reason: Reason,
    advised: tuple[Option, ...],
    claims: Mapping[str, Claim],
    questions: Questionnaire,
) -> ReasonEntry:
    points = [(option, reason.effect.of(option)) for option in OPTIONS]
    effect = [
        _("{points:+d} {option}").format(points=value, option=OPTION_NAMES[option].title)
        for option, value in points
        if value
    ]
    effect += [
        _("rules out {option}").format(option=OPTION_NAMES[option].title)
        for option in reason.rules_out
    ]
    stance: Literal["for", "against", "even"] = "even"
    if not advised:
        # Where nothing serves, what rules options out is the reason for that.
        stance = "for" if reason.rules_out else "even"
    else:
        own = max(reason.effect.of(option) for option in advised)
        best_other = max((value for option, value in points if option not in advised))
        if own > best_other or set(reason.rules_out) - set(advised):
            stance = "for"
        elif own < best_other:
            stance = "against"
    return ReasonEntry(
        rule_id=reason.rule_id,
        title=reason.title,
        rationale=reason.rationale,
        effect=_(", ").join(effect),
        because=_("; ").join(_trigger_text(trigger, questions) for trigger in reason.triggers),
        claims=reason.claims,
        stance=stance,
        excerpts=_excerpts(reason, claims),
        beyond_article=reason.beyond_article,
    )


def _excerpts(reason: Reason, claims: Mapping[str, Claim]) -> tuple[ArticleExcerpt, ...]:
    """For each claim the rule cites, one of its sentences: the one the rule quotes where it is
    that claim's, else the claim's first; the quoted one first."""
    excerpts = []
    for claim in (claims[claim_id] for claim_id in reason.claims):
        quoted = reason.quote is not None and any(
            reason.quote in sentence for sentence in claim.original
        )
        original = reason.quote if quoted and reason.quote else claim.original[0]
        excerpts.append(_article_excerpt(claim, original, quoted=quoted))
    return tuple(sorted(excerpts, key=lambda excerpt: not excerpt.quoted_by_rule))


def _article_excerpt(claim: Claim, original: str, *, quoted: bool) -> ArticleExcerpt:
    return ArticleExcerpt(
        claim_id=claim.id,
        section=claim.section,
        original=original,
        digest=claim.reading,
        quoted_by_rule=quoted,
    )


def _cited_claims(reasons: Iterable[Reason], claims: Mapping[str, Claim]) -> tuple[CitedClaim, ...]:
    cited = {claim_id for reason in reasons for claim_id in reason.claims}
    return tuple(
        CitedClaim(
            id=claim.id,
            section_zh=claim.section_zh,
            section=claim.section,
            original=claim.original,
            digest=claim.reading,
        )
        for claim in claims.values()
        if claim.id in cited
    )


def _trigger_text(trigger: Trigger, questions: Questionnaire) -> str:
    namespace, _dot, field = trigger.fact.partition(".")
    if namespace == PROBE_NAMESPACE:
        return _("{fact}: {value} (measured)").format(
            fact=fact_label(field), value=measured_value_text(field, trigger.value)
        )
    question = questions.question(field)
    return _("{question}: {answer}").format(
        question=question.step, answer=question.label_of(trigger.value)
    )


# --- what the probes measured ----------------------------------------------------------------


def _format_note(answers: Answers) -> str | None:
    if not answers.not_asked:
        return None
    questions = type(answers).questionnaire
    steps = _(", ").join(questions.question(question_id).step for question_id in answers.not_asked)
    return _(
        "These answers come from an answers file of an older format, which did not ask: "
        "{questions}. They stand as not answered; saving writes format version {version}."
    ).format(questions=steps, version=questions.version)


def _host_label(report: ProbeReport | None) -> str:
    if report is None:
        return _("none probed")
    system = report.host.os.distribution or report.host.os.system
    return f"{report.hostname} ({system}, {report.host.os.architecture})"


def _grounding_summary(rec: Recommendation, report: ProbeReport | None) -> str:
    if report is None or not rec.grounding:
        return _(
            "No probe was run: the advice rests on the answers alone, and none of the "
            "article's claims was checked on a workstation."
        )
    counts = {verdict: 0 for verdict in CHECK_VERDICT_LABELS}
    for check in rec.grounding:
        counts[check.verdict] += 1
    parts = [
        _("{count} {verdict}").format(count=counts[verdict], verdict=_(label))
        for verdict, label in _SUMMARY_LABELS.items()
    ]
    return _("Checked on {host}: of {count} measurable points of the article, {verdicts}.").format(
        host=report.hostname, count=len(rec.grounding), verdicts=_(", ").join(parts)
    )


def _probe_statement(report: ProbeReport | None) -> str:
    if report is None:
        return _(
            "No probe was run for this report, so there are no host facts, measurements or "
            "tool versions to show. Run `dvm-advisor report --run-probes` on the target "
            "workstation to check the article's claims there."
        )
    return _("Probed on {host} at {when}; the probe run took {seconds:.1f} s.").format(
        host=report.hostname, when=format_datetime(report.taken_at), seconds=report.wall_seconds
    )
