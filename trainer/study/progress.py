"""Progress summaries computed from the store's counters (fast at any number of attempts).

The average is made of the quiz and drill answers that count (the first answer to a card in a
session); mock answers are counted apart (a mock's score is its own), and practice (a retry, a
quiz of missed points) is counted only as a day of study. Every list in the JSON form is a
list of objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from trainer.content.models import Bank
from trainer.store.db import Store, local_day, now_utc
from trainer.study.scheduler import FORECAST_DAYS, LEECH_LAPSES, Scheduler
from trainer.study.streak import streak

MOST_MISSED = 10


@dataclass(frozen=True)
class DayActivity:
    day: str
    attempts: int  # quiz and drill answers (the average's)
    average: float | None
    reviews: int
    scenarios: int = 0
    mock_answers: int = 0
    practice: int = 0

    @property
    def active(self) -> bool:
        return bool(
            self.attempts or self.reviews or self.scenarios or self.mock_answers or self.practice
        )


@dataclass(frozen=True)
class CategoryMastery:
    category: str
    cards: int
    attempted: int
    mastery: float  # mean of each card's latest score, unattempted cards counting 0


@dataclass(frozen=True)
class DeckMastery:
    deck: str
    cards: int
    attempted: int
    mastery: float  # as a category's
    due_today: int
    new: int  # never reviewed


@dataclass(frozen=True)
class MissedPoint:
    card_id: str
    question: str
    point: str
    missed: int
    seen: int


@dataclass(frozen=True)
class MissedCard:
    """A card whose points were missed, with those points (most missed first): what `w`
    quizzes. Cards come most-missed first, counting every point's misses."""

    card_id: str
    question: str
    missed: int  # misses of its points, added up
    points: tuple[str, ...]
    last_score: int | None


@dataclass(frozen=True)
class Leech:
    card_id: str
    question: str
    lapses: int


@dataclass(frozen=True)
class ScenarioBest:
    scenario_id: str
    best: int
    played: int


@dataclass(frozen=True)
class DrillSummary:
    kind: str
    attempts: int
    average: float


@dataclass(frozen=True)
class MockSummary:
    """One finished mock interview."""

    id: int
    started_at: str
    ended_at: str | None
    day: str  # the learner's calendar day it ended
    score: float
    verdict: str | None
    practice: bool
    questions: int
    answered: int
    in_trend: bool  # neither practice nor ended before any answer
    categories: dict[str, float]
    settings: dict
    time_used: float | None
    time_allowed: float | None
    follow_up_score: float | None
    follow_ups: int


@dataclass(frozen=True)
class ForecastDay:
    day: str
    due: int


@dataclass
class Progress:
    attempts: int
    reviews: int
    average: float | None
    streak: int
    study_days: int
    mock_answers: int = 0
    mock_average: float | None = None
    practice_answers: int = 0
    days: list[DayActivity] = field(default_factory=list)
    categories: list[CategoryMastery] = field(default_factory=list)
    decks: list[DeckMastery] = field(default_factory=list)
    most_missed: list[MissedPoint] = field(default_factory=list)
    missed_cards: list[MissedCard] = field(default_factory=list)
    leeches: list[Leech] = field(default_factory=list)
    last_session: dict | None = None
    scenarios: list[ScenarioBest] = field(default_factory=list)
    drills: list[DrillSummary] = field(default_factory=list)
    mocks: list[MockSummary] = field(default_factory=list)
    forecast: list[ForecastDay] = field(default_factory=list)

    @property
    def mock_trend(self) -> list[MockSummary]:
        """The mocks that make the trend: not practice, and with at least one answer."""
        return [m for m in self.mocks if m.in_trend]

    @property
    def due_this_week(self) -> int:
        return sum(d.due for d in self.forecast[:7])

    def to_json(self) -> dict:
        out = asdict(self)
        out["due_this_week"] = self.due_this_week
        return out


