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

import contextlib
import random
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from trainer.content.models import CATEGORIES, Bank, Card
from trainer.registry import DRILL_KINDS
from trainer.store.db import Store, StoreWriteError, now_utc
from trainer.study import drafts as draft_keys
from trainer.study import settings
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
    from trainer.study.mock import FollowUpAnswer, MockAnswer, MockConfig, MockSession
    from trainer.study.quiz import Answered, QuizOptions, QuizSession

NOTES, WRITEUP = "notes", "writeup"  # the two drafts of a scenario
MOCK_SETTINGS = "mock.last_settings"  # the settings of the last mock started (JSON)


class MockWaiting(SettingsError):
    """A mock is left unfinished: resume or discard it before starting another."""

    def __init__(self, unfinished: dict):
        started = str(unfinished.get("started_at", ""))[:16].replace("T", " ")
        super().__init__(
            "mock",
            f"an unfinished mock of {started} UTC ({unfinished.get('answered', 0)} answered) "
            "is waiting: resume it or discard it first",
        )
        self.unfinished = unfinished


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
        quiz = QuizSession(self.bank, self.store, self.scheduler, cards, clock=self.clock)
        self._open.append(quiz)
        return quiz

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
        self, cram: bool = False, card_ids: Iterable[str] | None = None
    ) -> FlashcardSession:
        """Due and new cards, or (cram) the given cards or all of them shuffled."""
        from trainer.study.flashcards import FlashcardSession

        cards: list[Card] | None = None
        if card_ids is not None:
            cards = [self.bank.cards[c] for c in card_ids if c in self.bank.cards]
        elif cram:
            cards = list(self.bank.cards.values())
            random.shuffle(cards)
        session = FlashcardSession(self.bank, self.store, self.scheduler, cram_cards=cards)
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

    def start_mock(self, config: MockConfig, replace: bool = False) -> MockSession:
        """Start a mock; one mock runs at a time, so an unfinished one raises `MockWaiting`
        unless `replace` (it is discarded first). The settings are remembered for the set-up."""
        from trainer.study.mock import MockSession
        from trainer.study.mock_presets import PRESETS

        unfinished = self.unfinished_mock()
        if unfinished is not None:
            if not replace:
                raise MockWaiting(unfinished)
            self.discard_mock(unfinished)
        preset = PRESETS.get(config.preset or "")
        walk_through = config.scenario or (preset is not None and preset.walk_through)
        session = MockSession.start(
            self.bank,
            self.store,
            config,
            clock=self.clock,
            scenarios=self.scenarios() if walk_through else None,
        )
        self._remember_mock_settings(config)
        return session

    def last_mock_settings(self) -> dict:
        """The settings of the last mock started (the set-up starts from them), or {}."""
        import json

        try:
            stored = json.loads(self.store.setting(MOCK_SETTINGS, "{}") or "{}")
        except ValueError:
            return {}
        return stored if isinstance(stored, dict) else {}

    def _remember_mock_settings(self, config: MockConfig) -> None:
        import json
        from dataclasses import asdict

        remembered = {k: v for k, v in asdict(config).items() if k != "seed"}
        with contextlib.suppress(StoreWriteError):  # a convenience: the mock is stored
            self.store.set_setting(MOCK_SETTINGS, json.dumps(remembered))

    def resume_mock(self, unfinished: dict | None = None) -> MockSession:
        """The unfinished mock, carried on where it stopped (SettingsError if there is none):
        at the same question or follow-up, its clock at the time it had used."""
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

    @staticmethod
    def _mock_key(session: MockSession) -> str:
        """The draft of what is being asked: "mock:ID:3", "mock:ID:3.f1" for a follow-up."""
        return draft_keys.mock_prefix(session.mock_id) + session.slot

    def mock_draft(self, session: MockSession) -> str:
        """What was typed for what is being asked before a pause, quit or crash."""
        if session.done:
            return ""
        return self.drafts.get(self._mock_key(session))

    def save_mock_draft(self, session: MockSession, text: str) -> bool:
        """Keep what is typed and the time used on it (a resume carries on from both).
        False if something could not be written (kept in memory meanwhile)."""
        if session.done:
            return True
        kept = self.drafts.save(self._mock_key(session), text)
        return self.checkpoint_mock(session) and kept

    def checkpoint_mock(self, session: MockSession) -> bool:
        """Store the time used on what is being asked (False if the write failed: the next
        checkpoint tries again)."""
        try:
            session.checkpoint()
        except StoreWriteError:
            return False
        return True

    def submit_mock(
        self, session: MockSession, text: str, timed_out: bool = False
    ) -> MockAnswer | FollowUpAnswer:
        """Grade and store the answer to what is being asked, a question or a follow-up
        (AnswerError if empty before the time is up, or over the length limit)."""
        key = self._mock_key(session)
        answer = session.submit(text, timed_out=timed_out)
        self.drafts.discard(key)
        return answer

    def skip_question(self, session: MockSession) -> MockAnswer | FollowUpAnswer:
        """Skip what is being asked (a question or a follow-up): it scores 0."""
        key = self._mock_key(session)
        answer = session.skip()
        self.drafts.discard(key)
        return answer

    def end_spoken_answer(self, session: MockSession) -> None:
        """A spoken answer is over: its clock stops while the candidate ticks the points."""
        session.end_spoken()

    def self_grade_mock(
        self, session: MockSession, covered: Collection[str], timed_out: bool = False
    ) -> MockAnswer | FollowUpAnswer:
        """Store a spoken answer with the points the candidate ticked (self-graded)."""
        key = self._mock_key(session)
        answer = session.self_grade(covered, timed_out=timed_out)
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

    def mock_report(self, mock_id: int | None = None) -> dict | None:
        """A finished mock's stored report (the latest when no id is given)."""
        return self.store.mock_report(mock_id)

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
