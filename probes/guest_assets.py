"""The sample VM's disk footprint: a Linux kernel and a tiny initramfs, prepared in the cache.

The kernel comes from the first source that gives one, in this order:

1. the kernel (and optionally initramfs) the user configured;
2. the host distribution's kernel package, unpacked without installing it (on Debian,
   `linux-image-cloud-amd64` resolves to a versioned `linux-image-<ver>-cloud-amd64`, fetched
   with `apt-get download` and unpacked with `dpkg-deb -x`, keeping only `boot/vmlinuz-*`);
3. a kernel in /boot that this user can read.

The initramfs is built here in Python: the host's static busybox and an /init script that
mounts /proc, prints BOOT_MARKER on the console (the serial port), runs the CPU workload,
prints POWEROFF_MARKER and powers off.

Everything lands under the user's cache directory, keyed by content (the kernel package's
SHA-256, a hash of what goes into the initramfs) so reruns reuse it, written atomically
(temporary file, then rename), files 0600 and directories 0700.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import ValidationError

from advisor.modelbase import FrozenModel
from advisor.private_files import make_private_dir, write_private_file
from advisor.probes.commands import CommandFailed, run_command
from advisor.probes.control import CancelToken
from advisor.probes.cpio import CpioEntry, entries_digest, gzipped_newc_archive
from advisor.probes.quantities import FilePath, Label
from advisor.probes.sample_image import BUSYBOX_FIX, find_static_busybox
from advisor.probes.workload import WORKLOAD_SCRIPT

# Every domain, directory and file a probe run makes is named "<prefix><pid>-...".
PROBE_NAME_PREFIX = "dvm-advisor-probe-"
BOOT_MARKER = "DVM_ADVISOR_GUEST_UP"
POWEROFF_MARKER = "DVM_ADVISOR_GUEST_POWEROFF"
# The kernel hands unknown `name=value` parameters to /init as environment variables: a boot
# with this one only proves that the guest reaches user space, and skips the workload.
TRIAL_BOOT_PARAMETER = "dvm_advisor_mode=trial"

DEBIAN_KERNEL_METAPACKAGE = "linux-image-cloud-amd64"
APT_LISTS_GLOB = "/var/lib/apt/lists/*_Packages*"

_BZIMAGE_MAGIC_OFFSET = 0x202
_BZIMAGE_MAGIC = b"HdrS"

ProgressNote = Callable[[str], None]


class KernelSource(FrozenModel):
    """Where the guest kernel came from."""

    kind: Literal["configured", "package", "boot"]
    path: FilePath  # the file that was used (for a package: the unpacked copy in the cache)
    package: Label | None = None
    version: Label | None = None

    def describe(self) -> str:
        """One phrase for a report line."""
        if self.kind == "package":
            return f"distribution package {self.package} {self.version}"
        if self.kind == "boot":
            return f"host kernel {self.path}"
        return f"configured kernel {self.path}"


class GuestAssets(FrozenModel):
    """A bootable kernel and initramfs, and how big they are."""

    kernel: Path
    initrd: Path
    kernel_source: KernelSource
    initrd_built: bool  # False when the user configured their own initramfs
    disk_bytes: int


class GuestAssetsUnavailable(Exception):
    """No kernel or initramfs could be had; `fix` names the step that would give one."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


class _StepFailed(Exception):
    """One source of a kernel did not work; the next one is tried.

    `fix` is what would make this source work, where it is not the usual one.
    """

    def __init__(self, reason: str, fix: str | None = None) -> None:
        super().__init__(reason)
        self.fix = fix


class _PackageRecord(FrozenModel):
    """What apt said about the kernel package, remembered while the package lists stay as
    they are (`apt-cache` can take a second per call when apt keeps no binary cache)."""

    lists_fingerprint: str
    package: str
    version: str
    sha256: str
    download_bytes: int | None  # the package file, as apt lists it
    unpacked_bytes: int | None  # everything it holds once unpacked


def default_cache_dir() -> Path:
    """The per-user cache directory of the app."""
    return Path(platformdirs.user_cache_dir("dvm-advisor"))


