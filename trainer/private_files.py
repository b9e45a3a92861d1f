"""Folders and files private to the user (0700 and 0600), created without following links.

Progress, cache and crash reports can hold the user's answers; nobody else on the machine
should read them, and a planted symlink must never make us write somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def make_private_folder(folder: Path) -> Path:
    """Create `folder` and any missing parents, each 0700 (the cache can create the data
    folder's parent first, when both live under $SRE_TRAINER_HOME). An existing folder is
    left as it is: it may be shared on purpose."""
    folder = Path(folder)
    missing = []
    for path in (folder, *folder.parents):
        if path.is_dir():
            break
        missing.append(path)
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
    return folder


def create_private_file(path: Path) -> int:
    """Open a new file for writing, 0600, failing if anything (a file, a link) is already
    there: the descriptor, to be closed by the caller."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    return os.open(path, flags, FILE_MODE)


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` to a new 0600 file at `path` (FileExistsError if anything is there)."""
    descriptor = create_private_file(path)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            descriptor = -1
            handle.write(data)
    except BaseException:
        if descriptor != -1:
            os.close(descriptor)
        path.unlink(missing_ok=True)
        raise
