"""Loading rules: every invariant of the shipped rules, and every error a broken file gives."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from advisor.answers import Answers
from advisor.facts import ProbeFacts, flatten_facts
from advisor.rulebook import (
    CompiledRule,
    Condition,
    RulebookError,
    load_rulebook,
    load_rulebook_from,
)
from tests.answers_data import REQUIRED_ANSWERS, make_answers

CLAIMS_PATH = Path(str(resources.files("advisor.rules").joinpath("claims.toml")))
# The claim IDs of the article's digest, in its order.
ARTICLE_CLAIM_IDS = [
    "ENV-1", "ENV-2", "VM-1", "VM-2", "CT-1", "CT-2", "CT-3",
    "CMP-VIRT", "CMP-COMPAT", "CMP-SIZE", "CMP-PERF", "CMP-SEC", "CMP-REPL",
]  # fmt: skip

HEADER = """
[ruleset]
version = "test-1"
tie_order = ["vm", "hybrid", "container", "host"]
tie_rationale = "the test says so"
material_factor_points = 2
strong_factor_points = 4
high_confidence_lead = 3
high_confidence_factors = 2
tension_caveat_points = 3

[[factor]]
id = "isolation"
name = "security"
covers = "What the test weighs."
"""

GOOD_RULE = """
[[rule]]
id = "r1"
factor = "isolation"
title = "A rule"
claims = ["CMP-SEC"]
condition = { fact = "answers.security", op = "eq", value = "strict" }
effect = { vm = 3 }
rationale = "Because the test says so."
"""


def rule_text(**fields: str) -> str:
    """A [[rule]] table: GOOD_RULE's fields, with some replaced or (value '') left out."""
    values = {
        "id": '"r1"',
        "factor": '"isolation"',
        "title": '"A rule"',
        "claims": '["CMP-SEC"]',
        "condition": '{ fact = "answers.security", op = "eq", value = "strict" }',
        "effect": "{ vm = 3 }",
        "rationale": '"Because the test says so."',
    }
    values.update(fields)
    lines = [f"{key} = {value}" for key, value in values.items() if value]
    return "\n[[rule]]\n" + "\n".join(lines) + "\n"


def load_text(tmp_path: Path, rules: str, claims: str | None = None) -> Any:
    rules_path = tmp_path / "rules.toml"
    rules_path.write_text(rules, encoding="utf-8")
    claims_path = CLAIMS_PATH
    if claims is not None:
        claims_path = tmp_path / "claims.toml"
        claims_path.write_text(claims, encoding="utf-8")
    return load_rulebook_from(rules_path, claims_path)


def compile_condition(tmp_path: Path, condition: str) -> CompiledRule:
    rulebook = load_text(tmp_path, HEADER + rule_text(condition=condition))
    compiled: CompiledRule = rulebook.rules[0]
    return compiled


def answers(**changes: Any) -> Answers:
    return make_answers(**{**REQUIRED_ANSWERS, **changes})


# --- The shipped rules ------------------------------------------------------------------------

SHIPPED = load_rulebook()


def comparisons(condition: Condition) -> list[Condition]:
    if condition.fact is not None:
        return [condition]
    children = condition.all or condition.any or (condition.not_,)
    return [found for child in children if child for found in comparisons(child)]


@pytest.mark.parametrize("compiled", SHIPPED.rules, ids=lambda compiled: compiled.rule.id)
def test_every_rule_keeps_the_invariants(compiled: CompiledRule) -> None:
    rule = compiled.rule
    assert rule.claims and all(claim in SHIPPED.claims for claim in rule.claims)
    assert all(item.fact in SHIPPED.fact_specs for item in comparisons(rule.condition))
    assert rule.rationale.strip() and rule.title.strip()
    if rule.beyond_article is not None:
        assert rule.beyond_article.source.strip()
        assert rule.beyond_article.url and rule.beyond_article.url.startswith("https://")
    if rule.quote is not None:
        originals = [text for claim in rule.claims for text in SHIPPED.claims[claim].original]
        assert any(rule.quote in text for text in originals)
    # Every rule weighs as part of one declared line of evidence.
    assert rule.factor in SHIPPED.factors


def test_every_declared_factor_has_rules_that_weigh() -> None:
    weighing = {
        compiled.rule.factor
        for compiled in SHIPPED.rules
        if compiled.rule.rules_out or any(compiled.rule.effect.model_dump().values())
    }
    assert weighing == set(SHIPPED.factors)


