"""Differences between two canonical trees, each with a severity and a hint.

The differ walks the reference and the attempt in parallel and, at each node, keeps the
cheapest explanation of how they differ (a swapped ratio is one difference, not a missing and
an extra matcher). A difference is either a near miss, with a penalty out of 100, or fatal: it
changes what the query measures (another metric, a reversed ratio or comparison, a counter
without rate(), a matcher that selects the opposite series), and the answer is wrong.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from fractions import Fraction
from typing import NamedTuple

from trainer.grading.promql.canonical import (
    Agg,
    Binary,
    Call,
    LabelMatch,
    Matrix,
    Node,
    Number,
    Scale,
    Selector,
    String,
    Subquery,
    duration,
    factor_text,
    modifiers,
    number_text,
    quote,
    unscale,
    walk,
)

# Explanation costs, out of 100. A near miss stays in the partial band (30-80); the metric name
# is heavy so that another explanation (an extra wrapper around the right metric) wins.
P_STRUCTURE = 100
P_METRIC = 60
P_FUNCTION = 30
P_FUNCTION_KIND = 40
P_RANGE = 25
P_SCALE = 25
P_SCALE_INVERTED = 30
P_LABEL_MISSING = 20
P_LABEL_EXTRA = 15
P_LABEL_VALUE = 20
P_LABEL_MEANING = 30
P_LABEL_OP = 15
P_AGG_OP = 30
P_AGG_KIND = 40
P_AGG_MISSING = 30
P_AGG_EXTRA = 30
P_GROUPING = 20
P_CALL_MISSING = 35
P_CALL_RANGE_MISSING = 45
P_CALL_RANGE_EXTRA = 40
P_WRAPPER = 25
P_OPERATOR = 30
P_INCLUSIVE = 10
P_MODIFIER = 20
P_SWAPPED = 30
P_OPERAND = 35
P_CONSTANT = 20
P_OFFSET = 20
P_ARGUMENTS = 30

# Labels that say whose series these are: another value measures the same thing for someone
# else (a near miss). A different value on any other label (mode, condition, status, le)
# changes what is measured.
SCOPE_LABELS = frozenset(
    {"namespace", "pod", "container", "job", "instance", "node", "function_name", "service"}
    | {"app", "host", "route", "deployment", "table", "cluster", "region", "handler"}
    | {"kubernetes_namespace", "kubernetes_pod_name", "exported_namespace", "daemonset"}
    | {"statefulset", "endpoint", "path", "operation"}
)
# Functions that can stand in for each other with a different unit or smoothing.
FUNCTION_FAMILIES = (
    frozenset({"rate", "irate", "increase"}),
    frozenset({"delta", "idelta", "deriv"}),
    frozenset({"avg_over_time", "max_over_time", "min_over_time", "quantile_over_time"})
    | frozenset({"last_over_time", "sum_over_time"}),
    frozenset({"round", "ceil", "floor"}),
)
# Wrappers that keep the meaning and only tidy the value.
COSMETIC = frozenset(
    {"round", "ceil", "floor", "abs", "clamp", "clamp_min", "clamp_max", "sort", "sort_desc"}
)
SUMMING_AGGREGATIONS = frozenset({"sum", "avg", "max", "min"})
QUANTILE_FUNCTIONS = frozenset({"histogram_quantile", "quantile_over_time"})
_DIRECTION = {">": "up", ">=": "up", "<": "down", "<=": "down"}


class Options(NamedTuple):
    """How strict a comparison is."""

    narrower_ok: bool = False  # scenario look-ups: matchers as narrow or narrower are fine
    scale_free: bool = False  # scenario look-ups: a constant factor (the unit) does not matter
    one_series: bool = False  # the prompt asks for one series: no extra grouping in quantiles
    loose_filters: frozenset[str] = frozenset()  # labels where any exclusion is a refinement


STRICT = Options()


class Diff(NamedTuple):
    """One difference between reference and attempt."""

    category: str
    penalty: int
    hint: str
    fatal: bool = False


Diffs = tuple[Diff, ...]
STRUCTURE: Diffs = (Diff("structure", P_STRUCTURE, "", True),)


def cost(diffs: Diffs) -> int:
    """Total explanation cost of a set of differences."""
    return sum(d.penalty for d in diffs)


class Differ:
    """Walks two canonical trees in parallel, choosing the cheapest explanation at each node."""

    def __init__(self, options: Options = STRICT) -> None:
        self.options = options
        self.memo: dict[tuple[str, str, str], Diffs] = {}

    def diff(self, ref: Node, att: Node, ctx: str = "") -> Diffs:
        """Differences between two subtrees; ctx is the enclosing function when both agree."""
        if ref.text == att.text:
            return ()
        key = (ref.text, att.text, ctx)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = min(self._options(ref, att, ctx), key=cost)
        return found

    def _options(self, ref: Node, att: Node, ctx: str) -> Iterator[Diffs]:
        """Every way of explaining the difference; the cheapest wins, the first on ties."""
        if isinstance(ref, Scale) or isinstance(att, Scale):
            rfac, rcore = unscale(ref)
            afac, acore = unscale(att)
            scaling: Diffs = ()
            if rfac != afac and not self.options.scale_free:
                scaling = (scale_diff(rfac, afac),)
            yield scaling + self.diff(rcore, acore, ctx)
        if type(ref) is type(att):
            yield self._same_kind(ref, att, ctx)
        if isinstance(ref, Matrix) and isinstance(att, Selector):
            hint = f"Missing the range `[{duration(ref.range)}]` after the selector."
            yield (Diff("range", P_RANGE, hint),) + self.diff(ref.selector, att)
        if isinstance(ref, Selector) and isinstance(att, Matrix):
            hint = f"Extra range `[{duration(att.range)}]`: the reference is an instant vector."
            yield (Diff("range", P_RANGE, hint),) + self.diff(ref, att.selector)
        inner = main_child(ref)
        if inner is not None:
            if isinstance(ref, Call) and isinstance(inner, Matrix) and not isinstance(att, Matrix):
                hint = (
                    f"Missing `{ref.func}(…[{duration(inner.range)}])`: the metric only ever "
                    f"grows, so the reference applies {ref.func}() over a "
                    f"[{duration(inner.range)}] range."
                )
                yield (Diff("function", P_CALL_RANGE_MISSING, hint, True),) + self.diff(
                    inner.selector, att
                )
            else:
                yield (missing_wrapper(ref),) + self.diff(inner, att)
        inner = main_child(att)
        if inner is not None:
            yield (extra_wrapper(att, ref),) + self.diff(ref, inner)
        yield STRUCTURE

    def _same_kind(self, ref: Node, att: Node, ctx: str) -> Diffs:
        """Differences between two nodes of the same kind."""
        if isinstance(ref, Selector) and isinstance(att, Selector):
            return self._selector(ref, att)
        if isinstance(ref, Matrix) and isinstance(att, Matrix):
            return self._matrix(ref, att, ctx)
        if isinstance(ref, Call) and isinstance(att, Call):
            return self._call(ref, att)
        if isinstance(ref, Agg) and isinstance(att, Agg):
            return self._agg(ref, att, ctx)
        if isinstance(ref, Binary) and isinstance(att, Binary):
            return self._binary(ref, att)
        if isinstance(ref, Number) and isinstance(att, Number):
            return (constant_diff(ref.val, att.val),)
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
            got, want = duration(att.range), duration(ref.range)
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
            kin = any(ref.func in f and att.func in f for f in FUNCTION_FAMILIES)
            if kin:
                out.append(Diff("function", P_FUNCTION, hint))
            else:
                out.append(Diff("function", P_FUNCTION_KIND, hint, True))
        if len(ref.args) != len(att.args):
            if not same:
                return STRUCTURE
            hint = (
                f"{ref.func}() takes {len(ref.args)} argument(s) in the reference; "
                f"you gave {len(att.args)}."
            )
            out.append(Diff("arguments", P_ARGUMENTS, hint))
        if same and ref.func in QUANTILE_FUNCTIONS and att.args:
            phi = att.args[0]
            if isinstance(phi, Number) and not 0 <= phi.val <= 1:
                hint = (
                    f"The quantile is a fraction from 0 to 1: write {ref.args[0].text}, "
                    f"not {phi.text} (which gives +Inf)."
                )
                out.append(Diff("constant", P_CONSTANT, hint, True))
                return tuple(out) + self.diff(ref.args[1], att.args[1], ref.func)
        for r, a in zip(ref.args, att.args, strict=False):
            out.extend(self.diff(r, a, ref.func if same else ""))
        return tuple(out)

    def _agg(self, ref: Agg, att: Agg, ctx: str) -> Diffs:
        """Aggregation operator, grouping, parameter and operand differences."""
        out: list[Diff] = []
        if ref.op != att.op:
            hint = f"You aggregate with {att.op}; the reference uses {ref.op}."
            if {ref.op, att.op} <= SUMMING_AGGREGATIONS:
                out.append(Diff("aggregation", P_AGG_OP, hint))
            else:
                out.append(Diff("aggregation", P_AGG_KIND, hint, True))
        if not self._finer_quantile(ref, att, ctx):
            grouping = grouping_diff(ref, att)
            if grouping is not None:
                out.append(grouping)
        if (ref.param is None) != (att.param is None):
            return STRUCTURE
        if ref.param is not None and att.param is not None:
            out.extend(self.diff(ref.param, att.param))
        return tuple(out) + self.diff(ref.expr, att.expr)

    def _finer_quantile(self, ref: Agg, att: Agg, ctx: str) -> bool:
        """Extra labels beside `le` inside histogram_quantile: one quantile per group, which is
        right unless the prompt asks for a single series."""
        return (
            ctx == "histogram_quantile"
            and not self.options.one_series
            and ref.grouping == att.grouping == "by"
            and "le" in att.labels
            and set(ref.labels) <= set(att.labels)
        )

    def _binary(self, ref: Binary, att: Binary) -> Diffs:
        """Operator, modifier and operand differences."""
        out: list[Diff] = []
        if ref.op != att.op:
            out.append(operator_diff(ref.op, att.op))
        if ref.modifier != att.modifier:
            want = f"`{ref.modifier}`" if ref.modifier else "no modifier"
            got = f"`{att.modifier}`" if att.modifier else "none"
            hint = f"The reference uses {want} on `{ref.op}`; you used {got}."
            out.append(Diff("modifier", P_MODIFIER, hint))
        return tuple(out) + self._operands(ref, att)

    def _operands(self, ref: Binary, att: Binary) -> Diffs:
        """Best pairing of operands; swapping non-commutative ones is fatal (a/b is not b/a)."""
        refs, atts = ref.operands, att.operands
        if len(refs) == len(atts) == 2 and not (ref.commutative and att.commutative):
            straight = self.diff(refs[0], atts[0]) + self.diff(refs[1], atts[1])
            op = att.op if att.op == ref.op else ref.op
            hint = f"The operands of `{op}` are the wrong way round."
            swapped: Diffs = (Diff("order", P_SWAPPED, hint, True),)
            swapped += self.diff(refs[0], atts[1]) + self.diff(refs[1], atts[0])
            return min((straight, swapped), key=cost)
        if len(refs) == len(atts) <= 4:
            pairings = (
                tuple(d for r, a in zip(refs, perm, strict=True) for d in self.diff(r, a))
                for perm in itertools.permutations(atts)
            )
            return min(pairings, key=cost)
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
            best = min(range(len(atts)), key=lambda i: cost(self.diff(r, atts[i])))  # noqa: B023
            out.extend(self.diff(r, atts.pop(best)))
        for a in atts:
            hint = f"Extra operand `{a.text}`: the reference does not use it with `{ref.op}`."
            out.append(Diff("operand", P_OPERAND, hint))
        return tuple(out)

    def _subquery(self, ref: Subquery, att: Subquery) -> Diffs:
        """Subquery range, step, offset and operand differences."""
        out: list[Diff] = []
        if (ref.range, ref.step) != (att.range, att.step):
            step = duration(ref.step) if ref.step is not None else ""
            hint = f"The reference subquery is `[{duration(ref.range)}:{step}]`."
            out.append(Diff("range", P_RANGE, hint))
        if (ref.offset, ref.at) != (att.offset, att.at):
            shown = modifiers(ref.offset, ref.at).strip() or "none"
            hint = f"The reference subquery modifiers are `{shown}`."
            out.append(Diff("offset", P_OFFSET, hint))
        return tuple(out) + self.diff(ref.expr, att.expr)

    def _selector(self, ref: Selector, att: Selector) -> Diffs:
        """Metric name, label matcher and modifier differences of two selectors."""
        out: list[Diff] = []
        if ref.name != att.name:
            out.append(metric_diff(ref.name, att.name))
        if len(ref.groups) > 1 or len(att.groups) > 1:
            if ref.groups != att.groups:
                hint = f"The label matchers differ: the reference uses `{ref.core}`."
                out.append(Diff("label", P_LABEL_VALUE, hint))
        else:
            out.extend(self._matchers(ref.matchers, att.matchers))
        if ref.offset != att.offset:
            want = f"`offset {duration(ref.offset)}`" if ref.offset else "no offset"
            got = f"`offset {duration(att.offset)}`" if att.offset else "none"
            out.append(Diff("offset", P_OFFSET, f"The reference uses {want}; you used {got}."))
        if ref.at != att.at:
            want = f"`@ {ref.at}`" if ref.at else "no @ modifier"
            out.append(Diff("offset", P_OFFSET, f"The reference uses {want}."))
        return tuple(out)

    def _matchers(self, ref: tuple[LabelMatch, ...], att: tuple[LabelMatch, ...]) -> list[Diff]:
        """Per-label differences: missing, extra, wrong value, wrong operator, typos."""
        out: list[Diff] = []
        by_ref, by_att = _by_label(ref), _by_label(att)
        missing = [label for label in by_ref if label not in by_att]
        extra = [label for label in by_att if label not in by_ref]
        typos = _label_typos(missing, extra, by_ref, by_att)
        for want_label, got_label in typos:
            hint = f"Label `{got_label}` looks like a typo of `{want_label}`: it matches nothing."
            out.append(Diff("label", P_LABEL_MEANING, hint, True))
        typo_labels = {x for pair in typos for x in pair}
        for label in sorted(by_ref.keys() | by_att.keys()):
            if label in typo_labels:
                continue
            want, got = by_ref.get(label, []), by_att.get(label, [])
            if want == got or self._accepted_matchers(label, want, got):
                continue
            if not got:
                for m in want:
                    out.append(Diff("label", P_LABEL_MISSING, f"Missing the label matcher `{m}`."))
            elif not want:
                for m in got:
                    hint = f"Extra label matcher `{m}`: the reference does not filter on `{label}`."
                    out.append(Diff("label", P_LABEL_EXTRA, hint))
            elif len(want) == len(got) == 1:
                out.append(one_matcher_diff(want[0], got[0]))
            else:
                shown = ", ".join(f"`{m}`" for m in want)
                hint = f"The matchers on `{label}` differ: the reference uses {shown}."
                out.append(Diff("label", P_LABEL_VALUE, hint, label not in SCOPE_LABELS))
        return out

    def _accepted_matchers(self, label: str, want: list[LabelMatch], got: list[LabelMatch]) -> bool:
        """Matchers that are fine as they are: a recommended exclusion filter, or (for scenario
        look-ups) matchers that select the same series or fewer."""
        if label in self.options.loose_filters and all(m.negative for m in want + got) and got:
            return True
        if self.options.narrower_ok and got:
            return all(any(implies(g, w) for g in got) for w in want)
        return False


def implies(got: LabelMatch, want: LabelMatch) -> bool:
    """Whether every value `got` matches is also matched by `want` (best effort on regexes)."""
    if got == want:
        return True
    if want.op == "=":
        return got.op == "=" and got.value == want.value
    if want.op == "=~":
        if got.op == "=":
            return re.fullmatch(want.value, got.value) is not None
        if got.op == "=~":
            return _regex_narrower(got.value, want.value)
        return False
    if want.op == "!=":
        if got.op == "=":
            return got.value != want.value
        if got.op == "=~":
            return re.fullmatch(got.value, want.value) is None
        return False
    if got.op == "=":
        return re.fullmatch(want.value, got.value) is None
    return False


def _regex_narrower(narrow: str, wide: str) -> bool:
    """`cloudmart-backend.*` within `cloudmart.*`: each alternative extends wide's prefix."""
    if not wide.endswith(".*") or any(c in wide[:-2] for c in ".*+?()[]{}|\\"):
        return False
    prefix = wide[:-2]
    return all(alt.startswith(prefix) for alt in narrow.split("|"))


