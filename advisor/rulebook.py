"""The rules and the article's claims, loaded from TOML and checked completely at load time.

A rule names the claims it derives from, a condition over facts (`answers.*`, `probe.*`),
and what it does when the condition holds: points for container, vm and hybrid, options it
rules out, and a caveat for the user. Each rule belongs to one declared factor, the line of
evidence it restates, so that the confidence counts independent evidence. Conditions are
trees of `all`, `any`, `not` and comparisons `{ fact, op, value }`:

- `eq`, `ne`: equal or not; for a set fact (app_oses) the value is a list compared as a set.
- `in`: the fact's value is one of the listed values; for a set fact, every element is.
- `contains`: a set fact holds the value.
- `gt`, `ge`, `lt`, `le`: number facts only.

A fact that was not measured (None) makes its comparison unknown; `all`, `any` and `not`
follow three-valued logic, and a rule fires only when its condition is known to hold.
Everything a loaded rulebook holds has been validated: the engine never meets an unknown
fact, claim or operator.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Protocol, get_args

from pydantic import ConfigDict, Field, ValidationError, model_validator

from advisor.base.i18n import localized
from advisor.base.models import FrozenModel
from advisor.datafiles import (
    STRICT,
    Bilingual,
    Text,
    data_file,
    english,
    expect_keys,
    parse_toml,
    read_data_file,
    record_label,
    records,
    validated,
)

# RulebookError is raised here and named from here, defined with the other data-file readers.
from advisor.datafiles import RulebookError as RulebookError
from advisor.facts import ANSWERS_NAMESPACE, FactSpec, FactValue, fact_specs
from advisor.questions import Questionnaire, load_questions, load_questions_from

# The options the rules score: Docker containers, VMs, containers inside VMs, and the
# applications on the host itself, without virtualization.
Option = Literal["container", "vm", "hybrid", "host"]
OPTIONS: tuple[Option, ...] = get_args(Option)
# What the advice can say: one option, a split of a mixed estate between two options (each
# part of the applications weighed on its own), or none, when the rules rule out every option.
Verdict = Literal["container", "vm", "hybrid", "host", "split", "none"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
Operator = Literal["eq", "ne", "in", "gt", "ge", "lt", "le", "contains"]

RULES_RESOURCE = "rules.toml"
CLAIMS_RESOURCE = "claims.toml"
MAX_POINTS = 10

Facts = Mapping[str, FactValue]


class Claim(Bilingual):
    """One claim of the article: its section's title in the article's words and in English,
    what it says in English and in Chinese, and the article's own sentences."""

    model_config = STRICT

    id: Text
    section_zh: Text
    section_en: Text
    digest_en: Text = english("digest")
    digest_zh: Text | None = None
    original: tuple[Text, ...] = Field(min_length=1)
    measurable: Text | None = None
    decision_bearing: bool
    # Where the article overstates: said wherever the claim is quoted, with its source.
    qualification_en: Text | None = english("qualification", default=None)
    qualification_zh: Text | None = None

    @property
    def qualification(self) -> str | None:
        """How the claim is to be qualified, in the current language; None if it need not be."""
        if self.qualification_en is None:
            return None
        return localized(self.qualification_en, self.qualification_zh)

    @property
    def reading(self) -> str:
        """The digest as a reader should take it: with its qualification, where it has one."""
        return f"{self.digest} {self.qualification}" if self.qualification else self.digest

    @property
    def section(self) -> str:
        """The section's title in the current language (the article's own in Chinese)."""
        return localized(self.section_en, self.section_zh)

    @property
    def digest(self) -> str:
        """What the claim says, in the current language."""
        return localized(self.digest_en, self.digest_zh)


class Condition(FrozenModel):
    """A node of a condition tree: exactly one of all, any, not, or a comparison."""

    model_config = ConfigDict(strict=True, populate_by_name=True)

    all: tuple[Condition, ...] | None = Field(default=None, min_length=1)
    any: tuple[Condition, ...] | None = Field(default=None, min_length=1)
    not_: Condition | None = Field(default=None, alias="not")
    fact: str | None = None
    op: Operator | None = None
    value: Any = None

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        comparison = (self.fact, self.op, self.value)
        is_comparison = any(part is not None for part in comparison)
        forms = [self.all, self.any, self.not_]
        if sum(form is not None for form in forms) + is_comparison != 1:
            raise ValueError(
                "expected exactly one of 'all', 'any', 'not', or 'fact' with 'op' and 'value'"
            )
        if is_comparison and any(part is None for part in comparison):
            raise ValueError("expected a comparison with all of 'fact', 'op' and 'value'")
        return self


