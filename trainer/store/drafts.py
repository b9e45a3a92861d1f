"""Drafts in the progress database: what is being typed (a quiz answer, a mock answer, a
scenario's notes or write-up), keyed by where it was typed, until it is submitted or discarded.

Kept apart from `db.py` so the store's connection and transaction code stays in one place:
these functions use the store's own transaction, so a failed write raises the store's
`StoreWriteError` like every other write.
"""

from __future__ import annotations

from datetime import datetime

from trainer.store.db import Store, iso, now_utc


def save(store: Store, key: str, text: str, when: datetime | None = None) -> None:
    """Keep `text` as the draft under `key` (replacing the previous one)."""
    with store._tx() as db:
        db.execute(
            "INSERT INTO drafts(key, text, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO "
            "UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            (key, text, iso(when or now_utc())),
        )


def load(store: Store, key: str) -> str | None:
    row = store.db.execute("SELECT text FROM drafts WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def delete(store: Store, key: str) -> None:
    with store._tx() as db:
        db.execute("DELETE FROM drafts WHERE key = ?", (key,))


def delete_under(store: Store, prefix: str) -> None:
    """Drop every draft whose key starts with `prefix` (a finished or discarded mock's)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    with store._tx() as db:
        db.execute("DELETE FROM drafts WHERE key LIKE ? ESCAPE '\\'", (escaped + "%",))


def keys(store: Store) -> list[str]:
    return [row[0] for row in store.db.execute("SELECT key FROM drafts ORDER BY key")]