def _by_label(matchers: tuple[LabelMatch, ...]) -> dict[str, list[LabelMatch]]:
    """Matchers grouped by label name."""
    out: dict[str, list[LabelMatch]] = {}
    for m in matchers:
        out.setdefault(m.label, []).append(m)
    return out


def _label_typos(
    missing: list[str],
    extra: list[str],
    by_ref: dict[str, list[LabelMatch]],
    by_att: dict[str, list[LabelMatch]],
) -> list[tuple[str, str]]:
    """Pairs (reference label, attempt label) where the attempt misspells the label name."""
    pairs = []
    for want in missing:
        for got in extra:
            same_values = [m.value for m in by_ref[want]] == [m.value for m in by_att[got]]
            if same_values and _close(want, got, 80):
                pairs.append((want, got))
                break
    return pairs


def _close(a: str, b: str, cutoff: int) -> bool:
    """Whether two names look like one misspelled (rapidfuzz costs ~25 ms to import, and the
    loader validates PromQL with this package, so it is imported only when needed)."""
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= cutoff


_SERIES_HOLD = {
    "bucket": "the cumulative buckets a quantile is computed from",
    "count": "the number of observations",
    "sum": "the sum of the observed values",
    "total": "the counter's running total",
    "created": "when the series was created",
}


