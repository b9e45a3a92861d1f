"""A one-line prompt for typing a PromQL query inside an incident."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from trainer.tui.screens.base import TrainerModal


class QueryPromptScreen(TrainerModal[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                "Type the PromQL you would run (Enter runs it, Escape cancels)",
                classes="panel-title",
            )
            yield Input(
                placeholder='e.g. sum(rate(http_requests_total{status=~"5.."}[5m]))', id="promql"
            )

    def on_mount(self) -> None:
        self.query_one("#promql", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
