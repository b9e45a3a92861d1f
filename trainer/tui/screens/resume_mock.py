"""Asked at start when a mock was left unfinished (quit, Ctrl-C or a crash)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from trainer.tui.text import join, literal


class ResumeMockScreen(ModalScreen):
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
        self.dismiss()
        self.app.resume_mock(self.unfinished)

    def action_discard(self) -> None:
        from trainer.study.mock import MockSession

        MockSession.resume(self.app.bank, self.app.store, self.unfinished).discard()
        self.dismiss()
        self.notify("Unfinished mock discarded.", timeout=3)
        if self.then_setup:
            self.app.open_mock_setup(ask_resume=False)

    def action_later(self) -> None:
        self.dismiss()
        if self.then_setup:
            self.app.open_mock_setup(ask_resume=False)
