"""Asked before leaving typed work: keep it as a draft and leave, discard it, or stay."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal

Choice = Literal["keep", "discard", "stay"]


class ConfirmLeaveScreen(TrainerModal[Choice]):
    BINDINGS = [
        Binding("k", "choose('keep')", "Keep draft, leave"),
        Binding("d", "choose('discard')", "Discard, leave"),
        Binding("s,escape", "choose('stay')", "Stay"),
    ]

    def __init__(self, what: str, leaving: str, drafted: bool = True):
        """`what` is being left ("your answer"), `leaving` says what leaving does ("ends the
        quiz"); without a draft (`drafted` False) the choice is leave or stay."""
        super().__init__()
        self.what = what
        self.leaving = leaving
        self.drafted = drafted

    def compose(self) -> ComposeResult:
        if self.drafted:
            choices = join(
                Text(" k ", style="bold reverse"),
                " keep it as a draft, and leave\n",
                Text(" d ", style="bold reverse"),
                " discard it, and leave\n",
                Text(" s ", style="bold reverse"),
                " stay",
            )
        else:
            choices = join(
                Text(" d ", style="bold reverse"),
                " leave\n",
                Text(" s ", style="bold reverse"),
                " stay",
            )
        head = literal(f"Leave {self.what}? Leaving {self.leaving}.\n\n")
        with Vertical(classes="dialog"):
            yield Static(join(head, choices), id="confirm-text")

    def action_choose(self, choice: Choice) -> None:
        if choice == "keep" and not self.drafted:
            return
        self.dismiss(choice)
