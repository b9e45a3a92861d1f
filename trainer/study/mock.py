"""Timed mock interviews: question choice, clocks, follow-ups, answers stored as they come.

Time is read from an injected clock, so tests can expire a question without sleeping. Every
answer (or skip, or time-out) and every follow-up answer is committed at once, and the time
spent on the question being asked is checkpointed with its draft: a mock left by a quit, Ctrl-C
or crash resumes at the same question, with the same time used and what was typed.

A mock asks its cards in turn; after each answer (unless follow-ups are off) the interviewer
asks up to two follow-ups on the weightiest missed or unexplained points, each with its own
short clock. In speak-aloud mode the candidate answers out loud and ticks the points covered
(self-graded). The report is built by `trainer.study.mock_report`.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime

from trainer.content.models import CATEGORIES, Bank, Card, RubricPoint
from trainer.grading.concepts import (
    ARGUED_PREFIX,
    MAX_ANSWER_CHARS,
    AnswerError,
    GradeResult,
    check_answer,
    grade,
)
from trainer.grading.text import aliases_for
from trainer.store.db import Store, iso, now_utc
from trainer.study.mock_follow_ups import (
    FollowUp,
    follow_up_points,
    grade_follow_up,
    plan_follow_ups,
)
from trainer.study.mock_presets import BALANCED_ROTATION, DEFAULT_PRESET, PRESETS
from trainer.study.mock_report import (  # re-exported: the report's API lives beside the mock
    SCENARIO_PREFIX,
    VERDICTS,
    build_report,
    clock_text,
    report_markdown,
    verdict_for,
)

__all__ = [
    "BALANCED_ROTATION",
    "VERDICTS",
    "FollowUp",
    "FollowUpAnswer",
    "MockAnswer",
    "MockConfig",
    "MockSession",
    "build_report",
    "choose_questions",
    "clock_text",
    "report_markdown",
    "scenario_card",
    "verdict_for",
]

FOLLOW_UP_SECONDS = 90
FOLLOW_UPS_PER_QUESTION = 2  # the time a question is allowed counts this many follow-ups
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class MockConfig:
    questions: int = 5
    categories: tuple[str, ...] = ()  # empty: the preset's mix
    seconds_per_question: int = 300
    total_seconds: int | None = None  # default: every question and its follow-ups' time
    seed: int | None = None  # None: one is drawn at the start (and stored, so it replays)
    practice: bool = False  # show feedback between questions
    scenario: str | None = None  # a troubleshooting walk-through in the middle
    preset: str | None = None  # a round of a real loop (trainer.study.mock_presets)
    follow_ups: bool = True  # the interviewer asks follow-ups after each answer
    follow_up_seconds: int = FOLLOW_UP_SECONDS
    speak_aloud: bool = False  # answers are spoken, then self-graded against the rubric

    def allowed_for(self, questions: int) -> int:
        """The time `questions` questions take at most, their follow-ups included."""
        follow_ups = FOLLOW_UPS_PER_QUESTION * self.follow_up_seconds if self.follow_ups else 0
        return questions * (self.seconds_per_question + follow_ups)

    @property
    def rotation(self) -> tuple[str, ...]:
        return PRESETS[self.preset or DEFAULT_PRESET].rotation

    @classmethod
    def from_stored(cls, stored: dict) -> MockConfig:
        """A configuration stored by this or an older version (missing keys take defaults,
        keys this version does not know are ignored)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in stored.items() if k in known}
        values["categories"] = tuple(values.get("categories") or ())
        return cls(**values)


