"""Grading a learner's PromQL query against a reference by structure, not by spelling."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from functools import cached_property
from typing import Any, NamedTuple

import promql_parser as pp

# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


class QueryError(NamedTuple):
    """Why an attempt does not parse, and where."""

    message: str
    position: int | None


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


def normalize(query: str) -> str:
    """The canonical PromQL form of a query; raises ValueError if it does not parse."""
    return _tree(query).text


def compare(reference: str, attempt: str) -> QueryVerdict:
    """Grade an attempt against a reference query; raises ValueError if the reference is bad."""
    try:
        ref = _tree(reference)
    except ValueError as exc:
        raise ValueError(f"reference query does not parse: {exc}") from exc
    if not attempt.strip():
        return QueryVerdict(
            "invalid",
            0,
            ("Type a PromQL expression, for example a metric name with label matchers.",),
            QueryError("Empty query: there is nothing to grade.", None),
        )
    try:
        att = _tree(attempt)
    except ValueError as exc:
        return _invalid(attempt, str(exc))
    if ref.text == att.text:
        return QueryVerdict("correct", 100, (), None)
    return _grade(ref, att, _Differ().diff(ref, att))


# ---------------------------------------------------------------------------------------------
# Canonical tree: every node renders to canonical PromQL, and equal text means equal query
# ---------------------------------------------------------------------------------------------

# Operators whose operands may be swapped; the brief treats `and`/`or` as commutative too.
COMMUTATIVE = frozenset({"+", "*", "and", "or", "==", "!="})
# Of those, the ones whose chains can be flattened: (a + b) + c == a + (b + c).
ASSOCIATIVE = frozenset({"+", "*", "and", "or"})
# Aggregations through which a constant factor can be pulled: sum(100 * x) == 100 * sum(x).
LINEAR_AGGREGATIONS = frozenset({"sum", "avg"})
MONOTONE_AGGREGATIONS = frozenset({"min", "max"})

# MatchOp values are neither hashable nor named, so they are matched by equality.
_METRIC_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_MATCH_OPS = (
    (pp.MatchOp.Equal, "="),
    (pp.MatchOp.NotEqual, "!="),
    (pp.MatchOp.Re, "=~"),
    (pp.MatchOp.NotRe, "!~"),
)


class LabelMatch(NamedTuple):
    """One label matcher such as pod=~"cloudmart.*"."""

    label: str
    op: str
    value: str

    def __str__(self) -> str:
        """The matcher as PromQL."""
        return f"{self.label}{self.op}{_quote(self.value)}"


@dataclass(frozen=True, eq=False)
class Selector:
    """An instant-vector selector; groups has more than one entry only for `or` matchers."""

    name: str
    groups: tuple[tuple[LabelMatch, ...], ...]
    offset: float | None
    at: str | None

    @cached_property
    def core(self) -> str:
        """The selector without offset/@ modifiers."""
        name, groups = self.name, self.groups
        if name and not _METRIC_NAME.fullmatch(name):
            # Quoted names like {"http.requests"} only survive as a __name__ matcher.
            named = LabelMatch("__name__", "=", name)
            name, groups = "", tuple((named, *g) for g in groups) or ((named,),)
        if not groups:
            return name
        inner = " or ".join(",".join(str(m) for m in group) for group in groups)
        return f"{name}{{{inner}}}"

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        return self.core + _modifiers(self.offset, self.at)

    @property
    def matchers(self) -> tuple[LabelMatch, ...]:
        """The matchers when there is a single group (the usual case)."""
        return self.groups[0] if len(self.groups) == 1 else ()


@dataclass(frozen=True, eq=False)
class Matrix:
    """A range-vector selector like x[5m]."""

    selector: Selector
    range: float

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        mods = _modifiers(self.selector.offset, self.selector.at)
        return f"{self.selector.core}[{_duration(self.range)}]{mods}"


@dataclass(frozen=True, eq=False)
class Call:
    """A function call."""

    func: str
    args: tuple[Node, ...]

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        return f"{self.func}({', '.join(a.text for a in self.args)})"


@dataclass(frozen=True, eq=False)
class Agg:
    """An aggregation; grouping is "by", "without" or "" and labels are sorted."""

    op: str
    expr: Node
    param: Node | None
    grouping: str
    labels: tuple[str, ...]

    @cached_property
    def head(self) -> str:
        """The aggregation without its operand, e.g. `sum by (pod)`."""
        if not self.grouping:
            return self.op
        return f"{self.op} {self.grouping} ({', '.join(self.labels)})"

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        param = f"{self.param.text}, " if self.param is not None else ""
        space = " " if self.grouping else ""
        return f"{self.head}{space}({param}{self.expr.text})"


@dataclass(frozen=True, eq=False)
class Binary:
    """A binary operation; associative chains are flattened into more than two operands."""

    op: str
    operands: tuple[Node, ...]
    modifier: str

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        joiner = f" {self.op} {self.modifier} " if self.modifier else f" {self.op} "
        return joiner.join(_wrap(o) for o in self.operands)

    @property
    def commutative(self) -> bool:
        """Whether operand order is irrelevant (group_left/right pins the sides)."""
        return self.op in COMMUTATIVE and "group_" not in self.modifier


@dataclass(frozen=True, eq=False)
class Scale:
    """An expression times a constant: x * 100, x / 1024 / 1024 and -x all become one."""

    factor: Fraction
    expr: Node

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        return f"{_wrap(self.expr)} {_factor_text(self.factor)}"


@dataclass(frozen=True, eq=False)
class Number:
    """A number literal."""

    val: float

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        return _number(self.val)


@dataclass(frozen=True, eq=False)
class String:
    """A string literal."""

    val: str

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        return _quote(self.val)


@dataclass(frozen=True, eq=False)
class Subquery:
    """A subquery such as rate(x[5m])[30m:1m]."""

    expr: Node
    range: float
    step: float | None
    offset: float | None
    at: str | None

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        step = _duration(self.step) if self.step is not None else ""
        mods = _modifiers(self.offset, self.at)
        return f"({self.expr.text})[{_duration(self.range)}:{step}]{mods}"


Node = Selector | Matrix | Call | Agg | Binary | Scale | Number | String | Subquery


def _tree(query: str) -> Node:
    """Parse a query and build its canonical tree."""
    return _build(pp.parse(query))


def _build(expr: Any) -> Node:
    """Convert a promql_parser AST node into a canonical node."""
    if isinstance(expr, pp.ParenExpr):
        return _build(expr.expr)  # the tree itself carries the grouping
    if isinstance(expr, pp.VectorSelector):
        return _selector(expr)
    if isinstance(expr, pp.MatrixSelector):
        return Matrix(_selector(expr.vector_selector), expr.range.total_seconds())
    if isinstance(expr, pp.Call):
        return Call(expr.func.name, tuple(_build(a) for a in expr.args))
    if isinstance(expr, pp.AggregateExpr):
        return _aggregate(expr)
    if isinstance(expr, pp.BinaryExpr):
        return _binary(str(expr.op), _build(expr.lhs), _build(expr.rhs), _bin_modifier(expr))
    if isinstance(expr, pp.UnaryExpr):
        return _scaled(_build(expr.expr), Fraction(-1))
    if isinstance(expr, pp.NumberLiteral):
        return Number(expr.val)
    if isinstance(expr, pp.StringLiteral):
        return String(expr.val)
    if isinstance(expr, pp.SubqueryExpr):
        step = expr.step.total_seconds() if expr.step is not None else None
        span = expr.range.total_seconds() if expr.range is not None else 0.0
        return Subquery(
            _build(expr.expr),
            span,
            step,
            _seconds(expr.offset),
            _at(expr.at),
        )
    raise ValueError(f"unsupported PromQL construct: {type(expr).__name__}")


def _selector(vs: Any) -> Selector:
    """Canonical selector: sorted matchers, and a lone `__name__="x"` becomes the metric name."""
    matchers = vs.matchers
    raw_groups = matchers.or_matchers or [matchers.matchers]
    groups = [[LabelMatch(m.name, _match_op(m.op), m.value) for m in g] for g in raw_groups]
    name = vs.name or ""
    if not name and len(groups) == 1:
        named = [m for m in groups[0] if m.label == "__name__" and m.op == "="]
        if len(named) == 1:
            name = named[0].value
            groups[0].remove(named[0])
    canonical = tuple(sorted(tuple(sorted(g)) for g in groups))
    if canonical == ((),):
        canonical = ()
    return Selector(name, canonical, _seconds(vs.offset), _at(vs.at))


def _match_op(op: Any) -> str:
    """The PromQL spelling of a MatchOp."""
    return next(text for value, text in _MATCH_OPS if op == value)


def _aggregate(expr: Any) -> Node:
    """Canonical aggregation; `by ()` is no grouping, and constant factors move outside."""
    op = str(expr.op)
    mod = expr.modifier
    grouping, labels = "", ()
    if mod is not None and (mod.type == pp.AggModifierType.Without or mod.labels):
        grouping = "by" if mod.type == pp.AggModifierType.By else "without"
        labels = tuple(sorted(set(mod.labels)))
    param = _build(expr.param) if expr.param is not None else None
    inner = _build(expr.expr)
    if isinstance(inner, Scale) and (
        op in LINEAR_AGGREGATIONS or (op in MONOTONE_AGGREGATIONS and inner.factor > 0)
    ):
        return _scaled(Agg(op, inner.expr, param, grouping, labels), inner.factor)
    return Agg(op, inner, param, grouping, labels)


def _bin_modifier(expr: Any) -> str:
    """Canonical text of a binary operator's bool/on/ignoring/group/fill modifiers."""
    mod = expr.modifier
    if mod is None:
        return ""
    parts = []
    if mod.return_bool:
        parts.append("bool")
    if mod.matching is not None:
        keyword = "on" if mod.matching.type == pp.LabelModifierType.Include else "ignoring"
        parts.append(f"{keyword} ({', '.join(sorted(set(mod.matching.labels)))})")
    # Enum members from the extension are unhashable, hence pairs rather than a dict.
    sides = (
        (pp.VectorMatchCardinality.ManyToOne, "group_left"),
        (pp.VectorMatchCardinality.OneToMany, "group_right"),
    )
    for card, keyword in sides:
        if mod.card == card:
            parts.append(f"{keyword} ({', '.join(sorted(set(mod.group_labels or [])))})")
    fill = mod.fill_values
    if fill is not None:
        if fill.lhs is not None:
            parts.append(f"fill_left ({_number(fill.lhs)})")
        if fill.rhs is not None:
            parts.append(f"fill_right ({_number(fill.rhs)})")
    return " ".join(parts)


