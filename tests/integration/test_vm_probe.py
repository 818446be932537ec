"""The VM probe through the real libvirtd and QEMU: a real guest boots (TCG here), a KVM guest
that makes no progress falls back to TCG, a cancelled run stops, and nothing is left behind."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.control import CancelToken, ProgressEvent, ignore_progress
from advisor.probes.host_kvm import gather_kvm_facts, parse_qemu_identity
from advisor.probes.host_libvirt import parse_domain_types
from advisor.probes.host_system import gather_cpu_facts
from advisor.probes.leftovers import PROBE_NAME_PREFIX as DOMAIN_PREFIX
from advisor.probes.leftovers import run_name, sweep_libvirt
from advisor.probes.libvirt_access import import_libvirt
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.models import ProbeStatus
from advisor.probes.places import (
    default_cache_dir,
    domain_log_dirs,
    guest_cache_dir,
    leftover_places,
)
from advisor.probes.qemu_processes import qemu_pids
from advisor.probes.results import VmResult
from advisor.probes.vm import run_vm_probe
from advisor.probes.vm_plan import VmSettings
from advisor.probes.workload import GUEST_WORKLOAD_MEBIBYTES
from tests.integration.conftest import LIBVIRT_URI

pytestmark = pytest.mark.libvirt

OWN_PREFIX = f"{DOMAIN_PREFIX}{os.getpid()}-"  # this test process's runs, not a parallel one's


def leftovers(conn: Any, settings: VmSettings) -> list[str]:
    """Everything of this process's probe runs that still exists: domains, QEMU, files."""
    found = [
        f"domain {domain.name()}"
        for domain in conn.listAllDomains(0)
        if str(domain.name()).startswith(OWN_PREFIX)
    ]
    found += [f"QEMU pid {pid} ({name})" for pid, name in qemu_pids(OWN_PREFIX).items()]
    runs_dir = guest_cache_dir(settings.cache_dir or default_cache_dir()) / "runs"
    for directory in (settings.staging_root, runs_dir, *domain_log_dirs()):
        if directory.is_dir():
            found += [str(path) for path in directory.glob(f"{OWN_PREFIX}*")]
    return found


def through(conn: Any) -> LibvirtConnection:
    """The probe's connection object over the test's own open connection."""
    return LibvirtConnection.of(import_libvirt(), conn, LIBVIRT_URI, timeout=30)


def kvm_may_work(conn: Any) -> bool:
    """Whether the probe will try KVM here: libvirt offers it and QEMU's user opens /dev/kvm."""
    capabilities = conn.getCapabilities()
    kvm = gather_kvm_facts(parse_qemu_identity(capabilities), LIBVIRT_URI)
    offered = "kvm" in parse_domain_types(capabilities, platform.machine())
    return offered and kvm.device_present and kvm.accessible_to_qemu is not False


@pytest.fixture(scope="module")
def settings() -> VmSettings:
    return VmSettings(uri=LIBVIRT_URI, runs=1)


@pytest.fixture(scope="module")
def probed(libvirt_conn: Any, settings: VmSettings) -> Iterator[tuple[VmResult, list[str]]]:
    """One real probe run (KVM trial included where it may work), and its progress steps."""
    steps: list[str] = []

    def record(event: ProgressEvent) -> None:
        steps.append(event.step)

    yield run_vm_probe(settings, record, CancelToken()), steps


def test_a_real_guest_boots_and_is_measured(probed: tuple[VmResult, list[str]]) -> None:
    result, steps = probed

    assert result.status is ProbeStatus.OK, result.reason
    assert result.accelerator == ("kvm" if result.kvm_usable else "tcg")
    assert result.boot_seconds is not None and result.boot_seconds.runs == 1
    assert 0.5 <= result.boot_seconds.median <= 60
    assert result.poweroff_seconds is None  # destroyed once read, not waited for
    assert result.disk_bytes is not None and 1_000_000 <= result.disk_bytes <= 200_000_000
    assert result.hypervisor_rss_bytes is not None
    assert 10_000_000 <= result.hypervisor_rss_bytes <= 4_000_000_000
    assert result.guest_workload_seconds is not None and result.guest_workload_seconds.median > 0
    assert result.guest_workload_mebibytes == GUEST_WORKLOAD_MEBIBYTES  # the built initramfs's
    assert result.native_workload_seconds is not None
    assert result.cpu_ratio is not None and result.cpu_ratio > 0
    assert result.kernel_source is not None and result.kernel_source.path.is_file()
    assert result.libvirt_version and result.qemu_version
    assert result.uri == LIBVIRT_URI
    assert steps[0].startswith("prepare") and steps[-1] == "done"