def guest_cache_dir(cache_dir: Path) -> Path:
    """Where guest kernels and initramfs archives are kept inside the app's cache."""
    return cache_dir / "guest"


def init_script() -> str:
    """The guest's /init: marker, workload (unless a trial boot), marker, power off."""
    return "\n".join(
        (
            "#!/bin/busybox sh",
            "/bin/busybox mount -t proc proc /proc",
            "/bin/busybox --install -s /bin",
            "export PATH=/bin",
            f"echo {BOOT_MARKER}",
            f'if [ "$dvm_advisor_mode" != trial ]; then {WORKLOAD_SCRIPT}; fi',
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


def is_bzimage(path: Path) -> bool:
    """Whether `path` starts like an x86 Linux kernel image (the boot protocol's "HdrS")."""
    with path.open("rb") as kernel:
        kernel.seek(_BZIMAGE_MAGIC_OFFSET)
        return kernel.read(len(_BZIMAGE_MAGIC)) == _BZIMAGE_MAGIC


def prepare_guest_assets(
    cache_dir: Path,
    configured_kernel: Path | None = None,
    configured_initrd: Path | None = None,
    cancel: CancelToken | None = None,
    note: ProgressNote | None = None,
    command_timeout_seconds: float = 300.0,
    allow_download: bool = True,
) -> GuestAssets:
    """A kernel and an initramfs ready to boot, from the first source that has them.

    With `allow_download` off, the distribution's kernel package is used only when it is
    already in the cache. Raises GuestAssetsUnavailable with the reason and the step that
    would fix it, also when the cache cannot be written or its disk is full.
    """
    try:
        return _prepare(
            cache_dir,
            configured_kernel,
            configured_initrd,
            cancel or CancelToken(),
            note or (lambda _step: None),
            command_timeout_seconds,
            allow_download,
        )
    except OSError as error:
        if error.errno not in CACHE_WRITE_ERRORS:
            raise
        raise GuestAssetsUnavailable(*explain_cache_error(error, cache_dir)) from error


# What writing to the cache fails with when the folder is closed, read-only or full.
CACHE_WRITE_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT})


def explain_cache_error(error: OSError, cache_dir: Path) -> tuple[str, str]:
    """The reason and fix for a cache folder the probe cannot write to."""
    where = error.filename or cache_dir
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"no space left in the cache folder {cache_dir} for the guest's kernel and "
            f"initramfs ({error.strerror} writing {where})",
            f"free some space on the disk that holds {cache_dir}, or point XDG_CACHE_HOME at "
            "a folder with room",
        )
    return (
        f"the cache folder {cache_dir} cannot be written ({error.strerror}: {where})",
        f"make {cache_dir} writable for this user, or point XDG_CACHE_HOME at a writable folder",
    )


def _prepare(
    cache_dir: Path,
    configured_kernel: Path | None,
    configured_initrd: Path | None,
    cancel: CancelToken,
    note: ProgressNote,
    command_timeout_seconds: float,
    allow_download: bool,
) -> GuestAssets:
    guest_dir = guest_cache_dir(cache_dir)
    make_private_dir(guest_dir)
    source = _find_kernel(
        guest_dir, configured_kernel, cancel, note, command_timeout_seconds, allow_download
    )
    cancel.raise_if_cancelled()
    if configured_initrd is not None:
        initrd = _check_configured_file(configured_initrd, "initramfs")
        built = False
    else:
        note("building initramfs")
        initrd = _cached_initramfs(guest_dir)
        built = True
    return GuestAssets(
        kernel=source.path,
        initrd=initrd,
        kernel_source=source,
        initrd_built=built,
        disk_bytes=source.path.stat().st_size + initrd.stat().st_size,
    )


