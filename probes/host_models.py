"""What the host facts say about this workstation: the models of the probe report's `host`.

Each fact says where it was read from; none is guessed.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import model_validator

from advisor.modelbase import FrozenModel
from advisor.probes.models import without_copies


def default_libvirt_uri() -> str:
    """The libvirt connection a user of this machine would normally use."""
    return "qemu:///system" if os.geteuid() == 0 else "qemu:///session"


class OsFacts(FrozenModel):
    """The operating system and distribution."""

    system: str  # "Linux", "Darwin", "Windows"
    distribution: str | None  # PRETTY_NAME
    distribution_id: str | None
    distribution_version: str | None
    kernel: str
    architecture: str
    source: str


class CpuFacts(FrozenModel):
    """The processor, and what it says about hardware virtualization."""

    model: str | None
    count: int | None
    virtualization_extension: Literal["vmx", "svm"] | None  # Intel VT-x or AMD-V in the flags
    hypervisor_flag: bool | None  # set when this machine is itself a virtual machine
    source: str


class MemoryFacts(FrozenModel):
    """Physical memory."""

    total_bytes: int | None
    available_bytes: int | None
    source: str


class KvmFacts(FrozenModel):
    """/dev/kvm: present, who may open it, and whether a guest proved it usable."""

    device_present: bool
    owner: str | None
    group: str | None
    mode: str | None  # octal permission bits, e.g. "0660"
    accessible_to_user: bool
    qemu_user: str | None  # the user libvirt runs QEMU as, from its DAC security label
    accessible_to_qemu: bool | None
    nested: bool | None  # the kvm_intel/kvm_amd `nested` parameter, where the kernel has one
    nested_source: str
    # /dev/kvm present but closed to libvirt's QEMU: libvirt then re-probes QEMU on every
    # call, which makes each domain start take tens of seconds.
    capability_cache_trap: bool
    problem: str | None
    fix: str | None
    qemu_uid: int | None = None  # the user QEMU runs as, from libvirt's DAC label
    source: str

    @model_validator(mode="before")
    @classmethod
    def _forget_copies(cls, data: Any) -> Any:
        # Earlier reports rewrote what the VM probe proved here; the report derives it now.
        return without_copies(data, ("usable", "usable_source"))


class CgroupFacts(FrozenModel):
    """The control-group hierarchy containers are confined with."""

    version: Literal[1, 2] | None
    hybrid: bool  # a v1 hierarchy with a v2 tree mounted beside it
    controllers: tuple[str, ...]
    source: str


class DockerFacts(FrozenModel):
    """Whether the Docker engine answers, and what reaching it means."""

    answers: bool
    endpoint: str
    version: str | None
    api_version: str | None
    storage_driver: str | None
    cgroup_version: str | None  # as the engine reports it
    rootless: bool | None
    user_reaches_socket: bool | None
    access_via: str | None  # how this user reaches the socket: "root", "group 'docker'", ...
    # Reaching a rootful engine's socket lets one start a container that mounts the host's
    # root file system: it is as good as root on the host.
    root_equivalent: bool | None
    root_warning: str | None = None  # that, said plainly, where it applies
    reason: str | None
    fix: str | None
    source: str


class LibvirtFacts(FrozenModel):
    """Whether libvirt answers, and which kinds of domain it offers."""

    answers: bool
    uri: str
    version: str | None
    hypervisor: str | None  # e.g. "QEMU 7.2.22"
    domain_types: tuple[str, ...]  # for the host's architecture: "qemu" (TCG), "kvm"
    kvm_domain_supported: bool | None  # libvirt's domain capabilities for type kvm
    reason: str | None
    fix: str | None
    source: str


class HostFacts(FrozenModel):
    """Everything learned about the workstation before any probe launched anything."""

    hostname: str
    os: OsFacts
    cpu: CpuFacts
    memory: MemoryFacts
    kvm: KvmFacts
    cgroup: CgroupFacts
    docker: DockerFacts
    libvirt: LibvirtFacts
