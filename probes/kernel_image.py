"""The guest kernel as microVMs boot it: uncompressed, entered directly (PVH), made once.

A bzImage carries the kernel compressed, behind a decompressor that runs inside the guest.
Under software emulation (TCG) that decompressor is emulated too, and costs a second or more
of every boot before the kernel itself starts; QEMU can instead load the kernel's ELF image
itself and enter it at its PVH entry point, as Firecracker boots its guests. The ELF image is
unpacked from the bzImage once (the boot protocol's `payload_offset` and `payload_length`
name the compressed kernel inside it), kept in the cache beside the initramfs, and used only
when it has the PVH entry note; otherwise the bzImage boots as before.

The compressors the kernel's build offers are all read: gzip, xz, lzma and bzip2 by Python
itself, LZ4 (Debian's kernels) and zstd by their command-line tools when they are installed.
"""

from __future__ import annotations

import bz2
import hashlib
import io
import lzma
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from advisor.probes.cache_holds import CacheHolds
from advisor.probes.cache_trust import read_cached, trusted_folder, write_cached
from advisor.probes.kernel_package import remove_siblings

# The x86 boot protocol's setup header (Documentation/arch/x86/boot.rst).
_SETUP_SECTS_OFFSET = 0x1F1
_VERSION_OFFSET = 0x206
_PAYLOAD_OFFSET = 0x248  # payload_offset, then payload_length, both 32-bit
_PAYLOAD_SINCE_VERSION = 0x208
_ELF_MAGIC = b"\x7fELF"
_PT_NOTE = 4
_XEN_NOTE_NAME = b"Xen\x00"
_XEN_ELFNOTE_PHYS32_ENTRY = 18  # the PVH entry point QEMU boots
_TOOL_TIMEOUT_SECONDS = 60.0
_MAX_KERNEL_BYTES = 512 * 1024 * 1024
_MAX_NOTES = 64 * 1024
UNCOMPRESSED_PREFIX = "vmlinux-"


