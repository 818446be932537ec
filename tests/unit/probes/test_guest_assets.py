"""Guest assets: the kernel's sources in order, the initramfs and its cache, and the fixes
given when nothing can be had. The Debian download itself runs for real in
tests/integration/test_vm_probe.py."""

from __future__ import annotations

import errno
import gzip
import os
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from advisor.probes import cache_trust, guest_assets, kernel_package
from advisor.probes.cache_holds import CacheHolds, remove_unless_held
from advisor.probes.cache_trust import digest_path, read_cached, write_cached
from advisor.probes.control import CancelToken, ProbeCancelled
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.guest_assets import (
    BOOT_MARKER,
    POWEROFF_MARKER,
    init_script,
    initramfs_entries,
    prepare_guest_assets,
    readable_boot_kernel,
)
from advisor.probes.kernel_package import DEBIAN_KERNEL_METAPACKAGE, is_bzimage
from advisor.probes.models import Stats, cpu_cost
from advisor.probes.workload import (
    GUEST_WORKLOAD_MEBIBYTES,
    WORKLOAD_MEBIBYTES,
    workload_script,
)

# Only what is_bzimage looks at: the boot protocol's magic at 0x202.
FAKE_KERNEL = b"\0" * 0x202 + b"HdrS" + b"\0" * 64
FAKE_STATIC_BUSYBOX = b"\x7fELF" + b"\0" * 60


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def fake_busybox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the host's static busybox, so the initramfs builds anywhere."""
    busybox = write(tmp_path / "host" / "busybox", FAKE_STATIC_BUSYBOX)
    monkeypatch.setattr(guest_assets, "find_static_busybox", lambda: busybox)
    return busybox


def test_init_prints_the_boot_marker_runs_the_workload_then_powers_off() -> None:
    lines = init_script().splitlines()

    assert lines[0] == "#!/bin/busybox sh"
    mount = next(i for i, line in enumerate(lines) if "mount -t proc" in line)
    marker = lines.index(f"echo {BOOT_MARKER}")
    workload = next(
        i for i, line in enumerate(lines) if workload_script(GUEST_WORKLOAD_MEBIBYTES) in line
    )
    poweroff_marker = lines.index(f"echo {POWEROFF_MARKER}")
    assert mount < marker < workload < poweroff_marker
    assert lines[-1] == "poweroff -f"
    # A trial or boot-only boot skips the workload: the kernel passes its parameter to /init.
    assert '"$dvm_advisor_workload" != off' in lines[workload]


def test_initramfs_holds_busybox_init_and_the_device_nodes_it_needs() -> None:
    entries = {entry.path: entry for entry in initramfs_entries(b"busybox bytes")}

    assert entries["bin/busybox"].data == b"busybox bytes"
    assert entries["bin/busybox"].permissions == 0o755
    assert entries["init"].permissions == 0o755
    assert entries["init"].data == init_script().encode()
    devices = {
        path: (entry.device_major, entry.device_minor)
        for path, entry in entries.items()
        if entry.kind == "char_device"
    }
    assert devices == {"dev/console": (5, 1), "dev/null": (1, 3), "dev/zero": (1, 5)}
    assert entries["proc"].kind == "directory"


def test_configured_kernel_and_initramfs_are_used_as_they_are(tmp_path: Path) -> None:
    kernel = write(tmp_path / "mine" / "vmlinuz", FAKE_KERNEL)
    initrd = write(tmp_path / "mine" / "initrd.img", b"my initramfs")

    assets = prepare_guest_assets(tmp_path / "cache", kernel, initrd)

    assert assets.kernel == kernel and assets.initrd == initrd
    assert assets.kernel_source.kind == "configured"
    assert not assets.initrd_built
    assert assets.disk_bytes == len(FAKE_KERNEL) + len(b"my initramfs")