def compute(
    store: Store,
    bank: Bank,
    clock: Callable[[], datetime] = now_utc,
    leech_lapses: int = LEECH_LAPSES,
) -> Progress:
    rows = store.days()
    days = [
        DayActivity(
            row.day,
            row.attempts,
            round(row.score_sum / row.attempts, 1) if row.attempts else None,
            row.reviews,
            row.scenarios,
            row.mock_attempts,
            row.practice,
        )
        for row in rows
    ]
    attempts = sum(r.attempts for r in rows)
    total = sum(r.score_sum for r in rows)
    mock_answers = sum(r.mock_attempts for r in rows)
    mock_total = sum(r.mock_score_sum for r in rows)
    active = [d.day for d in days if d.active]

    scores = store.card_scores()
    scheduler = Scheduler(store, clock=clock)
    schedule = store.schedule_rows()
    questions = {cid: card.question for cid, card in bank.cards.items()}

    def question(card_id: str) -> str:
        return questions.get(card_id, "(card no longer in the bank)")

    return Progress(
        attempts=attempts,
        reviews=sum(d.reviews for d in days),
        average=round(total / attempts, 1) if attempts else None,
        streak=streak(active, local_day(clock())),
        study_days=len(active),
        mock_answers=mock_answers,
        mock_average=round(mock_total / mock_answers, 1) if mock_answers else None,
        practice_answers=sum(r.practice for r in rows),
        days=days,
        categories=_categories(bank, scores),
        decks=_decks(bank, scores, scheduler, schedule),
        most_missed=[
            MissedPoint(card_id, question(card_id), point, count, seen)
            for card_id, point, count, seen in store.most_missed(MOST_MISSED)
        ],
        missed_cards=missed_cards(store, bank),
        leeches=[
            Leech(card_id, question(card_id), lapses)
            for card_id, lapses in store.leeches(leech_lapses)
        ],
        last_session=store.last_session(),
        scenarios=[
            ScenarioBest(sid, best, played)
            for sid, (best, played) in sorted(store.scenario_bests().items())
        ],
        drills=_drills(scores),
        mocks=[_mock(m) for m in store.mock_results()],
        forecast=[
            ForecastDay(day, count) for day, count in scheduler.forecast(bank.cards, FORECAST_DAYS)
        ],
    )


def _categories(bank: Bank, scores: dict) -> list[CategoryMastery]:
    out = []
    for name in bank.categories():
        cards = bank.cards_in(name)
        if not cards:
            continue
        latest = [scores[c.id][3] for c in cards if c.id in scores]
        out.append(
            CategoryMastery(name, len(cards), len(latest), round(sum(latest) / len(cards), 1))
        )
    return out


def _decks(bank: Bank, scores: dict, scheduler: Scheduler, schedule: dict) -> list[DeckMastery]:
    out = []
    for deck in bank.decks():
        cards = [c for c in bank.cards.values() if c.deck == deck]
        latest = [scores[c.id][3] for c in cards if c.id in scores]
        out.append(
            DeckMastery(
                deck,
                len(cards),
                len(latest),
                round(sum(latest) / len(cards), 1),
                scheduler.due_today(c.id for c in cards),
                sum(1 for c in cards if c.id not in schedule),
            )
        )
    return out


def missed_cards(store: Store, bank: Bank, limit: int = MOST_MISSED) -> list[MissedCard]:
    """The cards whose rubric points were missed most (every point's misses added up), each
    with its missed points still in its rubric, most missed first; ties: the lower latest
    score first."""
    by_card: dict[str, list[tuple[int, str]]] = {}
    for card_id, point, missed, _seen, _last in store.missed_points():
        card = bank.cards.get(card_id)
        if card is None or (card.rubric and point not in {p.text for p in card.rubric}):
            continue  # a card or point no longer in the bank: nothing to quiz
        by_card.setdefault(card_id, []).append((missed, point))
    scores = store.card_scores()
    ranked = sorted(
        by_card.items(),
        key=lambda item: (
            -sum(m for m, _ in item[1]),
            scores[item[0]][3] if item[0] in scores else 0,
            item[0],
        ),
    )
    return [
        MissedCard(
            card_id,
            bank.cards[card_id].question,
            sum(m for m, _ in points),
            tuple(p for _, p in sorted(points, key=lambda mp: (-mp[0], mp[1]))),
            scores[card_id][3] if card_id in scores else None,
        )
        for card_id, points in ranked[:limit]
    ]


def _mock(result: dict) -> MockSummary:
    ended = result["ended_at"] or result["started_at"]
    return MockSummary(
        id=result["id"],
        started_at=result["started_at"],
        ended_at=result["ended_at"],
        day=local_day(datetime.fromisoformat(ended)),
        score=result["score"],
        verdict=result["verdict"],
        practice=result["practice"],
        questions=result["questions"],
        answered=result["answered"],
        in_trend=not result["practice"] and result["answered"] > 0,
        categories=result["categories"],
        settings=result["settings"],
        time_used=result["time_used"],
        time_allowed=result["time_allowed"],
        follow_up_score=result["follow_up_score"],
        follow_ups=len(result["follow_ups"]),
    )


