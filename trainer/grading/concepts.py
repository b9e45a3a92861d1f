"""The concept grader: which rubric points an answer covers, and where.

A rubric point is credited when any of its phrases appears in the answer: all of the phrase's
content words, in any order, within a few words of each other, each equal up to a typo or an
inflection (short and numeric terms must match exactly, as whole words). The score is the
weighted share of points covered, less a penalty per red flag stated (and not negated).
Cards without a rubric are graded against points derived from their model answer.
"""

import re
from itertools import product
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

from trainer.content.models import Card, RubricPoint
from trainer.grading.text import (
    STOP_WORDS,
    Aliases,
    aliases_for,
    is_exact_only,
    similar,
    stem,
    terms,
    words,
)

MAX_ANSWER_CHARS = 20_000
RED_FLAG_PENALTY = 25
# Interviewers mark down a bare list of the right keywords: below this many words per point
# covered, the score is scaled down (to at most KEYWORD_LIST_FLOOR of itself).
WORDS_PER_POINT = 6
KEYWORD_LIST_FLOOR = 0.7
KEYWORD_LIST_NOTE = (
    "Mostly keywords: an interviewer wants to hear how and why, so a bare list scores lower."
)
EXTRA_WINDOW = 2  # words allowed between a phrase's words ("increase the provisioned capacity")
NEGATIONS = frozenset(
    "not never no don dont didn doesn avoid without instead rather shouldn wouldn won t nt "
    "against".split()
)
# After a claim: "deleting the table is a bad idea", "restarting pods won't help" (n't -> "t").
NEGATIONS_AFTER = frozenset(
    "bad wrong mistake dangerous never not t doesn won isn cannot useless pointless harmful "
    "no".split()
)
# Words too general to make a derived point on their own.
GENERIC = frozenset(
    "implement use using check ensure regular regularly proper appropriate monitor add set "
    "review based if not first then also need needed make sure do".split()
)
DERIVED_NOTE = "This card has no rubric: graded against points derived from its model answer."


class AnswerError(ValueError):
    """An answer that cannot be graded (empty, or too long)."""


class PointResult(NamedTuple):
    text: str
    weight: int
    matched: bool
    phrase: str | None = None
    span: tuple[int, int] | None = None  # characters of the answer that matched


class RedFlagHit(NamedTuple):
    claim: str
    phrase: str
    span: tuple[int, int]


class GradeResult(NamedTuple):
    card_id: str
    score: int
    points: tuple[PointResult, ...]
    red_flags: tuple[RedFlagHit, ...] = ()
    derived: bool = False
    notes: tuple[str, ...] = ()

    @property
    def matched(self) -> list[PointResult]:
        return [p for p in self.points if p.matched]

    @property
    def missed(self) -> list[PointResult]:
        return [p for p in self.points if not p.matched]

    def to_json(self) -> dict:
        return {
            "card": self.card_id,
            "score": self.score,
            "matched": [
                {
                    "point": p.text,
                    "weight": p.weight,
                    "phrase": p.phrase,
                    "span": list(p.span or ()),
                }
                for p in self.matched
            ],
            "missed": [{"point": p.text, "weight": p.weight} for p in self.missed],
            "red_flags": [
                {"claim": f.claim, "phrase": f.phrase, "span": list(f.span)} for f in self.red_flags
            ],
            "derived_rubric": self.derived,
        }


class _Phrase(NamedTuple):
    text: str
    stems: tuple[str, ...]
    need: int  # how many of the stems must be present (all, except for derived points)
    exact: bool = False  # joined forms ("autoscaling" from "auto scaling") never match fuzzily


class _Point(NamedTuple):
    text: str
    weight: int
    phrases: tuple[_Phrase, ...]


