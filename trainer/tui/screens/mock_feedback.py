"""Practice feedback between the questions of a mock: the score, every missed point, the
follow-ups and the model answer, read with the clock stopped (the next question's clock starts
when it is shown)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from trainer.study.mock import MockAnswer
from trainer.study.mock_report import missed_remark, outcome_label
from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import hanging, join, literal, score_style

DIALOG_WIDTH = 90  # .wide-dialog
DIALOG_CHROME = 8  # its border, padding and scrollbar


class MockFeedbackScreen(TrainerModal[None]):
    BINDINGS = [Binding("enter,ctrl+s", "go_on", "Next question")]

    def __init__(self, answer: MockAnswer):
        super().__init__()
        self.answer = answer

    def compose(self) -> ComposeResult:
        a = self.answer
        out = join(
            Text(f"{a.score}/100", style=score_style(a.score)),
            literal(f"  {outcome_label(a)}\n"),
        )
        width = min(DIALOG_WIDTH, self.app.size.width) - DIALOG_CHROME
        # Why the score is what it is comes first: the notes, the red flags, then the missed.
        for note in a.notes:
            out.append_text(hanging(Text("ⓘ ", style="italic"), note, width, "italic"))
        if a.red_flags:
            out.append_text(literal("\nRed flags:\n", "bold red"))
            for claim in a.red_flags:
                out.append_text(hanging(Text("  ! ", style="red"), claim, width))
        if a.missed:
            out.append_text(literal(f"\nMissed ({len(a.missed)}):\n", "bold"))
            for point in a.missed:
                remark = missed_remark(point, argued_against=a.argued_against)
                out.append_text(hanging(Text("  ✗ "), point + remark, width))
        for f in a.follow_ups:
            out.append_text(
                join(
                    literal("\nFollow-up: ", "bold"),
                    literal(f"{f.follow_up.prompt} "),
                    Text(f"{f.score}/100", style=score_style(f.score)),
                    "\n",
                )
            )
        out.append_text(literal("\nModel answer\n", "bold"))
        out.append_text(literal(a.card.answer.strip() + "\n"))
        with Vertical(classes="dialog wide-dialog"):
            yield Static(
                join(
                    Text("Practice feedback", style="bold"),
                    literal(" (the clock is stopped)   ", "dim"),
                    Text(" Enter ", style="bold reverse"),
                    " next question\n",
                )
            )
            with VerticalScroll(id="feedback-scroll"):
                yield Static(out, id="practice-feedback")

    def on_mount(self) -> None:
        self.query_one("#feedback-scroll").focus()

    def action_go_on(self) -> None:
        self.dismiss(None)
