"""The sample VM's disk footprint: a Linux kernel and a tiny initramfs, prepared in the cache.

The kernel comes from the first source that gives one, in this order:

1. the kernel (and optionally initramfs) the user configured;
2. the host distribution's kernel package, unpacked without installing it (on Debian,
   `linux-image-cloud-amd64` resolves to a versioned `linux-image-<ver>-cloud-amd64`, fetched
   with `apt-get download` and unpacked with `dpkg-deb -x`, keeping only `boot/vmlinuz-*`);
3. a kernel in /boot that this user can read.

The kernel then boots uncompressed where it can (probes/kernel_image.py). The initramfs is
built here in Python: the host's static busybox and an /init script that
mounts /proc, prints BOOT_MARKER on the console (the serial port), runs the CPU workload,
prints POWEROFF_MARKER and powers off.

Everything lands under the user's cache directory, keyed by content (the kernel package's
SHA-256, a hash of what goes into the initramfs) so reruns reuse it, written atomically
(temporary file, then rename), files 0600 and directories 0700.
"""

from __future__ import annotations

import errno
import os
import platform
import shutil
from pathlib import Path

from advisor.base.i18n import N_, _
from advisor.base.models import FrozenModel
from advisor.probes.cache_holds import CacheHolds
from advisor.probes.cache_trust import read_cached, trusted_folder, write_cached
from advisor.probes.control import CancelToken
from advisor.probes.cpio import CpioEntry, entries_digest, gzipped_newc_archive
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.kernel_image import uncompressed_kernel
from advisor.probes.kernel_package import (
    DEBIAN_KERNEL_METAPACKAGE,
    KernelSearch,
    ProgressNote,
    debian_package_kernel,
    is_bzimage,
    remove_siblings,
)
from advisor.probes.places import guest_cache_dir
from advisor.probes.results import KernelSource
from advisor.probes.sample_image import BUSYBOX_FIX, find_static_busybox
from advisor.probes.workload import GUEST_WORKLOAD_MEBIBYTES, workload_script

BOOT_MARKER = "DVM_ADVISOR_GUEST_UP"
POWEROFF_MARKER = "DVM_ADVISOR_GUEST_POWEROFF"
# The kernel hands unknown `name=value` parameters to /init as environment variables: a boot
# with this one skips the CPU workload (a trial boot, or a measured boot after the first).
WORKLOAD_OFF_PARAMETER = "dvm_advisor_workload=off"
UNCOMPRESSED_FOLDER = "uncompressed-kernels"


class GuestAssets(FrozenModel):
    """A bootable kernel and initramfs, and how big they are."""

    kernel: Path  # what boots: the source's kernel, uncompressed where it can be
    initrd: Path
    kernel_source: KernelSource
    initrd_built: bool  # False when the user configured their own initramfs
    disk_bytes: int


def init_script() -> str:
    """The guest's /init: marker, workload (unless a trial boot), marker, power off."""
    return "\n".join(
        (
            "#!/bin/busybox sh",
            "/bin/busybox mount -t proc proc /proc",
            "/bin/busybox --install -s /bin",
            "export PATH=/bin",
            f"echo {BOOT_MARKER}",
            f'if [ "$dvm_advisor_workload" != off ]; then '
            f"{workload_script(GUEST_WORKLOAD_MEBIBYTES)}; fi",
            f"echo {POWEROFF_MARKER}",
            "poweroff -f",
            "",
        )
    )


def initramfs_entries(busybox: bytes) -> list[CpioEntry]:
    """The members of the guest's initramfs."""
    return [
        CpioEntry.directory("bin"),
        CpioEntry.file("bin/busybox", busybox, permissions=0o755),
        CpioEntry.directory("dev"),
        # The kernel opens /dev/console for /init's standard streams; the workload reads
        # /dev/zero and discards into /dev/null. Nodes in the archive need no devtmpfs.
        CpioEntry.char_device("dev/console", major=5, minor=1),
        CpioEntry.char_device("dev/null", major=1, minor=3, permissions=0o666),
        CpioEntry.char_device("dev/zero", major=1, minor=5, permissions=0o666),
        CpioEntry.directory("proc"),
        CpioEntry.file("init", init_script().encode(), permissions=0o755),
    ]


