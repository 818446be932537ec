"""The one way a file is written: whole or not at all, flushed to disk, with a mode set
explicitly; and the folders and files only their owner may read (the app's cache and settings).

Modes are set explicitly rather than left to the umask, which is often 022 and would let
every user of the workstation read what the app keeps.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def write_atomically(data: bytes, path: Path, *, mode: int) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk and rename it over
    `path`, which gets `mode`; raises OSError, leaving no temporary file behind."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".part", dir=folder_of(path)
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.fchmod(stream.fileno(), mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def folder_of(path: Path) -> Path:
    """The folder `path` is in; '.' for a bare file name."""
    return path.parent if str(path.parent) else Path(".")


def make_private_dir(path: Path) -> None:
    """Create `path` and any missing parents with mode 0700 (mkdir's `parents` uses umask)."""
    if not path.parent.exists():
        make_private_dir(path.parent)
    path.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    path.chmod(PRIVATE_DIR_MODE)


def make_private_file(path: Path) -> None:
    """Create `path` empty if it is missing, in a private folder, and make it 0600 either way."""
    make_private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    path.chmod(PRIVATE_FILE_MODE)


def write_private_file(data: bytes, path: Path) -> Path:
    """Write `data` to `path` atomically, mode 0600, in a private folder; returns `path`."""
    make_private_dir(path.parent)
    write_atomically(data, path, mode=PRIVATE_FILE_MODE)
    return path
