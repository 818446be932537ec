"""Properties of the advice over the whole answer space (hypothesis): isolation never falls as
the need for it grows, nothing ruled out is advised, the OS constraints hold, and the advice
depends on the answers alone, not on the order of list answers.

The isolation order: on the host (none at all) < containers (a shared kernel) < containers
inside VMs (a VM boundary per group) < a VM per application. A split isolates as much as its
less isolated part; where no option serves there is nothing to order, so such answers are
left out of the comparisons of isolation (whether nothing serves depends on the OSes and the
host alone, which those comparisons keep)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.answers import Answers
from advisor.engine import advise
from advisor.recommendation import Recommendation
from advisor.rulebook import Option
from tests.strategies import answers_strategy

ISOLATION: dict[Option, int] = {"host": 0, "container": 1, "hybrid": 2, "vm": 3}
SECURITY_ORDER = ("standard", "elevated", "strict")
ANSWERS = answers_strategy()
PROPERTY = settings(max_examples=200, deadline=None, database=None)


def changed(answers: Answers, **update: Any) -> Answers:
    return type(answers).model_validate({**answers.model_dump(), **update})


def isolation(answers: Answers) -> int | None:
    advised = advise(answers).advised
    return min(ISOLATION[option] for option in advised) if advised else None


def options_for(recommendation: Recommendation, os_name: str) -> set[str]:
    """The options the advice puts the applications that need `os_name` in ("none" for a
    split's part that nothing serves)."""
    if recommendation.verdict == "split":
        return {part.verdict for part in recommendation.parts if os_name in part.app_oses}
    return set(recommendation.advised)


def decided(recommendation: Recommendation) -> tuple[object, ...]:
    """What the advice says, without the triggers (which quote list answers as given)."""
    return (
        recommendation.verdict,
        recommendation.scores,
        recommendation.confidence,
        recommendation.ruled_out,
        recommendation.parts,
        recommendation.instead,
        tuple(reason.rule_id for reason in recommendation.reasons),
        tuple(caveat.rule_id for caveat in recommendation.caveats),
        tuple((flip.field, flip.verdict) for flip in recommendation.flips),
        tuple((flip.field, flip.verdict) for flip in recommendation.worth_answering),
    )


@PROPERTY
@given(ANSWERS)
def test_raising_security_never_lowers_isolation(answers: Answers) -> None:
    levels = [isolation(changed(answers, security=level)) for level in SECURITY_ORDER]
    if None not in levels:
        assert levels == sorted(levels)


@PROPERTY
@given(ANSWERS, st.sampled_from(["untrusted_code", "hostile_tenants"]))
def test_untrusted_code_or_hostile_tenants_never_lower_isolation(
    answers: Answers, field: str
) -> None:
    without = isolation(changed(answers, **{field: False}))
    with_it = isolation(changed(answers, **{field: True}))
    if without is not None and with_it is not None:
        assert with_it >= without
    assert not {"container", "host"} & set(advise(changed(answers, **{field: True})).advised)


@PROPERTY
@given(ANSWERS, st.integers(min_value=1, max_value=10_000))
def test_adding_applications_never_raises_isolation(answers: Answers, more: int) -> None:
    """Among containers, containers inside VMs and VMs, more applications never raise the
    isolation, and no rule of more applications favours VMs or containers inside VMs over
    containers. From the host itself more applications may call for environments of their
    own (the article's ENV-2); where the options left then tie, the tie goes to the stronger
    isolation, as every tie does (docs/decision-model.md)."""
    bigger = changed(answers, app_count=min(10_000, answers.app_count + more))
    fewer, many = advise(answers).scores, advise(bigger).scores
    for option in ("hybrid", "vm"):
        assert many.container - many.of(option) >= fewer.container - fewer.of(option)
    before, after = isolation(answers), isolation(bigger)
    if before is not None and after is not None and before > ISOLATION["host"]:
        assert after <= before


# Isolation *between* trust boundaries: plain containers share one kernel across them; a VM
# per application and containers inside one VM per trust boundary both put a hypervisor
# between any two boundaries. (They differ within a boundary, where the applications of one
# group share a guest kernel or not; that is ISOLATION's order above.)
BETWEEN_BOUNDARIES: dict[Option, int] = {"host": 0, "container": 0, "hybrid": 1, "vm": 1}


def between(recommendation: Recommendation) -> int | None:
    advised = recommendation.advised
    return min(BETWEEN_BOUNDARIES[option] for option in advised) if advised else None


@PROPERTY
@given(
    ANSWERS, st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=10_000)
)
def test_adding_trust_boundaries_never_lowers_the_isolation_between_them(
    answers: Answers, fewer: int, more: int
) -> None:
    """From the host itself more groups may call for containers; a split is as isolated
    between its boundaries as its less isolated part, and where nothing serves there is
    nothing to compare."""
    fewer, more = sorted((fewer, more))
    count = max(answers.app_count, more)  # a boundary holds at least one application
    before = between(advise(changed(answers, app_count=count, trust_boundaries=fewer)))
    after = between(advise(changed(answers, app_count=count, trust_boundaries=more)))
    if before is not None and after is not None:
        assert after >= before, (before, after)


@PROPERTY
@given(ANSWERS)
def test_no_verdict_is_ruled_out_and_the_os_constraints_hold(answers: Answers) -> None:
    recommendation = advise(answers)
    ruled_out = {item.option for item in recommendation.ruled_out}
    if recommendation.verdict == "none":
        assert ruled_out == set(ISOLATION) and recommendation.instead
    elif recommendation.verdict == "split":
        assert len({part.verdict for part in recommendation.parts}) >= 2
        assert recommendation.advised  # some part is served
        for part in recommendation.parts:
            part_ruled_out = {item.option for item in part.ruled_out}
            if part.verdict == "none":
                # A part nothing serves: every option ruled out for it, and what would serve.
                assert part_ruled_out == set(ISOLATION) and part.instead
            else:
                assert part.verdict not in part_ruled_out and not part.instead
    else:
        assert recommendation.verdict not in ruled_out
    if "macos" in answers.app_oses:
        assert not options_for(recommendation, "macos") & {"container", "hybrid"}
        if answers.host_os != "macos":
            assert not options_for(recommendation, "macos") - {"none"}
    windows = "windows" in answers.app_oses
    if windows and (answers.windows_gui or answers.windows_versions == "end_of_life"):
        assert "container" not in options_for(recommendation, "windows")


@PROPERTY
@given(ANSWERS, st.randoms(use_true_random=False))
def test_the_advice_is_deterministic_and_list_order_does_not_matter(
    answers: Answers, random: Any
) -> None:
    first = advise(answers)
    assert advise(answers) == first
    shuffled: dict[str, Any] = {}
    for field in ("app_oses", "run_targets", "hardware"):
        value = answers.value(field)
        if isinstance(value, tuple):
            items = list(value)
            random.shuffle(items)
            shuffled[field] = tuple(items)
    assert decided(advise(changed(answers, **shuffled))) == decided(first)
