"""The study service: the one entry point through which the TUI and the CLI start, resume,
answer, rate, finish and discard every kind of session (quiz, flashcards, drills, mock,
scenario), check their settings and keep drafts.

The session classes underneath (QuizSession, FlashcardSession, DrillSession, MockSession, the
scenario Simulation) hold the state and the rules of one kind; the service owns their lifecycle:
it builds them, clears a draft once its answer is stored, finishes what is left open when the
app closes, and makes each submit count once per item. A failed write raises the store's
`StoreWriteError` with the session unchanged, so the caller keeps what was typed and the next
call retries.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from trainer.content.models import CATEGORIES, Bank, Card
from trainer.registry import DRILL_KINDS
from trainer.store.db import Store, StoreWriteError, now_utc
from trainer.study import drafts as draft_keys
from trainer.study import settings
from trainer.study.cards import CardBook, CardDetail, CardFilter, CardRow
from trainer.study.drafts import DraftBook
from trainer.study.scheduler import Scheduler
from trainer.study.settings import SettingsError

# The session modules are imported by the methods that start them: the grader behind them
# (rapidfuzz) costs ~15 ms, which the app's start-up to the home screen does not need.
if TYPE_CHECKING:
    from trainer.scenarios.engine import Simulation, Step
    from trainer.scenarios.models import Scenario
    from trainer.scenarios.scoring import Debrief
    from trainer.study.drill_session import DrillSession
    from trainer.study.drills import Drill, DrillResult
    from trainer.study.flashcards import FlashcardSession
    from trainer.study.mock import MockAnswer, MockConfig, MockSession
    from trainer.study.progress import Progress
    from trainer.study.quiz import Answered, QuizOptions, QuizSession

NOTES, WRITEUP = "notes", "writeup"  # the two drafts of a scenario


@dataclass
class ScenarioRun:
    """One play of a scenario in progress: the simulation, then (once scored) its debrief."""

    scenario: Scenario
    simulation: Simulation
    debrief: Debrief | None = None


class StudyService:
    def __init__(
        self,
        bank: Bank,
        store: Store,
        clock: Callable[[], datetime] = now_utc,
        fuzzing: bool = True,
        scenarios: dict[str, Scenario] | None = None,
    ):
        self.bank = bank
        self.store = store
        self.clock = clock
        self.scheduler = Scheduler(store, clock=clock, fuzzing=fuzzing)
        self.drafts = DraftBook(store, clock)
        self.cards = CardBook(bank, store, clock)
        self._scenarios: tuple[dict[str, Scenario], list[Any]] | None = (
            (scenarios, []) if scenarios is not None else None
        )
        # Sessions started and not finished: closed (summaries written) when the app closes.
        self._open: list[QuizSession | FlashcardSession | DrillSession] = []

    # -- settings --------------------------------------------------------------------------
    def quiz_options(self, **chosen: Any) -> QuizOptions:
        """Checked quiz options (SettingsError naming the bad one); see settings.quiz_options."""
        return settings.quiz_options(self.bank, **chosen)

    def mock_config(self, **chosen: Any) -> MockConfig:
        """A checked mock configuration; see settings.mock_config."""
        known = self.scenarios() if chosen.get("scenario") else None
        return settings.mock_config(known_categories=CATEGORIES, known_scenarios=known, **chosen)

    # -- quiz ------------------------------------------------------------------------------
    def start_quiz(self, options: QuizOptions) -> QuizSession:
        from trainer.study.quiz import QuizSession, choose_cards

        cards = choose_cards(self.bank, self.store, options)
        if not cards:
            raise SettingsError("cards", "no cards match those choices")
        quiz = QuizSession(
            self.bank,
            self.store,
            self.scheduler,
            cards,
            clock=self.clock,
            focus={card_id: points for card_id, points in options.focus},
        )
        self._open.append(quiz)
        return quiz

    def missed_points_quiz(self) -> QuizOptions:
        """A quiz of the most-missed points: the cards whose points were missed most (every
        point's misses added up), each graded on those points only (SettingsError if nothing
        was missed yet)."""
        from trainer.study.progress import missed_cards
        from trainer.study.quiz import QuizOptions

        cards = missed_cards(self.store, self.bank)
        if not cards:
            raise SettingsError("cards", "no missed points yet: answer a few quiz cards first")
        return QuizOptions(
            card_ids=tuple(c.card_id for c in cards),
            count=len(cards),
            focus=tuple((c.card_id, c.points) for c in cards),
        )

    def quiz_draft(self, quiz: QuizSession) -> str:
        """What was typed for the current card and not submitted (in this quiz or before)."""
        card = quiz.current
        return self.drafts.get(draft_keys.quiz_key(card.id)) if card else ""

    def save_quiz_draft(self, quiz: QuizSession, text: str) -> bool:
        card = quiz.current
        return self.drafts.save(draft_keys.quiz_key(card.id), text) if card else True

    def discard_quiz_draft(self, quiz: QuizSession) -> bool:
        card = quiz.current
        return self.drafts.discard(draft_keys.quiz_key(card.id)) if card else True

    def submit_answer(self, quiz: QuizSession, text: str) -> Answered:
        """Grade and store the answer to the current card, once: the same card submitted again
        returns the stored answer (AnswerError if empty or too long)."""
        answered = quiz.submit(text)
        self.drafts.discard(draft_keys.quiz_key(answered.card.id))
        return answered

    def retry_card(self, quiz: QuizSession) -> None:
        """Answer the current card again, deliberately: the next submit is a new attempt."""
        quiz.retry()

    def rate_answer(self, quiz: QuizSession, answered: Answered, rating: int) -> None:
        """The answer's rating, on the attempt and in the schedule (one review per answer)."""
        quiz.rate(answered, rating)

    def next_card(self, quiz: QuizSession) -> Card | None:
        return quiz.next()

    def finish_quiz(self, quiz: QuizSession) -> dict:
        summary = quiz.finish()
        self._forget(quiz)
        return summary

    # -- flashcards ------------------------------------------------------------------------
    def start_flashcards(
        self,
        cram: bool = False,
        card_ids: Iterable[str] | None = None,
        scope: CardFilter | None = None,
    ) -> FlashcardSession:
        """Due and new cards, or (cram) the given cards or all of them shuffled; `scope`
        (decks, categories, tags) limits either to the cards it keeps. Suspended cards stay
        out of both; buried ones out of the flashcards."""
        from trainer.study.flashcards import FlashcardSession

        in_scope = self.cards.ids(scope) if scope is not None else list(self.bank.cards)
        cards: list[Card] | None = None
        if card_ids is not None:
            cards = [self.bank.cards[c] for c in card_ids if c in self.bank.cards]
        elif cram:
            suspended = {cid for cid, f in self.store.card_flags().items() if f["suspended"]}
            cards = [self.bank.cards[c] for c in in_scope if c not in suspended]
            random.shuffle(cards)
        session = FlashcardSession(
            self.bank, self.store, self.scheduler, cram_cards=cards, scope=in_scope
        )
        self._open.append(session)
        return session

    def rate_card(self, session: FlashcardSession, rating: int) -> None:
        session.rate(rating)

    def undo_rating(self, session: FlashcardSession) -> Card | None:
        return session.undo()

    def finish_flashcards(self, session: FlashcardSession) -> dict:
        summary = session.finish()
        self._forget(session)
        return summary

    # -- the card browser ------------------------------------------------------------------
    def browse_cards(self, card_filter: CardFilter | None = None) -> list[CardRow]:
        """The cards that pass the filter, with their progress, in bank order."""
        return self.cards.rows(card_filter or CardFilter())

    def card_detail(self, card_id: str) -> CardDetail:
        """A card's rubric, answers, reviews, next due date and note (KeyError if unknown)."""
        return self.cards.detail(card_id)

    def suspend_card(self, card_id: str, suspended: bool = True) -> None:
        self.cards.suspend(card_id, suspended)

    def bury_card(self, card_id: str) -> str:
        """Out of the flashcards until tomorrow; when it comes back (ISO)."""
        return self.cards.bury(card_id)

    def unbury_card(self, card_id: str) -> None:
        self.cards.unbury(card_id)

    def reset_card(self, card_id: str) -> bool:
        """New again: its schedule forgotten, its history kept."""
        return self.cards.reset(card_id)

    def save_card_note(self, card_id: str, text: str) -> str:
        """The learner's own words on a card (ValueError if too long; blank deletes)."""
        return self.cards.save_note(card_id, text)

    def progress(self) -> Progress:
        from trainer.study.progress import compute

        return compute(self.store, self.bank, self.clock)

    # -- drills ----------------------------------------------------------------------------
    def start_drills(self, kind: str) -> DrillSession:
        from trainer.study.drill_session import DrillSession

        if kind not in DRILL_KINDS:
            raise SettingsError("kind", f"must be one of {', '.join(DRILL_KINDS)}")
        session = DrillSession(self.bank, self.store, self.scheduler, kind, clock=self.clock)
        self._open.append(session)
        return session

    def check_drill(self, session: DrillSession, attempt: str) -> DrillResult:
        """Check (and store) an attempt at the current drill; the drill session keeps a
        re-check of the same drill to one stored attempt."""
        return session.submit(attempt)

    def reveal_drill(self, session: DrillSession) -> Drill:
        """Show the current drill's answer (stored as a miss when asked before any attempt)."""
        return session.reveal()

    def next_drill(self, session: DrillSession) -> None:
        session.next()

    def finish_drills(self, session: DrillSession) -> dict:
        summary = session.finish()
        self._forget(session)
        return summary

    # -- mock interviews -------------------------------------------------------------------
    def unfinished_mock(self) -> dict | None:
        """The latest mock left running (quit, Ctrl-C, a crash), if any."""
        return self.store.unfinished_mock()

    def start_mock(self, config: MockConfig) -> MockSession:
        from trainer.study.mock import MockSession

        return MockSession.start(
            self.bank,
            self.store,
            config,
            clock=self.clock,
            scenarios=self.scenarios() if config.scenario else None,
        )

    def resume_mock(self, unfinished: dict | None = None) -> MockSession:
        """The unfinished mock, carried on where it stopped (SettingsError if there is none)."""
        from trainer.study.mock import MockSession

        unfinished = unfinished or self.unfinished_mock()
        if unfinished is None:
            raise SettingsError("mock", "there is no unfinished mock to resume")
        needs_scenarios = any(
            i.startswith("scenario:") for i in unfinished["config"].get("card_ids", ())
        )
        return MockSession.resume(
            self.bank,
            self.store,
            unfinished,
            clock=self.clock,
            scenarios=self.scenarios() if needs_scenarios else None,
        )

    def discard_mock(self, unfinished: dict | None = None) -> dict | None:
        """Drop the unfinished mock and its drafts; what was dropped, or None if nothing was."""
        unfinished = unfinished or self.unfinished_mock()
        if unfinished is None:
            return None
        self.store.end_mock(unfinished["id"], "discarded", None, self.clock())
        self.drafts.discard_under(draft_keys.mock_prefix(unfinished["id"]))
        return unfinished

    def mock_draft(self, session: MockSession) -> str:
        """What was typed for the current question before a pause, quit or crash."""
        if session.done:
            return ""
        return self.drafts.get(draft_keys.mock_key(session.mock_id, session.position))

    def save_mock_draft(self, session: MockSession, text: str) -> bool:
        if session.done:
            return True
        return self.drafts.save(draft_keys.mock_key(session.mock_id, session.position), text)

    def submit_mock(self, session: MockSession, text: str, timed_out: bool = False) -> MockAnswer:
        """Grade and store the answer to the current question (AnswerError if empty before the
        time is up, or over the length limit)."""
        key = draft_keys.mock_key(session.mock_id, session.position)
        answer = session.submit(text, timed_out=timed_out)
        self.drafts.discard(key)
        return answer

    def skip_question(self, session: MockSession) -> MockAnswer:
        key = draft_keys.mock_key(session.mock_id, session.position)
        answer = session.skip()
        self.drafts.discard(key)
        return answer

    def pause_mock(self, session: MockSession) -> None:
        """Stop the mock's clocks while it is out of sight."""
        session.pause()

    def unpause_mock(self, session: MockSession) -> None:
        session.unpause()

    def finish_mock(self, session: MockSession) -> dict:
        """Mark what was not reached, store the report (once) and drop the mock's drafts."""
        report = session.finish()
        self.drafts.discard_under(draft_keys.mock_prefix(session.mock_id))
        return report

    # -- scenarios -------------------------------------------------------------------------
    def scenarios(self) -> dict[str, Scenario]:
        """The built-in scenarios, loaded on first use."""
        if self._scenarios is None:
            from trainer.scenarios.loader import load_scenarios

            self._scenarios = load_scenarios()
        return self._scenarios[0]

    def scenario_errors(self) -> list[Any]:
        self.scenarios()
        assert self._scenarios is not None
        return self._scenarios[1]

    def start_scenario(self, scenario_id: str) -> ScenarioRun:
        from trainer.scenarios.engine import Simulation

        scenario = self.scenarios().get(scenario_id)
        if scenario is None:
            raise SettingsError("scenario", f"unknown scenario {scenario_id!r}")
        return ScenarioRun(scenario, Simulation(scenario))

    def take_action(self, run: ScenarioRun, action_id: str) -> Step:
        """Take an action (ActionError if it cannot be taken now)."""
        return run.simulation.take(action_id)

    def hint(self, run: ScenarioRun) -> str | None:
        return run.simulation.hint()

    def scenario_draft(self, run: ScenarioRun, part: str) -> str:
        """The notes or write-up (`part`) kept from an earlier play of this scenario."""
        return self.drafts.get(draft_keys.scenario_key(run.scenario.id, part))

    def save_scenario_draft(self, run: ScenarioRun, part: str, text: str) -> bool:
        return self.drafts.save(draft_keys.scenario_key(run.scenario.id, part), text)

    def discard_scenario_drafts(self, run: ScenarioRun) -> bool:
        return self.drafts.discard_under(draft_keys.scenario_key(run.scenario.id, ""))

    def finish_scenario(self, run: ScenarioRun, root_cause: str, writeup: str) -> Debrief:
        """Score the play and store the result, once: scoring it again returns the debrief."""
        if run.debrief is not None:
            return run.debrief
        from trainer.scenarios.scoring import score

        debrief = score(run.simulation, root_cause, writeup)
        self.store.record_scenario(
            debrief.scenario_id,
            debrief.score,
            debrief.root_cause_correct,
            debrief.mitigated,
            debrief.minutes_to_mitigate,
            debrief.path,
            writeup,
            debrief.to_json()["breakdown"],
            when=self.clock(),
        )
        run.debrief = debrief
        self.discard_scenario_drafts(run)
        return debrief

    @staticmethod
    def play_scenario(
        scenario: Scenario,
        actions: list[str],
        root_cause: str | None,
        writeup: str = "",
        hints: int = 0,
        seed: int | None = None,
        updates: list[str] | tuple[str, ...] = (),
        choices: bool = False,
    ) -> Debrief:
        """Play a scenario non-interactively and score it, storing nothing (`scenario play`;
        ActionError on a step that cannot be taken). `root_cause` is the typed diagnosis."""
        from trainer.scenarios.scoring import play_and_score

        return play_and_score(
            scenario,
            actions,
            root_cause,
            writeup,
            hints=max(0, hints),
            seed=seed,
            updates=updates,
            choices=choices,
        )

    @staticmethod
    def play_model(scenario: Scenario, seed: int | None = None) -> Debrief:
        """The scenario's own model path, diagnosis, updates and write-up, scored."""
        from trainer.scenarios.scoring import play_model

        return play_model(scenario, seed)

    # -- closing ---------------------------------------------------------------------------
    def _forget(self, session: object) -> None:
        self._open = [s for s in self._open if s is not session]

    def close(self) -> bool:
        """The app is closing: write pending drafts and finish the sessions left open (a mock
        stays resumable). False if something could not be written."""
        written = self.drafts.flush()
        for session in list(self._open):
            try:
                session.finish()
            except StoreWriteError:
                written = False
            self._forget(session)
        return written
