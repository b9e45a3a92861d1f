"""Help (? or F1 anywhere): the keys of the screen it was opened on, and what the symbols
mean. Escape, ? or F1 closes it."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import join, literal

MEANING_WIDTH = 62  # the dialog's 72 columns less the symbol's, with room for the scroll bar
# (symbol, style, meaning): every mark the screens use, explained once.
SYMBOLS = (
    (
        "●●●",
        "cyan",
        "a rubric point's weight: ● 1 (nice to have) to ●●● 3 (what the interviewer "
        "most listens for)",
    ),
    ("✓", "green", "a point your answer covered"),
    ("◐", "yellow", "a point you named but did not explain: part of its weight"),
    ("✗", "yellow", "a point you missed"),
    ("⊘", "red", "a point you argued against: nothing for it"),
    ("!", "red", "a red flag: a wrong or harmful claim, 25 off"),
    ("░", "cyan", "in a chart: a practice mock (not in the trend)"),
    (
        "LEECH",
        "bold red",
        "a card forgotten 4 times after it was learned: rewrite it in your "
        "own words (a note, e in the card browser)",
    ),
)


class HelpScreen(TrainerModal[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "close", "Close help")]

    def __init__(self, title: str, keys: list[tuple[str, str]]):
        """`keys`: (key as shown, what it does) of the screen underneath."""
        super().__init__()
        self.title_text = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help-dialog"):
            yield Static(self._text(), id="help-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def _text(self) -> Text:
        out = join(Text("Keys: ", style="bold"), literal(self.title_text, "bold"), "\n")
        width = max((len(key) for key, _ in self.keys), default=4)
        for key, description in self.keys:
            out.append_text(
                join(Text(f" {key:<{width}} ", style="bold reverse"), literal(f" {description}\n"))
            )
        out.append_text(
            join(
                Text(f" {'^p':<{width}} ", style="bold reverse"),
                literal(" every command (modes, quizzes by category, help)\n"),
                Text(f" {'^q':<{width}} ", style="bold reverse"),
                literal(" quit (what you typed is kept as a draft)\n"),
            )
        )
        out.append("\nSymbols\n", style="bold")
        for symbol, style, meaning in SYMBOLS:
            lines = textwrap.wrap(meaning, MEANING_WIDTH) or [""]
            out.append_text(join(Text(f" {symbol:<5} ", style=style), literal(lines[0] + "\n")))
            for line in lines[1:]:
                out.append_text(literal(" " * 7 + line + "\n"))
        out.append("\nEscape closes this help.", style="dim")
        return out
