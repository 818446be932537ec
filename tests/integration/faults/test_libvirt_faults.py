"""libvirt and KVM faults: no daemon, a wrong URI, no guest kernel, /dev/kvm absent or closed to
QEMU, a processor that shows no hardware virtualization (this machine), and a KVM guest that
never reaches its marker (real on a host without nested virtualization). Each time the VM
probe says why and how to fix it, or falls back to software emulation and says so; the
container probe still runs, and the advice carries the caveat."""

from __future__ import annotations

import os
import platform
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from advisor.probes import host, host_kvm
from advisor.probes.guest_assets import readable_boot_kernel
from advisor.probes.host_kvm import gather_kvm_facts, parse_qemu_identity
from advisor.probes.host_libvirt import parse_domain_types
from advisor.probes.host_models import CpuFacts
from advisor.probes.libvirt_access import LIBVIRT_START_FIX, is_system_uri
from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport, ProbeSettings
from advisor.probes.suite import run_probes
from advisor.probes.vm_plan import VmSettings
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import (
    advise,
    assert_nothing_left,
    assert_one_sentence,
    caveat_rules,
    sample_images,
)

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

# Bounds on time, as the README's fault table states them.
VM_REFUSED_SECONDS = 5.0  # no daemon, wrong URI, no kernel, /dev/kvm closed: the VM answer
# Where the probe first asks apt for the kernel package: two `apt-cache show` calls, each a
# second or two quiet and up to 4 s on a busy machine where apt keeps no binary cache.
VM_REFUSED_AFTER_APT_SECONDS = 12.0
FULL_RUN_SECONDS = 90.0  # host facts, one container run and TCG boots of the VM probe
KVM_TRIAL_SECONDS = VmSettings().kvm_trial_timeout_seconds  # a KVM guest given up on

CONTAINER_ALONGSIDE = ProbeSettings(runs=1, try_kvm=False, libvirt_uri=LIBVIRT_URI)


def probe(settings: ProbeSettings) -> tuple[ProbeReport, float]:
    began = time.monotonic()
    report = run_probes(settings)
    return report, time.monotonic() - began


def assert_container_probe_still_ran(report: ProbeReport) -> None:
    assert report.container is not None, "the container probe did not run"
    assert report.container.status is ProbeStatus.OK, report.container.reason


def assert_vm_refused(
    report: ProbeReport,
    reason_words: tuple[str, ...],
    fix_words: str,
    within_seconds: float = VM_REFUSED_SECONDS,
) -> None:
    """The VM probe is unavailable, quickly, with its reason and fix, and the rest goes on."""
    vm = report.vm
    assert vm is not None and vm.status is ProbeStatus.UNAVAILABLE, vm
    assert_one_sentence(vm.reason, *reason_words)
    assert_one_sentence(vm.fix, fix_words)
    assert vm.wall_seconds <= within_seconds
    assert vm.boot_seconds is None
    assert all(attempt.outcome == "skipped" for attempt in vm.attempts)  # no guest started
    assert_container_probe_still_ran(report)
    assert "probe-vm-did-not-run" in caveat_rules(advise(report))


@pytest.fixture
def untouched(docker_client: Any, libvirt_conn: Any) -> Any:
    """After the test: nothing of this process's runs is left in the engine, libvirt or on disk."""
    images_before = sample_images(docker_client)
    yield
    assert_nothing_left(docker_client, libvirt_conn, [os.getpid()], images_before)


@pytest.mark.usefixtures("untouched")
def test_a_libvirt_daemon_that_is_not_running_is_unavailable_with_the_start_command(
    stale_socket: str,
) -> None:
    uri = f"qemu:///system?socket={stale_socket}"

    report, _ = probe(CONTAINER_ALONGSIDE.model_copy(update={"libvirt_uri": uri}))

    assert_vm_refused(report, ("does not answer", "no daemon listens"), LIBVIRT_START_FIX)
    assert report.vm is not None and report.vm.fix == LIBVIRT_START_FIX
    assert report.host.libvirt.answers is False
    assert (report.host.libvirt.reason, report.host.libvirt.fix) == (
        report.vm.reason,
        report.vm.fix,
    )


