"""The words of the view model (advisor/report/model.py): what each verdict, confidence level
and claim verdict is called, and how a measured figure reads.

Only words live here, and only the view model reads them: the command line, the PDF, the
Markdown record and the app lay out the words the view model holds. What the questions ask
and how their answers read come from the question table (advisor/questions.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from advisor.base.i18n import N_, _, ngettext
from advisor.facts import FactValue
from advisor.grounding import (
    CheckVerdict,
    accelerator_text,
    format_bytes,
    format_seconds,
    os_name,
    ratio_text,
)
from advisor.recommendation import Confidence
from advisor.rulebook import Verdict


@dataclass(frozen=True)
class OptionName:
    """The ways one verdict is named, each in the current language."""

    title_en: str  # a heading, a chart's row, an effect: "Containers in VMs"
    phrase_en: str  # inside a sentence: "Docker containers inside virtual machines"
    where_en: str  # after "Run the project": "in Docker containers"

    @property
    def title(self) -> str:
        """The option as a heading, a chart's row or an effect names it."""
        return _(self.title_en)

    @property
    def phrase(self) -> str:
        """The option inside a sentence."""
        return _(self.phrase_en)

    @property
    def where(self) -> str:
        """Where the verdict runs the project, after "Run the project"."""
        return _(self.where_en)


Key = TypeVar("Key", bound=str)


class _Translated(Mapping[Key, str]):
    """A table of words kept in English and read in the current language."""

    def __init__(self, words: Mapping[Key, str]) -> None:
        self._words = dict(words)

    def __getitem__(self, key: Key) -> str:
        return _(self._words[key])

    def __iter__(self) -> Iterator[Key]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


# The one table of verdict names: the options the rules score, a split, and none. Each has one
# name, in headings, charts and effects alike, short enough for the narrowest chart.
OPTION_NAMES: Mapping[Verdict, OptionName] = MappingProxyType(
    {
        "container": OptionName(
            N_("Containers"), N_("Docker containers"), N_("in Docker containers")
        ),
        "vm": OptionName(N_("Virtual machines"), N_("virtual machines"), N_("in virtual machines")),
        "hybrid": OptionName(
            N_("Containers in VMs"),
            N_("Docker containers inside virtual machines"),
            N_("in Docker containers inside virtual machines, one VM per trust boundary"),
        ),
        "host": OptionName(
            N_("On the host"),
            N_("the host itself, without virtualization"),
            N_("on the host itself, without virtualization"),
        ),
        "split": OptionName(
            N_("Split"),
            N_("a split of the applications between options"),
            N_("split between options"),
        ),
        "none": OptionName(
            N_("No option serves on these hosts"),
            N_("none: no option serves on these hosts"),
            N_("nowhere on these hosts"),
        ),
    }
)

# How a claim of the article fares on this host, as a table cell says it.
CHECK_VERDICT_LABELS: Mapping[CheckVerdict, str] = _Translated(
    {
        "holds": N_("holds"),
        "does_not_hold": N_("does not hold here"),
        "not_measured": N_("not measured"),
    }
)

# How a probe ended (its status as the report stores it), as a table cell says it.
PROBE_STATUS_LABELS: Mapping[str, str] = _Translated(
    {
        "ok": N_("completed"),
        "unavailable": N_("could not run"),
        "failed": N_("failed"),
        "cancelled": N_("cancelled"),
    }
)

CONFIDENCE_LABELS: Mapping[Confidence, str] = _Translated(
    {
        "high": N_("High confidence"),
        "medium": N_("Medium confidence"),
        "low": N_("Low confidence"),
    }
)

# What each probe fact is called; a fact not named here is called after its field.
FACT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "host_os": N_("This workstation's operating system"),
        "docker_engine_reachable": N_("A Docker engine answered"),
        "docker_socket_is_root_equivalent": N_("Reaching the Docker engine means root here"),
        "container_probe_status": N_("Sample container"),
        "vm_probe_status": N_("Sample VM"),
        "vm_accelerator": N_("The sample VM ran under"),
        "kvm_usable": N_("A KVM guest ran here"),
        "container_shares_host_kernel": N_("The container ran on the host's kernel"),
        "container_start_seconds": N_("Container start"),
        "vm_boot_seconds": N_("VM boot"),
        "container_cpu_ratio": N_("CPU work in the container"),
        "vm_cpu_ratio": N_("CPU work in the VM"),
        "image_bytes": N_("Sample image"),
        "vm_disk_bytes": N_("The VM's kernel and initramfs"),
        "container_memory_bytes": N_("Memory of the running container"),
        "vm_memory_bytes": N_("Memory QEMU held for the VM"),
    }
)

_ACRONYMS = {"vm": "VM", "cpu": "CPU", "kvm": "KVM", "os": "OS"}
_UNIT_WORDS = {"seconds", "bytes"}


def listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) < 2:
        return "".join(items)
    return _("{items} and {last}").format(items=_(", ").join(items[:-1]), last=items[-1])


def capitalized(text: str) -> str:
    """The text with its first letter a capital, to open a sentence or a heading."""
    return text[:1].upper() + text[1:]


def points_text(points: int) -> str:
    """'1 point', '3 points'."""
    return ngettext("{points} point", "{points} points", abs(points)).format(points=points)


def fact_label(field: str) -> str:
    """A measured fact's name as a person reads it: 'VM boot' for vm_boot_seconds."""
    named = FACT_LABELS.get(field)
    if named is not None:
        return _(named)
    words = field.split("_")
    if len(words) > 1 and words[-1] in _UNIT_WORDS:
        words = words[:-1]
    text = " ".join(_ACRONYMS.get(word, word) for word in words)
    return text[:1].upper() + text[1:]


def measured_value_text(field: str, value: FactValue) -> str:
    """A measured value with its unit: '103 ms', '1.9 MiB', '1.1 times as long as on the
    host', 'yes'."""
    if value is None:
        return _("not measured")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float) and field.endswith("_seconds"):
        return format_seconds(float(value))
    if isinstance(value, int | float) and field.endswith("_bytes"):
        return format_bytes(int(value))
    if isinstance(value, int | float) and field.endswith("_ratio"):
        return ratio_text(float(value))
    if field == "vm_accelerator":
        return accelerator_text(str(value)) or str(value)
    if field == "host_os":
        return os_name(str(value))
    if field.endswith("_probe_status"):
        return PROBE_STATUS_LABELS.get(str(value), str(value))
    return str(value)
