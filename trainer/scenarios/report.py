"""The debrief as plain text (the command line; the TUI draws its own)."""

from __future__ import annotations

from trainer.scenarios.models import Scenario
from trainer.scenarios.scoring import Debrief


def format_debrief(scenario: Scenario, debrief: Debrief) -> str:
    lines = [f"{scenario.title} ({scenario.id}): {debrief.score}/100", ""]
    for item in debrief.items:
        out_of = f"/{item.out_of}" if item.out_of else ""
        lines.append(f"  {item.points:6.1f}{out_of:<4} {item.name}: {item.detail}")
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
