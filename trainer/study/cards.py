"""The card browser's core: find cards by text, deck, category, tag, due state or leech; one
card's whole story (its rubric, every answer with its score and date, its reviews, its next due
date, the learner's own note); and the Anki habits on a card: suspend, bury until tomorrow,
reset to new. Plain data for the TUI's browser and `sre-trainer list` alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from trainer.content.models import Bank, Card
from trainer.store.db import Attempt, Store, iso, local_day, now_utc
from trainer.study.scheduler import LEECH_LAPSES, RATINGS

# What "due" can ask for in a filter, and its words.
DUE_STATES = {
    "any": "any card",
    "due": "due today (overdue included)",
    "week": "due within 7 days",
    "new": "never reviewed",
    "learned": "reviewed at least once",
    "suspended": "suspended",
    "buried": "buried until later",
}
FSRS_STATES = {1: "learning", 2: "review", 3: "relearning"}
MAX_NOTE_CHARS = 5000


@dataclass(frozen=True)
class CardFilter:
    """Which cards to show or study. Empty tuples mean "all"; every word of `text` must appear
    in the card's id, question, answer, tags or the learner's note (any case)."""

    text: str = ""
    decks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    due: str = "any"
    leech: bool = False

    def __post_init__(self) -> None:
        if self.due not in DUE_STATES:
            raise ValueError(f"due must be one of {', '.join(DUE_STATES)}; got {self.due!r}")

    def describe(self) -> str:
        """In a few words, for a status line ("" when it keeps every card)."""
        parts = []
        if self.text.strip():
            parts.append(f'"{self.text.strip()}"')
        if self.decks:
            parts.append("deck " + ", ".join(self.decks))
        if self.categories:
            parts.append(", ".join(self.categories))
        if self.tags:
            parts.append("tag " + ", ".join(self.tags))
        if self.due != "any":
            parts.append(DUE_STATES[self.due])
        if self.leech:
            parts.append("leeches")
        return " · ".join(parts)


@dataclass(frozen=True)
class CardRow:
    """One card in the browser's list (and `list --json`)."""

    id: str
    deck: str
    category: str
    question: str
    tags: tuple[str, ...]
    state: str  # new | learning | review | relearning
    due: str | None  # ISO time of the next review; None for a new card
    due_day: str | None  # the learner's calendar day of it
    lapses: int
    reviews: int
    attempts: int  # answers that count (quiz, mock, drills), practice apart
    last_score: int | None
    best_score: int | None
    average_score: float | None
    suspended: bool
    buried_until: str | None
    leech: bool
    has_note: bool

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "deck": self.deck,
            "category": self.category,
            "question": self.question,
            "tags": list(self.tags),
            "state": self.state,
            "due": self.due,
            "due_day": self.due_day,
            "lapses": self.lapses,
            "reviews": self.reviews,
            "attempts": self.attempts,
            "last_score": self.last_score,
            "best_score": self.best_score,
            "average_score": self.average_score,
            "suspended": self.suspended,
            "buried_until": self.buried_until,
            "leech": self.leech,
            "has_note": self.has_note,
        }


@dataclass(frozen=True)
class AnswerEntry:
    """One earlier answer to a card, as the browser shows it."""

    when: str
    mode: str
    score: int
    practice: str | None
    rating: int | None
    answer: str
    matched: list[str]
    missed: list[str]
    red_flags: list[str]

    @property
    def rating_name(self) -> str | None:
        return RATINGS.get(self.rating) if self.rating else None


@dataclass
class CardDetail:
    """A card's whole story."""

    card: Card
    row: CardRow
    answers: list[AnswerEntry] = field(default_factory=list)  # newest first
    reviews: list[dict] = field(default_factory=list)  # newest first
    note: str = ""

    @property
    def last_answer(self) -> AnswerEntry | None:
        return self.answers[0] if self.answers else None