def _factor(node: Node) -> Fraction | None:
    """The exact value of a finite number literal, else None."""
    if isinstance(node, Number) and math.isfinite(node.val):
        return Fraction(node.val)
    return None


_EXACT = 10**12


def _scaled(node: Node, factor: Fraction) -> Node:
    """Multiply a node by a constant, merging with literals and existing factors."""
    if factor.numerator > _EXACT or factor.denominator > _EXACT:
        factor = Fraction(float(factor))  # keep decimal products (0.1 * 10) printable and stable
    if factor == 1:
        return node
    value = _factor(node)
    if value is not None:
        return Number(float(value * factor))
    if isinstance(node, Scale):
        return _scaled(node.expr, node.factor * factor)
    return Scale(factor, node)


def _unscale(node: Node) -> tuple[Fraction, Node]:
    """Split a node into its constant factor and the scaled expression."""
    if isinstance(node, Scale):
        return node.factor, node.expr
    return Fraction(1), node


def _binary(op: str, lhs: Node, rhs: Node, modifier: str) -> Node:
    """Canonical binary node: fold constants, hoist scale factors, flatten and sort."""
    if not modifier:
        folded = _fold(op, lhs, rhs)
        if folded is not None:
            return folded
    if not modifier and op in ASSOCIATIVE:
        operands: list[Node] = []
        for side in (lhs, rhs):
            if isinstance(side, Binary) and side.op == op and not side.modifier:
                operands.extend(side.operands)
            else:
                operands.append(side)
        return Binary(op, tuple(sorted(operands, key=_text)), "")
    node = Binary(op, (lhs, rhs), modifier)
    if node.commutative:
        return Binary(op, tuple(sorted((lhs, rhs), key=_text)), modifier)
    return node


