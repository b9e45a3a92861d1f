"""Building literal rich Text: user answers and YAML content are never parsed as markup."""

from __future__ import annotations

from rich.text import Text

BAR_WIDTH = 20


def literal(value: object, style: str = "") -> Text:
    """`value` exactly as written: "[bold]" stays "[bold]"."""
    return Text(str(value), style=style)


def join(*parts: Text | str) -> Text:
    """Concatenate parts; plain str parts are literal too."""
    out = Text()
    for part in parts:
        out.append_text(part if isinstance(part, Text) else Text(part))
    return out


def bar(fraction: float, width: int = BAR_WIDTH, style: str = "") -> Text:
    """A horizontal bar (fraction 0..1) drawn with block characters."""
    fraction = min(1.0, max(0.0, fraction))
    full = round(fraction * width)
    return join(Text("█" * full, style=style), Text("░" * (width - full), style="dim"))


def score_style(score: float) -> str:
    if score >= 70:
        return "bold green"
    if score >= 40:
        return "bold yellow"
    return "bold red"


def highlighted_answer(
    answer: str, matched: list[tuple[int, int]], flagged: list[tuple[int, int]]
) -> Text:
    """The answer as typed, matched spans underlined green and red-flag spans red."""
    text = Text(answer)
    for start, end in matched:
        text.stylize("bold green underline", start, end)
    for start, end in flagged:
        text.stylize("bold red reverse", start, end)
    return text


def model_answer(card) -> Text:
    """A card's model answer, with its reviewer's note where the guide is wrong or dated."""
    out = join(Text("Model answer\n", style="bold"), literal(card.answer))
    if card.reviewer_note:
        out.append_text(
            join(
                Text("\n\nReviewer's note: ", style="bold italic"),
                literal(card.reviewer_note, "italic"),
            )
        )
    return out
