"""Building literal rich Text: user answers and YAML content are never parsed as markup, and
never carry control characters to the terminal (an OSC 52 sequence in a card would write to the
clipboard)."""

from __future__ import annotations

from rich.text import Text

from trainer.safe_text import strip_controls

BAR_WIDTH = 20


def printable(value: str) -> str:
    """`value` without escape sequences or control characters: the core's stripping, so the
    screen and the command line drop the same set."""
    return strip_controls(value)


def plural(count: int, word: str) -> str:
    """ "1 day", "2 days"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def literal(value: object, style: str = "") -> Text:
    """`value` exactly as written, less control characters: "[bold]" stays "[bold]"."""
    return Text(printable(str(value)), style=style)


def join(*parts: Text | str) -> Text:
    """Concatenate parts; plain str parts are literal too."""
    out = Text()
    for part in parts:
        out.append_text(part if isinstance(part, Text) else literal(part))
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


def answer_legend(no_color: bool = False) -> str:
    """How the answer below shows what was credited: by colour, or (NO_COLOR) by shape."""
    if no_color:
        return "(underlined: credited · reversed: red flag)"
    return "(green: credited · red: red flag)"


def highlighted_answer(
    answer: str, matched: list[tuple[int, int]], flagged: list[tuple[int, int]]
) -> Text:
    """The answer as typed, matched spans underlined green and red-flag spans reversed red, so
    the shapes tell them apart without colour too (answers reach the grader from the answer
    box, which holds no control characters)."""
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


def hanging(prefix: Text | str, body: object, width: int, style: str = "") -> Text:
    """`prefix` then `body` wrapped to `width` columns, every further line indented under the
    start of the body (so a wrapped point still reads as one item). Ends with a newline."""
    import textwrap

    head = prefix if isinstance(prefix, Text) else literal(prefix)
    indent = head.cell_len
    lines = textwrap.wrap(printable(str(body)), max(10, width - indent)) or [""]
    out = head.copy()
    out.append(lines[0] + "\n", style=style)
    for line in lines[1:]:
        out.append(" " * indent + line + "\n", style=style)
    return out
