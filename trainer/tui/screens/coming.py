"""A mode that is not built yet: said plainly, with what to do meanwhile."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.tui.text import join, literal


class ComingScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, name: str, description: str):
        super().__init__()
        self.mode_name = name
        self.description = description

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="centered"):
            yield Static(
                join(
                    Text(f"{self.mode_name}: coming soon\n\n", style="bold"),
                    literal(f"{self.description}.\n\n"),
                    literal(
                        "This mode is not built yet. Meanwhile, a Quiz (q on the home screen) "
                        "on the same topics is the closest practice.\n\n"
                    ),
                    Text("Press Escape to go back.", style="dim"),
                ),
                classes="card",
            )
        yield Footer()