@pytest.mark.usefixtures("untouched")
def test_a_wrong_libvirt_uri_is_unavailable_and_names_the_right_ones() -> None:
    report, _ = probe(CONTAINER_ALONGSIDE.model_copy(update={"libvirt_uri": "bogus:///x"}))

    assert_vm_refused(report, ("bogus:///x", "no connection driver"), "qemu:///system")


@pytest.mark.usefixtures("untouched")
@pytest.mark.parametrize("kernel", ["none found", "configured but absent"])
def test_no_guest_kernel_is_unavailable_with_where_to_get_one(
    cache_home: Path, short_dir: Path, kernel: str
) -> None:
    if kernel == "none found":
        if readable_boot_kernel() is not None:
            pytest.skip("/boot holds a readable kernel here: a guest kernel is always found")
        # An empty cache, and no download: the distribution's package cannot be had.
        settings = CONTAINER_ALONGSIDE.model_copy(update={"allow_kernel_download": False})
        reason_words: tuple[str, ...] = ("no guest kernel could be found", "/boot")
        bound = VM_REFUSED_AFTER_APT_SECONDS
    else:
        settings = CONTAINER_ALONGSIDE.model_copy(update={"kernel_path": short_dir / "vmlinuz"})
        reason_words = ("the configured kernel", "does not exist or is not readable")
        bound = VM_REFUSED_SECONDS

    report, _ = probe(settings)

    assert_vm_refused(report, reason_words, "kernel setting", bound)
    assert report.vm is not None and report.vm.kernel_source is None
    assert not (cache_home / "dvm-advisor" / "guest" / "kernels").exists()


def libvirt_offers_kvm(conn: Any) -> bool:
    return "kvm" in parse_domain_types(conn.getCapabilities(), platform.machine())


@pytest.mark.usefixtures("untouched")
def test_an_absent_kvm_device_means_software_emulation_said_plainly(
    libvirt_conn: Any, monkeypatch: pytest.MonkeyPatch, short_dir: Path
) -> None:
    # /dev/kvm cannot be taken away from a shared machine: the probes read the device's
    # path from host_kvm.KVM_DEVICE, which here names a path where there is none. Everything
    # else, libvirt's capabilities and the guest's boot included, is real.
    monkeypatch.setattr(host_kvm, "KVM_DEVICE", short_dir / "kvm")
    settings = ProbeSettings(runs=1, libvirt_uri=LIBVIRT_URI)  # KVM would be tried

    report, seconds = probe(settings)

    assert report.host.kvm.device_present is False
    vm = report.vm
    assert vm is not None and vm.status is ProbeStatus.OK, vm.reason
    skipped, measured = vm.attempts
    assert (skipped.accelerator, skipped.outcome, skipped.seconds) == ("kvm", "skipped", 0.0)
    assert_one_sentence(skipped.fallback_reason, "no /dev/kvm")
    assert (measured.accelerator, measured.outcome) == ("tcg", "reached_marker")
    assert vm.accelerator == "tcg" and vm.kvm_usable is False
    assert report.kvm_usable is False
    assert seconds <= FULL_RUN_SECONDS
    assert_container_probe_still_ran(report)
    assert "probe-vm-under-software-emulation" in caveat_rules(advise(report))


@pytest.mark.usefixtures("untouched")
def test_a_kvm_device_closed_to_qemu_under_the_system_daemon_is_unavailable_with_the_fix(
    libvirt_conn: Any, monkeypatch: pytest.MonkeyPatch, short_dir: Path
) -> None:
    if not is_system_uri(LIBVIRT_URI):
        pytest.skip("the capability-cache trap needs the system daemon")
    # As udev-less hosts have it: root:root 0600, which libvirt's QEMU user cannot open.
    closed = short_dir / "kvm"
    closed.touch()
    os.chown(closed, 0, 0)
    closed.chmod(0o600)
    monkeypatch.setattr(host_kvm, "KVM_DEVICE", closed)

    report, _ = probe(CONTAINER_ALONGSIDE.model_copy(update={"try_kvm": True}))

    assert report.host.kvm.capability_cache_trap is True
    assert stat.S_IMODE(closed.stat().st_mode) == 0o600
    assert_vm_refused(report, (str(closed), "cannot open", "tens of seconds"), "chmod 0660")
    assert report.vm is not None and report.vm.fix is not None
    assert f"chgrp kvm {closed}" in report.vm.fix


