"""A drill session: the next drill (due ones first), checking, and storing each result in the
progress store and the drill's own spaced-repetition schedule.

Within a session each drill is one attempt and one review: checking it again replaces both
(ctrl+s pressed three times is still one answer). An attempt that does not parse is not an
answer and is not stored. Asking to see the answer before any real attempt is stored as an
attempt scored 0 (rated Again); checks after that are practice and change nothing stored.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from trainer.content.models import Bank
from trainer.store.db import Store, now_utc
from trainer.study.drills import Drill, DrillResult, check, drills
from trainer.study.scheduler import Scheduler, suggested_rating

REVEALED_ANSWER = "(asked to see the answer before answering)"


class _Stored(NamedTuple):
    attempt_id: int
    review_id: int
    revealed: bool


class DrillSession:
    def __init__(
        self,
        bank: Bank,
        store: Store,
        scheduler: Scheduler,
        kind: str,
        clock: Callable[[], datetime] = now_utc,
        seed: int | None = None,
    ):
        self.bank = bank
        self.store = store
        self.scheduler = scheduler
        self.kind = kind
        self.clock = clock
        self.rng = random.Random(seed)
        pool = drills(bank, kind, seed=self.rng.randrange(1 << 30))
        by_id = {d.schedule_id: d for d in pool}
        due = [by_id[i] for i in scheduler.due(by_id)]
        seen = set(store.schedule_rows())
        fresh = [d for d in pool if d.schedule_id not in seen]
        rest = [d for d in pool if d not in due and d not in fresh]
        self.rng.shuffle(fresh)
        self.queue: list[Drill] = due + fresh + rest
        self.position = 0
        self.session_id = store.start_session(f"drill-{kind}", clock())
        self._stored: dict[str, _Stored] = {}
        self._scores: dict[str, int] = {}

    @property
    def current(self) -> Drill:
        return self.queue[self.position % len(self.queue)]

    @property
    def results(self) -> list[int]:
        """The stored score of each drill answered in this session."""
        return list(self._scores.values())

    @property
    def shown_first(self) -> bool:
        """Whether the current drill's answer was shown before any real attempt at it."""
        stored = self._stored.get(self.current.schedule_id)
        return stored is not None and stored.revealed

    def submit(self, attempt: str) -> DrillResult:
        """Check the attempt; a real one (it parses) is stored, or replaces this session's
        earlier check of the same drill, unless the answer was shown first."""
        drill = self.current
        result = check(self.bank, drill, attempt)
        if result.verdict == "invalid":
            return result
        stored = self._stored.get(drill.schedule_id)
        if stored is not None and stored.revealed:
            return result  # practice after seeing the answer: the 0 for asking stands
        self._save(drill, attempt, result.score, stored)
        return result

    def reveal(self) -> Drill:
        """Show the answer: before any real attempt the ask is stored as a 0 (Again)."""
        drill = self.current
        if drill.schedule_id not in self._stored:
            self._save(drill, REVEALED_ANSWER, 0, None, revealed=True)
        return drill

    def _save(
        self, drill: Drill, answer: str, score: int, stored: _Stored | None, revealed: bool = False
    ) -> None:
        rating = suggested_rating(score)
        if stored is None:
            attempt_id = self.store.record_attempt(
                drill.schedule_id,
                f"drill-{self.kind}",
                answer,
                score,
                [],
                [],
                [],
                rating=rating,
                session_id=self.session_id,
                when=self.clock(),
            )
        else:
            attempt_id = stored.attempt_id
            self.store.replace_attempt(attempt_id, answer, score, rating)
            self.store.undo_review(stored.review_id)
        review_id = self.scheduler.review(drill.schedule_id, rating, self.session_id)
        self._stored[drill.schedule_id] = _Stored(attempt_id, review_id, revealed)
        self._scores[drill.schedule_id] = score

    def next(self) -> Drill:
        self.position += 1
        return self.current

    def finish(self) -> dict:
        results = self.results
        summary = {
            "mode": f"drill-{self.kind}",
            "answered": len(results),
            "average": round(sum(results) / len(results), 1) if results else None,
        }
        self.store.end_session(self.session_id, summary, self.clock())
        return summary
