"""The answer box: a TextArea that refuses pastes too long to be an interview answer."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from trainer.grading.concepts import MAX_ANSWER_CHARS


class AnswerArea(TextArea):
    """Multi-line answer input. A paste that would exceed the limit is refused with a message
    instead of freezing the screen on a megabyte of text."""

    DEFAULT_CSS = """
    AnswerArea { height: 1fr; min-height: 5; }
    """

    def __init__(self, text: str = "", **kwargs):
        super().__init__(
            text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs
        )

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual runs TextArea's own _on_paste after this one unless the default is prevented.
        if len(self.text) + len(event.text) > MAX_ANSWER_CHARS:
            event.prevent_default()
            event.stop()
            self.notify(
                f"Paste refused: {len(event.text):,} characters. Answers are limited to "
                f"{MAX_ANSWER_CHARS:,} characters (a spoken answer is far shorter).",
                severity="warning",
                timeout=6,
            )
