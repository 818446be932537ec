"""How the app names things on screen: options, answer values and the steps of the form.

Only words live here. What the questions ask, what each option means and why it is advised all
come from the answers model, the rulebook and the recommendation.
"""

from __future__ import annotations

from advisor.facts import FactValue
from advisor.grounding import CheckVerdict, format_bytes, format_seconds
from advisor.recommendation import Confidence
from advisor.rulebook import Option

OPTION_HEADLINES: dict[Option, str] = {
    "container": "Containers",
    "vm": "Virtual machines",
    "hybrid": "Containers inside virtual machines",
}

OPTION_LABELS: dict[Option, str] = {
    "container": "Containers",
    "vm": "VMs",
    "hybrid": "Containers in VMs",
}

# How a claim of the article fares on this host, as a table cell says it.
CHECK_VERDICT_LABELS: dict[CheckVerdict, str] = {
    "holds": "holds",
    "does_not_hold": "does not hold here",
    "not_measured": "not measured",
}

CONFIDENCE_LABELS: dict[Confidence, str] = {
    "high": "High confidence",
    "medium": "Medium confidence",
    "low": "Low confidence",
}

# Short names for the step list; the page itself shows the full question from the model.
STEP_LABELS: dict[str, str] = {
    "project_name": "Project",
    "host_os": "Host OS",
    "app_oses": "Application OSes",
    "security": "Security",
    "app_count": "Number of apps",
    "dependency_conflicts": "Version conflicts",
    "fast_startup_matters": "Fast start",
    "resources_scarce": "Scarce resources",
    "replicate_across_machines": "Replication",
    "needs_own_kernel": "Own kernel",
}

# The answers' choices as a person reads them; any other text (a project name) stays as typed.
_VALUE_LABELS: dict[str, str] = {
    "linux": "Linux",
    "windows": "Windows",
    "macos": "macOS",
    "other": "Other",
    "standard": "Standard",
    "elevated": "Elevated",
    "strict": "Strict",
}


def step_label(field: str) -> str:
    """The short name of a question in the step list."""
    return STEP_LABELS.get(field) or field.replace("_", " ").capitalize()


def value_label(value: FactValue) -> str:
    """An answer value as a person reads it: 'macOS', 'Yes', 'Linux, Windows'."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, tuple):
        return ", ".join(value_label(item) for item in value)
    if value is None:
        return "Not answered"
    if isinstance(value, str):
        return _VALUE_LABELS.get(value, value)
    return f"{value:,}" if isinstance(value, int) else str(value)


_ACRONYMS = {"vm": "VM", "cpu": "CPU", "kvm": "KVM", "os": "OS"}
_UNIT_WORDS = {"seconds", "bytes"}


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
