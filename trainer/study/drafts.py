"""The draft book: what is being typed, kept in memory and in the store.

A draft is written when the TUI says so (debounced after the last key) and dropped when its
answer is stored or the learner discards it. A write that fails (disk full, read-only) keeps
the text in memory, where `get` still finds it; `flush` writes what is pending once space
returns (the next save, a submit, or the crash handler).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from trainer.store import drafts as stored
from trainer.store.db import Store, StoreWriteError, now_utc


def quiz_key(card_id: str) -> str:
    """A quiz answer's draft: per card, so it comes back in the next quiz that asks it."""
    return f"quiz:{card_id}"


def mock_prefix(mock_id: int) -> str:
    return f"mock:{mock_id}:"


def scenario_key(scenario_id: str, part: str) -> str:
    """A scenario's notes or write-up (`part`), restored the next time it is played."""
    return f"scenario:{scenario_id}:{part}"


class DraftBook:
    def __init__(self, store: Store, clock: Callable[[], datetime] = now_utc):
        self.store = store
        self.clock = clock
        # Written to memory but not (yet) to the store; None is a deletion not yet written.
        self._pending: dict[str, str | None] = {}
        self._pending_prefixes: set[str] = set()

    def get(self, key: str) -> str:
        """The draft under `key`, "" if there is none."""
        if key in self._pending:
            return self._pending[key] or ""
        if any(key.startswith(prefix) for prefix in self._pending_prefixes):
            return ""
        return stored.load(self.store, key) or ""

    def save(self, key: str, text: str) -> bool:
        """Keep `text` under `key` (blank text drops the draft). False if only kept in memory:
        the store could not be written."""
        if not text.strip():
            return self.discard(key)
        self._pending[key] = text
        return self.flush()

    def discard(self, key: str) -> bool:
        """Drop the draft under `key` (False if the store still holds it, for now)."""
        self._pending[key] = None
        return self.flush()

    def discard_under(self, prefix: str) -> bool:
        """Drop every draft whose key starts with `prefix`."""
        for key in [k for k in self._pending if k.startswith(prefix)]:
            del self._pending[key]
        self._pending_prefixes.add(prefix)
        return self.flush()

    @property
    def unsaved(self) -> bool:
        """Whether some draft lives only in memory."""
        return bool(self._pending or self._pending_prefixes)

    def flush(self) -> bool:
        """Write what is pending; True when the store holds every draft as it should."""
        try:
            for prefix in list(self._pending_prefixes):
                stored.delete_under(self.store, prefix)
                self._pending_prefixes.discard(prefix)
            for key, text in list(self._pending.items()):
                if text is None:
                    stored.delete(self.store, key)
                else:
                    stored.save(self.store, key, text, self.clock())
                del self._pending[key]
        except StoreWriteError:
            return False
        return True
