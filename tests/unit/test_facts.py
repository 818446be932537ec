"""From a probe report to the facts rules read: every figure taken from where it was measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.facts import ProbeFacts, facts_from_probe_report
from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport, load_probe_report

# Written by `dvm-advisor probe --json` on a Debian workstation where KVM is not usable.
PROBE_REPORT = Path(__file__).parent / "data" / "probe-report.json"


@pytest.fixture(scope="module")
def report() -> ProbeReport:
    return load_probe_report(PROBE_REPORT)


def test_every_measured_figure_reaches_the_facts(report: ProbeReport) -> None:
    container, vm = report.container, report.vm
    assert container is not None and vm is not None
    assert container.start_seconds and container.memory_bytes and vm.boot_seconds
    facts = facts_from_probe_report(report)
    assert facts.host_os == "linux"
    assert facts.docker_engine_reachable is report.host.docker.answers
    assert facts.docker_socket_is_root_equivalent is report.host.docker.root_equivalent
    assert facts.container_probe_status == container.status.value
    assert facts.vm_probe_status == vm.status.value
    assert facts.vm_accelerator == vm.accelerator
    assert facts.kvm_usable is report.kvm_usable
    assert facts.container_start_seconds == container.start_seconds.median
    assert facts.vm_boot_seconds == vm.boot_seconds.median
    assert facts.container_cpu_ratio == container.cpu_ratio
    assert facts.vm_cpu_ratio == vm.cpu_ratio
    assert facts.image_bytes == container.image_bytes
    assert facts.vm_disk_bytes == vm.disk_bytes
    assert facts.container_memory_bytes == round(container.memory_bytes.median)
    assert facts.vm_memory_bytes == vm.hypervisor_rss_bytes


def test_the_container_kernel_is_not_guessed(report: ProbeReport) -> None:
    # The container probe does not report the kernel it saw, so the fact stays unmeasured.
    assert facts_from_probe_report(report).container_shares_host_kernel is None


def test_a_probe_not_run_leaves_its_facts_unmeasured(report: ProbeReport) -> None:
    facts = facts_from_probe_report(report.model_copy(update={"vm": None}))
    assert facts.vm_probe_status is None
    assert facts.vm_boot_seconds is None
    assert facts.vm_disk_bytes is None
    assert facts.vm_memory_bytes is None
    assert facts.container_start_seconds is not None


def test_a_failed_probe_keeps_what_it_measured_before_it_stopped(report: ProbeReport) -> None:
    assert report.container is not None
    failed = report.container.model_copy(
        update={"status": ProbeStatus.FAILED, "start_seconds": None, "cpu_ratio": None}
    )
    facts = facts_from_probe_report(report.model_copy(update={"container": failed}))
    assert facts.container_probe_status == "failed"
    assert facts.container_start_seconds is None
    assert facts.container_cpu_ratio is None
    assert facts.image_bytes == report.container.image_bytes


@pytest.mark.parametrize(
    ("system", "host_os"),
    [("Linux", "linux"), ("Darwin", "macos"), ("Windows", "windows"), ("FreeBSD", None)],
)
def test_host_os_from_the_system_name(
    report: ProbeReport, system: str, host_os: str | None
) -> None:
    os_facts = report.host.os.model_copy(update={"system": system})
    host = report.host.model_copy(update={"os": os_facts})
    assert facts_from_probe_report(report.model_copy(update={"host": host})).host_os == host_os


def test_facts_validate_as_probe_facts(report: ProbeReport) -> None:
    facts = facts_from_probe_report(report)
    assert ProbeFacts.model_validate(facts.model_dump()) == facts


@pytest.mark.parametrize(
    ("seen_inside", "shares"), [(None, None), ("same", True), ("6.1.0-other", False)]
)
def test_the_kernel_seen_in_the_container_is_compared_with_the_hosts(
    report: ProbeReport, seen_inside: str | None, shares: bool | None
) -> None:
    assert report.container is not None
    release = report.host.os.kernel if seen_inside == "same" else seen_inside
    container = report.container.model_copy(update={"kernel_release": release})
    facts = facts_from_probe_report(report.model_copy(update={"container": container}))
    assert facts.container_shares_host_kernel is shares
