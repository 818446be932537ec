"""The report's font subsets are cached in a folder only the user may read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from advisor.report.fonts import FontFile, cached_subset, find_latin_font


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def latin() -> FontFile:
    """The report's Latin font: small, so that cutting it down is quick."""
    font = find_latin_font("")
    assert font is not None, "DejaVu Sans is installed with the app (fonts-dejavu-core)"
    return font


def test_a_subset_is_cached_readable_only_by_the_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, latin: FontFile
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    previous = os.umask(0)  # nothing hidden unless the cache hides it itself
    try:
        cached = cached_subset(latin, "Docker")
    finally:
        os.umask(previous)

    assert cached is not None
    root = tmp_path / "dvm-advisor"
    assert cached.path.parent == root / "fonts"
    assert mode(root) == 0o700 and mode(root / "fonts") == 0o700 and mode(cached.path) == 0o600
    assert cached_subset(latin, "Docker") == cached
    glyphs = TTFont(cached.path).getBestCmap()
    assert {ord(char) for char in "Docker"} <= set(glyphs) and len(glyphs) < 20


def test_a_cache_that_cannot_be_written_leaves_the_whole_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, latin: FontFile
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))

    assert cached_subset(latin, "Docker") is None
    assert blocked.read_text() == "a file where the cache folder should be"


def test_writing_the_cache_closes_folders_an_older_version_left_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, latin: FontFile
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fonts = tmp_path / "dvm-advisor" / "fonts"
    fonts.mkdir(parents=True)
    for folder in (fonts.parent, fonts):
        folder.chmod(0o755)

    cached = cached_subset(latin, "VM")

    assert cached is not None and cached.path.parent == fonts
    assert mode(fonts.parent) == 0o700 and mode(fonts) == 0o700 and mode(cached.path) == 0o600
