"""Your own words on a card: typed in a box, saved with ctrl+s, shown with the card and
exported with it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from trainer.study.cards import MAX_NOTE_CHARS
from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import literal


class CardNoteScreen(TrainerModal[str | None]):
    """Dismissed with the text to save, or None (Escape: nothing changes)."""

    HELP_TITLE = "Your note on a card"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, card_id: str, text: str):
        super().__init__()
        self.card_id = card_id
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog note-dialog"):
            yield Static(
                literal(
                    f"Your note on {self.card_id}: the answer in your own words, a mnemonic, a "
                    "story from your work. ctrl+s saves (empty deletes it), Escape cancels."
                ),
                classes="muted",
            )
            yield TextArea(self.text, id="note", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        area = self.query_one("#note", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one("#note", TextArea).text
        if len(text) > MAX_NOTE_CHARS:
            self.notify(
                f"The note is {len(text):,} characters; the limit is {MAX_NOTE_CHARS:,}.",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
