"""The guest kernel unpacked from its bzImage once, used only when QEMU can enter it (PVH)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import shutil
import stat
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.probes.kernel_image import (
    compressed_payload,
    decompress_kernel,
    has_pvh_entry,
    uncompressed_kernel,
)
from tests.integration.conftest import daemon_missing

PVH_NOTE_TYPE = 18


def note(name: bytes, kind: int, description: bytes) -> bytes:
    def padded(data: bytes) -> bytes:
        return data + b"\0" * (-len(data) % 4)

    return (
        struct.pack("<III", len(name), len(description), kind) + padded(name) + padded(description)
    )


def elf_image(notes: bytes, body: bytes = b"kernel text " * 64) -> bytes:
    """A 64-bit little-endian ELF image with one PT_NOTE program header holding `notes`."""
    header_size, program_header_size = 64, 56
    notes_offset = header_size + program_header_size
    header = (
        b"\x7fELF"
        + bytes([2, 1, 1])
        + b"\0" * 9
        + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x1000000, header_size, 0, 0, 64, 56, 1, 0, 0, 0)
    )
    program_header = struct.pack("<IIQQQQQQ", 4, 4, notes_offset, 0, 0, len(notes), len(notes), 4)
    return header + program_header + notes + body


PVH_ELF = elf_image(note(b"Xen\0", 6, b"linux\0") + note(b"Xen\0", PVH_NOTE_TYPE, b"\0" * 8))
PLAIN_ELF = elf_image(note(b"GNU\0", 3, b"\1" * 20))


def bzimage(payload: bytes, version: int = 0x20F) -> bytes:
    """A bzImage-shaped file: a setup header naming `payload` (with its size appended)."""
    setup_sectors = 4
    setup = bytearray((setup_sectors + 1) * 512)
    setup[0x1F1] = setup_sectors
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, version)
    decompressor = b"\x90" * 300
    struct.pack_into("<II", setup, 0x248, len(decompressor), len(payload))
    return bytes(setup) + decompressor + payload + b"\0" * 16


def with_size(compressed: bytes, original: bytes) -> bytes:
    return compressed + struct.pack("<I", len(original))


COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,  # gzip ends with the size itself, as the kernel's build leaves it
    "xz": lambda data: with_size(lzma.compress(data, check=lzma.CHECK_CRC32), data),
    "lzma": lambda data: with_size(lzma.compress(data, format=lzma.FORMAT_ALONE), data),
    "bzip2": lambda data: with_size(bz2.compress(data), data),
}


@pytest.mark.parametrize("compressor", COMPRESSORS)
def test_each_compression_gives_back_the_kernels_elf_image(compressor: str) -> None:
    image = bzimage(COMPRESSORS[compressor](PVH_ELF))

    payload = compressed_payload(image)

    assert payload is not None
    assert decompress_kernel(payload) == PVH_ELF


def test_an_lz4_kernel_as_debian_builds_it_is_unpacked_by_the_tool() -> None:
    if shutil.which("lz4") is None:
        daemon_missing("no lz4 tool here: scripts/provision-host test installs it")
    legacy = subprocess.run(
        ["lz4", "-l", "-c"], input=PVH_ELF, capture_output=True, check=True
    ).stdout
    payload = compressed_payload(bzimage(with_size(legacy, PVH_ELF)))

    assert payload is not None and decompress_kernel(payload) == PVH_ELF


def test_a_stream_that_comes_out_short_is_not_used() -> None:
    payload = COMPRESSORS["xz"](PVH_ELF)
    claims_more = payload[:-4] + struct.pack("<I", len(PVH_ELF) + 1)

    assert decompress_kernel(claims_more) is None
    assert decompress_kernel(b"\x1f\x8b" + b"not gzip at all") is None


def test_only_a_kernel_with_the_pvh_entry_note_is_entered_directly() -> None:
    assert has_pvh_entry(io.BytesIO(PVH_ELF))
    assert not has_pvh_entry(io.BytesIO(PLAIN_ELF))
    assert not has_pvh_entry(io.BytesIO(PVH_ELF[:100]))
    assert not has_pvh_entry(io.BytesIO(b"MZ" + PVH_ELF[2:]))


def test_an_old_boot_protocol_names_no_payload() -> None:
    assert compressed_payload(bzimage(gzip.compress(PVH_ELF), version=0x207)) is None


def test_the_image_is_made_once_privately_and_a_kernel_without_pvh_boots_as_it_is(
    tmp_path: Path,
) -> None:
    with_pvh = tmp_path / "vmlinuz-pvh"
    with_pvh.write_bytes(bzimage(gzip.compress(PVH_ELF)))
    without = tmp_path / "vmlinuz-plain"
    without.write_bytes(bzimage(gzip.compress(PLAIN_ELF)))
    cache = tmp_path / "cache"

    made = uncompressed_kernel(with_pvh, cache)

    assert made is not None and made.read_bytes() == PVH_ELF
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert uncompressed_kernel(with_pvh, cache) == made
    assert uncompressed_kernel(without, cache) is None
    assert sorted(path.name for path in cache.iterdir()) == [made.name, f"{made.name}.sha256"]
    # An image that is not what was written is made again.
    made.write_bytes(PLAIN_ELF)
    assert uncompressed_kernel(with_pvh, cache) == made
    assert made.read_bytes() == PVH_ELF


def test_a_cache_that_cannot_take_the_image_boots_the_bzimage(tmp_path: Path) -> None:
    kernel = tmp_path / "vmlinuz"
    kernel.write_bytes(bzimage(gzip.compress(PVH_ELF)))
    taken = tmp_path / "a file where the cache folder should be"
    taken.write_text("")

    assert uncompressed_kernel(kernel, taken / "cache") is None
