"""Quantities in free text: numbers with their units, and alert thresholds with a direction.

"0.1 s" and "100 ms" are the same quantity, "greater than zero" is `> 0`, "120 seconds" is
"2 min", and "10k" is 10,000. Units convert within a dimension (time, percent); a unit of
another dimension makes a number a different quantity.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Units by dimension, as multiples of the dimension's base (seconds, percent, a count).
_UNITS: dict[str, dict[str, float]] = {
    "time": {
        "ms": 0.001,
        "msec": 0.001,
        "millisecond": 0.001,
        "milliseconds": 0.001,
        "s": 1,
        "sec": 1,
        "secs": 1,
        "second": 1,
        "seconds": 1,
        "m": 60,
        "min": 60,
        "mins": 60,
        "minute": 60,
        "minutes": 60,
        "h": 3600,
        "hr": 3600,
        "hrs": 3600,
        "hour": 3600,
        "hours": 3600,
        "d": 86400,
        "day": 86400,
        "days": 86400,
        "w": 604800,
        "week": 604800,
        "weeks": 604800,
    },
    "percent": {"%": 1, "percent": 1, "pct": 1, "per cent": 1},
}
# Magnitudes: "10k" users; "M" (upper case only: "5m" is five minutes) is a million.
_MAGNITUDES = {"k": 1e3, "thousand": 1e3, "M": 1e6, "million": 1e6, "mn": 1e6}
_COUNTS = ("x",)  # "2x" the peak: a multiple, no dimension
_WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
    "double": 2,
    "twice": 2,
    "triple": 3,
}
# "immediately" answers a response-time question with zero minutes.
_ZERO_TIME = re.compile(r"\b(immediate(ly)?|instant(ly)?|right away|at once)\b", re.I)
_UNIT_WORDS = sorted(
    {u for table in _UNITS.values() for u in table} | set(_MAGNITUDES) | set(_COUNTS),
    key=len,
    reverse=True,
)
_UNIT = r"(?:\s?(?P<unit>" + "|".join(re.escape(u) for u in _UNIT_WORDS) + r")(?![A-Za-z]))?"
# A number not glued to a word (p95, 5xx, v2 are names, not quantities).
_NUMBER = re.compile(
    r"(?<![A-Za-z_\d.])(?P<num>-?(?:\d[\d,]*(?:\.\d+)?|\.\d+))" + _UNIT + r"(?![A-Za-z_\d])",
    re.I,
)
_WORD_NUMBER = re.compile(r"\b(?P<num>" + "|".join(_WORD_NUMBERS) + r")\b" + _UNIT, re.I)
_A_UNIT = re.compile(r"\b(?:an?|one)\s+(?P<unit>hour|minute|second|day|week)\b", re.I)

UP_WORDS = (
    ">=",
    ">",
    "≥",
    "above",
    "over",
    "more than",
    "greater than",
    "higher than",
    "exceeds",
    "exceeding",
    "exceed",
    "at least",
    "beyond",
    "bigger than",
    "larger than",
)
DOWN_WORDS = (
    "<=",
    "<",
    "≤",
    "below",
    "under",
    "less than",
    "lower than",
    "at most",
    "smaller than",
    "drops to",
    "falls to",
)
INCLUSIVE_WORDS = frozenset({">=", "≥", "<=", "≤", "at least", "at most"})
# "alert on any throttling", "non-zero": a threshold of > 0.
_ANY = re.compile(r"\b(any|non-?zero|nonzero|anything above zero|at all)\b", re.I)


class Quantity(NamedTuple):
    """A number as written, with its dimension and value in that dimension's base unit."""

    value: float  # in the base unit of the dimension (seconds, percent), or as written
    dimension: str | None  # "time", "percent", or None for a bare number or a count
    raw: float  # the number as written (before unit conversion)
    start: int  # where it starts in the text
    end: int  # where it ends


class Threshold(NamedTuple):
    """An alert threshold: direction ("up", "down" or None), value and dimension, and whether
    the value itself is included (>=, "at least")."""

    direction: str | None
    quantity: Quantity
    inclusive: bool = False


