"""Asked when a mock was left unfinished (quit, Ctrl-C or a crash): at start, on opening the
Mock mode, and before starting another (one mock runs at a time). Dismissed with "resume",
"discard" or "later"; the app acts on the choice."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.study.mock import clock_text
from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal


class ResumeMockScreen(TrainerModal[str]):
    BINDINGS = [
        Binding("r", "resume", "Resume"),
        Binding("d", "discard", "Discard"),
        Binding("escape,l", "later", "Later"),
    ]

    def __init__(self, unfinished: dict, then_setup: bool = False, replacing: bool = False):
        super().__init__()
        self.unfinished = unfinished
        self.then_setup = then_setup  # opened from the Mock mode: carry on to its set-up
        self.replacing = replacing  # asked before starting another mock

    def compose(self) -> ComposeResult:
        started = self.unfinished["started_at"][:16].replace("T", " ")
        total = len(self.unfinished["config"]["card_ids"])
        progress = self.unfinished.get("progress") or {}
        used = progress.get("elapsed")
        at = (
            f" The question in progress had used {clock_text(used)}; it carries on from there."
            if isinstance(used, (int, float)) and used > 0
            else ""
        )
        if self.replacing:
            discard, later = " discard it and start the new one   ", " back to the set-up"
        else:
            discard = " discard   "
            later = " keep it, set up another" if self.then_setup else " decide later"
        with Vertical(classes="dialog"):
            yield Static(
                join(
                    Text("An unfinished mock interview\n\n", style="bold"),
                    literal(
                        f"Started {started} UTC; {self.unfinished['answered']} of {total} "
                        f"questions answered, each one saved.{at}\n"
                    ),
                    literal(
                        "One mock runs at a time: resume it or discard it first.\n"
                        if self.replacing
                        else ""
                    ),
                    "\n",
                    Text(" r ", style="bold reverse"),
                    " resume   ",
                    Text(" d ", style="bold reverse"),
                    discard,
                    Text(" l ", style="bold reverse"),
                    later,
                )
            )

    def action_resume(self) -> None:
        self.dismiss("resume")

    def action_discard(self) -> None:
        self.dismiss("discard")

    def action_later(self) -> None:
        self.dismiss("later")