def _fold(op: str, lhs: Node, rhs: Node) -> Node | None:
    """Constant arithmetic and scale factors, or None when nothing folds."""
    lf, rf = _factor(lhs), _factor(rhs)
    if lf is not None and rf is not None and op in ("+", "-", "*", "/"):
        if op == "/" and rf == 0:
            return None
        values = {"+": lf + rf, "-": lf - rf, "*": lf * rf}
        return Number(float(values[op] if op in values else lf / rf))
    if op == "*" and lf is not None:
        return _scaled(rhs, lf)
    if op == "*" and rf is not None:
        return _scaled(lhs, rf)
    if op == "/" and rf is not None and rf != 0:
        return _scaled(lhs, 1 / rf)
    if op in ("*", "/") and (isinstance(lhs, Scale) or isinstance(rhs, Scale)):
        # Constants commute with vector products: (100 * a) / b == 100 * (a / b).
        lfac, lcore = _unscale(lhs)
        rfac, rcore = _unscale(rhs)
        if rfac == 0:
            return None
        factor = lfac * rfac if op == "*" else lfac / rfac
        return _scaled(_binary(op, lcore, rcore, ""), factor)
    return None


def _text(node: Node) -> str:
    """Sort key for operands."""
    return node.text


def _wrap(node: Node) -> str:
    """A node's text, parenthesised where precedence could otherwise change its meaning."""
    return f"({node.text})" if isinstance(node, (Binary, Scale)) else node.text


def _seconds(delta: timedelta | None) -> float | None:
    """A duration in seconds, or None."""
    return None if delta is None else delta.total_seconds()


def _at(at: Any) -> str | None:
    """Canonical text of an @ modifier."""
    if at is None:
        return None
    if at.type == pp.AtModifierType.Start:
        return "start()"
    if at.type == pp.AtModifierType.End:
        return "end()"
    return f"{at.at.timestamp():.3f}"


def _modifiers(offset: float | None, at: str | None) -> str:
    """Canonical ` @ t offset d` suffix."""
    text = f" @ {at}" if at is not None else ""
    if offset is not None and offset != 0:
        text += f" offset {_duration(offset)}"
    return text


def _duration(seconds: float) -> str:
    """Prometheus duration text; 300s and 5m both render as 5m."""
    if seconds < 0:
        return "-" + _duration(-seconds)
    if seconds == 0:
        return "0s"
    return pp.display_duration(timedelta(seconds=seconds))


def _number(val: float) -> str:
    """Canonical number text: 100.0 and 1e2 both render as 100."""
    if math.isnan(val):
        return "NaN"
    if math.isinf(val):
        return "Inf" if val > 0 else "-Inf"
    if val == int(val) and abs(val) < 1e15:
        return str(int(val))
    return repr(val)


def _quote(value: str) -> str:
    """A double-quoted PromQL string (PromQL uses Go escapes, which JSON's match here)."""
    return json.dumps(value, ensure_ascii=False)


def _factor_text(factor: Fraction) -> str:
    """Scale factor as an operator suffix: `* 100`, `/ 1048576`, `* 3 / 4`."""
    num, den = factor.numerator, factor.denominator
    if den == 1:
        return f"* {num}"
    if num == 1:
        return f"/ {den}"
    if abs(num) < _EXACT and den < _EXACT:
        return f"* {num} / {den}"
    return f"* {_number(float(factor))}"  # binary fractions of decimals such as 0.1


# ---------------------------------------------------------------------------------------------
# Structural diff
# ---------------------------------------------------------------------------------------------

# Penalties, out of 100. A single near miss stays in the partial band (30-80); the metric name
# is heavy so that a wrong metric plus any other difference falls through to "wrong".
P_STRUCTURE = 100
P_METRIC = 60
P_FUNCTION = 30
P_RANGE = 25
P_SCALE = 25
P_LABEL_MISSING = 20
P_LABEL_EXTRA = 15
P_LABEL_VALUE = 20
P_LABEL_OP = 15
P_AGG_OP = 30
P_AGG_MISSING = 35
P_AGG_EXTRA = 30
P_GROUPING = 20
P_CALL_MISSING = 35
P_CALL_RANGE_MISSING = 45
P_WRAPPER_EXTRA = 30
P_OPERATOR = 30
P_MODIFIER = 20
P_SWAPPED = 35
P_OPERAND = 35
P_CONSTANT = 20
P_OFFSET = 20
P_ARGUMENTS = 30
PARTIAL_LIMIT = 70  # a total penalty above this is no longer a near miss
MAX_HINTS = 3


class Diff(NamedTuple):
    """One difference between reference and attempt."""

    category: str
    penalty: int
    hint: str


Diffs = tuple[Diff, ...]
STRUCTURE: Diffs = (Diff("structure", P_STRUCTURE, ""),)


def _cost(diffs: Diffs) -> int:
    """Total penalty of a set of differences."""
    return sum(d.penalty for d in diffs)