class CardBook:
    """Reads cards with their progress, and applies the browser's actions."""

    def __init__(self, bank: Bank, store: Store, clock: Callable[[], datetime] = now_utc) -> None:
        self.bank = bank
        self.store = store
        self.clock = clock

    # -- reading ---------------------------------------------------------------------------
    def rows(self, card_filter: CardFilter = CardFilter()) -> list[CardRow]:
        """The bank's cards that pass the filter, in bank order."""
        schedule = self.store.schedule_rows()
        scores = self.store.card_scores()
        flags = self.store.card_flags()
        notes = self.store.card_notes()
        words = [w for w in card_filter.text.lower().split() if w]
        out = []
        for card in self.bank.cards.values():
            if card_filter.decks and card.deck not in card_filter.decks:
                continue
            if card_filter.categories and card.category not in card_filter.categories:
                continue
            if card_filter.tags and not set(card_filter.tags) & set(card.tags):
                continue
            if words:
                haystack = " ".join(
                    (
                        card.id,
                        card.question,
                        card.answer,
                        " ".join(card.tags),
                        notes.get(card.id, {}).get("text", ""),
                    )
                ).lower()
                if not all(w in haystack for w in words):
                    continue
            row = self._row(card, schedule.get(card.id), scores.get(card.id), flags, notes)
            if self._due_matches(row, card_filter.due) and (not card_filter.leech or row.leech):
                out.append(row)
        return out

    def ids(self, card_filter: CardFilter) -> list[str]:
        return [row.id for row in self.rows(card_filter)]

    def detail(self, card_id: str) -> CardDetail:
        """The card's story (KeyError naming an unknown id)."""
        card = self.bank.card(card_id)
        row = self._row(
            card,
            self.store.schedule_row(card_id),
            self.store.card_scores().get(card_id),
            self.store.card_flags(),
            self.store.card_notes(),
        )
        answers = [_entry(a) for a in reversed(self.store.attempts(card_id))]
        reviews = list(reversed(self.store.reviews(card_id)))
        return CardDetail(card, row, answers, reviews, self.store.card_note(card_id))

    def _row(self, card: Card, schedule, scores, flags, notes) -> CardRow:
        flag = flags.get(card.id, {})
        buried = flag.get("buried_until")
        if buried and buried <= iso(self.clock()):
            buried = None  # back already
        if schedule is None:
            state, due, due_day, lapses, reviews = "new", None, None, 0, 0
        else:
            state = FSRS_STATES.get(schedule["fsrs"].get("state"), "review")
            due = schedule["due"]
            due_day = local_day(datetime.fromisoformat(due))
            lapses, reviews = schedule["lapses"], schedule["reviews"]
        attempts, total, best, last = scores if scores else (0, 0, None, None)
        return CardRow(
            id=card.id,
            deck=card.deck,
            category=card.category,
            question=card.question,
            tags=card.tags,
            state=state,
            due=due,
            due_day=due_day,
            lapses=lapses,
            reviews=reviews,
            attempts=attempts,
            last_score=last,
            best_score=best,
            average_score=round(total / attempts, 1) if attempts else None,
            suspended=bool(flag.get("suspended")),
            buried_until=buried,
            leech=lapses >= LEECH_LAPSES,
            has_note=card.id in notes,
        )

    def _due_matches(self, row: CardRow, due: str) -> bool:
        today = date.fromisoformat(local_day(self.clock()))
        if due == "any":
            return True
        if due == "new":
            return row.state == "new"
        if due == "learned":
            return row.state != "new"
        if due == "suspended":
            return row.suspended
        if due == "buried":
            return row.buried_until is not None
        if row.due_day is None or row.suspended:
            return False
        days = (date.fromisoformat(row.due_day) - today).days
        return days <= 0 if due == "due" else days < 7

    # -- actions ---------------------------------------------------------------------------
    def suspend(self, card_id: str, suspended: bool = True) -> None:
        """Suspend (or unsuspend) a card: out of every queue and quiz until unsuspended."""
        self.bank.card(card_id)
        self.store.set_suspended(card_id, suspended)

    def bury(self, card_id: str) -> str:
        """Keep a card out of the flashcards until the start of tomorrow; that time (ISO)."""
        self.bank.card(card_id)
        local_now = self.clock().astimezone()
        tomorrow = (local_now + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        self.store.set_buried_until(card_id, tomorrow)
        return iso(tomorrow)

    def unbury(self, card_id: str) -> None:
        self.bank.card(card_id)
        self.store.set_buried_until(card_id, None)

    def reset(self, card_id: str) -> bool:
        """Make the card new again (its answers and reviews stay as history)."""
        self.bank.card(card_id)
        return self.store.reset_card(card_id)

    def save_note(self, card_id: str, text: str) -> str:
        """Save the learner's own words on a card (blank deletes); the text as stored. Longer
        than MAX_NOTE_CHARS is a ValueError."""
        self.bank.card(card_id)
        if len(text) > MAX_NOTE_CHARS:
            raise ValueError(
                f"the note is {len(text):,} characters; the limit is {MAX_NOTE_CHARS:,}"
            )
        text = text.strip()
        self.store.set_card_note(card_id, text, self.clock())
        return text


def _entry(attempt: Attempt) -> AnswerEntry:
    return AnswerEntry(
        when=attempt.created_at,
        mode=attempt.mode,
        score=attempt.score,
        practice=attempt.practice,
        rating=attempt.rating,
        answer=attempt.answer,
        matched=attempt.matched,
        missed=attempt.missed,
        red_flags=attempt.red_flags,
    )
