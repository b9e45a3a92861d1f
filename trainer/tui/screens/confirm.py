"""A yes-or-no question before something that cannot be undone from the screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal


class ConfirmScreen(TrainerModal[bool]):
    HELP_TITLE = "Confirm"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                join(
                    literal(self.question + "\n\n"),
                    Text(" y ", style="bold reverse"),
                    " yes   ",
                    Text(" n ", style="bold reverse"),
                    " no",
                ),
                id="confirm-text",
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
