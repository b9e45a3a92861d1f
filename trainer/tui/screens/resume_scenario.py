"""Asked when a scenario with an unfinished run is picked: resume it (its steps, notes and
texts), start a new run (the old one is closed), or go back."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.study.service import UnfinishedRun
from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal

ResumeChoice = Literal["resume", "new", "back"]
NOTES_SHOWN = 6  # lines of the notes shown in the dialog


class ResumeScenarioScreen(TrainerModal[ResumeChoice]):
    BINDINGS = [
        Binding("r,enter", "choose('resume')", "Resume"),
        Binding("n", "choose('new')", "New run"),
        Binding("escape,b", "choose('back')", "Back"),
    ]

    def __init__(self, unfinished: UnfinishedRun):
        super().__init__()
        self.unfinished = unfinished

    def compose(self) -> ComposeResult:
        run = self.unfinished
        saved = run.updated_at[:16].replace("T", " ")
        out = join(
            literal(f"{run.title}\n\n", "bold"),
            literal(
                f"You left this incident at {run.clock or '?'} after {run.actions} action(s) "
                f"(saved {saved} UTC).\n"
            ),
        )
        notes = run.notes.strip().splitlines()
        if notes:
            out.append_text(Text("\nYour notes\n", style="bold"))
            for line in notes[:NOTES_SHOWN]:
                out.append_text(literal(f"  {line}\n", "italic"))
            if len(notes) > NOTES_SHOWN:
                out.append_text(Text(f"  ... ({len(notes) - NOTES_SHOWN} more lines)\n", "dim"))
        out.append_text(
            join(
                "\n",
                Text(" r ", style="bold reverse"),
                " resume   ",
                Text(" n ", style="bold reverse"),
                " new run (closes this one)   ",
                Text(" esc ", style="bold reverse"),
                " back",
            )
        )
        with Vertical(classes="dialog"):
            yield Static(out, id="resume-text")

    def action_choose(self, choice: ResumeChoice) -> None:
        self.dismiss(choice)
