"""How the app names things on screen: options, answer values and the steps of the form.

Only words live here. What the questions ask, what each option means and why it is advised all
come from the answers model, the rulebook and the recommendation.
"""

from __future__ import annotations

from advisor.facts import FactValue
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

_VALUE_LABELS: dict[str, str] = {"macos": "macOS"}


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
        return _VALUE_LABELS.get(value, value.capitalize())
    return f"{value:,}" if isinstance(value, int) else str(value)
