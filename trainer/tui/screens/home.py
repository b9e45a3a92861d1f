"""Home: the modes, what is due today, the streak and the last session."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.registry import MODES, MODES_BY_ID
from trainer.store.db import StoreWriteError, local_day
from trainer.study.streak import streak
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import join, literal


class HomeScreen(TrainerScreen[None]):
    CSS_PATH = None  # its layout is in app.tcss, read at start-up
    HELP_TITLE = "Home"
    HELP_KEYS = (("↑↓ ⏎", "choose a mode"),)
    BINDINGS = [
        # Every mode has a key (shown in the list); the footer names the most used.
        *(
            Binding(mode.key, f"mode('{mode.id}')", mode.title, show=mode.in_footer)
            for mode in MODES
        ),
        Binding("plus,equals_sign", "new_limit(1)", "One more new flashcard a day", show=False),
        Binding("minus", "new_limit(-1)", "One fewer new flashcard a day", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="modes-panel"):
                yield Static("Choose a mode", classes="panel-title")
                yield OptionList(*self._mode_options(), id="modes")
                yield Static(id="mode-help", classes="muted")
            with Vertical(id="today-panel"):
                yield Static("Today", classes="panel-title")
                yield Static(id="today")
                yield Static(id="last-session")
                yield Static(
                    "↑↓ and Enter, or a mode's key. +/-: new cards a day. ? or F1: help.",
                    id="home-help",
                    classes="help",
                )
        yield Footer()

    def _mode_options(self) -> list[Option]:
        options = []
        for mode in MODES:
            label = join(
                Text(f" {mode.key} ", style="bold reverse"), Text(f" {mode.title}", style="bold")
            )
            if self.is_mounted and self.app.mode_in_progress(mode.id):
                label.append("  ● in progress", style="italic")
            options.append(Option(label, id=mode.id))
        return options

    def on_mount(self) -> None:
        self.refresh_summary()
        self.query_one("#modes", OptionList).focus()
        if self.app.start_mode is None:
            self.app.offer_unfinished_mock()

    def on_screen_resume(self) -> None:
        if not self.is_mounted:
            return  # the first showing: on_mount draws it
        self.refresh_summary()
        modes = self.query_one("#modes", OptionList)
        highlighted = modes.highlighted
        modes.clear_options()
        modes.add_options(self._mode_options())
        modes.highlighted = highlighted

    def refresh_summary(self) -> None:
        app = self.app
        ids = list(app.bank.cards)
        due = app.scheduler.due_today(ids)
        fresh = min(app.scheduler.new_left_today(), len(app.scheduler.new_cards(ids)))
        days = [d.day for d in app.store.days() if d.active]
        run = streak(days, local_day(app.clock()))
        attempts, reviews = app.store.totals()
        mock_answers = app.store.mock_answer_count()
        lines = Text()
        lines.append(f"Due today    {due}\n", style="bold" if due else "")
        lines.append(f"New cards    {fresh} of {app.scheduler.new_per_day} left today\n")
        lines.append("             (flashcards only)\n", style="dim")
        lines.append(f"Streak       {run} day{'s' if run != 1 else ''}\n")
        lines.append(f"Answers      {attempts} quiz, {mock_answers} mock\n")
        lines.append(f"Reviews      {reviews}\n")
        decks = app.bank.decks()
        lines.append(
            f"Bank         {len(ids)} cards, {len(decks)} deck{'s' if len(decks) != 1 else ''}"
        )
        self.query_one("#today", Static).update(lines)
        self.query_one("#last-session", Static).update(self._last_session())

    def _last_session(self) -> Text:
        last = self.app.store.last_session()
        if last is None:
            return literal("No sessions yet. Start with a Quiz (q) or Flashcards (f).", "italic")
        summary = last["summary"]
        when = datetime.fromisoformat(last["ended_at"]).astimezone().strftime("%Y-%m-%d %H:%M")
        mode = summary.get("mode", last["mode"])
        if mode == "mock":
            kind = "practice mock" if summary.get("practice") else "mock interview"
            detail = (
                f"{kind}, {summary.get('answered', 0)} of {summary.get('questions', 0)} "
                f"answered, {summary.get('overall', 0):.0f}/100"
            )
            mode = "mock"
        elif summary.get("average") is not None:
            detail = f"{summary['answered']} answered, average {summary['average']:.0f}/100"
        elif "reviewed" in summary:
            detail = f"{summary['reviewed']} cards reviewed, {summary['again']} forgotten"
        elif summary.get("practice"):
            detail = f"{summary['practice']} practice answers"
        else:
            detail = "nothing answered"
        return join(literal("Last session\n", "bold"), literal(f"{mode} · {when} · {detail}"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            description = MODES_BY_ID[event.option.id].description
            self.query_one("#mode-help", Static).update(literal(description))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.app.open_mode(event.option.id)

    def action_mode(self, mode_id: str) -> None:
        self.app.open_mode(mode_id)

    def action_new_limit(self, delta: int) -> None:
        scheduler = self.app.scheduler
        try:
            scheduler.new_per_day = max(0, min(100, scheduler.new_per_day + delta))
        except StoreWriteError as error:
            self.write_failed(error)
            return
        self.refresh_summary()
        self.notify(f"New cards per day: {scheduler.new_per_day}", timeout=2, markup=False)
