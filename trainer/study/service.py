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
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from trainer.content.models import Bank, Card
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
    from trainer.scenarios.engine import Step
    from trainer.scenarios.models import Cause, Scenario
    from trainer.scenarios.scoring import Debrief
    from trainer.scenarios.session import ScenarioRun
    from trainer.study.drill_session import DrillSession
    from trainer.study.drills import Drill, DrillResult
    from trainer.study.flashcards import FlashcardSession
    from trainer.study.mock import FollowUpAnswer, MockAnswer, MockConfig, MockSession
    from trainer.study.progress import Progress
    from trainer.study.quiz import Answered, QuizOptions, QuizSession

# What a scenario run keeps of what is typed (trainer.scenarios.session.ScenarioRun).
NOTES, ROOT_CAUSE, WRITEUP, UPDATE = "notes", "root_cause", "writeup", "update"
SCENARIO_TEXTS = (NOTES, ROOT_CAUSE, WRITEUP, UPDATE)
SEEDS = 1_000_000  # a run's seed, small enough to type: `scenario play ID --seed N`
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


class UnfinishedRun(NamedTuple):
    """A scenario run left unfinished, as the picker offers it."""

    run_id: int
    scenario_id: str
    title: str
    clock: str  # the simulated clock where it stopped
    actions: int  # actions taken
    notes: str
    updated_at: str
    state: Any  # the saved state (ScenarioRun.restore)


