"""A flashcard session: the due queue plus today's new cards, or a cram run of any cards.

Ratings go to the FSRS schedule at once (cram leaves the schedule untouched); Again brings a
card back before the session ends (cram too). Undo walks the session's ratings back one at a
time, and puts the screen back exactly as it was before the rating: the same card, the answer
shown or hidden as it was, the queue without the copy an Again had added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from trainer.content.models import Bank, Card
from trainer.store.db import Store
from trainer.study.scheduler import RATINGS, Scheduler


@dataclass(frozen=True)
class Rated:
    """One rating of the session and the state it was made in (what undo restores)."""

    position: int
    card_id: str
    review_id: int | None  # None in cram
    rating: int
    flipped: bool
    queue_length: int


class FlashcardSession:
    def __init__(
        self,
        bank: Bank,
        store: Store,
        scheduler: Scheduler,
        cram_cards: list[Card] | None = None,
        scope: Iterable[str] | None = None,
    ):
        """`cram_cards`: a cram run of these cards; else the due and new cards among `scope`
        (card ids; default every card of the bank)."""
        self.bank = bank
        self.store = store
        self.scheduler = scheduler
        self.cram = cram_cards is not None
        if cram_cards is not None:
            self.queue = [c.id for c in cram_cards]
        else:
            self.queue = scheduler.queue(bank.cards if scope is None else scope)
        self.position = 0
        self.flipped = False
        self.history: list[Rated] = []
        self.mode = "cram" if self.cram else "flashcards"
        self.session_id: int | None = store.start_session(self.mode)
        self.counts = dict.fromkeys(RATINGS, 0)

    @property
    def current(self) -> Card | None:
        while self.position < len(self.queue):
            card = self.bank.cards.get(self.queue[self.position])
            if card is not None:
                return card
            self.position += 1  # a card removed from the bank since it was scheduled
        return None

    @property
    def remaining(self) -> int:
        return max(0, len(self.queue) - self.position)

    def flip(self) -> None:
        """Show the answer (it stays shown until the card is rated)."""
        self.flipped = True

    def intervals(self) -> dict[int, timedelta]:
        card = self.current
        return self.scheduler.preview(card.id) if card and not self.cram else {}

    def rate(self, rating: int) -> None:
        card = self.current
        if card is None:
            raise IndexError("no card to rate")
        review_id = (
            None
            if self.cram
            else self.scheduler.review(card.id, rating, self.session_id, mode=self.mode)
        )
        self.history.append(
            Rated(self.position, card.id, review_id, rating, self.flipped, len(self.queue))
        )
        self.counts[rating] += 1
        if rating == 1:
            self.queue.append(card.id)  # forgotten: see it again before the session ends
        self.position += 1
        self.flipped = False

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    @property
    def last_rating(self) -> Rated | None:
        return self.history[-1] if self.history else None

    def undo(self) -> Card | None:
        """Take back the last rating: its card comes back as it was shown when rated, its
        schedule restored, and an Again's copy taken off the queue."""
        if not self.history:
            return None
        last = self.history[-1]
        if last.review_id is not None:
            self.store.undo_review(last.review_id)  # first: if it fails, nothing has changed
        self.history.pop()
        self.counts[last.rating] -= 1
        del self.queue[last.queue_length :]
        self.position = last.position
        self.flipped = last.flipped
        return self.current

    def finish(self) -> dict:
        summary = {
            "mode": self.mode,
            "reviewed": len(self.history),
            "again": self.counts[1],
            "good_or_easy": self.counts[3] + self.counts[4],
        }
        if self.session_id is not None:
            self.store.end_session(self.session_id, summary)
            self.session_id = None
        return summary
