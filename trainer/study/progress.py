"""Progress summaries computed from the store's counters (fast at any number of attempts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from trainer.content.models import CATEGORIES, Bank
from trainer.store.db import Store, local_day, now_utc


@dataclass(frozen=True)
class DayActivity:
    day: str
    attempts: int
    average: float | None
    reviews: int
    scenarios: int = 0

    @property
    def active(self) -> bool:
        return bool(self.attempts or self.reviews or self.scenarios)


@dataclass(frozen=True)
class CategoryMastery:
    category: str
    cards: int
    attempted: int
    mastery: float  # mean of each card's latest score, unattempted cards counting 0


@dataclass(frozen=True)
class MissedPoint:
    card_id: str
    question: str
    point: str
    missed: int
    seen: int


@dataclass
class Progress:
    attempts: int
    reviews: int
    average: float | None
    streak: int
    study_days: int
    days: list[DayActivity] = field(default_factory=list)
    categories: list[CategoryMastery] = field(default_factory=list)
    most_missed: list[MissedPoint] = field(default_factory=list)
    leeches: list[tuple[str, int]] = field(default_factory=list)
    last_session: dict | None = None
    scenarios: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (best, played)
    drills: dict[str, tuple[int, float]] = field(default_factory=dict)  # kind -> (count, avg)

    def to_json(self) -> dict:
        return asdict(self)


def streak(days: list[str], today: str) -> int:
    """Consecutive study days ending today (or yesterday, if today is not studied yet)."""
    active = set(days)
    current = date.fromisoformat(today)
    if today not in active:
        current -= timedelta(days=1)
    count = 0
    while current.isoformat() in active:
        count += 1
        current -= timedelta(days=1)
    return count


def compute(
    store: Store, bank: Bank, clock: Callable[[], datetime] = now_utc, leech_lapses: int = 4
) -> Progress:
    days = [
        DayActivity(
            day, attempts, round(total / attempts, 1) if attempts else None, reviews, scenarios
        )
        for day, attempts, total, reviews, scenarios in store.days()
    ]
    attempts = sum(d.attempts for d in days)
    total = sum(d.average * d.attempts for d in days if d.average is not None)
    active = [d.day for d in days if d.active]

    scores = store.card_scores()
    categories = []
    names = list(CATEGORIES) + sorted({c.category for c in bank.cards.values()} - set(CATEGORIES))
    for name in names:
        cards = bank.cards_in(name)
        if not cards:
            continue
        latest = [scores[c.id][3] for c in cards if c.id in scores]
        categories.append(
            CategoryMastery(name, len(cards), len(latest), round(sum(latest) / len(cards), 1))
        )

    missed = []
    for card_id, point, count, seen in store.most_missed(10):
        card = bank.cards.get(card_id)
        missed.append(
            MissedPoint(
                card_id,
                card.question if card else "(card no longer in the bank)",
                point,
                count,
                seen,
            )
        )
    return Progress(
        attempts=attempts,
        reviews=sum(d.reviews for d in days),
        average=round(total / attempts, 1) if attempts else None,
        streak=streak(active, local_day(clock())),
        study_days=len(active),
        days=days,
        categories=categories,
        most_missed=missed,
        leeches=store.leeches(leech_lapses),
        last_session=store.last_session(),
        scenarios=store.scenario_bests(),
        drills=_drills(scores),
    )


def _drills(scores: dict[str, tuple[int, int, int, int]]) -> dict[str, tuple[int, float]]:
    """Drill attempts and average score per kind (drills are stored as `drill:KIND:ID`)."""
    totals: dict[str, list[int]] = {}
    for item, (attempts, score_sum, _, _) in scores.items():
        if item.startswith("drill:"):
            kind = item.split(":")[1]
            entry = totals.setdefault(kind, [0, 0])
            entry[0] += attempts
            entry[1] += score_sum
    return {k: (n, round(total / n, 1)) for k, (n, total) in sorted(totals.items()) if n}


def format_text(progress: Progress) -> str:
    """The plain-text summary printed by `sre-trainer stats`."""
    lines = [
        f"attempts: {progress.attempts}   reviews: {progress.reviews}   "
        f"average score: {progress.average if progress.average is not None else '-'}",
        f"study days: {progress.study_days}   streak: {progress.streak} day(s)",
        "",
        "mastery by category (latest score per card, unseen = 0):",
    ]
    for cat in progress.categories:
        lines.append(
            f"  {cat.category:<26} {cat.mastery:5.1f}%  ({cat.attempted}/{cat.cards} "
            "cards attempted)"
        )
    if progress.most_missed:
        lines += ["", "most-missed rubric points:"]
        for item in progress.most_missed:
            lines.append(f"  {item.missed:>4}x  {item.card_id}  {item.point}")
    if progress.leeches:
        lines += ["", "leeches (forgotten again and again):"]
        lines += [f"  {card_id}  lapses: {lapses}" for card_id, lapses in progress.leeches]
    if progress.scenarios:
        lines += ["", "scenarios (best score, times played):"]
        lines += [
            f"  {sid:<26} {best:>3}/100  x{played}"
            for sid, (best, played) in sorted(progress.scenarios.items())
        ]
    if progress.drills:
        lines += ["", "query drills (attempts, average score):"]
        lines += [
            f"  {kind:<8} {count:>4}  {average:5.1f}"
            for kind, (count, average) in progress.drills.items()
        ]
    if progress.attempts == 0 and progress.reviews == 0:
        lines += ["", "No progress stored yet. Run `sre-trainer` to start a quiz or flashcards."]
    return "\n".join(lines)