def cpu_showing(extension: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probes read the processor's flags as showing `extension` (vmx, or None)."""
    real = host.gather_cpu_facts

    def shown() -> CpuFacts:
        facts = real()
        return facts.model_copy(update={"virtualization_extension": extension})

    monkeypatch.setattr(host, "gather_cpu_facts", shown)


@pytest.mark.usefixtures("untouched")
def test_a_processor_without_virtualization_flags_means_no_kvm_trial_said_plainly(
    libvirt_conn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This machine's processor shows no vmx or svm flag; on one that does, the test makes
    # the probes read it so. libvirt, /dev/kvm and the guest's boot are real.
    if not libvirt_offers_kvm(libvirt_conn):
        pytest.skip("libvirt offers no KVM here, which the probe says first")
    cpu_showing(None, monkeypatch)

    report, seconds = probe(ProbeSettings(runs=1, libvirt_uri=LIBVIRT_URI))

    vm = report.vm
    assert vm is not None and vm.status is ProbeStatus.OK, vm.reason
    skipped, measured = vm.attempts
    assert (skipped.accelerator, skipped.outcome, skipped.seconds) == ("kvm", "skipped", 0.0)
    assert_one_sentence(skipped.fallback_reason, "no vmx or svm flag", "/dev/kvm")
    assert_one_sentence(skipped.fix, "nested virtualization")
    assert (measured.accelerator, measured.outcome) == ("tcg", "reached_marker")
    assert report.kvm_usable is False and vm.accelerator == "tcg"
    assert seconds <= FULL_RUN_SECONDS
    assert_container_probe_still_ran(report)
    assert "probe-vm-under-software-emulation" in caveat_rules(advise(report))


@pytest.mark.usefixtures("untouched")
def test_a_kvm_guest_that_never_reaches_its_marker_falls_back_to_tcg_in_bounded_time(
    libvirt_conn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This machine hides vmx and svm from its processor flags, which alone spares the KVM
    # trial; the test has the probes read the flags as present, so that the trial runs, and
    # the guest, started with KVM for real, makes no progress.
    cpu_showing(host.gather_cpu_facts().virtualization_extension or "vmx", monkeypatch)
    capabilities = libvirt_conn.getCapabilities()
    kvm = gather_kvm_facts(parse_qemu_identity(capabilities), LIBVIRT_URI)
    if not (libvirt_offers_kvm(libvirt_conn) and kvm.accessible_to_qemu is not False):
        pytest.skip("QEMU cannot use KVM here, so the probe does not try it")

    report, seconds = probe(ProbeSettings(runs=1, libvirt_uri=LIBVIRT_URI))

    vm = report.vm
    assert vm is not None and vm.status is ProbeStatus.OK, vm.reason
    if vm.kvm_usable:
        pytest.skip("KVM works on this host: its guest reached the marker")
    kvm_attempt, tcg_attempt = vm.attempts
    assert kvm_attempt.accelerator == "kvm"
    assert kvm_attempt.outcome in ("no_progress", "no_marker")
    assert_one_sentence(kvm_attempt.fallback_reason, "the guest")
    assert 0 < kvm_attempt.seconds <= KVM_TRIAL_SECONDS
    assert (tcg_attempt.accelerator, tcg_attempt.outcome) == ("tcg", "reached_marker")
    assert vm.accelerator == "tcg" and vm.kvm_usable is False
    assert report.kvm_usable is False and report.kvm_usable_source
    assert seconds <= FULL_RUN_SECONDS
    assert_container_probe_still_ran(report)
    assert "probe-vm-under-software-emulation" in caveat_rules(advise(report))
