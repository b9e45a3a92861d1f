"""A quiz session: pick cards, grade typed answers, store every attempt the moment it is made.

The first graded answer to a card in a session is the one that counts: it goes to the average
and, once rated, to the card's schedule. Answering the card again (a retry) is practice: it is
stored and shown as such, and left out of the schedule and the average. A quiz of the
most-missed points (`focus`) grades each card on those points only, as practice too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from trainer.content.models import Bank, Card
from trainer.grading.concepts import GradeResult, check_answer, grade
from trainer.grading.text import aliases_for
from trainer.store.db import Store, now_utc
from trainer.study.scheduler import Scheduler, suggested_rating

ORDERS = ("bank", "random", "weakest")


@dataclass(frozen=True)
class QuizOptions:
    categories: tuple[str, ...] = ()  # empty: all
    tags: tuple[str, ...] = ()  # empty: any; else a card needs one of them
    card_ids: tuple[str, ...] = ()  # explicit cards (e.g. "quiz my most-missed points")
    count: int = 10
    order: str = "bank"  # bank | random | weakest
    seed: int | None = None
    decks: tuple[str, ...] = ()  # empty: all
    # card id -> the rubric points to grade it on (the most-missed): practice of those points
    focus: tuple[tuple[str, tuple[str, ...]], ...] = ()


def choose_cards(bank: Bank, store: Store, options: QuizOptions) -> list[Card]:
    """The cards a quiz with these options asks, in order (suspended cards left out unless
    named)."""
    if options.card_ids:
        cards = [bank.cards[cid] for cid in options.card_ids if cid in bank.cards]
    else:
        suspended = store.suspended_ids()
        cards = [
            c
            for c in bank.cards.values()
            if (not options.categories or c.category in options.categories)
            and (not options.tags or set(options.tags) & set(c.tags))
            and (not options.decks or c.deck in options.decks)
            and c.id not in suspended
        ]
    if options.order == "random":
        random.Random(options.seed).shuffle(cards)
    elif options.order == "weakest":
        scores = store.card_scores()
        # Never-answered cards count as 0; ties keep bank order.
        cards.sort(key=lambda c: scores[c.id][3] if c.id in scores else 0)
    return cards[: max(1, options.count)]


@dataclass
class Answered:
    card: Card
    answer: str
    result: GradeResult
    attempt_id: int
    rating: int
    review_id: int | None = None  # the schedule review its rating made, once rated
    index: int = 0  # the card's place in the quiz
    practice: str | None = None  # 'retry' or 'points': not scheduled, not in the average

    @property
    def scheduled(self) -> bool:
        """Whether its rating goes to the card's schedule (the first answer in the session)."""
        return self.practice is None


@dataclass
class QuizSession:
    """One run through a list of cards. `submit` grades and stores; `rate` feeds the schedule.

    Both are idempotent per card: submitting the current card again (a key pressed twice)
    returns the stored answer, and rating an answer again replaces its review. Answering a card
    afresh is a deliberate `retry`: practice, never scheduled nor averaged.
    """

    bank: Bank
    store: Store
    scheduler: Scheduler
    cards: list[Card]
    mode: str = "quiz"
    clock: Callable[[], datetime] = now_utc
    index: int = 0
    answered: list[Answered] = field(default_factory=list)
    session_id: int | None = None

    focus: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.aliases = aliases_for(self.bank.aliases)
        self._retrying = False
        self.session_id = self.store.start_session(self.mode, self.clock())

    def graded_card(self, card: Card) -> Card:
        """The card as graded: with only its focus points, in a quiz of the most-missed."""
        points = self.focus.get(card.id)
        if not points:
            return card
        return card._replace(rubric=tuple(p for p in card.rubric if p.text in points))

    @property
    def retrying(self) -> bool:
        return self._retrying

    def previous_answer(self) -> str:
        """The last answer to the current card in this session ("" if none): a retry starts
        from it."""
        for answered in reversed(self.answered):
            if answered.index == self.index:
                return answered.answer
        return ""

    @property
    def current(self) -> Card | None:
        return self.cards[self.index] if self.index < len(self.cards) else None

    @property
    def done(self) -> bool:
        return self.index >= len(self.cards)

    @property
    def submitted(self) -> Answered | None:
        """The current card's stored answer, if it has one (until a retry)."""
        if self.answered and self.answered[-1].index == self.index and not self._retrying:
            return self.answered[-1]
        return None

    def submit(self, answer: str) -> Answered:
        """Grade the answer to the current card and commit the attempt (AnswerError if empty).
        The card already answered: its stored answer, nothing stored again."""
        card = self.current
        if card is None:
            raise IndexError("the quiz is over")
        if self.submitted is not None:
            return self.submitted
        check_answer(answer)
        if self.focus.get(card.id):
            practice: str | None = "points"
        elif any(a.index == self.index for a in self.answered):
            practice = "retry"
        else:
            practice = None
        result = grade(
            self.graded_card(card), answer, self.aliases, every_card_flags=self.bank.red_flags
        )
        attempt_id = self.store.record_attempt(
            card.id,
            self.mode,
            answer,
            result.score,
            [p.text for p in result.matched],
            [p.text for p in result.missed],
            [f.claim for f in result.red_flags],
            session_id=self.session_id,
            when=self.clock(),
            practice=practice,
        )
        answered = Answered(
            card,
            answer,
            result,
            attempt_id,
            suggested_rating(result.score),
            index=self.index,
            practice=practice,
        )
        self.answered.append(answered)
        self._retrying = False
        return answered

    def retry(self) -> None:
        """Answer the current card again: the next submit is a new attempt, as practice."""
        self._retrying = True

    def rate(self, answered: Answered, rating: int) -> None:
        """Save the (possibly changed) rating: on the attempt and in the card's schedule. A
        second rating of the same answer replaces the first review rather than adding one.
        Practice (a retry, a quiz of missed points) is not rated: nothing is saved."""
        if not answered.scheduled:
            return
        if answered.review_id is not None and answered.rating == rating:
            return
        self.store.set_attempt_rating(answered.attempt_id, rating)
        if answered.review_id is not None:
            self.store.undo_review(answered.review_id)
            answered.review_id = None
        answered.review_id = self.scheduler.review(
            answered.card.id, rating, self.session_id, mode=self.mode
        )
        answered.rating = rating

    def next(self) -> Card | None:
        self.index += 1
        self._retrying = False
        return self.current

    def summary(self) -> dict:
        """Answers that count (the first to each card) and their average; practice apart."""
        scores = [a.result.score for a in self.answered if a.scheduled]
        practice = [a.result.score for a in self.answered if not a.scheduled]
        return {
            "mode": self.mode,
            "answered": len(scores),
            "cards": len(self.cards),
            "average": round(sum(scores) / len(scores), 1) if scores else None,
            "practice": len(practice),
            "practice_average": round(sum(practice) / len(practice), 1) if practice else None,
        }

    def finish(self) -> dict:
        summary = self.summary()
        if self.session_id is not None:
            self.store.end_session(self.session_id, summary, self.clock())
            self.session_id = None
        return summary


def tags_of(cards: Iterable[Card]) -> list[str]:
    return sorted({t for c in cards for t in c.tags})
