"""Monitoring-query drills: write the query (or command), read a query back, name the metric
and its threshold, and the numbers to know (some computed fresh, like a random SLO's budget).

One catalogue serves `query list`, `query check` and the TUI: every listed id can be checked,
and everything that can be checked is listed.
"""

from __future__ import annotations

import random
from typing import Any, NamedTuple

from trainer.content.models import Bank, Card, NumberCard, Query
from trainer.registry import DRILL_KINDS

MONTH_MINUTES = 30 * 24 * 60
BUDGET_SLOS = (99.0, 99.5, 99.9, 99.95, 99.99)


KINDS = {k.id: k.label for k in DRILL_KINDS.values()}  # declared in trainer.registry
PRIMARY_ORDER = ("write", "metric", "read", "number")  # what `query check --id` checks first
WRITE_PROMPTS = {
    "promql": "Write the PromQL for: ",
    "cloudwatch-cli": "Write the AWS CLI command for: ",
    "shell": "Write the command for: ",
}


class Drill(NamedTuple):
    kind: str  # write | read | metric | number
    item_id: str  # the query or number id ("budget-99.5" for a computed one)
    prompt: str
    reference: str  # the expected answer, shown after a real attempt or when asked
    detail: str = ""  # note or explanation shown with the reference
    value: float | None = None  # numbers: the expected value
    tolerance: float = 0.0
    threshold: str | None = None  # metric drills: the guide's alert threshold
    item: Query | None = None  # the query item a write, read or metric drill comes from
    unit: str = ""  # numbers: the unit of value

    @property
    def schedule_id(self) -> str:
        """The id under which the drill is scheduled (apart from the flashcards)."""
        return f"drill:{self.kind}:{self.item_id}"


class DrillResult(NamedTuple):
    verdict: str  # correct | partial | wrong | invalid
    score: int
    hints: tuple[str, ...]
    error: Any = None  # a promql.QueryError for a query that does not parse

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


class CatalogueEntry(NamedTuple):
    """One checkable item: its id, what it is, and the drill kinds it offers (first: default)."""

    id: str
    group: str
    kind: str
    drills: tuple[str, ...]
    measures: str
    query: str
    threshold: str | None

    def to_json(self) -> dict:
        return self._asdict() | {"drills": list(self.drills)}


# ---------------------------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------------------------


def drill_kinds_of(query: Query) -> tuple[str, ...]:
    """The drill kinds a query item offers, its main one first (write, metric, then read)."""
    offered = [k.id for k in DRILL_KINDS.values() if query.kind in k.item_kinds]
    return tuple(sorted(offered, key=PRIMARY_ORDER.index))


def catalogue(bank: Bank) -> list[CatalogueEntry]:
    """Every checkable item: the queries, the numbers and the computed error budgets."""
    out = [
        CatalogueEntry(q.id, q.group, q.kind, drill_kinds_of(q), q.measures, q.query, q.threshold)
        for q in bank.queries.values()
        if drill_kinds_of(q)
    ]
    numbers = [_number(n) for n in bank.numbers.values()]
    numbers += [budget_drill(slo) for slo in BUDGET_SLOS]
    out += [
        CatalogueEntry(d.item_id, "numbers", "number", ("number",), d.prompt, d.reference, None)
        for d in numbers
    ]
    return out


def drills(bank: Bank, kind: str, seed: int | None = None) -> list[Drill]:
    """Every drill of one kind, in bank order (numbers end with a random computed budget)."""
    if kind not in KINDS:
        raise ValueError(f"unknown drill kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind == "number":
        rng = random.Random(seed)
        return [_number(n) for n in bank.numbers.values()] + [budget_drill(rng.choice(BUDGET_SLOS))]
    return [_drill(kind, q) for q in bank.queries.values() if kind in drill_kinds_of(q)]


def find(bank: Bank, drill_id: str, kind: str | None = None) -> Drill:
    """A drill by its catalogue id; `kind` picks one of the item's drills (default: its first)."""
    if drill_id in bank.queries:
        query = bank.queries[drill_id]
        offered = drill_kinds_of(query)
        chosen = kind or (offered[0] if offered else "")
        if chosen not in offered:
            raise KeyError(
                f"query id {drill_id!r} has no {chosen or 'drill'} drill"
                f" (it offers: {', '.join(offered) or 'none'})"
            )
        return _drill(chosen, query)
    if kind not in (None, "number"):
        raise KeyError(f"{drill_id!r} is a number: it only has a number drill")
    if drill_id in bank.numbers:
        return _number(bank.numbers[drill_id])
    for slo in BUDGET_SLOS:
        if drill_id == f"budget-{slo:g}":
            return budget_drill(slo)
    raise KeyError(f"unknown query id {drill_id!r} (see `sre-trainer query list`)")


def _drill(kind: str, query: Query) -> Drill:
    note = query.note or ""
    if kind == "write":
        prompt = WRITE_PROMPTS[query.kind] + query.measures
        return Drill("write", query.id, prompt, query.query.strip(), note, item=query)
    if kind == "read":
        prompt = f"What does this query measure?\n\n{query.query.strip()}"
        return Drill("read", query.id, prompt, query.measures, note, item=query)
    ask = " Also give the alert threshold." if query.threshold else ""
    prompt = f"Which metric tells you this? {query.measures}.{ask}"
    return Drill(
        "metric", query.id, prompt, query.query, note, threshold=query.threshold, item=query
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
        unit=card.unit,
    )


def budget_drill(slo: float | random.Random) -> Drill:
    """The monthly error budget of an SLO (a random one when given a Random), computed."""
    if isinstance(slo, random.Random):
        slo = slo.choice(BUDGET_SLOS)
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
        unit="min",
    )


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------