class _Differ:
    """Walks two canonical trees in parallel, choosing the cheapest explanation at each node."""

    def __init__(self) -> None:
        self.memo: dict[tuple[str, str, str], Diffs] = {}

    def diff(self, ref: Node, att: Node, ctx: str = "") -> Diffs:
        """Differences between two subtrees; ctx is the enclosing function when both agree."""
        if ref.text == att.text:
            return ()
        key = (ref.text, att.text, ctx)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = min(self._options(ref, att, ctx), key=_cost)
        return found

    def _options(self, ref: Node, att: Node, ctx: str) -> Iterator[Diffs]:
        """Every way of explaining the difference; the cheapest wins, the first on ties."""
        if isinstance(ref, Scale) or isinstance(att, Scale):
            rfac, rcore = _unscale(ref)
            afac, acore = _unscale(att)
            scaling = (_scale_diff(rfac, afac),) if rfac != afac else ()
            yield scaling + self.diff(rcore, acore, ctx)
        if type(ref) is type(att):
            yield self._same_kind(ref, att, ctx)
        if isinstance(ref, Matrix) and isinstance(att, Selector):
            hint = f"Missing the range `[{_duration(ref.range)}]` after the selector."
            yield (Diff("range", P_RANGE, hint),) + self.diff(ref.selector, att)
        if isinstance(ref, Selector) and isinstance(att, Matrix):
            hint = f"Extra range `[{_duration(att.range)}]`: the reference is an instant vector."
            yield (Diff("range", P_RANGE, hint),) + self.diff(ref, att.selector)
        inner = _main_child(ref)
        if inner is not None:
            if isinstance(ref, Call) and isinstance(inner, Matrix) and not isinstance(att, Matrix):
                hint = (
                    f"Missing `{ref.func}(…[{_duration(inner.range)}])`: the reference applies "
                    f"{ref.func}() over a [{_duration(inner.range)}] range."
                )
                yield (Diff("function", P_CALL_RANGE_MISSING, hint),) + self.diff(
                    inner.selector, att
                )
            else:
                yield (_missing_wrapper(ref),) + self.diff(inner, att)
        inner = _main_child(att)
        if inner is not None:
            yield (_extra_wrapper(att),) + self.diff(ref, inner)
        yield STRUCTURE

    def _same_kind(self, ref: Node, att: Node, ctx: str) -> Diffs:
        """Differences between two nodes of the same kind."""
        if isinstance(ref, Selector) and isinstance(att, Selector):
            return _selector_diffs(ref, att)
        if isinstance(ref, Matrix) and isinstance(att, Matrix):
            return self._matrix(ref, att, ctx)
        if isinstance(ref, Call) and isinstance(att, Call):
            return self._call(ref, att)
        if isinstance(ref, Agg) and isinstance(att, Agg):
            return self._agg(ref, att)
        if isinstance(ref, Binary) and isinstance(att, Binary):
            return self._binary(ref, att)
        if isinstance(ref, Number) and isinstance(att, Number):
            hint = f"The constant is {att.text}; the reference uses {ref.text}."
            return (Diff("constant", P_CONSTANT, hint),)
        if isinstance(ref, String) and isinstance(att, String):
            hint = f"The string argument is {att.text}; the reference uses {ref.text}."
            return (Diff("argument", P_CONSTANT, hint),)
        if isinstance(ref, Subquery) and isinstance(att, Subquery):
            return self._subquery(ref, att)
        return STRUCTURE  # two Scales are handled by the scale option

    def _matrix(self, ref: Matrix, att: Matrix, ctx: str) -> Diffs:
        """Range and selector differences."""
        out: list[Diff] = []
        if ref.range != att.range:
            got, want = _duration(att.range), _duration(ref.range)
            same_metric = ref.selector.name == att.selector.name
            if ctx and same_metric:
                lead = "Right function and metric, but the range"
            elif same_metric:
                lead = "Right metric, but the range"
            else:
                lead = "The range"
            hint = f"{lead} is [{got}]; the reference uses [{want}]."
            out.append(Diff("range", P_RANGE, hint))
        return tuple(out) + self.diff(ref.selector, att.selector)

    def _call(self, ref: Call, att: Call) -> Diffs:
        """Function name and argument differences."""
        out: list[Diff] = []
        same = ref.func == att.func
        if not same:
            hint = f"You used {att.func}(); the reference uses {ref.func}()."
            out.append(Diff("function", P_FUNCTION, hint))
        if len(ref.args) != len(att.args):
            if not same:
                return STRUCTURE
            hint = (
                f"{ref.func}() takes {len(ref.args)} argument(s) in the reference; "
                f"you gave {len(att.args)}."
            )
            out.append(Diff("arguments", P_ARGUMENTS, hint))
        for r, a in zip(ref.args, att.args, strict=False):
            out.extend(self.diff(r, a, ref.func if same else ""))
        return tuple(out)

    def _agg(self, ref: Agg, att: Agg) -> Diffs:
        """Aggregation operator, grouping, parameter and operand differences."""
        out: list[Diff] = []
        if ref.op != att.op:
            hint = f"You aggregate with {att.op}; the reference uses {ref.op}."
            out.append(Diff("aggregation", P_AGG_OP, hint))
        grouping = _grouping_diff(ref, att)
        if grouping is not None:
            out.append(grouping)
        if (ref.param is None) != (att.param is None):
            return STRUCTURE
        if ref.param is not None and att.param is not None:
            out.extend(self.diff(ref.param, att.param))
        return tuple(out) + self.diff(ref.expr, att.expr)

    def _binary(self, ref: Binary, att: Binary) -> Diffs:
        """Operator, modifier and operand differences."""
        out: list[Diff] = []
        if ref.op != att.op:
            hint = f"You used `{att.op}`; the reference uses `{ref.op}`."
            out.append(Diff("operator", P_OPERATOR, hint))
        if ref.modifier != att.modifier:
            want = f"`{ref.modifier}`" if ref.modifier else "no modifier"
            got = f"`{att.modifier}`" if att.modifier else "none"
            hint = f"The reference uses {want} on `{ref.op}`; you used {got}."
            out.append(Diff("modifier", P_MODIFIER, hint))
        return tuple(out) + self._operands(ref, att)

    def _operands(self, ref: Binary, att: Binary) -> Diffs:
        """Best pairing of operands; swapping non-commutative ones costs a penalty."""
        refs, atts = ref.operands, att.operands
        if len(refs) == len(atts) == 2 and not ref.commutative:
            straight = self.diff(refs[0], atts[0]) + self.diff(refs[1], atts[1])
            hint = f"The operands of `{ref.op}` are the wrong way round."
            swapped: tuple[Diff, ...] = (Diff("order", P_SWAPPED, hint),)
            swapped += self.diff(refs[0], atts[1]) + self.diff(refs[1], atts[0])
            return min((straight, swapped), key=_cost)
        if len(refs) == len(atts) <= 4:
            pairings = (
                tuple(d for r, a in zip(refs, perm, strict=True) for d in self.diff(r, a))
                for perm in itertools.permutations(atts)
            )
            return min(pairings, key=_cost)
        return self._greedy(ref, list(refs), list(atts))

    def _greedy(self, ref: Binary, refs: list[Node], atts: list[Node]) -> Diffs:
        """Pair operand lists of different lengths: exact matches first, then closest."""
        out: list[Diff] = []
        unmatched = []
        for r in refs:
            same = next((i for i, a in enumerate(atts) if a.text == r.text), None)
            if same is None:
                unmatched.append(r)
            else:
                atts.pop(same)
        for r in unmatched:
            if not atts:
                hint = f"Missing the operand `{r.text}` of `{ref.op}`."
                out.append(Diff("operand", P_OPERAND, hint))
                continue
            best = min(range(len(atts)), key=lambda i: _cost(self.diff(r, atts[i])))  # noqa: B023
            out.extend(self.diff(r, atts.pop(best)))
        for a in atts:
            hint = f"Extra operand `{a.text}`: the reference does not use it with `{ref.op}`."
            out.append(Diff("operand", P_OPERAND, hint))
        return tuple(out)

    def _subquery(self, ref: Subquery, att: Subquery) -> Diffs:
        """Subquery range, step, offset and operand differences."""
        out: list[Diff] = []
        if (ref.range, ref.step) != (att.range, att.step):
            step = _duration(ref.step) if ref.step is not None else ""
            hint = f"The reference subquery is `[{_duration(ref.range)}:{step}]`."
            out.append(Diff("range", P_RANGE, hint))
        if (ref.offset, ref.at) != (att.offset, att.at):
            shown = _modifiers(ref.offset, ref.at).strip() or "none"
            hint = f"The reference subquery modifiers are `{shown}`."
            out.append(Diff("offset", P_OFFSET, hint))
        return tuple(out) + self.diff(ref.expr, att.expr)