def test_a_configured_file_that_is_no_kernel_is_refused_with_the_setting_to_change(
    tmp_path: Path,
) -> None:
    not_a_kernel = write(tmp_path / "notes.txt", b"hello")

    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(tmp_path / "cache", not_a_kernel)

    assert "not a Linux kernel image" in refused.value.reason
    assert "VM kernel setting" in refused.value.fix


def test_a_missing_configured_kernel_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(tmp_path / "cache", tmp_path / "absent")

    assert str(tmp_path / "absent") in refused.value.reason


def test_the_built_initramfs_is_private_cached_and_replaced_when_its_content_changes(
    tmp_path: Path, fake_busybox: Path
) -> None:
    kernel = write(tmp_path / "vmlinuz", FAKE_KERNEL)
    cache = tmp_path / "cache"

    first = prepare_guest_assets(cache, kernel)
    built = first.initrd.stat()
    archive = first.initrd.read_bytes()
    again = prepare_guest_assets(cache, kernel)
    reused = again.initrd.stat()
    write(fake_busybox, FAKE_STATIC_BUSYBOX + b"newer")
    newer = prepare_guest_assets(cache, kernel)

    assert first.initrd_built
    assert gzip.decompress(archive).startswith(b"070701")
    assert first.disk_bytes == len(FAKE_KERNEL) + len(archive)
    assert stat.S_IMODE(built.st_mode) == 0o600
    assert stat.S_IMODE(newer.initrd.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache / "guest").stat().st_mode) == 0o700
    assert again.initrd == first.initrd
    assert (reused.st_ino, reused.st_mtime_ns) == (built.st_ino, built.st_mtime_ns)
    assert newer.initrd != first.initrd
    assert not first.initrd.exists()  # the stale archive is gone
    assert sorted(path.name for path in newer.initrd.parent.iterdir()) == [
        newer.initrd.name,
        digest_path(newer.initrd).name,  # the digest recorded when it was made
    ]


def test_a_cached_initramfs_that_is_not_what_the_probe_wrote_is_made_again(
    tmp_path: Path, fake_busybox: Path
) -> None:
    kernel = write(tmp_path / "vmlinuz", FAKE_KERNEL)
    cache = tmp_path / "cache"
    made = prepare_guest_assets(cache, kernel).initrd
    archive = made.read_bytes()
    secret = write(tmp_path / "secret", b"not for the guest")
    for planted in ("changed", "link"):
        made.unlink()
        if planted == "changed":
            write(made, b"a planted initramfs")
        else:
            made.symlink_to(secret)
        again = prepare_guest_assets(cache, kernel).initrd
        assert again == made and not again.is_symlink()
        assert again.read_bytes() == archive
    assert secret.read_bytes() == b"not for the guest"


@pytest.mark.parametrize("fault", ["link", "group-writable", "another user's"])
def test_a_cache_folder_that_cannot_be_trusted_is_refused_with_the_fix(
    tmp_path: Path, fake_busybox: Path, fault: str
) -> None:
    kernel = write(tmp_path / "vmlinuz", FAKE_KERNEL)
    cache = tmp_path / "cache"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    if fault == "link":
        cache.symlink_to(elsewhere)
    else:
        cache.mkdir(mode=0o700)
        (cache / "guest").mkdir(mode=0o700)
        if fault == "group-writable":
            (cache / "guest").chmod(0o770)
        else:
            if os.geteuid() != 0:
                pytest.skip("giving a folder to another user takes root")
            os.chown(cache / "guest", 65534, 65534)
    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(cache, kernel)
    assert "cannot be trusted" in refused.value.reason
    assert refused.value.fix is not None and "XDG_CACHE_HOME" in refused.value.fix
    assert list(elsewhere.iterdir()) == []  # nothing written through the link


def test_without_a_static_busybox_the_fix_is_to_install_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guest_assets, "find_static_busybox", lambda: None)
    kernel = write(tmp_path / "vmlinuz", FAKE_KERNEL)

    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(tmp_path / "cache", kernel)

    assert "busybox-static" in refused.value.fix


