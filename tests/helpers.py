"""Helpers shared by the test modules (imported as `helpers`)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


class Clock:
    """A clock the tests move by hand: time-outs and schedules without sleeping."""

    def __init__(self, now: datetime = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def run_trainer(*args: str, stdin: str = "", home: Path | None = None):
    """`python -m trainer ARGS` as a user runs it, with its own home when given."""
    env = dict(os.environ)
    if home is not None:
        env["SRE_TRAINER_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env=env,
        timeout=60,
    )