def check(bank: Bank, drill: Drill, attempt: str) -> DrillResult:
    """Grade an attempt at a drill."""
    if not attempt.strip():
        return DrillResult("invalid", 0, ("Type an answer first.",))
    if drill.kind == "write":
        return _check_write(drill, attempt)
    if drill.kind == "read":
        return _check_read(bank, drill, attempt)
    if drill.kind == "metric":
        return _check_metric(bank, drill, attempt)
    from trainer.grading.numbers import grade_number

    graded = grade_number(attempt, drill.prompt, drill.value or 0.0, drill.unit, drill.tolerance)
    return DrillResult(graded.verdict, graded.score, graded.hints)


def _check_write(drill: Drill, attempt: str) -> DrillResult:
    item = drill.item
    assert item is not None
    if item.kind != "promql":
        from trainer.grading.commands import grade_command

        wrong = [(w.answer, w.hint, w.verdict) for w in item.wrong]
        graded = grade_command(item.query, attempt, item.accepted, wrong)
        return DrillResult(graded.verdict, graded.score, graded.hints)
    from trainer.grading.promql import Options, WrongAnswer, compare

    verdict = compare(
        item.query,
        attempt,
        item.accepted,
        [WrongAnswer(w.answer, w.hint, w.verdict) for w in item.wrong],
        Options(one_series=item.single_series),
    )
    return DrillResult(verdict.verdict, verdict.score, verdict.hints, verdict.error)


def _check_read(bank: Bank, drill: Drill, attempt: str) -> DrillResult:
    """Graded by meaning: the concept grader with the item's rubric (what is measured, at what
    granularity), whose red flags catch an opposite reading."""
    from trainer.grading.concepts import AnswerError, grade
    from trainer.grading.text import aliases_for

    item = drill.item
    assert item is not None
    card = Card(
        item.id,
        "monitoring-observability",
        drill.prompt,
        item.measures,
        rubric=item.rubric,
        red_flags=item.red_flags,
    )
    try:
        # A reading is a short description, not an interview answer: no how-and-why needed.
        result = grade(
            card,
            attempt,
            aliases_for(bank.aliases),
            explained=False,
            every_card_flags=bank.red_flags,
        )
    except AnswerError as exc:
        return DrillResult("invalid", 0, (str(exc),))
    verdict = "correct" if result.score >= 70 else "partial" if result.score >= 35 else "wrong"
    hints = [f"That reads it as something else: {f.claim.lower()}." for f in result.red_flags]
    hints += [f"Missing: {p.text}" for p in result.missed]
    return DrillResult(verdict, result.score, tuple(dict.fromkeys(hints))[:3])


def _check_metric(bank: Bank, drill: Drill, attempt: str) -> DrillResult:
    from trainer.grading.metrics import MetricItem, grade_metric

    item = drill.item
    assert item is not None
    metric = MetricItem(
        item.query,
        item.accepted,
        tuple((w.answer, w.hint, w.verdict) for w in item.wrong),
        item.threshold,
        tuple(_metric_names(bank) - {item.query.split("{")[0]}),
    )
    graded = grade_metric(metric, attempt)
    return DrillResult(graded.verdict, graded.score, graded.hints)


def _metric_names(bank: Bank) -> set[str]:
    """Every metric name the which-metric drills know, right or wrong."""
    names: set[str] = set()
    for query in bank.queries.values():
        if "metric" in drill_kinds_of(query):
            names.add(query.query.split("{")[0].strip())
            names.update(a.split("{")[0].strip() for a in query.accepted)
            names.update(w.answer.split("{")[0].strip() for w in query.wrong)
    return names


def numbers_in(text: str) -> list[float]:
    """The numbers written in a text, as written (units are not converted)."""
    from trainer.grading.quantities import quantities

    return [q.raw for q in quantities(text)]