def _find_kernel(
    guest_dir: Path,
    configured: Path | None,
    cancel: CancelToken,
    note: ProgressNote,
    timeout: float,
    allow_download: bool,
) -> KernelSource:
    if configured is not None:
        path = _check_configured_file(configured, "kernel")
        if not is_bzimage(path):
            raise GuestAssetsUnavailable(
                f"the configured kernel {path} is not a Linux kernel image (no bzImage header)",
                "set the VM kernel setting to a bzImage such as /boot/vmlinuz-<version>",
            )
        return KernelSource(kind="configured", path=path)
    failures: list[str] = []
    package_fix = (
        f"run `apt-get update` so that `apt-get download {DEBIAN_KERNEL_METAPACKAGE}` works"
    )
    if platform.machine() in ("x86_64", "AMD64") and shutil.which("apt-get"):
        try:
            return _debian_package_kernel(guest_dir, cancel, note, timeout, allow_download)
        except _StepFailed as failure:
            failures.append(f"distribution package: {failure}")
            package_fix = failure.fix or package_fix
    boot_kernel = readable_boot_kernel()
    if boot_kernel is not None:
        return KernelSource(kind="boot", path=boot_kernel)
    failures.append("/boot: no kernel image this user can read")
    raise GuestAssetsUnavailable(
        "no guest kernel could be found (" + "; ".join(failures) + ")",
        f"{package_fix}, or set the VM kernel setting to a readable kernel image (bzImage)",
    )


