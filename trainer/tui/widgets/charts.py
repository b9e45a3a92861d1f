"""Column charts drawn as text, with a labelled y axis, a label under every column and the
value over it where it fits: charts people read in 80x24.

Hand-drawn on purpose: textual-plotext was tried (see the README's Stats section): at the
heights that fit 80x24 beside everything else (8 to 10 rows) its line and bar charts round a
40 to the 50 gridline and label axes 3.33 cards, and the wrapper pins plotext below the current
major version. Eighth blocks (▁▂▃▄▅▆▇█) give each row eight steps, and the numbers are printed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.text import Text

EIGHTHS = " ▁▂▃▄▅▆▇█"


class Column:
    """One column: its value, a label of one or two lines under it, and how it is drawn."""

    __slots__ = ("value", "label", "style", "hollow")

    def __init__(self, value: float, label: str = "", style: str = "", hollow: bool = False):
        self.value = value
        self.label = label
        self.style = style
        self.hollow = hollow  # drawn with a light shade (a practice mock)


def nice_max(value: float) -> int:
    """A round top for the axis at or above `value`: 2, 4, 10, 20, 40, 100... (even, so the
    middle tick is a whole number too)."""
    if value <= 2:
        return 2
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return int(10 * magnitude)


def column_chart(
    columns: Sequence[Column],
    height: int = 6,
    top: float | None = None,
    width: int = 3,
    gap: int = 1,
    values: bool = True,
    unit: str = "",
    axis_labels: dict[int, str] | None = None,
) -> Text:
    """The chart as Text: `height` rows of bars against a y axis from 0 to `top` (default: a
    round number over the largest value), labelled at 0, the middle and the top; each column
    `width` wide with its value above it (when `values` and it fits) and its label below, or
    (`axis_labels`: column index -> text) a few labels along the axis, for narrow columns."""
    if top is None:
        highest = max((c.value for c in columns), default=0)
        # Room for the tallest column's value above it.
        top = nice_max(highest * height / (height - 1) if values and height > 1 else highest)
    top = float(top) or 1.0
    middle = height // 2
    ticks = {height: _number(top), middle: _number(top * middle / height)}
    axis = max(len(t) for t in ticks.values()) + len(unit)
    out = Text()
    # Each column's height in eighths of a row.
    eighths = [round(max(0.0, min(c.value, top)) / top * height * 8) for c in columns]
    for row in range(height, 0, -1):
        tick = ticks.get(row, "")
        out.append(f"{tick + (unit if tick else ''):>{axis}} ", style="dim")
        out.append("┤" if row in ticks else "│", style="dim")
        for column, size in zip(columns, eighths, strict=True):
            out.append(" " * gap)
            cell = _cell(size, row, width, column, values, height)
            out.append(cell[0], style=cell[1])
        out.append("\n")
    out.append(f"{'0':>{axis}} ┴", style="dim")
    out.append("─" * ((width + gap) * len(columns)), style="dim")
    if axis_labels is not None:
        cells = [" "] * ((width + gap) * len(columns) + 12)
        for index, text in sorted(axis_labels.items()):
            start = min(index * (width + gap) + gap, len(cells) - len(text))
            if all(ch == " " for ch in cells[max(0, start - 1) : start + len(text)]):
                cells[start : start + len(text)] = text
        out.append("\n" + " " * (axis + 2) + "".join(cells).rstrip(), style="dim")
        return out
    labels = [c.label.split("\n") for c in columns]
    for line in range(max((len(lab) for lab in labels), default=0)):
        out.append("\n" + " " * (axis + 2))
        for label in labels:
            text = label[line] if line < len(label) else ""
            out.append(" " * gap + f"{text[: width + gap - 1]:^{width}}"[:width], style="dim")
    return out


def _cell(
    size: int, row: int, width: int, column: Column, values: bool, height: int
) -> tuple[str, str]:
    """What a column shows on `row` (1 is the bottom): its bar, or its value just above it (in
    the bar's top when the bar reaches the top row)."""
    text = _number(column.value)
    shown = values and len(text) <= width
    label_row = -(-size // 8) + 1  # the row above the bar's last (partly filled) row
    bar_style = column.style or "cyan"
    if shown and label_row > height and row == height:
        return f"{text:^{width}}", f"bold reverse {bar_style}"
    floor_eighths = (row - 1) * 8
    if size >= row * 8:
        return ("░" if column.hollow else "█") * width, bar_style
    if size > floor_eighths:
        part = EIGHTHS[size - floor_eighths] if not column.hollow else "░"
        return part * width, bar_style
    if shown and row == label_row:
        return f"{text:^{width}}", "bold"
    return " " * width, ""


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