def _selector_diffs(ref: Selector, att: Selector) -> Diffs:
    """Metric name, label matcher and modifier differences of two selectors."""
    out: list[Diff] = []
    if ref.name != att.name:
        want = f"`{ref.name}`" if ref.name else "no metric name"
        got = f"`{att.name}`" if att.name else "none"
        hint = f"Wrong metric: the reference uses {want}; you used {got}."
        out.append(Diff("metric", P_METRIC, hint))
    if len(ref.groups) > 1 or len(att.groups) > 1:
        if ref.groups != att.groups:
            hint = f"The label matchers differ: the reference uses `{ref.core}`."
            out.append(Diff("label", P_LABEL_VALUE, hint))
    else:
        out.extend(_matcher_diffs(ref.matchers, att.matchers))
    if ref.offset != att.offset:
        want = f"`offset {_duration(ref.offset)}`" if ref.offset else "no offset"
        got = f"`offset {_duration(att.offset)}`" if att.offset else "none"
        out.append(Diff("offset", P_OFFSET, f"The reference uses {want}; you used {got}."))
    if ref.at != att.at:
        want = f"`@ {ref.at}`" if ref.at else "no @ modifier"
        out.append(Diff("offset", P_OFFSET, f"The reference uses {want}."))
    return tuple(out)


def _matcher_diffs(ref: tuple[LabelMatch, ...], att: tuple[LabelMatch, ...]) -> list[Diff]:
    """Per-label differences: missing, extra, wrong value, wrong operator."""
    out: list[Diff] = []
    by_label_ref = _by_label(ref)
    by_label_att = _by_label(att)
    for label in sorted(by_label_ref.keys() | by_label_att.keys()):
        want, got = by_label_ref.get(label, []), by_label_att.get(label, [])
        if want == got:
            continue
        if not got:
            for m in want:
                out.append(Diff("label", P_LABEL_MISSING, f"Missing the label matcher `{m}`."))
        elif not want:
            for m in got:
                hint = f"Extra label matcher `{m}`: the reference does not filter on `{label}`."
                out.append(Diff("label", P_LABEL_EXTRA, hint))
        elif len(want) == len(got) == 1:
            out.append(_one_matcher_diff(want[0], got[0]))
        else:
            shown = ", ".join(f"`{m}`" for m in want)
            hint = f"The matchers on `{label}` differ: the reference uses {shown}."
            out.append(Diff("label", P_LABEL_VALUE, hint))
    return out


def _one_matcher_diff(want: LabelMatch, got: LabelMatch) -> Diff:
    """How one matcher on a label differs from the reference's."""
    label = want.label
    if want.value == got.value:
        why = " (a regex match)" if want.op == "=~" else ""
        hint = f"Label `{label}` uses `{got.op}`; the reference uses `{want.op}`{why}: `{want}`."
        return Diff("label", P_LABEL_OP, hint)
    if want.op == got.op:
        hint = f"Label `{label}` should match {_quote(want.value)}, not {_quote(got.value)}."
        return Diff("label", P_LABEL_VALUE, hint)
    hint = f"The matcher on `{label}` should be `{want}`, not `{got}`."
    return Diff("label", P_LABEL_VALUE, hint)


def _by_label(matchers: tuple[LabelMatch, ...]) -> dict[str, list[LabelMatch]]:
    """Matchers grouped by label name."""
    out: dict[str, list[LabelMatch]] = {}
    for m in matchers:
        out.setdefault(m.label, []).append(m)
    return out


