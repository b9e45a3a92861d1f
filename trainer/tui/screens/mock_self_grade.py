"""Speak-aloud mode: after a spoken answer, the rubric as a checklist; the candidate ticks the
points they covered (space) and confirms (ctrl+s). The score is theirs, marked self-graded.
After a time-out, keys in the first second are swallowed, as at any time-up."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static

from trainer.content.models import RubricPoint
from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal

SWALLOW_SECONDS = 1.0


class SelfGradeScreen(TrainerModal[list[str]]):
    BINDINGS = [Binding("ctrl+s", "done", "Done")]

    def __init__(
        self,
        points: tuple[RubricPoint, ...],
        timed_out: bool = False,
        follow_up: str | None = None,
    ):
        super().__init__()
        self.points = points
        self.timed_out = timed_out
        self.follow_up = follow_up
        self.shown_at: datetime | None = None

    def compose(self) -> ComposeResult:
        title = "Time's up. " if self.timed_out else ""
        asked = f"You were asked: {self.follow_up}\n" if self.follow_up is not None else ""
        with Vertical(classes="dialog wide-dialog"):
            yield Static(
                join(
                    Text(f"{title}Which points did you cover?\n", style="bold"),
                    literal(asked),
                    literal("Space ticks a point, ctrl+s stores your ticks (self-graded).", "dim"),
                )
            )
            yield SelectionList[str](
                *(
                    (literal(f"{'●' * p.weight}{'○' * (3 - p.weight)} {p.text}"), p.text)
                    for p in self.points
                ),
                id="covered",
            )
            # An option is one line, cut short: the highlighted point is shown whole here.
            yield Static(id="point-whole", classes="muted")

    def on_mount(self) -> None:
        self.shown_at = self.app.clock()
        self.query_one("#covered", SelectionList).focus()

    def on_selection_list_selection_highlighted(
        self, event: SelectionList.SelectionHighlighted
    ) -> None:
        point = self.points[event.selection_index]
        self.query_one("#point-whole", Static).update(literal(point.text))

    def action_done(self) -> None:
        if (
            self.timed_out
            and self.shown_at is not None
            and (self.app.clock() - self.shown_at).total_seconds() < SWALLOW_SECONDS
        ):
            return
        self.dismiss(list(self.query_one("#covered", SelectionList).selected))
