"""Every file the program writes: checked before any work is done, then replaced whole.

An output is refused (InputError, one line) when it names something other than a regular file
(a device such as /dev/null, a FIFO, a folder), a symbolic link the user did not ask to follow,
one of the command's inputs or another of its outputs (the same path, or the same file under
another name: a hard link), or a folder that cannot be written or has no room. The bytes go to
a temporary file beside the target, are flushed to disk, and are renamed over it: a reader
finds the old file or the new one, never half of one, and a device node is never replaced.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from advisor.base.errors import STDIN_SOURCE, InputError, describe_kind, describe_os_error
from advisor.base.files import folder_of, write_atomically
from advisor.base.i18n import N_, _
from advisor.file_kinds import KIND_NAMES, FileKind, kind_of_file

# Documents to hand on are readable by others, like any file a user saves.
DOCUMENT_MODE = 0o644
# Room a folder must have before a command starts: far more than any report it writes.
MIN_FREE_BYTES = 4 * 1024 * 1024
FOLLOW_HINT = N_("name the file it points to, or pass --follow-symlinks")
FOLLOW_SYMLINKS_HELP = N_(
    "write through a symbolic link to the file it points to (by default a link is refused)"
)


@dataclass(frozen=True)
class Output:
    """A file a command will write: its path as given, and what it holds, for messages."""

    path: Path
    what: str
    # The kind of dvm-advisor file it is, where it is one: a file of another kind that it
    # would replace (answers the user wrote, say) is refused.
    writes: FileKind | None = None


def check_outputs(
    outputs: Iterable[Output],
    inputs: Iterable[Output] = (),
    *,
    follow_symlinks: bool = False,
    min_free_bytes: int = MIN_FREE_BYTES,
) -> None:
    """Refuse, before any work is done, outputs that could not or must not be written.

    `inputs` are the files the command reads (their `what` names them in messages)."""
    taken = [(_identity_of_input(source.path), source, "") for source in inputs]
    for output in outputs:
        target = writable_target(output, follow_symlinks=follow_symlinks)
        _check_room(output, target.parent, min_free_bytes)
        identity = _path_identity(target)
        for other, named, role in taken:
            if other is not None and other in (identity, os.path.realpath(target)):
                raise InputError(
                    _(
                        "{path}: would overwrite {other}{role} ({other_path}); "
                        "expected {what} to go to a file of its own"
                    ).format(
                        path=output.path,
                        other=named.what,
                        role=role,
                        other_path=_shown(named.path),
                        what=output.what,
                    )
                )
        _check_not_replacing_another_kind(output, target)
        taken.append((identity, output, _(", written by the same command")))


def write_output(data: bytes, output: Output, *, follow_symlinks: bool = False) -> None:
    """Write a document for the user: the target is checked again, then replaced whole."""
    target = writable_target(output, follow_symlinks=follow_symlinks)
    try:
        write_atomically(data, target, mode=DOCUMENT_MODE)
    except OSError as error:
        raise InputError(
            _("{path}: cannot write {what} there ({reason})").format(
                path=output.path, what=output.what, reason=describe_os_error(error)
            )
        ) from None


def writable_target(output: Output, *, follow_symlinks: bool = False) -> Path:
    """Where the bytes of `output` will go, or InputError saying why not there."""
    path = output.path
    if path.is_symlink():
        if not follow_symlinks:
            raise InputError(
                _("{path}: is a symbolic link (to {target}); {hint}").format(
                    path=path, target=os.readlink(path), hint=_(FOLLOW_HINT)
                )
            )
        path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _cannot_be_written(output, error) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError(
            _("{path}: is a directory, expected a file name for {what}").format(
                path=output.path, what=output.what
            )
        )
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError(
            _("{path}: is {kind}, not a regular file; expected a file name for {what}").format(
                path=output.path, kind=describe_kind(mode), what=output.what
            )
        )
    folder = folder_of(path)
    if not folder.is_dir():
        raise InputError(
            _("{path}: the folder {folder} does not exist").format(path=output.path, folder=folder)
        )
    return path


def _check_room(output: Output, folder: Path, min_free_bytes: int) -> None:
    try:
        status = os.statvfs(folder)
    except OSError as error:
        raise _cannot_be_written(output, error) from None
    if status.f_flag & os.ST_RDONLY:
        raise InputError(
            _("{path}: the folder {folder} is on a read-only file system").format(
                path=output.path, folder=folder
            )
        )
    try:
        # A real file made and dropped at once: permissions, quotas and the like, as the
        # write itself will meet them.
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise _cannot_be_written(output, error) from None
    free = status.f_bavail * status.f_frsize
    if free < min_free_bytes:
        raise InputError(
            _("{path}: only {free} KiB free in {folder}, expected at least {needed} MiB").format(
                path=output.path,
                free=free // 1024,
                folder=folder,
                needed=min_free_bytes // (1024 * 1024),
            )
        )


def _check_not_replacing_another_kind(output: Output, target: Path) -> None:
    # Nothing on the command line asks before replacing a file: one that holds answers, an
    # assessment or a probe report is work the user may not have anywhere else.
    held = kind_of_file(target) if target.is_file() else None
    if held is not None and held != output.writes:
        raise InputError(
            _(
                "{path}: holds {kind}, which {what} would replace; "
                "expected a new file name, or remove that file first"
            ).format(path=output.path, kind=_(KIND_NAMES[held]), what=output.what)
        )


def _cannot_be_written(output: Output, error: OSError) -> InputError:
    return InputError(
        _("{path}: cannot be written ({reason})").format(
            path=output.path, reason=describe_os_error(error)
        )
    )


def _path_identity(path: Path) -> tuple[int, int] | str:
    """A file by device and inode, so that a hard link is the same file under another name;
    a file that does not exist yet, by its resolved path."""
    try:
        status = path.stat()
    except OSError:
        return os.path.realpath(path)
    return (status.st_dev, status.st_ino)


def _identity_of_input(source: Path) -> tuple[int, int] | str | None:
    if str(source) == STDIN_SOURCE:
        # Standard input may be a file redirected in: `--answers - < answers.json`.
        try:
            status = os.fstat(sys.stdin.fileno())
        except (OSError, ValueError):
            return None
        return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else None
    return _path_identity(source)


def _shown(path: Path) -> str:
    return _("standard input") if str(path) == STDIN_SOURCE else str(path)


def outputs_of(
    pairs: Sequence[tuple[str | Path | None, str]], *, writes: FileKind | None = None
) -> list[Output]:
    """The outputs among (path or None, what) pairs, '-' (standard output) left out."""
    return [
        Output(Path(path), what, writes) for path, what in pairs if path not in (None, STDIN_SOURCE)
    ]
