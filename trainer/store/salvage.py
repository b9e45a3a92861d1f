"""Copy what can still be read from a damaged progress file into a fresh one.

A damaged page loses the rows stored on it, not the whole file: each table is read forwards
until the damage, then backwards from its end, so the rows on both sides of a bad page are
kept. The damaged file itself is only read (opened read-only), so it stays as it was for
anyone who wants to try harder (`sqlite3 FILE .recover`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from urllib.parse import quote

from trainer.store.db import Store, StoreWriteError


def salvage(damaged: Path, store: Store) -> int:
    """Rows copied from `damaged` into `store` (0 when nothing could be read)."""
    try:
        source = sqlite3.connect(f"file:{quote(str(damaged))}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        if _read(source, "PRAGMA user_version") != _read(store.db, "PRAGMA user_version"):
            return 0  # another schema: its rows would not fit the fresh tables
        tables = [
            row[0]
            for row in store.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        copied = 0
        with store._tx() as db:
            for table in tables:
                copied += _copy_table(source, db, table)
        return copied
    except (sqlite3.Error, StoreWriteError):
        return 0  # the damaged file stays aside; nothing half-copied is committed
    finally:
        source.close()


def _read(connection: sqlite3.Connection, sql: str):
    try:
        return connection.execute(sql).fetchone()
    except sqlite3.Error:
        return None


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> int:
    try:
        columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
    except sqlite3.Error:
        return 0
    wanted = [row[1] for row in target.execute(f'PRAGMA table_info("{table}")')]
    if not columns or set(columns) != set(wanted):
        return 0
    names = ", ".join(f'"{c}"' for c in wanted)
    insert = f'INSERT OR IGNORE INTO "{table}"({names}) VALUES ({", ".join("?" * len(wanted))})'
    copied = 0
    for order in ("ASC", "DESC"):
        try:
            rows = source.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid {order}')
        except sqlite3.DatabaseError:
            continue
        while True:
            try:
                row = rows.fetchone()
            except sqlite3.DatabaseError:
                break  # the damage: read the rest from the other end
            if row is None:
                return copied  # read whole: no need to come from the other end
            # A row referring to one that was lost (its session) is left out.
            with contextlib.suppress(sqlite3.IntegrityError):
                copied += target.execute(insert, row).rowcount
    return copied
