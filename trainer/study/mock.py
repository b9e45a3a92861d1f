"""Timed mock interviews: question choice, clocks, answers stored as they come, the report.

Time is read from an injected clock, so tests can expire a question without sleeping. Every
answer (or skip, or time-out) is committed at once; a mock left running by a quit, Ctrl-C or
crash is resumable from the store.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from trainer.content.models import CATEGORIES, Bank, Card
from trainer.grading.concepts import MAX_ANSWER_CHARS, AnswerError, check_answer, grade
from trainer.grading.text import aliases_for
from trainer.safe_text import strip_controls
from trainer.store.db import Store, now_utc

# A real loop leans on incident response; the other categories take turns.
BALANCED_ROTATION = (
    "incident-response",
    "monitoring-observability",
    "performance-scalability",
    "security-compliance",
    "incident-response",
    "monitoring-observability",
    "performance-scalability",
    "incident-response",
)
VERDICTS = (  # (minimum overall score, verdict)
    (80, "Strong: ready for the loop"),
    (65, "Solid: polish the gaps below"),
    (50, "Borderline: practise the missed points before the next mock"),
    (0, "Not yet: study the basics, then take another mock"),
)
SCENARIO_PREFIX = "scenario:"


def clock_text(seconds: float) -> str:
    """m:ss, never negative."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def verdict_for(score: float) -> str:
    return next(text for floor, text in VERDICTS if score >= floor)


@dataclass(frozen=True)
class MockConfig:
    questions: int = 5
    categories: tuple[str, ...] = ()  # empty: balanced like a real loop
    seconds_per_question: int = 300
    total_seconds: int | None = None  # default: questions x seconds_per_question
    seed: int | None = None
    practice: bool = False  # show feedback between questions
    scenario: str | None = None  # a troubleshooting walk-through in the middle

    @property
    def total(self) -> int:
        return self.total_seconds or self.questions * self.seconds_per_question


