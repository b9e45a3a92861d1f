"""The Textual app: holds the core objects (bank, store, scheduler) and switches screens.

Screens only display and dispatch; grading, scheduling and storage live in the core packages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from trainer.content.models import CATEGORIES, Bank
from trainer.store.db import Store, now_utc
from trainer.study.scheduler import Scheduler

MODES = (
    # key, name, description
    ("q", "Quiz", "Type answers, graded against interviewer rubrics"),
    ("f", "Flashcards", "Flip, rate yourself, spaced repetition (FSRS)"),
    ("c", "Cram", "Practise any cards without touching the schedule"),
    ("s", "Scenarios", "Work a simulated incident from page to debrief"),
    ("m", "Mock interview", "Timed questions and an honest report"),
    ("d", "Query drills", "Write and read PromQL, name metrics, numbers to know"),
    ("t", "Stats", "Progress, mastery, most-missed points"),
    ("n", "Study notes", "The guide's talking points, dashboards and next steps"),
)


class TrainerApp(App[int]):
    """sre-trainer's TUI."""

    CSS_PATH = "app.tcss"
    TITLE = "sre-trainer"
    SUB_TITLE = "SRE interview practice"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self,
        bank: Bank,
        store: Store,
        clock: Callable[[], datetime] = now_utc,
        fuzzing: bool = True,
        start: str | None = None,
    ):
        super().__init__()
        self.start_mode = start
        self.bank = bank
        self.store = store
        self.clock = clock
        self.scheduler = Scheduler(store, clock=clock, fuzzing=fuzzing)
        self._scenarios = None  # loaded on first use

    def on_mount(self) -> None:
        from trainer.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.start_mode == "mock":
            self.open_mock_setup()
        if self.store.notice:
            self.notify(self.store.notice, title="Progress file", severity="warning", timeout=20)
        if self.bank.errors:
            first = str(self.bank.errors[0])
            more = f" (+{len(self.bank.errors) - 1} more)" if len(self.bank.errors) > 1 else ""
            self.notify(
                f"{first}{more}. Run `sre-trainer validate` for the full list.",
                title="Some pack files were skipped",
                severity="warning",
                timeout=20,
                markup=False,
            )

    # -- navigation used by screens and the command palette ----------------------------------
    def open_mode(self, key: str) -> None:
        actions = {
            "q": self.open_quiz_setup,
            "f": self.open_flashcards,
            "c": partial(self.open_flashcards, cram=True),
            "t": self.open_stats,
            "s": self.open_scenarios,
            "m": self.open_mock_setup,
            "d": self.open_drills,
            "n": self.open_notes,
        }
        actions[key]()

    def open_quiz_setup(self, categories: Iterable[str] = ()) -> None:
        from trainer.tui.screens.quiz_setup import QuizSetupScreen

        self.push_screen(QuizSetupScreen(tuple(categories)))

    def start_quiz(self, options) -> None:
        """Start a quiz with these `QuizOptions`."""
        from trainer.study.quiz import QuizSession, choose_cards
        from trainer.tui.screens.quiz import QuizScreen

        cards = choose_cards(self.bank, self.store, options)
        if not cards:
            self.notify("No cards match those choices.", severity="warning")
            return
        session = QuizSession(self.bank, self.store, self.scheduler, cards, clock=self.clock)
        self.push_screen(QuizScreen(session))

    def open_flashcards(self, cram: bool = False, card_ids: list[str] | None = None) -> None:
        from trainer.study.flashcards import FlashcardSession
        from trainer.tui.screens.flashcards import FlashcardScreen

        cards = None
        if card_ids:
            cards = [self.bank.cards[c] for c in card_ids if c in self.bank.cards]
        elif cram:
            import random

            cards = list(self.bank.cards.values())
            random.shuffle(cards)
        session = FlashcardSession(self.bank, self.store, self.scheduler, cram_cards=cards)
        self.push_screen(FlashcardScreen(session))

    def scenarios(self) -> dict:
        """The built-in scenarios, loaded on first use."""
        if self._scenarios is None:
            from trainer.scenarios.loader import load_scenarios

            self._scenarios = load_scenarios()
        return self._scenarios[0]

    def open_scenarios(self) -> None:
        from trainer.tui.screens.scenario_picker import ScenarioPickerScreen

        scenarios = self.scenarios()
        errors = self._scenarios[1]
        if not scenarios:
            self.notify("No scenarios could be loaded.", severity="error")
            return
        self.push_screen(ScenarioPickerScreen(scenarios, errors))

    def open_mock_setup(self, ask_resume: bool = True) -> None:
        """The mock set-up; first the offer to resume a mock left unfinished, if there is one."""
        from trainer.tui.screens.mock_setup import MockSetupScreen
        from trainer.tui.screens.resume_mock import ResumeMockScreen

        unfinished = self.store.unfinished_mock() if ask_resume else None
        if unfinished is not None:
            self.push_screen(ResumeMockScreen(unfinished, then_setup=True))
            return
        self.push_screen(MockSetupScreen())

    def start_mock(self, config) -> None:
        """Start a mock with this `MockConfig`."""
        from trainer.study.mock import MockSession
        from trainer.tui.screens.mock import MockScreen

        session = MockSession.start(
            self.bank,
            self.store,
            config,
            clock=self.clock,
            scenarios=self.scenarios() if config.scenario else None,
        )
        self.switch_screen(MockScreen(session))

    def resume_mock(self, unfinished: dict) -> None:
        from trainer.study.mock import MockSession
        from trainer.tui.screens.mock import MockScreen

        session = MockSession.resume(self.bank, self.store, unfinished, clock=self.clock)
        self.push_screen(MockScreen(session))

    def open_drills(self, kind: str = "write") -> None:
        from trainer.tui.screens.drills import DrillScreen

        self.push_screen(DrillScreen(kind))

    def open_notes(self) -> None:
        from trainer.tui.screens.notes import NotesScreen

        self.push_screen(NotesScreen())

    def open_stats(self) -> None:
        from trainer.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def go_home(self) -> None:
        """Back to the home screen, refreshed."""
        from trainer.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_summary()

    def action_go_home(self) -> None:
        self.go_home()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from trainer.study.quiz import QuizOptions

        yield from super().get_system_commands(screen)
        for key, name, description in MODES:
            yield SystemCommand(name, description, partial(self.open_mode, key))
        for category in CATEGORIES:
            yield SystemCommand(
                f"Quiz: {category}",
                f"Start a quiz on the {category} cards",
                partial(self.start_quiz, QuizOptions(categories=(category,), count=8)),
            )

    def on_unmount(self) -> None:
        self.store.close()


def make_app(
    data_dir: Path | str | None = None,
    pack_dirs: Iterable[Path] = (),
    clock: Callable[[], datetime] = now_utc,
    bank: Bank | None = None,
    fuzzing: bool = True,
    start: str | None = None,
) -> TrainerApp:
    """The app as users get it: the CLI, the Pilot tests and the snapshot tests all call this."""
    from trainer import paths
    from trainer.content.cache import load_bank_cached

    if bank is None:
        bank = load_bank_cached(pack_dirs=pack_dirs)
    store = Store.open(paths.user_data_dir(data_dir))
    return TrainerApp(bank, store, clock=clock, fuzzing=fuzzing, start=start)