def test_every_decision_bearing_claim_is_cited_by_a_rule() -> None:
    cited = {claim for compiled in SHIPPED.rules for claim in compiled.rule.claims}
    bearing = {claim.id for claim in SHIPPED.claims.values() if claim.decision_bearing}
    assert bearing, "no claim bears on a decision"
    assert bearing <= cited, f"not cited by any rule: {sorted(bearing - cited)}"


def test_every_sentence_of_the_article_is_credited_to_one_claim() -> None:
    claims = load_rulebook().claims.values()
    owners: dict[str, list[str]] = {}
    for claim in claims:
        for sentence in claim.original:
            owners.setdefault(sentence, []).append(claim.id)
    assert {sentence: ids for sentence, ids in owners.items() if len(ids) > 1} == {}
    pieces = [(claim.id, sentence) for claim in claims for sentence in claim.original]
    assert [
        (mine, theirs)
        for mine, sentence in pieces
        for theirs, other in pieces
        if mine != theirs and sentence in other
    ] == []


def test_a_rule_quotes_a_sentence_of_exactly_one_claim_it_cites() -> None:
    rulebook = load_rulebook()
    for compiled in rulebook.rules:
        rule = compiled.rule
        if rule.quote is None:
            continue
        holders = [
            claim.id
            for claim in rulebook.claims.values()
            if any(rule.quote in sentence for sentence in claim.original)
        ]
        assert len(holders) == 1 and holders[0] in rule.claims, rule.id


def test_claims_are_the_articles_in_order() -> None:
    assert list(SHIPPED.claims) == ARTICLE_CLAIM_IDS


def test_rules_that_go_beyond_the_article_cover_what_it_never_discusses() -> None:
    beyond = {c.rule.id for c in SHIPPED.rules if c.rule.beyond_article is not None}
    assert "linux-containers-on-windows-or-mac-run-in-a-vm" in beyond
    assert "many-trust-boundaries-containers-in-vms" in beyond
    assert "untrusted-code-needs-a-kernel-boundary" in beyond


def test_rules_over_probe_facts_exist() -> None:
    probe_rules = [
        c.rule.id
        for c in SHIPPED.rules
        if any(
            item.fact and item.fact.startswith("probe.") for item in comparisons(c.rule.condition)
        )
    ]
    assert "probe-docker-engine-unreachable" in probe_rules
    assert "probe-vm-under-software-emulation" in probe_rules


def test_thresholds_and_used_answers_are_collected() -> None:
    assert SHIPPED.thresholds["answers.app_count"] == (2.0, 10.0)
    assert SHIPPED.answer_facts_used[:3] == (
        "answers.run_targets",
        "answers.app_kind",
        "answers.host_os",
    )
    assert "answers.project_name" not in SHIPPED.answer_facts_used


def test_loading_twice_gives_the_same_rules() -> None:
    assert load_rulebook() is SHIPPED
    again = load_rulebook_from(Path(str(resources.files("advisor.rules").joinpath("rules.toml"))),
                               CLAIMS_PATH)  # fmt: skip
    assert [c.rule for c in again.rules] == [c.rule for c in SHIPPED.rules]


# --- Condition semantics ----------------------------------------------------------------------


def test_comparison_on_unmeasured_fact_is_unknown_even_under_not(tmp_path: Path) -> None:
    rule = compile_condition(
        tmp_path, '{ not = { fact = "probe.kvm_usable", op = "eq", value = true } }'
    )
    assert not rule.fires(flatten_facts(answers()))
    assert rule.fires(flatten_facts(answers(), ProbeFacts(kvm_usable=False)))
    assert not rule.fires(flatten_facts(answers(), ProbeFacts(kvm_usable=True)))


def test_any_fires_on_one_known_truth_all_needs_every_fact(tmp_path: Path) -> None:
    parts = (
        '[{ fact = "probe.kvm_usable", op = "eq", value = false }, '
        '{ fact = "answers.security", op = "eq", value = "strict" }]'
    )
    any_rule = compile_condition(tmp_path, f"{{ any = {parts} }}")
    all_rule = compile_condition(tmp_path, f"{{ all = {parts} }}")
    strict = flatten_facts(answers(security="strict"))
    assert any_rule.fires(strict)
    assert any_rule.triggers(strict) == ("answers.security",)
    assert not all_rule.fires(strict)
    measured = flatten_facts(answers(security="strict"), ProbeFacts(kvm_usable=False))
    assert all_rule.fires(measured)
    assert all_rule.triggers(measured) == ("probe.kvm_usable", "answers.security")


