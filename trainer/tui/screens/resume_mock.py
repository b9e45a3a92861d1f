"""Asked at start (and on opening the Mock mode) when a mock was left unfinished (quit, Ctrl-C
or a crash): dismissed with "resume", "discard" or "later"; the app acts on the choice."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal


class ResumeMockScreen(TrainerModal[str]):
    BINDINGS = [
        Binding("r", "resume", "Resume"),
        Binding("d", "discard", "Discard"),
        Binding("escape,l", "later", "Later"),
    ]

    def __init__(self, unfinished: dict, then_setup: bool = False):
        super().__init__()
        self.unfinished = unfinished
        self.then_setup = then_setup  # opened from the Mock mode: carry on to its set-up

    def compose(self) -> ComposeResult:
        started = self.unfinished["started_at"][:16].replace("T", " ")
        total = len(self.unfinished["config"]["card_ids"])
        with Vertical(classes="dialog"):
            yield Static(
                join(
                    Text("An unfinished mock interview\n\n", style="bold"),
                    literal(
                        f"Started {started} UTC; {self.unfinished['answered']} of {total} "
                        "questions answered, each one saved.\n\n"
                    ),
                    Text(" r ", style="bold reverse"),
                    " resume   ",
                    Text(" d ", style="bold reverse"),
                    " discard   ",
                    Text(" l ", style="bold reverse"),
                    " start a new one" if self.then_setup else " decide later",
                )
            )

    def action_resume(self) -> None:
        self.dismiss("resume")

    def action_discard(self) -> None:
        self.dismiss("discard")

    def action_later(self) -> None:
        self.dismiss("later")
