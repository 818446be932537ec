"""The app's settings file (the window's size, the last folder, the recent files), kept
readable only by the user: file names and folders say what the user works on."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QSettings

from advisor.base.files import make_private_file


def app_settings() -> QSettings:
    """The running application's settings, in a folder (0700) and a file (0600) of its user.

    Qt makes a missing folder as the umask allows, and saves by replacing the file with a copy
    that keeps the mode of the one it replaces; so both are made private here, before Qt first
    writes, and stay so.
    """
    settings = QSettings()
    # Where the folder cannot be made Qt cannot save either: the settings last as long as the app.
    with contextlib.suppress(OSError):
        make_private_file(Path(settings.fileName()))
    return settings