def _check_configured_file(path: Path, what: str) -> Path:
    resolved = path.expanduser()
    if not resolved.is_file() or not os.access(resolved, os.R_OK):
        raise GuestAssetsUnavailable(
            f"the configured {what} {resolved} does not exist or is not readable",
            f"set the VM {what} setting to a readable file, or clear it to let the probe find one",
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


def _debian_package_kernel(
    guest_dir: Path, cancel: CancelToken, note: ProgressNote, timeout: float, allow_download: bool
) -> KernelSource:
    record = _kernel_package_record(guest_dir, cancel, note, timeout)
    kernel_dir = guest_dir / "kernels" / record.sha256[:16]
    cached = sorted(kernel_dir.glob("vmlinuz-*")) if kernel_dir.is_dir() else []
    if cached:
        return _package_source(cached[0], record)
    if not allow_download:
        raise _StepFailed(
            f"{record.package} is not in the cache and downloading it is turned off",
            "turn the kernel download on in the probe settings",
        )
    _check_room_for(record, guest_dir)
    note(f"downloading {record.package} {record.version}")
    # Named like the probe's other run files, so that a killed run's download is swept.
    download_prefix = f"{PROBE_NAME_PREFIX}{os.getpid()}-download-"
    with tempfile.TemporaryDirectory(prefix=download_prefix, dir=guest_dir) as work:
        work_dir = Path(work)
        download = ["apt-get", "download", f"{record.package}={record.version}"]
        _command(download, timeout, cancel, work_dir)
        debs = sorted(work_dir.glob("*.deb"))
        if len(debs) != 1:
            raise _StepFailed(f"apt-get download left {len(debs)} packages, expected one")
        if _sha256_of_file(debs[0]) != record.sha256:
            raise _StepFailed(f"{debs[0].name} does not match the SHA-256 apt lists for it")
        note(f"unpacking {debs[0].name}")
        unpacked = work_dir / "unpacked"
        _command(["dpkg-deb", "-x", str(debs[0]), str(unpacked)], timeout, cancel)
        images = sorted((unpacked / "boot").glob("vmlinuz-*"))
        if len(images) != 1 or not is_bzimage(images[0]):
            raise _StepFailed(f"{debs[0].name} holds no single boot/vmlinuz-* kernel image")
        kernel = write_private_file(images[0].read_bytes(), kernel_dir / images[0].name)
    _remove_siblings(kernel_dir)
    return _package_source(kernel, record)


def _check_room_for(record: _PackageRecord, guest_dir: Path) -> None:
    """Refuse a download that the cache's disk cannot hold, before spending time on it."""
    needed = (record.download_bytes or 0) + (record.unpacked_bytes or 0)
    free = shutil.disk_usage(guest_dir).free
    if needed > free:
        raise _StepFailed(
            f"no space left in {guest_dir} to unpack {record.package}: it needs about "
            f"{needed / 1e6:.0f} MB while unpacked, and {free / 1e6:.1f} MB are free",
            f"free some space on the disk that holds {guest_dir}, or point XDG_CACHE_HOME at "
            "a folder with room",
        )


def _package_source(kernel: Path, record: _PackageRecord) -> KernelSource:
    return KernelSource(kind="package", path=kernel, package=record.package, version=record.version)


def _kernel_package_record(
    guest_dir: Path, cancel: CancelToken, note: ProgressNote, timeout: float
) -> _PackageRecord:
    record_file = guest_dir / "kernel-package.json"
    fingerprint = _apt_lists_fingerprint()
    try:
        remembered = _PackageRecord.model_validate_json(record_file.read_text())
        if remembered.lists_fingerprint == fingerprint:
            return remembered
    except (OSError, ValidationError):
        pass  # nothing remembered yet, or from another layout: ask apt again
    note(f"resolving {DEBIAN_KERNEL_METAPACKAGE}")
    meta = _apt_show(DEBIAN_KERNEL_METAPACKAGE, cancel, timeout)
    versioned = [
        name
        for name in (part.strip().split(" ")[0] for part in meta.get("Depends", "").split(","))
        if name.startswith("linux-image-")
    ]
    if not versioned:
        raise _StepFailed(f"{DEBIAN_KERNEL_METAPACKAGE} depends on no linux-image-* package")
    package = _apt_show(versioned[0], cancel, timeout)
    if "Version" not in package or "SHA256" not in package:
        raise _StepFailed(f"apt-cache shows no Version or SHA256 for {versioned[0]}")
    record = _PackageRecord(
        lists_fingerprint=fingerprint,
        package=versioned[0],
        version=package["Version"],
        sha256=package["SHA256"],
        download_bytes=_whole_number(package.get("Size")),
        unpacked_bytes=_kibibytes(package.get("Installed-Size")),
    )
    write_private_file(record.model_dump_json().encode(), guest_dir / record_file.name)
    return record


def _whole_number(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def _kibibytes(text: str | None) -> int | None:
    number = _whole_number(text)
    return number * 1024 if number is not None else None


def _apt_lists_fingerprint() -> str:
    digest = hashlib.sha256(DEBIAN_KERNEL_METAPACKAGE.encode())
    for path in sorted(glob.glob(APT_LISTS_GLOB)):
        info = os.stat(path)
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _apt_show(package: str, cancel: CancelToken, timeout: float) -> dict[str, str]:
    output = _command(["apt-cache", "show", "--no-all-versions", package], timeout, cancel)
    fields: dict[str, str] = {}
    for line in output.splitlines():
        if not line.strip():
            break  # only the first record
        name, separator, value = line.partition(":")
        if separator and not line.startswith(" "):
            fields[name] = value.strip()
    if not fields:
        raise _StepFailed(f"apt-cache knows no package {package}")
    return fields


def _cached_initramfs(guest_dir: Path) -> Path:
    entries = initramfs_entries(static_busybox())
    initramfs_dir = guest_dir / "initramfs"
    name = f"initramfs-{entries_digest(entries)[:16]}.cpio.gz"
    if (initramfs_dir / name).is_file():
        return initramfs_dir / name
    archive = gzipped_newc_archive(entries)
    path = write_private_file(archive, initramfs_dir / name)
    _remove_siblings(path)
    return path


def static_busybox() -> bytes:
    """The bytes of the host's statically linked busybox, which runs inside the guest."""
    path = find_static_busybox()
    if path is None:
        raise GuestAssetsUnavailable(
            "no statically linked busybox on this host to put in the guest's initramfs",
            BUSYBOX_FIX,
        )
    return path.read_bytes()


def _command(
    args: Sequence[str], timeout: float, cancel: CancelToken, cwd: Path | None = None
) -> str:
    try:
        return run_command(args, timeout, cancel, cwd)
    except CommandFailed as failure:
        raise _StepFailed(str(failure)) from failure


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _remove_siblings(keep: Path) -> None:
    """Drop what older versions left beside `keep` (another kernel, another initramfs)."""
    for sibling in keep.parent.iterdir():
        if sibling.name == keep.name:
            continue
        if sibling.is_dir():
            shutil.rmtree(sibling, ignore_errors=True)
        else:
            sibling.unlink(missing_ok=True)
