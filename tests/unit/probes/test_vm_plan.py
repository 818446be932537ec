"""The VM probe's plan: accelerators and their order, the /dev/kvm trap, where the guest's files
go, and a domain XML that libvirt accepts (checked with libvirt's own test driver)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from advisor.probes.guest_assets import WORKLOAD_OFF_PARAMETER
from advisor.probes.host_kvm import DeviceMode, QemuIdentity, assess_kvm
from advisor.probes.host_models import KvmFacts
from advisor.probes.leftovers import PROBE_NAME_PREFIX, run_name
from advisor.probes.libvirt_access import is_system_uri
from advisor.probes.vm_plan import VmPlan, VmSettings, plan_vm_probe

KVM_GID = 108
LIBVIRT_QEMU = QemuIdentity(
    uid=64055, gid=64055, name="libvirt-qemu", groups=frozenset({64055, KVM_GID})
)
DESKTOP_USER = QemuIdentity(uid=1000, gid=1000, name="alice", groups=frozenset({1000}))
NOT_NESTED = (None, "not exposed")
BOTH_TYPES = ("qemu", "kvm")
CACHE = Path("/home/alice/.cache/dvm-advisor")


NAME = run_name(4242, "cafe0001")


def kvm_facts(
    device: DeviceMode | None, qemu: QemuIdentity, uri: str = "qemu:///system"
) -> KvmFacts:
    """The facts host.py would derive from a (fake) stat of /dev/kvm."""
    return assess_kvm(
        device, accessible_to_user=True, qemu=qemu, libvirt_uri=uri, nested=NOT_NESTED
    )


OPEN_TO_KVM_GROUP = DeviceMode(uid=0, gid=KVM_GID, mode=0o660)
ROOT_ONLY = DeviceMode(uid=0, gid=0, mode=0o600)


def plan(
    settings: VmSettings | None = None,
    kvm: KvmFacts | None = None,
    domain_types: tuple[str, ...] = BOTH_TYPES,
    architecture: str = "x86_64",
    other_user: bool = True,
    firmware: Path | None = None,
) -> VmPlan:
    settings = settings or VmSettings(uri="qemu:///system")
    return plan_vm_probe(
        settings,
        kvm or kvm_facts(OPEN_TO_KVM_GROUP, LIBVIRT_QEMU),
        domain_types,
        architecture,
        NAME,
        CACHE,
        qemu_runs_as_other_user=other_user,
        firmware=firmware,
    )


def test_kvm_is_tried_first_with_a_short_trial_then_tcg() -> None:
    result = plan(VmSettings(uri="qemu:///system", kvm_stall_seconds=1.5, runs=3))

    assert [candidate.accelerator for candidate in result.candidates] == ["kvm", "tcg"]
    kvm, tcg = result.candidates
    assert kvm.trial is not None and kvm.trial.kind == "trial"
    assert kvm.trial.stall_seconds == 1.5
    assert kvm.trial.marker_timeout_seconds < kvm.workload.marker_timeout_seconds
    assert tcg.trial is None and tcg.workload.stall_seconds is None
    assert tcg.boot.stall_seconds is None
    assert result.runs == 3
    # One boot runs the CPU workload; the others only boot to the marker.
    assert [boot.kind for boot in tcg.measured(result.runs)] == ["workload", "boot", "boot"]
    assert result.blocker is None and result.skipped == []


def test_the_trial_boot_is_verbose_and_skips_the_workload_the_measured_boots_are_quiet() -> None:
    kvm = plan().candidates[0]
    assert kvm.trial is not None

    def cmdline(domain_xml: str) -> str:
        return ElementTree.fromstring(domain_xml).findtext("os/cmdline") or ""

    trial, workload, boot = (cmdline(b.domain_xml) for b in (kvm.trial, kvm.workload, kvm.boot))

    # A guest that works writes to the console at once only when it is not quiet.
    assert "quiet" not in trial.split() and WORKLOAD_OFF_PARAMETER in trial
    assert "quiet" in workload.split() and WORKLOAD_OFF_PARAMETER not in workload
    assert "quiet" in boot.split() and WORKLOAD_OFF_PARAMETER in boot
    assert all("console=ttyS0" in line for line in (trial, workload, boot))


def test_root_only_kvm_under_the_system_daemon_blocks_the_probe_with_the_fix() -> None:
    trap = kvm_facts(ROOT_ONLY, LIBVIRT_QEMU)

    result = plan(kvm=trap)

    assert trap.capability_cache_trap
    assert result.blocker is not None
    assert "capability cache" in result.blocker.reason
    assert "chmod 0660 /dev/kvm" in result.blocker.fix and "chgrp kvm" in result.blocker.fix
    assert result.candidates == []  # not even TCG: every start would take some 40 s


def test_kvm_closed_to_a_session_qemu_is_skipped_with_the_fix_and_tcg_runs() -> None:
    closed = kvm_facts(ROOT_ONLY, DESKTOP_USER, uri="qemu:///session")

    result = plan(VmSettings(uri="qemu:///session"), kvm=closed, other_user=False)

    assert result.blocker is None
    assert [candidate.accelerator for candidate in result.candidates] == ["tcg"]
    (skipped,) = result.skipped
    assert skipped.accelerator == "kvm" and skipped.kvm_usable is False
    assert "cannot open" in skipped.reason
    assert skipped.fix is not None and "/dev/kvm" in skipped.fix


@pytest.mark.parametrize(
    ("settings", "kvm", "domain_types", "kvm_usable", "reason_part"),
    [
        (VmSettings(try_kvm=False), None, BOTH_TYPES, None, "turned off"),
        (VmSettings(), kvm_facts(None, LIBVIRT_QEMU), ("qemu",), False, "no /dev/kvm"),
        (VmSettings(), None, ("qemu",), False, "offers no KVM domains"),
    ],
)
def test_kvm_is_skipped_where_it_cannot_run(
    settings: VmSettings,
    kvm: KvmFacts | None,
    domain_types: tuple[str, ...],
    kvm_usable: bool | None,
    reason_part: str,
) -> None:
    result = plan(settings.model_copy(update={"uri": "qemu:///system"}), kvm, domain_types)

    assert [candidate.accelerator for candidate in result.candidates] == ["tcg"]
    (skipped,) = result.skipped
    assert reason_part in skipped.reason
    assert skipped.kvm_usable is kvm_usable


def test_a_driver_other_than_qemus_says_nothing_of_kvm() -> None:
    result = plan(VmSettings(uri="test:///default"), None, ("qemu",))

    (skipped,) = result.skipped
    assert "offers no KVM domains" in skipped.reason
    assert skipped.kvm_usable is None  # not "usable: no"


@pytest.mark.parametrize(("shown", "tried"), [(False, False), (True, True), (None, True)])
def test_kvm_is_tried_only_where_the_processor_may_show_virtualization(
    shown: bool | None, tried: bool
) -> None:
    result = plan_vm_probe(
        VmSettings(uri="qemu:///system"),
        kvm_facts(OPEN_TO_KVM_GROUP, LIBVIRT_QEMU),
        BOTH_TYPES,
        "x86_64",
        NAME,
        CACHE,
        qemu_runs_as_other_user=True,
        cpu_virtualization=shown,
    )

    assert ("kvm" in [c.accelerator for c in result.candidates]) is tried
    if not tried:
        (skipped,) = result.skipped
        assert "no vmx or svm flag" in skipped.reason and skipped.kvm_usable is False
        assert skipped.fix is not None and "VT-x or AMD-V" in skipped.fix


@pytest.mark.parametrize(
    ("uri", "domain_types", "architecture", "reason_part"),
    [
        ("qemu+ssh://build-host/system", BOTH_TYPES, "x86_64", "remote"),
        ("qemu:///system", BOTH_TYPES, "aarch64", "x86_64"),
        ("qemu:///system", (), "x86_64", "no QEMU domains"),
    ],
)
def test_what_the_probe_cannot_do_blocks_it_with_a_fix(
    uri: str, domain_types: tuple[str, ...], architecture: str, reason_part: str
) -> None:
    result = plan(VmSettings(uri=uri), domain_types=domain_types, architecture=architecture)

    assert result.blocker is not None
    assert reason_part in result.blocker.reason
    assert result.blocker.fix
    assert result.candidates == []


def test_qemu_running_as_another_user_gets_staged_copies_in_the_runs_own_directory() -> None:
    staging = Path("/var/lib/libvirt/boot")

    result = plan(VmSettings(uri="qemu:///system", staging_root=staging), other_user=True)

    assert result.stage_assets
    assert result.run_dir == staging / NAME
    assert result.kernel.parent == result.run_dir and result.initrd.parent == result.run_dir
    for candidate in result.candidates:
        assert candidate.workload.serial_log.parent == result.run_dir
        root = ElementTree.fromstring(candidate.workload.domain_xml)
        assert root.findtext("os/kernel") == str(result.kernel)
        assert root.findtext("os/initrd") == str(result.initrd)


def test_qemu_running_as_this_user_reads_the_cache_through_links_in_its_run_folder() -> None:
    result = plan(VmSettings(uri="qemu:///session"), other_user=False)

    assert not result.stage_assets
    assert result.run_dir == CACHE / "guest" / "runs" / NAME
    assert result.kernel.parent == result.run_dir and result.initrd.parent == result.run_dir


def test_the_domain_is_small_silent_and_ends_itself() -> None:
    tcg = plan(VmSettings(uri="qemu:///system", memory_mib=192)).candidates[-1].workload

    root = ElementTree.fromstring(tcg.domain_xml)

    assert root.get("type") == "qemu"
    assert root.findtext("name") == tcg.domain_name
    assert tcg.domain_name.startswith(PROBE_NAME_PREFIX)
    memory = root.find("memory")
    assert memory is not None and (memory.get("unit"), memory.text) == ("MiB", "192")
    assert root.findtext("vcpu") == "1"
    # Guest memory from a memfd: no transparent huge pages, so no compaction stall at start.
    backing = root.find("memoryBacking/source")
    assert backing is not None and backing.get("type") == "memfd"
    assert root.find("features/acpi") is not None  # without it poweroff leaves it alive
    assert root.findtext("on_poweroff") == "destroy"
    assert root.findtext("on_reboot") == "destroy" and root.findtext("on_crash") == "destroy"
    assert root.find("devices/interface") is None  # no network
    assert root.find("devices/disk") is None and root.find("devices/graphics") is None
    serial = root.find("devices/serial")
    assert serial is not None and serial.get("type") == "file"
    source = serial.find("source")
    assert source is not None and source.get("path") == str(tcg.serial_log)


def test_a_firmware_found_on_the_host_is_every_domain_s_loader() -> None:
    qboot = Path("/usr/share/qemu/qboot.rom")

    with_qboot, without = plan(firmware=qboot), plan(firmware=None)

    assert with_qboot.firmware == qboot and without.firmware is None
    for candidate in with_qboot.candidates:
        for boot in candidate.boots():
            loader = ElementTree.fromstring(boot.domain_xml).find("os/loader")
            assert loader is not None and loader.get("type") == "rom"
            assert loader.text == str(qboot)
    for candidate in without.candidates:
        assert ElementTree.fromstring(candidate.workload.domain_xml).find("os/loader") is None


def test_kvm_boots_ask_libvirt_for_a_kvm_domain() -> None:
    kvm = plan().candidates[0]

    assert ElementTree.fromstring(kvm.workload.domain_xml).get("type") == "kvm"


def test_memory_outside_128_to_256_mib_is_refused() -> None:
    with pytest.raises(ValueError, match="memory_mib"):
        VmSettings(memory_mib=64)
    with pytest.raises(ValueError, match="memory_mib"):
        VmSettings(memory_mib=512)


def test_system_uris_are_told_from_session_uris() -> None:
    assert is_system_uri("qemu:///system")
    assert is_system_uri("qemu+unix:///system?socket=/run/libvirt/libvirt-sock")
    assert not is_system_uri("qemu:///session")


def test_libvirt_accepts_the_domain_xml() -> None:
    """libvirt's test driver parses and validates the XML without any hypervisor."""
    libvirt = pytest.importorskip("libvirt")
    libvirt.registerErrorHandler(lambda _context, _error: None, None)
    conn = libvirt.open("test:///default")
    try:
        qboot = Path("/usr/share/qemu/qboot.rom")
        candidates = [*plan().candidates, *plan(firmware=qboot).candidates]
        for candidate in candidates:
            for boot in candidate.boots():
                xml = boot.domain_xml.replace("type='kvm'", "type='test'").replace(
                    "type='qemu'", "type='test'"
                )
                domain = conn.createXML(xml, 0)
                described = ElementTree.fromstring(domain.XMLDesc(0))
                assert described.findtext("name") == boot.domain_name
                assert described.findtext("os/cmdline") == ElementTree.fromstring(
                    boot.domain_xml
                ).findtext("os/cmdline")
                domain.destroy()
    finally:
        conn.close()