def test_a_kvm_guest_that_makes_no_progress_or_cannot_run_falls_back_to_tcg(
    probed: tuple[VmResult, list[str]], libvirt_conn: Any
) -> None:
    result, _steps = probed
    if not kvm_may_work(libvirt_conn):
        pytest.skip("QEMU cannot use KVM here, so the probe does not try it")
    if result.kvm_usable:
        pytest.skip("KVM works on this host: there is no fallback to see")

    kvm_attempt, tcg_attempt = result.attempts
    assert kvm_attempt.accelerator == "kvm"
    if gather_cpu_facts().virtualization_extension is None:
        # The processor shows no vmx or svm (as on this machine): no trial, and it says why.
        assert kvm_attempt.outcome == "skipped" and kvm_attempt.seconds == 0
        assert kvm_attempt.fallback_reason and "no vmx or svm" in kvm_attempt.fallback_reason
        assert (tcg_attempt.accelerator, tcg_attempt.outcome) == ("tcg", "reached_marker")
        return
    assert kvm_attempt.outcome in ("no_progress", "no_marker")
    assert kvm_attempt.fallback_reason and "guest" in kvm_attempt.fallback_reason
    assert kvm_attempt.seconds > 0
    assert (tcg_attempt.accelerator, tcg_attempt.outcome) == ("tcg", "reached_marker")
    assert result.kvm_usable is False and result.accelerator == "tcg"


def test_nothing_is_left_after_a_run(
    probed: tuple[VmResult, list[str]], libvirt_conn: Any, settings: VmSettings
) -> None:
    assert leftovers(libvirt_conn, settings) == []


def test_a_run_cancelled_mid_boot_stops_and_leaves_nothing(
    libvirt_conn: Any, settings: VmSettings
) -> None:
    cancel = CancelToken()

    def cancel_at_boot(event: ProgressEvent) -> None:
        if event.step.startswith("boot 1"):
            cancel.cancel()

    cancelled = settings.model_copy(update={"try_kvm": False})
    result = run_vm_probe(cancelled, cancel_at_boot, cancel)

    assert result.status is ProbeStatus.CANCELLED
    assert result.boot_seconds is None
    assert leftovers(libvirt_conn, cancelled) == []


def test_the_sweep_removes_what_a_killed_run_left(libvirt_conn: Any, tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    killed = run_name(process.pid, "killed")
    staged = tmp_path / killed
    staged.mkdir()
    (staged / "vmlinuz").write_bytes(b"left by a killed run")
    xml = (
        f"<domain type='qemu'><name>{killed}-tcg</name><memory unit='MiB'>32</memory>"
        "<os><type arch='x86_64'>hvm</type></os></domain>"
    )
    libvirt_conn.defineXML(xml)

    swept = sweep_libvirt(through(libvirt_conn), [tmp_path])

    assert f"{killed}-tcg" in swept.domains
    assert str(staged) in swept.paths and not staged.exists()
    names = [str(domain.name()) for domain in libvirt_conn.listAllDomains(0)]
    assert f"{killed}-tcg" not in names


KILLED_RUN = """
import sys
import time
from advisor.probes.control import CancelToken
from advisor.probes.vm import run_vm_probe
from advisor.probes.vm_plan import VmSettings

def report(event):
    print(event.step, flush=True)

run_vm_probe(VmSettings(uri=sys.argv[1], try_kvm=False), report, CancelToken())
"""


def test_a_run_killed_outright_loses_its_guest_and_the_next_sweep_takes_the_rest(
    libvirt_conn: Any, settings: VmSettings
) -> None:
    probe = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN, LIBVIRT_URI], stdout=subprocess.PIPE, text=True
    )
    try:
        assert probe.stdout is not None
        for line in probe.stdout:
            if line.startswith("boot 1"):
                break
        time.sleep(0.5)  # the guest is starting
    finally:
        probe.kill()
        probe.wait()
    prefix = f"{DOMAIN_PREFIX}{probe.pid}-"

    # The domain was started with auto-destroy: the daemon ends it with the connection.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
        str(domain.name()).startswith(prefix) for domain in libvirt_conn.listAllDomains(0)
    ):
        time.sleep(0.1)
    remaining = [str(domain.name()) for domain in libvirt_conn.listAllDomains(0)]
    run_dirs = [settings.staging_root, guest_cache_dir(default_cache_dir()) / "runs"]
    places = leftover_places()
    left = [path for place in places if place.is_dir() for path in place.glob(f"{prefix}*")]

    swept = sweep_libvirt(through(libvirt_conn))  # the places a run leaves files in, by default

    assert not any(name.startswith(prefix) for name in remaining)
    assert any(path.parent in run_dirs for path in left), "the killed run had its directory"
    assert {str(path) for path in left} <= set(swept.paths)
    assert not [path for place in places if place.is_dir() for path in place.glob(f"{prefix}*")]


def test_an_unreachable_daemon_is_reported_with_the_fix(settings: VmSettings) -> None:
    missing = settings.model_copy(update={"uri": "qemu:///system?socket=/nonexistent/sock"})

    result = run_vm_probe(missing, ignore_progress, CancelToken())

    assert result.status is ProbeStatus.UNAVAILABLE
    assert result.fix is not None and "libvirtd" in result.fix
