"""Where the probes write down a fault of their own: the traceback a developer needs, kept
out of what the user reads (a reason and a fix), in a private file under the user's state
folder that a report of the fault can carry."""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from advisor.base.files import make_private_dir

MAX_LOG_BYTES = 1024 * 1024  # past this the log starts again: only recent faults matter


def fault_log_path() -> Path:
    """The probes' fault log: in the user's state folder (XDG_STATE_HOME)."""
    return Path(platformdirs.user_log_dir("dvm-advisor")) / "probe-faults.log"


def record_fault(what: str, error: BaseException) -> Path | None:
    """Append `what` and the traceback of `error` to the fault log; its path, or None when
    it cannot be written."""
    path = fault_log_path()
    entry = f"{datetime.now(UTC).isoformat()} {what}\n" + "".join(traceback.format_exception(error))
    try:
        make_private_dir(path.parent)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
        with os.fdopen(os.open(path, flags, 0o600), "ab") as stream:
            if os.fstat(stream.fileno()).st_size > MAX_LOG_BYTES:
                stream.truncate(0)
            stream.write(entry.encode(errors="replace") + b"\n")
    except OSError:
        return None
    return path
