"""Mock interview presets: the rounds of a real SRE loop, each a category mix, a length and a
time per question. A preset gives defaults; a chosen count, time or category still wins."""

from __future__ import annotations

from typing import NamedTuple

# A real loop leans on incident response; the other categories take turns.
BALANCED_ROTATION = (
    "incident-response",
    "monitoring-observability",
    "performance-scalability",
    "security-compliance",
    "incident-response",
    "monitoring-observability",
    "performance-scalability",
    "incident-response",
)


class Preset(NamedTuple):
    id: str
    title: str
    description: str
    rotation: tuple[str, ...]  # the categories questions are drawn from, in turn
    questions: int
    seconds_per_question: int
    walk_through: bool = False  # add an incident walk-through (a scenario) in the middle


PRESETS: dict[str, Preset] = {
    preset.id: preset
    for preset in (
        Preset(
            "troubleshooting",
            "Troubleshooting round",
            "incidents and slow systems, with an incident walk-through",
            ("incident-response", "incident-response", "performance-scalability"),
            3,
            420,
            walk_through=True,
        ),
        Preset(
            "monitoring-design",
            "Monitoring and design round",
            "SLOs, alerting, tracing, capacity, caching and scaling",
            ("monitoring-observability", "performance-scalability"),
            4,
            360,
        ),
        Preset(
            "security",
            "Security round",
            "secrets, network, compliance, supply chain, privacy and a breach",
            ("security-compliance",),
            4,
            300,
        ),
        Preset(
            "mixed",
            "Mixed loop",
            "every category, leaning on incident response",
            BALANCED_ROTATION,
            5,
            300,
        ),
    )
}
DEFAULT_PRESET = "mixed"
