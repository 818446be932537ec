"""The words of the view model (advisor/report/model.py): what each option, confidence level
and claim verdict is called, and how a measured figure reads.

Only words live here, and only the view model reads them: the command line, the PDF, the
Markdown record and the app lay out the words the view model holds. What the questions ask
and how their answers read come from the question table (advisor/questions.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from advisor.facts import FactValue
from advisor.grounding import CheckVerdict, format_bytes, format_seconds
from advisor.recommendation import Confidence
from advisor.rulebook import Option


@dataclass(frozen=True)
class OptionName:
    """The ways one option is named."""

    title: str  # a heading, a chart's row, an effect: "Containers in VMs"
    phrase: str  # inside a sentence: "Docker containers inside virtual machines"


# The one table of option names: each option has one name, in headings, charts and effects
# alike, short enough for the narrowest chart.
OPTION_NAMES: Mapping[Option, OptionName] = MappingProxyType(
    {
        "container": OptionName("Containers", "Docker containers"),
        "vm": OptionName("Virtual machines", "virtual machines"),
        "hybrid": OptionName("Containers in VMs", "Docker containers inside virtual machines"),
    }
)

# How a claim of the article fares on this host, as a table cell says it.
CHECK_VERDICT_LABELS: Mapping[CheckVerdict, str] = MappingProxyType(
    {"holds": "holds", "does_not_hold": "does not hold here", "not_measured": "not measured"}
)

CONFIDENCE_LABELS: Mapping[Confidence, str] = MappingProxyType(
    {"high": "High confidence", "medium": "Medium confidence", "low": "Low confidence"}
)

_ACRONYMS = {"vm": "VM", "cpu": "CPU", "kvm": "KVM", "os": "OS"}
_UNIT_WORDS = {"seconds", "bytes"}


def listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def points_text(points: int) -> str:
    """'1 point', '3 points'."""
    return f"{points} point{'' if abs(points) == 1 else 's'}"


def fact_label(field: str) -> str:
    """A measured fact's name as a person reads it: 'VM boot' for vm_boot_seconds."""
    words = field.split("_")
    if len(words) > 1 and words[-1] in _UNIT_WORDS:
        words = words[:-1]
    text = " ".join(_ACRONYMS.get(word, word) for word in words)
    return text[:1].upper() + text[1:]


def measured_value_text(field: str, value: FactValue) -> str:
    """A measured value with its unit: '103 ms', '1.9 MiB', '0.94x native', 'yes'."""
    if value is None:
        return "not measured"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and field.endswith("_seconds"):
        return format_seconds(float(value))
    if isinstance(value, int | float) and field.endswith("_bytes"):
        return format_bytes(int(value))
    if isinstance(value, int | float) and field.endswith("_ratio"):
        return f"{value:.2f}x native"
    return str(value)
