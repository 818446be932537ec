"""Copies of cached files: what a copy holds is what the cache recorded, or there is no copy."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from advisor.probes.cache_trust import copy_cached, copy_file, digest_path, write_cached

KERNEL = b"\x7fELF a kernel image " * 50_000  # about 1 MB


def test_an_intact_cached_file_is_copied_whole_with_the_mode_asked(tmp_path: Path) -> None:
    source = write_cached(KERNEL, tmp_path / "vmlinux")
    target = tmp_path / "run" / "vmlinux"
    target.parent.mkdir()

    assert copy_cached(source, target, 0o644)

    assert target.read_bytes() == KERNEL
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_cached_file_changed_since_its_digest_leaves_no_copy(tmp_path: Path) -> None:
    source = write_cached(KERNEL, tmp_path / "vmlinux")
    source.write_bytes(KERNEL[:-1] + b"!")
    target = tmp_path / "copy"

    assert not copy_cached(source, target, 0o644)

    assert not target.exists()


@pytest.mark.parametrize("what", ["a link", "no digest", "missing"])
def test_what_the_probe_did_not_write_is_not_copied(tmp_path: Path, what: str) -> None:
    real = write_cached(KERNEL, tmp_path / "real")
    source = tmp_path / "vmlinux"
    if what == "a link":
        source.symlink_to(real)
        digest_path(source).write_bytes(digest_path(real).read_bytes())
    elif what == "no digest":
        source.write_bytes(KERNEL)
    target = tmp_path / "copy"

    assert not copy_cached(source, target, 0o644)

    assert not target.exists()


def test_a_copy_never_replaces_or_follows_what_is_at_its_place(tmp_path: Path) -> None:
    source = write_cached(KERNEL, tmp_path / "vmlinux")
    elsewhere = tmp_path / "elsewhere"
    target = tmp_path / "copy"
    target.symlink_to(elsewhere)

    with pytest.raises(OSError):
        copy_cached(source, target, 0o644)
    with pytest.raises(FileExistsError):
        copy_file(source, source, 0o644)

    assert not elsewhere.exists()
    assert source.read_bytes() == KERNEL


def test_a_users_own_file_is_copied_through_its_link(tmp_path: Path) -> None:
    real = tmp_path / "vmlinuz-6.1"
    real.write_bytes(KERNEL)
    link = tmp_path / "vmlinuz"
    link.symlink_to(real)
    target = tmp_path / "copy"
    umask = os.umask(0o077)  # a strict umask must not take the mode asked away
    try:
        copy_file(link, target, 0o644)
    finally:
        os.umask(umask)

    assert target.read_bytes() == KERNEL
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
