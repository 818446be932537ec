"""The app's own settings file is readable only by its user, whatever the umask, and is written
whole: never half a file, nothing left beside it."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings
from pytestqt.qtbot import QtBot

from advisor.ui.app_settings import APP_FOLDER, OLD_SETTINGS_FILE, SETTINGS_FILE, app_settings
from advisor.ui.file_commands import LAST_FOLDER_KEY
from advisor.ui.main_window import GEOMETRY_KEY, MainWindow
from advisor.ui.recent_files import RECENT_FILES_KEY
from tests.ui.conftest import WAIT_MS, FakeProbes


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user configuration folder of the test's own, as the app finds it; a umask that hides
    nothing, so that only the app's own care keeps files private."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    umask = os.umask(0)
    try:
        yield folder
    finally:
        os.umask(umask)


def test_the_windows_settings_are_saved_readable_only_by_the_user(
    qtbot: QtBot, user_config: Path, fake_probes: FakeProbes, tmp_path: Path
) -> None:
    window = MainWindow(run_probes=fake_probes)
    qtbot.addWidget(window)
    settings_file = user_config / APP_FOLDER / SETTINGS_FILE
    assert window.settings.path == settings_file

    window.recent_files.add(tmp_path / "team.json")
    window.close_without_asking()  # saves the window's size too
    assert window.probe_page.shutdown(WAIT_MS)

    assert window.settings.saved
    stored = json.loads(settings_file.read_text())
    assert stored[RECENT_FILES_KEY] == [str((tmp_path / "team.json").resolve())]
    assert not QByteArray.fromBase64(stored[GEOMETRY_KEY].encode()).isEmpty()
    assert mode(settings_file.parent) == 0o700
    assert mode(settings_file) == 0o600
    # Nothing else (a half-written copy) is left beside it.
    assert [path.name for path in settings_file.parent.iterdir()] == [settings_file.name]


def test_the_settings_are_kept_for_the_next_start(
    qtbot: QtBot, user_config: Path, fake_probes: FakeProbes, tmp_path: Path
) -> None:
    first = MainWindow(run_probes=fake_probes)
    qtbot.addWidget(first)
    first.recent_files.add(tmp_path / "team.json")
    first.settings.set(LAST_FOLDER_KEY, str(tmp_path))
    assert first.probe_page.shutdown(WAIT_MS)

    again = app_settings()

    assert again.texts(RECENT_FILES_KEY) == [str((tmp_path / "team.json").resolve())]
    assert again.text(LAST_FOLDER_KEY) == str(tmp_path)


def test_settings_an_older_version_left_readable_by_all_are_read_and_kept_private(
    user_config: Path, tmp_path: Path
) -> None:
    folder = user_config / APP_FOLDER
    folder.mkdir(mode=0o755, parents=True)
    old_file = folder / OLD_SETTINGS_FILE
    old = QSettings(str(old_file), QSettings.Format.IniFormat)
    old.setValue(LAST_FOLDER_KEY, "/srv/projects")
    old.setValue(RECENT_FILES_KEY, [str(tmp_path / "team.json")])
    old.setValue(GEOMETRY_KEY, QByteArray(b"\x01\xd9\xd0\xcb"))
    old.sync()
    old_file.chmod(0o644)

    settings = app_settings()

    assert settings.text(LAST_FOLDER_KEY) == "/srv/projects"
    assert settings.texts(RECENT_FILES_KEY) == [str(tmp_path / "team.json")]
    assert QByteArray.fromBase64((settings.text(GEOMETRY_KEY) or "").encode()).data() == (
        b"\x01\xd9\xd0\xcb"
    )
    assert mode(folder) == 0o700
    assert mode(old_file) == 0o600
    settings.set(LAST_FOLDER_KEY, str(tmp_path))
    assert mode(folder / SETTINGS_FILE) == 0o600


def test_a_damaged_settings_file_gives_the_defaults_and_is_replaced_whole(
    user_config: Path, tmp_path: Path
) -> None:
    settings_file = user_config / APP_FOLDER / SETTINGS_FILE
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text('{"recent_files": ["/srv/a.json", ')

    settings = app_settings()
    assert settings.texts(RECENT_FILES_KEY) == []
    settings.set(RECENT_FILES_KEY, [str(tmp_path / "b.json")])

    assert json.loads(settings_file.read_text()) == {RECENT_FILES_KEY: [str(tmp_path / "b.json")]}


def test_settings_that_cannot_be_kept_still_let_the_app_start(
    qtbot: QtBot, user_config: Path, fake_probes: FakeProbes, tmp_path: Path
) -> None:
    user_config.write_text("a file where the folder should be")

    window = MainWindow(run_probes=fake_probes)
    qtbot.addWidget(window)
    window.recent_files.add(tmp_path / "team.json")

    assert window.recent_files.paths() == [(tmp_path / "team.json").resolve()]
    assert not window.settings.saved
    assert user_config.read_text() == "a file where the folder should be"
    assert window.probe_page.shutdown(WAIT_MS)