def prepare_guest_assets(
    cache_dir: Path,
    configured_kernel: Path | None = None,
    configured_initrd: Path | None = None,
    cancel: CancelToken | None = None,
    note: ProgressNote | None = None,
    command_timeout_seconds: float = 300.0,
    allow_download: bool = True,
    holds: CacheHolds | None = None,
) -> GuestAssets:
    """A kernel and an initramfs ready to boot, from the first source that has them.

    With `allow_download` off, the distribution's kernel package is used only when it is
    already in the cache. The cached files it gives are held by `holds` until the caller
    releases them (probes/cache_holds.py): no other run removes them meanwhile; without
    `holds`, only while they are prepared. Raises ProbeUnavailable with the reason and the
    step that would fix it, also when the cache cannot be written or its disk is full.
    """
    held = holds or CacheHolds()
    try:
        return _prepare(
            cache_dir,
            configured_kernel,
            configured_initrd,
            cancel or CancelToken(),
            note or (lambda _step: None),
            command_timeout_seconds,
            allow_download,
            held,
        )
    except OSError as error:
        if error.errno not in CACHE_WRITE_ERRORS:
            raise
        raise ProbeUnavailable(*explain_cache_error(error, cache_dir)) from error
    finally:
        if holds is None:
            held.release()


# What writing to the cache fails with when the folder is closed, read-only or full.
CACHE_WRITE_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT})


def explain_cache_error(error: OSError, cache_dir: Path) -> tuple[str, str]:
    """The reason and fix for a cache folder the probe cannot write to."""
    where = error.filename or cache_dir
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            _(
                "no space left in the cache folder {folder} for the guest's kernel and "
                "initramfs (the disk was full writing {file})"
            ).format(folder=cache_dir, file=where),
            _(
                "free some space on the disk that holds {folder}, or point XDG_CACHE_HOME at "
                "a folder with room"
            ).format(folder=cache_dir),
        )
    why = {
        errno.EROFS: N_("its file system is read-only"),
        errno.EACCES: N_("this user may not write there"),
        errno.EPERM: N_("this user may not write there"),
    }.get(error.errno or 0, N_("writing it fails"))
    return (
        _("the cache folder {folder} cannot be written ({why}: {file})").format(
            folder=cache_dir, why=_(why), file=where
        ),
        _(
            "make {folder} writable for this user, or point XDG_CACHE_HOME at a writable folder"
        ).format(folder=cache_dir),
    )


def _prepare(
    cache_dir: Path,
    configured_kernel: Path | None,
    configured_initrd: Path | None,
    cancel: CancelToken,
    note: ProgressNote,
    command_timeout_seconds: float,
    allow_download: bool,
    holds: CacheHolds,
) -> GuestAssets:
    # Each folder checked from the top, before anything in it is read or written.
    trusted_folder(cache_dir)
    guest_dir = trusted_folder(guest_cache_dir(cache_dir))
    search = KernelSearch(guest_dir, cancel, note, command_timeout_seconds, allow_download, holds)
    source = _find_kernel(configured_kernel, search)
    cancel.raise_if_cancelled()
    if configured_initrd is not None:
        initrd = _check_configured_file(configured_initrd, INITRD_SETTING)
        built = False
    else:
        note(_("building initramfs"))
        initrd = _cached_initramfs(guest_dir, holds)
        built = True
    # Booted uncompressed where it can be: its decompressor would run emulated in every boot.
    uncompressed = uncompressed_kernel(source.path, guest_dir / UNCOMPRESSED_FOLDER, holds)
    kernel = uncompressed or source.path
    return GuestAssets(
        kernel=kernel,
        initrd=initrd,
        kernel_source=source,
        initrd_built=built,
        disk_bytes=kernel.stat().st_size + initrd.stat().st_size,
    )


