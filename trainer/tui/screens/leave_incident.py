"""Asked on Escape in a running incident: keep the run to resume later, abandon it, or stay."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal

LeaveChoice = Literal["keep", "abandon", "stay"]


class LeaveIncidentScreen(TrainerModal[LeaveChoice]):
    BINDINGS = [
        Binding("k", "choose('keep')", "Keep for later"),
        Binding("a", "choose('abandon')", "Abandon"),
        Binding("s,escape", "choose('stay')", "Stay"),
    ]

    def __init__(self, clock: str):
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                join(
                    literal(f"Leave the incident at {self.clock}?\n\n", "bold"),
                    Text(" k ", style="bold reverse"),
                    " keep the run (steps, notes, texts) and resume it later\n",
                    Text(" a ", style="bold reverse"),
                    " abandon it: nothing is scored\n",
                    Text(" s ", style="bold reverse"),
                    " stay",
                ),
                id="leave-text",
            )

    def action_choose(self, choice: LeaveChoice) -> None:
        self.dismiss(choice)