def _series(name: str) -> tuple[str, str] | None:
    """A histogram's or summary's (name, series suffix): ("x", "count") for `x_count`."""
    base, _, suffix = name.rpartition("_")
    return (base, suffix) if base and suffix in _SERIES_HOLD else None


def metric_diff(want: str, got: str) -> Diff:
    """Another metric: fatal, with a hint when it looks like a typo."""
    shown_want = f"`{want}`" if want else "no metric name"
    shown_got = f"`{got}`" if got else "none"
    hint = f"Wrong metric: the reference uses {shown_want}; you used {shown_got}"
    if want and got and want.lower() == got.lower():
        hint += " (metric names are case-sensitive)"
    elif (wanted := _series(want)) and (used := _series(got)) and wanted[0] == used[0]:
        # http_request_duration_seconds_count exists, but it is not the series asked for
        hint += (
            f" (the same metric's other series: `_{used[1]}` holds {_SERIES_HOLD[used[1]]}, "
            f"`_{wanted[1]}` {_SERIES_HOLD[wanted[1]]})"
        )
    elif want and got and _close(want, got, 85):
        hint += " (check the spelling: that metric does not exist)"
    return Diff("metric", P_METRIC, hint + ".", True)


def one_matcher_diff(want: LabelMatch, got: LabelMatch) -> Diff:
    """How one matcher on a label differs from the reference's."""
    label = want.label
    if want.value == got.value:
        if want.negative != got.negative:
            hint = (
                f"The matcher on `{label}` is inverted: the reference uses `{want}`, "
                f"so `{got}` selects the opposite series."
            )
            return Diff("label", P_LABEL_MEANING, hint, True)
        why = " (a regex match)" if want.op == "=~" else ""
        hint = f"Label `{label}` uses `{got.op}`; the reference uses `{want.op}`{why}: `{want}`."
        return Diff("label", P_LABEL_OP, hint)
    scope = label in SCOPE_LABELS
    if want.op == got.op:
        hint = f"Label `{label}` should match {quote(want.value)}, not {quote(got.value)}."
    else:
        hint = f"The matcher on `{label}` should be `{want}`, not `{got}`."
    if scope:
        return Diff("label", P_LABEL_VALUE, hint)
    return Diff("label", P_LABEL_MEANING, hint, True)