def _find_kernel(configured: Path | None, search: KernelSearch) -> KernelSource:
    if configured is not None:
        path = _check_configured_file(configured, KERNEL_SETTING)
        if not is_bzimage(path):
            raise ProbeUnavailable(
                _(
                    "the configured kernel {path} is not a Linux kernel image (no bzImage header)"
                ).format(path=path),
                _("set the VM kernel setting to a bzImage such as /boot/vmlinuz-<version>"),
            )
        return KernelSource(kind="configured", path=path)
    failures: list[str] = []
    package_fix = _("run `apt-get update` so that `apt-get download {package}` works").format(
        package=DEBIAN_KERNEL_METAPACKAGE
    )
    if platform.machine() in ("x86_64", "AMD64") and shutil.which("apt-get"):
        try:
            return debian_package_kernel(search)
        except ProbeUnavailable as failure:
            failures.append(_("distribution package: {reason}").format(reason=failure))
            package_fix = failure.fix or package_fix
    boot_kernel = readable_boot_kernel()
    if boot_kernel is not None:
        return KernelSource(kind="boot", path=boot_kernel)
    failures.append(_("/boot: no kernel image this user can read"))
    raise ProbeUnavailable(
        _("no guest kernel could be found ({failures})").format(failures=_("; ").join(failures)),
        _("{fix}, or set the VM kernel setting to a readable kernel image (bzImage)").format(
            fix=package_fix
        ),
    )


# What a configured file is, in a reason, and the setting that names it, in its fix.
KERNEL_SETTING = (N_("the configured kernel {path}"), N_("the VM kernel setting"))
INITRD_SETTING = (N_("the configured initramfs {path}"), N_("the VM initramfs setting"))


def _check_configured_file(path: Path, what: tuple[str, str]) -> Path:
    resolved = path.expanduser()
    if not resolved.is_file() or not os.access(resolved, os.R_OK):
        file, setting = _(what[0]).format(path=resolved), _(what[1])
        raise ProbeUnavailable(
            _("{file} does not exist or is not readable").format(file=file),
            _("set {setting} to a readable file, or clear it to let the probe find one").format(
                setting=setting
            ),
        )
    return resolved.resolve()


def readable_boot_kernel(boot_dir: Path = Path("/boot")) -> Path | None:
    """The running kernel's image in /boot if readable, else the newest readable one."""
    running = boot_dir / f"vmlinuz-{platform.release()}"
    candidates = [running, *sorted(boot_dir.glob("vmlinuz-*"), reverse=True)]
    for candidate in candidates:
        try:
            if os.access(candidate, os.R_OK) and candidate.is_file() and is_bzimage(candidate):
                return candidate
        except OSError:
            continue
    return None


def _cached_initramfs(guest_dir: Path, holds: CacheHolds) -> Path:
    entries = initramfs_entries(static_busybox())
    initramfs_dir = trusted_folder(guest_dir / "initramfs")
    path = initramfs_dir / f"initramfs-{entries_digest(entries)[:16]}.cpio.gz"
    # A file there that is not what the probe wrote (planted, or changed since) is made again.
    if not (holds.hold(path) and read_cached(path) is not None):
        write_cached(gzipped_newc_archive(entries), path)
        holds.hold(path)
    remove_siblings(path)  # older archives, once no live run holds them
    return path


def static_busybox() -> bytes:
    """The bytes of the host's statically linked busybox, which runs inside the guest."""
    path = find_static_busybox()
    if path is None:
        raise ProbeUnavailable(
            _("no statically linked busybox on this host to put in the guest's initramfs"),
            _(BUSYBOX_FIX),
        )
    return path.read_bytes()