def choose_questions(
    bank: Bank, config: MockConfig, exclude: tuple[str, ...] = (), scenario: str | None = None
) -> list[str]:
    """Card ids for the mock, in a random (seeded) order: drawn in turn from the chosen
    categories or the preset's mix; `exclude` keeps out the cards a walk-through covers, and
    the walk-through (`scenario`, else the config's) goes in the middle."""
    rng = random.Random(config.seed)
    present = {card.category for card in bank.cards.values()}
    rotation = (
        config.categories
        or tuple(c for c in config.rotation if c in present)
        or tuple(c for c in BALANCED_ROTATION if c in present)
        or tuple(sorted(present))
        or CATEGORIES
    )
    pools: dict[str, list[Card]] = {}
    for name in dict.fromkeys(rotation):
        pool = [c for c in bank.cards_in(name) if c.id not in exclude]
        rng.shuffle(pool)
        pools[name] = pool
    chosen: list[str] = []
    turn = 0
    while len(chosen) < config.questions and any(pools.values()):
        pool = pools.get(rotation[turn % len(rotation)], [])
        turn += 1
        if pool:
            chosen.append(pool.pop().id)
    rng.shuffle(chosen)  # the mix follows the rotation, the order does not
    walk_through = scenario or config.scenario
    if walk_through:
        chosen.insert(len(chosen) // 2, SCENARIO_PREFIX + walk_through)
    return chosen


def scenario_card(scenario, seed: int | None = None) -> Card:
    """A scenario as an interview question: the page, the first look and the evidence its
    key steps find (one look-up each, as the model path takes them), then "walk me through
    it". The rubric is the write-up's, which grades only what this evidence shows."""
    from trainer.scenarios.engine import Simulation

    simulation = Simulation(scenario, seed)
    resolved = simulation.scenario
    shown = _walkthrough_evidence(simulation)
    parts = [
        f"Incident walk-through: {resolved.title}",
        f"You are paged:\n{simulation.render(resolved.page).strip()}",
        simulation.render(resolved.first_look).strip(),
    ]
    if shown:
        parts.append("You look further:")
        parts += [f"> {label}\n{evidence.rstrip()}" for label, evidence in shown]
    parts.append(
        "Walk me through it: the impact, what you do first and who you tell, what the "
        "cause is and how this evidence shows it, and what you would change afterwards."
    )
    steps = "; ".join(resolved.action(a).label for a in resolved.model_path)
    return Card(
        id=SCENARIO_PREFIX + resolved.id,
        category="incident-response",
        question="\n\n".join(parts),
        answer=(
            f"{resolved.root_cause.model.strip()}\n\n{resolved.model_writeup.strip()}\n\n"
            f"Steps: {steps}."
        ),
        tags=("scenario",),
        rubric=resolved.writeup_rubric or resolved.root_cause.card_rubric,
        red_flags=resolved.root_cause.red_flags,
    )


def _walkthrough_evidence(simulation) -> list[tuple[str, str]]:
    """(label, evidence) of one look-up per key step, taken in model-path order before any
    change, so the evidence reads as it did when the page came in."""
    from trainer.registry import ACTION_KINDS
    from trainer.scenarios.engine import ActionError

    scenario = simulation.scenario
    looks = {a.id for a in scenario.actions if ACTION_KINDS[a.kind].looks}
    wanted: list[str] = []
    for step in scenario.key_steps:
        options = [a for a in step.by if a in looks]
        in_path = [a for a in scenario.model_path if a in options]
        pick = (in_path or options or [None])[0]
        if pick is not None and pick not in wanted:
            wanted.append(pick)
    order = [a for a in scenario.model_path if a in wanted] + [
        a for a in wanted if a not in scenario.model_path
    ]
    shown = []
    for action_id in order:
        for needed in scenario.action(action_id).requires:
            if needed in looks and needed not in simulation.taken:
                with contextlib.suppress(ActionError):
                    simulation.take(needed)
        try:
            step = simulation.take(action_id)
        except ActionError:
            continue
        shown.append((step.action.label, step.action.evidence))
    return shown


@dataclass
class FollowUpAnswer:
    follow_up: FollowUp
    answer: str
    score: int
    seconds: float
    outcome: str  # answered | timeout | skipped
    self_graded: bool = False


@dataclass
class MockAnswer:
    card: Card
    answer: str
    score: int
    seconds: float
    outcome: str  # answered | timeout | skipped | not-reached
    missed: list[str]
    result: GradeResult | None = None  # when graded (in this process, or again on resume)
    self_graded: bool = False  # spoken aloud, the points ticked by the candidate
    planned: list[FollowUp] = field(default_factory=list)  # the follow-ups it earned
    follow_ups: list[FollowUpAnswer] = field(default_factory=list)  # those answered

    @property
    def pending_follow_up(self) -> FollowUp | None:
        done = len(self.follow_ups)
        return self.planned[done] if done < len(self.planned) else None

    @property
    def red_flags(self) -> list[str]:
        """The claims of the red flags the answer raised."""
        return [f.claim for f in self.result.red_flags] if self.result else []

    @property
    def argued_against(self) -> list[str]:
        """The missed points the answer argued against."""
        return [p.text for p in self.result.argued_against] if self.result else []

    @property
    def notes(self) -> list[str]:
        """What the grader says of the answer beyond its points (a partial answer, a brief
        one, mostly keywords, ...); the points argued against are listed by themselves."""
        if not self.result:
            return []
        return [n for n in self.result.notes if not n.startswith(ARGUED_PREFIX)]

    @property
    def kept(self) -> bool:
        """Something was said or typed (a time-out kept it, or it was answered)."""
        return bool(self.answer.strip()) or (self.self_graded and self.outcome != "skipped")


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
    started_at: str = ""  # when the mock began (ISO, UTC)
    # (slot, seconds used) of the item being asked when the mock was left: its clock carries on
    resumed: tuple[str, float] | None = None
    # (position, text, attempt id) of an answer whose attempt was stored but whose mock answer
    # was not (a failed write): a retry of the same text reuses the attempt.
    _stored_attempt: tuple[int, str, int] | None = None
    _spoken_seconds: float | None = None  # a spoken answer that ended, waiting for its ticks
    # Points a card's follow-ups may probe beyond its rubric (a walk-through's root cause).
    probes: dict[str, tuple[RubricPoint, ...]] = field(default_factory=dict)

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
        if config.seed is None:
            config = replace(config, seed=random.randrange(MAX_SEED))
        exclude: tuple[str, ...] = ()
        if config.scenario is None and config.preset and PRESETS[config.preset].walk_through:
            scenarios = scenarios if scenarios is not None else _builtin_scenarios()
            converted = sorted(s for s, v in scenarios.items() if not v.unconverted)
            if converted:
                config = replace(config, scenario=random.Random(config.seed).choice(converted))
        if config.scenario:
            scenarios = scenarios if scenarios is not None else _builtin_scenarios()
            scenario = scenarios.get(config.scenario)
            exclude = scenario.guide_refs if scenario else ()
        ids = choose_questions(bank, config, exclude)
        stored = {**asdict(config), "card_ids": ids}
        when = clock()
        mock_id = store.start_mock(stored, when)
        cards, probes = _cards(bank, ids, scenarios, config.seed)
        return cls(bank, store, config, cards, mock_id, clock, started_at=iso(when), probes=probes)

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
        config = MockConfig.from_stored(stored)
        cards, probes = _cards(bank, ids, scenarios, config.seed)
        session = cls(bank, store, config, cards, unfinished["id"], clock, probes=probes)
        session.started_at = unfinished.get("started_at", "")
        by_id = {c.id: c for c in cards}
        follow_ups = store.mock_follow_ups(unfinished["id"])
        for row in store.mock_answers(unfinished["id"]):
            card = by_id.get(row["card_id"])
            if card is None:
                continue
            answer = MockAnswer(
                card,
                row["answer"],
                row["score"],
                row["seconds"],
                row["outcome"],
                row["missed"],
                self_graded=row["self_graded"],
                planned=[_planned(card, p, probes.get(card.id, ())) for p in row["follow_up_plan"]],
            )
            answer.result = session._regraded(answer)
            for done in follow_ups.get(row["position"], []):
                if len(answer.follow_ups) < len(answer.planned):
                    planned = answer.planned[len(answer.follow_ups)]
                    answer.follow_ups.append(
                        FollowUpAnswer(
                            planned,
                            done["answer"],
                            done["score"],
                            done["seconds"],
                            done["outcome"],
                            done["self_graded"],
                        )
                    )
            session.answers.append(answer)
        progress = unfinished.get("progress") or {}
        if isinstance(progress.get("slot"), str) and isinstance(
            progress.get("elapsed"), (int, float)
        ):
            session.resumed = (progress["slot"], max(0.0, float(progress["elapsed"])))
        return session

    # -- where the mock is -----------------------------------------------------------------
    @property
    def position(self) -> int:
        """The index of the card being asked about (its main question or a follow-up)."""
        if self.current_follow_up is not None:
            return len(self.answers) - 1
        return len(self.answers)

    @property
    def current_follow_up(self) -> FollowUp | None:
        """The follow-up being asked, if the last answer has one waiting (and time is left)."""
        if not self.answers or not self.config.follow_ups:
            return None
        return self.answers[-1].pending_follow_up

    @property
    def follow_up_number(self) -> tuple[int, int] | None:
        """(n, of) for the follow-up being asked."""
        if self.current_follow_up is None:
            return None
        last = self.answers[-1]
        return len(last.follow_ups) + 1, len(last.planned)

    @property
    def current(self) -> Card | None:
        """The card being asked about, None once every question is done."""
        position = self.position
        return self.cards[position] if position < len(self.cards) else None

    @property
    def done(self) -> bool:
        return self.current is None

    @property
    def slot(self) -> str:
        """What is being asked, as a key for its draft and its clock: "3", or "3.f1" for the
        first follow-up on the fourth question."""
        number = self.follow_up_number
        return f"{self.position}.f{number[0]}" if number else str(self.position)

    # -- the clock -------------------------------------------------------------------------
    @property
    def time_allowed(self) -> int:
        return self.config.total_seconds or self.config.allowed_for(len(self.cards))

    def item_seconds(self) -> int:
        """The time limit of what is being asked."""
        if self.current_follow_up is not None:
            return self.config.follow_up_seconds
        return self.config.seconds_per_question

    def begin_question(self) -> None:
        """Start the clock of what is being asked (call when it is shown): from zero, or from
        the time it had used when the mock was left."""
        now = self.clock()
        used = 0.0
        if self.resumed is not None and self.resumed[0] == self.slot:
            used = min(self.resumed[1], float(self.item_seconds()))
        self.resumed = None
        self.question_started = now - _seconds(used)
        self.paused_at = None
        self._spoken_seconds = None

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
        if self._spoken_seconds is not None:
            return self._spoken_seconds
        if self.question_started is None:
            return 0.0
        now = self.paused_at or self.clock()
        return max(0.0, (now - self.question_started).total_seconds())

    def question_left(self) -> float:
        return self.item_seconds() - self.elapsed()

    def time_used(self) -> float:
        """Seconds spent answering so far: every answer and follow-up, and the one being asked."""
        recorded = sum(a.seconds + sum(f.seconds for f in a.follow_ups) for a in self.answers)
        return recorded + self.elapsed()

    def total_left(self) -> float:
        return self.time_allowed - self.time_used()

    def expired(self) -> str | None:
        """'total' or 'question' when that limit has run out, else None."""
        if self.total_left() <= 0:
            return "total"
        if self.question_left() <= 0:
            return "question"
        return None

    def checkpoint(self) -> None:
        """Store the time used on what is being asked, so a resume carries on from it."""
        if self.done or self.question_started is None:
            return
        self.store.set_mock_progress(
            self.mock_id, {"slot": self.slot, "elapsed": round(self.elapsed(), 1)}
        )

    # -- answering -------------------------------------------------------------------------
    def submit(self, text: str, timed_out: bool = False) -> MockAnswer | FollowUpAnswer:
        """Grade and store the answer to what is being asked (AnswerError if empty and the
        time is not up; an empty answer at time-out scores 0)."""
        if self.current is None:
            raise IndexError("the mock is over")
        if not text.strip() and not timed_out:
            raise AnswerError("the answer is empty: type an answer, or skip the question")
        if len(text) > MAX_ANSWER_CHARS:
            if not timed_out:
                check_answer(text)  # refused with the limit in the message
            text = text[:MAX_ANSWER_CHARS]  # time is up: what fits is kept, never more
        seconds = min(self.elapsed(), float(self.item_seconds()))
        outcome = "timeout" if timed_out else "answered"
        follow_up = self.current_follow_up
        if follow_up is not None:
            score = 0
            if text.strip():
                score = grade_follow_up(
                    self.answers[-1].card,
                    follow_up,
                    text,
                    aliases_for(self.bank.aliases),
                    self.bank.red_flags,
                )
            return self._record_follow_up(FollowUpAnswer(follow_up, text, score, seconds, outcome))
        card = self.current
        assert card is not None
        if not text.strip():
            return self._record(_unanswered(card, seconds, "timeout"), None)
        result = grade(
            card, text, aliases_for(self.bank.aliases), every_card_flags=self.bank.red_flags
        )
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
            card,
            text,
            result.score,
            seconds,
            outcome,
            [p.text for p in result.missed],
            result,
            planned=(
                plan_follow_ups(
                    card,
                    text,
                    result,
                    probes=self.probes.get(card.id, ()),
                    aliases=aliases_for(self.bank.aliases),
                )
                if self.config.follow_ups
                else []
            ),
        )
        return self._record(answer, attempt_id)

    def end_spoken(self) -> None:
        """A spoken answer is over (the candidate said so, or time ran out): its clock stops
        while the candidate ticks what they covered."""
        if self._spoken_seconds is None:
            self._spoken_seconds = min(self.elapsed(), float(self.item_seconds()))

    def points_to_tick(self) -> tuple[RubricPoint, ...]:
        """The points a spoken answer is self-graded on: the card's rubric, or the
        follow-up's one point."""
        follow_up = self.current_follow_up
        if follow_up is not None:
            return (follow_up.point,)
        card = self.current
        return card.rubric if card is not None else ()

    def self_grade(
        self, covered: Collection[str], timed_out: bool = False
    ) -> MockAnswer | FollowUpAnswer:
        """Store a spoken answer, graded by the candidate: `covered` holds the texts of the
        points they ticked. The score is the weighted share ticked (no red flags, no
        keyword scaling: nothing was typed). Not counted as a quiz attempt."""
        if self.current is None:
            raise IndexError("the mock is over")
        self.end_spoken()
        seconds = self.elapsed()
        outcome = "timeout" if timed_out else "answered"
        points = self.points_to_tick()
        total = sum(p.weight for p in points) or 1
        score = round(100 * sum(p.weight for p in points if p.text in covered) / total)
        follow_up = self.current_follow_up
        if follow_up is not None:
            return self._record_follow_up(
                FollowUpAnswer(follow_up, "", score, seconds, outcome, self_graded=True)
            )
        card = self.current
        assert card is not None
        answer = MockAnswer(
            card,
            "",
            score,
            seconds,
            outcome,
            [p.text for p in points if p.text not in covered],
            self_graded=True,
            planned=plan_follow_ups(card, "", None, covered) if self.config.follow_ups else [],
        )
        return self._record(answer, None)

    def skip(self) -> MockAnswer | FollowUpAnswer:
        if self.current is None:
            raise IndexError("the mock is over")
        seconds = min(self.elapsed(), float(self.item_seconds()))
        follow_up = self.current_follow_up
        if follow_up is not None:
            return self._record_follow_up(FollowUpAnswer(follow_up, "", 0, seconds, "skipped"))
        card = self.current
        assert card is not None
        return self._record(_unanswered(card, seconds, "skipped"), None)

    def _regraded(self, answer: MockAnswer) -> GradeResult | None:
        """A stored typed answer graded again, for its red flags and notes: kept only where it
        gives the stored score (the grader may have changed since)."""
        if answer.self_graded or not answer.answer.strip():
            return None
        try:
            result = grade(
                answer.card,
                answer.answer,
                aliases_for(self.bank.aliases),
                every_card_flags=self.bank.red_flags,
            )
        except AnswerError:
            return None
        return result if result.score == answer.score else None

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
            self_graded=answer.self_graded,
            follow_up_plan=[f.to_json() for f in answer.planned],
        )
        self.answers.append(answer)
        self._after_record()
        self._stored_attempt = None
        return answer

    def _record_follow_up(self, answer: FollowUpAnswer) -> FollowUpAnswer:
        last = self.answers[-1]
        self.store.record_mock_follow_up(
            self.mock_id,
            len(self.answers) - 1,
            len(last.follow_ups),
            last.card.id,
            answer.follow_up.point.text,
            answer.follow_up.prompt,
            answer.follow_up.kind,
            answer.answer,
            answer.score,
            answer.seconds,
            answer.outcome,
            answer.self_graded,
            self.clock(),
        )
        last.follow_ups.append(answer)
        self._after_record()
        return answer

    def _after_record(self) -> None:
        self.question_started = None
        self.paused_at = None
        self._spoken_seconds = None

    def finish(self) -> dict:
        """Mark unreached questions, build and store the report (once: finishing again
        returns it). Follow-ups not yet asked are dropped: time ran out before them."""
        if self.report is not None:
            return self.report
        for answer in self.answers:
            answer.planned = answer.planned[: len(answer.follow_ups)]
        while self.current is not None:
            self._record(_unanswered(self.current, 0.0, "not-reached"), None)
        history = self.store.mock_results()  # a damaged report is left out
        report = build_report(self, history, self.clock())
        self.store.end_mock(self.mock_id, "complete", report, self.clock())
        self.report = report
        return report

    def discard(self) -> None:
        self.store.end_mock(self.mock_id, "discarded", None, self.clock())