def grouping_diff(ref: Agg, att: Agg) -> Diff | None:
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


def constant_diff(want: float, got: float) -> Diff:
    """Another constant: a near miss, unless it is off by a factor of ten or more (a unit)."""
    hint = f"The constant is {number_text(got)}; the reference uses {number_text(want)}."
    if want and got and (want / got >= 10 or got / want >= 10 or want / got < 0):
        hint += " Check the unit (seconds, not milliseconds; a share, not a percentage)."
        return Diff("constant", P_CONSTANT, hint, True)
    return Diff("constant", P_CONSTANT, hint)


def operator_diff(want: str, got: str) -> Diff:
    """Another operator: only `>` for `>=` (the same direction) is a near miss."""
    hint = f"You used `{got}`; the reference uses `{want}`."
    if _DIRECTION.get(want) and _DIRECTION.get(want) == _DIRECTION.get(got):
        return Diff("operator", P_INCLUSIVE, hint)
    if _DIRECTION.get(want) and _DIRECTION.get(got):
        hint += " The comparison points the wrong way: it keeps the opposite series."
    return Diff("operator", P_OPERATOR, hint, True)


def scale_diff(want: Fraction, got: Fraction) -> Diff:
    """How the constant factors differ, phrased as the learner would write them."""
    purpose = scale_purpose(want)
    if got == 1:
        return Diff("scaling", P_SCALE, f"Missing `{scale_spelling(want)}`{purpose}.")
    if want == 1:
        hint = f"Extra `{scale_spelling(got)}`: the reference does not scale the result."
        return Diff("scaling", P_SCALE, hint)
    hint = (
        f"You scale by `{scale_spelling(got)}`; "
        f"the reference uses `{scale_spelling(want)}`{purpose}."
    )
    inverted = (want > 0) != (got > 0) or (abs(want) > 1) != (abs(got) > 1)
    if inverted:
        return Diff("scaling", P_SCALE_INVERTED, hint, True)
    return Diff("scaling", P_SCALE, hint)