def test_boot_kernel_prefers_a_readable_kernel_image(tmp_path: Path) -> None:
    write(tmp_path / "vmlinuz-9.0-new", b"not a kernel at all")
    older = write(tmp_path / "vmlinuz-8.0-old", FAKE_KERNEL)
    write(tmp_path / "config-8.0-old", b"CONFIG_X=y")

    assert readable_boot_kernel(tmp_path) == older
    assert is_bzimage(older) and not is_bzimage(tmp_path / "vmlinuz-9.0-new")
    assert readable_boot_kernel(tmp_path / "empty") is None


def test_boot_kernel_skips_images_this_user_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = write(tmp_path / "vmlinuz-1.0", FAKE_KERNEL)
    # Root may read any file, so the access check itself stands in for a 0600 root image.
    real_access = os.access
    monkeypatch.setattr(
        guest_assets.os, "access", lambda path, mode: path != closed and real_access(path, mode)
    )

    assert readable_boot_kernel(tmp_path) is None


def test_with_no_source_of_a_kernel_the_fix_names_the_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guest_assets.shutil, "which", lambda _name: None)  # no apt-get
    monkeypatch.setattr(guest_assets, "readable_boot_kernel", lambda: None)

    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(tmp_path / "cache")

    assert "/boot" in refused.value.reason
    assert f"apt-get download {DEBIAN_KERNEL_METAPACKAGE}" in refused.value.fix
    assert "kernel setting" in refused.value.fix


APT_META = f"""Package: {DEBIAN_KERNEL_METAPACKAGE}
Version: 6.1.99-1
Depends: linux-image-6.1.0-99-cloud-amd64 (= 6.1.99-1)
SHA256: 1111

"""
APT_VERSIONED = """Package: linux-image-6.1.0-99-cloud-amd64
Version: 6.1.99-1
Depends: kmod, linux-base (>= 4.3~)
Description: Linux for cloud platforms
 continuation lines are not fields: Version: 0
SHA256: abcdef0123456789abcdef

"""


class FakeApt:
    """apt-cache answers, and a record of what was asked."""

    def __init__(self, versioned: str = APT_VERSIONED) -> None:
        self.calls: list[list[str]] = []
        self.versioned = versioned

    def __call__(
        self, args: Sequence[str], timeout: float, cancel: CancelToken, cwd: Path | None = None
    ) -> str:
        self.calls.append(list(args))
        if args[:2] == ["apt-cache", "show"]:
            return APT_META if args[-1] == DEBIAN_KERNEL_METAPACKAGE else self.versioned
        raise AssertionError(f"unexpected command {args}")


def test_package_resolution_is_remembered_while_the_package_lists_stay_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apt = FakeApt()
    lists = write(tmp_path / "lists" / "deb_dists_main_binary-amd64_Packages", b"1")
    monkeypatch.setattr(kernel_package, "apt_command", apt)
    monkeypatch.setattr(kernel_package, "APT_LISTS_GLOB", str(tmp_path / "lists" / "*_Packages*"))
    guest_dir = tmp_path / "guest"
    guest_dir.mkdir()

    def resolve() -> kernel_package.PackageRecord:
        return kernel_package.kernel_package_record(guest_dir, CancelToken(), lambda _s: None, 5)

    first = resolve()
    asked_first = len(apt.calls)
    second = resolve()
    asked_second = len(apt.calls)
    lists.write_bytes(b"updated lists")
    resolve()

    assert first.package == "linux-image-6.1.0-99-cloud-amd64"
    assert first.version == "6.1.99-1"
    assert first.sha256 == "abcdef0123456789abcdef"
    assert asked_first == 2 and second == first
    assert asked_second == asked_first  # remembered: apt was not asked again
    assert len(apt.calls) == 4  # the lists changed: asked again


