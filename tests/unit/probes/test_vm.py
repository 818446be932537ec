"""The VM probe's runner with a fake libvirt session: falling back from a KVM guest that makes
no progress, the watchdog, the console, the sweep of leftovers (on libvirt's test driver) and
the explained failures. The real twins boot real guests in
tests/integration/test_vm_probe.py."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from advisor.probes import vm
from advisor.probes.control import CancelToken, ProgressEvent, ignore_progress
from advisor.probes.deadline import DeadlineExceeded
from advisor.probes.guest_assets import BOOT_MARKER, POWEROFF_MARKER, make_private_dir
from advisor.probes.models import ProbeStatus
from advisor.probes.vm import (
    _Collected,
    _Console,
    _Failed,
    _LibvirtSession,
    qemu_pids,
    read_rss_bytes,
    run_vm_probe,
    sweep_leftovers,
)
from advisor.probes.vm_plan import (
    DOMAIN_PREFIX,
    PlannedBoot,
    VmPlan,
    VmSettings,
    plan_vm_probe,
    run_name,
)
from tests.unit.probes.test_guest_assets import FAKE_KERNEL
from tests.unit.probes.test_vm_plan import LIBVIRT_QEMU, OPEN_TO_KVM_GROUP, assets_in, kvm_facts

RUNNING = 1


class FakeLibvirt:
    VIR_DOMAIN_RUNNING = RUNNING


class FakeSession:
    """Stands in for _LibvirtSession: each 'guest' writes its console as `behaviour` says."""

    def __init__(self, behaviour: dict[str, str]) -> None:
        self.libvirt = FakeLibvirt()
        self.behaviour = behaviour  # accelerator -> "hang" | "works" | "dies"
        self.started: list[str] = []
        self.destroyed: list[str] = []
        self.gone: set[str] = set()

    def create(self, planned: PlannedBoot) -> str:
        self.started.append(planned.domain_name)
        behaviour = self.behaviour[planned.accelerator]
        if behaviour == "works":
            console = f"{BOOT_MARKER}\nDVM_WORKLOAD_CS=123\n{POWEROFF_MARKER}\n[ 1.0] reboot\n"
            planned.serial_log.write_text(console)
            if not planned.trial:
                self.gone.add(planned.domain_name)  # powered off by itself
        elif behaviour == "dies":
            self.gone.add(planned.domain_name)
        return planned.domain_name

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
        assets_in(tmp_path),
        run_name(os.getpid(), "unit"),
        tmp_path / "cache",
        qemu_runs_as_other_user=False,
    )
    make_private_dir(plan.run_dir)
    return plan


def boot_all(session: FakeSession, plan: VmPlan) -> tuple[_Collected, list[str]]:
    collected = _Collected(uri=plan.uri)
    steps: list[str] = []
    vm._boot_candidates(
        session,  # type: ignore[arg-type]
        plan,
        CancelToken(),
        collected,
        lambda step, _fraction: steps.append(step),
    )
    return collected, steps


def test_a_kvm_guest_without_progress_is_destroyed_and_tcg_measured(tmp_path: Path) -> None:
    plan = fake_plan(tmp_path, runs=2, stall=0.2)
    session = FakeSession({"kvm": "hang", "tcg": "works"})

    collected, _steps = boot_all(session, plan)

    kvm_attempt, tcg_attempt = collected.attempts
    assert (kvm_attempt.accelerator, kvm_attempt.outcome) == ("kvm", "no_progress")
    assert kvm_attempt.fallback_reason is not None
    assert "no progress" in kvm_attempt.fallback_reason
    assert 0.2 <= kvm_attempt.seconds < 2.0  # the stall bound, not the marker timeout
    assert (tcg_attempt.accelerator, tcg_attempt.outcome) == ("tcg", "reached_marker")
    assert tcg_attempt.fallback_reason is None
    assert collected.accelerator == "tcg" and collected.kvm_usable is False
    assert session.destroyed == [f"{plan.run_name}-kvm-trial"]
    assert [sample.workload_seconds for sample in collected.samples] == [1.23, 1.23]
    assert session.started.count(f"{plan.run_name}-tcg") == 2


def test_a_kvm_guest_that_reaches_user_space_is_used_for_the_measurements(tmp_path: Path) -> None:
    plan = fake_plan(tmp_path, runs=2)
    session = FakeSession({"kvm": "works", "tcg": "works"})

    collected, steps = boot_all(session, plan)

    assert collected.accelerator == "kvm" and collected.kvm_usable is True
    assert [attempt.accelerator for attempt in collected.attempts] == ["kvm"]
    assert session.destroyed == [f"{plan.run_name}-kvm-trial"]  # the trial only
    assert session.started == [f"{plan.run_name}-kvm-trial"] + [f"{plan.run_name}-kvm"] * 2
    assert steps[0].startswith("try KVM") and steps[-1] == "boot 2 of 2 (KVM)"


def test_when_no_guest_reaches_its_marker_the_probe_fails_saying_why(tmp_path: Path) -> None:
    plan = fake_plan(tmp_path)
    session = FakeSession({"kvm": "hang", "tcg": "dies"})

    with pytest.raises(_Failed, match="ended before its boot marker"):
        boot_all(session, plan)


def test_console_markers_count_only_as_whole_lines(tmp_path: Path) -> None:
    log = tmp_path / "console.log"
    console = _Console(log)

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

    session = _LibvirtSession(Libvirt, Conn(), "qemu:///system", timeout=0.2)
    session._live["dvm-advisor-probe-1-x-tcg"] = object()
    release = threading.Event()
    started = time.monotonic()

    with pytest.raises(DeadlineExceeded):
        session.call(lambda: release.wait(10), "createXML")
    release.set()

    assert time.monotonic() - started < 2.0
    assert destroyed == ["dvm-advisor-probe-1-x-tcg"]


def dead_pid() -> int:
    """The pid of a process that has ended (and was reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_sweep_removes_only_what_dead_runs_left(tmp_path: Path) -> None:
    libvirt = pytest.importorskip("libvirt")
    conn = libvirt.open("test:///default")
    dead = dead_pid()
    dead_name = run_name(dead, "dead")
    live_name = run_name(os.getpid(), "live")
    domain_xml = (
        "<domain type='test'><name>{}</name><memory>8192</memory><os><type>hvm</type></os></domain>"
    )
    try:
        conn.createXML(domain_xml.format(f"{dead_name}-tcg"), 0)
        conn.defineXML(domain_xml.format(f"{dead_name}-kvm"))
        conn.createXML(domain_xml.format(f"{live_name}-tcg"), 0)
        for entry in (f"{dead_name}", f"{live_name}", "unrelated"):
            (tmp_path / entry).mkdir()
        (tmp_path / f"{dead_name}-tcg.log").write_text("log")

        swept = sweep_leftovers(conn, [tmp_path, tmp_path / "absent"])

        names = {str(domain.name()) for domain in conn.listAllDomains(0)}
        assert sorted(swept.domains) == [f"{dead_name}-kvm", f"{dead_name}-tcg"]
        assert f"{live_name}-tcg" in names and "test" in names
        assert not any(name.startswith(dead_name) for name in names)
        assert sorted(Path(path).name for path in swept.paths) == [
            dead_name,
            f"{dead_name}-tcg.log",
        ]
        assert sorted(entry.name for entry in tmp_path.iterdir()) == [live_name, "unrelated"]
    finally:
        for domain in conn.listAllDomains(0):
            if str(domain.name()).startswith(DOMAIN_PREFIX):
                if domain.isPersistent():
                    domain.undefine()
                if domain.isActive():
                    domain.destroy()
        conn.close()


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
        while fake.pid not in qemu_pids(DOMAIN_PREFIX) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert qemu_pids(name) == {fake.pid: name}
        assert vm.find_qemu_pid(name) == fake.pid
        rss = read_rss_bytes(fake.pid)
        assert rss is not None and rss > 1_000_000
    finally:
        fake.kill()
        fake.wait()
    assert read_rss_bytes(fake.pid) is None
    assert vm.find_qemu_pid(name) is None


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
        ("qemu:///system?socket=/nonexistent/libvirt-sock", "Failed to connect socket", "start"),
        ("nosuchdriver:///system", "no connection driver", "qemu:///system (as root)"),
        ("qemu:///nonsense", "unexpected qemu URI path", "qemu:///session"),
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