def _drills(scores: dict[str, tuple[int, int, int, int]]) -> list[DrillSummary]:
    """Drill attempts and average score per kind (drills are stored as `drill:KIND:ID`)."""
    totals: dict[str, list[int]] = {}
    for item, (attempts, score_sum, _, _) in scores.items():
        if item.startswith("drill:"):
            kind = item.split(":")[1]
            entry = totals.setdefault(kind, [0, 0])
            entry[0] += attempts
            entry[1] += score_sum
    return [
        DrillSummary(k, n, round(total / n, 1)) for k, (n, total) in sorted(totals.items()) if n
    ]


def _when(stamp: str | None) -> str:
    """An ISO time as the learner's local "YYYY-MM-DD HH:MM"."""
    if not stamp:
        return "-"
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def format_text(progress: Progress) -> str:
    """The plain-text summary printed by `sre-trainer stats`."""
    average = progress.average if progress.average is not None else "-"
    lines = [
        f"quiz and drill answers: {progress.attempts}   average score: {average}   "
        f"reviews: {progress.reviews}",
        f"mock answers: {progress.mock_answers} (counted apart)   practice answers: "
        f"{progress.practice_answers} (retries and missed-point drills, not averaged)",
        f"study days: {progress.study_days}   streak: {progress.streak} day(s)",
        "",
        "mastery by category (latest score per card, unseen = 0):",
    ]
    for cat in progress.categories:
        lines.append(
            f"  {cat.category:<26} {cat.mastery:5.1f}%  ({cat.attempted}/{cat.cards} "
            "cards attempted)"
        )
    lines += ["", "mastery by deck:"]
    for deck in progress.decks:
        lines.append(
            f"  {deck.deck:<26} {deck.mastery:5.1f}%  ({deck.attempted}/{deck.cards} cards "
            f"attempted, {deck.due_today} due today, {deck.new} new)"
        )
    lines += ["", f"reviews due, next {len(progress.forecast)} days (overdue counted today):"]
    lines.append(
        "  "
        + "  ".join(f"{date.fromisoformat(d.day):%a %d}: {d.due}" for d in progress.forecast[:7])
    )
    lines.append(
        "  "
        + "  ".join(f"{date.fromisoformat(d.day):%a %d}: {d.due}" for d in progress.forecast[7:])
    )
    lines.append(f"  due this week: {progress.due_this_week}")
    if progress.mocks:
        lines += ["", "mock interviews (oldest first; practice mocks are not in the trend):"]
        for mock in progress.mocks:
            label = "practice" if mock.practice else "" if mock.in_trend else "no answers"
            cats = ", ".join(f"{k} {v:.0f}" for k, v in mock.categories.items())
            lines.append(
                f"  {_when(mock.ended_at)}  {mock.score:5.1f}  {mock.answered}/{mock.questions} "
                f"answered  {label:<10} {mock.verdict or ''}"
            )
            if cats:
                lines.append(f"      {cats}")
    if progress.most_missed:
        lines += ["", "most-missed rubric points:"]
        for item in progress.most_missed:
            lines.append(f"  {item.missed:>4}x  {item.card_id}  {item.point}")
    if progress.leeches:
        lines += ["", "leeches (forgotten again and again after being learned):"]
        lines += [f"  {leech.card_id}  lapses: {leech.lapses}" for leech in progress.leeches]
    if progress.scenarios:
        lines += ["", "scenarios (best score, times played):"]
        lines += [f"  {s.scenario_id:<26} {s.best:>3}/100  x{s.played}" for s in progress.scenarios]
    if progress.drills:
        lines += ["", "query drills (attempts, average score):"]
        lines += [f"  {d.kind:<8} {d.attempts:>4}  {d.average:5.1f}" for d in progress.drills]
    if progress.last_session:
        last = progress.last_session
        lines += ["", f"last session: {last['mode']}, ended {_when(last['ended_at'])}"]
    if not (progress.attempts or progress.reviews or progress.mock_answers or progress.mocks):
        lines += ["", "No progress stored yet. Run `sre-trainer` to start a quiz or flashcards."]
    return "\n".join(lines)
