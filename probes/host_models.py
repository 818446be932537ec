"""What the host facts say about this workstation: the models of the probe report's `host`.

Each fact says where it was read from; none is guessed.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import Field, model_validator

from advisor.base.i18n import _
from advisor.base.models import FrozenModel
from advisor.probes.models import without_copies
from advisor.probes.quantities import Bytes, Count, Label, Labels, Text


def default_libvirt_uri() -> str:
    """The libvirt connection a user of this machine would normally use."""
    return "qemu:///system" if os.geteuid() == 0 else "qemu:///session"


class OsFacts(FrozenModel):
    """The operating system and distribution."""

    system: Label  # "Linux", "Darwin", "Windows"
    distribution: Text | None  # PRETTY_NAME
    distribution_id: Label | None
    distribution_version: Label | None
    kernel: Label
    architecture: Label
    source: Text


class CpuFacts(FrozenModel):
    """The processor, and what it says about hardware virtualization."""

    model: Label | None
    count: Count | None
    virtualization_extension: Literal["vmx", "svm"] | None  # Intel VT-x or AMD-V in the flags
    hypervisor_flag: bool | None  # set when this machine is itself a virtual machine
    source: Text


class MemoryFacts(FrozenModel):
    """Physical memory."""

    total_bytes: Bytes | None
    available_bytes: Bytes | None
    source: Text


class KvmFacts(FrozenModel):
    """/dev/kvm: present, and who may open it (whether a guest proved it usable is the VM
    probe's to say)."""

    device_present: bool
    owner: Label | None
    group: Label | None
    mode: Label | None  # octal permission bits, e.g. "0660"
    accessible_to_user: bool
    qemu_user: Label | None  # the user libvirt runs QEMU as, from its DAC security label
    accessible_to_qemu: bool | None
    nested: bool | None  # the kvm_intel/kvm_amd `nested` parameter, where the kernel has one
    nested_source: Text
    # /dev/kvm present but closed to libvirt's QEMU: libvirt then re-probes QEMU on every
    # call, which makes each domain start take tens of seconds.
    capability_cache_trap: bool
    problem: Text | None
    fix: Text | None
    qemu_uid: int | None = Field(default=None, ge=0, le=2**32 - 1)  # from the DAC label
    source: Text

    @model_validator(mode="before")
    @classmethod
    def _forget_copies(cls, data: Any) -> Any:
        # Earlier reports rewrote what the VM probe proved here; the report derives it now.
        return without_copies(data, ("usable", "usable_source"))


class CgroupFacts(FrozenModel):
    """The control-group hierarchy containers are confined with."""

    version: Literal[1, 2] | None
    hybrid: bool  # a v1 hierarchy with a v2 tree mounted beside it
    controllers: Labels
    source: Text


class DockerFacts(FrozenModel):
    """Whether the container engine (Docker's API) answers, what it is, and what reaching it
    means."""

    # False for a run of the VM probe alone, which never touches the engine.
    asked: bool = True
    answers: bool
    endpoint: Text
    version: Label | None
    api_version: Label | None
    storage_driver: Label | None
    cgroup_version: Label | None  # as the engine reports it
    rootless: bool | None
    user_reaches_socket: bool | None
    access_via: Label | None  # how this user reaches the socket: "root", "group 'docker'", ...
    # Reaching a rootful engine's socket lets one start a container that mounts the host's
    # root file system: it is as good as root on the host.
    root_equivalent: bool | None
    root_warning: Text | None = None  # that, said plainly, where it applies
    reason: Text | None
    fix: Text | None
    source: Text
    engine: Label | None = None  # "Docker Engine", "Docker Desktop", "Podman", from /version
    found_by: Text | None = None  # "DOCKER_HOST", "Docker context 'x'", "the rootless …"

    @property
    def title(self) -> str:
        """The engine and its version, as a person names it: "Podman 4.3.1"."""
        name = self.engine or _("Docker engine")
        return f"{name} {self.version}" if self.version else name


class LibvirtFacts(FrozenModel):
    """Whether libvirt answers, and which kinds of domain it offers."""

    answers: bool
    uri: Text
    version: Label | None
    hypervisor: Label | None  # e.g. "QEMU 7.2.22"
    domain_types: Labels  # for the host's architecture: "qemu" (TCG), "kvm"
    kvm_domain_supported: bool | None  # libvirt's domain capabilities for type kvm
    reason: Text | None
    fix: Text | None
    source: Text


class HostFacts(FrozenModel):
    """Everything learned about the workstation before any probe launched anything."""

    hostname: Label
    # The account the probes ran as: two accounts on one machine reach different engines
    # and libvirt daemons. Reports of earlier versions did not record it.
    user: Label | None = None
    os: OsFacts
    cpu: CpuFacts
    memory: MemoryFacts
    kvm: KvmFacts
    cgroup: CgroupFacts
    docker: DockerFacts
    libvirt: LibvirtFacts
