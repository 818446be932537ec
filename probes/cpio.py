"""A writer for the "newc" cpio format, the one the Linux kernel unpacks as an initramfs.

Only what an initramfs needs: directories, regular files, symbolic links and character
devices, owned by root. Timestamps are zero and inode numbers are assigned in order, so the
same entries always give the same bytes (and so the same cache key).
"""

from __future__ import annotations

import gzip
import hashlib
import stat
from collections.abc import Iterable
from typing import Literal

from pydantic import Field, field_validator

from advisor.base.models import FrozenModel

NEWC_MAGIC = b"070701"
TRAILER_NAME = "TRAILER!!!"

EntryKind = Literal["directory", "file", "symlink", "char_device"]

_TYPE_BITS: dict[EntryKind, int] = {
    "directory": stat.S_IFDIR,
    "file": stat.S_IFREG,
    "symlink": stat.S_IFLNK,
    "char_device": stat.S_IFCHR,
}


class CpioEntry(FrozenModel):
    """One member of the archive; `path` is relative to the archive root (no leading '/')."""

    path: str = Field(min_length=1)
    kind: EntryKind
    permissions: int = Field(default=0o755, ge=0, le=0o7777)
    data: bytes = b""  # a file's content, or a symlink's target
    device_major: int = Field(default=0, ge=0)
    device_minor: int = Field(default=0, ge=0)

    @field_validator("path")
    @classmethod
    def _relative_and_clean(cls, path: str) -> str:
        parts = path.split("/")
        if path.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"cpio path must be relative with no '.', '..' or '//': {path!r}")
        return path

    @classmethod
    def directory(cls, path: str, permissions: int = 0o755) -> CpioEntry:
        """A directory entry."""
        return cls(path=path, kind="directory", permissions=permissions)

    @classmethod
    def file(cls, path: str, data: bytes, permissions: int = 0o644) -> CpioEntry:
        """A regular file with its content."""
        return cls(path=path, kind="file", data=data, permissions=permissions)

    @classmethod
    def symlink(cls, path: str, target: str) -> CpioEntry:
        """A symbolic link pointing at `target`."""
        return cls(path=path, kind="symlink", data=target.encode(), permissions=0o777)

    @classmethod
    def char_device(cls, path: str, major: int, minor: int, permissions: int = 0o600) -> CpioEntry:
        """A character device node, such as dev/console (5, 1)."""
        return cls(
            path=path,
            kind="char_device",
            permissions=permissions,
            device_major=major,
            device_minor=minor,
        )


def _padding(length: int) -> bytes:
    return b"\0" * (-length % 4)


def _member(
    name: str,
    inode: int,
    mode: int,
    nlink: int,
    data: bytes = b"",
    rdev: tuple[int, int] = (0, 0),
) -> bytes:
    encoded_name = name.encode() + b"\0"
    fields = (
        inode,
        mode,
        0,  # uid: root
        0,  # gid: root
        nlink,
        0,  # mtime: fixed so that archives are reproducible
        len(data),
        0,  # devmajor / devminor of the filesystem the file came from: none
        0,
        rdev[0],
        rdev[1],
        len(encoded_name),
        0,  # check: only used by the "crc" variant
    )
    header = NEWC_MAGIC + b"".join(b"%08X" % value for value in fields)
    head = header + encoded_name
    return head + _padding(len(head)) + data + _padding(len(data))


def newc_archive(entries: Iterable[CpioEntry]) -> bytes:
    """The uncompressed newc archive of `entries`, in the given order, with its trailer."""
    chunks: list[bytes] = []
    for inode, entry in enumerate(entries, start=1):
        mode = _TYPE_BITS[entry.kind] | entry.permissions
        nlink = 2 if entry.kind == "directory" else 1
        data = b"" if entry.kind in ("directory", "char_device") else entry.data
        rdev = (entry.device_major, entry.device_minor)
        chunks.append(_member(entry.path, inode, mode, nlink, data, rdev))
    chunks.append(_member(TRAILER_NAME, 0, 0, 1))
    return b"".join(chunks)


def gzipped_newc_archive(entries: Iterable[CpioEntry]) -> bytes:
    """The newc archive of `entries`, gzip-compressed with no timestamp (reproducible)."""
    return gzip.compress(newc_archive(entries), compresslevel=6, mtime=0)


def entries_digest(entries: Iterable[CpioEntry]) -> str:
    """A SHA-256 of everything that goes into the archive, cheaper than building it."""
    digest = hashlib.sha256(b"newc-gzip-1\0")
    for entry in entries:
        digest.update(entry.model_dump_json(exclude={"data"}).encode())
        digest.update(len(entry.data).to_bytes(8, "little"))
        digest.update(entry.data)
    return digest.hexdigest()
