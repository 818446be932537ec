"""The real libvirtd starts and destroys domains: transient, and defined then started."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from advisor.probes.leftovers import run_name
from advisor.probes.places import domain_log_dirs

pytestmark = pytest.mark.libvirt

# No kernel and no disk: the firmware finds nothing to boot and waits, which is all a start
# and a destroy need. Software emulation, so it runs where KVM does not.
EMPTY_DOMAIN = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices><memballoon model='none'/></devices>
</domain>"""


@pytest.fixture
def domain_name(libvirt_conn: Any) -> Iterator[str]:
    """A probe-style name owned by this process; whatever the test leaves is removed."""
    import libvirt

    name = run_name(os.getpid(), "smoke")
    yield name
    try:
        domain = libvirt_conn.lookupByName(name)
    except libvirt.libvirtError:
        pass  # gone, as it should be
    else:
        if domain.isActive():
            domain.destroy()
        if domain.isPersistent():
            domain.undefine()
    for log_dir in domain_log_dirs():
        (log_dir / f"{name}.log").unlink(missing_ok=True)


def is_gone(conn: Any, name: str) -> bool:
    import libvirt

    try:
        conn.lookupByName(name)
    except libvirt.libvirtError as error:
        return bool(error.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN)
    return False


def test_a_transient_domain_starts_and_is_destroyed(libvirt_conn: Any, domain_name: str) -> None:
    import libvirt

    domain = libvirt_conn.createXML(EMPTY_DOMAIN.format(name=domain_name), 0)

    assert domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    assert not domain.isPersistent()
    domain.destroy()
    assert is_gone(libvirt_conn, domain_name)


def test_a_defined_domain_starts_stops_and_is_undefined(
    libvirt_conn: Any, domain_name: str
) -> None:
    import libvirt

    domain = libvirt_conn.defineXML(EMPTY_DOMAIN.format(name=domain_name))
    assert domain.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF

    domain.create()
    assert domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    domain.destroy()
    assert domain.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
    domain.undefine()
    assert is_gone(libvirt_conn, domain_name)
