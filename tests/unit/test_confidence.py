"""Confidence from independent evidence: restatements of one factor do not stack, agreeing
factors are counted, and a strong factor pointing the other way is named."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from advisor.confidence import factor_points
from advisor.engine import recommend
from advisor.recommendation import Recommendation
from advisor.report.model import build_report
from advisor.rulebook import Rulebook, load_rulebook
from tests.unit.test_rulebook import HEADER, answers, load_text, rule_text

FACTORS = """
[[factor]]
id = "footprint"
name = "footprint"
covers = "What each environment costs."

[[factor]]
id = "hardware"
name = "hardware"
covers = "The devices and the virtualization of the host."
"""
ALWAYS = '{ fact = "answers.app_count", op = "ge", value = 1 }'
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def rule(rule_id: str, factor: str, effect: str, **more: str) -> str:
    return rule_text(
        id=f'"{rule_id}"', factor=f'"{factor}"', condition=ALWAYS, effect=effect, **more
    )


def advice(tmp_path: Path, *rules: str) -> Recommendation:
    rulebook: Rulebook = load_text(tmp_path, HEADER + FACTORS + "".join(rules))
    return recommend(answers(), rulebook)


def sentence_of(result: Recommendation) -> str:
    """The confidence as the view model words it."""
    view = build_report(answers(), result, None, rulebook=load_rulebook(), generated_at=NOW)
    return view.confidence_sentence


def test_restatements_of_one_factor_count_once(tmp_path: Path) -> None:
    apart = advice(
        tmp_path,
        rule("a", "footprint", "{ container = 3 }"),
        rule("b", "hardware", "{ container = 3 }"),
    )
    together = advice(
        tmp_path,
        rule("a", "footprint", "{ container = 3 }"),
        rule("b", "footprint", "{ container = 3 }"),
    )
    # The same points either way; the evidence differs.
    assert apart.scores == together.scores and apart.margin == together.margin == 6
    assert apart.evidence.lead == 6 and together.evidence.lead == 3
    assert apart.confidence == "high"
    assert together.confidence == "low"  # one factor, of ordinary strength


def test_a_factor_counts_its_strongest_reason_for_and_against(tmp_path: Path) -> None:
    rulebook: Rulebook = load_text(
        tmp_path,
        HEADER
        + FACTORS
        + rule("light", "footprint", "{ container = 3 }")
        + rule("lighter", "footprint", "{ container = 2 }")
        + rule("but", "footprint", "{ container = -2 }")
        + rule("and-yet", "footprint", "{ container = -1 }"),
    )
    assert factor_points(rulebook.rules, "container") == 3 - 2
    assert factor_points(rulebook.rules[:2], "container") == 3
    assert factor_points((), "container") == 0


def test_a_strong_factor_pointing_the_other_way_keeps_it_from_high(tmp_path: Path) -> None:
    contested = advice(
        tmp_path,
        rule("light", "footprint", "{ container = 8 }"),
        rule("device", "hardware", "{ vm = 4 }"),
        rule("other", "isolation", "{ container = 2 }"),
    )
    assert contested.verdict == "container" and contested.evidence.rival == "vm"
    assert [stance.factor for stance in contested.evidence.disagreeing] == ["hardware"]
    assert contested.confidence == "medium"
    assert sentence_of(contested).startswith(
        "Medium confidence: 2 independent factors agree; the hardware factor points the other way."
    )


def test_a_factor_taking_strong_points_from_the_verdict_itself_disagrees(tmp_path: Path) -> None:
    result = advice(
        tmp_path,
        rule("boundary", "isolation", "{ hybrid = 5 }", rules_out='["container", "host"]'),
        rule("costly", "footprint", "{ hybrid = 4 }"),
        rule("no-nesting", "hardware", "{ vm = -4, hybrid = -4 }"),
    )
    assert result.verdict == "hybrid" and result.evidence.rival == "vm"
    hardware = next(stance for stance in result.evidence.factors if stance.factor == "hardware")
    assert hardware.lean == 0 and hardware.disagrees and hardware.strong
    assert result.confidence == "medium"


def test_a_forced_verdict_is_high_unless_a_strong_factor_weighs_against_it(
    tmp_path: Path,
) -> None:
    forced = rule("only-vm", "isolation", "{ vm = 2 }", rules_out='["container", "hybrid", "host"]')
    assert advice(tmp_path, forced).evidence.rival is None
    assert advice(tmp_path, forced).confidence == "high"
    hampered = advice(tmp_path, forced, rule("slow", "hardware", "{ vm = -4 }"))
    assert hampered.verdict == "vm" and hampered.confidence == "medium"


def test_a_verdict_the_factors_do_not_favour_is_low(tmp_path: Path) -> None:
    # Restated, the VM reasons outscore the container reasons; counted once, they do not.
    result = advice(
        tmp_path,
        rule("vm-a", "isolation", "{ vm = 3 }"),
        rule("vm-b", "isolation", "{ vm = 3 }"),
        rule("light", "footprint", "{ container = 2 }"),
        rule("device", "hardware", "{ container = 2 }"),
    )
    assert result.verdict == "vm" and result.margin == 2
    assert result.evidence.lead == -1 and result.confidence == "low"
    assert "the reasons favour Docker containers by 1 point" in sentence_of(result)


def test_one_point_tilts_are_not_counted_as_agreement(tmp_path: Path) -> None:
    result = advice(
        tmp_path,
        rule("light", "footprint", "{ container = 3 }"),
        rule("nudge", "hardware", "{ container = 1 }"),
    )
    assert [stance.factor for stance in result.evidence.agreeing] == ["footprint"]
    assert result.confidence == "low"


def test_a_close_call_left_by_a_strong_factor_against_the_rest_is_medium(tmp_path: Path) -> None:
    # The hardware factor sets containers and the host far above both VM options; between
    # those two, one ordinary factor decides.
    narrowed = [
        rule("light", "footprint", "{ container = 2 }"),
        rule("no-nesting", "hardware", "{ container = 2, host = 2, vm = -2, hybrid = -2 }"),
    ]
    result = advice(tmp_path, *narrowed)
    assert result.verdict == "container" and result.evidence.rival == "host"
    assert result.evidence.narrowed_by == ("hardware",)
    assert set(result.evidence.beyond_rival) == {"vm", "hybrid"}
    assert result.confidence == "medium"
    assert "which leaves a closer call between it and the host itself" in sentence_of(result)
    # Without the strong factor against the rest, the same single factor is low.
    alone = advice(tmp_path, narrowed[0])
    assert not alone.evidence.narrowed_by and alone.confidence == "low"