def scale_spelling(factor: Fraction) -> str:
    """A factor as it is usually written: `* 100`, `/ 1024 / 1024`, `* -1`."""
    if factor.numerator == 1:
        power = _log(factor.denominator, 1024)
        if power > 1:
            return " ".join(["/ 1024"] * power)
    if factor.denominator == 1:
        power = _log(factor.numerator, 1024)
        if power > 1:
            return " ".join(["* 1024"] * power)
    return factor_text(factor)


def scale_purpose(factor: Fraction) -> str:
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


def main_child(node: Node) -> Node | None:
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


def wrapper_text(node: Node) -> str:
    """How a wrapper looks around an elided operand: `sum by (pod) (…)`, `… > 0`."""
    if isinstance(node, Agg):
        param = f"{node.param.text}, " if node.param is not None else ""
        space = " " if node.grouping else ""
        return f"{node.head}{space}({param}…)"
    if isinstance(node, Call):
        args = ["…" if a is main_child(node) else a.text for a in node.args]
        return f"{node.func}({', '.join(args)})"
    if isinstance(node, Subquery):
        step = duration(node.step) if node.step is not None else ""
        return f"(…)[{duration(node.range)}:{step}]"
    if isinstance(node, Binary):
        op = f"{node.op} {node.modifier}" if node.modifier else node.op
        lhs, rhs = node.operands
        if isinstance(lhs, Number) and not node.commutative:
            return f"{lhs.text} {op} …"
        number = lhs if isinstance(lhs, Number) else rhs
        return f"… {op} {number.text}"
    return "…"


