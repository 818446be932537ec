"""Facts about this workstation, gathered before any probe launches anything.

Files under /proc and /sys are read directly (probes/host_system.py, probes/host_kvm.py);
the Docker engine and libvirt are asked through their APIs under one deadline each, so an
engine or daemon that hangs, or answers slowly call after call, costs at most that timeout.
libvirt is asked through the run's one connection, which the VM probe then uses too.
"""

from __future__ import annotations

import os
import socket

from advisor.probes.control import CancelToken
from advisor.probes.deadline import Deadline
from advisor.probes.host_docker import gather_docker_facts, unasked_docker_facts
from advisor.probes.host_kvm import gather_kvm_facts, parse_qemu_identity
from advisor.probes.host_libvirt import gather_libvirt_facts, read_kvm_domain_support
from advisor.probes.host_models import HostFacts, default_libvirt_uri
from advisor.probes.host_system import (
    gather_cgroup_facts,
    gather_cpu_facts,
    gather_memory_facts,
    gather_os_facts,
)
from advisor.probes.libvirt_access import is_local_uri
from advisor.probes.libvirt_connection import LibvirtConnection


def gather_host_facts(
    libvirt_uri: str | None = None,
    timeout: float = 10.0,
    libvirt: LibvirtConnection | None = None,
    ask_docker: bool = True,
    cancel: CancelToken | None = None,
) -> HostFacts:
    """Read every host fact; the Docker and libvirt parts each take at most `timeout` seconds.

    `libvirt`: the run's connection to read libvirt through (by default one of its own,
    closed at the end). `ask_docker` off: the Docker engine is not touched at all (a run of
    the VM probe alone).
    """
    connection = libvirt or LibvirtConnection(libvirt_uri or default_libvirt_uri(), timeout)
    try:
        return _gather(connection, timeout, ask_docker, cancel)
    finally:
        if libvirt is None:
            connection.close()


def _gather(
    connection: LibvirtConnection, timeout: float, ask_docker: bool, cancel: CancelToken | None
) -> HostFacts:
    # libvirt's part ends by `timeout` in all, however slowly it answers call after call.
    with connection.bounded(Deadline(timeout), cancel):
        libvirt_facts = gather_libvirt_facts(connection, timeout)
        # The local /dev/kvm says nothing about QEMU on another machine.
        qemu = None
        if libvirt_facts.answers and is_local_uri(connection.uri):
            qemu = parse_qemu_identity(connection.capabilities())
        kvm = gather_kvm_facts(qemu, connection.uri)
        if libvirt_facts.answers and "kvm" in libvirt_facts.domain_types:
            supported = read_kvm_domain_support(connection, kvm, timeout)
            libvirt_facts = libvirt_facts.model_copy(update={"kvm_domain_supported": supported})
    return HostFacts(
        hostname=socket.gethostname(),
        user=_user_name(),
        os=gather_os_facts(),
        cpu=gather_cpu_facts(),
        memory=gather_memory_facts(),
        kvm=kvm,
        cgroup=gather_cgroup_facts(),
        docker=gather_docker_facts(timeout, cancel) if ask_docker else unasked_docker_facts(),
        libvirt=libvirt_facts,
    )


def _user_name() -> str | None:
    """The name of the account this process runs as; None where it has none (a bare uid)."""
    try:
        import pwd  # not on Windows

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return None