class _Answer:
    """An answer's terms, indexed for phrase look-ups (exact, fuzzy and joined words)."""

    def __init__(self, text: str, aliases: Aliases):
        self.text = text
        self.terms = terms(text, aliases)
        self.positions: dict[str, list[tuple[int, int, int]]] = {}  # stem -> (pos, start, end)
        # A sentence break puts a gap in the positions, so a phrase never spans two sentences.
        self.spots: list[int] = []
        spot = 0
        for i, term in enumerate(self.terms):
            if i and _SENTENCE_BREAK.search(text, self.terms[i - 1].end, term.start):
                spot += EXTRA_WINDOW + 8
            self.spots.append(spot)
            self.positions.setdefault(term.stem, []).append((spot, term.start, term.end))
            spot += 1
        self._long = [s for s in self.positions if not is_exact_only(s)]
        # "autoscaling" typed as "auto scaling" still meets the one-word phrase (exactly only:
        # fuzzy matching on joined pairs would find "exponential" in "add exponetial").
        self._joined: dict[str, list[tuple[int, int, int]]] = {}
        for i in range(len(self.terms) - 1):
            a, b = self.terms[i], self.terms[i + 1]
            joined = stem(a.stem + b.stem)
            if len(joined) > 5 and self.spots[i + 1] == self.spots[i] + 1:
                self._joined.setdefault(joined, []).append((self.spots[i], a.start, b.end))
        self._cache: dict[str, list[tuple[int, int, int]]] = {}

    def find(self, wanted: str, fuzzy: bool = True) -> list[tuple[int, int, int]]:
        """Where a stem occurs: exactly, or (when fuzzy) up to a typo."""
        key = wanted if fuzzy else "=" + wanted
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        found = list(self.positions.get(wanted, ())) + self._joined.get(wanted, [])
        if fuzzy and not is_exact_only(wanted) and len(wanted) >= 5:
            for candidate, _, _ in process.extract(
                wanted, self._long, scorer=fuzz.ratio, score_cutoff=80, limit=None
            ):
                if candidate != wanted and similar(wanted, candidate):
                    found.extend(self.positions[candidate])
        found.sort()
        self._cache[key] = found
        return found

    def match(self, phrase: _Phrase) -> tuple[int, int] | None:
        """The character span where the phrase occurs, or None."""
        hits = [self.find(s, not phrase.exact) for s in phrase.stems]
        if phrase.need < len(phrase.stems):  # derived: enough of the words, anywhere
            present = [h[0] for h in hits if h]
            if len(present) < phrase.need:
                return None
            return min(p[1] for p in present), max(p[2] for p in present)
        if not all(hits):
            return None
        if len(hits) == 1:
            return hits[0][0][1], hits[0][0][2]
        window = len(hits) + EXTRA_WINDOW
        hits.sort(key=len)
        for anchor in hits[0]:
            near = [[h for h in others if abs(h[0] - anchor[0]) < window] for others in hits[1:]]
            if not all(near):
                continue
            for combo in product(*(n[:6] for n in near)):  # a few places per word suffice
                chosen = (anchor, *combo)
                spots = {c[0] for c in chosen}
                if len(spots) == len(chosen) and max(spots) - min(spots) < window:
                    return min(c[1] for c in chosen), max(c[2] for c in chosen)
        return None


def _compile_phrase(text: str, aliases: Aliases, need_share: float = 1.0) -> _Phrase | None:
    stems = tuple(t.stem for t in terms(text, aliases))
    if not stems:
        return None
    need = len(stems) if need_share >= 1 else max(1, round(len(stems) * need_share + 0.01))
    return _Phrase(text, stems, need)


def _compile_points(points: tuple[RubricPoint, ...], aliases: Aliases) -> tuple[_Point, ...]:
    out = []
    for point in points:
        phrases = [p for p in (_compile_phrase(t, aliases) for t in point.phrases) if p]
        # "auto scaling" in a rubric still finds "autoscaling" in an answer.
        phrases += [
            _Phrase(p.text, (stem("".join(p.stems)),), 1, exact=True)
            for p in phrases
            if len(p.stems) == 2 and not any(is_exact_only(s) for s in p.stems)
        ]
        out.append(_Point(point.text, point.weight, tuple(phrases)))
    return tuple(out)


_SENTENCE_BREAK = re.compile(r"[.!?;:](?=\s)|\n")
_CLAUSE = re.compile(r"[.;:,\n()]+|\s[-–—]\s|\band\b")


def derive_points(model_answer: str) -> tuple[RubricPoint, ...]:
    """Rubric points for a card without one: the model answer's clauses, weight 1 each."""
    points = []
    for clause in _CLAUSE.split(model_answer):
        clause = clause.strip(" \"'*`")
        content = [w for w, _, _ in words(clause) if w not in STOP_WORDS and w not in GENERIC]
        if len(content) >= 1 and len(clause) >= 4:
            points.append(RubricPoint(clause, 1, (" ".join(content),)))
    return tuple(points[:12])


_COMPILED: dict[tuple[Card, int], tuple] = {}


