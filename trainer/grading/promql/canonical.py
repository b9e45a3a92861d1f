"""The canonical form of a PromQL query: a tree in which equal text means an equal query.

`parse` builds it: matchers sorted and simplified, constants folded and hoisted
(`x / 1024 / 1024` is `x / 1048576`), commutative operands sorted, grouping by a label that a
matcher pins to one value dropped, and label filters shared across a one-to-one binary
operation (`a{f} / b` is `a{f} / b{f}`). The algebra module goes further, for rearrangements.
"""

from __future__ import annotations

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

from trainer.grading.promql.parse_errors import check_nesting

# Operators whose operands may be swapped; `and`/`or` are treated as commutative too.
COMMUTATIVE = frozenset({"+", "*", "and", "or", "==", "!="})
# Of those, the ones whose chains can be flattened: (a + b) + c == a + (b + c).
ASSOCIATIVE = frozenset({"+", "*", "and", "or"})
ARITHMETIC = frozenset({"+", "-", "*", "/"})
COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
# Aggregations through which a constant factor can be pulled: sum(100 * x) == 100 * sum(x).
LINEAR_AGGREGATIONS = frozenset({"sum", "avg"})
MONOTONE_AGGREGATIONS = frozenset({"min", "max"})
# Functions whose result keeps the input's labels (so a filter commutes with them).
LABEL_PRESERVING = frozenset(
    {"rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "resets"}
    | {"changes", "abs", "ceil", "floor", "round", "clamp", "clamp_min", "clamp_max", "exp"}
    | {"ln", "log2", "log10", "sqrt", "sgn", "timestamp", "avg_over_time", "min_over_time"}
    | {"max_over_time", "sum_over_time", "count_over_time", "quantile_over_time"}
    | {"stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time"}
    | {"mad_over_time"}
)
# HTTP status labels hold three digits, so `5..`, `5.*` and `5[0-9]{2}` select the same codes.
STATUS_LABELS = frozenset({"status", "code", "status_code", "response_code"})
_STATUS_CLASS = re.compile(r"([1-5])(?:\.\.|\.\*|\.\+|\\d\\d|\\d\{2\}|\[0-9\]\[0-9\]|\[0-9\]\{2\})")

_METRIC_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_REGEX_SPECIAL = set(".^$*+?()[]{}|\\")
# MatchOp values are neither hashable nor named, so they are matched by equality.
_MATCH_OPS = (
    (pp.MatchOp.Equal, "="),
    (pp.MatchOp.NotEqual, "!="),
    (pp.MatchOp.Re, "=~"),
    (pp.MatchOp.NotRe, "!~"),
)
NEGATIVE_OPS = frozenset({"!=", "!~"})


# ---------------------------------------------------------------------------------------------
# Nodes: every node renders to canonical PromQL
# ---------------------------------------------------------------------------------------------


class LabelMatch(NamedTuple):
    """One label matcher such as pod=~"cloudmart.*"."""

    label: str
    op: str
    value: str

    def __str__(self) -> str:
        """The matcher as PromQL."""
        return f"{self.label}{self.op}{quote(self.value)}"

    @property
    def negative(self) -> bool:
        """Whether the matcher excludes values (`!=`, `!~`)."""
        return self.op in NEGATIVE_OPS


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
        inner = " or ".join(", ".join(str(m) for m in group) for group in groups)
        return f"{name}{{{inner}}}"

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        return self.core + modifiers(self.offset, self.at)

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
        mods = modifiers(self.selector.offset, self.selector.at)
        return f"{self.selector.core}[{duration(self.range)}]{mods}"


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
        return joiner.join(wrap(o) for o in self.operands)

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
        return f"{wrap(self.expr)} {factor_text(self.factor)}"


@dataclass(frozen=True, eq=False)
class Number:
    """A number literal."""

    val: float

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        return number_text(self.val)


@dataclass(frozen=True, eq=False)
class String:
    """A string literal."""

    val: str

    @cached_property
    def text(self) -> str:
        """Canonical PromQL: the equality key."""
        return quote(self.val)


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
        step = duration(self.step) if self.step is not None else ""
        mods = modifiers(self.offset, self.at)
        return f"({self.expr.text})[{duration(self.range)}:{step}]{mods}"


Node = Selector | Matrix | Call | Agg | Binary | Scale | Number | String | Subquery


def parse(query: str) -> Node:
    """The canonical tree of a query; ValueError if it does not parse or nests too deeply."""
    check_nesting(query)  # the parser crashes the process on very deep nesting
    try:
        return build(pp.parse(query))
    except RecursionError:
        raise ValueError("the query nests too deeply to grade") from None


def normalize(query: str) -> str:
    """The canonical PromQL form of a query; raises ValueError if it does not parse."""
    return parse(query).text


# ---------------------------------------------------------------------------------------------
# Building the canonical tree
# ---------------------------------------------------------------------------------------------


def build(expr: Any) -> Node:
    """Convert a promql_parser AST node into a canonical node."""
    if isinstance(expr, pp.ParenExpr):
        return build(expr.expr)  # the tree itself carries the grouping
    if isinstance(expr, pp.VectorSelector):
        return _selector(expr)
    if isinstance(expr, pp.MatrixSelector):
        return Matrix(_selector(expr.vector_selector), expr.range.total_seconds())
    if isinstance(expr, pp.Call):
        return Call(expr.func.name, tuple(build(a) for a in expr.args))
    if isinstance(expr, pp.AggregateExpr):
        return _aggregate(expr)
    if isinstance(expr, pp.BinaryExpr):
        return binary(str(expr.op), build(expr.lhs), build(expr.rhs), _bin_modifier(expr))
    if isinstance(expr, pp.UnaryExpr):
        return scaled(build(expr.expr), Fraction(-1))
    if isinstance(expr, pp.NumberLiteral):
        return Number(expr.val)
    if isinstance(expr, pp.StringLiteral):
        return String(expr.val)
    if isinstance(expr, pp.SubqueryExpr):
        step = expr.step.total_seconds() if expr.step is not None else None
        span = expr.range.total_seconds() if expr.range is not None else 0.0
        return Subquery(
            build(expr.expr),
            span,
            step,
            _seconds(expr.offset),
            _at(expr.at),
        )
    raise ValueError(f"unsupported PromQL construct: {type(expr).__name__}")


def _selector(vs: Any) -> Selector:
    """Canonical selector: simplified sorted matchers; a lone `__name__="x"` is the name."""
    matchers = vs.matchers
    raw_groups = matchers.or_matchers or [matchers.matchers]
    groups = [
        [m for raw in g for m in simplify_matcher(raw.name, _match_op(raw.op), raw.value)]
        for g in raw_groups
    ]
    name = vs.name or ""
    if not name and len(groups) == 1:
        named = [m for m in groups[0] if m.label == "__name__" and m.op == "="]
        if len(named) == 1:
            name = named[0].value
            groups[0].remove(named[0])
    return make_selector(name, groups, _seconds(vs.offset), _at(vs.at))


def make_selector(name: str, groups: Any, offset: float | None, at: str | None) -> Selector:
    """A selector with its matcher groups deduplicated and sorted."""
    canonical = tuple(sorted(tuple(sorted(set(g))) for g in groups))
    if canonical == ((),):
        canonical = ()
    return Selector(name, canonical, offset, at)


def _match_op(op: Any) -> str:
    """The PromQL spelling of a MatchOp."""
    return next(text for value, text in _MATCH_OPS if op == value)


def simplify_matcher(label: str, op: str, value: str) -> list[LabelMatch]:
    """Equivalent simpler matchers: PromQL regexes are anchored, so `=~"x"` is `="x"` and
    `!~"a|b"` is `!="a", !="b"`; alternatives are sorted; status classes share one spelling."""
    if op not in ("=~", "!~"):
        return [LabelMatch(label, op, value)]
    regex = value
    if regex.startswith("^"):
        regex = regex[1:]
    if regex.endswith("$") and not regex.endswith("\\$"):
        regex = regex[:-1]
    if label in STATUS_LABELS:
        regex = _STATUS_CLASS.sub(r"\1..", regex)
    alternatives = _literal_alternatives(regex)
    if alternatives is None:
        return [LabelMatch(label, op, regex)]
    if len(alternatives) == 1:
        return [LabelMatch(label, "=" if op == "=~" else "!=", alternatives[0])]
    if op == "!~":
        return [LabelMatch(label, "!=", alt) for alt in alternatives]
    return [LabelMatch(label, op, "|".join(_escape(a) for a in sorted(set(alternatives))))]


def _literal_alternatives(regex: str) -> list[str] | None:
    """The plain strings a regex of literal alternatives (`a|b\\.c|`) matches, else None."""
    out, current, i = [], [], 0
    while i < len(regex):
        char = regex[i]
        if char == "\\" and i + 1 < len(regex) and not regex[i + 1].isalnum():
            current.append(regex[i + 1])
            i += 2
            continue
        if char == "|":
            out.append("".join(current))
            current = []
        elif char in _REGEX_SPECIAL:
            return None
        else:
            current.append(char)
        i += 1
    out.append("".join(current))
    return out


def _escape(text: str) -> str:
    """A literal as regex text."""
    return "".join(f"\\{c}" if c in _REGEX_SPECIAL else c for c in text)


def _aggregate(expr: Any) -> Node:
    """Canonical aggregation; constant factors move outside; grouping by a pinned label goes."""
    op = str(expr.op)
    mod = expr.modifier
    grouping, labels = "", tuple[str, ...]()
    if mod is not None and (mod.type == pp.AggModifierType.Without or mod.labels):
        grouping = "by" if mod.type == pp.AggModifierType.By else "without"
        labels = tuple(sorted(set(mod.labels)))
    param = build(expr.param) if expr.param is not None else None
    inner = build(expr.expr)
    if grouping == "by":
        pinned = _pinned_labels(inner)
        labels = tuple(label for label in labels if label not in pinned)
        if not labels:
            grouping = ""
    if isinstance(inner, Scale) and (
        op in LINEAR_AGGREGATIONS or (op in MONOTONE_AGGREGATIONS and inner.factor > 0)
    ):
        return scaled(Agg(op, inner.expr, param, grouping, labels), inner.factor)
    return Agg(op, inner, param, grouping, labels)


def _pinned_labels(node: Node) -> set[str]:
    """Labels every selector under node pins to the same single value with `=`."""
    values: dict[str, set[str]] = {}
    selectors = [n for n in walk(node) if isinstance(n, Selector)]
    if not selectors:
        return set()
    common: set[str] | None = None
    for sel in selectors:
        pinned = {m.label for m in sel.matchers if m.op == "="}
        for m in sel.matchers:
            if m.op == "=":
                values.setdefault(m.label, set()).add(m.value)
        common = pinned if common is None else common & pinned
    return {label for label in common or set() if len(values[label]) == 1}


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
            parts.append(f"fill_left ({number_text(fill.lhs)})")
        if fill.rhs is not None:
            parts.append(f"fill_right ({number_text(fill.rhs)})")
    return " ".join(parts)


def factor_of(node: Node) -> Fraction | None:
    """The exact value of a finite number literal, else None."""
    if isinstance(node, Number) and math.isfinite(node.val):
        return Fraction(node.val)
    return None


_EXACT = 10**12


def scaled(node: Node, factor: Fraction) -> Node:
    """Multiply a node by a constant, merging with literals and existing factors."""
    if factor.numerator > _EXACT or factor.denominator > _EXACT:
        factor = Fraction(float(factor))  # keep decimal products (0.1 * 10) printable and stable
    if factor == 1:
        return node
    value = factor_of(node)
    if value is not None:
        return Number(float(value * factor))
    if isinstance(node, Scale):
        return scaled(node.expr, node.factor * factor)
    return Scale(factor, node)


def unscale(node: Node) -> tuple[Fraction, Node]:
    """Split a node into its constant factor and the scaled expression."""
    if isinstance(node, Scale):
        return node.factor, node.expr
    return Fraction(1), node


def binary(op: str, lhs: Node, rhs: Node, modifier: str) -> Node:
    """Canonical binary node: fold constants, hoist scale factors, share filters, sort."""
    if not modifier:
        folded = _fold(op, lhs, rhs)
        if folded is not None:
            return folded
        if op in ARITHMETIC | COMPARISONS | {"and", "%", "^", "atan2"}:
            lhs, rhs = _share_filters(lhs, rhs)
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
    lf, rf = factor_of(lhs), factor_of(rhs)
    if lf is not None and rf is not None and op in ("+", "-", "*", "/"):
        if op == "/" and rf == 0:
            return None
        values = {"+": lf + rf, "-": lf - rf, "*": lf * rf}
        return Number(float(values[op] if op in values else lf / rf))
    if lf is not None and rf is not None and op == "^" and rf.denominator == 1 and 0 < rf <= 8:
        return Number(float(lf ** int(rf)))  # 1024^2
    if op == "*" and lf is not None:
        return scaled(rhs, lf)
    if op == "*" and rf is not None:
        return scaled(lhs, rf)
    if op == "/" and rf is not None and rf != 0:
        return scaled(lhs, 1 / rf)
    if op in ("*", "/") and (isinstance(lhs, Scale) or isinstance(rhs, Scale)):
        # Constants commute with vector products: (100 * a) / b == 100 * (a / b).
        lfac, lcore = unscale(lhs)
        rfac, rcore = unscale(rhs)
        if rfac == 0:
            return None
        factor = lfac * rfac if op == "*" else lfac / rfac
        return scaled(binary(op, lcore, rcore, ""), factor)
    return None


def _share_filters(lhs: Node, rhs: Node) -> tuple[Node, Node]:
    """One-to-one matching pairs series with equal labels, so a label filter on one side
    holds for the other: `a{f="x"} / b` is `a{f="x"} / b{f="x"}`."""
    left, right = _filterable(lhs), _filterable(rhs)
    if left is None or right is None or not left or not right:
        return lhs, rhs
    every = [m for sel in left + right for m in sel.matchers if m.label != "__name__"]
    if not every:
        return lhs, rhs
    return _add_filters(lhs, every), _add_filters(rhs, every)


def _filterable(node: Node) -> list[Selector] | None:
    """The selectors under node when the path to each keeps their labels, else None."""
    if isinstance(node, Selector):
        return [node] if len(node.groups) <= 1 else None
    if isinstance(node, Matrix):
        return _filterable(node.selector)
    if isinstance(node, Number):
        return []
    if isinstance(node, Scale):
        return _filterable(node.expr)
    if isinstance(node, Call) and node.func in LABEL_PRESERVING:
        found: list[Selector] = []
        for arg in node.args:
            sub = _filterable(arg)
            if sub is None:
                return None
            found.extend(sub)
        return found
    if isinstance(node, Binary) and not node.modifier and node.op in ARITHMETIC | COMPARISONS:
        found = []
        for operand in node.operands:
            sub = _filterable(operand)
            if sub is None:
                return None
            found.extend(sub)
        return found
    return None


def _add_filters(node: Node, filters: list[LabelMatch]) -> Node:
    """The node with each filter added to every selector that has no matcher on its label."""
    if isinstance(node, Selector):
        mine = node.matchers
        labels = {m.label for m in mine}
        extra = [m for m in filters if m.label not in labels]
        if not extra:
            return node
        return make_selector(node.name, [list(mine) + extra], node.offset, node.at)
    if isinstance(node, Matrix):
        return Matrix(_add_filters(node.selector, filters), node.range)  # type: ignore[arg-type]
    if isinstance(node, Scale):
        return Scale(node.factor, _add_filters(node.expr, filters))
    if isinstance(node, Call):
        return Call(node.func, tuple(_add_filters(a, filters) for a in node.args))
    if isinstance(node, Binary):
        return Binary(
            node.op, tuple(_add_filters(o, filters) for o in node.operands), node.modifier
        )
    return node


# ---------------------------------------------------------------------------------------------
# Traversal and text
# ---------------------------------------------------------------------------------------------


def walk(node: Node) -> Iterator[Node]:
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
        yield from walk(child)


def _text(node: Node) -> str:
    """Sort key for operands."""
    return node.text


def wrap(node: Node) -> str:
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


def modifiers(offset: float | None, at: str | None) -> str:
    """Canonical ` @ t offset d` suffix."""
    text = f" @ {at}" if at is not None else ""
    if offset is not None and offset != 0:
        text += f" offset {duration(offset)}"
    return text


def duration(seconds: float) -> str:
    """Prometheus duration text; 300s and 5m both render as 5m."""
    if seconds < 0:
        return "-" + duration(-seconds)
    if seconds == 0:
        return "0s"
    return pp.display_duration(timedelta(seconds=seconds))


def number_text(val: float) -> str:
    """Canonical number text: 100.0 and 1e2 both render as 100."""
    if math.isnan(val):
        return "NaN"
    if math.isinf(val):
        return "Inf" if val > 0 else "-Inf"
    if val == int(val) and abs(val) < 1e15:
        return str(int(val))
    return repr(val)


def quote(value: str) -> str:
    """A double-quoted PromQL string (PromQL uses Go escapes, which JSON's match here)."""
    return json.dumps(value, ensure_ascii=False)


def factor_text(factor: Fraction) -> str:
    """Scale factor as an operator suffix: `* 100`, `/ 1048576`, `* 3 / 4`."""
    num, den = factor.numerator, factor.denominator
    if den == 1:
        return f"* {num}"
    if num == 1:
        return f"/ {den}"
    if abs(num) < _EXACT and den < _EXACT:
        return f"* {num} / {den}"
    return f"* {number_text(float(factor))}"  # binary fractions of decimals such as 0.1
