"""The outcome of grading a short answer (a metric name, a number, a command)."""

from typing import NamedTuple


class Graded(NamedTuple):
    """correct (100), partial (30-80), wrong (0-20) or invalid (0), with hints."""

    verdict: str
    score: int
    hints: tuple[str, ...] = ()
