"""Whether the cache the VM probe boots from can be trusted, and its files read as written.

The guest's kernel and initramfs are booted, and under a privileged daemon copied where
QEMU reads them: whoever could write to the cache could choose what runs, or, with a link,
what is copied. So every folder of the cache must be a real folder (no symbolic link) of
this user's that neither its group nor others may write, or the probe refuses it with the
fix; every cached file is opened without following a link, must be this user's regular
file, and must match the SHA-256 recorded beside it when it was made, or it is ignored and
made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from advisor.base.files import make_private_dir, write_private_file
from advisor.base.i18n import _
from advisor.probes.errors import ProbeUnavailable

DIGEST_SUFFIX = ".sha256"
_NOT_FOLLOWING = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC


def trusted_folder(path: Path) -> Path:
    """`path`, made private (0700) when missing; raises ProbeUnavailable unless it is a real
    folder of this user's that neither its group nor others may write."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        make_private_dir(path)
        info = os.lstat(path)
    problem = _problem(info)
    if problem is not None:
        raise ProbeUnavailable(
            _(
                "the cache folder {path} cannot be trusted: {problem}, so what it holds "
                "could be another user's"
            ).format(path=path, problem=problem),
            _(
                "remove {path} and run the probe again (it makes the folder anew, private to "
                "you), or point XDG_CACHE_HOME at a folder of your own"
            ).format(path=path),
        )
    return path


def trusted_if_present(path: Path) -> bool:
    """Whether `path` exists, refusing it as trusted_folder() does when it is not to be
    trusted; a folder that is missing is not made."""
    if not os.path.lexists(path):
        return False
    trusted_folder(path)
    return True


def _problem(info: os.stat_result) -> str | None:
    if stat.S_ISLNK(info.st_mode):
        return _("it is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        return _("it is not a folder")
    if info.st_uid != os.geteuid():
        return _("it belongs to {user}, not to this user").format(user=_user_name(info.st_uid))
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return _("its group or other users may write to it (mode {mode:04o})").format(
            mode=stat.S_IMODE(info.st_mode)
        )
    return None


def _user_name(uid: int) -> str:
    try:
        return _("user {name}").format(name=pwd.getpwuid(uid).pw_name)
    except KeyError:
        return _("user id {uid}").format(uid=uid)


def digest_path(path: Path) -> Path:
    """Where the SHA-256 of a cached file is recorded."""
    return path.with_name(path.name + DIGEST_SUFFIX)


def write_cached(data: bytes, path: Path) -> Path:
    """Write a cached file and record its digest beside it; returns `path`."""
    write_private_file(data, path)
    write_private_file(hashlib.sha256(data).hexdigest().encode(), digest_path(path))
    return path


def read_cached(path: Path) -> bytes | None:
    """The bytes of a cached file, or None when they are not what the probe wrote there:
    missing, a link, not this user's regular file, or not matching the recorded digest."""
    data = _read_own_file(path)
    recorded = _read_own_file(digest_path(path))
    if data is None or recorded is None:
        return None
    if recorded.decode(errors="replace").strip() != hashlib.sha256(data).hexdigest():
        return None
    return data


def _read_own_file(path: Path) -> bytes | None:
    with _own_file(path) as stream:
        return None if stream is None else stream.read()


@contextlib.contextmanager
def _own_file(path: Path) -> Iterator[BinaryIO | None]:
    """`path` open for reading when it is this user's regular file (no link followed)."""
    try:
        descriptor = os.open(path, _NOT_FOLLOWING)
    except OSError:  # missing, or a symbolic link (ELOOP)
        yield None
        return
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        yield stream if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() else None


def copy_cached(source: Path, target: Path, mode: int) -> bool:
    """Copy a cached file to a new file `target` with `mode`; whether the copy holds what
    the probe wrote to the cache (its recorded digest). A copy that does not is removed.

    The copy itself is checked, so what reads it later reads what was checked, whatever
    happened to the cache meanwhile."""
    recorded = _read_own_file(digest_path(source))
    with _own_file(source) as reader:
        if recorded is None or reader is None:
            return False
        _copy(reader.fileno(), os.fstat(reader.fileno()).st_size, target, mode)
    with target.open("rb") as copy:
        digest = hashlib.file_digest(copy, "sha256").hexdigest()
    if recorded.decode(errors="replace").strip() == digest:
        return True
    target.unlink()
    return False


def copy_file(source: Path, target: Path, mode: int) -> None:
    """Copy `source` (a link is followed: a user's own file) to a new file with `mode`."""
    with source.open("rb") as reader:
        _copy(reader.fileno(), os.fstat(reader.fileno()).st_size, target, mode)


def _copy(reader: int, size: int, target: Path, mode: int) -> None:
    # In the kernel, page cache to page cache: copying a 50 MB kernel through Python's
    # memory took ten times as long.
    with _new_file(target, mode) as stream:
        offset = 0
        while offset < size:
            sent = os.sendfile(stream.fileno(), reader, offset, size - offset)
            if sent == 0:  # the file shrank meanwhile: the copy's check tells
                break
            offset += sent


def _new_file(path: Path, mode: int) -> BinaryIO:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    stream = os.fdopen(descriptor, "wb")
    try:
        os.fchmod(stream.fileno(), mode)  # whatever the umask took away
    except BaseException:
        stream.close()
        raise
    return stream
