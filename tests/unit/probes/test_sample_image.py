"""The sample image's root file system: a static busybox found, packed repeatably, tagged by
its content; no static busybox means `unavailable` with the install command."""

from __future__ import annotations

import io
import struct
import sys
import tarfile
from pathlib import Path

import pytest

from advisor.probes.errors import ProbeUnavailable
from advisor.probes.leftovers import run_in_progress, run_name
from advisor.probes.sample_image import (
    APPLETS,
    BUSYBOX_FIX,
    SAMPLE_REPOSITORY,
    build_rootfs_tar,
    find_static_busybox,
    is_leftover_tag,
    is_sample_tag,
    is_static_elf,
    prepare_sample_image,
    run_tag,
    sample_tag,
)

PT_LOAD = 1
PT_INTERP = 3


def elf64(segment_types: list[int]) -> bytes:
    """A minimal little-endian 64-bit ELF header followed by its program headers."""
    header = bytearray(64)
    header[:4] = b"\x7fELF"
    header[4] = 2  # 64-bit
    header[5] = 1  # little-endian
    struct.pack_into("<Q", header, 0x20, 64)  # program headers right after the header
    struct.pack_into("<HH", header, 0x36, 56, len(segment_types))
    table = b"".join(struct.pack("<I", kind) + bytes(52) for kind in segment_types)
    return bytes(header) + table


def test_an_executable_with_an_interpreter_is_dynamic() -> None:
    assert is_static_elf(elf64([PT_LOAD, PT_INTERP, PT_LOAD])) is False
    assert is_static_elf(elf64([PT_LOAD, PT_LOAD])) is True


def test_truncated_or_foreign_files_are_not_static_executables() -> None:
    assert is_static_elf(elf64([PT_LOAD])[:70]) is False
    assert is_static_elf(b"#!/bin/sh\necho hello\n" * 4) is False
    assert is_static_elf(b"") is False


def test_the_python_interpreter_is_recognised_as_dynamic() -> None:
    assert is_static_elf(Path(sys.executable).resolve().read_bytes()) is False


def test_only_a_static_busybox_is_chosen(tmp_path: Path) -> None:
    dynamic = tmp_path / "dynamic"
    dynamic.write_bytes(elf64([PT_INTERP]))
    static = tmp_path / "static"
    static.write_bytes(elf64([PT_LOAD]))
    assert find_static_busybox((tmp_path / "absent", dynamic, static)) == static
    assert find_static_busybox((dynamic,)) is None


def test_rootfs_holds_busybox_and_its_applets_and_is_repeatable() -> None:
    binary = elf64([PT_LOAD]) + b"payload"
    first = build_rootfs_tar(binary)
    assert build_rootfs_tar(binary) == first
    with tarfile.open(fileobj=io.BytesIO(first)) as archive:
        members = {member.name: member for member in archive.getmembers()}
        stored = archive.extractfile("bin/busybox")
        assert stored is not None and stored.read() == binary
    assert members["bin/busybox"].mode == 0o755
    for applet in APPLETS:
        assert members[f"bin/{applet}"].issym()
        assert members[f"bin/{applet}"].linkname == "busybox"


def test_the_tag_names_the_app_and_changes_with_the_content() -> None:
    tag = sample_tag(build_rootfs_tar(b"one"))
    repository, _, digest = tag.partition(":")
    assert repository == SAMPLE_REPOSITORY
    assert len(digest) == 12 and all(c in "0123456789abcdef" for c in digest)
    assert sample_tag(build_rootfs_tar(b"two")) != tag
    assert is_sample_tag(tag)
    assert not is_sample_tag("busybox:latest")


def test_no_static_busybox_means_unavailable_with_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(ProbeUnavailable) as raised:
        prepare_sample_image(object(), timeout=1, candidates=(tmp_path / "busybox",))
    assert raised.value.fix == BUSYBOX_FIX
    assert "apt-get install busybox-static" in BUSYBOX_FIX
    assert str(tmp_path / "busybox") in raised.value.reason


def test_each_run_holds_the_image_by_a_tag_its_own_end_makes_a_leftover() -> None:
    content = sample_tag(build_rootfs_tar(b"one"))
    with run_in_progress() as live:
        held = run_tag(content, live)
        assert held.startswith(f"{content}-") and is_sample_tag(held)
        assert held != run_tag(content, run_name())  # another run, another tag
        assert not is_leftover_tag(held)
    assert is_leftover_tag(held)  # its run ended
    # A run of a process that is gone, and an older version's shared tag, hold nothing.
    assert is_leftover_tag(run_tag(content, run_name(pid=999_999_999)))
    assert is_leftover_tag(content)
    # Another process's run is alive as long as its process is.
    assert not is_leftover_tag(run_tag(content, run_name(pid=1)))
    assert not is_leftover_tag("busybox:latest")


def test_a_run_of_another_host_is_that_hosts_to_judge() -> None:
    content = sample_tag(build_rootfs_tar(b"one"))
    ended_here = run_tag(content, run_name(pid=999_999_999))
    host = ended_here.removeprefix(f"{content}-").split("-")[0]
    elsewhere = ended_here.replace(f"-{host}-", "-hother-")
    assert is_leftover_tag(ended_here) and not is_leftover_tag(elsewhere)
