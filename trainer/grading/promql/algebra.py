"""The algebraic form of a canonical tree: arithmetic as a sum of products.

Rearrangements that keep the result compare equal: `(a - b) / a` and `1 - b / a`,
`(Total - Avail) / Total * 100` and `(1 - Avail / Total) * 100`, `avg(1 - x)` and
`1 - avg(x)`, and a filter against a constant with its factor divided out
(`100 * a / b > 0.1` keeps what `a / b > 0.001` keeps).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import NamedTuple

from trainer.grading.promql.canonical import (
    ARITHMETIC,
    COMPARISONS,
    Agg,
    Binary,
    Call,
    Matrix,
    Node,
    Number,
    Scale,
    Subquery,
    factor_of,
    scaled,
)

_MAX_TERMS = 32  # a product of sums is expanded only while it stays this small


# A monomial is a sorted tuple of (atom text, exponent); a polynomial maps monomials to their
# coefficient and keeps each atom's node for rebuilding a tree.
Monomial = tuple[tuple[str, int], ...]


class _Poly(NamedTuple):
    terms: dict[Monomial, Fraction]
    atoms: dict[str, Node]


def algebraic(node: Node) -> Node:
    """An equivalent tree in sum-of-products form: equal text means an equal result."""
    return _to_tree(_poly(node))


def _constant(value: Fraction) -> _Poly:
    return _Poly({(): value} if value else {}, {})


def _atom(node: Node) -> _Poly:
    return _Poly({((node.text, 1),): Fraction(1)}, {node.text: node})


def _poly(node: Node) -> _Poly:
    """The polynomial of an arithmetic expression over its non-arithmetic parts."""
    value = factor_of(node)
    if value is not None:
        return _constant(value)
    if isinstance(node, Scale):
        return _times_constant(_poly(node.expr), node.factor)
    if isinstance(node, Binary) and not node.modifier and node.op in ARITHMETIC:
        polys = [_poly(o) for o in node.operands]
        if node.op == "+":
            out = polys[0]
            for p in polys[1:]:
                out = _add(out, p)
            return out
        if node.op == "-":
            return _add(polys[0], _times_constant(polys[1], Fraction(-1)))
        if node.op == "*":
            out = polys[0]
            for p in polys[1:]:
                out = _multiply(out, p)
            return out
        return _multiply(polys[0], _inverse(polys[1]))
    if isinstance(node, Agg):
        return _poly_agg(node)
    if isinstance(node, Call) and node.func == "increase" and isinstance(node.args[0], Matrix):
        # increase(x[r]) is rate(x[r]) times r seconds, extrapolation included.
        rate = _atom(_normal_atom(Call("rate", node.args)))
        return _times_constant(rate, Fraction(node.args[0].range))
    return _atom(_normal_atom(node))


def _normal_atom(node: Node) -> Node:
    """A non-arithmetic node with its operands in algebraic form."""
    if isinstance(node, Call):
        args = tuple(algebraic(a) for a in node.args)
        buckets = args[-1] if len(args) == 2 else None
        if node.func == "histogram_quantile" and isinstance(buckets, Scale) and buckets.factor > 0:
            args = (args[0], buckets.expr)  # scaling every bucket leaves the quantile alone
        return Call(node.func, args)
    if isinstance(node, Binary):
        operands = tuple(algebraic(o) for o in node.operands)
        if node.op in COMPARISONS and len(operands) == 2 and "bool" not in node.modifier:
            return _normal_comparison(node.op, operands[0], operands[1], node.modifier)
        if node.commutative:
            operands = tuple(sorted(operands, key=lambda n: n.text))
        return Binary(node.op, operands, node.modifier)
    if isinstance(node, Subquery):
        return Subquery(algebraic(node.expr), node.range, node.step, node.offset, node.at)
    return node


_FLIPPED = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}


def _normal_comparison(op: str, lhs: Node, rhs: Node, modifier: str) -> Node:
    """A filter against a constant, constant on the right and the factor divided out:
    `100 * x > 0.1` keeps the series `x > 0.001` keeps (`0 < x` is `x > 0`)."""
    if isinstance(lhs, Number) and not isinstance(rhs, Number):
        lhs, rhs, op = rhs, lhs, _FLIPPED[op]
    value = factor_of(rhs)
    if value is not None and isinstance(lhs, Scale) and lhs.factor:
        factor = lhs.factor
        lhs, rhs = lhs.expr, Number(float(value / factor))
        if factor < 0:
            op = _FLIPPED[op]
    return Binary(op, (lhs, rhs), modifier)


def _poly_agg(node: Agg) -> _Poly:
    """Constants leave an aggregation where the result allows: sum(k * x) is k * sum(x), and
    avg, min and max of `c + k * x` are `c + k * avg(x)` (min and max swap when k < 0)."""
    param = algebraic(node.param) if node.param is not None else None
    inner = _poly(node.expr)
    variable = {m: c for m, c in inner.terms.items() if m}
    constant = inner.terms.get((), Fraction(0))
    affine = node.op in ("avg", "min", "max") or (node.op == "sum" and not constant)
    if affine and param is None and len(variable) == 1:
        ((monomial, k),) = variable.items()
        op = node.op
        if k < 0 and op in ("min", "max"):
            op = "min" if op == "max" else "max"
        base = _to_tree(_Poly({monomial: Fraction(1)}, inner.atoms))
        agg = Agg(op, base, None, node.grouping, node.labels)
        return _add(_constant(constant), _times_constant(_atom(agg), k))
    return _atom(Agg(node.op, _to_tree(inner), param, node.grouping, node.labels))


def _add(a: _Poly, b: _Poly) -> _Poly:
    terms = dict(a.terms)
    for mono, coef in b.terms.items():
        total = terms.get(mono, Fraction(0)) + coef
        if total:
            terms[mono] = total
        else:
            terms.pop(mono, None)
    return _Poly(terms, {**a.atoms, **b.atoms})


def _times_constant(a: _Poly, factor: Fraction) -> _Poly:
    if not factor:
        return _Poly({}, {})
    return _Poly({m: c * factor for m, c in a.terms.items()}, a.atoms)


def _multiply(a: _Poly, b: _Poly) -> _Poly:
    if len(a.terms) * len(b.terms) > _MAX_TERMS:
        return _multiply(_atom(_to_tree(a)), _atom(_to_tree(b)))
    terms: dict[Monomial, Fraction] = {}
    for ma, ca in a.terms.items():
        for mb, cb in b.terms.items():
            mono = _mono_product(ma, mb)
            total = terms.get(mono, Fraction(0)) + ca * cb
            if total:
                terms[mono] = total
            else:
                terms.pop(mono, None)
    return _Poly(terms, {**a.atoms, **b.atoms})


def _mono_product(a: Monomial, b: Monomial) -> Monomial:
    powers: dict[str, int] = dict(a)
    for atom, exp in b:
        powers[atom] = powers.get(atom, 0) + exp
    return tuple(sorted((k, v) for k, v in powers.items() if v))


def _inverse(a: _Poly) -> _Poly:
    """1 / a: exact for a single term, else the sum becomes an atom."""
    if len(a.terms) == 1:
        ((mono, coef),) = a.terms.items()
        return _Poly({tuple((k, -v) for k, v in mono): 1 / coef}, a.atoms)
    if not a.terms:
        return _atom(Binary("/", (Number(1.0), Number(0.0)), ""))
    atom = _to_tree(a)
    return _Poly({((atom.text, -1),): Fraction(1)}, {atom.text: atom})


def _to_tree(p: _Poly) -> Node:
    """A canonical tree for a polynomial: constant first, then terms by text."""
    terms = [_term_tree(mono, coef, p.atoms) for mono, coef in p.terms.items()]
    if not terms:
        return Number(0.0)
    if len(terms) == 1:
        return terms[0]
    return Binary("+", tuple(sorted(terms, key=lambda t: (not isinstance(t, Number), t.text))), "")


def _term_tree(mono: Monomial, coef: Fraction, atoms: dict[str, Node]) -> Node:
    ups = [atoms[a] for a, e in mono if e > 0 for _ in range(e)]
    downs = [atoms[a] for a, e in mono if e < 0 for _ in range(-e)]
    if not ups and not downs:
        return Number(float(coef))
    top = _product(ups) if ups else Number(1.0)
    body = Binary("/", (top, _product(downs)), "") if downs else top
    return scaled(body, coef)


def _product(nodes: list[Node]) -> Node:
    if len(nodes) == 1:
        return nodes[0]
    return Binary("*", tuple(sorted(nodes, key=lambda n: n.text)), "")


def constant_part(node: Node) -> tuple[Fraction, Node | None]:
    """An algebraic tree split into its constant term and the rest (None when constant)."""
    if isinstance(node, Number):
        return Fraction(node.val) if math.isfinite(node.val) else Fraction(0), None
    if isinstance(node, Binary) and node.op == "+" and isinstance(node.operands[0], Number):
        rest = node.operands[1:]
        remainder = rest[0] if len(rest) == 1 else Binary("+", rest, "")
        return Fraction(node.operands[0].val), remainder
    return Fraction(0), node


def negated(node: Node) -> Node:
    """The algebraic tree of -node."""
    return algebraic(scaled(node, Fraction(-1)))
