"""Host facts agree with what the host's own tools report, wherever those tools are present:
`docker info`, `systemd-detect-virt`, `virt-host-validate`, `virsh`, `stat` and `uname`."""

from __future__ import annotations

import json
import platform
import re
import shutil
import subprocess
from typing import Any

import pytest

from advisor.probes.host import gather_host_facts
from advisor.probes.host_models import HostFacts
from tests.integration.conftest import LIBVIRT_URI


def tool_output(*command: str) -> str:
    """A host tool's standard output; the test skips where the tool is not installed."""
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed here")
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    return result.stdout


@pytest.fixture(scope="module")
def facts() -> HostFacts:
    return gather_host_facts(LIBVIRT_URI, timeout=10)


@pytest.mark.docker
def test_docker_facts_agree_with_docker_info(docker_client: Any, facts: HostFacts) -> None:
    info = json.loads(tool_output("docker", "info", "--format", "{{json .}}"))
    docker = facts.docker
    assert docker.answers is True, docker.reason
    assert docker.version == info["ServerVersion"]
    assert docker.storage_driver == info["Driver"]
    assert docker.cgroup_version == info["CgroupVersion"]
    rootless = any("name=rootless" in option for option in info["SecurityOptions"] or [])
    assert docker.rootless is rootless
    assert docker.root_equivalent is (not rootless)
    assert docker.user_reaches_socket is True
    # The engine runs on this machine, so it sees the same kernel, memory and system.
    assert facts.os.kernel == info["KernelVersion"]
    assert facts.memory.total_bytes == info["MemTotal"]
    assert facts.os.distribution == info["OperatingSystem"]
    assert facts.cpu.count is not None and facts.cpu.count >= info["NCPU"]
    assert str(facts.cgroup.version) == info["CgroupVersion"]


def test_the_hypervisor_flag_agrees_with_systemd_detect_virt(facts: HostFacts) -> None:
    if platform.machine() not in ("x86_64", "i686"):
        pytest.skip("the CPUID hypervisor bit is an x86 notion")
    detected = tool_output("systemd-detect-virt", "--vm").strip()
    assert facts.cpu.hypervisor_flag is (detected != "none"), detected


def _validate_lines(output: str) -> dict[str, str]:
    """virt-host-validate's checks: the text after 'Checking …' mapped to PASS, WARN or FAIL."""
    checks = {}
    for line in output.splitlines():
        match = re.match(r"\s*QEMU: Checking (.+?)\s*: (PASS|WARN|FAIL)", line)
        if match:
            checks[match.group(1)] = match.group(2)
    return checks


def test_kvm_and_cgroup_facts_agree_with_virt_host_validate(facts: HostFacts) -> None:
    checks = _validate_lines(tool_output("virt-host-validate", "qemu"))
    assert checks, "virt-host-validate printed no QEMU checks"
    hardware = checks["for hardware virtualization"]
    assert (hardware == "PASS") is (facts.cpu.virtualization_extension is not None)
    if "if device /dev/kvm exists" in checks:
        assert (checks["if device /dev/kvm exists"] == "PASS") is facts.kvm.device_present
    if "if device /dev/kvm is accessible" in checks:
        accessible = checks["if device /dev/kvm is accessible"] == "PASS"
        assert accessible is facts.kvm.accessible_to_user
    for check, verdict in checks.items():
        controller = re.fullmatch(r"for cgroup '(\w+)' controller support", check)
        if controller:
            assert (verdict == "PASS") is (controller.group(1) in facts.cgroup.controllers), check


def test_kvm_device_facts_agree_with_stat(facts: HostFacts) -> None:
    shown = tool_output("stat", "-c", "%a %U %G", "/dev/kvm").split()
    if not shown:
        assert facts.kvm.device_present is False
        return
    mode, owner, group = shown
    assert facts.kvm.device_present is True
    assert int(facts.kvm.mode or "x", 8) == int(mode, 8)
    assert (facts.kvm.owner, facts.kvm.group) == (owner, group)


def test_cgroup_version_agrees_with_the_file_system_type(facts: HostFacts) -> None:
    file_system = tool_output("stat", "-fc", "%T", "/sys/fs/cgroup").strip()
    assert facts.cgroup.version == (2 if file_system == "cgroup2fs" else 1)


def test_kernel_and_processors_agree_with_uname_and_getconf(facts: HostFacts) -> None:
    assert facts.os.kernel == tool_output("uname", "-r").strip()
    assert facts.cpu.count == int(tool_output("getconf", "_NPROCESSORS_ONLN"))


@pytest.mark.libvirt
def test_libvirt_facts_agree_with_virsh(libvirt_conn: Any, facts: HostFacts) -> None:
    version = tool_output("virsh", "-c", LIBVIRT_URI, "version", "--daemon")
    libvirt = facts.libvirt
    assert libvirt.answers is True, libvirt.reason
    assert f"Running against daemon: {libvirt.version}" in version
    assert f"Running hypervisor: {libvirt.hypervisor}" in version
    capabilities = tool_output("virsh", "-c", LIBVIRT_URI, "capabilities")
    arch = platform.machine()
    for domain_type in ("qemu", "kvm"):
        offered = re.search(
            rf"<arch name='{arch}'>(?:(?!</arch>).)*<domain type='{domain_type}'",
            capabilities,
            re.DOTALL,
        )
        assert (offered is not None) is (domain_type in libvirt.domain_types), domain_type
    if "kvm" in libvirt.domain_types and not facts.kvm.capability_cache_trap:
        kvm_caps = subprocess.run(
            ["virsh", "-c", LIBVIRT_URI, "domcapabilities", "--virttype", "kvm"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert (kvm_caps.returncode == 0) is libvirt.kvm_domain_supported


@pytest.mark.libvirt
def test_qemus_access_to_kvm_agrees_with_the_user_libvirt_runs_it_as(
    libvirt_conn: Any, facts: HostFacts
) -> None:
    """Ask the kernel, as QEMU's user, whether /dev/kvm opens for reading and writing."""
    if not facts.kvm.device_present or facts.kvm.qemu_user in (None, "root"):
        pytest.skip("no /dev/kvm, or QEMU runs as root here")
    if shutil.which("runuser") is None:
        pytest.skip("runuser is not installed here")
    opened = subprocess.run(
        [
            "runuser",
            "-u",
            str(facts.kvm.qemu_user),
            "--",
            "test",
            "-r",
            "/dev/kvm",
            "-a",
            "-w",
            "/dev/kvm",
        ],
        timeout=30,
        check=False,
    )
    assert (opened.returncode == 0) is facts.kvm.accessible_to_qemu