def _grouping_diff(ref: Agg, att: Agg) -> Diff | None:
    """How the by/without clauses differ, if they do."""
    if (ref.grouping, ref.labels) == (att.grouping, att.labels):
        return None
    want = f"{ref.grouping} ({', '.join(ref.labels)})"
    got = f"{att.grouping} ({', '.join(att.labels)})"
    if ref.grouping == att.grouping:
        missing = [x for x in ref.labels if x not in att.labels]
        extra = [x for x in att.labels if x not in ref.labels]
        parts = []
        if missing:
            parts.append(f"is missing {', '.join(f'`{x}`' for x in missing)}")
        if extra:
            parts.append(f"has extra {', '.join(f'`{x}`' for x in extra)}")
        hint = f"Your `{ref.grouping}` clause {' and '.join(parts)}; the reference uses `{want}`."
    elif ref.grouping == "by" and not att.grouping:
        hint = f"Missing `{want}`: the reference keeps the {', '.join(ref.labels)} label(s)."
    elif att.grouping == "by" and not ref.grouping:
        hint = f"Extra `{got}`: the reference aggregates everything into one series."
    else:
        shown = f"`{want}`" if ref.grouping else "no grouping"
        hint = f"The reference aggregates with {shown}, not `{got}`."
    return Diff("aggregation", P_GROUPING, hint)


def _scale_diff(want: Fraction, got: Fraction) -> Diff:
    """How the constant factors differ, phrased as the learner would write them."""
    purpose = _scale_purpose(want)
    if got == 1:
        hint = f"Missing `{_scale_spelling(want)}`{purpose}."
    elif want == 1:
        hint = f"Extra `{_scale_spelling(got)}`: the reference does not scale the result."
    else:
        hint = (
            f"You scale by `{_scale_spelling(got)}`; "
            f"the reference uses `{_scale_spelling(want)}`{purpose}."
        )
    return Diff("scaling", P_SCALE, hint)


def _scale_spelling(factor: Fraction) -> str:
    """A factor as it is usually written: `* 100`, `/ 1024 / 1024`, `* -1`."""
    if factor.numerator == 1:
        power = _log(factor.denominator, 1024)
        if power > 1:
            return " ".join(["/ 1024"] * power)
    return _factor_text(factor)


def _scale_purpose(factor: Fraction) -> str:
    """Why a reference scales, when the factor says so."""
    if factor == 100:
        return " to express it as a percentage"
    units = {1: "KiB", 2: "MiB", 3: "GiB", 4: "TiB"}
    if factor.numerator == 1 and _log(factor.denominator, 1024) in units:
        return f" to convert bytes to {units[_log(factor.denominator, 1024)]}"
    return ""


def _log(value: int, base: int) -> int:
    """The exact integer logarithm of value, or 0 if it is not a power of base."""
    power = 0
    while value > 1 and value % base == 0:
        value //= base
        power += 1
    return power if value == 1 else 0


def _main_child(node: Node) -> Node | None:
    """The operand a wrapper node works on, for missing/extra-wrapper explanations."""
    if isinstance(node, (Agg, Subquery)):
        return node.expr
    if isinstance(node, Call):
        return next((a for a in node.args if not isinstance(a, (Number, String))), None)
    if isinstance(node, Binary) and len(node.operands) == 2:
        lhs, rhs = node.operands
        if isinstance(lhs, Number) != isinstance(rhs, Number):
            return rhs if isinstance(lhs, Number) else lhs
    return None


def _wrapper_text(node: Node) -> str:
    """How a wrapper looks around an elided operand: `sum by (pod) (…)`, `… > 0`."""
    if isinstance(node, Agg):
        param = f"{node.param.text}, " if node.param is not None else ""
        space = " " if node.grouping else ""
        return f"{node.head}{space}({param}…)"
    if isinstance(node, Call):
        args = ["…" if a is _main_child(node) else a.text for a in node.args]
        return f"{node.func}({', '.join(args)})"
    if isinstance(node, Subquery):
        step = _duration(node.step) if node.step is not None else ""
        return f"(…)[{_duration(node.range)}:{step}]"
    if isinstance(node, Binary):
        op = f"{node.op} {node.modifier}" if node.modifier else node.op
        lhs, rhs = node.operands
        if isinstance(lhs, Number) and not node.commutative:
            return f"{lhs.text} {op} …"
        number = lhs if isinstance(lhs, Number) else rhs
        return f"… {op} {number.text}"
    return "…"


def _missing_wrapper(ref: Node) -> Diff:
    """The attempt lacks an aggregation, call or operation the reference wraps around it."""
    shown = _wrapper_text(ref)
    if isinstance(ref, Agg):
        hint = f"Missing aggregation: the reference wraps this in `{shown}`."
        return Diff("aggregation", P_AGG_MISSING, hint)
    if isinstance(ref, Call):
        return Diff("function", P_CALL_MISSING, f"Missing `{shown}`: the reference applies it.")
    return Diff("operation", P_OPERATOR, f"Missing the `{shown}` part of the reference.")


def _extra_wrapper(att: Node) -> Diff:
    """The attempt wraps something the reference leaves bare."""
    shown = _wrapper_text(att)
    if isinstance(att, Agg):
        hint = f"Extra aggregation `{shown}`: the reference does not aggregate here."
        return Diff("aggregation", P_AGG_EXTRA, hint)
    if isinstance(att, Call):
        hint = f"Extra `{shown}`: the reference does not use {att.func}() here."
        return Diff("function", P_WRAPPER_EXTRA, hint)
    return Diff("operation", P_WRAPPER_EXTRA, f"Extra `{shown}`: the reference does not have it.")


# ---------------------------------------------------------------------------------------------
# Verdicts
# ---------------------------------------------------------------------------------------------


def _grade(ref: Node, att: Node, diffs: Diffs) -> QueryVerdict:
    """Turn a diff into a verdict, score and hints."""
    if not diffs:
        return QueryVerdict("correct", 100, (), None)
    penalty = _cost(diffs)
    if any(d.category == "structure" for d in diffs) or penalty > PARTIAL_LIMIT:
        return QueryVerdict("wrong", _similarity(ref, att), (_general_hint(ref),), None)
    ranked = sorted(diffs, key=lambda d: -d.penalty)  # stable: ties keep query order
    hints = tuple(dict.fromkeys(d.hint for d in ranked))[:MAX_HINTS]
    return QueryVerdict("partial", max(30, min(80, 100 - penalty)), hints, None)