class Effect(FrozenModel):
    """Points a fired rule adds to each option."""

    model_config = STRICT

    container: int = Field(default=0, ge=-MAX_POINTS, le=MAX_POINTS)
    vm: int = Field(default=0, ge=-MAX_POINTS, le=MAX_POINTS)
    hybrid: int = Field(default=0, ge=-MAX_POINTS, le=MAX_POINTS)
    host: int = Field(default=0, ge=-MAX_POINTS, le=MAX_POINTS)

    def points(self, option: Option) -> int:
        """The points this effect gives `option`."""
        return int(getattr(self, option))


class BeyondArticle(Bilingual):
    """Where a rule that goes beyond the article takes its ground from."""

    model_config = STRICT

    source_en: Text = english("source")
    source_zh: Text | None = None
    url: str | None = Field(default=None, pattern=r"^https://\S+$")

    @property
    def source(self) -> str:
        """The source, named in the current language."""
        return localized(self.source_en, self.source_zh)


class Factor(Bilingual):
    """An independent line of evidence: the rules of one factor restate one argument."""

    model_config = STRICT

    id: str = Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$")
    name_en: Text = english("name")  # how a sentence names it: "the hardware factor"
    name_zh: Text | None = None
    # What it weighs, and why it is independent of the other factors.
    covers_en: Text = english("covers")
    covers_zh: Text | None = None

    @property
    def name(self) -> str:
        """How a sentence names the factor, in the current language."""
        return localized(self.name_en, self.name_zh)

    @property
    def covers(self) -> str:
        """What the factor weighs, in the current language."""
        return localized(self.covers_en, self.covers_zh)


class Rule(Bilingual):
    """One rule, as written in rules.toml."""

    model_config = STRICT

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    factor: str  # the id of a declared [[factor]]
    title_en: Text = english("title")
    title_zh: Text | None = None
    claims: tuple[str, ...] = Field(min_length=1)
    quote: Text | None = None
    condition: Condition
    effect: Effect = Effect()
    rules_out: tuple[Option, ...] = ()
    rationale_en: Text = english("rationale")
    rationale_zh: Text | None = None
    caveat_en: Text | None = english("caveat", default=None)
    caveat_zh: Text | None = None
    # The verdicts the caveat concerns (hardening for containers, patching for VMs); every
    # verdict when empty.
    caveat_when: tuple[Option, ...] = ()
    # What would serve instead, where this rule rules out the last options left.
    instead_en: Text | None = english("instead", default=None)
    instead_zh: Text | None = None
    beyond_article: BeyondArticle | None = None

    @property
    def title(self) -> str:
        """What the rule says, in a line, in the current language."""
        return localized(self.title_en, self.title_zh)

    @property
    def rationale(self) -> str:
        """Why the rule holds, in the current language."""
        return localized(self.rationale_en, self.rationale_zh)

    @property
    def caveat(self) -> str | None:
        """What the user must still weigh when the rule fires, in the current language."""
        if self.caveat_en is None:
            return None
        return localized(self.caveat_en, self.caveat_zh)

    @property
    def instead(self) -> str | None:
        """What would serve instead, in the current language."""
        if self.instead_en is None:
            return None
        return localized(self.instead_en, self.instead_zh)

    def caveat_applies(self, verdicts: Iterable[Option]) -> bool:
        """Whether this rule's caveat, when it fires, concerns the options advised (those of
        each part of a split; none where nothing serves)."""
        return self.caveat is not None and (
            not self.caveat_when or bool(set(verdicts) & set(self.caveat_when))
        )


class RulesetInfo(Bilingual):
    """Settings of the rule set as a whole."""

    model_config = STRICT

    version: Text
    tie_order: tuple[Option, ...]
    tie_rationale_en: Text = english("tie_rationale")
    tie_rationale_zh: Text | None = None
    # The confidence (advisor/confidence.py): a factor is strong from this many points; high
    # confidence needs the factors to lead by this many and this many factors to agree.
    material_factor_points: int = Field(ge=1)
    strong_factor_points: int = Field(ge=1)
    high_confidence_lead: int = Field(ge=1)
    high_confidence_factors: int = Field(ge=1)
    # Reasons for another option that add up to this many points earn a caveat.
    tension_caveat_points: int = Field(ge=1)

    @property
    def tie_rationale(self) -> str:
        """Why the tie order is what it is, in the current language."""
        return localized(self.tie_rationale_en, self.tie_rationale_zh)


class _Node(Protocol):
    def holds(self, facts: Facts) -> bool | None:
        """True, False, or None when it depends on facts not measured."""

    def because(self, facts: Facts) -> tuple[str, ...]:
        """The facts that made this node hold, in the order the rule names them."""