@pytest.mark.parametrize(
    ("condition", "app_oses", "fires"),
    [
        ('{ fact = "answers.app_oses", op = "eq", value = ["windows", "linux"] }',
         ("linux", "windows"), True),
        ('{ fact = "answers.app_oses", op = "eq", value = ["linux"] }', ("linux", "windows"),
         False),
        ('{ fact = "answers.app_oses", op = "ne", value = ["linux"] }', ("linux", "windows"),
         True),
        ('{ fact = "answers.app_oses", op = "in", value = ["linux", "other"] }', ("other",),
         True),
        ('{ fact = "answers.app_oses", op = "in", value = ["linux"] }', ("linux", "other"),
         False),
        ('{ fact = "answers.app_oses", op = "contains", value = "macos" }', ("linux", "macos"),
         True),
        ('{ fact = "answers.app_oses", op = "contains", value = "macos" }', ("linux",), False),
    ],
)  # fmt: skip
def test_set_operators(
    tmp_path: Path, condition: str, app_oses: tuple[str, ...], fires: bool
) -> None:
    rule = compile_condition(tmp_path, condition)
    assert rule.fires(flatten_facts(answers(app_oses=app_oses))) is fires


@pytest.mark.parametrize(
    ("op", "count", "fires"),
    [("gt", 10, False), ("gt", 11, True), ("ge", 10, True), ("lt", 10, False),
     ("le", 10, True), ("eq", 10, True), ("ne", 10, False)],
)  # fmt: skip
def test_number_operators(tmp_path: Path, op: str, count: int, fires: bool) -> None:
    rule = compile_condition(tmp_path, f'{{ fact = "answers.app_count", op = "{op}", value = 10 }}')
    assert rule.fires(flatten_facts(answers(app_count=count))) is fires


def test_in_on_a_choice(tmp_path: Path) -> None:
    rule = compile_condition(
        tmp_path, '{ fact = "probe.container_probe_status", op = "in", value = ["failed"] }'
    )
    assert rule.fires(flatten_facts(answers(), ProbeFacts(container_probe_status="failed")))
    assert not rule.fires(flatten_facts(answers(), ProbeFacts(container_probe_status="ok")))


# --- Every loader error -------------------------------------------------------------------------