def unit_of(unit: str) -> tuple[str | None, float]:
    """The dimension of a unit and its factor to the base unit (None, 1 for other units)."""
    key = unit.strip().lower()
    for dimension, table in _UNITS.items():
        if key in table:
            return dimension, table[key]
    return None, 1.0


def quantities(text: str) -> list[Quantity]:
    """Every number in the text, with its unit converted to the dimension's base unit."""
    found: list[Quantity] = []
    for pattern in (_NUMBER, _WORD_NUMBER):
        for match in pattern.finditer(text):
            raw_text = match.group("num")
            if pattern is _NUMBER:
                try:
                    raw = float(raw_text.replace(",", ""))
                except ValueError:
                    continue
            else:
                raw = float(_WORD_NUMBERS[raw_text.lower()])
            found.append(_quantity(raw, match.group("unit") or "", match.start(), match.end()))
    for match in _A_UNIT.finditer(text):
        found.append(_quantity(1.0, match.group("unit"), match.start(), match.end()))
    zero = _ZERO_TIME.search(text)
    if not found and zero is not None:
        found.append(Quantity(0.0, "time", 0.0, zero.start(), zero.end()))
    return sorted(found, key=lambda q: q.start)


def _quantity(raw: float, unit: str, start: int, end: int) -> Quantity:
    unit = unit.strip()
    magnitude = _MAGNITUDES.get(unit if unit == "M" else unit.lower())
    if magnitude is not None:
        return Quantity(raw * magnitude, None, raw, start, end)
    dimension, factor = unit_of(unit) if unit else (None, 1.0)
    return Quantity(raw * factor, dimension, raw, start, end)


def in_unit(quantity: Quantity, unit: str) -> list[float]:
    """The values a quantity may stand for in a given unit ([] when the dimensions differ).
    A bare number is taken in that unit; `10k` may be 10,000 or (for "$M") 10."""
    dimension, factor = unit_of(unit)
    if quantity.dimension is None:
        values = [quantity.raw]
        if quantity.value != quantity.raw:
            values.append(quantity.value)
        return values
    if quantity.dimension != dimension:
        return []
    return [quantity.value / factor]


def thresholds(text: str) -> list[Threshold]:
    """The thresholds an answer states: `> 100 ms`, "above 1%", "greater than zero", "any"."""
    found = []
    low = text.lower()
    for quantity in quantities(text):
        before = low[max(0, quantity.start - 24) : quantity.start].rstrip()
        direction, inclusive = _direction(before)
        found.append(Threshold(direction, quantity, inclusive))
    match = _ANY.search(text)
    if match is not None:
        found = [Threshold("up", t.quantity) if t.quantity.value == 0 else t for t in found]
        if not any(t.quantity.value == 0 for t in found):
            found.append(Threshold("up", Quantity(0.0, None, 0.0, match.start(), match.end())))
    return found


def _direction(before: str) -> tuple[str | None, bool]:
    """The direction of the comparison written just before a number, if any, and whether it
    includes the value."""
    best, where, word_found = None, -1, ""
    for words, direction in ((UP_WORDS, "up"), (DOWN_WORDS, "down")):
        for word in words:
            at = before.rfind(word)
            end = at + len(word)
            if at >= 0 and before[end:].strip(" :=-") in ("", "than", "of") and end > where:
                best, where, word_found = direction, end, word
    return best, word_found in INCLUSIVE_WORDS


def parse_threshold(text: str) -> tuple[str | None, float, str] | None:
    """A reference threshold such as "> 100 ms (Q10)": direction, value as written and unit."""
    head = text.split("(")[0]
    match = re.search(r"(>=|<=|>|<)\s*(-?\d[\d,]*(?:\.\d+)?)\s*([A-Za-z%]*)", head)
    if match is None:
        return None
    direction = "up" if match.group(1).startswith(">") else "down"
    return direction, float(match.group(2).replace(",", "")), match.group(3)


def same_value(got: float, want: float, tolerance: float = 0.0) -> bool:
    """Equal within the tolerance (and the rounding of a unit conversion: 0.1 s * 1000)."""
    return abs(got - want) <= tolerance + max(1e-9, abs(want) * 1e-6)
