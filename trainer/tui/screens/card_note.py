"""Your own words on a card: typed in a box, saved with ctrl+s, shown with the card and
exported with it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from trainer.study.cards import MAX_NOTE_CHARS
from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import literal
from trainer.tui.widgets.answer_area import AnswerArea


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
            # The answer box's guards: a paste over the limit is refused, controls stripped.
            yield AnswerArea(
                self.text,
                limit=MAX_NOTE_CHARS,
                limit_text="Notes are limited to {limit:,} characters",
                id="note",
            )

    def on_mount(self) -> None:
        area = self.query_one("#note", AnswerArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        area = self.query_one("#note", AnswerArea)
        area.flush_typed()
        self.dismiss(area.text)

    def action_cancel(self) -> None:
        self.dismiss(None)
