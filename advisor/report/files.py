"""Writing a file so that no reader ever finds it half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from advisor.errors import InputError

# Reports are documents to hand on, so readable by others like any file a user saves.
_FILE_MODE = 0o644


def write_atomically(data: bytes, path: Path, *, what: str) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`.

    Raises InputError saying `what` could not be written; no partial file is left behind.
    """
    folder = path.parent if str(path.parent) else Path(".")
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{path.name}.", suffix=".part", delete=False
        ) as stream:
            temporary = Path(stream.name)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, path)
    except OSError as error:
        raise InputError(f"{path}: cannot write {what} there ({error.strerror or error})") from None
    finally:
        if temporary is not None and temporary.exists():
            temporary.unlink()


def check_writable(path: Path) -> None:
    """Refuse, before any work is done, an output path that could not be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file name for the report")
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"{path}: permission denied, cannot write the report there")
