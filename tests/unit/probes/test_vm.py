"""The VM probe with a fake libvirt connection: falling back from a KVM guest that makes no
progress, one workload boot among the measured ones, the watchdog, the console, and the
explained failures. The real twins boot real guests in tests/integration/test_vm_probe.py."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from advisor.base.files import make_private_dir
from advisor.probes.control import CancelToken, ProgressEvent, ignore_progress
from advisor.probes.deadline import DeadlineExceeded
from advisor.probes.errors import ProbeFailed
from advisor.probes.guest_assets import BOOT_MARKER, POWEROFF_MARKER, WORKLOAD_OFF_PARAMETER
from advisor.probes.leftovers import PROBE_NAME_PREFIX, run_name
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.models import ProbeStatus
from advisor.probes.qemu_processes import find_qemu_pid, qemu_pids, read_rss_bytes
from advisor.probes.runner import ProbeRun
from advisor.probes.vm import VmMeasured, boot_candidates, run_vm_probe
from advisor.probes.vm_boot import Console
from advisor.probes.vm_plan import VmPlan, VmSettings, plan_vm_probe
from tests.unit.probes.test_guest_assets import FAKE_KERNEL
from tests.unit.probes.test_vm_plan import LIBVIRT_QEMU, OPEN_TO_KVM_GROUP, kvm_facts

RUNNING = 1


class FakeLibvirt:
    VIR_DOMAIN_RUNNING = RUNNING


class FakeConnection:
    """Stands in for LibvirtConnection: each 'guest' writes its console as `behaviour` says."""

    def __init__(self, behaviour: dict[str, str]) -> None:
        self.libvirt = FakeLibvirt()
        self.behaviour = behaviour  # accelerator -> "hang" | "works" | "dies"
        self.started: list[str] = []
        self.destroyed: list[str] = []
        self.gone: set[str] = set()

    def start(self, name: str, domain_xml: str) -> str:
        self.started.append(name)
        domain = ElementTree.fromstring(domain_xml)
        behaviour = self.behaviour["kvm" if domain.get("type") == "kvm" else "tcg"]
        serial_log = Path(domain.find("devices/serial/source").get("path"))  # type: ignore[union-attr]
        if behaviour == "works":
            workload = WORKLOAD_OFF_PARAMETER not in domain_xml
            console = f"{BOOT_MARKER}\n"
            if workload:
                # Still running after its power-off marker: the probe must not wait for it.
                console += f"DVM_WORKLOAD_CS=123\n{POWEROFF_MARKER}\n"
            serial_log.write_text(console)
        elif behaviour == "dies":
            self.gone.add(name)
        return name

    def state(self, domain: str) -> int | None:
        return RUNNING  # asked right after the start, when every fake guest still runs

    def alive(self, domain: str) -> bool:
        return domain not in self.gone

    def destroy(self, name: str) -> None:
        self.destroyed.append(name)
        self.gone.add(name)

    def forget(self, name: str) -> None:
        pass

    def retire(self, name: str) -> None:
        self.destroy(name)


def fake_plan(tmp_path: Path, runs: int = 2, stall: float = 0.2) -> VmPlan:
    plan = plan_vm_probe(
        VmSettings(uri="qemu:///system", runs=runs, kvm_stall_seconds=stall),
        kvm_facts(OPEN_TO_KVM_GROUP, LIBVIRT_QEMU),
        ("qemu", "kvm"),
        "x86_64",
        run_name(os.getpid(), "unit"),
        tmp_path / "cache",
        qemu_runs_as_other_user=False,
    )
    make_private_dir(plan.run_dir)
    return plan


def boot_all(session: FakeConnection, plan: VmPlan) -> tuple[VmMeasured, list[str]]:
    collected = VmMeasured()
    events: list[ProgressEvent] = []
    steps = ["try KVM: does a guest reach user space?"]
    steps += [f"boot {number} of {plan.runs}" for number in range(1, plan.runs + 1)]
    run = ProbeRun("vm", steps, timeout_seconds=60, progress=events.append)
    boot_candidates(session, plan, run, collected)  # type: ignore[arg-type]
    return collected, [event.step for event in events]


def test_a_kvm_guest_without_progress_is_destroyed_and_tcg_measured(tmp_path: Path) -> None:
    plan = fake_plan(tmp_path, runs=2, stall=0.2)
    session = FakeConnection({"kvm": "hang", "tcg": "works"})

    collected, _steps = boot_all(session, plan)

    kvm_attempt, tcg_attempt = collected.attempts
    assert (kvm_attempt.accelerator, kvm_attempt.outcome) == ("kvm", "no_progress")
    assert kvm_attempt.fallback_reason is not None
    assert "no progress" in kvm_attempt.fallback_reason
    assert 0.2 <= kvm_attempt.seconds < 2.0  # the stall bound, not the marker timeout
    assert (tcg_attempt.accelerator, tcg_attempt.outcome) == ("tcg", "reached_marker")
    assert tcg_attempt.fallback_reason is None
    assert collected.accelerator == "tcg" and collected.kvm_usable is False
    # Every guest destroyed once read: the workload's after its result, not left to power off.
    assert session.destroyed == [
        f"{plan.run_name}-kvm-trial",
        f"{plan.run_name}-tcg",
        f"{plan.run_name}-tcg-boot",
    ]
    # The first measured boot runs the workload; the second only boots.
    assert [sample.workload_seconds for sample in collected.samples] == [1.23, None]
    assert session.started[-2:] == [f"{plan.run_name}-tcg", f"{plan.run_name}-tcg-boot"]


def test_a_kvm_guest_that_reaches_user_space_is_used_for_the_measurements(tmp_path: Path) -> None:
    plan = fake_plan(tmp_path, runs=2)
    session = FakeConnection({"kvm": "works", "tcg": "works"})

    collected, steps = boot_all(session, plan)

    assert collected.accelerator == "kvm" and collected.kvm_usable is True
    assert [attempt.accelerator for attempt in collected.attempts] == ["kvm"]
    names = [f"{plan.run_name}-kvm-trial", f"{plan.run_name}-kvm", f"{plan.run_name}-kvm-boot"]
    assert session.destroyed == names  # destroyed once what they print was read
    assert session.started == names
    assert steps[0].startswith("try KVM") and steps[-1] == "boot 2 of 2 (KVM)"


def test_when_no_guest_reaches_its_marker_the_probe_fails_saying_why(tmp_path: Path) -> None:
    plan = fake_plan(tmp_path)
    session = FakeConnection({"kvm": "hang", "tcg": "dies"})

    with pytest.raises(ProbeFailed, match="ended before its boot marker") as failed:
        boot_all(session, plan)
    assert failed.value.fix


def test_console_markers_count_only_as_whole_lines(tmp_path: Path) -> None:
    log = tmp_path / "console.log"
    console = Console(log)

    assert not console.read() and console.tail() == "; its console is empty"
    log.write_text(f"[ 0.1] Kernel command line: x\n{BOOT_MARKER[:-2]}")
    assert console.read()
    assert not console.has_line(BOOT_MARKER)  # half written
    with log.open("a") as stream:
        stream.write(f"{BOOT_MARKER[-2:]}\r\n")
    assert console.has_line(BOOT_MARKER)
    assert not console.has_line(POWEROFF_MARKER)
    assert repr(BOOT_MARKER) in console.tail()


def test_an_overrunning_libvirt_call_wakes_the_watchdog() -> None:
    destroyed: list[str] = []

    class Domain:
        def __init__(self, name: str) -> None:
            self.name = name

        def destroy(self) -> None:
            destroyed.append(self.name)

    class Conn:
        def lookupByName(self, name: str) -> Domain:
            return Domain(name)

        def close(self) -> None:
            pass

    class Libvirt:
        libvirtError = RuntimeError

        @staticmethod
        def open(uri: str) -> Conn:
            return Conn()

    session = LibvirtConnection.of(Libvirt, Conn(), "qemu:///system", timeout=0.2)
    session._live["dvm-advisor-probe-1-x-tcg"] = object()
    release = threading.Event()
    started = time.monotonic()

    with pytest.raises(DeadlineExceeded):
        session.call(lambda: release.wait(10), "createXML")
    release.set()

    assert time.monotonic() - started < 2.0
    assert destroyed == ["dvm-advisor-probe-1-x-tcg"]


def test_qemu_processes_are_found_by_their_guest_name() -> None:
    name = run_name(os.getpid(), "fake-qemu")
    fake = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; time.sleep(30)",
            "-name",
            f"guest={name},debug-threads=on",
        ]
    )
    try:
        deadline = time.monotonic() + 5
        while fake.pid not in qemu_pids(PROBE_NAME_PREFIX) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert qemu_pids(name) == {fake.pid: name}
        assert find_qemu_pid(name) == fake.pid
        rss = read_rss_bytes(fake.pid)
        assert rss is not None and rss > 1_000_000
    finally:
        fake.kill()
        fake.wait()
    assert read_rss_bytes(fake.pid) is None
    assert find_qemu_pid(name) is None


def configured(tmp_path: Path, **settings: Any) -> VmSettings:
    """Settings with a configured (fake) kernel and initramfs, so no asset is fetched."""
    kernel = tmp_path / "vmlinuz"
    kernel.write_bytes(FAKE_KERNEL)
    initrd = tmp_path / "initrd.img"
    initrd.write_bytes(b"initramfs")
    return VmSettings(
        kernel_path=kernel, initrd_path=initrd, cache_dir=tmp_path / "cache", **settings
    )


@pytest.mark.parametrize(
    ("uri", "reason_part", "fix_part"),
    [
        ("qemu:///system?socket=/nonexistent/libvirt-sock", "no daemon listens", "start"),
        ("nosuchdriver:///system", "no connection driver", "qemu:///system (as root)"),
        ("qemu:///nonsense", "QEMU has no such URI path", "qemu:///session"),
    ],
)
def test_a_libvirt_that_cannot_be_reached_makes_the_probe_unavailable_with_a_fix(
    tmp_path: Path, uri: str, reason_part: str, fix_part: str
) -> None:
    pytest.importorskip("libvirt")

    result = run_vm_probe(configured(tmp_path, uri=uri), ignore_progress, CancelToken())

    assert result.status is ProbeStatus.UNAVAILABLE
    assert result.reason is not None and reason_part in result.reason
    assert result.fix is not None and fix_part in result.fix
    assert result.kernel_source is not None and result.kernel_source.kind == "configured"
    assert result.disk_bytes == len(FAKE_KERNEL) + len(b"initramfs")
    assert result.boot_seconds is None and result.accelerator is None


def test_a_cancelled_probe_says_so_and_leaves_no_run_directory(tmp_path: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()
    events: list[ProgressEvent] = []

    result = run_vm_probe(configured(tmp_path, uri="test:///default"), events.append, cancel)

    assert result.status is ProbeStatus.CANCELLED
    assert events and all(event.probe == "vm" for event in events)
    assert not (tmp_path / "cache" / "guest" / "runs").exists() or not any(
        (tmp_path / "cache" / "guest" / "runs").iterdir()
    )
