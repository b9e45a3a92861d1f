"""Home: the modes, what is due today, the streak and the last session."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.store.db import local_day
from trainer.study.progress import streak
from trainer.tui.app import MODES
from trainer.tui.text import join, literal


class HomeScreen(Screen):
    BINDINGS = [
        # Every mode has a key (shown in the list); the footer names the three used most.
        *(Binding(key, f"mode('{key}')", name, show=key in "qft") for key, name, _ in MODES),
        Binding("plus,equals_sign", "new_limit(1)", "New/day +", show=False),
        Binding("minus", "new_limit(-1)", "New/day -", show=False),
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
                    "↑↓ and Enter, or a mode's key, to start. ctrl+p: all commands. "
                    "+/-: new cards per day. ctrl+q: quit.",
                    id="home-help",
                    classes="help",
                )
        yield Footer()

    def _mode_options(self) -> list[Option]:
        options = []
        for key, name, _ in MODES:
            label = join(Text(f" {key} ", style="bold reverse"), Text(f" {name}", style="bold"))
            options.append(Option(label, id=key))
        return options

    def on_mount(self) -> None:
        self.refresh_summary()
        self.query_one("#modes", OptionList).focus()
        unfinished = self.app.store.unfinished_mock()
        if unfinished is not None and self.app.start_mode is None:
            from trainer.tui.screens.resume_mock import ResumeMockScreen

            self.app.push_screen(ResumeMockScreen(unfinished))

    def on_screen_resume(self) -> None:
        self.refresh_summary()

    def refresh_summary(self) -> None:
        app = self.app
        ids = list(app.bank.cards)
        due = app.scheduler.due_today(ids)
        fresh = min(app.scheduler.new_left_today(), len(app.scheduler.new_cards(ids)))
        days = [d[0] for d in app.store.days() if d[1] or d[3] or d[4]]
        run = streak(days, local_day(app.clock()))
        attempts, reviews = app.store.totals()
        lines = Text()
        lines.append(f"Due today    {due}\n", style="bold" if due else "")
        lines.append(f"New left     {fresh} of {app.scheduler.new_per_day}/day\n")
        lines.append(f"Streak       {run} day{'s' if run != 1 else ''}\n")
        lines.append(f"Answers      {attempts}\n")
        lines.append(f"Reviews      {reviews}\n")
        lines.append(f"Bank         {len(ids)} cards")
        self.query_one("#today", Static).update(lines)
        self.query_one("#last-session", Static).update(self._last_session())

    def _last_session(self) -> Text:
        last = self.app.store.last_session()
        if last is None:
            return literal("No sessions yet. Start with a Quiz (q) or Flashcards (f).", "italic")
        summary = last["summary"]
        when = last["ended_at"][:16].replace("T", " ")
        mode = summary.get("mode", last["mode"])
        if summary.get("average") is not None:
            detail = f"{summary['answered']} answered, average {summary['average']:.0f}/100"
        elif "reviewed" in summary:
            detail = f"{summary['reviewed']} cards reviewed, {summary['again']} forgotten"
        else:
            detail = "nothing answered"
        return join(literal("Last session\n", "bold"), literal(f"{mode} · {when} UTC · {detail}"))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        description = next(m[2] for m in MODES if m[0] == event.option.id)
        self.query_one("#mode-help", Static).update(literal(description))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_mode(event.option.id)

    def action_mode(self, key: str) -> None:
        self.app.open_mode(key)

    def action_new_limit(self, delta: int) -> None:
        scheduler = self.app.scheduler
        scheduler.new_per_day = max(0, min(100, scheduler.new_per_day + delta))
        self.refresh_summary()
        self.notify(f"New cards per day: {scheduler.new_per_day}", timeout=2)
