"""Spaced repetition with FSRS (the `fsrs` package), persisted in the progress store.

Each card's FSRS id is derived from its YAML id, so editing a card's text never resets its
progress. New cards are introduced by the flashcards up to a daily limit (a quiz may schedule a
new card without using it up); every review is stored with the previous state, so a session can
undo reviews step by step (Store.undo_review). As in Anki, a lapse is an Again on a card that
has graduated from its learning steps (FSRS state Review): Again while learning is not one, and
leeches come only from lapses. Suspended cards and cards buried until later leave the queues.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from trainer.store.db import Store, iso, local_day, now_utc

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
DEFAULT_NEW_PER_DAY = 10
LEECH_LAPSES = 4  # forgotten this many times after being learned: flagged as a leech
LEARN_AHEAD = timedelta(minutes=20)  # a card due within this is shown now, as Anki does
REVIEW_STATE = 2  # fsrs State.Review: graduated from the learning steps
FORECAST_DAYS = 14

# Quiz score -> suggested rating (the learner may change it before it is saved).
SCORE_TO_RATING = ((90, 4), (70, 3), (40, 2), (0, 1))


def suggested_rating(score: int) -> int:
    """Again below 40, Hard 40-69, Good 70-89, Easy 90 and above."""
    for threshold, rating in SCORE_TO_RATING:
        if score >= threshold:
            return rating
    return 1


def fsrs_id(card_id: str) -> int:
    """A stable positive integer id for the fsrs Card, from the YAML card id."""
    return int.from_bytes(hashlib.blake2b(card_id.encode(), digest_size=6).digest(), "big")


def describe_interval(delta: timedelta) -> str:
    seconds = max(0, delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 60:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


class Scheduler:
    """Due queue, new-card limit, reviews and undo for one learner's store."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime] = now_utc,
        fuzzing: bool = True,
    ):
        self.store = store
        self.clock = clock
        self.fuzzing = fuzzing
        self._fsrs: Any = None

    @property
    def fsrs(self):
        """The fsrs Scheduler, imported on first use (fsrs costs ~40 ms to import; the home
        screen's due counts need only the stored due dates)."""
        if self._fsrs is None:
            from fsrs import Scheduler as FsrsScheduler

            self._fsrs = FsrsScheduler(enable_fuzzing=self.fuzzing)
        return self._fsrs

    # -- settings --------------------------------------------------------------------------
    @property
    def new_per_day(self) -> int:
        value = self.store.setting("new_per_day")
        return int(value) if value and value.isdigit() else DEFAULT_NEW_PER_DAY

    @new_per_day.setter
    def new_per_day(self, value: int) -> None:
        self.store.set_setting("new_per_day", str(max(0, int(value))))

    # -- queues ----------------------------------------------------------------------------
    def held_back(self) -> set[str]:
        """Cards out of the queues now: suspended, or buried until a time not yet reached."""
        now = iso(self.clock())
        return {
            cid
            for cid, flags in self.store.card_flags().items()
            if flags["suspended"] or (flags["buried_until"] and flags["buried_until"] > now)
        }

    def due(self, card_ids: Iterable[str], ahead: timedelta = LEARN_AHEAD) -> list[str]:
        """Cards already introduced whose review is due (or due within `ahead`), soonest first;
        suspended and buried cards left out."""
        wanted = set(card_ids) - self.held_back()
        limit = iso(self.clock() + ahead)
        rows = self.store.schedule_rows()
        due = [
            (row["due"], cid) for cid, row in rows.items() if cid in wanted and row["due"] <= limit
        ]
        return [cid for _, cid in sorted(due)]

    def forecast(self, card_ids: Iterable[str], days: int = FORECAST_DAYS) -> list[tuple[str, int]]:
        """(local day, reviews due that day) for today and the next `days - 1` days; what is
        overdue counts today. Suspended cards left out (a buried card is due when it returns)."""
        wanted = set(card_ids) - self.store.suspended_ids()
        today = date.fromisoformat(local_day(self.clock()))
        counts = [0] * days
        for cid, row in self.store.schedule_rows().items():
            if cid not in wanted:
                continue
            due_day = date.fromisoformat(local_day(datetime.fromisoformat(row["due"])))
            offset = (due_day - today).days
            if offset < days:
                counts[max(0, offset)] += 1
        return [((today + timedelta(days=n)).isoformat(), counts[n]) for n in range(days)]

    def due_today(self, card_ids: Iterable[str]) -> int:
        now = self.clock()
        end_of_day = now.astimezone().replace(hour=23, minute=59, second=59)
        return len(self.due(card_ids, ahead=end_of_day - now))

    def new_left_today(self) -> int:
        return max(0, self.new_per_day - self.store.introduced_on(local_day(self.clock())))

    def new_cards(self, card_ids: Iterable[str]) -> list[str]:
        """Cards never reviewed, in bank order, up to what is left of today's limit (suspended
        and buried ones left out)."""
        seen = self.store.schedule_rows()
        held = self.held_back()
        fresh = [cid for cid in card_ids if cid not in seen and cid not in held]
        return fresh[: self.new_left_today()]

    def queue(self, card_ids: Iterable[str]) -> list[str]:
        ids = list(card_ids)
        return self.due(ids) + self.new_cards(ids)

    # -- reviewing -------------------------------------------------------------------------
    def _card(self, card_id: str):
        from fsrs import Card as FsrsCard

        row = self.store.schedule_row(card_id)
        if row is None:
            return FsrsCard(card_id=fsrs_id(card_id), due=self.clock())
        return FsrsCard.from_dict(row["fsrs"])

    def preview(self, card_id: str) -> dict[int, timedelta]:
        """The interval each rating would give, without saving anything."""
        from fsrs import Rating

        card, now = self._card(card_id), self.clock()
        return {r: self.fsrs.review_card(card, Rating(r), now)[0].due - now for r in RATINGS}

    def review(
        self, card_id: str, rating: int, session_id: int | None = None, mode: str | None = None
    ) -> int:
        """Rate a card (1-4): store its new schedule at once; return the review id. `mode` is
        the session's (a card's first review by "flashcards" uses the new-card allowance)."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be 1-4 (Again, Hard, Good, Easy); got {rating!r}")
        from fsrs import Rating

        before = self.store.schedule_row(card_id)
        card, now = self._card(card_id), self.clock()
        updated, _ = self.fsrs.review_card(card, Rating(rating), now)
        # Anki's and FSRS's lapse: forgetting a graduated card (Again during the learning or
        # relearning steps is part of learning it).
        lapse = rating == 1 and before is not None and before["fsrs"].get("state") == REVIEW_STATE
        review_id = self.store.save_review(
            card_id, rating, updated.to_dict(), iso(updated.due), lapse, now, session_id, mode
        )
        return review_id

    def leeches(self) -> list[tuple[str, int]]:
        return self.store.leeches(LEECH_LAPSES)
