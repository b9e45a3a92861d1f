"""The Textual app: holds the core objects (bank, store, the study service) and gives each
study mode its own Textual mode, so modes never stack: a mock stays in its own screen stack
(its clocks paused) while Stats is open, and comes back as it was.

Screens only display and dispatch; sessions, grading, scheduling and storage live in the core,
reached through `self.service`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from trainer.content.models import CATEGORIES, Bank
from trainer.registry import HOME_MODE, MODES, MODES_BY_ID, Mode
from trainer.store.db import Store, StoreWriteError, now_utc
from trainer.study.service import StudyService
from trainer.study.settings import SettingsError

if TYPE_CHECKING:
    from trainer.study.quiz import QuizOptions


def screen_factory(mode: Mode, **options: Any) -> Callable[[], Screen]:
    """Builds the first screen of `mode`, importing its module only when the mode opens."""

    def build() -> Screen:
        module, name = mode.screen.split(":")
        screen_class = getattr(importlib.import_module(module), name)
        return screen_class(**{**dict(mode.options), **options})

    return build


class TrainerApp(App[int]):
    """sre-trainer's TUI."""

    CSS_PATH = "app.tcss"
    TITLE = "sre-trainer"
    SUB_TITLE = "SRE interview practice"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Not a priority: typed into an answer box, ? is a question mark (F1 still helps).
        Binding("f1,question_mark", "help", "Help", show=False),
    ]
    # Home is the default mode, its screen built by get_default_screen and named as a mode
    # once mounted: Textual re-parses every style sheet when it builds a listed mode's first
    # screen, which at start-up would be done twice.
    MODES = {mode.id: screen_factory(mode) for mode in MODES}
    DEFAULT_MODE = HOME_MODE.id

    def __init__(
        self,
        bank: Bank,
        store: Store,
        clock: Callable[[], datetime] = now_utc,
        fuzzing: bool = True,
        start: str | None = None,
        pack_dirs: Iterable[Path] = (),
        mock_options: dict | None = None,
    ):
        super().__init__()
        self.start_mode = start
        # `sre-trainer mock` without --plain: the flags for the set-up (prefill, start_now),
        # resume or discard first, and where to export the report.
        self.mock_options = mock_options or {}
        self.bank = bank
        self.store = store
        self.clock = clock
        self.service = StudyService(bank, store, clock=clock, fuzzing=fuzzing, pack_dirs=pack_dirs)
        self.scheduler = self.service.scheduler

    def get_default_screen(self) -> Screen:
        return screen_factory(HOME_MODE)()

    def on_mount(self) -> None:
        self.add_mode(HOME_MODE.id, screen_factory(HOME_MODE))  # its stack exists already
        if self.start_mode == "mock" and self.mock_options:
            self._open_mock_as_asked(self.mock_options)
        elif self.start_mode is not None:
            self.open_mode(self.start_mode)
        if self.store.notice:
            self.notify(
                self.store.notice,
                title="Progress file",
                severity="warning",
                timeout=20,
                markup=False,
            )
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

    # -- modes -----------------------------------------------------------------------------
    def open_mode(self, mode_id: str) -> None:
        """Show a mode: as it was left if it is open (a quiz half answered), else fresh."""
        self.switch_mode(mode_id)
        if mode_id == "mock" and self.live_screen("mock", "MockScreen") is None:
            self.offer_unfinished_mock(then_setup=True)

    def go_home(self) -> None:
        """Back to the home screen; every other mode keeps its stack as it is."""
        self.switch_mode(HOME_MODE.id)

    def action_go_home(self) -> None:
        self.go_home()

    def restart_mode(self, mode_id: str, **options: Any) -> None:
        """Go home and let `mode_id` start afresh next time (its session is over), optionally
        with other options for its first screen (cram these cards)."""
        if self.current_mode == mode_id:
            self.go_home()
        self.remove_mode(mode_id)
        self.add_mode(mode_id, screen_factory(MODES_BY_ID[mode_id], **options))

    def live_screen(self, mode_id: str, class_name: str) -> Screen | None:
        """The screen of that class in that mode's stack, if the mode holds one."""
        try:
            stack = self.get_screen_stack(mode_id)
        except KeyError:
            return None
        return next((s for s in stack if type(s).__name__ == class_name), None)

    def mode_in_progress(self, mode_id: str) -> bool:
        """Whether the mode holds a session in progress (marked on the home screen)."""
        try:
            stack = self.get_screen_stack(mode_id)
        except KeyError:
            return False
        return any(getattr(screen, "in_progress", False) for screen in stack)

    def keep_drafts(self) -> None:
        """Every open screen keeps what is typed in it as a draft (quitting, or a crash)."""
        for mode_id in (HOME_MODE.id, *(mode.id for mode in MODES)):
            try:
                stack = self.get_screen_stack(mode_id)
            except KeyError:
                continue
            for screen in stack:
                keep = getattr(screen, "keep_draft", None)
                if keep is not None:
                    keep()

    # -- starting sessions from anywhere (home, palette, stats, the mock report) -----------
    def start_quiz(self, options: QuizOptions, return_mode: str = HOME_MODE.id) -> None:
        """Start a quiz in the Quiz mode; one already running is shown instead. When it ends,
        `return_mode` is shown (home, or stats for a quiz of the most-missed points)."""
        from trainer.tui.screens.quiz import QuizScreen

        if self.live_screen("quiz", "QuizScreen") is not None:
            self.switch_mode("quiz")
            self.notify("A quiz is in progress: finish it (Escape) to start another.", timeout=5)
            return
        try:
            quiz = self.service.start_quiz(options)
        except SettingsError as error:
            self.notify(error.problem.capitalize() + ".", severity="warning", markup=False)
            return
        except StoreWriteError as error:
            self.notify(f"Cannot start: {error}", severity="error", markup=False)
            return
        self.switch_mode("quiz")
        self.push_screen(QuizScreen(quiz, return_mode=return_mode))

    def open_flashcards(self, cram: bool = False, card_ids: list[str] | None = None) -> None:
        """Flashcards, or cram; cramming chosen cards replaces a cram run in progress."""
        mode = "cram" if cram else "flashcards"
        if card_ids is not None:
            self.restart_mode(mode, card_ids=card_ids)
        self.switch_mode(mode)

    def open_card(self, card_id: str) -> None:
        """Show one card (its rubric, history, schedule and note) over the current screen;
        Escape comes back here."""
        from trainer.tui.screens.card import CardScreen

        if card_id not in self.bank.cards:
            self.notify(f"{card_id} is no longer in the bank.", severity="warning", markup=False)
            return
        self.push_screen(CardScreen(card_id))

    def action_help(self) -> None:
        """The keys of the screen in front, and what the symbols mean."""
        from trainer.tui.screens.help import HelpScreen

        screen = self.screen
        if type(screen).__name__ == "HelpScreen":
            return
        keys: list[tuple[str, str]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node not in (screen, self):
                continue  # a widget's own keys (arrows in a list): the same everywhere
            if not binding.description or binding.action in seen or binding.action == "help":
                continue
            action = binding.action.rsplit(".", 1)[-1]
            if action in ("quit", "command_palette", "focus_next", "focus_previous", "copy_text"):
                continue  # said once, at the end of the help, or the same everywhere
            seen.add(binding.action)
            keys.append((self.get_key_display(binding), binding.description))
        keys.extend(getattr(screen, "HELP_KEYS", ()))
        title = getattr(screen, "HELP_TITLE", "") or type(screen).__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(title, keys))

    def _open_mock_as_asked(self, options: dict) -> None:
        """`sre-trainer mock` flags: discard or resume the unfinished mock, else the set-up
        filled in from the flags (started at once with --start)."""
        if options.get("discard"):
            try:
                dropped = self.service.discard_mock()
            except StoreWriteError as error:
                self.notify(f"Not discarded: {error}", severity="error", markup=False)
                dropped = None
            else:
                if dropped is not None:
                    self.notify("Unfinished mock discarded.", timeout=4)
        if options.get("resume"):
            self.resume_mock()
            return
        self.restart_mode(
            "mock",
            prefill=dict(options.get("prefill") or {}),
            start_now=bool(options.get("start_now")),
        )
        self.open_mode("mock")

    def offer_unfinished_mock(self, then_setup: bool = False) -> None:
        """Offer to resume (or discard) a mock left unfinished, if there is one."""
        unfinished = self.service.unfinished_mock()
        if unfinished is None:
            return
        from trainer.tui.screens.resume_mock import ResumeMockScreen

        self.push_screen(
            ResumeMockScreen(unfinished, then_setup=then_setup),
            partial(self._unfinished_mock_chosen, unfinished),
        )

    def _unfinished_mock_chosen(self, unfinished: dict, choice: str | None) -> None:
        if choice == "resume":
            self.resume_mock(unfinished)
        elif choice == "discard":
            try:
                self.service.discard_mock(unfinished)
            except StoreWriteError as error:
                self.notify(f"Not discarded: {error}", severity="error", markup=False)
                return
            self.notify("Unfinished mock discarded.", timeout=3)

    def start_mock(self, config: Any, replace: bool = False) -> None:
        """Start a mock with this checked `MockConfig`, in the Mock mode. A mock left
        unfinished is asked about first (resume it, or discard it and start this one)."""
        from trainer.study.service import MockWaiting
        from trainer.tui.screens.resume_mock import ResumeMockScreen

        try:
            session = self.service.start_mock(config, replace=replace)
        except MockWaiting as waiting:
            self.push_screen(
                ResumeMockScreen(waiting.unfinished, replacing=True),
                partial(self._replace_chosen, config),
            )
            return
        except StoreWriteError as error:
            self.notify(f"Cannot start: {error}", severity="error", markup=False)
            return
        self._show_mock(session)

    def _replace_chosen(self, config: Any, choice: str | None) -> None:
        if choice == "resume":
            self.resume_mock()
        elif choice == "discard":
            self.start_mock(config, replace=True)

    def resume_mock(self, unfinished: dict | None = None) -> None:
        """Carry on with the unfinished mock, in the Mock mode."""
        live = self.live_screen("mock", "MockScreen")
        if live is not None:
            self.switch_mode("mock")
            return
        try:
            session = self.service.resume_mock(unfinished)
        except SettingsError as error:
            self.notify(error.problem.capitalize() + ".", severity="warning", markup=False)
            return
        self._show_mock(session)

    def _show_mock(self, session: Any) -> None:
        from trainer.tui.screens.mock import MockScreen

        self.switch_mode("mock")
        self.push_screen(MockScreen(session), self._show_mock_report)

    def _show_mock_report(self, report: dict | None) -> None:
        if report is not None:
            self.show_mock_report(report)
            export = self.mock_options.pop("export", None)
            if export:
                self.export_mock_report(report, Path(export))

    def show_mock_report(self, report: dict) -> None:
        """A mock's report, in the Mock mode (also a stored one, reopened from the set-up)."""
        from trainer.tui.screens.mock_report import MockReportScreen

        if self.current_mode != "mock":
            self.switch_mode("mock")
        self.push_screen(MockReportScreen(report))

    def export_mock_report(self, report: dict, path: Path) -> None:
        """Write a mock's report as Markdown to `path`, and say where (or why not)."""
        from trainer.study.mock import report_markdown

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(report_markdown(report), encoding="utf-8")
        except OSError as exc:
            self.notify(f"Could not write {path}: {exc.strerror}", severity="error", markup=False)
            return
        self.notify(f"Report written to {path}", timeout=8, markup=False)

    # -- the command palette ---------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from trainer.study.quiz import QuizOptions

        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's keys panel: our help replaces it
                yield command
        yield SystemCommand(
            "Help", "The keys of this screen and what the symbols mean", self.action_help
        )
        yield SystemCommand("Home", HOME_MODE.description, self.go_home)
        for mode in MODES:
            yield SystemCommand(mode.title, mode.description, partial(self.open_mode, mode.id))
        for category in CATEGORIES:
            yield SystemCommand(
                f"Quiz: {category}",
                f"Start a quiz on the {category} cards",
                partial(self.start_quiz, QuizOptions(categories=(category,), count=8)),
            )

    # -- closing ---------------------------------------------------------------------------
    async def action_quit(self) -> None:
        self.keep_drafts()
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        # Whatever went wrong, what was typed is written first (as far as the disk allows).
        # Seam for trainer/crash.py: after this, it writes the report without local variables
        # and prints one line saying where, instead of Textual's dump (which shows locals).
        try:
            self.keep_drafts()
            self.service.drafts.flush()
        except Exception:  # already failing: the report matters more than a second error
            pass
        super()._handle_exception(error)

    def on_unmount(self) -> None:
        self.service.close()
        self.store.close()


def make_app(
    data_dir: Path | str | None = None,
    pack_dirs: Iterable[Path] = (),
    clock: Callable[[], datetime] = now_utc,
    bank: Bank | None = None,
    fuzzing: bool = True,
    start: str | None = None,
    decks: tuple[str, ...] = (),
    mock_options: dict | None = None,
) -> TrainerApp:
    """The app as users get it: the CLI, the Pilot tests and the snapshot tests all call this.
    `decks` limits study to those decks' cards (KeyError naming an unknown one)."""
    from trainer import paths
    from trainer.content.cache import load_bank_cached

    if bank is None:
        bank = load_bank_cached(pack_dirs=pack_dirs)
    if decks:
        bank = bank.with_decks(decks)
    store = Store.open(paths.user_data_dir(data_dir))
    app = TrainerApp(
        bank,
        store,
        clock=clock,
        fuzzing=fuzzing,
        start=start,
        pack_dirs=pack_dirs,
        mock_options=mock_options,
    )
    if decks:
        app.sub_title = f"decks: {', '.join(decks)}"
    return app
