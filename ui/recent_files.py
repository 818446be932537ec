"""The assessment files opened or saved lately, kept in the app's settings."""

from __future__ import annotations

from pathlib import Path

from advisor.ui.app_settings import AppSettings

RECENT_FILES_KEY = "recent_files"
MAX_RECENT_FILES = 8


class RecentFiles:
    """Most recent first, each path once, at most MAX_RECENT_FILES."""

    def __init__(self, settings: AppSettings) -> None:
        self._settings = settings

    def paths(self) -> list[Path]:
        """The remembered files, most recent first."""
        return [Path(item) for item in self._settings.texts(RECENT_FILES_KEY) if item]

    def add(self, path: Path) -> None:
        """Put `path` first."""
        resolved = path.resolve()
        paths = [resolved, *(item for item in self.paths() if item != resolved)]
        self._store(paths[:MAX_RECENT_FILES])

    def remove(self, path: Path) -> None:
        """Forget `path`, for instance because it is gone."""
        resolved = path.resolve()
        self._store([item for item in self.paths() if item != resolved])

    def clear(self) -> None:
        """Forget every file."""
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self._settings.set(RECENT_FILES_KEY, [str(item) for item in paths])
