"""Properties of the advice over the whole answer space (hypothesis): isolation never falls as
the need for it grows, nothing ruled out is advised, the OS constraints hold, and the advice
depends on the answers alone, not on the order of list answers."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.answers import Answers
from advisor.engine import advise
from advisor.recommendation import Recommendation
from advisor.rulebook import Option
from tests.strategies import answers_strategy

# Plain containers share the host's kernel; containers inside VMs add a VM boundary per
# group; a VM per application isolates most.
ISOLATION: dict[Option, int] = {"container": 0, "hybrid": 1, "vm": 2}
SECURITY_ORDER = ("standard", "elevated", "strict")
ANSWERS = answers_strategy()
PROPERTY = settings(max_examples=200, deadline=None, database=None)


def changed(answers: Answers, **update: Any) -> Answers:
    return type(answers).model_validate({**answers.model_dump(), **update})


def isolation(answers: Answers) -> int:
    return ISOLATION[advise(answers).verdict]


def decided(recommendation: Recommendation) -> tuple[object, ...]:
    """What the advice says, without the triggers (which quote list answers as given)."""
    return (
        recommendation.verdict,
        recommendation.scores,
        recommendation.confidence,
        recommendation.ruled_out,
        tuple(reason.rule_id for reason in recommendation.reasons),
        tuple(caveat.rule_id for caveat in recommendation.caveats),
        tuple((flip.field, flip.verdict) for flip in recommendation.flips),
        tuple((flip.field, flip.verdict) for flip in recommendation.worth_answering),
    )


@PROPERTY
@given(ANSWERS)
def test_raising_security_never_lowers_isolation(answers: Answers) -> None:
    levels = [isolation(changed(answers, security=level)) for level in SECURITY_ORDER]
    assert levels == sorted(levels)


@PROPERTY
@given(ANSWERS, st.sampled_from(["untrusted_code", "hostile_tenants"]))
def test_untrusted_code_or_hostile_tenants_never_lower_isolation(
    answers: Answers, field: str
) -> None:
    without = isolation(changed(answers, **{field: False}))
    assert isolation(changed(answers, **{field: True})) >= without
    assert advise(changed(answers, **{field: True})).verdict != "container"


@PROPERTY
@given(ANSWERS, st.integers(min_value=1, max_value=10_000))
def test_adding_applications_never_raises_isolation(answers: Answers, more: int) -> None:
    bigger = min(10_000, answers.app_count + more)
    assert isolation(changed(answers, app_count=bigger)) <= isolation(answers)


# Isolation *between* trust boundaries: plain containers share one kernel across them; a VM
# per application and containers inside one VM per trust boundary both put a hypervisor
# between any two boundaries. (They differ within a boundary, where the applications of one
# group share a guest kernel or not; that is ISOLATION's order above.)
BETWEEN_BOUNDARIES: dict[Option, int] = {"container": 0, "hybrid": 1, "vm": 1}


@PROPERTY
@given(
    ANSWERS, st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=10_000)
)
def test_adding_trust_boundaries_never_lowers_the_isolation_between_them(
    answers: Answers, fewer: int, more: int
) -> None:
    fewer, more = sorted((fewer, more))
    count = max(answers.app_count, more)  # a boundary holds at least one application
    before = advise(changed(answers, app_count=count, trust_boundaries=fewer)).verdict
    after = advise(changed(answers, app_count=count, trust_boundaries=more)).verdict
    assert BETWEEN_BOUNDARIES[after] >= BETWEEN_BOUNDARIES[before], (before, after)


@PROPERTY
@given(ANSWERS)
def test_no_verdict_is_ruled_out_and_the_os_constraints_hold(answers: Answers) -> None:
    recommendation = advise(answers)
    assert recommendation.verdict not in {item.option for item in recommendation.ruled_out}
    if "macos" in answers.app_oses:
        assert recommendation.verdict == "vm"
    windows = "windows" in answers.app_oses
    if windows and (answers.windows_gui or answers.windows_versions == "end_of_life"):
        assert recommendation.verdict == "vm"


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
