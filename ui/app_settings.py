"""The app's settings file (the window's size, the last folder, the recent files), kept
readable only by the user: file names and folders say what the user works on.

It is a JSON object written whole, as every file the program keeps, through
advisor.base.files (flushed to disk, mode 0600, in a folder of mode 0700, never half a file).
Qt's own settings file, which older versions kept, is read once when there is no newer one.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from advisor.base.errors import InputError, read_limited
from advisor.base.files import PRIVATE_FILE_MODE, make_private_dir, write_private_file

APP_FOLDER = "dvm-advisor"
SETTINGS_FILE = "settings.json"
# Where older versions let Qt keep the settings (QSettings' native format on Linux).
OLD_SETTINGS_FILE = f"{APP_FOLDER}.conf"
# The keys older versions kept, and whether each held a list.
OLD_KEYS = {"last_folder": False, "recent_files": True, "window/geometry": False}
MAX_SETTINGS_BYTES = 256 * 1024

Value = str | list[str]


class AppSettings:
    """Text and lists of text by key, each change written to `path` at once.

    When the file cannot be written (no such folder can be made, a full disk), the settings
    last as long as the app: `saved` says whether the last change reached the file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.saved = True
        self._values = _read(path)

    def text(self, key: str) -> str | None:
        """The text kept under `key`, or None."""
        value = self._values.get(key)
        return value if isinstance(value, str) else None

    def texts(self, key: str) -> list[str]:
        """The list of text kept under `key`; empty when there is none."""
        value = self._values.get(key)
        return list(value) if isinstance(value, list) else []

    def set(self, key: str, value: Value) -> None:
        """Keep `value` under `key` and write the file."""
        self._values[key] = value
        data = json.dumps(self._values, ensure_ascii=False, indent=2).encode() + b"\n"
        try:
            write_private_file(data, self.path)
        except OSError:
            self.saved = False
        else:
            self.saved = True


def app_settings() -> AppSettings:
    """The running application's settings, in the user's configuration folder."""
    folder = platformdirs.user_config_path(APP_FOLDER)
    settings = AppSettings(folder / SETTINGS_FILE)
    # Older versions left the folder and Qt's file readable by all: close them again.
    with contextlib.suppress(OSError):
        if folder.is_dir():
            make_private_dir(folder)
        if (folder / OLD_SETTINGS_FILE).is_file():
            (folder / OLD_SETTINGS_FILE).chmod(PRIVATE_FILE_MODE)
    return settings


def _read(path: Path) -> dict[str, Value]:
    """The settings kept in `path`, or those of an older version beside it; nothing (the app
    starts with its defaults) when neither can be read."""
    try:
        stored = json.loads(read_limited(path, max_bytes=MAX_SETTINGS_BYTES))
    except (InputError, ValueError):
        return _read_old(path.parent / OLD_SETTINGS_FILE) if not path.exists() else {}
    if not isinstance(stored, dict):
        return {}
    return {
        key: value
        for key, value in stored.items()
        if isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(item, str) for item in value))
    }


def _read_old(path: Path) -> dict[str, Value]:
    if not path.is_file():
        return {}
    old = QSettings(str(path), QSettings.Format.IniFormat)
    values: dict[str, Value] = {}
    for key, is_list in OLD_KEYS.items():
        value = old.value(key)
        if isinstance(value, QByteArray):
            values[key] = bytes(value.toBase64().data()).decode()
        elif isinstance(value, str) and value:
            # An INI file gives back a one-item list as a plain string.
            values[key] = [value] if is_list else value
        elif is_list and isinstance(value, list):
            values[key] = [item for item in value if isinstance(item, str)]
    return values