C = "condition"
RULE_ERRORS = [
    pytest.param({C: '{ fact = "answers.colour", op = "eq", value = "red" }'},
                 "field 'condition.fact': unknown fact 'answers.colour'", id="unknown-answer"),
    pytest.param({C: '{ fact = "probe.gpu_count", op = "gt", value = 0 }'},
                 "unknown fact 'probe.gpu_count'", id="unknown-probe-fact"),
    pytest.param({C: '{ fact = "answers.project_name", op = "eq", value = "x" }'},
                 "unknown fact 'answers.project_name'", id="free-text-answer"),
    pytest.param({C: '{ any = [{ fact = "answers.app_count", op = "gt", value = 1 }, '
                     '{ not = { fact = "answers.nope", op = "eq", value = 1 } }] }'},
                 "field 'condition.any[1].not.fact': unknown fact", id="nested-unknown-fact"),
    pytest.param({"claims": '["CMP-NOPE"]'}, "field 'claims': unknown claim ID 'CMP-NOPE'",
                 id="unknown-claim"),
    pytest.param({"claims": "[]"}, "field 'claims'", id="no-claims"),
    pytest.param({C: "{ all = [] }"}, "field 'condition.all'", id="empty-all"),
    pytest.param({C: '{ fact = "answers.security", op = "eq" }'},
                 "all of 'fact', 'op' and 'value'", id="missing-value"),
    pytest.param({C: '{ any = [{ fact = "answers.app_count", op = "gt", value = 1 }], '
                     'fact = "answers.app_count" }'},
                 "exactly one of 'all', 'any', 'not'", id="two-forms"),
    pytest.param({C: "{}"}, "exactly one of", id="empty-condition"),
    pytest.param({C: '{ fact = "answers.security", op = "like", value = "strict" }'},
                 "field 'condition.op': expected one of 'eq', 'ne', 'in'", id="unknown-operator"),
    pytest.param({C: '{ fact = "answers.security", op = "eq", value = "strict", also = 1 }'},
                 "unknown field 'condition.also'", id="unknown-condition-key"),
    pytest.param({C: '{ fact = "answers.security", op = "gt", value = "elevated" }'},
                 "operator 'gt' applies only to numbers", id="order-on-choice"),
    pytest.param({C: '{ fact = "answers.host_os", op = "contains", value = "linux" }'},
                 "'contains' applies only to sets", id="contains-on-choice"),
    pytest.param({C: '{ fact = "answers.app_oses", op = "gt", value = "linux" }'},
                 "does not apply to the set", id="order-on-set"),
    pytest.param({C: '{ fact = "answers.security", op = "eq", value = "ultra" }'},
                 "value 'ultra' does not fit 'answers.security'", id="bad-choice-value"),
    pytest.param({C: '{ fact = "answers.app_count", op = "ge", value = 20000 }'},
                 "less than or equal to 10000", id="threshold-out-of-range"),
    pytest.param({C: '{ fact = "answers.app_count", op = "ge", value = true }'},
                 "does not fit 'answers.app_count'", id="bool-for-number"),
    pytest.param({C: '{ fact = "answers.own_kernel", op = "eq", value = "yes" }'},
                 "does not fit 'answers.own_kernel'", id="string-for-bool"),
    pytest.param({C: '{ fact = "answers.security", op = "in", value = "strict" }'},
                 "expected a non-empty list", id="in-without-list"),
    pytest.param({C: '{ fact = "answers.security", op = "eq", value = ["strict"] }'},
                 "expected a single value", id="list-for-scalar"),
    pytest.param({C: '{ fact = "answers.app_oses", op = "contains", value = "beos" }'},
                 "does not fit 'answers.app_oses'", id="bad-set-element"),
    pytest.param({"effect": "{ vm = 11 }"}, "field 'effect.vm'", id="effect-too-large"),
    pytest.param({"effect": "{ cloud = 1 }"}, "unknown field 'effect.cloud'", id="effect-option"),
    pytest.param({"effect": "{ vm = 0 }"}, "expected non-zero points, 'rules_out' or a 'caveat'",
                 id="rule-does-nothing"),
    pytest.param({"rules_out": '["container", "vm", "hybrid", "host"]'}, "at least one option left",
                 id="rules-out-everything"),
    pytest.param({"rules_out": '["cloud"]'}, "field 'rules_out[0]'", id="rules-out-unknown"),
    pytest.param({"quote": '"not in the article"'}, "field 'quote': not found", id="bad-quote"),
    pytest.param({"id": '"Bad Id"'}, "field 'id'", id="bad-id"),
    pytest.param({"rationale": ""}, "field 'rationale' is missing", id="no-rationale"),
    pytest.param({"rationale": '"   "'}, "expected non-empty text", id="blank-rationale"),
    pytest.param({"beyond_article": '{ url = "https://example.org" }'},
                 "field 'beyond_article.source' is missing", id="beyond-without-source"),
    pytest.param({"beyond_article": '{ source = "x", url = "ftp://x" }'},
                 "field 'beyond_article.url'", id="beyond-bad-url"),
    pytest.param({"colour": '"red"'}, "unknown field 'colour' (expected one of: id, factor",
                 id="unknown-rule-key"),
    pytest.param({"factor": ""}, "field 'factor' is missing", id="no-factor"),
    pytest.param({"factor": '"luck"'},
                 "field 'factor': unknown factor 'luck' (expected one of: isolation)",
                 id="unknown-factor"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "expected"), RULE_ERRORS)
def test_rule_errors_name_file_rule_and_field(
    tmp_path: Path, fields: dict[str, str], expected: str
) -> None:
    with pytest.raises(RulebookError) as caught:
        load_text(tmp_path, HEADER + rule_text(**fields))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'rules.toml'}: ")
    assert "rule 'r1'" in message or "rule 'Bad Id'" in message
    assert expected in message


def test_duplicate_rule_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulebookError, match=r"rule 'r1': field 'id': duplicate rule id \(rule #1"):
        load_text(tmp_path, HEADER + GOOD_RULE + GOOD_RULE)


