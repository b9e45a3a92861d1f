"""Study streaks: kept apart from the progress summary so the home screen can show one
without building the summary's types at start-up."""

from __future__ import annotations

from datetime import date, timedelta


def streak(days: list[str], today: str) -> int:
    """Consecutive study days ending today (or yesterday, if today is not studied yet)."""
    active = set(days)
    current = date.fromisoformat(today)
    if today not in active:
        current -= timedelta(days=1)
    count = 0
    while current.isoformat() in active:
        count += 1
        current -= timedelta(days=1)
    return count
