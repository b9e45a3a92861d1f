"""A one-line prompt for typing a PromQL query inside an incident."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal

# A query from the guide that is real PromQL over CloudMart's real labels.
GUIDE_EXAMPLE = (
    'rate(container_cpu_usage_seconds_total{namespace="default", pod=~"cloudmart.*"}[5m])'
)


class QueryPromptScreen(TrainerModal[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, look_ups: list[str] | None = None, example: str | None = None):
        super().__init__()
        self.look_ups = look_ups or []
        self.example = example or GUIDE_EXAMPLE

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                "Type the PromQL you would run (Enter runs it, Escape cancels)",
                classes="panel-title",
            )
            shown = Text("Look-ups open now: ", style="dim")
            shown.append_text(
                literal(
                    "; ".join(self.look_ups)
                    or "none (a query you ran before shows its result again)"
                )
            )
            yield Static(shown, id="promql-look-ups")
            yield Static(
                join(Text("e.g. ", style="dim"), literal(self.example)), id="promql-example"
            )
            yield Input(placeholder=self.example, id="promql")

    def on_mount(self) -> None:
        self.query_one("#promql", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
