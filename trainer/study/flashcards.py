"""A flashcard session: the due queue plus today's new cards, or a cram run of any cards.

Ratings go to the FSRS schedule at once (cram leaves the schedule untouched); undo walks the
session's ratings back one at a time.
"""

from __future__ import annotations

from datetime import timedelta

from trainer.content.models import Bank, Card
from trainer.store.db import Store
from trainer.study.scheduler import RATINGS, Scheduler


class FlashcardSession:
    def __init__(
        self,
        bank: Bank,
        store: Store,
        scheduler: Scheduler,
        cram_cards: list[Card] | None = None,
    ):
        self.bank = bank
        self.store = store
        self.scheduler = scheduler
        self.cram = cram_cards is not None
        if cram_cards is not None:
            self.queue = [c.id for c in cram_cards]
        else:
            self.queue = scheduler.queue(bank.cards)
        self.position = 0
        self.flipped = False
        self.history: list[tuple[int, str, int | None, int]] = []  # position, card, review, rating
        self.session_id: int | None = store.start_session("cram" if self.cram else "flashcards")
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
        self.flipped = not self.flipped

    def intervals(self) -> dict[int, timedelta]:
        card = self.current
        return self.scheduler.preview(card.id) if card and not self.cram else {}

    def rate(self, rating: int) -> None:
        card = self.current
        if card is None:
            raise IndexError("no card to rate")
        review_id = None if self.cram else self.scheduler.review(card.id, rating, self.session_id)
        self.history.append((self.position, card.id, review_id, rating))
        self.counts[rating] += 1
        if not self.cram and rating == 1:
            self.queue.append(card.id)  # forgotten: see it again before the session ends
        self.position += 1
        self.flipped = False

    @property
    def can_undo(self) -> bool:
        return bool(self.history)

    def undo(self) -> Card | None:
        """Take back the last rating: the card comes back and its schedule is restored."""
        if not self.history:
            return None
        position, card_id, review_id, rating = self.history[-1]
        if review_id is not None:
            self.store.undo_review(review_id)  # first: if it fails, nothing has changed
        self.history.pop()
        self.counts[rating] -= 1
        if review_id is not None and self.queue[-1] == card_id and len(self.queue) - 1 > position:
            self.queue.pop()  # the re-queued copy of an "Again"
        self.position = position
        self.flipped = True
        return self.current

    def finish(self) -> dict:
        summary = {
            "mode": "cram" if self.cram else "flashcards",
            "reviewed": len(self.history),
            "again": self.counts[1],
            "good_or_easy": self.counts[3] + self.counts[4],
        }
        if self.session_id is not None:
            self.store.end_session(self.session_id, summary)
            self.session_id = None
        return summary
