"""Verdicts: an attempt graded against every accepted answer and the known wrong ones.

correct (100): equal to an accepted answer in canonical or algebraic form.
partial (30-80): near misses only (a range, a missing filter, a unit, an aggregation); the score
falls with how far the meaning is from right.
wrong (0-20): anything that changes what is measured; the hints say what, one per cause.
invalid (0): it does not parse; the error says where, and the hint how to fix it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from trainer.grading.promql.algebra import algebraic, constant_part, negated
from trainer.grading.promql.canonical import Node, Number, Selector, parse, walk
from trainer.grading.promql.differences import (
    STRICT,
    Differ,
    Diffs,
    Options,
    cost,
    general_hint,
    similarity,
)
from trainer.grading.promql.parse_errors import QueryError, explain

PARTIAL_LIMIT = 70  # a total penalty above this is no longer a near miss
MAX_HINTS = 3
REARRANGED_MARGIN = 10
VERDICT_RANK = {"correct": 3, "partial": 2, "wrong": 1, "invalid": 0}


class QueryVerdict(NamedTuple):
    """The outcome of grading one attempt."""

    verdict: str
    score: int
    hints: tuple[str, ...]
    error: QueryError | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of this verdict."""
        error = None
        if self.error is not None:
            error = {"message": self.error.message, "position": self.error.position}
        return {
            "verdict": self.verdict,
            "score": self.score,
            "hints": list(self.hints),
            "error": error,
        }


class WrongAnswer(NamedTuple):
    """A known wrong (or half-right) answer and what to tell whoever gives it."""

    query: str
    hint: str
    verdict: str = "wrong"


class _Reference(NamedTuple):
    tree: Node
    algebraic: Node


def compare(
    reference: str,
    attempt: str,
    accepted: tuple[str, ...] | list[str] = (),
    wrong: tuple[WrongAnswer, ...] | list[WrongAnswer] = (),
    options: Options = STRICT,
) -> QueryVerdict:
    """Grade an attempt against a reference and the other accepted answers (ValueError if one
    of those does not parse)."""
    references = [_reference(q) for q in (reference, *accepted)]
    if not attempt.strip():
        return QueryVerdict(
            "invalid",
            0,
            ("Type a PromQL expression, for example a metric name with label matchers.",),
            QueryError("Empty query: there is nothing to grade.", None),
        )
    try:
        att = parse(attempt)
    except ValueError as exc:
        error, hint = explain(attempt, exc)
        return QueryVerdict("invalid", 0, (hint,), error)
    att_alg = algebraic(att)
    for known in wrong:
        if _reference(known.query).algebraic.text == att_alg.text:
            return _known(known, references[0], att, options)
    for ref in references:
        if ref.tree.text == att.text or ref.algebraic.text == att_alg.text:
            return QueryVerdict("correct", 100, (), None)
    loose = _refinement_labels(references)
    options = options._replace(loose_filters=options.loose_filters | loose)
    verdicts = [_grade(ref, att, att_alg, options) for ref in references]
    return max(verdicts, key=lambda v: (VERDICT_RANK[v[0].verdict], _rank_score(v)))[0]


def _rank_score(graded: tuple[QueryVerdict, int]) -> int:
    """Among equal verdicts: the higher partial score, or the cheaper wrong explanation."""
    verdict, explanation_cost = graded
    return verdict.score if verdict.verdict == "partial" else -explanation_cost


def _reference(query: str) -> _Reference:
    try:
        tree = parse(query)
    except ValueError as exc:
        raise ValueError(f"reference query does not parse: {exc}") from exc
    return _Reference(tree, algebraic(tree))


def _refinement_labels(references: list[_Reference]) -> frozenset[str]:
    """Labels an accepted answer filters with an exclusion that the reference does not use:
    any exclusion on them is a refinement (`container!=""` or `container!="POD"`)."""
    main = {
        m.label for n in walk(references[0].tree) if isinstance(n, Selector) for m in n.matchers
    }
    return frozenset(
        m.label
        for ref in references[1:]
        for n in walk(ref.tree)
        if isinstance(n, Selector)
        for m in n.matchers
        if m.negative and m.label not in main
    )


def _known(known: WrongAnswer, ref: _Reference, att: Node, options: Options) -> QueryVerdict:
    """The verdict for an attempt that is a known wrong answer."""
    if known.verdict == "partial":
        diffs = _explain(ref, att, algebraic(att), options)
        score = max(30, min(80, 100 - cost(diffs))) if diffs else 50
        return QueryVerdict("partial", score, (known.hint,), None)
    return QueryVerdict("wrong", similarity(ref.tree, att), (known.hint,), None)


def _explain(ref: _Reference, att: Node, att_alg: Node, options: Options) -> Diffs:
    """The explanation as written, unless the algebraic rearrangement is clearly simpler
    (its hints speak of the rearranged query, so they must earn their place)."""
    differ = Differ(options)
    as_written = differ.diff(ref.tree, att)
    rearranged = differ.diff(ref.algebraic, att_alg)
    return rearranged if cost(rearranged) + REARRANGED_MARGIN < cost(as_written) else as_written


def _grade(ref: _Reference, att: Node, att_alg: Node, options: Options) -> tuple[QueryVerdict, int]:
    """The verdict against one accepted answer, and the cost of the explanation."""
    special = _meaning_flip(ref, att_alg)
    if special is not None:
        return QueryVerdict("wrong", similarity(ref.tree, att), (special,), None), 0
    diffs = _explain(ref, att, att_alg, options)
    if not diffs:
        return QueryVerdict("correct", 100, (), None), 0
    penalty = cost(diffs)
    ranked = sorted(diffs, key=lambda d: (not d.fatal, -d.penalty))  # stable on ties
    if any(d.category == "structure" for d in diffs):
        general = (general_hint(ref.tree),)
        return QueryVerdict("wrong", similarity(ref.tree, att), general, None), penalty
    hints = tuple(dict.fromkeys(d.hint for d in ranked))[:MAX_HINTS]
    if any(d.fatal for d in diffs) or penalty > PARTIAL_LIMIT:
        return QueryVerdict("wrong", similarity(ref.tree, att), hints, None), penalty
    return QueryVerdict("partial", max(30, min(80, 100 - penalty)), hints, None), penalty


def _meaning_flip(ref: _Reference, att_alg: Node) -> str | None:
    """A hint when the attempt is a constant (a series over itself) or the negative of the
    reference (a subtraction the wrong way round), else None."""
    if isinstance(att_alg, Number) and not isinstance(ref.algebraic, Number):
        return (
            "Both sides select the same series, so the result is a constant (a ratio of 1): "
            "one side needs a different filter or metric."
        )
    ref_constant, ref_rest = constant_part(ref.algebraic)
    att_constant, att_rest = constant_part(att_alg)
    if ref_rest is None or att_rest is None or ref_constant != -att_constant:
        return None
    if negated(att_rest).text == ref_rest.text:
        return "The operands of `-` are the wrong way round: your result has the opposite sign."
    return None
