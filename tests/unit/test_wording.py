"""How answers read on screen and in the report."""

from typing import get_args

import pytest

from advisor.answers import AppOS, HostOS, SecurityLevel
from advisor.wording import value_label


@pytest.mark.parametrize(
    "choice", sorted({*get_args(AppOS), *get_args(HostOS), *get_args(SecurityLevel)})
)
def test_every_choice_has_a_label_of_its_own(choice: str) -> None:
    label = value_label(choice)
    assert label != choice and label.lower() == choice.lower()


def test_free_text_stays_as_typed() -> None:
    assert value_label("ACME api") == "ACME api"
    assert value_label(("linux", "macos")) == "Linux, macOS"
    assert value_label(True) == "Yes"
