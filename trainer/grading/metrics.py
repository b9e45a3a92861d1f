"""Grading "which metric?": the exact metric name, its label filters, and its alert threshold.

A metric is named when the answer spells it as a whole word (any case, spaced or not:
"throttled requests"), never as part of a longer name (`ReturnedItemCount` does not name
`ItemCount`). Naming a second known metric beside it is a hedge. A threshold must point the
same way with the same value in any unit ("> 0.1 s" is "> 100 ms"); the opposite direction is
wrong, because the alert would fire while all is well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from trainer.grading.quantities import Threshold, in_unit, parse_threshold, same_value, thresholds
from trainer.grading.result import Graded

NAME_SHARE = 70  # of 100 for the name; the threshold, when there is one, is the rest
TYPO_SHARE = 50
HEDGE_SCORE = 50
REVERSED_SCORE = 20
MAX_RUN = 8  # words that may spell one name ("successful request latency")
_WORD = re.compile(r"[A-Za-z0-9]+")
_MATCHER = re.compile(r"""([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!=|!~|=)\s*["']([^"']*)["']""")
# Words before a second name that set it apart rather than hedge: "UserErrors, not
# SystemErrors", "SystemErrors / SampleCount of SuccessfulRequestLatency".
_SET_APART = re.compile(
    r"(\bnot|\bno|\bexcluding|\bexcludes|\bexcept|\bunlike|\brather than|\binstead of|\bvs\.?"
    r"|\bversus|\bnor|/|\bdivided by|\bover|\bper|\bof|\bwith|\bagainst|\bcompare[ds]? (to|with))"
    r"\s*$",
    re.I,
)


class MetricItem(NamedTuple):
    """What a which-metric drill expects."""

    name: str  # the reference metric, possibly with PromQL label matchers
    accepted: tuple[str, ...] = ()  # other right names
    wrong: tuple[tuple[str, str, str], ...] = ()  # (name, hint, verdict) of known wrong ones
    threshold: str | None = None  # e.g. "> 100 ms (Q10)"
    others: tuple[str, ...] = ()  # every other metric name the bank knows (for hedges)


class _Hit(NamedTuple):
    name: str
    start: int
    end: int


def grade_metric(item: MetricItem, answer: str) -> Graded:
    """Grade a which-metric answer."""
    right_names = [_bare(item.name), *(_bare(a) for a in item.accepted)]
    wrong_names = {_bare(w[0]): w for w in item.wrong}
    known = set(right_names) | set(wrong_names) | {_bare(o) for o in item.others}
    hits = _named(answer, known)
    right = [h for h in hits if h.name in right_names]
    if not right:
        return _not_named(item, answer, hits, right_names, wrong_names, known)
    hints: list[str] = []
    others = [h for h in hits if h.name not in right_names and not _set_apart(answer, h)]
    if others:
        hint = (
            f"Name one metric: {others[0].name} is another one. "
            f"{_why_wrong(wrong_names, others[0].name)}"
        ).strip()
        return Graded("partial", HEDGE_SCORE, (hint,))
    score = NAME_SHARE if item.threshold else 100
    label_hint = _label_problem(item.name, answer)
    if label_hint:
        hints.append(label_hint)
        score -= 30
    return _with_threshold(item, answer, score, hints)


def _with_threshold(item: MetricItem, answer: str, score: int, hints: list[str]) -> Graded:
    """Add the threshold's share, or say what is wrong with the threshold given."""
    wanted = parse_threshold(item.threshold) if item.threshold else None
    if wanted is not None:
        outcome = _threshold_outcome(wanted, thresholds(answer))
        if outcome == "right":
            score += 100 - NAME_SHARE
        elif outcome == "reversed":
            hint = (
                f"The threshold points the wrong way: the alert is {item.threshold}, so yours "
                "would fire while all is well and stay quiet in trouble."
            )
            return Graded("wrong", REVERSED_SCORE, (hint, *hints))
        elif outcome == "missing":
            hints.append(f"Also give the alert threshold: {item.threshold}.")
        else:
            hints.append(f"The guide's alert threshold: {item.threshold}.")
    if score >= 100 and not hints:
        return Graded("correct", 100)
    return Graded("partial", max(30, min(80, score)), tuple(hints))


def _threshold_outcome(wanted: tuple[str | None, float, str], given: list[Threshold]) -> str:
    """right, reversed, value (a different value) or missing."""
    direction, value, unit = wanted
    if not given:
        return "missing"
    same_way = [t for t in given if not (t.direction and direction and t.direction != direction)]
    matches = [t for t in same_way if _same_threshold(t, direction, value, unit)]
    if matches:
        # Other numbers beside it are fine unless they are other thresholds the same way, in
        # the same dimension ("> 0 over 1 minute" has a window, not a second threshold).
        others = [t for t in same_way if t not in matches and t.direction and _readings(t, unit)]
        return "value" if others else "right"
    if len(same_way) < len(given):
        return "reversed"  # "< 100 ms": the alert would fire while all is well
    return "value"


def _same_threshold(threshold: Threshold, direction: str | None, value: float, unit: str) -> bool:
    """The same value, or for a count the same boundary: `>= 1` is `> 0`."""
    readings = _readings(threshold, unit)
    if any(same_value(v, value) for v in readings):
        return True
    step = 1 if direction == "up" else -1
    counting = threshold.quantity.dimension is None and float(value).is_integer()
    return counting and threshold.inclusive and any(same_value(v, value + step) for v in readings)


def _readings(threshold: Threshold, unit: str) -> list[float]:
    """The values a stated threshold may mean in the reference's unit."""
    readings = in_unit(threshold.quantity, unit)
    if unit == "%" and threshold.quantity.dimension is None and threshold.quantity.raw <= 1:
        readings = [*readings, threshold.quantity.raw * 100]  # 0.01 as a share is 1%
    return readings


def _not_named(item, answer, hits, right_names, wrong_names, known) -> Graded:
    """The answer does not name the metric: a known wrong one, a typo, or something else."""
    for hit in hits:
        if hit.name in wrong_names:
            _, hint, verdict = wrong_names[hit.name]
            if verdict == "partial":
                return Graded("partial", HEDGE_SCORE, (hint,))
            return Graded("wrong", 0, (hint,))
    typo = _typo(answer, right_names, known)
    if typo is not None:
        hint = f"Check the spelling: the metric is {typo} (names must be exact)."
        graded = _with_threshold(item, answer, TYPO_SHARE, [hint])
        return graded if graded.verdict == "wrong" else graded._replace(verdict="partial")
    if hits:
        return Graded("wrong", 0, (f"{hits[0].name} measures something else.",))
    return Graded("wrong", 0, ("That does not name the metric.",))


def _bare(name: str) -> str:
    """The metric name without label matchers."""
    return name.split("{")[0].strip()


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _named(answer: str, names: Iterable[str]) -> list[_Hit]:
    """Known names the answer spells as whole words, in order of appearance."""
    words = list(_WORD.finditer(answer))
    wanted = {_squash(n): n for n in names if _squash(n)}
    hits = []
    for i in range(len(words)):
        joined = ""
        for j in range(i, min(len(words), i + MAX_RUN)):
            joined += words[j].group().lower()
            if joined in wanted:
                hits.append(_Hit(wanted[joined], words[i].start(), words[j].end()))
    # A longer name wins over a shorter one inside it (ReadThrottleEvents, not ThrottleEvents).
    return [
        h for h in hits if not any(o != h and o.start <= h.start and h.end <= o.end for o in hits)
    ]


def _set_apart(answer: str, hit: _Hit) -> bool:
    """Whether the words before a second name set it apart instead of offering it too."""
    before = answer[max(0, hit.start - 30) : hit.start]
    return _SET_APART.search(before) is not None


def _why_wrong(wrong_names: dict, name: str) -> str:
    return wrong_names[name][1] if name in wrong_names else ""


def _typo(answer: str, right_names: list[str], known: set[str]) -> str | None:
    """The right name the answer seems to misspell (not another known metric)."""
    from rapidfuzz import fuzz  # ~25 ms to import: only for answers that name nothing known

    words = [w.group().lower() for w in _WORD.finditer(answer)]
    squashed_known = {_squash(k) for k in known}
    for name in right_names:
        target = _squash(name)
        for i in range(len(words)):
            joined = ""
            for j in range(i, min(len(words), i + MAX_RUN)):
                joined += words[j]
                if len(joined) > len(target) + 3:
                    break
                if joined in squashed_known:
                    continue
                if len(target) >= 6 and fuzz.ratio(joined, target) >= 88:
                    return name
    return None


def _label_problem(reference: str, answer: str) -> str | None:
    """A hint when the answer filters on another label value than the prompt asks for."""
    wanted = _MATCHER.findall(reference)
    given = {label: (op, value) for label, op, value in _MATCHER.findall(answer)}
    for label, _, value in wanted:
        if label in given:
            got = given[label][1]
            if got == value:
                continue
            if got.lower() == value.lower():
                return f'Label values are case-sensitive: {label}="{value}", not "{got}".'
            return f'The prompt asks for {label}="{value}", not "{got}".'
        if value.lower() not in answer.lower():
            return f'Filter on {label}="{value}": the prompt asks for that one.'
    return None
