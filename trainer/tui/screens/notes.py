"""Study notes from the guide: talking points, dashboard recommendations, next steps."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import literal

SECTION_TITLES = {
    "talking-points": "Key talking points: examples to adapt",
    "dashboards": "Dashboard recommendations",
    "next-steps": "Next steps",
}


class NotesScreen(TrainerScreen[None]):
    HELP_TITLE = "Study notes"
    BINDINGS = [Binding("escape", "app.go_home", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(self._notes(), id="notes-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#debrief").focus()

    def _notes(self) -> Text:
        notes = list(self.app.bank.notes.values())
        if not notes:
            return Text("No study notes in the bank.", style="italic")
        out = Text()
        sections = list(dict.fromkeys(n.section for n in notes))
        for section in sections:
            heading = SECTION_TITLES.get(section, section)
            out.append_text(literal(f"{heading}\n", "bold underline"))
            for note in (n for n in notes if n.section == section):
                # A note titled like its section would say the heading twice.
                if not heading.lower().startswith(note.title.strip().lower()):
                    out.append_text(literal(f"{note.title}\n", "bold"))
                out.append_text(literal(note.body.strip() + "\n\n"))
        return out