def _walk(node: Node) -> Iterator[Node]:
    """Pre-order traversal of a canonical tree."""
    yield node
    children: tuple[Node, ...] = ()
    if isinstance(node, Matrix):
        children = (node.selector,)
    elif isinstance(node, Call):
        children = node.args
    elif isinstance(node, Agg):
        children = (node.param, node.expr) if node.param is not None else (node.expr,)
    elif isinstance(node, Binary):
        children = node.operands
    elif isinstance(node, (Scale, Subquery)):
        children = (node.expr,)
    for child in children:
        yield from _walk(child)


def _features(node: Node) -> set[str]:
    """Coarse ingredients of a query, for a similarity score among wrong answers."""
    out = set()
    for n in _walk(node):
        if isinstance(n, Selector):
            out.add(f"metric:{n.name}")
            out.update(f"label:{m.label}" for g in n.groups for m in g)
        elif isinstance(n, Call):
            out.add(f"call:{n.func}")
        elif isinstance(n, Agg):
            out.add(f"agg:{n.op}")
        elif isinstance(n, Binary):
            out.add(f"op:{n.op}")
        elif isinstance(n, Scale):
            out.add("scale")
    return out


def _similarity(ref: Node, att: Node) -> int:
    """A 0-20 score from how many ingredients the two queries share."""
    want, got = _features(ref), _features(att)
    union = want | got
    return round(20 * len(want & got) / len(union)) if union else 0


def _general_hint(ref: Node) -> str:
    """A hint for a wrong answer: what the reference is built from, without giving it away."""
    metrics: list[str] = []
    steps: list[str] = []
    labels: list[str] = []
    for n in _walk(ref):
        if isinstance(n, Selector):
            metrics.append(f"`{n.name}`" if n.name else f"`{n.core}`")
            labels.extend(m.label for g in n.groups for m in g)
        elif isinstance(n, Call):
            steps.append(f"{n.func}()")
        elif isinstance(n, Agg):
            steps.append(n.head)
    metric_text = ", ".join(dict.fromkeys(metrics))
    if steps:
        return (
            f"This query is built differently. The reference applies "
            f"{', '.join(dict.fromkeys(steps))} to {metric_text}."
        )
    filtered = f", filtered on {', '.join(dict.fromkeys(labels))}" if labels else ""
    return f"This query is built differently. The reference selects {metric_text}{filtered}."


# ---------------------------------------------------------------------------------------------
# Parse errors: the parser gives a message but no position, so find one
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)
  | (?P<number>0[xX][0-9a-fA-F]+
      |(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)?)
  | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<op>==|!=|>=|<=|=~|!~|[-+*/%^<>=,@:])
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_BINARY_WORDS = frozenset({"and", "or", "unless", "atan2"})
_BINARY_SYMBOLS = frozenset({"+", "-", "*", "/", "%", "^", "==", "!=", ">=", "<=", ">", "<"})
_KEYWORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"}
    | {"start", "end", "fill", "fill_left", "fill_right"}
)
_NEEDS_PAREN = frozenset({"by", "without", "on", "ignoring"})
_BRACKET_WORDS = {"paren": "(", "bracket": "[", "brace": "{"}


class _Tok(NamedTuple):
    """A lexical token with its offset and the innermost bracket it sits in."""

    kind: str
    text: str
    pos: int
    inside: str


class _Scan(NamedTuple):
    """Tokens plus the bracket and quote problems found while scanning."""

    tokens: list[_Tok]
    unclosed: list[_Tok]
    stray: list[_Tok]
    bad_quote: _Tok | None


def _scan(query: str) -> _Scan:
    """Tokenise a query, matching brackets and noting unterminated strings."""
    tokens: list[_Tok] = []
    stack: list[_Tok] = []
    unclosed: list[_Tok] = []
    stray: list[_Tok] = []
    bad_quote = None
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        tok = _Tok(kind, match.group(), match.start(), stack[-1].text if stack else "")
        tokens.append(tok)
        if kind == "open":
            stack.append(tok)
        elif kind == "close":
            opener = _opener_index(stack, tok.text)
            if opener is None or opener != len(stack) - 1:
                stray.append(tok)
            if opener is not None:
                unclosed.extend(stack[opener + 1 :])  # skipped openers were never closed
                del stack[opener:]
        elif kind == "other" and tok.text in "\"'`" and bad_quote is None:
            bad_quote = tok
    return _Scan(tokens, unclosed + stack, stray, bad_quote)


def _opener_index(stack: list[_Tok], closer: str) -> int | None:
    """Index of the innermost open bracket that closer would close."""
    for i in range(len(stack) - 1, -1, -1):
        if _PAIRS[stack[i].text] == closer:
            return i
    return None


def _invalid(attempt: str, raw: str) -> QueryVerdict:
    """The verdict for an attempt that does not parse."""
    position, detail = _locate(attempt, raw)
    message = _clean_message(raw, detail)
    hint = _syntax_hint(attempt, raw, position, detail)
    return QueryVerdict("invalid", 0, (hint,), QueryError(message, position))


def _clean_message(raw: str, detail: str) -> str:
    """The parser's message, capitalised, with PromQL spelled properly and detail added."""
    text = re.sub(r"\bpromql\b", "PromQL", raw.strip().rstrip("."), flags=re.IGNORECASE)
    text = text[:1].upper() + text[1:]
    return f"{text}: {detail}" if detail else text