def _compiled(card: Card, aliases: Aliases) -> tuple[tuple[_Point, ...], tuple, bool]:
    key = (card, id(aliases))
    cached = _COMPILED.get(key)
    if cached is None:
        if len(_COMPILED) > 4096:
            _COMPILED.clear()
        cached = _COMPILED[key] = _compile_card(card, aliases)
    return cached


def _compile_card(card: Card, aliases: Aliases) -> tuple[tuple[_Point, ...], tuple, bool]:
    derived = not card.rubric
    if derived:
        # A derived point is its clause's content words; half of them, anywhere, credit it.
        points = tuple(
            _Point(
                p.text, p.weight, tuple(filter(None, [_compile_phrase(p.phrases[0], aliases, 0.5)]))
            )
            for p in derive_points(card.answer)
        )
    else:
        points = _compile_points(card.rubric, aliases)
    flags = tuple(
        (flag.claim, tuple(p for p in (_compile_phrase(t, aliases) for t in flag.phrases) if p))
        for flag in card.red_flags
    )
    return points, flags, derived


_JOINED_BEFORE = re.compile(r"[^\W_]+[-/]$")


def _widen(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Include a hyphen-joined stop word in the span: "on-demand", not "demand"."""
    head = _JOINED_BEFORE.search(text, max(0, span[0] - 12), span[0])
    return (head.start(), span[1]) if head else span


def _negated(answer: _Answer, span: tuple[int, int]) -> bool:
    before = [w for w, _, e in words(answer.text[max(0, span[0] - 60) : span[0]])][-4:]
    after = [w for w, _, _ in words(answer.text[span[1] : span[1] + 40])][:4]
    return bool(NEGATIONS.intersection(before) or NEGATIONS_AFTER.intersection(after))


_DEFAULT_ALIASES: Aliases | None = None


def default_aliases() -> Aliases:
    """The built-in alias table (question_bank/aliases.yaml), loaded once."""
    global _DEFAULT_ALIASES
    if _DEFAULT_ALIASES is None:
        from trainer import paths
        from trainer.content.loader import load_files

        bank = load_files([Path(paths.question_bank_dir()) / "aliases.yaml"])
        _DEFAULT_ALIASES = aliases_for(bank.aliases)
    return _DEFAULT_ALIASES


def check_answer(answer: str) -> str:
    """The answer if it can be graded; AnswerError with a clear reason otherwise."""
    if not isinstance(answer, str) or not answer.strip():
        raise AnswerError("the answer is empty: type what you would say to the interviewer")
    if len(answer) > MAX_ANSWER_CHARS:
        raise AnswerError(
            f"the answer is {len(answer):,} characters; the limit is {MAX_ANSWER_CHARS:,} "
            "(a spoken interview answer is far shorter)"
        )
    return answer


def grade(card: Card, answer: str, aliases: Aliases | None = None) -> GradeResult:
    """Score an answer 0-100 against the card's rubric (or its model answer's points)."""
    check_answer(answer)
    aliases = aliases if aliases is not None else default_aliases()
    points, flags, derived = _compiled(card, aliases)
    parsed = _Answer(answer, aliases)

    results = []
    for point in points:
        for phrase in point.phrases:
            span = parsed.match(phrase)
            if span is not None:
                span = _widen(answer, span)
                results.append(PointResult(point.text, point.weight, True, phrase.text, span))
                break
        else:
            results.append(PointResult(point.text, point.weight, False))

    hits = []
    for claim, phrases in flags:
        for phrase in phrases:
            span = parsed.match(phrase)
            if span is not None and not _negated(parsed, span):
                hits.append(RedFlagHit(claim, phrase.text, span))
                break

    total = sum(p.weight for p in results) or 1
    covered = sum(p.weight for p in results if p.matched)
    notes = [DERIVED_NOTE] if derived else []
    coverage = 100 * covered / total
    matched_count = sum(1 for p in results if p.matched)
    words_per_point = len(words(answer)) / max(1, matched_count)
    if matched_count and words_per_point < WORDS_PER_POINT:
        coverage *= max(KEYWORD_LIST_FLOOR, words_per_point / WORDS_PER_POINT)
        notes.append(KEYWORD_LIST_NOTE)
    score = round(coverage) - RED_FLAG_PENALTY * len(hits)
    return GradeResult(
        card.id, max(0, min(100, score)), tuple(results), tuple(hits), derived, tuple(notes)
    )
