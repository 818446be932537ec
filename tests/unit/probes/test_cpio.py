"""The newc cpio writer: what it writes reads back, byte-exact and aligned, and `cpio` agrees."""

from __future__ import annotations

import gzip
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from advisor.probes.cpio import (
    TRAILER_NAME,
    CpioEntry,
    entries_digest,
    gzipped_newc_archive,
    newc_archive,
)

SAMPLE = [
    CpioEntry.directory("bin"),
    CpioEntry.file("bin/tool", b"#!/bin/sh\necho hi\n", permissions=0o755),
    CpioEntry.symlink("bin/sh", "tool"),
    CpioEntry.directory("dev"),
    CpioEntry.char_device("dev/console", major=5, minor=1),
    CpioEntry.file("init", b"x" * 5, permissions=0o700),
]


def read_newc(archive: bytes) -> list[dict[str, object]]:
    """An independent reader of the format, written from its specification."""
    members: list[dict[str, object]] = []
    offset = 0
    while True:
        assert offset % 4 == 0, "every header starts on a 4-byte boundary"
        header = archive[offset : offset + 110]
        assert header[:6] == b"070701"
        fields = [int(header[6 + 8 * i : 14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = fields[1], fields[6], fields[11]
        name_start = offset + 110
        name = archive[name_start : name_start + namesize - 1].decode()
        assert archive[name_start + namesize - 1] == 0, "names end with NUL"
        data_start = name_start + namesize + (-(110 + namesize) % 4)
        data = archive[data_start : data_start + size]
        offset = data_start + size + (-size % 4)
        if name == TRAILER_NAME:
            assert offset == len(archive), "nothing follows the trailer"
            return members
        members.append(
            {
                "name": name,
                "mode": mode,
                "uid": fields[2],
                "gid": fields[3],
                "mtime": fields[5],
                "data": data,
                "rdev": (fields[9], fields[10]),
            }
        )


def test_members_read_back_with_type_permissions_and_content() -> None:
    members = read_newc(newc_archive(SAMPLE))

    assert [member["name"] for member in members] == [entry.path for entry in SAMPLE]
    by_name = {member["name"]: member for member in members}
    assert stat.S_ISDIR(by_name["bin"]["mode"])  # type: ignore[arg-type]
    assert by_name["bin/tool"]["mode"] == stat.S_IFREG | 0o755
    assert by_name["bin/tool"]["data"] == b"#!/bin/sh\necho hi\n"
    assert by_name["bin/sh"]["mode"] == stat.S_IFLNK | 0o777
    assert by_name["bin/sh"]["data"] == b"tool"
    assert by_name["dev/console"]["mode"] == stat.S_IFCHR | 0o600
    assert by_name["dev/console"]["rdev"] == (5, 1)
    assert by_name["dev/console"]["data"] == b""
    assert all(member["uid"] == 0 and member["gid"] == 0 for member in members)
    assert all(member["mtime"] == 0 for member in members)


def test_the_same_entries_give_the_same_compressed_bytes() -> None:
    first = gzipped_newc_archive(SAMPLE)

    assert first == gzipped_newc_archive(list(SAMPLE))
    assert gzip.decompress(first) == newc_archive(SAMPLE)


def test_the_digest_follows_content_and_metadata() -> None:
    changed_data = [*SAMPLE[:-1], CpioEntry.file("init", b"y" * 5, permissions=0o700)]
    changed_mode = [*SAMPLE[:-1], CpioEntry.file("init", b"x" * 5, permissions=0o755)]

    assert entries_digest(SAMPLE) == entries_digest(list(SAMPLE))
    assert entries_digest(changed_data) != entries_digest(SAMPLE)
    assert entries_digest(changed_mode) != entries_digest(SAMPLE)


@pytest.mark.parametrize("path", ["/init", "../etc/passwd", "bin//sh", "bin/./sh", ""])
def test_paths_outside_the_archive_root_are_refused(path: str) -> None:
    with pytest.raises(ValidationError):
        CpioEntry.file(path, b"")


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.-", min_size=1, max_size=40).filter(
            lambda name: name not in (".", "..")
        ),
        st.binary(max_size=300),
        max_size=8,
    )
)
def test_any_files_round_trip(files: dict[str, bytes]) -> None:
    entries = [CpioEntry.file(name, data) for name, data in files.items()]

    members = read_newc(newc_archive(entries))

    assert {str(member["name"]): member["data"] for member in members} == files


@pytest.mark.skipif(shutil.which("cpio") is None, reason="GNU cpio is not installed")
def test_gnu_cpio_extracts_what_was_written(tmp_path: Path) -> None:
    archive = newc_archive([entry for entry in SAMPLE if entry.kind != "char_device"])

    subprocess.run(
        ["cpio", "-i", "--make-directories", "--quiet", "--no-absolute-filenames"],
        input=archive,
        cwd=tmp_path,
        check=True,
        timeout=30,
    )
    listing = subprocess.run(
        ["cpio", "-t", "-v", "--quiet"], input=newc_archive(SAMPLE), capture_output=True, timeout=30
    ).stdout.decode()

    assert (tmp_path / "bin" / "tool").read_bytes() == b"#!/bin/sh\necho hi\n"
    assert (tmp_path / "bin" / "tool").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "bin" / "sh").readlink() == Path("tool")
    assert (tmp_path / "init").read_bytes() == b"xxxxx"
    console_line = next(line for line in listing.splitlines() if line.endswith("dev/console"))
    assert console_line.startswith("crw-------") and "5,   1" in console_line