def choose_questions(bank: Bank, config: MockConfig, exclude: tuple[str, ...] = ()) -> list[str]:
    """Card ids for the mock: balanced across categories (or from the chosen ones); `exclude`
    keeps out the cards a walk-through scenario already covers."""
    rng = random.Random(config.seed)
    pools: dict[str, list[Card]] = {}
    names = (
        config.categories
        or tuple(
            c for c in BALANCED_ROTATION if c in {card.category for card in bank.cards.values()}
        )
        or tuple(CATEGORIES)
    )
    for name in dict.fromkeys(names):
        pool = [c for c in bank.cards_in(name) if c.id not in exclude]
        rng.shuffle(pool)
        pools[name] = pool
    rotation = names if config.categories else BALANCED_ROTATION
    chosen: list[str] = []
    turn = 0
    while len(chosen) < config.questions and any(pools.values()):
        pool = pools.get(rotation[turn % len(rotation)], [])
        turn += 1
        if pool:
            chosen.append(pool.pop().id)
    if config.scenario:
        chosen.insert(len(chosen) // 2, SCENARIO_PREFIX + config.scenario)
    return chosen


def scenario_card(scenario) -> Card:
    """A scenario as an interview question: the page, then "walk me through it"."""
    steps = "; ".join(scenario.action(a).label for a in scenario.model_path)
    return Card(
        id=SCENARIO_PREFIX + scenario.id,
        category="incident-response",
        question=(
            f"You are paged: {scenario.page.strip()}\n\n{scenario.first_look.strip()}\n\n"
            "Walk me through how you would work this incident: what you check, what you "
            "do, who you tell, and what you think the cause is."
        ),
        answer=f"{scenario.model_writeup.strip()}\n\nSteps: {steps}.",
        tags=("scenario",),
        rubric=scenario.writeup_rubric,
    )


@dataclass
class MockAnswer:
    card: Card
    answer: str
    score: int
    seconds: float
    outcome: str  # answered | timeout | skipped | not-reached
    missed: list[str]
    result: object = None  # the GradeResult, when graded in this process


@dataclass
class MockSession:
    bank: Bank
    store: Store
    config: MockConfig
    cards: list[Card]
    mock_id: int
    clock: Callable[[], datetime] = now_utc
    answers: list[MockAnswer] = field(default_factory=list)
    question_started: datetime | None = None
    paused_at: datetime | None = None  # the clock stands still while the mock is out of sight
    report: dict | None = None  # once finished
    # (position, text, attempt id) of an answer whose attempt was stored but whose mock answer
    # was not (a failed write): a retry of the same text reuses the attempt.
    _stored_attempt: tuple[int, str, int] | None = None

    # -- creating and resuming -------------------------------------------------------------
    @classmethod
    def start(
        cls,
        bank: Bank,
        store: Store,
        config: MockConfig,
        clock=now_utc,
        scenarios: dict | None = None,
    ) -> MockSession:
        exclude: tuple[str, ...] = ()
        if config.scenario:
            scenarios = scenarios if scenarios is not None else _builtin_scenarios()
            scenario = scenarios.get(config.scenario)
            exclude = scenario.guide_refs if scenario else ()
        ids = choose_questions(bank, config, exclude)
        stored = {**asdict(config), "card_ids": ids}
        mock_id = store.start_mock(stored, clock())
        return cls(bank, store, config, _cards(bank, ids, scenarios), mock_id, clock)

    @classmethod
    def resume(
        cls,
        bank: Bank,
        store: Store,
        unfinished: dict,
        clock=now_utc,
        scenarios: dict | None = None,
    ) -> MockSession:
        stored = dict(unfinished["config"])
        ids = stored.pop("card_ids")
        stored["categories"] = tuple(stored.get("categories") or ())
        config = MockConfig(**stored)
        cards = _cards(bank, ids, scenarios)
        session = cls(bank, store, config, cards, unfinished["id"], clock)
        by_id = {c.id: c for c in cards}
        for row in store.mock_answers(unfinished["id"]):
            card = by_id.get(row["card_id"])
            if card is not None:
                session.answers.append(
                    MockAnswer(
                        card,
                        row["answer"],
                        row["score"],
                        row["seconds"],
                        row["outcome"],
                        row["missed"],
                    )
                )
        return session

    # -- the clock -------------------------------------------------------------------------
    @property
    def position(self) -> int:
        return len(self.answers)

    @property
    def current(self) -> Card | None:
        return self.cards[self.position] if self.position < len(self.cards) else None

    @property
    def done(self) -> bool:
        return self.current is None

    def begin_question(self) -> None:
        """Start the current question's clock (call when it is shown)."""
        self.question_started = self.clock()
        self.paused_at = None

    def pause(self) -> None:
        """Stop the clocks (the mock's screen is hidden); `unpause` carries on from here."""
        if self.paused_at is None:
            self.paused_at = self.clock()

    def unpause(self) -> None:
        if self.paused_at is None:
            return
        if self.question_started is not None:
            self.question_started += self.clock() - self.paused_at
        self.paused_at = None

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    def elapsed(self) -> float:
        if self.question_started is None:
            return 0.0
        now = self.paused_at or self.clock()
        return max(0.0, (now - self.question_started).total_seconds())

    def question_left(self) -> float:
        return self.config.seconds_per_question - self.elapsed()

    def total_left(self) -> float:
        used = sum(a.seconds for a in self.answers) + self.elapsed()
        return self.config.total - used

    def expired(self) -> str | None:
        """'total' or 'question' when that limit has run out, else None."""
        if self.total_left() <= 0:
            return "total"
        if self.question_left() <= 0:
            return "question"
        return None

    # -- answering -------------------------------------------------------------------------
    def submit(self, text: str, timed_out: bool = False) -> MockAnswer:
        """Grade and store the answer to the current question (AnswerError if empty and the
        time is not up; an empty answer at time-out scores 0)."""
        card = self.current
        if card is None:
            raise IndexError("the mock is over")
        seconds = min(self.elapsed(), float(self.config.seconds_per_question))
        if not text.strip():
            if not timed_out:
                raise AnswerError("the answer is empty: type an answer, or skip the question")
            return self._record(_unanswered(card, seconds, "timeout"), None)
        if len(text) > MAX_ANSWER_CHARS:
            if not timed_out:
                check_answer(text)  # refused with the limit in the message
            text = text[:MAX_ANSWER_CHARS]  # time is up: what fits is kept, never more
        result = grade(card, text, aliases_for(self.bank.aliases))
        outcome = "timeout" if timed_out else "answered"
        attempt_id = None
        if not card.id.startswith(SCENARIO_PREFIX):
            stored = self._stored_attempt
            if stored is not None and stored[:2] == (self.position, text):
                attempt_id = stored[2]
            else:
                attempt_id = self.store.record_attempt(
                    card.id,
                    "mock",
                    text,
                    result.score,
                    [p.text for p in result.matched],
                    [p.text for p in result.missed],
                    [f.claim for f in result.red_flags],
                    when=self.clock(),
                )
                self._stored_attempt = (self.position, text, attempt_id)
        answer = MockAnswer(
            card, text, result.score, seconds, outcome, [p.text for p in result.missed], result
        )
        return self._record(answer, attempt_id)

    def skip(self) -> MockAnswer:
        card = self.current
        if card is None:
            raise IndexError("the mock is over")
        return self._record(_unanswered(card, self.elapsed(), "skipped"), None)

    def _record(self, answer: MockAnswer, attempt_id: int | None) -> MockAnswer:
        self.store.record_mock_answer(
            self.mock_id,
            self.position,
            answer.card.id,
            answer.answer,
            answer.score,
            answer.seconds,
            answer.outcome,
            answer.missed,
            attempt_id,
            self.clock(),
        )
        self.answers.append(answer)
        self.question_started = None
        self.paused_at = None
        self._stored_attempt = None
        return answer

    def finish(self) -> dict:
        """Mark unreached questions, build and store the report (once: finishing again
        returns it)."""
        if self.report is not None:
            return self.report
        while self.current is not None:
            self._record(_unanswered(self.current, 0.0, "not-reached"), None)
        history = self.store.mock_history()
        report = build_report(self, history)
        self.store.end_mock(self.mock_id, "complete", report, self.clock())
        self.report = report
        return report

    def discard(self) -> None:
        self.store.end_mock(self.mock_id, "discarded", None, self.clock())


def _unanswered(card: Card, seconds: float, outcome: str) -> MockAnswer:
    """A question left unanswered (time-out with nothing typed, skip, not reached): 0, and
    every rubric point missed."""
    return MockAnswer(card, "", 0, seconds, outcome, [p.text for p in card.rubric])


def _builtin_scenarios() -> dict:
    from trainer.scenarios.loader import load_scenarios

    return load_scenarios()[0]


def _cards(bank: Bank, ids: list[str], scenarios: dict | None) -> list[Card]:
    cards = []
    for card_id in ids:
        if card_id.startswith(SCENARIO_PREFIX):
            scenarios = scenarios if scenarios is not None else _builtin_scenarios()
            scenario = scenarios.get(card_id[len(SCENARIO_PREFIX) :])
            if scenario is not None:
                cards.append(scenario_card(scenario))
        elif card_id in bank.cards:
            cards.append(bank.cards[card_id])
    return cards


def build_report(session: MockSession, history: list[dict]) -> dict:
    """Everything the report shows, as plain data (stored as JSON, rendered by TUI and CLI)."""
    answers = session.answers
    overall = round(sum(a.score for a in answers) / len(answers), 1) if answers else 0.0
    categories: dict[str, list[int]] = {}
    for a in answers:
        categories.setdefault(a.card.category, []).append(a.score)
    # What to study next: the heaviest points missed, one per card, weakest cards first.
    candidates = []
    for a in sorted(answers, key=lambda x: x.score):
        weights = {p.text: p.weight for p in a.card.rubric}
        for point in sorted(a.missed, key=lambda p: -weights.get(p, 1)):
            candidates.append({"point": point, "card_id": a.card.id, "category": a.card.category})
            break
    study_next = [c for c in candidates if not c["card_id"].startswith(SCENARIO_PREFIX)][:3]
    previous = [h["score"] for h in history]
    return {
        "mock_id": session.mock_id,
        "overall": overall,
        "verdict": verdict_for(overall),
        "questions": [
            {
                "card": a.card.id,
                "question": a.card.question.split("\n")[0][:200],
                "category": a.card.category,
                "score": a.score,
                "seconds": round(a.seconds),
                "outcome": a.outcome,
                "missed": a.missed,
            }
            for a in answers
        ],
        "categories": {k: round(sum(v) / len(v), 1) for k, v in categories.items()},
        "trend": {
            "previous": previous[-5:],
            "change": round(overall - previous[-1], 1) if previous else None,
        },
        "study_next": study_next,
        "config": {
            "questions": session.config.questions,
            "seconds_per_question": session.config.seconds_per_question,
            "total_seconds": session.config.total,
            "seed": session.config.seed,
        },
    }


def report_markdown(report: dict) -> str:
    """The report as Markdown, for `--export` and the TUI's export key."""
    lines = [
        "# Mock interview report",
        "",
        f"**Overall: {report['overall']:.0f}/100**: {report['verdict']}",
        "",
        "| # | Question | Category | Score | Time | Outcome |",
        "|---|---|---|---|---|---|",
    ]
    for n, q in enumerate(report["questions"], start=1):
        question = q["question"].replace("|", "\\|")
        lines.append(
            f"| {n} | {question} | {q['category']} | {q['score']} | "
            f"{q['seconds']}s | {q['outcome']} |"
        )
    lines += ["", "## By category", ""]
    lines += [f"- {name}: {score:.0f}" for name, score in report["categories"].items()]
    trend = report["trend"]
    lines += ["", "## Trend", ""]
    if trend["previous"]:
        change = trend["change"]
        lines.append(
            f"Earlier mocks: {', '.join(f'{s:.0f}' for s in trend['previous'])}; "
            f"this one is {'+' if change >= 0 else ''}{change:.0f} on the last."
        )
    else:
        lines.append("Your first mock: the next report will show the trend.")
    lines += ["", "## Study next", ""]
    lines += [
        f"{n}. {s['point']} ({s['card_id']}, {s['category']})"
        for n, s in enumerate(report["study_next"], start=1)
    ] or ["Nothing missed."]
    lines += ["", "## Missed points", ""]
    for q in report["questions"]:
        if q["missed"]:
            lines.append(f"- **{q['card']}**: " + "; ".join(q["missed"]))
    lines += ["", "Verdict bands: 80+ strong, 65-79 solid, 50-64 borderline, below 50 not yet.", ""]
    return strip_controls("\n".join(lines))  # pack text, and reports stored by older versions