def _with_tool(tool: str) -> Callable[[bytes], bytes | None]:
    def decompress(data: bytes) -> bytes | None:
        path = shutil.which(tool)
        if path is None:
            return None
        try:
            done = subprocess.run(
                [path, "-d", "-c"],
                input=data,
                capture_output=True,
                timeout=_TOOL_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        # The tool takes the size appended after the stream for more input it cannot read and
        # exits non-zero; what it wrote is checked against that size instead.
        return done.stdout

    return decompress


def _with_decompressor(make: Callable[[], Any]) -> Callable[[bytes], bytes | None]:
    def decompress(data: bytes) -> bytes | None:
        # A decompressor object stops at the end of its stream, before the appended size.
        return bytes(make().decompress(data))

    return decompress


# Each compressor's magic bytes, and how to undo it; None when it cannot be done here.
_DECOMPRESSORS: tuple[tuple[bytes, Callable[[bytes], bytes | None]], ...] = (
    (b"\x1f\x8b", _with_decompressor(lambda: zlib.decompressobj(wbits=31))),
    (b"\xfd7zXZ\x00", _with_decompressor(lambda: lzma.LZMADecompressor(lzma.FORMAT_XZ))),
    (b"\x5d\x00\x00", _with_decompressor(lambda: lzma.LZMADecompressor(lzma.FORMAT_ALONE))),
    (b"BZh", _with_decompressor(bz2.BZ2Decompressor)),
    (b"\x02\x21\x4c\x18", _with_tool("lz4")),
    (b"\x28\xb5\x2f\xfd", _with_tool("zstd")),
)


def compressed_payload(image: bytes) -> bytes | None:
    """The compressed kernel a bzImage carries; None for an older or malformed image."""
    if len(image) < _PAYLOAD_OFFSET + 8:
        return None
    (version,) = struct.unpack_from("<H", image, _VERSION_OFFSET)
    if version < _PAYLOAD_SINCE_VERSION:
        return None
    setup_sectors = image[_SETUP_SECTS_OFFSET] or 4
    offset, length = struct.unpack_from("<II", image, _PAYLOAD_OFFSET)
    start = (setup_sectors + 1) * 512 + offset
    payload = image[start : start + length]
    return payload if len(payload) == length and length else None


def decompress_kernel(payload: bytes) -> bytes | None:
    """The kernel's ELF image from its compressed payload, whose last four bytes are the
    image's size; None when it cannot be undone here or does not come out whole."""
    if len(payload) < 8:
        return None
    (size,) = struct.unpack_from("<I", payload, len(payload) - 4)
    for magic, decompress in _DECOMPRESSORS:
        if payload.startswith(magic):
            try:
                elf = decompress(payload)
            except (OSError, EOFError, ValueError, lzma.LZMAError, zlib.error):
                return None
            whole = elf is not None and len(elf) == size and elf.startswith(_ELF_MAGIC)
            return elf if whole else None
    return None


def has_pvh_entry(elf: BinaryIO) -> bool:
    """Whether a 64-bit little-endian ELF image carries the PVH entry note QEMU boots; only
    its headers and notes are read."""
    header = _read_at(elf, 0, 64)
    if len(header) < 64 or not header.startswith(_ELF_MAGIC) or header[4:6] != b"\x02\x01":
        return False
    (program_offset,) = struct.unpack_from("<Q", header, 0x20)
    entry_size, entries = struct.unpack_from("<HH", header, 0x36)
    for index in range(entries):
        program_header = _read_at(elf, program_offset + index * entry_size, 56)
        if len(program_header) < 56:
            return False
        kind, _flags, offset, _vaddr, _paddr, size = struct.unpack_from("<IIQQQQ", program_header)
        if kind == _PT_NOTE and _notes_hold_pvh(_read_at(elf, offset, min(size, _MAX_NOTES))):
            return True
    return False


def _read_at(stream: BinaryIO, offset: int, size: int) -> bytes:
    stream.seek(offset)
    return stream.read(size)


def _notes_hold_pvh(notes: bytes) -> bool:
    position = 0
    while position + 12 <= len(notes):
        name_size, description_size, kind = struct.unpack_from("<III", notes, position)
        name_start = position + 12
        name = notes[name_start : name_start + name_size]
        if name == _XEN_NOTE_NAME and kind == _XEN_ELFNOTE_PHYS32_ENTRY:
            return True
        position = name_start + _aligned(name_size) + _aligned(description_size)
    return False


def _aligned(size: int) -> int:
    return (size + 3) & ~3


def uncompressed_kernel(
    bzimage: Path, cache_dir: Path, holds: CacheHolds | None = None
) -> Path | None:
    """The bzImage's kernel as an ELF image QEMU enters directly, made once in `cache_dir`
    (named after the bzImage's content); None when the kernel has no PVH entry or its
    compression cannot be undone here or the cache has no room for it, and the bzImage is
    booted instead. Kept as every cached file is (probes/cache_trust.py): an image that does
    not match the digest recorded beside it is made again, and a folder that cannot be
    trusted raises ProbeUnavailable. The image is held by `holds` for the run (without
    `holds`, while it is made); those of other kernels no live run holds are removed."""
    if holds is None:
        held = CacheHolds()
        try:
            return uncompressed_kernel(bzimage, cache_dir, held)
        finally:
            held.release()
    image = bzimage.read_bytes()
    try:
        folder = trusted_folder(cache_dir)
    except OSError:
        return None  # the folder cannot be made: boot the bzImage
    cached = folder / f"{UNCOMPRESSED_PREFIX}{hashlib.sha256(image).hexdigest()[:16]}"
    if holds.hold(cached) and read_cached(cached) is not None:  # checked against its digest
        remove_siblings(cached)  # the images of kernels no longer used, once no run holds them
        return cached
    payload = compressed_payload(image)
    elf = decompress_kernel(payload) if payload is not None else None
    if elf is None or len(elf) > _MAX_KERNEL_BYTES or not has_pvh_entry(io.BytesIO(elf)):
        return None
    try:
        written = write_cached(elf, cached)
    except OSError:
        return None  # no room for it (it is some four times the bzImage): boot the bzImage
    holds.hold(written)
    remove_siblings(written)
    return written
