"""What the probes established about this workstation, as facts rules may name `probe.<field>`.

Every fact is optional: None means it was not measured (no probe ran, or the probe could not
reach that far). Rules treat a comparison on an unmeasured fact as unknown, never as false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType, UnionType
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Literal,
    TypeGuard,
    Union,
    get_args,
    get_origin,
)

from annotated_types import Ge, Le
from pydantic import Field, TypeAdapter
from pydantic.fields import FieldInfo

from advisor.base.models import FrozenModel

if TYPE_CHECKING:
    from advisor.answers import Answers
    from advisor.probes.models import Stats
    from advisor.probes.report import ProbeReport
    from advisor.questions import Question, Questionnaire

# platform.system() of the probed workstation, as the answers name operating systems.
HostOS = Literal["linux", "windows", "macos"]

VmAccelerator = Literal["kvm", "tcg"]
# The values of advisor.probes.models.ProbeStatus (a test keeps the two equal); spelled out
# here so that the advice never depends on the probe code being importable.
ProbeOutcome = Literal["ok", "unavailable", "failed", "cancelled"]


class ProbeFacts(FrozenModel):
    """Measured facts about the host the probes ran on."""

    host_os: HostOS | None = Field(
        default=None, description="Operating system of the workstation the probes ran on."
    )
    docker_engine_reachable: bool | None = Field(
        default=None, description="Whether a Docker engine answered."
    )
    docker_socket_is_root_equivalent: bool | None = Field(
        default=None,
        description="Whether the engine runs as root, so access to its socket means root here.",
    )
    container_probe_status: ProbeOutcome | None = Field(
        default=None, description="How the sample-container probe ended."
    )
    vm_probe_status: ProbeOutcome | None = Field(
        default=None, description="How the sample-VM probe ended."
    )
    vm_accelerator: VmAccelerator | None = Field(
        default=None,
        description="How the sample VM ran: hardware virtualization (kvm) or software "
        "emulation (tcg).",
    )
    kvm_usable: bool | None = Field(
        default=None, description="Whether a KVM guest actually made progress here."
    )
    container_shares_host_kernel: bool | None = Field(
        default=None, description="Whether the container reported the host's kernel release."
    )
    container_start_seconds: float | None = Field(
        default=None,
        ge=0,
        description="Median time from the create call to the sample container's first output.",
    )
    vm_boot_seconds: float | None = Field(
        default=None, ge=0, description="Median time from define to the guest's ready marker."
    )
    container_cpu_ratio: float | None = Field(
        default=None, gt=0, description="Workload time in the container over native time."
    )
    vm_cpu_ratio: float | None = Field(
        default=None, gt=0, description="Workload time in the VM over native time."
    )
    image_bytes: int | None = Field(default=None, ge=0, description="Size of the sample image.")
    vm_disk_bytes: int | None = Field(
        default=None, ge=0, description="Size of what the sample VM boots from (kernel, disk)."
    )
    container_memory_bytes: int | None = Field(
        default=None, ge=0, description="Median memory of the running sample container."
    )
    vm_memory_bytes: int | None = Field(
        default=None, ge=0, description="Memory the sample VM used on the host."
    )


FactValue = str | int | float | bool | tuple[str, ...] | None
FactKind = Literal["boolean", "number", "choice", "set"]

ANSWERS_NAMESPACE = "answers"
PROBE_NAMESPACE = "probe"


@dataclass(frozen=True)
class FactSpec:
    """What a rule may do with one fact: its kind and how to validate a value for it."""

    name: str
    kind: FactKind
    element: TypeAdapter[Any]  # validates one value (one element, for a set)
    # Every value the fact can take (for a set: every element), where that is a short list.
    choices: tuple[FactValue, ...] | None
    # The inclusive range of a number fact, where its field declares one.
    lowest: float | None = None
    highest: float | None = None


def _plain(value: object) -> FactValue:
    """A fact value as plain data: sequences as tuples of strings."""
    if isinstance(value, tuple | list):
        return tuple(str(item) for item in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"not a fact value: {value!r}")


def _real(bound: object) -> TypeGuard[int | float]:
    return isinstance(bound, int | float)


def _probe_spec(field: str, info: FieldInfo) -> FactSpec:
    annotation = info.annotation
    if get_origin(annotation) in (Union, UnionType):
        annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
    element_type: Any = Annotated[annotation, *info.metadata] if info.metadata else annotation
    choices: tuple[FactValue, ...] | None = None
    if annotation is bool:
        kind: FactKind = "boolean"
        choices = (False, True)
    elif annotation in (int, float):
        kind = "number"
    else:
        kind = "choice"
        choices = tuple(_plain(value) for value in get_args(annotation))
    lowest = next(
        (float(item.ge) for item in info.metadata if isinstance(item, Ge) and _real(item.ge)),
        None,
    )
    highest = next(
        (float(item.le) for item in info.metadata if isinstance(item, Le) and _real(item.le)),
        None,
    )
    return FactSpec(
        f"{PROBE_NAMESPACE}.{field}", kind, TypeAdapter(element_type), choices, lowest, highest
    )


def _question_spec(question: Question) -> FactSpec:
    values: tuple[FactValue, ...] = question.values
    if question.kind == "yes_no":
        return FactSpec(question.fact, "boolean", TypeAdapter(bool), (False, True))
    if question.kind == "whole_number":
        low, high = question.minimum, question.maximum
        return FactSpec(
            question.fact,
            "number",
            TypeAdapter(Annotated[int, Field(ge=low, le=high)]),
            None,
            None if low is None else float(low),
            None if high is None else float(high),
        )
    element: TypeAdapter[Any] = TypeAdapter(question.choice_type)
    kind: FactKind = "set" if question.kind == "several_choices" else "choice"
    return FactSpec(question.fact, kind, element, values)


PROBE_FACT_SPECS: Mapping[str, FactSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (_probe_spec(field, info) for field, info in ProbeFacts.model_fields.items())
    }
)


def fact_specs(questions: Questionnaire) -> Mapping[str, FactSpec]:
    """Every fact rules may name: the decision questions' answers, then the probe facts."""
    specs = {question.fact: _question_spec(question) for question in questions.decisions}
    specs.update(PROBE_FACT_SPECS)
    return MappingProxyType(specs)


