"""Crash reports: what went wrong, written to the data folder, never the user's words.

On an unexpected error the CLI (and the TUI) call `write_crash_report`, then print one line
saying where the report is. The report holds the traceback (file, line, code; no local
variables, which may hold an answer being typed), the version, the platform and the time.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from trainer import __version__
from trainer.private_files import make_private_folder, write_private_file
from trainer.safe_text import strip_controls

CRASH_FOLDER = "crash-reports"
KEEP_REPORTS = 20  # the newest ones; a crash loop must not fill the disk


def crash_report_text(error: BaseException, when: datetime | None = None) -> str:
    """The report: a header, then the traceback without local variables."""
    moment = (when or datetime.now(UTC)).astimezone(UTC)
    lines = [
        f"sre-trainer {__version__} crash report",
        f"time: {moment.isoformat(timespec='seconds')}",
        f"python: {platform.python_implementation()} {platform.python_version()}",
        f"platform: {platform.platform()}",
        f"command: sre-trainer {_command(sys.argv[1:])}".rstrip(),
        "",
        *traceback.format_exception(error),
    ]
    return strip_controls("\n".join(line.rstrip("\n") for line in lines)) + "\n"


def _command(argv: list[str]) -> str:
    """The command and its options, without values that are not option names (a value may
    be a path or a query; enough to reproduce the crash is the command and flags)."""
    return " ".join(a if a.startswith("-") or a.isidentifier() else "…" for a in argv[:12])


def write_crash_report(
    error: BaseException, data_dir: Path | str, when: datetime | None = None
) -> Path:
    """Write a report of `error` to `data_dir/crash-reports/` (folder 0700, file 0600) and
    return its path. Raises OSError when it cannot be written (a full disk): the caller then
    says so in its one line."""
    folder = make_private_folder(Path(data_dir) / CRASH_FOLDER)
    moment = (when or datetime.now(UTC)).astimezone(UTC)
    stem = f"crash-{moment.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    text = crash_report_text(error, moment).encode("utf-8", "replace")
    for number in range(1, 100):
        path = folder / (f"{stem}.txt" if number == 1 else f"{stem}-{number}.txt")
        try:
            write_private_file(path, text)
        except FileExistsError:
            continue
        _prune(folder)
        return path
    raise FileExistsError(f"too many crash reports named {stem} in {folder}")


def _prune(folder: Path) -> None:
    reports = sorted(folder.glob("crash-*.txt"), key=lambda p: p.name)
    for old in reports[:-KEEP_REPORTS]:
        with contextlib.suppress(OSError):
            old.unlink()


def crash_line(error: BaseException, report: Path | None, problem: str = "") -> str:
    """The one line printed after a crash."""
    kind = type(error).__name__
    if report is not None:
        return f"sre-trainer: unexpected error ({kind}); a crash report was written to {report}"
    return f"sre-trainer: unexpected error ({kind}); no crash report could be written ({problem})"
