"""What libvirt says about this host: its versions, and the kinds of domain it offers.

Read through the run's one libvirt connection, which keeps what it read for the VM probe.
"""

from __future__ import annotations

import platform

from advisor.probes.deadline import DeadlineExceeded
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.host_models import KvmFacts, LibvirtFacts
from advisor.probes.host_system import parse_xml
from advisor.probes.libvirt_connection import LibvirtConnection


def gather_libvirt_facts(connection: LibvirtConnection, timeout: float) -> LibvirtFacts:
    """libvirt's versions and domain types, or why it does not answer; each call takes at
    most `timeout` seconds."""
    uri = connection.uri
    source = f"libvirt {uri}: getLibVersion, getVersion, getCapabilities"
    try:
        lib_version = connection.read("getLibVersion", lambda conn: conn.getLibVersion(), timeout)
        kind = connection.read("getType", lambda conn: conn.getType(), timeout)
        version = connection.read("getVersion", lambda conn: conn.getVersion(), timeout)
        capabilities = connection.capabilities(timeout)
    except ProbeUnavailable as refused:
        reason, fix = refused.reason, refused.fix
    except DeadlineExceeded as overrun:
        # Too slow to answer these few questions in time: the VM probe says so too, at once.
        connection.give_up(overrun)
        reason, fix = overrun.reason, overrun.fix
    else:
        return LibvirtFacts(
            answers=True,
            uri=uri,
            version=format_libvirt_version(int(lib_version)),
            hypervisor=f"{kind} {format_libvirt_version(int(version))}",
            domain_types=parse_domain_types(capabilities, platform.machine()),
            kvm_domain_supported=None,
            reason=None,
            fix=None,
            source=source,
        )
    return LibvirtFacts(
        answers=False,
        uri=uri,
        version=None,
        hypervisor=None,
        domain_types=(),
        kvm_domain_supported=None,
        reason=reason,
        fix=fix,
        source=source,
    )


def read_kvm_domain_support(
    connection: LibvirtConnection, kvm: KvmFacts, timeout: float
) -> bool | None:
    """Whether libvirt's domain capabilities accept KVM guests; None when not asked.

    Not asked under the capability-cache trap, where each such call costs seconds.
    """
    if kvm.capability_cache_trap:
        return None
    libvirt = connection.libvirt
    machine = platform.machine()
    try:
        xml = connection.read(
            "getDomainCapabilities kvm",
            lambda conn: str(conn.getDomainCapabilities(None, machine, None, "kvm", 0)),
            timeout,
        )
    except (DeadlineExceeded, ProbeUnavailable):
        return None
    except libvirt.libvirtError:
        return False  # libvirt refuses: "KVM is not supported ... on this host"
    root = parse_xml(xml)
    return root is not None and root.findtext("domain") == "kvm"


def parse_domain_types(capabilities_xml: str, architecture: str) -> tuple[str, ...]:
    """The domain types libvirt offers for full virtualization of `architecture`."""
    root = parse_xml(capabilities_xml)
    if root is None:
        return ()
    types: list[str] = []
    for guest in root.findall("guest"):
        arch = guest.find("arch")
        if guest.findtext("os_type") != "hvm" or arch is None:
            continue
        if arch.get("name") != architecture:
            continue
        for domain in arch.findall("domain"):
            kind = domain.get("type")
            if kind and kind not in types:
                types.append(kind)
    return tuple(types)


def format_libvirt_version(number: int) -> str:
    """libvirt's packed version number (major * 1,000,000 + minor * 1,000 + micro) as text."""
    return f"{number // 1_000_000}.{number // 1000 % 1000}.{number % 1000}"
