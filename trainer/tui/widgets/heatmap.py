"""A calendar heatmap of study days: weeks as columns, Monday to Sunday as rows."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text

SHADES = ((0, "·", "dim"), (1, "▪", "green"), (3, "■", "green"), (8, "■", "bold bright_green"))


def heatmap(activity: dict[str, int], today: date, weeks: int = 16) -> Text:
    """Text of `weeks` columns ending with the current week; cells shaded by activity."""
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    labels = [" "] * (weeks * 2 + 4)
    last_month = None
    for week in range(weeks):
        day = start + timedelta(days=7 * week)
        column = 4 + week * 2
        if day.month != last_month and labels[column - 1] == " ":
            labels[column : column + 3] = day.strftime("%b")
            last_month = day.month
    months = Text("".join(labels[: weeks * 2 + 4]).rstrip(), style="dim")
    out = Text()
    out.append_text(months)
    out.append("\n")
    for weekday, name in enumerate(("Mon", "   ", "Wed", "   ", "Fri", "   ", "Sun")):
        out.append(f"{name} ", style="dim")
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > today:
                out.append("  ")
                continue
            count = activity.get(day.isoformat(), 0)
            char, style = next((c, s) for floor, c, s in reversed(SHADES) if count >= floor)
            out.append(char + " ", style=style)
        out.append("\n")
    out.append("    · none  ▪ 1-2  ■ 3-7  ", style="dim")
    out.append("■", style="bold bright_green")
    out.append(" 8+ answers or reviews", style="dim")
    return out
