"""A recommendation: the verdict and the reasons behind it, as the engine decides them.

The words a person reads about it are chosen by the view model (advisor/report/model.py).
"""

from __future__ import annotations

from typing import Literal

from advisor.base.models import FrozenModel

# Named from here too, as the rest of a recommendation is; defined with their computation.
from advisor.confidence import Confidence as Confidence
from advisor.confidence import Evidence as Evidence
from advisor.facts import FactValue
from advisor.grounding import ClaimCheck
from advisor.rulebook import OPTIONS, Option, Verdict


class Scores(FrozenModel):
    """Points per option: the sum of the effects of every rule that fired."""

    container: int
    vm: int
    hybrid: int
    host: int

    def of(self, option: Option) -> int:
        """The score of one option."""
        return int(getattr(self, option))


class Trigger(FrozenModel):
    """A fact that made a rule fire, with its value."""

    fact: str
    value: FactValue


class Reason(FrozenModel):
    """A rule that fired and moved the scores or ruled an option out."""

    rule_id: str
    title: str
    claims: tuple[str, ...]
    rationale: str
    quote: str | None
    effect: Scores
    rules_out: tuple[Option, ...]
    triggers: tuple[Trigger, ...]
    beyond_article: str | None  # the source, for a rule the article does not cover


class EngineNote(FrozenModel):
    """What the engine itself notes about the scores, for the view model to put in words.

    ruled_out_lead: `option` scores highest (`points`) but `rules` rule it out.
    tension: `rules` favour `option` over the verdict by `points` in all; the verdict still
    leads it by `lead`.
    """

    kind: Literal["ruled_out_lead", "tension"]
    option: Option
    points: int
    lead: int
    rules: tuple[str, ...]


class Caveat(FrozenModel):
    """Something the user must still weigh: a rule's caveat (`text`), or, with rule_id None,
    a note of the engine's own."""

    rule_id: str | None
    claims: tuple[str, ...]
    text: str | None
    triggers: tuple[Trigger, ...]
    note: EngineNote | None = None


class Tie(FrozenModel):
    """Options sharing the top score; the first won, by the rule set's tie order."""

    options: tuple[Option, ...]
    points: int
    rationale: str


class Flip(FrozenModel):
    """One answer whose change alone would change the verdict (`current` None: a question
    not answered, which this answer would change it)."""

    field: str
    current: FactValue
    value: FactValue
    verdict: Verdict


class RuledOut(FrozenModel):
    """An option the rules make impossible, whatever its score."""

    option: Option
    by: tuple[str, ...]  # rule ids


class Part(FrozenModel):
    """One part of a mixed estate, weighed on its own: the applications that need these
    operating systems (`app_count` of them, None where the count was not answered), and
    the option they go to, or "none" where the rules rule out every option for them
    (`instead` then says what would serve)."""

    app_oses: tuple[str, ...]
    app_count: int | None
    verdict: Option | Literal["none"]
    scores: Scores
    margin: int
    confidence: Confidence
    evidence: Evidence
    ruled_out: tuple[RuledOut, ...]
    instead: tuple[str, ...] = ()

    @property
    def served(self) -> bool:
        """Whether some option serves this part on the hosts given."""
        return self.verdict != "none"


class Recommendation(FrozenModel):
    """The advice for one set of answers (and, where measured, this host's probe facts)."""

    ruleset_version: str
    project_name: str | None
    # An option; "split" where the parts of a mixed estate go to different options (`parts`
    # says which); "none" where the rules rule out every option (`instead` says what would
    # serve).
    verdict: Verdict
    scores: Scores  # the whole estate's, weighed as one
    margin: int  # verdict's score minus the best other option still possible
    confidence: Confidence  # how sure, from the evidence (advisor/confidence.py)
    evidence: Evidence  # the independent factors for and against the verdict
    tie: Tie | None
    ruled_out: tuple[RuledOut, ...]
    reasons: tuple[Reason, ...]
    caveats: tuple[Caveat, ...]
    flips: tuple[Flip, ...]  # answers given, each changed to the nearest value that flips
    worth_answering: tuple[Flip, ...]  # questions not answered whose answer could flip it
    grounding: tuple[ClaimCheck, ...]
    parts: tuple[Part, ...] = ()  # a split's parts, Linux applications first
    instead: tuple[str, ...] = ()  # for "none": what would serve, from the rules that ruled out

    @property
    def advised(self) -> tuple[Option, ...]:
        """The options the advice puts applications in: a split's parts' options, the verdict
        itself, or none at all."""
        if self.verdict == "split":
            # A part that nothing serves is advised no option.
            return tuple(
                option for part in self.parts for option in OPTIONS if option == part.verdict
            )
        return tuple(option for option in OPTIONS if option == self.verdict)
