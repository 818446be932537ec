"""Holds on the cached guest files a run uses, so that another run never removes them.

A run that makes a newer kernel or initramfs removes the older ones beside it; a run still
booting an older one (its version changed mid-run) must keep it. Each run holds every cached
file it uses with a shared lock (flock) on the file itself, from the moment it finds it until
its clean-up; a file is removed only under an exclusive lock taken without waiting, so never
while any live run holds it. The kernel drops a run's locks when its process ends, however
it ends: a killed run holds nothing, and the next run that prunes removes what it left.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC


class CacheHolds:
    """The cached files one run holds, each by a shared lock, until release()."""

    def __init__(self) -> None:
        self._held: dict[Path, int] = {}

    def hold(self, path: Path) -> bool:
        """Hold `path` for this run; False when it is not there (removed meanwhile, or never
        made), and then the caller makes it again."""
        held = self._held.pop(path, None)
        if held is not None:
            if _same_file(held, path):
                self._held[path] = held
                return True
            os.close(held)  # made again since: hold what is there now
        try:
            descriptor = os.open(path, _OPEN_FLAGS)
        except OSError:  # missing, or a link: nothing of the probe's to hold
            return False
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        # Removed between the open and the lock: the lock holds a file no longer there.
        if not _same_file(descriptor, path):
            os.close(descriptor)
            return False
        self._held[path] = descriptor
        return True

    def release(self) -> None:
        """Let go of every file this run held; called however the run ended."""
        for descriptor in self._held.values():
            with contextlib.suppress(OSError):
                os.close(descriptor)
        self._held.clear()


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        there = os.lstat(path)
    except OSError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def remove_unless_held(path: Path) -> bool:
    """Remove the file `path`, or the folder `path` with every file in it, unless a live run
    holds it (or a file in it); whether it is gone."""
    if path.is_dir() and not path.is_symlink():
        files = [entry for entry in path.rglob("*") if entry.is_file() and not entry.is_symlink()]
        with contextlib.ExitStack() as locks:
            for entry in files:
                if not _lock_exclusively(entry, locks):
                    return False
            shutil.rmtree(path, ignore_errors=True)
        return not path.exists()
    with contextlib.ExitStack() as locks:
        if path.is_file() and not path.is_symlink() and not _lock_exclusively(path, locks):
            return False
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return True


def _lock_exclusively(path: Path, locks: contextlib.ExitStack) -> bool:
    """Lock `path` exclusively, without waiting, until `locks` closes; False when a live run
    holds it. A file that is gone already counts as locked: there is nothing to keep."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        return True
    except OSError:
        return True  # a link or a file this user cannot open: removing it harms no run
    locks.callback(os.close, descriptor)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
