"""A drill session: the next drill (due ones first), checking, and storing each result in the
progress store and the drill's own spaced-repetition schedule."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from trainer.content.models import Bank
from trainer.store.db import Store, now_utc
from trainer.study.drills import Drill, DrillResult, check, drills
from trainer.study.scheduler import Scheduler, suggested_rating


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
        self.results: list[int] = []

    @property
    def current(self) -> Drill:
        return self.queue[self.position % len(self.queue)]

    def submit(self, attempt: str) -> DrillResult:
        """Check the attempt; a real attempt (not an unparseable one) is stored and scheduled."""
        drill = self.current
        result = check(self.bank, drill, attempt)
        if result.verdict == "invalid" and not attempt.strip():
            return result
        self.store.record_attempt(
            drill.schedule_id,
            f"drill-{self.kind}",
            attempt,
            result.score,
            [],
            [],
            [],
            rating=suggested_rating(result.score),
            session_id=self.session_id,
            when=self.clock(),
        )
        self.scheduler.review(drill.schedule_id, suggested_rating(result.score), self.session_id)
        self.results.append(result.score)
        return result

    def next(self) -> Drill:
        self.position += 1
        return self.current

    def finish(self) -> dict:
        summary = {
            "mode": f"drill-{self.kind}",
            "answered": len(self.results),
            "average": round(sum(self.results) / len(self.results), 1) if self.results else None,
        }
        self.store.end_session(self.session_id, summary, self.clock())
        return summary