def _seconds(value: float):
    from datetime import timedelta

    return timedelta(seconds=value)


def _unanswered(card: Card, seconds: float, outcome: str) -> MockAnswer:
    """A question left unanswered (time-out with nothing typed, skip, not reached): 0, and
    every rubric point missed."""
    return MockAnswer(card, "", 0, seconds, outcome, [p.text for p in card.rubric])


def _planned(card: Card, stored: dict, probes: tuple[RubricPoint, ...] = ()) -> FollowUp:
    """A stored follow-up, tied back to its card's rubric point (kept as stored if the
    rubric has changed since)."""
    point = next((p for p in (*card.rubric, *probes) if p.text == stored.get("point")), None)
    if point is None:
        text = str(stored.get("point", ""))
        point = RubricPoint(text, 1, (text,) if text else ("-",))
    return FollowUp(point, str(stored.get("prompt", "")), str(stored.get("kind", "missed")))


def _builtin_scenarios() -> dict:
    from trainer.scenarios.loader import load_scenarios

    return load_scenarios()[0]


def _cards(
    bank: Bank, ids: list[str], scenarios: dict | None, seed: int | None
) -> tuple[list[Card], dict[str, tuple[RubricPoint, ...]]]:
    """The mock's cards, and what their follow-ups may probe beyond their rubrics."""
    cards = []
    probes = {}
    for card_id in ids:
        if card_id.startswith(SCENARIO_PREFIX):
            scenarios = scenarios if scenarios is not None else _builtin_scenarios()
            scenario = scenarios.get(card_id[len(SCENARIO_PREFIX) :])
            if scenario is not None:
                cards.append(scenario_card(scenario, seed))
                probes[card_id] = follow_up_points(scenario, seed)
        elif card_id in bank.cards:
            cards.append(bank.cards[card_id])
    return cards, probes