def flatten_facts(answers: Answers, probe: ProbeFacts | None = None) -> dict[str, FactValue]:
    """Every fact rules may name, keyed `answers.<field>` and `probe.<field>`."""
    facts = {
        question.fact: _plain(answers.value(question.id))
        for question in type(answers).questionnaire.decisions
    }
    probe = probe or ProbeFacts()
    for field in ProbeFacts.model_fields:
        facts[f"{PROBE_NAMESPACE}.{field}"] = _plain(getattr(probe, field))
    return facts


# platform.system() names, as the host probe reports them.
_HOST_OS_BY_SYSTEM: Mapping[str, HostOS] = MappingProxyType(
    {"Linux": "linux", "Windows": "windows", "Darwin": "macos"}
)


def facts_from_probe_report(report: ProbeReport) -> ProbeFacts:
    """The facts rules and claim checks read, from one probe run.

    A probe that stopped early still reports what it measured before it stopped; those
    figures are kept. Anything the run did not measure stays None.
    """
    host, container, vm = report.host, report.container, report.vm
    return ProbeFacts(
        host_os=_HOST_OS_BY_SYSTEM.get(host.os.system),
        docker_engine_reachable=host.docker.answers if host.docker.asked else None,
        docker_socket_is_root_equivalent=host.docker.root_equivalent,
        container_probe_status=container.status.value if container else None,
        vm_probe_status=vm.status.value if vm else None,
        vm_accelerator=vm.accelerator if vm else None,
        # What a KVM guest proved, or None when none was tried.
        kvm_usable=report.kvm_usable,
        # The container reports the kernel release it saw; None where it could not run.
        container_shares_host_kernel=_shares_host_kernel(report),
        container_start_seconds=_median(container.start_seconds if container else None),
        vm_boot_seconds=_median(vm.boot_seconds if vm else None),
        container_cpu_ratio=container.cpu_ratio if container else None,
        vm_cpu_ratio=vm.cpu_ratio if vm else None,
        image_bytes=container.image_bytes if container else None,
        vm_disk_bytes=vm.disk_bytes if vm else None,
        container_memory_bytes=_whole(_median(container.memory_bytes if container else None)),
        vm_memory_bytes=vm.hypervisor_rss_bytes if vm else None,
    )


def _median(stats: Stats | None) -> float | None:
    return stats.median if stats is not None else None


def _whole(value: float | None) -> int | None:
    return round(value) if value is not None else None


def _shares_host_kernel(report: ProbeReport) -> bool | None:
    container = report.container
    if container is None or container.kernel_release is None:
        return None
    return container.kernel_release == report.host.os.kernel
