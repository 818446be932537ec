"""Folders and files the app keeps are readable only by their owner, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.base.files import make_private_dir, make_private_file, write_private_file


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """A umask that hides nothing: only the helpers' own care keeps anything private."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_missing_folders_are_made_private_down_from_the_first_missing_one(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    folder = tmp_path / "cache" / "dvm-advisor" / "fonts"

    make_private_dir(folder)

    assert [mode(path) for path in (folder.parents[1], folder.parent, folder)] == [0o700] * 3
    assert mode(tmp_path) == 0o755  # a folder that was there already is not the app's


def test_a_folder_left_open_is_closed(tmp_path: Path) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir(mode=0o777)

    make_private_dir(folder)

    assert mode(folder) == 0o700


def test_a_file_is_written_whole_and_private(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "subset.otf"
    path.parent.mkdir(mode=0o777)
    path.write_bytes(b"older")
    path.chmod(0o666)

    assert write_private_file(b"glyphs", path) == path

    assert path.read_bytes() == b"glyphs"
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert [entry.name for entry in path.parent.iterdir()] == ["subset.otf"]


def test_an_empty_private_file_is_made_and_an_open_one_closed_keeping_its_text(
    tmp_path: Path,
) -> None:
    made = tmp_path / "config" / "made.conf"
    kept = tmp_path / "kept.conf"
    kept.write_text("[General]\n")
    kept.chmod(0o644)

    make_private_file(made)
    make_private_file(kept)

    assert made.read_bytes() == b"" and mode(made) == 0o600 and mode(made.parent) == 0o700
    assert kept.read_text() == "[General]\n" and mode(kept) == 0o600