@dataclass(frozen=True)
class _Compare:
    fact: str
    test: Callable[[Any], bool]

    def holds(self, facts: Facts) -> bool | None:
        value = facts[self.fact]
        return None if value is None else self.test(value)

    def because(self, facts: Facts) -> tuple[str, ...]:
        return (self.fact,)


@dataclass(frozen=True)
class _Junction:
    """`all` (decided by the first part that is False) or `any` (by the first that is True)."""

    parts: tuple[_Node, ...]
    decisive: bool

    def holds(self, facts: Facts) -> bool | None:
        result: bool | None = not self.decisive
        for part in self.parts:
            value = part.holds(facts)
            if value is self.decisive:
                return value
            if value is None:
                result = None
        return result

    def because(self, facts: Facts) -> tuple[str, ...]:
        # Every part of an `all` counts; of an `any`, only the parts that hold.
        return _merged(
            part.because(facts) for part in self.parts if not self.decisive or part.holds(facts)
        )


@dataclass(frozen=True)
class _Not:
    part: _Node

    def holds(self, facts: Facts) -> bool | None:
        value = self.part.holds(facts)
        return None if value is None else not value

    def because(self, facts: Facts) -> tuple[str, ...]:
        # What does not hold has no part that holds to name: every fact it reads decided it.
        return _read_by(self.part)


def _read_by(node: _Node) -> tuple[str, ...]:
    if isinstance(node, _Compare):
        return (node.fact,)
    if isinstance(node, _Junction):
        return _merged(_read_by(part) for part in node.parts)
    assert isinstance(node, _Not)
    return _read_by(node.part)


def _merged(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups for name in group))


@dataclass(frozen=True)
class CompiledRule:
    """A validated rule with its condition ready to evaluate."""

    rule: Rule
    condition: _Node
    reads: frozenset[str] = frozenset()  # every fact the condition names

    def fires(self, facts: Facts) -> bool:
        """Whether the condition is known to hold for these facts."""
        return self.condition.holds(facts) is True

    def triggers(self, facts: Facts) -> tuple[str, ...]:
        """The facts that made the rule fire."""
        return self.condition.because(facts)


@dataclass(frozen=True)
class Rulebook:
    """A validated rule set with the claims it cites, ready for the engine."""

    info: RulesetInfo
    factors: Mapping[str, Factor]  # in the order declared
    rules: tuple[CompiledRule, ...]
    claims: Mapping[str, Claim]
    # The questions the rules were checked against, and every fact a rule may name.
    questions: Questionnaire
    fact_specs: Mapping[str, FactSpec]
    # For each number fact among the answers, the values rules compare it with.
    thresholds: Mapping[str, tuple[float, ...]]
    # The answer facts some rule reads, in the order of the answers form.
    answer_facts_used: tuple[str, ...]

    @property
    def version(self) -> str:
        """The rule set's version, quoted in every recommendation."""
        return self.info.version

    @functools.cached_property
    def rules_reading(self) -> Mapping[str, tuple[CompiledRule, ...]]:
        """For each fact, the rules whose condition names it, in file order."""
        reading: dict[str, list[CompiledRule]] = {}
        for rule in self.rules:
            for fact in rule.reads:
                reading.setdefault(fact, []).append(rule)
        return MappingProxyType({fact: tuple(rules) for fact, rules in reading.items()})


@functools.cache
def load_rulebook() -> Rulebook:
    """The rule set shipped in the package (`advisor.rules`), loaded once."""
    return parse_rulebook(
        *data_file(RULES_RESOURCE), *data_file(CLAIMS_RESOURCE), questions=load_questions()
    )


def load_rulebook_from(
    rules_path: Path, claims_path: Path, questions_path: Path | None = None
) -> Rulebook:
    """A rule set from its files (the shipped questions unless a question file is named);
    raises RulebookError (an InputError) naming what is wrong."""
    questions = load_questions_from(questions_path) if questions_path else load_questions()
    return parse_rulebook(
        read_data_file(rules_path),
        str(rules_path),
        read_data_file(claims_path),
        str(claims_path),
        questions=questions,
    )


