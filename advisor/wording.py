"""The words of the view model (advisor/report/model.py): what each verdict, confidence level
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
from advisor.rulebook import Verdict


@dataclass(frozen=True)
class OptionName:
    """The ways one verdict is named."""

    title: str  # a heading: "Containers inside virtual machines"
    short: str  # a chart's row, an effect: "Containers in VMs"
    phrase: str  # inside a sentence: "Docker containers inside virtual machines"
    where: str  # after "Run the project": "in Docker containers"


# The one table of verdict names: the options the rules score, a split, and none.
OPTION_NAMES: Mapping[Verdict, OptionName] = MappingProxyType(
    {
        "container": OptionName(
            "Containers", "Containers", "Docker containers", "in Docker containers"
        ),
        "vm": OptionName("Virtual machines", "VMs", "virtual machines", "in virtual machines"),
        "hybrid": OptionName(
            "Containers inside virtual machines",
            "Containers in VMs",
            "Docker containers inside virtual machines",
            "in Docker containers inside virtual machines, one VM per trust boundary",
        ),
        "host": OptionName(
            "On the host, without virtualization",
            "On the host",
            "the host itself, without virtualization",
            "on the host itself, without virtualization",
        ),
        "split": OptionName(
            "Split",
            "Split",
            "a split of the applications between options",
            "split between options",
        ),
        "none": OptionName(
            "No option serves on these hosts",
            "None",
            "none: no option serves on these hosts",
            "nowhere on these hosts",
        ),
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
