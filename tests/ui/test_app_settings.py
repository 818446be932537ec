"""The app's own settings file is readable only by its user, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from pytestqt.qtbot import QtBot

from advisor.ui.app_settings import app_settings
from advisor.ui.main_window import APP_NAME, MainWindow
from tests.ui.conftest import WAIT_MS, FakeProbes

SETTINGS_FILE = f"{APP_NAME}/{APP_NAME}.conf"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def user_config(tmp_path: Path) -> Iterator[Path]:
    """The app's name and a user configuration folder of the test's own, as the app runs with
    them; a umask that hides nothing, so that only the app's own care keeps files private."""
    app = QCoreApplication.instance()
    assert app is not None
    names = (app.organizationName(), app.applicationName())
    generic = QStandardPaths.StandardLocation.GenericConfigLocation
    usual = QStandardPaths.writableLocation(generic)
    folder = tmp_path / "config"
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    umask = os.umask(0)
    try:
        yield folder
    finally:
        os.umask(umask)
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, usual)
        app.setOrganizationName(names[0])
        app.setApplicationName(names[1])


def test_the_windows_settings_are_saved_readable_only_by_the_user(
    qtbot: QtBot, user_config: Path, fake_probes: FakeProbes, tmp_path: Path
) -> None:
    window = MainWindow(run_probes=fake_probes)
    qtbot.addWidget(window)
    settings_file = user_config / SETTINGS_FILE
    assert Path(window.settings.fileName()) == settings_file

    window.recent_files.add(tmp_path / "team.json")
    window.settings.sync()
    window.close_without_asking()  # saves the window's size too
    assert window.probe_page.shutdown(WAIT_MS)
    window.settings.sync()

    assert window.settings.status() == QSettings.Status.NoError
    assert "team.json" in settings_file.read_text()
    assert "geometry" in settings_file.read_text()
    assert mode(settings_file.parent) == 0o700
    assert mode(settings_file) == 0o600
    # Nothing else (Qt's lock file, a half-written copy) is left beside it.
    assert [path.name for path in settings_file.parent.iterdir()] == [settings_file.name]


def test_settings_left_readable_by_an_older_version_are_made_private(
    user_config: Path,
) -> None:
    settings_file = user_config / SETTINGS_FILE
    settings_file.parent.mkdir(mode=0o755, parents=True)
    settings_file.write_text("[General]\nlast_folder=/srv/projects\n")
    settings_file.chmod(0o644)

    settings = app_settings()

    assert settings.value("last_folder") == "/srv/projects"
    assert mode(settings_file.parent) == 0o700
    assert mode(settings_file) == 0o600


def test_settings_that_cannot_be_kept_still_let_the_app_start(
    qtbot: QtBot, user_config: Path, fake_probes: FakeProbes, tmp_path: Path
) -> None:
    user_config.write_text("a file where the folder should be")

    window = MainWindow(run_probes=fake_probes)
    qtbot.addWidget(window)
    window.recent_files.add(tmp_path / "team.json")

    assert window.recent_files.paths() == [tmp_path / "team.json"]
    assert user_config.read_text() == "a file where the folder should be"
    assert window.probe_page.shutdown(WAIT_MS)