def test_a_cached_package_kernel_is_used_without_downloading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_busybox: Path
) -> None:
    apt = FakeApt()
    monkeypatch.setattr(kernel_package, "apt_command", apt)
    monkeypatch.setattr(guest_assets.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(guest_assets.platform, "machine", lambda: "x86_64")
    cache = tmp_path / "cache"
    # As the probe leaves it: the kernel and its digest, recorded when it was unpacked.
    cached = write_cached(
        FAKE_KERNEL,
        cache / "guest" / "kernels" / "abcdef0123456789" / "vmlinuz-6.1.0-99-cloud-amd64",
    )

    assets = prepare_guest_assets(cache)

    assert assets.kernel == cached
    assert assets.kernel_source.kind == "package"
    assert assets.kernel_source.package == "linux-image-6.1.0-99-cloud-amd64"
    assert assets.kernel_source.version == "6.1.99-1"
    assert "linux-image-6.1.0-99-cloud-amd64 6.1.99-1" in assets.kernel_source.describe()
    assert not any(call[:2] == ["apt-get", "download"] for call in apt.calls)


def test_a_failing_download_falls_back_to_boot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_busybox: Path
) -> None:
    boot_kernel = write(tmp_path / "boot" / "vmlinuz-6.1.0-1-amd64", FAKE_KERNEL)

    def no_network(
        args: Sequence[str], timeout: float, cancel: CancelToken, cwd: Path | None = None
    ) -> str:
        raise ProbeUnavailable("apt-get download exited with status 100: no network")

    monkeypatch.setattr(kernel_package, "apt_command", no_network)
    monkeypatch.setattr(guest_assets.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(guest_assets.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(guest_assets, "readable_boot_kernel", lambda: boot_kernel)

    assets = prepare_guest_assets(tmp_path / "cache")

    assert assets.kernel == boot_kernel
    assert assets.kernel_source.kind == "boot"


def test_cancel_stops_the_preparation(tmp_path: Path) -> None:
    cancel = CancelToken()
    cancel.cancel()
    kernel = write(tmp_path / "vmlinuz", FAKE_KERNEL)

    with pytest.raises(ProbeCancelled):
        prepare_guest_assets(tmp_path / "cache", kernel, cancel=cancel)


@pytest.mark.parametrize(
    ("error", "words", "fix_words"),
    [
        (errno.EROFS, "cannot be written (its file system is read-only", "writable"),
        (errno.EACCES, "cannot be written (this user may not write there", "writable"),
        (errno.ENOSPC, "no space left in the cache folder", "free some space"),
    ],
)
def test_a_cache_that_cannot_be_written_is_unavailable_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, words: str, fix_words: str
) -> None:
    def refuse(path: Path) -> None:
        raise OSError(error, os.strerror(error), str(path))

    # Root writes anywhere: the refusal the kernel would give another user is raised here,
    # and tests/integration/faults makes it for real on a read-only and on a full tmpfs.
    monkeypatch.setattr(cache_trust, "make_private_dir", refuse)

    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(tmp_path / "cache")

    assert words in refused.value.reason
    assert str(tmp_path / "cache") in refused.value.reason
    assert fix_words in refused.value.fix and "XDG_CACHE_HOME" in refused.value.fix


def package_source_only(monkeypatch: pytest.MonkeyPatch, apt: FakeApt) -> None:
    """apt answers as FakeApt does, and /boot holds nothing this user can read."""
    monkeypatch.setattr(kernel_package, "apt_command", apt)
    monkeypatch.setattr(guest_assets.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(guest_assets.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(guest_assets, "readable_boot_kernel", lambda: None)


def test_with_the_download_turned_off_an_uncached_package_is_not_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_busybox: Path
) -> None:
    apt = FakeApt()
    package_source_only(monkeypatch, apt)

    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(tmp_path / "cache", allow_download=False)

    assert "downloading it is turned off" in refused.value.reason
    assert refused.value.fix.startswith("turn the kernel download on")
    assert not any(call[:2] == ["apt-get", "download"] for call in apt.calls)


def test_a_download_the_disk_cannot_hold_is_refused_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_busybox: Path
) -> None:
    huge = APT_VERSIONED.replace("SHA256:", "Size: 26713492\nInstalled-Size: 999999999\nSHA256:")
    apt = FakeApt(versioned=huge)
    package_source_only(monkeypatch, apt)

    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(tmp_path / "cache")

    assert "no space left in" in refused.value.reason and "MB are free" in refused.value.reason
    assert refused.value.fix.startswith("free some space")
    assert not any(call[:2] == ["apt-get", "download"] for call in apt.calls)


def test_the_cache_is_private_whatever_the_umask(tmp_path: Path, fake_busybox: Path) -> None:
    kernel = write(tmp_path / "mine" / "vmlinuz", FAKE_KERNEL)
    previous = os.umask(0)  # the loosest: every mode the probe does not choose is open
    try:
        prepare_guest_assets(tmp_path / "cache", kernel)
    finally:
        os.umask(previous)

    created = [tmp_path / "cache", *(tmp_path / "cache").rglob("*")]
    unexpected = [
        f"{path} {stat.S_IMODE(path.stat().st_mode):04o}"
        for path in created
        if stat.S_IMODE(path.stat().st_mode) != (0o700 if path.is_dir() else 0o600)
    ]
    assert len(created) > 3 and unexpected == []


# A run of its own: holds one cached file as a VM run does, until it is killed.
HOLDER = """
import sys, time
from pathlib import Path
from advisor.probes.cache_holds import CacheHolds
holds = CacheHolds()
print("held" if holds.hold(Path(sys.argv[1])) else "missing", flush=True)
time.sleep(120)
"""


def test_an_initramfs_a_live_run_holds_outlives_a_newer_one_and_goes_once_that_run_ends(
    tmp_path: Path, fake_busybox: Path
) -> None:
    kernel = write(tmp_path / "vmlinuz", FAKE_KERNEL)
    cache = tmp_path / "cache"
    older = prepare_guest_assets(cache, kernel).initrd
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(older)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        write(fake_busybox, FAKE_STATIC_BUSYBOX + b"newer")  # the version changes mid-run
        newer = prepare_guest_assets(cache, kernel).initrd
        assert newer != older
        # The live run's archive is kept whole, with its digest: what it boots stays there.
        assert read_cached(older) is not None
    finally:
        holder.kill()  # however a run ends, its process's locks go with it
        holder.wait(30)
    assert prepare_guest_assets(cache, kernel).initrd == newer
    assert not older.exists() and not digest_path(older).exists()
    assert sorted(path.name for path in newer.parent.iterdir()) == [
        newer.name,
        digest_path(newer).name,
    ]


def test_a_folder_is_removed_only_when_no_file_in_it_is_held(tmp_path: Path) -> None:
    folder = tmp_path / "kernels" / "older"
    used = write_cached(b"a kernel a run boots", folder / "vmlinuz-1")
    holds = CacheHolds()
    assert holds.hold(used)
    assert remove_unless_held(folder) is False
    assert read_cached(used) == b"a kernel a run boots"
    holds.release()
    assert remove_unless_held(folder) is True
    assert not folder.exists()
    assert holds.hold(used) is False  # gone: a run that wants it makes it again


def test_the_guest_s_share_of_the_workload_is_compared_per_mebibyte() -> None:
    guest, native = Stats.of([1.5, 1.6, 1.7]), Stats.of([0.2, 0.3])
    share = GUEST_WORKLOAD_MEBIBYTES / WORKLOAD_MEBIBYTES

    fields = cpu_cost(guest, native, "guest_workload_seconds", inside_share=share)

    assert fields["guest_workload_seconds"] == guest and fields["native_workload_seconds"] == native
    assert fields["cpu_ratio"] == pytest.approx(1.6 / share / 0.25)
    assert cpu_cost(guest, native, "x")["cpu_ratio"] == pytest.approx(1.6 / 0.25)
    assert f"count={GUEST_WORKLOAD_MEBIBYTES * 16} " in init_script()
