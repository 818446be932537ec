"""How answers and options read on screen and in the report."""

import pytest

from advisor.questions import load_questions
from advisor.rulebook import VERDICTS
from advisor.wording import OPTION_NAMES, measured_value_text

QUESTIONS = load_questions()


@pytest.mark.parametrize(
    ("question_id", "value"),
    [(q.id, choice.value) for q in QUESTIONS.questions for choice in q.choices],
)
def test_every_choice_reads_as_its_label(question_id: str, value: str) -> None:
    label = QUESTIONS.label_of(question_id, value)
    assert (
        label
        == QUESTIONS.question(question_id)
        .choices[QUESTIONS.question(question_id).values.index(value)]
        .label
    )


def test_answers_read_as_a_person_reads_them() -> None:
    assert QUESTIONS.label_of("project_name", "ACME api") == "ACME api"
    assert QUESTIONS.label_of("app_oses", ("linux", "macos")) == "Linux, macOS"
    assert QUESTIONS.label_of("dependency_conflicts", True) == "Yes"
    assert QUESTIONS.label_of("app_count", 10_000) == "10,000"
    assert QUESTIONS.label_of("project_name", None) == "Not answered"


def test_every_option_has_each_of_its_names() -> None:
    assert set(OPTION_NAMES) == set(VERDICTS)
    names = [OPTION_NAMES[verdict] for verdict in VERDICTS]
    for field in ("title", "phrase", "where"):
        assert len({getattr(name, field) for name in names}) == len(names)


def test_measured_values_carry_their_unit() -> None:
    assert measured_value_text("vm_boot_seconds", 3.6) == "3.6 s"
    assert measured_value_text("image_bytes", 2_000_000) == "1.9 MiB"
    assert measured_value_text("container_cpu_ratio", 1.07) == "1.1 times as long as on the host"
    assert measured_value_text("container_cpu_ratio", 1.02) == "about as long as on the host"
    assert measured_value_text("kvm_usable", None) == "not measured"