def parse_rulebook(
    rules_data: bytes,
    rules_name: str,
    claims_data: bytes,
    claims_name: str,
    *,
    questions: Questionnaire | None = None,
) -> Rulebook:
    """Validate a rule file against a claim file and the questions (the shipped ones unless
    given); raises RulebookError naming what is wrong."""
    questions = questions or load_questions()
    specs = fact_specs(questions)
    claims = _parse_claims(parse_toml(claims_data, claims_name), claims_name)
    document = parse_toml(rules_data, rules_name)
    expect_keys(document, rules_name, required=("ruleset", "factor", "rule"))
    info = validated(RulesetInfo, document["ruleset"], f"{rules_name}: [ruleset]")
    factors = _parse_factors(document, rules_name)
    if sorted(info.tie_order) != sorted(OPTIONS):
        raise RulebookError(
            f"{rules_name}: [ruleset]: field 'tie_order': expected each of "
            f"{', '.join(OPTIONS)} exactly once, got {list(info.tie_order)}"
        )
    compiled: list[CompiledRule] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(records(document, "rule", rules_name), start=1):
        where = f"{rules_name}: {record_label('rule', raw, number)}"
        rule = validated(Rule, raw, where)
        if rule.id in seen:
            raise RulebookError(
                f"{where}: field 'id': duplicate rule id (rule #{seen[rule.id]} has it too)"
            )
        seen[rule.id] = number
        if rule.factor not in factors:
            raise RulebookError(
                f"{where}: field 'factor': unknown factor '{rule.factor}' "
                f"(expected one of: {', '.join(factors)})"
            )
        _check_claims(rule, claims, where)
        _check_does_something(rule, where)
        node = _compile(rule.condition, "condition", where, specs)
        reads = frozenset(str(item.fact) for item in _comparisons(rule.condition))
        compiled.append(CompiledRule(rule, node, reads))
    comparisons = [
        comparison for item in compiled for comparison in _comparisons(item.rule.condition)
    ]
    return Rulebook(
        info=info,
        factors=MappingProxyType(factors),
        rules=tuple(compiled),
        claims=MappingProxyType(claims),
        questions=questions,
        fact_specs=specs,
        thresholds=MappingProxyType(_thresholds(comparisons, specs)),
        answer_facts_used=tuple(
            name
            for name in specs
            if name.startswith(f"{ANSWERS_NAMESPACE}.")
            and any(comparison.fact == name for comparison in comparisons)
        ),
    )


def _parse_factors(document: dict[str, Any], name: str) -> dict[str, Factor]:
    factors: dict[str, Factor] = {}
    for number, raw in enumerate(records(document, "factor", name), start=1):
        where = f"{name}: {record_label('factor', raw, number)}"
        factor = validated(Factor, raw, where)
        if factor.id in factors:
            raise RulebookError(f"{where}: field 'id': duplicate factor id")
        factors[factor.id] = factor
    return factors


def _parse_claims(document: dict[str, Any], name: str) -> dict[str, Claim]:
    expect_keys(document, name, required=("claim",))
    claims: dict[str, Claim] = {}
    raw_claims = document["claim"]
    if not isinstance(raw_claims, tuple):
        raise RulebookError(f"{name}: expected [[claim]] tables")
    for number, raw in enumerate(raw_claims, start=1):
        label = f"claim '{raw['id']}'" if isinstance(raw, dict) and "id" in raw else "claim"
        claim = validated(Claim, raw, f"{name}: {label} (#{number})")
        if claim.id in claims:
            raise RulebookError(f"{name}: claim '{claim.id}': field 'id': duplicate claim id")
        claims[claim.id] = claim
    return claims


def _check_claims(rule: Rule, claims: Mapping[str, Claim], where: str) -> None:
    for claim_id in rule.claims:
        if claim_id not in claims:
            raise RulebookError(
                f"{where}: field 'claims': unknown claim ID '{claim_id}' "
                f"(expected one of: {', '.join(claims)})"
            )
    if rule.quote is not None and not any(
        rule.quote in sentence for claim_id in rule.claims for sentence in claims[claim_id].original
    ):
        raise RulebookError(
            f"{where}: field 'quote': not found in the original sentences of "
            f"{', '.join(rule.claims)}; expected an exact excerpt of the article"
        )


def _check_does_something(rule: Rule, where: str) -> None:
    scores = any(rule.effect.points(option) for option in OPTIONS)
    if not (scores or rule.rules_out or rule.caveat):
        raise RulebookError(
            f"{where}: field 'effect': expected non-zero points, 'rules_out' or a 'caveat'"
        )
    if rule.instead is not None and not rule.rules_out:
        raise RulebookError(f"{where}: field 'instead': expected 'rules_out' it stands in for")
    if rule.caveat_when and rule.caveat is None:
        raise RulebookError(f"{where}: field 'caveat_when': expected a 'caveat' it applies to")
    if sorted(set(rule.rules_out)) == sorted(OPTIONS):
        raise RulebookError(f"{where}: field 'rules_out': expected at least one option left")


