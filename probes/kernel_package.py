"""A guest kernel from the distribution's kernel package, unpacked without installing it.

On Debian, `linux-image-cloud-amd64` resolves to a versioned `linux-image-<ver>-cloud-amd64`,
fetched with `apt-get download`, checked against the SHA-256 apt lists for it, and unpacked
with `dpkg-deb -x`, keeping only `boot/vmlinuz-*` in the cache. What apt said is remembered
while its package lists stay as they are.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from advisor.base.files import write_private_file
from advisor.base.i18n import _
from advisor.base.models import FrozenModel
from advisor.probes.cache_holds import CacheHolds, remove_unless_held
from advisor.probes.cache_trust import (
    DIGEST_SUFFIX,
    read_cached,
    trusted_if_present,
    write_cached,
)
from advisor.probes.commands import CommandFailed, run_command
from advisor.probes.control import CancelToken
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.leftovers import run_name
from advisor.probes.results import KernelSource

DEBIAN_KERNEL_METAPACKAGE = "linux-image-cloud-amd64"
APT_LISTS_GLOB = "/var/lib/apt/lists/*_Packages*"

_BZIMAGE_MAGIC_OFFSET = 0x202
_BZIMAGE_MAGIC = b"HdrS"

ProgressNote = Callable[[str], None]


class PackageRecord(FrozenModel):
    """What apt said about the kernel package, remembered while the package lists stay as
    they are (`apt-cache` can take a second per call when apt keeps no binary cache)."""

    lists_fingerprint: str
    package: str
    version: str
    sha256: str
    download_bytes: int | None  # the package file, as apt lists it
    unpacked_bytes: int | None  # everything it holds once unpacked


def is_bzimage(path: Path) -> bool:
    """Whether `path` starts like an x86 Linux kernel image (the boot protocol's "HdrS")."""
    with path.open("rb") as kernel:
        kernel.seek(_BZIMAGE_MAGIC_OFFSET)
        return kernel.read(len(_BZIMAGE_MAGIC)) == _BZIMAGE_MAGIC


@dataclass(frozen=True)
class KernelSearch:
    """What a run's search for a guest kernel works with: the guest cache folder, the run's
    cancel token and progress notes, the time each command may take, whether the
    distribution's kernel may be downloaded, and the run's holds on cached files."""

    guest_dir: Path
    cancel: CancelToken
    note: ProgressNote
    timeout: float
    allow_download: bool
    holds: CacheHolds


def debian_package_kernel(search: KernelSearch) -> KernelSource:
    """The distribution's kernel, from the cache or downloaded into it, held by the run's
    holds; older kernels no live run holds are removed."""
    guest_dir, cancel, note, timeout = search.guest_dir, search.cancel, search.note, search.timeout
    holds = search.holds
    record = kernel_package_record(guest_dir, cancel, note, timeout)
    kernel_dir = guest_dir / "kernels" / record.sha256[:16]
    # Looked into only once trusted; made only when a kernel is unpacked into it.
    present = trusted_if_present(kernel_dir.parent) and trusted_if_present(kernel_dir)
    for cached in sorted(kernel_dir.glob("vmlinuz-*")) if present else ():
        # Only the kernel the probe unpacked and recorded; a link or a changed file is not.
        if cached.name.endswith(DIGEST_SUFFIX) or not holds.hold(cached):
            continue
        if read_cached(cached) is not None:
            _remove_older(cached, kernel_dir)
            return _package_source(cached, record)
    if not search.allow_download:
        raise ProbeUnavailable(
            _("{package} is not in the cache and downloading it is turned off").format(
                package=record.package
            ),
            _("turn the kernel download on in the probe settings"),
        )
    _check_room_for(record, guest_dir)
    note(
        _("downloading {package} {version}").format(package=record.package, version=record.version)
    )
    # Named like the probe's other run files, so that a killed run's download is swept.
    download_prefix = run_name(token="download-")
    with tempfile.TemporaryDirectory(prefix=download_prefix, dir=guest_dir) as work:
        work_dir = Path(work)
        download = ["apt-get", "download", f"{record.package}={record.version}"]
        apt_command(download, timeout, cancel, work_dir)
        debs = sorted(work_dir.glob("*.deb"))
        if len(debs) != 1:
            raise ProbeUnavailable(
                _("apt-get download left {count} packages, expected one").format(count=len(debs))
            )
        if _sha256_of_file(debs[0]) != record.sha256:
            raise ProbeUnavailable(
                _("{file} does not match the SHA-256 apt lists for it").format(file=debs[0].name)
            )
        note(_("unpacking {file}").format(file=debs[0].name))
        unpacked = work_dir / "unpacked"
        apt_command(["dpkg-deb", "-x", str(debs[0]), str(unpacked)], timeout, cancel)
        images = sorted((unpacked / "boot").glob("vmlinuz-*"))
        if len(images) != 1 or not is_bzimage(images[0]):
            raise ProbeUnavailable(
                _("{file} holds no single boot/vmlinuz-* kernel image").format(file=debs[0].name)
            )
        image = images[0].read_bytes()
        _check_package_checksum(debs[0], images[0].relative_to(unpacked), image, timeout, cancel)
        kernel = write_cached(image, kernel_dir / images[0].name)
    holds.hold(kernel)
    _remove_older(kernel, kernel_dir)
    return _package_source(kernel, record)


def _remove_older(kernel: Path, kernel_dir: Path) -> None:
    """Remove other kernels beside `kernel`, and folders of other packages, no run holds."""
    remove_siblings(kernel)
    remove_siblings(kernel_dir)


def _check_package_checksum(
    deb: Path, member: Path, data: bytes, timeout: float, cancel: CancelToken
) -> None:
    """Check an unpacked file against the MD5 sum its package lists for it (DEBIAN/md5sums)."""
    listed = apt_command(["dpkg-deb", "--info", str(deb), "md5sums"], timeout, cancel)
    sums = {
        name.strip(): checksum
        for checksum, _space, name in (line.partition(" ") for line in listed.splitlines())
    }
    if sums.get(str(member)) != hashlib.md5(data, usedforsecurity=False).hexdigest():
        raise ProbeUnavailable(
            _("{member} in {file} does not match the package's own checksum").format(
                member=member, file=deb.name
            )
        )


def _check_room_for(record: PackageRecord, guest_dir: Path) -> None:
    """Refuse a download that the cache's disk cannot hold, before spending time on it."""
    needed = (record.download_bytes or 0) + (record.unpacked_bytes or 0)
    free = shutil.disk_usage(guest_dir).free
    if needed > free:
        raise ProbeUnavailable(
            _(
                "no space left in {folder} to unpack {package}: it needs about "
                "{needed:.0f} MB while unpacked, and {free:.1f} MB are free"
            ).format(
                folder=guest_dir, package=record.package, needed=needed / 1e6, free=free / 1e6
            ),
            _(
                "free some space on the disk that holds {folder}, or point XDG_CACHE_HOME at "
                "a folder with room"
            ).format(folder=guest_dir),
        )


def _package_source(kernel: Path, record: PackageRecord) -> KernelSource:
    return KernelSource(kind="package", path=kernel, package=record.package, version=record.version)


def kernel_package_record(
    guest_dir: Path, cancel: CancelToken, note: ProgressNote, timeout: float
) -> PackageRecord:
    record_file = guest_dir / "kernel-package.json"
    fingerprint = _apt_lists_fingerprint()
    try:
        remembered = PackageRecord.model_validate_json(record_file.read_text())
        if remembered.lists_fingerprint == fingerprint:
            return remembered
    except (OSError, ValidationError):
        pass  # nothing remembered yet, or from another layout: ask apt again
    note(_("resolving {package}").format(package=DEBIAN_KERNEL_METAPACKAGE))
    meta = _apt_show(DEBIAN_KERNEL_METAPACKAGE, cancel, timeout)
    versioned = [
        name
        for name in (part.strip().split(" ")[0] for part in meta.get("Depends", "").split(","))
        if name.startswith("linux-image-")
    ]
    if not versioned:
        raise ProbeUnavailable(
            _("{package} depends on no linux-image-* package").format(
                package=DEBIAN_KERNEL_METAPACKAGE
            )
        )
    package = _apt_show(versioned[0], cancel, timeout)
    if "Version" not in package or "SHA256" not in package:
        raise ProbeUnavailable(
            _("apt-cache shows no Version or SHA256 for {package}").format(package=versioned[0])
        )
    record = PackageRecord(
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
    output = apt_command(["apt-cache", "show", "--no-all-versions", package], timeout, cancel)
    fields: dict[str, str] = {}
    for line in output.splitlines():
        if not line.strip():
            break  # only the first record
        name, separator, value = line.partition(":")
        if separator and not line.startswith(" "):
            fields[name] = value.strip()
    if not fields:
        raise ProbeUnavailable(_("apt-cache knows no package {package}").format(package=package))
    return fields


def apt_command(
    args: Sequence[str], timeout: float, cancel: CancelToken, cwd: Path | None = None
) -> str:
    """Run one of apt's or dpkg's commands; its failure means this source gave no kernel."""
    try:
        return run_command(args, timeout, cancel, cwd)
    except CommandFailed as failure:
        raise ProbeUnavailable(str(failure)) from failure


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def remove_siblings(keep: Path) -> None:
    """Drop what older versions left beside `keep` (another kernel, another initramfs) that
    no live run holds (probes/cache_holds.py); the digest recorded for each file kept stays
    with it."""
    kept = {keep.name}
    for sibling in sorted(keep.parent.iterdir()):
        if sibling.name == keep.name or sibling.name.endswith(DIGEST_SUFFIX):
            continue
        if not remove_unless_held(sibling):
            kept.add(sibling.name)
    for digest in keep.parent.glob(f"*{DIGEST_SUFFIX}"):
        if digest.name.removesuffix(DIGEST_SUFFIX) not in kept:
            digest.unlink(missing_ok=True)
