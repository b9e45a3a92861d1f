"""The answer box: a TextArea that never holds more than an interview answer's worth of text,
and whose cost per typed key does not grow with what is already typed.

Textual's TextArea re-wraps the whole edited line on every edit, so text arriving as keys one by
one (a paste in a terminal without bracketed paste) costs O(n) per key on one long line: 100 KB
took minutes. Printable keys are therefore gathered and inserted as one edit once the keys
already queued have been read: typing by hand still inserts each key at once (nothing else is
queued), a burst of keys becomes a handful of edits.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import TextArea

from trainer.grading.concepts import MAX_ANSWER_CHARS

# Keys inserted as text besides the printable ones (Textual names Return "enter").
INSERTED_KEYS = {"enter": "\n"}


def limit_message(limit: int) -> str:
    return (
        f"Answers are limited to {limit:,} characters (a spoken answer is far shorter); "
        "the rest was not added."
    )


class AnswerArea(TextArea):
    """Multi-line answer input, at most `limit` characters whichever way text arrives."""

    DEFAULT_CSS = """
    AnswerArea { height: 1fr; min-height: 5; }
    """

    def __init__(self, text: str = "", limit: int = MAX_ANSWER_CHARS, **kwargs: Any):
        super().__init__(
            text[:limit], soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs
        )
        self.limit = limit
        self._typed: list[str] = []  # keys read but not yet inserted
        self._typed_room = 0  # characters the pending keys may still add
        self._flush_scheduled = False
        self._refused = False  # the limit notice was shown for the current burst

    # -- keys ------------------------------------------------------------------------------
    async def _on_key(self, event: events.Key) -> None:
        insert = INSERTED_KEYS.get(event.key) or (event.character if event.is_printable else None)
        if insert is None or self.read_only:
            # An edit key (backspace, arrows, a binding) applies after the typed text; Textual
            # then runs TextArea's own handler.
            self.flush_typed()
            return
        event.stop()
        event.prevent_default()
        self._restart_blink()
        if not self._typed:
            # Measured once per burst: `text` joins every line, too dear to compute per key.
            start, end = self.selection
            selected = len(self.get_text_range(start, end)) if start != end else 0
            self._typed_room = self.limit - (self.document_length() - selected)
        if self._typed_room < len(insert):
            self._refuse()
            return
        self._typed.append(insert)
        self._typed_room -= len(insert)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            # Runs after the keys already in this widget's queue: a burst is one edit.
            self.call_later(self.flush_typed)

    def flush_typed(self) -> None:
        """Insert the keys read so far (call before reading `text` mid-burst)."""
        self._flush_scheduled = False
        if not self._typed:
            self._refused = False
            return
        typed = "".join(self._typed)
        self._typed.clear()
        if result := self._replace_via_keyboard(typed, *self.selection):
            self.move_cursor(result.end_location)
        self._refused = False

    def _refuse(self) -> None:
        if not self._refused:
            self._refused = True
            self.notify(limit_message(self.limit), severity="warning", timeout=6, markup=False)

    def document_length(self) -> int:
        """Characters in the box (newlines counted), without building the whole text."""
        document = self.document
        return sum(len(document[row]) for row in range(document.line_count)) + max(
            0, document.line_count - 1
        )

    # -- paste and blur --------------------------------------------------------------------
    async def _on_paste(self, event: events.Paste) -> None:
        # Textual runs TextArea's own _on_paste after this one unless the default is prevented.
        self.flush_typed()
        start, end = self.selection
        selected = len(self.get_text_range(start, end)) if start != end else 0
        if self.document_length() - selected + len(event.text) > self.limit:
            event.prevent_default()
            event.stop()
            self.notify(
                f"Paste refused: {len(event.text):,} characters. " + limit_message(self.limit),
                severity="warning",
                timeout=6,
                markup=False,
            )

    def _on_blur(self, event: events.Blur) -> None:
        self.flush_typed()  # then TextArea's own handler runs
