"""Probe reports for tests that need one without running the probes: real host facts read
without reaching any daemon, and measured results with plausible figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from advisor.probes.host import gather_host_facts
from advisor.probes.host_models import HostFacts
from advisor.probes.models import ProbeStatus, Stats
from advisor.probes.report import ProbeReport, ProbeSettings, ToolVersions
from advisor.probes.results import ContainerResult, VmResult


def offline_host_facts() -> HostFacts:
    """This host's facts, gathered with the Docker engine and libvirt out of reach."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        return gather_host_facts(libvirt_uri="test:///default", timeout=5)


def on_host(report: ProbeReport, hostname: str) -> ProbeReport:
    """`report` as if taken on the workstation named `hostname`."""
    host = report.host.model_copy(update={"hostname": hostname})
    return report.model_copy(update={"host": host})


def make_report(
    host: HostFacts,
    *,
    container: ContainerResult | None = None,
    vm: VmResult | None = None,
) -> ProbeReport:
    """A probe report with measured results unless others are given."""
    return ProbeReport(
        taken_at=datetime.now(UTC),
        tool_versions=ToolVersions(
            dvm_advisor="0", python="3", docker_sdk=None, libvirt_python=None
        ),
        settings=ProbeSettings(runs=1),
        host=host,
        container=container
        or ContainerResult(
            status=ProbeStatus.OK,
            runs=1,
            image_bytes=1_982_305,
            start_seconds=Stats.of([0.1]),
            memory_bytes=Stats.of([946_176]),
            cpu_ratio=0.97,
            wall_seconds=1.0,
        ),
        vm=vm
        or VmResult(
            status=ProbeStatus.OK,
            uri="qemu:///system",
            accelerator="tcg",
            kvm_usable=False,
            boot_seconds=Stats.of([5.1]),
            disk_bytes=15_218_436,
            hypervisor_rss_bytes=220_655_616,
            cpu_ratio=22.8,
            wall_seconds=15.0,
        ),
        wall_seconds=16.0,
    )
