"""The debrief as plain text (the command line; the TUI draws its own)."""

from __future__ import annotations

import re

from trainer.scenarios.models import Scenario, Series
from trainer.scenarios.scoring import Debrief

BLOCKS = "▁▂▃▄▅▆▇█"


# Indented, column-aligned, a prompt or a quote, a comment (`# ...`, not a `#channel`), a
# table rule or a list item, box drawing.
_PREFORMATTED = re.compile(r"^\s|\S\s{2,}\S|^[$>|]|^#(?:\s|$)|^\+[-=+]|^-(?:\s|-)|[│┃─]")


def blocks(text: str) -> list[tuple[str, bool]]:
    """The paragraphs of a text, each with whether it is preformatted (command output, a
    table, a list: indented, column-aligned or bulleted lines, kept as written and never
    wrapped) or prose (hard-wrapped lines joined, to wrap to the screen)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.split("\n")
        if any(_PREFORMATTED.search(line) for line in lines):
            out.append((block, True))
        else:
            out.append((_join_wrapped(lines), False))
    return out


WRAPPED_FROM = 72  # a line at least this long was wrapped by its author, not ended


def _join_wrapped(lines: list[str]) -> str:
    """Hard-wrapped lines joined into one. A line keeps its break when it is short (it ends
    there on purpose: a metric per line), ends a sentence, or comes before an alert or a tag
    (`[P2] ...`): a chat message or an alert per line stays on its own line."""
    out = ""
    previous = ""
    for line in (line.strip() for line in lines):
        if out:
            ends = (
                len(previous) < WRAPPED_FROM
                or previous.endswith((".", "!", "?", '"', "”"))
                or line.startswith("[")
            )
            out += "\n" if ends else " "
        out += line
        previous = line
    return out


def reflow(text: str) -> str:
    """Join hard-wrapped prose lines into paragraphs so they wrap to the screen; keep command
    output, tables and lists (indented, column-aligned or bulleted lines) as written."""
    return "\n\n".join(block for block, _ in blocks(text))


def sparkline(points: tuple[float, ...] | list[float]) -> str:
    """A one-line chart of a metric series."""
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    return "".join(BLOCKS[round((p - low) / span * (len(BLOCKS) - 1))] for p in points)


def format_series(series: Series) -> str:
    points = series.points
    return (
        f"{series.name}: {sparkline(points)}  {points[0]:g} → {points[-1]:g} "
        f"(min {min(points):g}, max {max(points):g})"
    )


def format_debrief(scenario: Scenario, debrief: Debrief) -> str:
    lines = [f"{scenario.title} ({scenario.id}): {debrief.score}/100", ""]
    for item in debrief.items:
        out_of = f"/{item.out_of}" if item.out_of else ""
        lines.append(f"  {item.points:6.1f}{out_of:<4} {item.name}: {item.detail}")
    if debrief.error_budget_used is not None:
        lines += ["", f"Error budget burned: {debrief.error_budget_used:.0f}% of the month's"]
    if debrief.root_cause:
        lines += ["", "Your diagnosis: " + debrief.root_cause.strip()]
    lines += ["The model's:    " + " ".join(scenario.root_cause.model.split())]
    if debrief.harmful:
        lines += ["", "Harm done:"]
        lines += [f"  ! {label}: {harm.strip()}" for label, harm in debrief.harmful]
    lines += [
        "",
        "Your path:      " + (" > ".join(debrief.path) or "(no actions)"),
        "The model path: " + " > ".join(a for a, _, _ in debrief.model_path),
        "",
    ]
    for action_id, label, why in debrief.model_path:
        mark = "+" if action_id in debrief.path else "-"
        lines.append(f"  {mark} {label}")
        if why:
            lines.append(f"      why: {why.strip()}")
    lines += ["", "Lesson:", scenario.lesson.strip()]
    return "\n".join(lines)