def _complement(node: Node) -> bool:
    """`1 - …` and its kind: without it the query measures the complement."""
    return (
        isinstance(node, Binary)
        and node.op == "-"
        and not node.modifier
        and isinstance(node.operands[0], Number)
    )


def missing_wrapper(ref: Node) -> Diff:
    """The attempt lacks an aggregation, call or operation the reference wraps around it."""
    shown = wrapper_text(ref)
    if isinstance(ref, Agg):
        hint = f"Missing aggregation: the reference wraps this in `{shown}`."
        return Diff("aggregation", P_AGG_MISSING, hint)
    if isinstance(ref, Call):
        hint = f"Missing `{shown}`: the reference applies it."
        return Diff(
            "function",
            P_WRAPPER if ref.func in COSMETIC else P_CALL_MISSING,
            hint,
            ref.func not in COSMETIC,
        )
    if _complement(ref):
        hint = (
            f"Missing `{shown}`: without it the query measures the complement "
            f"(the idle or free share instead of the used share)."
        )
        return Diff("operation", P_OPERATOR, hint, True)
    if isinstance(ref, Subquery):
        return Diff("operation", P_WRAPPER, f"Missing the subquery `{shown}`.")
    return Diff("operation", P_WRAPPER, f"Missing `{shown}`: the reference has it.")


