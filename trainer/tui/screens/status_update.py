"""Writing a status update inside an incident: a small box, kept as a draft with the run until
it is posted (ctrl+s) with the communicate action; graded in the debrief."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.scenarios.models import Action
from trainer.scenarios.session import ScenarioRun
from trainer.study.service import UPDATE
from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea


class StatusUpdateScreen(TrainerModal[str | None]):
    """Dismissed with the text to post, or None (the draft stays with the run)."""

    BINDINGS = [
        Binding("ctrl+s", "post", "Post"),
        Binding("escape", "cancel", "Not now"),
    ]

    def __init__(self, run: ScenarioRun, action: Action):
        super().__init__()
        self.run = run
        self.action = action

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="update-dialog"):
            yield Static(
                join(
                    literal(self.action.label, "bold"),
                    Text(f"  ({self.action.minutes} min)", style="dim"),
                ),
                classes="panel-title",
            )
            yield Static(
                "Who is affected and how, what still works, what is being done, when the next "
                "update comes. State only what the evidence has shown.",
                classes="muted",
            )
            yield AnswerArea(self.run.update, id="update")
            yield Static(
                join(
                    Text(" ctrl+s ", style="bold reverse"),
                    " post   ",
                    Text(" esc ", style="bold reverse"),
                    " not now (kept as a draft)",
                ),
                classes="muted",
            )

    def on_mount(self) -> None:
        self.area.focus()

    @property
    def area(self) -> AnswerArea:
        return self.query_one("#update", AnswerArea)

    def on_answer_area_draft_due(self, event: AnswerArea.DraftDue) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        self.area.flush_typed()
        self.draft_kept(self.app.service.save_scenario_text(self.run, UPDATE, self.area.text))

    def action_post(self) -> None:
        self.area.flush_typed()
        text = self.area.text.strip()
        if not text:
            self.notify("Write the update first: it is what stakeholders read.", severity="warning")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.keep_draft()
        self.dismiss(None)
