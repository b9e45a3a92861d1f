"""The answer box: a TextArea that never holds more than an interview answer's worth of text,
and whose cost per typed key does not grow with what is already typed.

Textual's TextArea re-wraps the whole edited line on every edit, so text arriving as keys one by
one (a paste in a terminal without bracketed paste) costs O(n) per key on one long line: 100 KB
took minutes. Printable keys are therefore gathered and inserted as one edit once the keys
already queued have been read: typing by hand still inserts each key at once (nothing else is
queued), a burst of keys becomes a handful of edits.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from textual import events
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

from trainer.grading.concepts import MAX_ANSWER_CHARS
from trainer.tui.text import printable

# Keys inserted as text besides the printable ones (Textual names Return "enter").
INSERTED_KEYS = {"enter": "\n"}


ANSWER_LIMIT = "Answers are limited to {limit:,} characters (a spoken answer is far shorter)"


def limit_message(
    limit: int, outcome: str = "the rest was not added.", limit_text: str = ANSWER_LIMIT
) -> str:
    return limit_text.format(limit=limit) + "; " + outcome


class AnswerArea(TextArea):
    """Multi-line answer input, at most `limit` characters whichever way text arrives. Once the
    text has rested `draft_delay` seconds after a change, it posts `DraftDue` (the screen keeps
    the draft)."""

    DEFAULT_CSS = """
    AnswerArea { height: 1fr; min-height: 5; }
    """

    class DraftDue(Message):
        """The text changed and has rested: time to keep it as a draft."""

        def __init__(self, area: AnswerArea):
            super().__init__()
            self.area = area

        @property
        def control(self) -> AnswerArea:
            return self.area

    def __init__(
        self,
        text: str = "",
        limit: int = MAX_ANSWER_CHARS,
        draft_delay: float = 1.0,
        limit_text: str = ANSWER_LIMIT,
        **kwargs: Any,
    ):
        super().__init__(
            printable(text)[:limit],
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            **kwargs,
        )
        self.limit = limit
        self.limit_text = limit_text  # what the notice says when text would pass the limit
        self.draft_delay = draft_delay
        self._changed_at = 0.0
        self._draft_timer: Timer | None = None
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
            self.notify(
                limit_message(self.limit, limit_text=self.limit_text),
                severity="warning",
                timeout=6,
                markup=False,
            )

    def document_length(self) -> int:
        """Characters in the box (newlines counted), without building the whole text."""
        document = self.document
        return sum(len(document[row]) for row in range(document.line_count)) + max(
            0, document.line_count - 1
        )

    # -- drafts ----------------------------------------------------------------------------
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # One timer per rest, not per key: it re-arms itself while changes keep coming.
        self._changed_at = monotonic()
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(self.draft_delay, self._draft_rested)

    def _draft_rested(self) -> None:
        waited = monotonic() - self._changed_at
        if waited < self.draft_delay:
            self._draft_timer = self.set_timer(self.draft_delay - waited, self._draft_rested)
            return
        self._draft_timer = None
        self.post_message(self.DraftDue(self))

    def set_answer(self, text: str) -> None:
        """Show `text` (a restored draft, or "" for the next question) without it counting as
        a change to keep: nothing typed, nothing to save."""
        self._typed.clear()
        self._flush_scheduled = False
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        with self.prevent(TextArea.Changed):
            self.load_text(printable(text)[: self.limit])
        self.move_cursor(self.document.end)  # carry on typing where the draft stopped

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
                f"Paste refused: {len(event.text):,} characters. "
                + limit_message(self.limit, "nothing of it was added.", self.limit_text),
                severity="warning",
                timeout=6,
                markup=False,
            )
            return
        text = printable(event.text.replace("\r\n", "\n"))
        if text != event.text and not self.read_only:
            # Control characters (a terminal escape sequence) never reach the box.
            event.prevent_default()
            event.stop()
            if result := self._replace_via_keyboard(text, start, end):
                self.move_cursor(result.end_location)

    def _on_blur(self, event: events.Blur) -> None:
        self.flush_typed()  # then TextArea's own handler runs