def extra_wrapper(att: Node, ref: Node) -> Diff:
    """The attempt wraps something the reference leaves bare."""
    shown = wrapper_text(att)
    if isinstance(att, Agg):
        hint = f"Extra aggregation `{shown}`: the reference does not aggregate here."
        return Diff("aggregation", P_AGG_EXTRA, hint)
    if isinstance(att, Call):
        hint = f"Extra `{shown}`: the reference does not use {att.func}() here."
        if isinstance(main_child(att), Matrix) and not isinstance(ref, Matrix):
            hint += " This metric is not a counter, so a rate of it means nothing."
            return Diff("function", P_CALL_RANGE_EXTRA, hint, True)
        return Diff(
            "function",
            P_WRAPPER if att.func in COSMETIC else P_CALL_MISSING,
            hint,
            att.func not in COSMETIC,
        )
    if _complement(att):
        hint = f"Extra `{shown}`: it turns the share into its complement."
        return Diff("operation", P_OPERATOR, hint, True)
    return Diff("operation", P_WRAPPER, f"Extra `{shown}`: the reference does not have it.")


# ---------------------------------------------------------------------------------------------
# Hints for queries built differently
# ---------------------------------------------------------------------------------------------


def _features(node: Node) -> set[str]:
    """Coarse ingredients of a query, for a similarity score among wrong answers."""
    out = set()
    for n in walk(node):
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


def similarity(ref: Node, att: Node) -> int:
    """A 0-20 score from how many ingredients the two queries share."""
    want, got = _features(ref), _features(att)
    union = want | got
    return round(20 * len(want & got) / len(union)) if union else 0


def general_hint(ref: Node) -> str:
    """A hint for a query built differently: what the reference is built from."""
    metrics: list[str] = []
    steps: list[str] = []
    labels: list[str] = []
    for n in walk(ref):
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
