"""Grading a "number to know": one number, in any unit of the right dimension.

The answer's own working does not count as a hedge: numbers in parentheses, numbers before an
`=` (or `->`), and numbers the question itself states are set aside when another remains.
What is left must be one value (or values that all agree): "10 or 16 or 32" is a guess.
"""

from __future__ import annotations

import re

from trainer.grading.quantities import Quantity, in_unit, quantities, same_value
from trainer.grading.result import Graded

_RESULT_MARK = re.compile(r"=>|->|→|=|\bequals\b|\bgives\b")
CLOSE_SHARE = 0.1  # within 10% (of the value, or of its complement for a % near 100) is close


def grade_number(answer: str, question: str, value: float, unit: str, tolerance: float) -> Graded:
    """One number against the expected value and unit."""
    found = quantities(answer)
    if not found:
        return Graded("invalid", 0, ("Type a number (units are optional).",))
    candidates = _candidates(answer, question, found)
    readings = [_readings(q, unit) for q in candidates]
    shown = f"{value:g} {unit}".strip()
    if not any(readings):
        return Graded("wrong", 0, (f"Wrong unit: the answer is in {unit or 'plain numbers'}.",))
    readings = [r for r in readings if r]
    if all(any(same_value(v, value, tolerance) for v in r) for r in readings):
        return Graded("correct", 100)
    if len(readings) > 1:
        return Graded("wrong", 0, ("Give one number: a list of guesses is not an answer.",))
    best = min(readings[0], key=lambda v: abs(v - value))
    if _close(best, value, unit):
        return Graded("partial", 50, (f"Close: {shown} (you said {best:g}).",))
    return Graded("wrong", 0, (f"It is {shown}.",))


def _readings(quantity: Quantity, unit: str) -> list[float]:
    """What a number may mean in the drill's unit: 0.001 is also 0.1 %; 2,250,000 is 2.25 $M."""
    values = in_unit(quantity, unit)
    if quantity.dimension is None:
        if unit == "%" and 0 < quantity.raw <= 1:
            values = [*values, quantity.raw * 100]
        if "M" in unit or "million" in unit.lower():
            values = [*values, quantity.value / 1e6]
    return values


def _candidates(answer: str, question: str, found: list[Quantity]) -> list[Quantity]:
    """The numbers that state the answer, without the working around them."""
    marks = list(_RESULT_MARK.finditer(answer))
    if marks:
        after = [q for q in found if q.start >= marks[-1].end()]
        if after:
            found = after
    outside = [q for q in found if not _in_parentheses(answer, q.start)]
    if outside:
        found = outside
    given = {q.raw for q in quantities(question)}
    fresh = [q for q in found if q.raw not in given]
    if fresh:
        found = fresh
    distinct: list[Quantity] = []
    for q in found:
        if not any(q.value == d.value and q.dimension == d.dimension for d in distinct):
            distinct.append(q)
    return distinct


def _in_parentheses(text: str, position: int) -> bool:
    before = text[:position]
    return before.count("(") > before.count(")")


def _close(got: float, want: float, unit: str) -> bool:
    """Close enough for partial credit: within 10%, or for an availability near 100% within
    10% of the allowed failure (99.99% is a tenth of 99.9%'s error budget: not close)."""
    if unit == "%" and 90 < want < 100:
        return abs((100 - got) - (100 - want)) <= (100 - want) * CLOSE_SHARE
    return bool(want) and abs(got - want) <= abs(want) * CLOSE_SHARE