Specs = Mapping[str, FactSpec]


def _compile(condition: Condition, path: str, where: str, specs: Specs) -> _Node:
    if condition.all is not None:
        return _Junction(_compile_each(condition.all, f"{path}.all", where, specs), decisive=False)
    if condition.any is not None:
        return _Junction(_compile_each(condition.any, f"{path}.any", where, specs), decisive=True)
    if condition.not_ is not None:
        return _Not(_compile(condition.not_, f"{path}.not", where, specs))
    return _compile_comparison(condition, path, where, specs)


def _compile_each(
    parts: tuple[Condition, ...], path: str, where: str, specs: Specs
) -> tuple[_Node, ...]:
    return tuple(
        _compile(part, f"{path}[{index}]", where, specs) for index, part in enumerate(parts)
    )


def _compile_comparison(condition: Condition, path: str, where: str, specs: Specs) -> _Node:
    fact, op, value = condition.fact, condition.op, condition.value
    assert fact is not None and op is not None  # guaranteed by Condition._one_form
    spec = specs.get(fact)
    if spec is None:
        raise RulebookError(
            f"{where}: field '{path}.fact': unknown fact '{fact}' "
            f"(expected one of: {', '.join(specs)})"
        )

    def wrong(problem: str) -> RulebookError:
        return RulebookError(f"{where}: field '{path}': {problem}")

    if spec.kind == "set":
        if op == "contains":
            element = _element(spec, value, wrong)
            return _Compare(fact, lambda actual: element in actual)
        if op in ("eq", "ne", "in"):
            members = frozenset(_elements(spec, value, wrong))
            tests: dict[str, Callable[[Any], bool]] = {
                "eq": lambda actual: frozenset(actual) == members,
                "ne": lambda actual: frozenset(actual) != members,
                "in": lambda actual: frozenset(actual) <= members,
            }
            return _Compare(fact, tests[op])
        raise wrong(
            f"operator '{op}' does not apply to the set '{fact}' (expected eq, ne, in, contains)"
        )
    if op == "contains":
        raise wrong(f"operator 'contains' applies only to sets, and '{fact}' is a {spec.kind}")
    if op == "in":
        allowed = frozenset(_elements(spec, value, wrong))
        return _Compare(fact, lambda actual: actual in allowed)
    expected = _element(spec, value, wrong)
    if op == "eq":
        return _Compare(fact, lambda actual: bool(actual == expected))
    if op == "ne":
        return _Compare(fact, lambda actual: bool(actual != expected))
    if spec.kind != "number":
        raise wrong(f"operator '{op}' applies only to numbers, and '{fact}' is a {spec.kind}")
    orderings: dict[str, Callable[[Any], bool]] = {
        "gt": lambda actual: bool(actual > expected),
        "ge": lambda actual: bool(actual >= expected),
        "lt": lambda actual: bool(actual < expected),
        "le": lambda actual: bool(actual <= expected),
    }
    return _Compare(fact, orderings[op])


def _element(spec: FactSpec, value: Any, wrong: Callable[[str], RulebookError]) -> Any:
    if isinstance(value, tuple):
        raise wrong(f"expected a single value for '{spec.name}', got a list")
    try:
        return spec.element.validate_python(value, strict=True)
    except ValidationError as error:
        problem = error.errors(include_url=False)[0]["msg"].removeprefix("Input should be ")
        raise wrong(f"value {value!r} does not fit '{spec.name}': expected {problem}") from None


def _elements(spec: FactSpec, value: Any, wrong: Callable[[str], RulebookError]) -> tuple[Any, ...]:
    if not isinstance(value, tuple) or not value:
        raise wrong(f"expected a non-empty list of values for '{spec.name}', got {value!r}")
    return tuple(_element(spec, item, wrong) for item in value)


def _comparisons(condition: Condition) -> list[Condition]:
    if condition.fact is not None:
        return [condition]
    children = condition.all or condition.any or ((condition.not_,) if condition.not_ else ())
    return [found for child in children for found in _comparisons(child)]


def _thresholds(comparisons: list[Condition], specs: Specs) -> dict[str, tuple[float, ...]]:
    values: dict[str, set[float]] = {}
    for comparison in comparisons:
        assert comparison.fact is not None
        spec = specs[comparison.fact]
        if spec.kind != "number" or not comparison.fact.startswith(f"{ANSWERS_NAMESPACE}."):
            continue
        items = comparison.value if isinstance(comparison.value, tuple) else (comparison.value,)
        values.setdefault(comparison.fact, set()).update(float(item) for item in items)
    return {fact: tuple(sorted(found)) for fact, found in values.items()}
