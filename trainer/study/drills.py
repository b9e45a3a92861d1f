"""Monitoring-query drills: write the PromQL, read a query back, name the metric and its
threshold, and the numbers to know (some computed fresh, like a random SLO's error budget)."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, NamedTuple

from trainer.content.models import Bank, Card, NumberCard, Query

if TYPE_CHECKING:
    from trainer.grading.promql import QueryError
from trainer.registry import DRILL_KINDS

KINDS = {kind.id: kind.label for kind in DRILL_KINDS.values()}  # declared in trainer.registry
WRITE_KINDS = ("promql",)
READ_KINDS = ("promql", "custom-metric")
METRIC_KINDS = ("cloudwatch-metric", "custom-metric")
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")
MONTH_MINUTES = 30 * 24 * 60
BUDGET_SLOS = (99.0, 99.5, 99.9, 99.95, 99.99)


class Drill(NamedTuple):
    kind: str  # write | read | metric | number
    item_id: str  # the query or number id ("budget-99.5" for a computed one)
    prompt: str
    reference: str  # the expected answer, shown after grading
    detail: str = ""  # note or explanation shown with the reference
    value: float | None = None  # numbers: the expected value
    tolerance: float = 0.0
    threshold: str | None = None  # metric drills: the guide's alert threshold

    @property
    def schedule_id(self) -> str:
        """The id under which the drill is scheduled (apart from the flashcards)."""
        return f"drill:{self.kind}:{self.item_id}"


class DrillResult(NamedTuple):
    verdict: str  # correct | partial | wrong | invalid
    score: int
    hints: tuple[str, ...]
    error: QueryError | None = None  # why a query does not parse

    def to_json(self, drill_id: str) -> dict:
        return {
            "id": drill_id,
            "verdict": self.verdict,
            "score": self.score,
            "hints": list(self.hints),
            "error": (
                {"message": self.error.message, "position": self.error.position}
                if self.error
                else None
            ),
        }


def drills(bank: Bank, kind: str, seed: int | None = None) -> list[Drill]:
    """Every drill of one kind, in bank order (numbers end with a computed budget drill)."""
    if kind == "write":
        return [_write(q) for q in bank.queries.values() if q.kind in WRITE_KINDS]
    if kind == "read":
        return [_read(q) for q in bank.queries.values() if q.kind in READ_KINDS]
    if kind == "metric":
        return [_metric(q) for q in bank.queries.values() if q.kind in METRIC_KINDS]
    if kind == "number":
        return [_number(n) for n in bank.numbers.values()] + [budget_drill(random.Random(seed))]
    raise ValueError(f"unknown drill kind {kind!r}; expected one of {', '.join(KINDS)}")


def _write(query: Query) -> Drill:
    return Drill(
        "write", query.id, f"Write the PromQL for: {query.measures}", query.query, query.note or ""
    )


def _read(query: Query) -> Drill:
    return Drill(
        "read",
        query.id,
        f"What does this measure?\n\n{query.query}",
        query.measures,
        query.note or "",
    )


def _metric(query: Query) -> Drill:
    ask = " Also give the alert threshold." if query.threshold else ""
    return Drill(
        "metric",
        query.id,
        f"Which metric tells you this? {query.measures}.{ask}",
        query.query,
        query.note or "",
        threshold=query.threshold,
    )


def _number(card: NumberCard) -> Drill:
    return Drill(
        "number",
        card.id,
        card.question,
        f"{card.value:g} {card.unit}",
        card.explanation,
        value=card.value,
        tolerance=card.tolerance,
    )


def budget_drill(rng: random.Random) -> Drill:
    """The monthly error budget of a random SLO, computed (not memorised)."""
    slo = rng.choice(BUDGET_SLOS)
    minutes = round((100 - slo) / 100 * MONTH_MINUTES, 2)
    return Drill(
        "number",
        f"budget-{slo:g}",
        f"An availability SLO of {slo:g}% over a 30-day month: how many minutes of error "
        "budget is that?",
        f"{minutes:g} min",
        f"(1 - {slo / 100:g}) x 30 x 24 x 60 = {100 - slo:.2f}% of 43,200 minutes = "
        f"{minutes:g} minutes.",
        value=minutes,
        tolerance=max(0.5, minutes * 0.02),
    )


def find(bank: Bank, drill_id: str, kind: str | None = None) -> Drill:
    """A drill by its item id (for `query check --id`): write-it for PromQL, else which-metric."""
    for candidate_kind in [kind] if kind else ["write", "metric", "number"]:
        for drill in drills(bank, candidate_kind, seed=0):
            if drill.item_id == drill_id:
                return drill
    raise KeyError(f"unknown query id {drill_id!r} (see `sre-trainer query list`)")


def check(bank: Bank, drill: Drill, attempt: str) -> DrillResult:
    """Grade an attempt at a drill."""
    if not attempt.strip():
        return DrillResult("invalid", 0, ("Type an answer first.",))
    if drill.kind == "write":
        from trainer.grading.promql import compare

        verdict = compare(drill.reference, attempt)
        return DrillResult(verdict.verdict, verdict.score, verdict.hints, verdict.error)
    if drill.kind == "read":
        return _check_read(bank, drill, attempt)
    if drill.kind == "metric":
        return _check_metric(drill, attempt)
    return _check_number(drill, attempt)


def _check_read(bank: Bank, drill: Drill, attempt: str) -> DrillResult:
    from trainer.grading.concepts import AnswerError, grade
    from trainer.grading.text import aliases_for

    card = Card(drill.item_id, "monitoring-observability", drill.prompt, drill.reference)
    try:
        result = grade(card, attempt, aliases_for(bank.aliases))
    except AnswerError as exc:
        return DrillResult("invalid", 0, (str(exc),))
    verdict = "correct" if result.score >= 70 else "partial" if result.score >= 35 else "wrong"
    hints = tuple(f"Missing: {p.text}" for p in result.missed[:3])
    return DrillResult(verdict, result.score, hints)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def numbers_in(text: str) -> list[float]:
    out = []
    for match in NUMBER.findall(text):
        try:
            out.append(float(match.replace(",", "")))
        except ValueError:
            continue
    return out


def _check_metric(drill: Drill, attempt: str) -> DrillResult:
    name = _squash(drill.reference.split("{")[0])
    said = _squash(attempt)
    named = bool(name) and name in said
    if not named and len(name) >= 8:
        from rapidfuzz import fuzz

        named = fuzz.partial_ratio(name, said) >= 90  # a typo in a long metric name
    score, hints = (70 if named else 0), []
    if not named:
        hints.append(f"The metric is {drill.reference}.")
    wanted = numbers_in(drill.threshold.split("(")[0]) if drill.threshold else []
    if wanted:
        given = numbers_in(attempt)
        if any(abs(g - w) <= max(1e-9, abs(w) * 0.05) for g in given for w in wanted):
            score += 30
        else:
            hints.append(f"The guide's alert threshold: {drill.threshold}.")
    else:
        score = 100 if named else 0
    verdict = "correct" if score == 100 else "partial" if score >= 30 else "wrong"
    return DrillResult(verdict, score, tuple(hints))


def _check_number(drill: Drill, attempt: str) -> DrillResult:
    given = numbers_in(attempt)
    if not given:
        return DrillResult("invalid", 0, ("Type a number (units are optional).",))
    value, tolerance = drill.value or 0.0, drill.tolerance
    best = min(given, key=lambda g: abs(g - value))
    if abs(best - value) <= tolerance + 1e-9:
        return DrillResult("correct", 100, ())
    if value and abs(best - value) <= abs(value) * 0.1:
        return DrillResult("partial", 50, (f"Close: {drill.reference} (you said {best:g}).",))
    return DrillResult("wrong", 0, (f"It is {drill.reference}.",))
