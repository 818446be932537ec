"""The probe's guest, inspected live while it boots: no network interface, no disk, no display,
transient, small memory, QEMU not running as root; and the files the VM probe writes are
this user's alone, except the boot files staged for the system daemon's QEMU user.

(The container's confinement is inspected live in test_container_probe.py.)
"""

from __future__ import annotations

import os
import stat
import threading
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.control import CancelToken, ProgressEvent
from advisor.probes.leftovers import PROBE_NAME_PREFIX as DOMAIN_PREFIX
from advisor.probes.libvirt_access import is_system_uri
from advisor.probes.models import ProbeStatus
from advisor.probes.places import default_cache_dir, guest_cache_dir
from advisor.probes.qemu_processes import qemu_pids
from advisor.probes.results import VmResult
from advisor.probes.vm import run_vm_probe
from advisor.probes.vm_plan import VmSettings
from tests.integration.conftest import LIBVIRT_URI

pytestmark = pytest.mark.libvirt

OWN_PREFIX = f"{DOMAIN_PREFIX}{os.getpid()}-"
SETTINGS = VmSettings(uri=LIBVIRT_URI, runs=1, try_kvm=False)


class LiveGuest:
    """What was seen of the probe's guest while it ran."""

    def __init__(self) -> None:
        self.xml: ElementTree.Element | None = None
        self.persistent: bool | None = None
        self.qemu_status: dict[str, str] = {}
        self.qemu_arguments: list[str] = []
        self.run_dir: Path | None = None
        self.run_dir_mode = 0
        self.staged_modes: dict[str, int] = {}


def watch(conn: Any, seen: LiveGuest, stop: threading.Event) -> None:
    """Poll libvirt until the probe's guest runs, then record its live definition."""
    import libvirt

    while not stop.is_set() and seen.xml is None:
        for domain in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
            if not domain.name().startswith(OWN_PREFIX):
                continue
            try:
                seen.xml = ElementTree.fromstring(domain.XMLDesc(0))
                seen.persistent = bool(domain.isPersistent())
            except libvirt.libvirtError:
                continue  # ended between the listing and the question
            for pid in qemu_pids(domain.name()):
                proc = Path(f"/proc/{pid}")
                seen.qemu_arguments = (proc / "cmdline").read_bytes().decode().split("\0")
                for line in (proc / "status").read_text().splitlines():
                    key, _, value = line.partition(":")
                    seen.qemu_status[key] = value.strip()
            kernel = Path(seen.xml.findtext("os/kernel") or "")
            seen.run_dir = kernel.parent
            seen.run_dir_mode = stat.S_IMODE(kernel.parent.stat().st_mode)
            seen.staged_modes = {
                path.name: stat.S_IMODE(path.stat().st_mode)
                for path in kernel.parent.iterdir()
                if path.name in ("vmlinuz", "initrd.img")
            }
            return
        time.sleep(0.05)


@pytest.fixture(scope="module")
def live(libvirt_conn: Any) -> Iterator[tuple[LiveGuest, VmResult]]:
    seen = LiveGuest()
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(libvirt_conn, seen, stop))

    def start_watching(event: ProgressEvent) -> None:
        if event.step.startswith("boot 1") and not watcher.is_alive():
            watcher.start()

    result = run_vm_probe(SETTINGS, start_watching, CancelToken())
    stop.set()
    if watcher.is_alive() or watcher.ident is not None:
        watcher.join(30)
    yield seen, result


def test_the_live_guest_has_no_network_no_disk_and_no_display(
    live: tuple[LiveGuest, VmResult],
) -> None:
    seen, result = live
    assert result.status is ProbeStatus.OK, result.reason
    assert seen.xml is not None, "never saw the guest running"
    devices = seen.xml.find("devices")
    assert devices is not None
    for kind in ("interface", "disk", "graphics", "filesystem", "hostdev", "redirdev"):
        assert devices.findall(kind) == [], f"the guest has a {kind}"
    # QEMU itself is given no network device either.
    assert "-nodefaults" in seen.qemu_arguments
    assert not any(argument in ("-netdev", "-nic", "-net") for argument in seen.qemu_arguments)


def test_the_live_guest_is_transient_small_and_ends_on_power_off(
    live: tuple[LiveGuest, VmResult],
) -> None:
    seen, _ = live
    assert seen.xml is not None, "never saw the guest running"
    assert seen.persistent is False
    memory_kib = int(seen.xml.findtext("memory") or 0)
    assert 0 < memory_kib <= 256 * 1024
    assert seen.xml.findtext("vcpu") == "1"
    for event in ("on_poweroff", "on_reboot", "on_crash"):
        assert seen.xml.findtext(event) == "destroy"


def test_qemu_runs_as_a_user_of_its_own_under_the_system_daemon(
    live: tuple[LiveGuest, VmResult],
) -> None:
    seen, _ = live
    if not is_system_uri(LIBVIRT_URI):
        pytest.skip("under a session daemon QEMU runs as this user")
    assert seen.qemu_status, "never saw the guest's QEMU process"
    real, effective = seen.qemu_status["Uid"].split()[:2]
    assert real != "0" and effective != "0"


def test_the_staged_boot_files_are_the_one_documented_exception(
    live: tuple[LiveGuest, VmResult],
) -> None:
    """Under the system daemon, QEMU's own user must read kernel and initramfs: the run's
    folder is 0711 (no listing) and the copies 0644 (public distribution files); under a
    session daemon nothing is staged and the run's folder is 0700."""
    seen, _ = live
    assert seen.run_dir is not None and seen.run_dir.name.startswith(OWN_PREFIX)
    if is_system_uri(LIBVIRT_URI):
        assert seen.run_dir.parent == SETTINGS.staging_root
        assert seen.run_dir_mode == 0o711
        assert seen.staged_modes == {"vmlinuz": 0o644, "initrd.img": 0o644}
    assert not seen.run_dir.exists()  # and it is gone once the run ended


def test_the_cache_the_probe_writes_is_readable_only_by_this_user(
    live: tuple[LiveGuest, VmResult],
) -> None:
    guest = guest_cache_dir(default_cache_dir())  # kernels, initramfs, run folders
    assert guest.is_dir()
    entries = [guest, *guest.rglob("*")]
    loose = [
        f"{path} {stat.S_IMODE(path.stat().st_mode):04o}"
        for path in entries
        if stat.S_IMODE(path.stat().st_mode) & 0o077
    ]
    assert loose == []
    assert all(path.stat().st_uid == os.geteuid() for path in entries)
