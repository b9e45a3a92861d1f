"""Typed content objects built from the YAML question bank.

NamedTuples rather than dataclasses: `dataclasses` imports `inspect` (~15 ms), and the
command-line paths that load the bank should start fast.
"""

from typing import NamedTuple

CATEGORIES = (
    "incident-response",
    "monitoring-observability",
    "performance-scalability",
    "security-compliance",
)


class RubricPoint(NamedTuple):
    """One idea an interviewer listens for; any phrase credits it. `follow_up` is what an
    interviewer asks when the point is missed (mock interviews). `gist` phrases say the idea
    without what makes it right ("add retries" for "retry with backoff and jitter"): they
    earn part of the weight, as an interviewer gives part credit."""

    text: str
    weight: int
    phrases: tuple[str, ...]
    follow_up: str | None = None
    gist: tuple[str, ...] = ()


class RedFlag(NamedTuple):
    """A wrong or harmful claim that costs points when stated (not when negated)."""

    claim: str
    phrases: tuple[str, ...]


class Card(NamedTuple):
    id: str
    category: str
    question: str
    answer: str
    tags: tuple[str, ...] = ()
    rubric: tuple[RubricPoint, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    reviewer_note: str | None = None
    source: str = ""
    deck: str = "guide"  # the deck it belongs to: its file's `pack.name`
    rubric_draft: bool = False  # the rubric is a draft derived from the answer (`import`)


class KnownWrong(NamedTuple):
    """A wrong (or half-right) answer to a query drill, and the hint whoever gives it gets."""

    answer: str
    hint: str
    verdict: str = "wrong"  # wrong | partial


class Query(NamedTuple):
    """A monitoring query or metric: the reference answer, the other answers accepted (the
    refinements its note recommends), known wrong ones, and a rubric for reading it back."""

    id: str
    group: str
    kind: str
    measures: str
    query: str
    threshold: str | None = None
    note: str | None = None
    source: str = ""
    accepted: tuple[str, ...] = ()
    wrong: tuple[KnownWrong, ...] = ()
    rubric: tuple[RubricPoint, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    single_series: bool = False  # the prompt asks for one series (no per-group breakdown)


class NumberCard(NamedTuple):
    id: str
    question: str
    value: float
    unit: str
    tolerance: float
    explanation: str = ""
    source: str = ""


class Note(NamedTuple):
    id: str
    section: str
    title: str
    body: str
    source: str = ""


class LoadError(NamedTuple):
    """A problem in a content file, with the position of the offending node."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class Bank:
    """Everything loaded: built-in content plus user packs, and what could not be loaded."""

    def __init__(
        self, cards=None, queries=None, numbers=None, notes=None, aliases=None, red_flags=()
    ):
        self.cards: dict[str, Card] = cards if cards is not None else {}
        self.queries: dict[str, Query] = queries if queries is not None else {}
        self.numbers: dict[str, NumberCard] = numbers if numbers is not None else {}
        self.notes: dict[str, Note] = notes if notes is not None else {}
        self.aliases: dict[str, tuple[str, ...]] = aliases if aliases is not None else {}
        # Red flags on every card (disabling auth, secrets in an image...), built-in only.
        self.red_flags: tuple[RedFlag, ...] = tuple(red_flags)
        self.errors: list[LoadError] = []
        self.files: list[str] = []

    def card(self, card_id: str) -> Card:
        """The card with this id; KeyError with a helpful message otherwise."""
        try:
            return self.cards[card_id]
        except KeyError:
            raise KeyError(f"unknown card id {card_id!r} (try `sre-trainer list`)") from None

    def cards_in(self, category: str | None = None) -> list[Card]:
        return [c for c in self.cards.values() if category is None or c.category == category]

    def categories(self) -> list[str]:
        """The built-in categories, then the packs' own (sorted): every category a card may
        name, the built-in ones even without cards."""
        own = {c.category for c in self.cards.values()} - set(CATEGORIES)
        return [*CATEGORIES, *sorted(own)]

    def decks(self) -> list[str]:
        """The decks of the loaded cards, in load order (the guide's first)."""
        return list(dict.fromkeys(c.deck for c in self.cards.values()))

    def with_decks(self, decks: tuple[str, ...] | list[str]) -> "Bank":
        """This bank with only the cards of `decks` (everything else shared): studying some
        decks only. KeyError naming an unknown deck."""
        unknown = [d for d in decks if d not in self.decks()]
        if unknown:
            raise KeyError(
                f"unknown deck {unknown[0]!r}; expected one of {', '.join(self.decks())}"
            )
        limited = Bank(
            {cid: c for cid, c in self.cards.items() if c.deck in decks},
            self.queries,
            self.numbers,
            self.notes,
            self.aliases,
            self.red_flags,
        )
        limited.errors, limited.files = self.errors, self.files
        return limited
