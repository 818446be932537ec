"""The engine: each rule fires and stays silent, verdicts follow the article, flips are real."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from advisor.answers import Answers, load_answers
from advisor.engine import SPLIT_FACTS, advise, recommend
from advisor.facts import FactValue, ProbeFacts, facts_from_probe_report, flatten_facts
from advisor.probe_results import load_probe_report
from advisor.recommendation import EngineNote, Recommendation, Tie
from advisor.report.model import build_report
from advisor.rulebook import OPTIONS, CompiledRule, Condition, Rulebook, load_rulebook
from tests.strategies import answers_strategy
from tests.unit.test_rulebook import HEADER, answers, comparisons, load_text, rule_text

RULEBOOK = load_rulebook()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PROBE_REPORT = Path(__file__).resolve().parent / "data" / "probe-report.json"


def cited(recommendation: Recommendation) -> set[str | None]:
    """Every rule the recommendation names, as a reason or a caveat."""
    return {reason.rule_id for reason in recommendation.reasons} | {
        caveat.rule_id for caveat in recommendation.caveats
    }


# --- Each rule fires, and stays silent ----------------------------------------------------------


def candidate_values(name: str, condition: Condition) -> list[FactValue]:
    """Values worth trying for one fact of a rule: every choice, or each side of a threshold."""
    spec = RULEBOOK.fact_specs[name]
    values: list[FactValue] = [] if name.startswith("answers.") else [None]
    if spec.kind == "set":
        names = [str(choice) for choice in spec.choices or ()]
        alone = set(RULEBOOK.questions.question(name.partition(".")[2]).exclusive)
        values += [
            subset
            for size in range(1, len(names) + 1)
            for subset in itertools.combinations(names, size)
            if size == 1 or not alone & set(subset)  # "none" stands alone
        ]
    elif spec.kind == "number":
        for item in comparisons(condition):
            if item.fact == name:
                values += [item.value + step for step in (-1, 0, 1)]
        values = [v for v in values if v is None or spec.lowest is None or v >= spec.lowest]
    else:
        values += list(spec.choices or ())
    return values


def assignments(compiled: CompiledRule) -> list[dict[str, FactValue]]:
    names = list(dict.fromkeys(item.fact for item in comparisons(compiled.rule.condition)))
    assert all(name is not None for name in names)
    pools = [candidate_values(str(name), compiled.rule.condition) for name in names]
    return [dict(zip(map(str, names), combo, strict=True)) for combo in itertools.product(*pools)]


def inputs(assignment: dict[str, FactValue]) -> tuple[Answers, ProbeFacts]:
    answer_fields = {
        k.partition(".")[2]: v for k, v in assignment.items() if k.startswith("answers.")
    }
    probe_fields = {k.partition(".")[2]: v for k, v in assignment.items() if k.startswith("probe.")}
    return answers(**answer_fields), ProbeFacts.model_validate(probe_fields)


@pytest.mark.parametrize("compiled", RULEBOOK.rules, ids=lambda compiled: compiled.rule.id)
def test_each_rule_fires_and_stays_silent(compiled: CompiledRule) -> None:
    firing, silent = None, None
    for assignment in assignments(compiled):
        the_answers, probe = inputs(assignment)
        if compiled.fires(flatten_facts(the_answers, probe)):
            firing = firing or (the_answers, probe)
        else:
            silent = silent or (the_answers, probe)
    assert firing is not None, "no answers make this rule fire"
    assert silent is not None, "no answers keep this rule silent"
    fired = recommend(firing[0], RULEBOOK, firing[1])
    rule = compiled.rule
    moves = rule.rules_out or any(rule.effect.points(option) for option in OPTIONS)
    # A caveat for some verdicts only (hardening, patching) is shown with those alone.
    assert (rule.id in cited(fired)) == bool(moves or rule.caveat_applies(fired.advised))
    assert rule.id not in cited(recommend(silent[0], RULEBOOK, silent[1]))


# --- Verdicts follow the article ------------------------------------------------------------


@pytest.mark.parametrize(
    ("host_os", "app_oses"),
    [("linux", ("windows",)), ("linux", ("other",)), ("linux", ("other", "windows")),
     ("macos", ("windows",)), ("macos", ("other",))],
)  # fmt: skip
def test_an_os_other_than_the_hosts_calls_for_a_vm(host_os: str, app_oses: tuple[str]) -> None:
    result = recommend(answers(host_os=host_os, app_oses=app_oses), RULEBOOK)
    assert result.verdict == "vm"
    assert {"container", "host"} <= {item.option for item in result.ruled_out}
    assert any(
        "VM-2" in reason.claims or "CMP-COMPAT" in reason.claims for reason in result.reasons
    )


@pytest.mark.parametrize("host_os", ["linux", "windows"])
def test_macos_apps_off_apple_hardware_have_no_option_and_are_told_what_would(
    host_os: str,
) -> None:
    result = recommend(answers(host_os=host_os, app_oses=("macos",)), RULEBOOK)
    assert result.verdict == "none" and not result.advised
    assert {item.option for item in result.ruled_out} == set(OPTIONS)
    assert result.instead and any("Apple hardware" in text for text in result.instead)
    on_a_mac = recommend(answers(host_os="macos", app_oses=("macos",)), RULEBOOK)
    assert on_a_mac.verdict in ("host", "vm")


def test_a_mixed_estate_is_split_between_containers_and_vms() -> None:
    result = recommend(
        answers(app_oses=("linux", "windows"), app_count=35, linux_app_count=30), RULEBOOK
    )
    assert result.verdict == "split"
    assert [(part.app_oses, part.app_count, part.verdict) for part in result.parts] == [
        (("linux",), 30, "container"),
        (("windows",), 5, "vm"),
    ]
    assert result.advised == ("container", "vm")
    # The whole estate weighed as one cannot be containers: that is why it splits.
    assert "container" in {item.option for item in result.ruled_out}


def test_a_part_nothing_on_these_hosts_serves_splits_off_and_says_what_would() -> None:
    result = recommend(
        answers(app_oses=("linux", "macos"), app_count=21, linux_app_count=20), RULEBOOK
    )
    assert result.verdict == "split" and not result.instead
    linux, macos = result.parts
    assert linux.app_oses == ("linux",) and linux.served and not linux.instead
    assert macos.app_oses == ("macos",) and macos.verdict == "none" and not macos.served
    assert {item.option for item in macos.ruled_out} == set(OPTIONS)
    assert any("Apple hardware" in text for text in macos.instead)
    assert result.advised == (linux.verdict,)
    # On a Windows host the Linux part goes inside a VM; the macOS part still needs a Mac.
    on_windows = recommend(
        answers(host_os="windows", app_oses=("linux", "macos"), app_count=3, linux_app_count=2),
        RULEBOOK,
    )
    assert [part.verdict for part in on_windows.parts] == ["hybrid", "none"]


def test_each_other_os_is_a_part_of_its_own() -> None:
    result = recommend(
        answers(app_oses=("linux", "windows", "macos"), app_count=30, linux_app_count=20),
        RULEBOOK,
    )
    placed = {part.app_oses: part.verdict for part in result.parts}
    # Nothing serves the macOS builds here; that does not leave the Windows services unserved.
    assert placed == {("linux",): "container", ("macos",): "none", ("windows",): "vm"}
    assert [part.app_count for part in result.parts] == [20, None, None]


def test_latency_sensitive_containers_are_told_how_to_stay_near_native() -> None:
    latency = "latency-sensitive-prefers-near-native"
    in_containers = recommend(answers(latency_sensitive=True, app_count=4), RULEBOOK)
    assert in_containers.verdict == "container"
    assert latency in {caveat.rule_id for caveat in in_containers.caveats}
    on_the_host = recommend(
        answers(latency_sensitive=True, realtime_kernel=True, app_count=1), RULEBOOK
    )
    assert on_the_host.verdict == "host"
    assert latency not in {caveat.rule_id for caveat in on_the_host.caveats}


def test_a_mixed_estate_whose_parts_agree_is_not_split() -> None:
    result = recommend(
        answers(app_oses=("linux", "windows"), app_count=4, linux_app_count=2, own_kernel=True),
        RULEBOOK,
    )
    assert result.verdict == "vm" and not result.parts


@pytest.mark.parametrize(
    "change",
    [{"app_kind": "host_agent"}, {"app_kind": "desktop_app"},
     {"realtime_kernel": True, "latency_sensitive": True}],
    ids=["host-agent", "desktop-app", "real-time"],
)  # fmt: skip
def test_what_acts_on_its_host_runs_on_the_host(change: dict[str, Any]) -> None:
    assert recommend(answers(**change), RULEBOOK).verdict == "host"
    shared = recommend(answers(untrusted_code=True, **change), RULEBOOK)
    assert "host" in {item.option for item in shared.ruled_out}


def test_strict_security_is_weighed_not_a_rule_out() -> None:
    # The article says to consider a VM: strict security moves points, and rules nothing out.
    standard = recommend(answers(security="standard", app_count=3), RULEBOOK)
    strict = recommend(answers(security="strict", app_count=3), RULEBOOK)
    assert not strict.ruled_out
    assert strict.scores.vm > standard.scores.vm
    assert any("CMP-SEC" in reason.claims for reason in strict.reasons)


@pytest.mark.parametrize("field", ["untrusted_code", "hostile_tenants"])
def test_untrusted_code_or_hostile_tenants_rule_out_plain_containers(field: str) -> None:
    result = recommend(answers(app_count=20, **{field: True}), RULEBOOK)
    assert "container" in {item.option for item in result.ruled_out}
    assert result.verdict in ("vm", "hybrid")


def test_trust_boundaries_not_the_app_count_choose_vm_or_containers_in_vms() -> None:
    def verdict(count: int, boundaries: int) -> str:
        changes = {"untrusted_code": True, "app_count": count, "trust_boundaries": boundaries}
        return recommend(answers(**changes), RULEBOOK).verdict

    assert verdict(200, 2) == verdict(20, 2) == "vm"
    assert verdict(200, 200) == "hybrid"


def test_a_module_in_the_host_kernel_does_not_need_a_vm() -> None:
    result = recommend(answers(host_kernel_module=True), RULEBOOK)
    assert result.verdict == "container" and not result.ruled_out


@pytest.mark.parametrize("change", [{"windows_gui": True}, {"windows_versions": "end_of_life"}])
def test_windows_gui_or_end_of_life_rules_out_containers(change: dict[str, Any]) -> None:
    result = recommend(
        answers(host_os="windows", app_oses=("windows",), app_count=20, **change), RULEBOOK
    )
    assert {"container", "hybrid"} <= {item.option for item in result.ruled_out}
    assert result.verdict == "vm"


def test_an_own_kernel_calls_for_a_vm() -> None:
    assert recommend(answers(own_kernel=True), RULEBOOK).verdict == "vm"


@pytest.mark.parametrize(
    "change",
    [{"app_count": 10}, {"app_count": 2, "dependency_conflicts": True},
     {"fast_startup_matters": True},
     {"resources_scarce": True}, {"replicate_across_machines": True}],
    ids=lambda change: next(iter(change)),
)  # fmt: skip
def test_container_reasons_widen_the_containers_lead(change: dict[str, Any]) -> None:
    for security in ("standard", "elevated"):
        before = recommend(answers(security=security), RULEBOOK).scores
        after = recommend(answers(security=security, **change), RULEBOOK)
        assert after.verdict == "container"
        for other in ("vm", "hybrid"):
            lead_before = before.container - before.of(other)
            assert after.scores.container - after.scores.of(other) > lead_before


@pytest.mark.parametrize("host_os", ["windows", "macos"])
def test_linux_apps_on_windows_or_mac_run_as_containers_in_a_vm(host_os: str) -> None:
    result = recommend(answers(host_os=host_os, app_count=5), RULEBOOK)
    assert result.verdict == "hybrid"
    assert any("CMP-COMPAT" in caveat.claims for caveat in result.caveats)
    beyond = [reason for reason in result.reasons if reason.beyond_article]
    assert beyond and "Docker Desktop" in (beyond[0].beyond_article or "")


def test_many_apps_under_strict_security_are_weighed_not_one_sided() -> None:
    result = recommend(answers(security="strict", app_count=40), RULEBOOK)
    reason_ids = {reason.rule_id for reason in result.reasons}
    assert {"strict-security-consider-vm", "many-apps-one-vm-each-is-wasteful"} <= reason_ids
    assert any(caveat.note and caveat.note.kind == "tension" for caveat in result.caveats)


def test_container_verdicts_carry_hardening_and_vm_verdicts_patching() -> None:
    container = recommend(answers(app_count=10), RULEBOOK)
    vm = recommend(answers(own_kernel=True, app_count=3), RULEBOOK)
    assert container.verdict == "container" and vm.verdict == "vm"
    assert "harden-the-containers" in cited(container)
    assert "patch-every-guest" not in cited(container)
    assert "patch-every-guest" in cited(vm) and "harden-the-containers" not in cited(vm)


def test_probe_figures_vote_only_where_the_probed_host_is_the_target() -> None:
    probe_facts = ProbeFacts(container_start_seconds=0.1, vm_boot_seconds=6.0)
    base = answers(fast_startup_matters=True)
    unsaid = recommend(base, RULEBOOK, probe_facts)
    on_target = base.model_copy(update={"probed_host_is_target": True})
    target = recommend(on_target, RULEBOOK, probe_facts)
    measured = {reason.rule_id for reason in target.reasons} - {r.rule_id for r in unsaid.reasons}
    assert measured and all(rule_id.startswith("probe-") for rule_id in measured)
    assert not any(r.rule_id.startswith("probe-") for r in unsaid.reasons)


def test_unanswered_questions_that_could_change_it_are_worth_answering() -> None:
    result = recommend(answers(app_count=10), RULEBOOK)
    fields = {flip.field for flip in result.worth_answering}
    assert "untrusted_code" in fields and "own_kernel" in fields
    assert all(flip.current is None for flip in result.worth_answering)
    assert all(flip.current is not None for flip in result.flips)
    for flip in result.worth_answering:
        changed = answers(app_count=10, **{flip.field: flip.value})
        assert recommend(changed, RULEBOOK).verdict == flip.verdict != result.verdict


def test_flips_never_ask_for_more_trust_boundaries_than_applications() -> None:
    result = recommend(answers(untrusted_code=True, app_count=3, trust_boundaries=3), RULEBOOK)
    for flip in (*result.flips, *result.worth_answering):
        changed = {"app_count": 3, "trust_boundaries": 3, flip.field: flip.value}
        assert changed["trust_boundaries"] <= changed["app_count"]


@settings(max_examples=150, deadline=None, database=None)
@given(answers_strategy())
def test_invariants_over_any_answers(the_answers: Answers) -> None:
    result = recommend(the_answers, RULEBOOK)
    foreign = set(the_answers.app_oses) - {"linux", the_answers.host_os}
    kernel_boundary = the_answers.untrusted_code or the_answers.hostile_tenants
    if the_answers.own_kernel or kernel_boundary or foreign:
        assert result.verdict != "container"
    if "macos" in the_answers.app_oses:
        # No macOS containers, inside a VM or not, and no macOS guests off Apple hardware.
        macos = [part for part in result.parts if "macos" in part.app_oses]
        advised: set[str] = {macos[0].verdict} if macos else set(result.advised)
        assert not advised & {"container", "hybrid"}
        if the_answers.host_os != "macos":
            # Nothing serves them: the whole estate, or the part of a split they are in.
            assert result.verdict == "none" or advised == {"none"}
    if the_answers.host_os != "linux" and "linux" in the_answers.app_oses:
        # Linux containers there run inside a VM (a split's other parts may be containers of
        # the host's own OS, such as Windows containers on a Windows host).
        linux = [part.verdict for part in result.parts if "linux" in part.app_oses]
        assert "container" not in (linux or result.advised)
    if result.verdict == "container" and the_answers.host_os == "windows":
        assert "windows-apps-on-windows-host" in cited(result)  # Windows containers' caveat
    ruled_out = {item.option for item in result.ruled_out}
    assert result.margin >= 0
    for reason in result.reasons:
        assert reason.claims and all(claim in RULEBOOK.claims for claim in reason.claims)
        assert reason.triggers
    if result.verdict == "none":
        assert ruled_out == set(OPTIONS)
        return
    if result.verdict == "split":
        served = [part for part in result.parts if part.verdict != "none"]
        # The Linux part and one part per other OS; at least two come out differently.
        others = set(the_answers.app_oses) - {"linux"}
        assert len(result.parts) == 1 + len(others)
        assert len({part.verdict for part in result.parts}) >= 2
        assert set(result.advised) == {part.verdict for part in served} and served
        return
    verdict = result.advised[0]
    assert verdict not in ruled_out
    possible = [option for option in OPTIONS if option not in ruled_out]
    assert all(result.scores.of(verdict) >= result.scores.of(o) for o in possible)
    assert sum(reason.effect.of(verdict) for reason in result.reasons) == result.scores.of(verdict)


# --- Flips --------------------------------------------------------------------------------


def could_exist(the_answers: Answers) -> bool:
    """No more trust boundaries than applications to put in them, no hardware beside none."""
    boundaries, hardware = the_answers.value("trust_boundaries"), the_answers.value("hardware")
    if isinstance(boundaries, int) and boundaries > the_answers.app_count:
        return False
    linux, oses = the_answers.value("linux_app_count"), the_answers.app_oses
    mixed = "linux" in oses and len(oses) > 1
    if mixed and isinstance(linux, int) and linux >= the_answers.app_count:
        return False
    return not (isinstance(hardware, tuple) and "none" in hardware and len(hardware) > 1)


def alternatives(field: str, current: Any) -> list[Any]:
    spec = RULEBOOK.fact_specs[f"answers.{field}"]
    if spec.kind == "number":
        return [value for value in [*range(1, 31), 10_000] if value != current]
    if spec.kind == "set":
        names = [str(choice) for choice in spec.choices or ()]
        return [
            subset
            for size in range(1, len(names) + 1)
            for subset in itertools.combinations(names, size)
            if set(subset) != set(current or ())
        ]
    return [choice for choice in spec.choices or () if choice != current]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda path: path.stem)
def test_flips_are_exactly_the_single_answers_that_change_the_verdict(path: Path) -> None:
    original = load_answers(path)
    result = recommend(original, RULEBOOK)
    flips = {flip.field: flip for flip in (*result.flips, *result.worth_answering)}
    for name in (*RULEBOOK.answer_facts_used, *SPLIT_FACTS):
        field = name.partition(".")[2]
        current = getattr(original, field)
        changing = [
            value
            for value in alternatives(field, current)
            if could_exist(original.model_copy(update={field: value}))
            and recommend(original.model_copy(update={field: value}), RULEBOOK).verdict
            != result.verdict
        ]
        if field not in flips:
            assert not changing, f"{field} = {changing[0]} changes the verdict but is not listed"
            continue
        flip = flips[field]
        assert flip.current == current
        changed = recommend(original.model_copy(update={field: flip.value}), RULEBOOK)
        assert changed.verdict == flip.verdict != result.verdict
        if field == "app_count":
            assert all(abs(v - current) >= abs(flip.value - current) for v in changing)


def test_advise_is_the_engine_with_the_probe_reports_facts() -> None:
    the_answers = load_answers(EXAMPLES / "payment-service-strict.json")
    report = load_probe_report(PROBE_REPORT)
    assert advise(the_answers) == recommend(the_answers, RULEBOOK)
    assert advise(the_answers, report) == recommend(
        the_answers, RULEBOOK, facts_from_probe_report(report)
    )


# --- Determinism, ties, ruled-out options, tension ----------------------------------------------


def test_same_answers_give_the_same_recommendation_every_time(tmp_path: Path) -> None:
    the_answers = answers(security="strict", app_count=12, dependency_conflicts=True)
    probe = ProbeFacts(vm_accelerator="tcg", docker_engine_reachable=False)
    first = recommend(the_answers, RULEBOOK, probe).model_dump_json()
    assert recommend(the_answers, RULEBOOK, probe).model_dump_json() == first
    rules = (Path(__file__).resolve().parents[2] / "rules" / "rules.toml").read_text("utf-8")
    fresh = load_text(tmp_path, rules)
    assert recommend(the_answers, fresh, probe).model_dump_json() == first


def custom(tmp_path: Path, *rules: str) -> Rulebook:
    rulebook: Rulebook = load_text(tmp_path, HEADER + "".join(rules))
    return rulebook


ALWAYS = '{ fact = "answers.app_count", op = "ge", value = 1 }'


def test_a_tie_goes_to_the_first_option_in_tie_order_and_says_why(tmp_path: Path) -> None:
    rulebook = custom(
        tmp_path, rule_text(condition=ALWAYS, effect="{ container = 2, hybrid = 2, vm = 1 }")
    )
    result = recommend(answers(), rulebook)
    assert result.verdict == "hybrid"  # tie order: vm, hybrid, container
    assert result.margin == 0 and result.confidence == "low"
    assert result.tie == Tie(
        options=("hybrid", "container"), points=2, rationale="the test says so"
    )
    view = build_report(answers(), result, None, rulebook=rulebook, generated_at=NOW)
    assert view.tie_break == (
        "Containers in VMs and Containers tie at 2 points; "
        "Containers in VMs wins because the test says so."
    )


def test_a_ruled_out_option_never_wins_and_the_user_is_told(tmp_path: Path) -> None:
    rulebook = custom(
        tmp_path,
        rule_text(id='"boost"', condition=ALWAYS, effect="{ container = 5, vm = 1 }"),
        rule_text(id='"ban"', condition=ALWAYS, effect="{}", rules_out='["container"]'),
    )
    result = recommend(answers(), rulebook)
    assert result.verdict == "vm"
    assert [(item.option, item.by) for item in result.ruled_out] == [("container", ("ban",))]
    notes = [caveat.note for caveat in result.caveats if caveat.rule_id is None]
    assert notes == [
        EngineNote(kind="ruled_out_lead", option="container", points=5, lead=4, rules=("ban",))
    ]
    view = build_report(answers(), result, None, rulebook=rulebook, generated_at=NOW)
    assert "Containers scores highest (5 points) but is ruled out by ban" in view.caveats[0].text


def test_reasons_pulling_the_other_way_are_named(tmp_path: Path) -> None:
    rulebook = custom(
        tmp_path,
        rule_text(id='"for-vm"', condition=ALWAYS, effect="{ vm = 6 }"),
        rule_text(id='"for-containers"', condition=ALWAYS, effect="{ container = 4 }"),
    )
    result = recommend(answers(), rulebook)
    assert result.verdict == "vm" and result.margin == 2
    assert [reason.rule_id for reason in result.reasons] == ["for-vm", "for-containers"]
    notes = [caveat.note for caveat in result.caveats if caveat.rule_id is None]
    assert notes == [
        EngineNote(kind="tension", option="container", points=4, lead=2, rules=("for-containers",))
    ]
    view = build_report(answers(), result, None, rulebook=rulebook, generated_at=NOW)
    assert [caveat.text for caveat in view.caveats] == [
        "The reasons pull both ways: for-containers favour Docker containers by 4 points; "
        "virtual machines still lead it by 2 points."
    ]


def test_grounding_only_with_probe_facts() -> None:
    assert recommend(answers(), RULEBOOK).grounding == ()
    grounded = recommend(answers(), RULEBOOK, ProbeFacts(image_bytes=2_000_000))
    assert {check.claim_id for check in grounded.grounding} >= {"CMP-SIZE", "CMP-PERF", "VM-1"}


def test_caveat_rules_carry_their_triggers() -> None:
    result = recommend(answers(), RULEBOOK, ProbeFacts(docker_engine_reachable=False))
    caveat = next(c for c in result.caveats if c.rule_id == "probe-docker-engine-unreachable")
    assert [(t.fact, t.value) for t in caveat.triggers] == [
        ("probe.docker_engine_reachable", False)
    ]