class StudyService:
    def __init__(
        self,
        bank: Bank,
        store: Store,
        clock: Callable[[], datetime] = now_utc,
        fuzzing: bool = True,
        scenarios: dict[str, Scenario] | None = None,
        pack_dirs: Iterable[Path] = (),
    ):
        self.bank = bank
        self.store = store
        self.clock = clock
        self.scheduler = Scheduler(store, clock=clock, fuzzing=fuzzing)
        self.drafts = DraftBook(store, clock)
        self.cards = CardBook(bank, store, clock)
        self.pack_dirs = tuple(Path(p) for p in pack_dirs)  # --bank folders: scenarios too
        self._scenarios: tuple[dict[str, Scenario], list[Any]] | None = (
            (scenarios, []) if scenarios is not None else None
        )
        # Scenario runs changed but not yet written (a full disk): written at the next change
        # or when the app closes.
        self._unsaved_runs: list[ScenarioRun] = []
        # Sessions started and not finished: closed (summaries written) when the app closes.
        self._open: list[QuizSession | FlashcardSession | DrillSession] = []

    # -- settings --------------------------------------------------------------------------
    def quiz_options(self, **chosen: Any) -> QuizOptions:
        """Checked quiz options (SettingsError naming the bad one); see settings.quiz_options."""
        return settings.quiz_options(self.bank, **chosen)

    def mock_config(self, **chosen: Any) -> MockConfig:
        """A checked mock configuration; see settings.mock_config."""
        known = self.scenarios() if chosen.get("scenario") else None
        return settings.mock_config(
            known_categories=self.bank.categories(), known_scenarios=known, **chosen
        )

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
            suspended = self.store.suspended_ids()
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
        """The playable scenarios, loaded on first use: the built-in ones, then those in the
        --bank folders and the user packs folder (the core's loader)."""
        if self._scenarios is None:
            from trainer.scenarios.loader import load_scenarios

            self._scenarios = load_scenarios(pack_dirs=self.pack_dirs)
        return self._scenarios[0]

    def scenario_errors(self) -> list[Any]:
        """The scenario files that could not be loaded, each error with file, line and field."""
        self.scenarios()
        assert self._scenarios is not None
        return self._scenarios[1]

    def start_scenario(self, scenario_id: str, seed: int | None = None) -> ScenarioRun:
        """A new run of a scenario, in the variant a seed picks (a fresh seed when None, so a
        replay is not a memory test). Saved from its first change on."""
        from trainer.scenarios.session import ScenarioRun

        scenario = self.scenarios().get(scenario_id)
        if scenario is None:
            raise SettingsError("scenario", f"unknown scenario {scenario_id!r}")
        if seed is None:
            seed = random.Random(self.clock().timestamp()).randrange(SEEDS)
        run = ScenarioRun(scenario, seed)
        # Notes and a write-up typed before runs were saved whole (kept as drafts per scenario)
        # carry over into the new run once.
        legacy = {
            part: self.drafts.get(draft_keys.scenario_key(scenario_id, part))
            for part in (NOTES, WRITEUP)
        }
        if any(legacy.values()):
            run.notes, run.writeup = legacy[NOTES], legacy[WRITEUP]
            if self._save_run(run):
                self.drafts.discard_under(draft_keys.scenario_key(scenario_id, ""))
        return run

    def unfinished_scenarios(self) -> list[UnfinishedRun]:
        """Runs left unfinished (Escape to resume later, a quit, a crash), newest first, one per
        scenario that is still loaded."""
        scenarios = self.scenarios()
        out: list[UnfinishedRun] = []
        seen: set[str] = set()
        for row in self.store.unfinished_scenario_runs():
            scenario = scenarios.get(row["scenario_id"])
            if scenario is None or row["scenario_id"] in seen:
                continue
            seen.add(row["scenario_id"])
            state: dict[str, Any] = row["state"] if isinstance(row["state"], dict) else {}
            events = state.get("events")
            events = events if isinstance(events, list) else []
            notes = state.get("notes")
            out.append(
                UnfinishedRun(
                    row["id"],
                    scenario.id,
                    scenario.title,
                    str(state.get("clock", "")),
                    sum(1 for e in events if isinstance(e, dict) and "take" in e),
                    notes if isinstance(notes, str) else "",
                    row["updated_at"],
                    row["state"],
                )
            )
        return out

    def resume_scenario(self, unfinished: UnfinishedRun) -> ScenarioRun:
        """The unfinished run rebuilt from its saved state (steps, notes, texts, hints, seed).
        SettingsError when it no longer fits the scenario (the scenario file changed): the run
        is then closed, so it is not offered again."""
        from trainer.scenarios.session import RunStateError, ScenarioRun

        scenario = self.scenarios().get(unfinished.scenario_id)
        if scenario is None:
            raise SettingsError("scenario", f"unknown scenario {unfinished.scenario_id!r}")
        try:
            run = ScenarioRun.restore(scenario, unfinished.state)
        except RunStateError as error:
            self.store.end_scenario_run(unfinished.run_id, "abandoned", None, when=self.clock())
            raise SettingsError("run", f"cannot resume it: {error}") from None
        run.run_id = unfinished.run_id
        return run

    def discard_unfinished_scenario(self, scenario_id: str) -> None:
        """Close every unfinished run of a scenario (a new run replaces them)."""
        for row in self.store.unfinished_scenario_runs():
            if row["scenario_id"] == scenario_id:
                self.store.end_scenario_run(row["id"], "abandoned", None, when=self.clock())

    def take_action(self, run: ScenarioRun, action_id: str, text: str | None = None) -> Step:
        """Take an action (`text`: the status update a communicate action posts) and save the
        run (ActionError if it cannot be taken now). A failed save keeps the step; see
        `scenario_saved`."""
        step = run.take(action_id, text)
        if text is not None:
            run.update = ""
        self._save_run(run)
        return step

    def hint(self, run: ScenarioRun) -> str | None:
        """The next hint (it costs points), saved with the run; None when there are no more."""
        hint = run.hint()
        if hint is not None:
            self._save_run(run)
        return hint

    def scenario_choices(self, run: ScenarioRun) -> list[Cause]:
        """The multiple-choice hint: the candidate causes, shuffled for the run's seed (it costs
        points once shown; the diagnosis is still typed)."""
        choices = run.choices()
        self._save_run(run)
        return choices

    def save_scenario_text(self, run: ScenarioRun, part: str, text: str) -> bool:
        """Keep what is typed in a run (`part`: notes, root_cause, writeup or update) and save
        the run. False if the store could not be written (kept here and retried)."""
        if part not in SCENARIO_TEXTS:
            raise ValueError(f"unknown part {part!r}")
        if getattr(run, part) == text and self.scenario_saved(run):
            return True
        setattr(run, part, text)
        return self._save_run(run)

    def keep_scenario(self, run: ScenarioRun) -> bool:
        """Save the run as it is, to resume it later (left with Escape, or the app closing)."""
        if run.closed or (not run.events and not any(getattr(run, p) for p in SCENARIO_TEXTS)):
            return True  # nothing done yet: nothing to resume
        return self._save_run(run)

    def scenario_saved(self, run: ScenarioRun) -> bool:
        """Whether the store holds the run as it is now."""
        return run not in self._unsaved_runs

    def abandon_scenario(self, run: ScenarioRun) -> None:
        """Leave a run unscored, for good: it is not offered for resuming."""
        self._forget_run(run)
        run.abandon(self.store, when=self.clock())

    def finish_scenario(self, run: ScenarioRun, root_cause: str, writeup: str) -> Debrief:
        """Score the run with the typed diagnosis and write-up, store the result and close the
        run, once: finishing it again returns the same debrief."""
        if run.scored is None:
            run.root_cause, run.writeup = root_cause, writeup
        debrief = run.finish(self.store, when=self.clock())
        self._forget_run(run)
        return debrief

    def _save_run(self, run: ScenarioRun) -> bool:
        try:
            run.save(self.store, when=self.clock())
        except StoreWriteError:
            if run not in self._unsaved_runs:
                self._unsaved_runs.append(run)
            return False
        self._forget_run(run)
        return True

    def _forget_run(self, run: ScenarioRun) -> None:
        self._unsaved_runs = [r for r in self._unsaved_runs if r is not run]

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
        for run in list(self._unsaved_runs):
            written = self._save_run(run) and written
        for session in list(self._open):
            try:
                session.finish()
            except StoreWriteError:
                written = False
            self._forget(session)
        return written
