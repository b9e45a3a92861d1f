"""The "Time's up" step of a mock: says what was kept, and closes only on Enter, and only a
second after it appears. Keys typed in the rush of the last words go nowhere: not into the
next question, and not to the report's shortcuts."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal

SWALLOW_SECONDS = 1.0


class TimeUpScreen(TrainerModal[None]):
    BINDINGS = [Binding("enter", "go_on", "Go on")]

    def __init__(self, title: str, detail: str, next_step: str):
        super().__init__()
        self.title_text = title
        self.detail = detail
        self.next_step = next_step
        self.shown_at: datetime | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                join(
                    Text(f"{self.title_text}\n\n", style="bold red"),
                    literal(
                        f"{self.detail} Anything typed after the time ran out is not kept.\n\n"
                    ),
                    Text(" Enter ", style="bold reverse"),
                    literal(f" {self.next_step}"),
                ),
                id="time-up",
            )

    def on_mount(self) -> None:
        self.shown_at = self.app.clock()

    def action_go_on(self) -> None:
        """Enter, a second after the step appeared (an Enter still being typed is swallowed)."""
        if self.shown_at is not None:
            waited = (self.app.clock() - self.shown_at).total_seconds()
            if waited < SWALLOW_SECONDS:
                return
        self.dismiss(None)