def _locate(query: str, message: str) -> tuple[int | None, str]:
    """Best-effort 0-based offset of a parse error, plus detail when the message is vague."""
    scan = _scan(query)
    low = message.lower()
    kind = next((c for word, c in _BRACKET_WORDS.items() if word in low), "")
    if ("quoted string" in low or "unterminated" in low) and scan.bad_quote is not None:
        return scan.bad_quote.pos, ""
    if "unclosed" in low or "end of input" in low:
        opener = next((t for t in reversed(scan.unclosed) if not kind or t.text == kind), None)
        if opener is not None:
            return opener.pos, ""
        return len(query.rstrip()), ""
    if "unexpected right" in low:
        closer = next((t for t in scan.stray if not kind or _PAIRS[kind] == t.text), None)
        if closer is not None:
            return closer.pos, ""
    if "must not be set twice" in low:
        return _find(scan, "__name__", query)
    if "non-empty matcher" in low:
        return _find(scan, "{", query)
    if "binary expression must contain" in low:
        return _find(scan, "[", query)
    quoted = _quoted(message)
    if quoted:
        if "expected type" in low and "function" in low:
            return _argument_of(scan, quoted)
        inside = kind if "inside" in low else "{" if "label matching" in low else ""
        found = _find(scan, quoted, query, inside=inside, call="function" in low)
        if found[0] is not None:
            return found
    adjacent = _adjacency(scan.tokens)
    if adjacent is not None:
        return adjacent
    odd = next((t for t in scan.tokens if t.kind == "other"), None)
    for tok in (scan.bad_quote, *scan.stray, *scan.unclosed, odd):
        if tok is not None:
            return tok.pos, ""
    return None, ""


def _quoted(message: str) -> str:
    """The token a parser message names, e.g. '[' in "unexpected character ...: '['"."""
    match = re.search(r"'([^']+)'", message) or re.search(r":\s*(\S+)\s*$", message)
    return match.group(1) if match else ""


def _find(
    scan: _Scan, text: str, query: str, inside: str = "", call: bool = False
) -> tuple[int | None, str]:
    """Offset of the first token matching text (in the given bracket, or called), if any."""
    tokens = scan.tokens
    for i, tok in enumerate(tokens):
        if text not in tok.text or (inside and tok.inside != inside):
            continue
        if call and (i + 1 >= len(tokens) or tokens[i + 1].text != "("):
            continue
        return tok.pos + tok.text.index(text), ""
    pos = query.find(text)
    return (pos if pos >= 0 else None), ""


def _argument_of(scan: _Scan, func: str) -> tuple[int | None, str]:
    """Offset of the argument of a call to func, the part with the wrong type."""
    tokens = scan.tokens
    for i, tok in enumerate(tokens[:-2]):
        if tok.text == func and tokens[i + 1].text == "(":
            return tokens[i + 2].pos, ""
    return None, ""


def _adjacency(tokens: list[_Tok]) -> tuple[int, str] | None:
    """Find two tokens that cannot follow each other: `x y`, `x +`, `1 + * 2`, `by pod`."""
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if _is_binary(tok):
            if nxt is None or nxt.kind == "close":
                return tok.pos, f"`{tok.text}` has no right-hand operand"
            unary = tok.text in ("+", "-")
            if not unary and (prev is None or _is_binary(prev) or prev.text in "([{,"):
                return tok.pos, f"unexpected operator `{tok.text}`"
        if tok.text.lower() in _NEEDS_PAREN and (nxt is None or nxt.text != "("):
            where = nxt.pos if nxt is not None else tok.pos
            return where, f"`{tok.text}` must be followed by a label list in parentheses"
        if tok.text == "," and (prev is None or prev.text in "([{,"):
            return tok.pos, "unexpected `,`"
        matcher = tok.text in ("=", "!=", "=~", "!~") and tok.inside == "{"
        if matcher and (nxt is None or nxt.kind != "string"):
            where = nxt.pos if nxt is not None else tok.pos
            return where, f"`{tok.text}` must be followed by a quoted label value"
        if tok.text == "@" and (prev is None or nxt is None or not _ends_operand(prev)):
            return tok.pos, "`@` must follow a selector and be followed by a timestamp"
        if prev is not None and _ends_operand(prev) and _is_operand_word(tok):
            missing = {"{": "`,`", "(": "`,` or an operator"}.get(tok.inside, "an operator")
            return tok.pos, f"missing {missing} between `{prev.text}` and `{tok.text}`"
    return None


def _is_binary(tok: _Tok) -> bool:
    """Whether a token is a binary operator."""
    if tok.kind == "op":
        return tok.text in _BINARY_SYMBOLS
    return tok.kind == "ident" and tok.text.lower() in _BINARY_WORDS


def _is_operand_word(tok: _Tok) -> bool:
    """Whether a token starts an operand on its own (a name, number or string)."""
    if tok.kind == "ident":
        low = tok.text.lower()
        return low not in _KEYWORDS and low not in _BINARY_WORDS
    return tok.kind in ("number", "string")


def _ends_operand(tok: _Tok) -> bool:
    """Whether a token can end an operand."""
    return tok.kind == "close" or _is_operand_word(tok)


def _syntax_hint(query: str, message: str, position: int | None, detail: str) -> str:
    """A learner-facing hint for a parse error."""
    low = message.lower()
    column = f" at column {position + 1}" if position is not None else ""
    near = query[position] if position is not None and position < len(query) else ""
    inside = next((c for word, c in _BRACKET_WORDS.items() if f"inside {word}" in low), "")
    if inside and near in "()[]{}" and near:
        return f"Close the `{inside}` with `{_PAIRS[inside]}` before the `{near}`{column}."
    if "unexpected right" in low:
        return f"There is an extra `{near}`{column}: remove it or open a matching bracket."
    if "set twice" in low:
        return "Give the metric name once: either before the braces or as `__name__`."
    if "unterminated" in low:
        return f"The string starting{column} has no closing quote."
    if "unclosed" in low or "end of input inside" in low:
        closer = _PAIRS.get(near, "")
        return f"The `{near}`{column} is never closed: add a matching `{closer}`."
    if "expected type matrix" in low:
        return f"This function needs a range vector: add a range such as `[5m]`{column}."
    if "expected string" in low and _quoted(message):
        return f'Label values must be quoted{column}: write "{_quoted(message)}".'
    if "unknown function" in low:
        return f"`{_quoted(message)}` is not a PromQL function; check the spelling{column}."
    if detail:
        return f"Check the syntax{column}: {detail}."
    if position is not None:
        excerpt = query[max(0, position - 15) : position + 15].strip()
        return f"Check the syntax{column}, near `{excerpt}`."
    return "Check the query's syntax: brackets, quotes and operators."