def test_rule_without_id_is_named_by_position(tmp_path: Path) -> None:
    with pytest.raises(RulebookError, match=r"rule #2: field 'id' is missing"):
        load_text(tmp_path, HEADER + GOOD_RULE + rule_text(id=""))


FILE_ERRORS = [
    pytest.param(HEADER + GOOD_RULE + "[[rule]\n", "not valid TOML", id="invalid-toml"),
    pytest.param(GOOD_RULE, "'ruleset' is missing", id="no-ruleset"),
    pytest.param(HEADER, "'rule' is missing", id="no-rules"),
    pytest.param("rule = []\n" + HEADER, "expected one or more [[rule]] tables", id="empty"),
    pytest.param(HEADER + GOOD_RULE + "[extra]\n", "unknown top-level key 'extra'", id="extra"),
    pytest.param(HEADER.replace('"hybrid", ', "") + GOOD_RULE, "field 'tie_order'",
                 id="tie-order-incomplete"),
    pytest.param(HEADER.replace("tension_caveat_points = 3", "") + GOOD_RULE,
                 "[ruleset]: field 'tension_caveat_points' is missing", id="ruleset-field"),
    pytest.param(HEADER.partition("[[factor]]")[0] + GOOD_RULE, "'factor' is missing",
                 id="no-factors"),
    pytest.param(HEADER + HEADER.partition("tension_caveat_points = 3")[2] + GOOD_RULE,
                 "factor 'isolation': field 'id': duplicate factor id", id="duplicate-factor"),
    pytest.param(HEADER + '[[factor]]\nid = "x"\nname = "x"\n' + GOOD_RULE,
                 "factor 'x': field 'covers' is missing", id="factor-field"),
]  # fmt: skip


@pytest.mark.parametrize(("rules", "expected"), FILE_ERRORS)
def test_rule_file_errors_name_the_file(tmp_path: Path, rules: str, expected: str) -> None:
    with pytest.raises(RulebookError) as caught:
        load_text(tmp_path, rules)
    assert str(caught.value).startswith(f"{tmp_path / 'rules.toml'}: ")
    assert expected in str(caught.value)


def test_rule_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rules.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(RulebookError, match="not UTF-8 text"):
        load_rulebook_from(tmp_path / "rules.toml", CLAIMS_PATH)


def test_missing_rule_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RulebookError, match=r"absent\.toml: no such file"):
        load_rulebook_from(tmp_path / "absent.toml", CLAIMS_PATH)


CLAIM = """
[[claim]]
id = "CMP-SEC"
section_zh = "安全性"
section_en = "Security"
digest = "A VM is more secure."
original = ["如果您的敏感应用程序必须满足严格的安全约束条件,则应考虑使用虚拟机."]
decision_bearing = true
"""

CLAIM_ERRORS = [
    pytest.param(CLAIM + CLAIM, "claim 'CMP-SEC': field 'id': duplicate claim id", id="dup"),
    pytest.param(CLAIM.replace('digest = "A VM is more secure."\n', ""),
                 "field 'digest' is missing", id="no-digest"),
    pytest.param(CLAIM.replace("original = [", "original = [] #"), "field 'original'",
                 id="no-original"),
    pytest.param(CLAIM + 'colour = "red"\n', "unknown field 'colour'", id="unknown-key"),
    pytest.param(CLAIM.replace("true", '"yes"'), "field 'decision_bearing'", id="bool-type"),
    pytest.param("[claim]\n", "expected [[claim]] tables", id="not-an-array"),
]  # fmt: skip


@pytest.mark.parametrize(("claims", "expected"), CLAIM_ERRORS)
def test_claim_file_errors_name_the_file(tmp_path: Path, claims: str, expected: str) -> None:
    with pytest.raises(RulebookError) as caught:
        load_text(tmp_path, HEADER + GOOD_RULE, claims=claims)
    assert str(caught.value).startswith(f"{tmp_path / 'claims.toml'}: ")
    assert expected in str(caught.value)


def test_a_minimal_valid_pair_loads(tmp_path: Path) -> None:
    rulebook = load_text(tmp_path, HEADER + GOOD_RULE, claims=CLAIM)
    assert rulebook.version == "test-1"
    assert [c.rule.id for c in rulebook.rules] == ["r1"]
