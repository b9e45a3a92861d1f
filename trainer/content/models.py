"""Typed content objects built from the YAML question bank."""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = (
    "incident-response",
    "monitoring-observability",
    "performance-scalability",
    "security-compliance",
)


@dataclass(frozen=True)
class RubricPoint:
    """One idea an interviewer listens for; any phrase credits it."""

    text: str
    weight: int
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class RedFlag:
    """A wrong or harmful claim that costs points when stated (not when negated)."""

    claim: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    id: str
    category: str
    question: str
    answer: str
    tags: tuple[str, ...] = ()
    rubric: tuple[RubricPoint, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    reviewer_note: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Query:
    id: str
    group: str
    kind: str
    measures: str
    query: str
    threshold: str | None = None
    note: str | None = None
    source: str = ""


@dataclass(frozen=True)
class NumberCard:
    id: str
    question: str
    value: float
    unit: str
    tolerance: float
    explanation: str = ""
    source: str = ""


@dataclass(frozen=True)
class Note:
    id: str
    section: str
    title: str
    body: str
    source: str = ""


@dataclass(frozen=True)
class LoadError:
    """A problem in a content file, with the position of the offending node."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Bank:
    """Everything loaded: built-in content plus user packs, and what could not be loaded."""

    cards: dict[str, Card] = field(default_factory=dict)
    queries: dict[str, Query] = field(default_factory=dict)
    numbers: dict[str, NumberCard] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def card(self, card_id: str) -> Card:
        """The card with this id; KeyError with a helpful message otherwise."""
        try:
            return self.cards[card_id]
        except KeyError:
            raise KeyError(f"unknown card id {card_id!r} (try `sre-trainer list`)") from None

    def cards_in(self, category: str | None = None) -> list[Card]:
        return [c for c in self.cards.values() if category is None or c.category == category]
