"""The cache folder cannot be written, or the disk under it is full: real file systems (a
read-only and a 64 KiB tmpfs) under the app's cache. The VM probe says which folder and what
to do, leaves no half-written file, and the container probe still runs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.guest_assets import prepare_guest_assets, readable_boot_kernel
from advisor.probes.models import ProbeStatus
from advisor.probes.places import default_cache_dir, guest_cache_dir
from advisor.probes.report import ProbeReport, ProbeSettings
from advisor.probes.suite import run_probes
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import (
    advise,
    assert_nothing_left,
    assert_one_sentence,
    caveat_rules,
    sample_images,
    unfinished_writes,
)

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

CACHE_REFUSED_SECONDS = 5.0  # the VM probe's answer, as the README's fault table states it
# A kernel download refused for want of room asks apt first: two `apt-cache show` calls of up
# to 4 s each on a busy machine.
CACHE_REFUSED_AFTER_APT_SECONDS = 12.0

SETTINGS = ProbeSettings(runs=1, try_kvm=False, libvirt_uri=LIBVIRT_URI)


def probe_with_cache_at(
    home: Path, monkeypatch: pytest.MonkeyPatch, settings: ProbeSettings = SETTINGS
) -> ProbeReport:
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert default_cache_dir() == home / "dvm-advisor"
    return run_probes(settings)


def assert_vm_refused_for_the_cache(
    report: ProbeReport, *words: str, within_seconds: float = CACHE_REFUSED_SECONDS
) -> None:
    vm = report.vm
    assert vm is not None and vm.status is ProbeStatus.UNAVAILABLE, vm
    assert_one_sentence(vm.reason, *words)
    assert_one_sentence(vm.fix, "XDG_CACHE_HOME")
    assert vm.wall_seconds <= within_seconds
    assert report.container is not None and report.container.status is ProbeStatus.OK
    assert "probe-vm-did-not-run" in caveat_rules(advise(report))


def test_a_read_only_cache_folder_is_unavailable_with_the_fix(
    docker_client: Any, libvirt_conn: Any, monkeypatch: pytest.MonkeyPatch, small_tmpfs: Any
) -> None:
    images_before = sample_images(docker_client)
    home = small_tmpfs("read-only", "ro,size=64k")

    report = probe_with_cache_at(home, monkeypatch)

    assert_vm_refused_for_the_cache(
        report, f"the cache folder {home / 'dvm-advisor'} cannot be written", "read-only"
    )
    assert report.vm is not None and report.vm.fix is not None
    assert report.vm.fix.startswith(f"make {home / 'dvm-advisor'} writable")
    assert_nothing_left(docker_client, libvirt_conn, [os.getpid()], images_before, home)


def cached_kernel() -> Path:
    """The guest kernel an earlier run put in the usual cache, fetched now if none did."""
    guest_dir = guest_cache_dir(default_cache_dir())
    kernels = sorted(guest_dir.glob("kernels/*/vmlinuz-*"))
    if kernels:
        return kernels[0]
    return prepare_guest_assets(default_cache_dir(), command_timeout_seconds=300).kernel


@pytest.mark.parametrize("kernel", ["to download", "configured"])
def test_a_full_disk_under_the_cache_is_unavailable_with_the_fix_and_no_partial_file(
    docker_client: Any,
    libvirt_conn: Any,
    monkeypatch: pytest.MonkeyPatch,
    small_tmpfs: Any,
    kernel: str,
) -> None:
    images_before = sample_images(docker_client)
    settings = SETTINGS
    if kernel == "configured":
        # The kernel is at hand, so the initramfs is what no longer fits: a real ENOSPC.
        settings = SETTINGS.model_copy(update={"kernel_path": cached_kernel()})
        words: tuple[str, ...] = ("no space left in the cache folder", "the disk was full")
        bound = CACHE_REFUSED_SECONDS
    else:
        if readable_boot_kernel() is not None:
            pytest.skip("/boot holds a readable kernel here: no download would be needed")
        # The kernel package would not fit: refused before a byte is downloaded.
        words = ("no guest kernel could be found", "no space left in", "MB are free")
        bound = CACHE_REFUSED_AFTER_APT_SECONDS
    home = small_tmpfs("full", "size=64k")

    report = probe_with_cache_at(home, monkeypatch, settings)

    assert_vm_refused_for_the_cache(report, *words, within_seconds=bound)
    assert report.vm is not None and report.vm.fix is not None
    assert "free some space" in report.vm.fix
    assert unfinished_writes(home) == []
    assert_nothing_left(docker_client, libvirt_conn, [os.getpid()], images_before, home)
