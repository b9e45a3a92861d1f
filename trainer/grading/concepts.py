"""The concept grader: which rubric points an answer claims, and how well it explains them.

A rubric phrase occurs when all its content words stand, in any order, within a few words of
each other, each equal up to a typo or an inflection (short and numeric terms exactly, whole).
Every occurrence is then read for its stance (trainer.grading.stance): a point is credited only
by an affirmed mention; one argued against ("never roll back", "DAX is overkill") earns nothing
and is reported. A mention with nothing around it but filler (a keyword list, "I would also use
X there.") earns part of the weight: full credit needs the what or the why. A red flag fires
when any occurrence recommends the anti-pattern, also conditionally; rejecting it never does.
The score is the weighted share of credit, less a penalty per red flag.
Cards without a rubric are graded against points derived from their model answer.
"""

import re
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import NamedTuple

from trainer.content.models import Card, RedFlag, RubricPoint
from trainer.grading.normalize import mostly_not_english, normalize
from trainer.grading.stance import (
    COPULAS,
    UNINFORMATIVE,
    Stance,
    likened_only,
    praise_only,
    unit_information,
)
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
BARE_CREDIT = 0.4  # share of a point's weight earned by a bare term
NEGATING_STEMS = ("not", "non", "no")  # as `terms` stems them ("never" -> "not")
GIST_CREDIT = 0.5  # ... by its gist, without the specifics ("add retries"); times the above
# An interviewer marks an answer that explains one idea of the rubric and names one or two
# more, explains two in sentences of their own, or explains three, at least a "Hard" (40),
# however many points the rubric has.
PARTIAL_FLOOR = 40
# ... and keeps the top band (90+) for answers that go into each point: one that covers the
# rubric in fewer informative words (not stop words, filler or praise, which padding adds)
# than this per point is a good answer, not an excellent one (on the graded sets, such answers
# were graded 9-10 by interviewers about 1 time in 5).
DEPTH_WORDS_PER_POINT = 11
BRIEF_CAP = 89
LIST_COMMAS = 4  # ... and a sentence with this many commas, one a word in three, is a list
KEYWORD_LIST_NOTE = (
    "Mostly keywords: an interviewer wants to hear how and why, so bare terms earn part of "
    "their points."
)
NOT_ENGLISH_NOTE = (
    "This answer seems not to be in English: the rubrics are English, so it was not graded on "
    "its loan words. Answer in English to be scored."
)
PARTIAL_NOTE = (
    "A partial answer: one idea explained and others named (or two or three explained) earns "
    f"at least {PARTIAL_FLOOR}, whatever share of the rubric it covers."
)
BRIEF_NOTE = (
    f"A strong answer, but brief: {BRIEF_CAP + 1}+ is for answers that go into the how and why "
    "of each point, as an excellent interview answer does."
)
ARGUED_NOTE = "You argued against: {point}"
MIXED_NOTE = "You argued both for and against: {point}"
ARGUED_PREFIX = ARGUED_NOTE.split("{")[0]  # what the notes of each kind start with
MIXED_PREFIX = MIXED_NOTE.split("{")[0]
PADDED_UNITS = 3  # units in one frame around their terms: padding, not explanation
EXTRA_WINDOW = 2  # words allowed between a phrase's words ("increase the provisioned capacity")
SPECIFICS_GAP_CHARS = 40  # between a point's phrase and the example or means that follows
_INTRODUCES_SPECIFICS = re.compile(
    r"[(:]|\b(?:like|such as|e\.g|eg|for example|including|especially|via|with|using|through|"
    r"by)\b",
    re.IGNORECASE,
)
MAX_OCCURRENCES = 12  # of one phrase: enough to see every stance, bounded for long answers
# Verdicts on worth: in a unit with one, the question's own words explain nothing.
EVALUATIVE = frozenset(
    "important key essential critical vital crucial useful helpful relevant good great "
    "necessary matter matters priority best".split()
)
# Words too general to make a derived point on their own.
GENERIC = frozenset(
    "implement use using check ensure regular regularly proper appropriate monitor add set "
    "review based if not first then also need needed make sure do".split()
)
DERIVED_NOTE = "This card has no rubric: graded against points derived from its model answer."
DRAFT_NOTE = (
    "This card's rubric is an unreviewed draft derived from its model answer: graded loosely, "
    "as points derived from the answer."
)


class AnswerError(ValueError):
    """An answer that cannot be graded (empty, or too long)."""


class PointResult(NamedTuple):
    text: str
    weight: int
    matched: bool  # credited, fully or in part
    phrase: str | None = None
    span: tuple[int, int] | None = None  # characters of the answer that matched
    status: str = "missed"  # full | partial (a bare term) | argued-against | missed
    credit: float = 0.0  # share of the weight earned
    sentence: int = -1  # of the answer, where the credited mention stands


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

    @property
    def argued_against(self) -> list[PointResult]:
        return [p for p in self.points if p.status == "argued-against"]

    def to_json(self) -> dict:
        return {
            "card": self.card_id,
            "score": self.score,
            "matched": [
                {
                    "point": p.text,
                    "weight": p.weight,
                    "phrase": p.phrase,
                    "span": list(p.span) if p.span else None,
                    "status": p.status,
                }
                for p in self.matched
            ],
            "missed": [
                {"point": p.text, "weight": p.weight, "status": p.status} for p in self.missed
            ],
            "points": [
                {
                    "point": p.text,
                    "weight": p.weight,
                    "status": p.status,
                    "credit": round(p.credit, 2),
                    "phrase": p.phrase,
                    "span": list(p.span) if p.span else None,
                }
                for p in self.points
            ],
            "red_flags": [
                {"claim": f.claim, "phrase": f.phrase, "span": list(f.span)} for f in self.red_flags
            ],
            "derived_rubric": self.derived,
            "notes": list(self.notes),
        }


# Rubric phrases led by one of these ("rather than two phase commit", "avoid hot keys") keep
# that word first: "2PC rather than sagas" says the opposite.
_LEADING_TRIGGERS = frozenset(
    stem(w) for w in "not avoid skip instead rather stop disable prevent block".split()
)  # compared with stems; "never", "no" and "without" are read as "not"


class _Phrase(NamedTuple):
    text: str
    stems: tuple[str, ...]
    need: int  # how many of the stems must be present (all, except for derived points)
    exact: bool = False  # joined forms ("autoscaling" from "auto scaling") never match fuzzily
    leading: bool = False  # the first word must come first (a trigger: "avoid hot keys")
    # For ruling the phrase out with one set test: the stems that must occur as they are, and
    # the first two letters of those a typo may change (see _Answer.find); none for a derived
    # point's phrase, whose words need not all be there.
    needed: frozenset[str] = frozenset()


def _phrase(text: str, stems: tuple[str, ...], need: int, exact: bool = False) -> _Phrase:
    fuzzy = {s for s in stems if not exact and len(s) >= 5 and s.isalpha()}
    needed = (set(stems) - fuzzy) | {s[:2] for s in fuzzy} if need >= len(stems) else set()
    leading = len(stems) > 1 and stems[0] in _LEADING_TRIGGERS
    return _Phrase(text, stems, need, exact, leading, frozenset(needed))


class _Point(NamedTuple):
    text: str
    weight: int
    phrases: tuple[_Phrase, ...]
    gist: tuple[_Phrase, ...] = ()


class _Answer:
    """An answer's terms, indexed for phrase look-ups (exact, fuzzy and joined words)."""

    def __init__(
        self,
        text: str,
        aliases: Aliases,
        found_words: list[tuple[str, int, int]] | None = None,
        stance: Stance | None = None,
    ):
        self.text = text
        self.terms = terms(text, aliases, found_words, stance.stems if stance else None)
        self.positions: dict[str, list[tuple[int, int, int]]] = {}  # stem -> (pos, start, end)
        # A sentence break puts a gap in the positions, so a phrase never spans two sentences
        # (the stance's sentences: a line wrapped inside a sentence is not a break).
        self.spots: list[int] = []
        spot = 0
        sentences = stance.sentences_at([t.start for t in self.terms]) if stance else None
        for i, term in enumerate(self.terms):
            gap_start = self.terms[i - 1].end if i else 0
            if i and (
                sentences[i] != sentences[i - 1]
                if sentences is not None
                else (term.start - gap_start > 1 or text[gap_start] != " ")
                and _SENTENCE_BREAK.search(text, gap_start, term.start)
            ):
                spot += EXTRA_WINDOW + 8
            self.spots.append(spot)
            self.positions.setdefault(term.stem, []).append((spot, term.start, term.end))
            spot += 1
        self._by_prefix: dict[str, list[str]] = {}
        for known in self.positions:
            if not is_exact_only(known):
                self._by_prefix.setdefault(known[:2], []).append(known)
        # "autoscaling" typed as "auto scaling" still meets the one-word phrase (exactly only:
        # fuzzy matching on joined pairs would find "exponential" in "add exponetial").
        self._joined: dict[str, list[tuple[int, int, int]]] = {}
        for i in range(len(self.terms) - 1):
            a, b = self.terms[i], self.terms[i + 1]
            joined = stem(a.stem + b.stem)
            if len(joined) > 5 and self.spots[i + 1] == self.spots[i] + 1:
                self._joined.setdefault(joined, []).append((self.spots[i], a.start, b.end))
        self._cache: dict[str, list[tuple[int, int, int]]] = {}
        # Every stem, and the first two letters of those a typo may change: a phrase's
        # `needed` must all be among them (a head that equals a short stem only lets a phrase
        # through to the full look-up).
        self.known = set(self.positions).union(
            self._joined, self._by_prefix, (k[:2] for k in self._joined)
        )

    def could_hold(self, phrase: _Phrase) -> bool:
        """False when a word the phrase needs cannot be in the answer, even up to a typo:
        most phrases are absent, and one set test rules them out before any look-up."""
        return phrase.needed <= self.known

    def find(self, wanted: str, fuzzy: bool = True) -> list[tuple[int, int, int]]:
        """Where a stem occurs: exactly, or (when fuzzy) up to a typo."""
        key = wanted if fuzzy else "=" + wanted
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        found = list(self.positions.get(wanted, ())) + self._joined.get(wanted, [])
        size = len(wanted)
        if fuzzy and size >= 5 and wanted.isalpha():
            # A typo keeps a word's first two letters (`similar` requires them) and most of
            # its length (a similarity of 0.8 needs the shorter to be 2/3 of the longer), so
            # only the answer's words that start alike and are about as long are compared.
            for candidate in self._by_prefix.get(wanted[:2], ()):
                other = len(candidate)
                if (
                    candidate != wanted
                    and 3 * min(size, other) >= 2 * max(size, other)
                    and similar(wanted, candidate)
                ):
                    found.extend(self.positions[candidate])
        found.sort()
        self._cache[key] = found
        return found

    def match_all(
        self, phrase: _Phrase, limit: int = MAX_OCCURRENCES
    ) -> list[tuple[tuple[int, int], tuple[int, ...]]]:
        """Every place the phrase occurs: (character span, starts of the matched words),
        non-overlapping, in text order."""
        if not self.could_hold(phrase):
            return []
        cache = self._cache
        every = phrase.need >= len(phrase.stems)
        hits: list[list[tuple[int, int, int]]] = []
        for wanted in phrase.stems:
            places = cache.get(wanted if not phrase.exact else "=" + wanted)
            if places is None:
                places = self.find(wanted, not phrase.exact)
            if not places and every:
                return []  # a word missing: no need to look for the others
            hits.append(places)
        if not every:  # derived: enough of the words, anywhere
            present = [h[0] for h in hits if h]
            if len(present) < phrase.need:
                return []
            span = min(p[1] for p in present), max(p[2] for p in present)
            return [(span, tuple(sorted(p[1] for p in present)))]
        if len(hits) == 1:
            return [((h[1], h[2]), (h[1],)) for h in hits[0][:limit]]
        window = len(hits) + EXTRA_WINDOW
        order = sorted(range(len(hits)), key=lambda k: len(hits[k]))
        leading = order.index(0)  # where the phrase's first word lands among `chosen`
        hits = [hits[k] for k in order]
        # A phrase that says "not" is not met by a double negative: "not run as root" is the
        # opposite of "never bother running as non-root".
        negators = (
            [p[0] for w in NEGATING_STEMS for p in self.positions.get(w, ())]
            if "not" in phrase.stems
            else []
        )
        found: list[tuple[tuple[int, int], tuple[int, ...]]] = []
        for anchor in hits[0]:
            near = [[h for h in others if abs(h[0] - anchor[0]) < window] for others in hits[1:]]
            if not all(near):
                continue
            for combo in product(*(n[:6] for n in near)):  # a few places per word suffice
                chosen = (anchor, *combo)
                spots = {c[0] for c in chosen}
                if len(spots) == len(chosen) and max(spots) - min(spots) < window:
                    if phrase.leading and chosen[leading][0] != min(spots):
                        continue
                    if any(min(spots) < n < max(spots) and n not in spots for n in negators):
                        continue
                    span = min(c[1] for c in chosen), max(c[2] for c in chosen)
                    if any(a < span[1] and span[0] < b for (a, b), _ in found):
                        continue  # words an earlier occurrence took: try the next ones
                    found.append((span, tuple(sorted(c[1] for c in chosen))))
                    break
            if len(found) >= limit:
                break
        return sorted(found)


def _compile_phrase(text: str, aliases: Aliases, need_share: float = 1.0) -> _Phrase | None:
    stems = tuple(t.stem for t in terms(normalize(text).text, aliases))
    if not stems:
        return None
    need = len(stems) if need_share >= 1 else max(1, round(len(stems) * need_share + 0.01))
    return _phrase(text, stems, need)


def _compile_texts(texts: tuple[str, ...], aliases: Aliases) -> tuple[_Phrase, ...]:
    phrases = [p for p in (_compile_phrase(t, aliases) for t in texts) if p]
    # "auto scaling" in a rubric still finds "autoscaling" in an answer.
    phrases += [
        _phrase(p.text, (stem("".join(p.stems)),), 1, exact=True)
        for p in phrases
        if len(p.stems) == 2 and not any(is_exact_only(s) for s in p.stems)
    ]
    return tuple(phrases)


def _compile_points(points: tuple[RubricPoint, ...], aliases: Aliases) -> tuple[_Point, ...]:
    return tuple(
        _Point(
            point.text,
            point.weight,
            _compile_texts(point.phrases, aliases),
            _compile_texts(point.gist, aliases),
        )
        for point in points
    )


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


_COMPILED: dict[tuple[Card, int, int], tuple] = {}


def _compiled(
    card: Card, aliases: Aliases, every_card: tuple[RedFlag, ...]
) -> tuple[tuple[_Point, ...], tuple, bool]:
    key = (card, id(aliases), id(every_card))
    cached = _COMPILED.get(key)
    if cached is None:
        if len(_COMPILED) > 4096:
            _COMPILED.clear()
        cached = _COMPILED[key] = _compile_card(card, aliases, every_card)
    return cached


def _compile_card(
    card: Card, aliases: Aliases, every_card: tuple[RedFlag, ...] = ()
) -> tuple[tuple[_Point, ...], tuple, bool]:
    derived = not card.rubric or card.rubric_draft
    if derived:
        # A derived point is its clause's content words; half of them, anywhere, credit it. A
        # draft rubric (`import` writes one from the answer) is read the same way.
        source = card.rubric if card.rubric else derive_points(card.answer)
        points = tuple(
            _Point(
                p.text,
                p.weight,
                tuple(filter(None, (_compile_phrase(t, aliases, 0.5) for t in p.phrases))),
            )
            for p in source
        )
    else:
        points = _compile_points(card.rubric, aliases)
    own = {flag.claim for flag in card.red_flags}
    every = [f for f in every_card if f.claim not in own]
    flags = tuple(
        (flag.claim, tuple(p for p in (_compile_phrase(t, aliases) for t in flag.phrases) if p))
        for flag in (*card.red_flags, *every)
    )
    return points, flags, derived


_JOINED_BEFORE = re.compile(r"[^\W_]+[-/]$")


def _widen(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Include a hyphen-joined stop word in the span: "on-demand", not "demand"."""
    head = _JOINED_BEFORE.search(text, max(0, span[0] - 12), span[0])
    return (head.start(), span[1]) if head else span


_DEFAULT_ALIASES: Aliases | None = None
_UNIVERSAL_FLAGS: tuple[RedFlag, ...] | None = None


def universal_red_flags() -> tuple[RedFlag, ...]:
    """The red flags on every card (question_bank/red_flags.yaml), loaded once: disabling
    authentication or baking a key into an image is marked down whatever the question."""
    global _UNIVERSAL_FLAGS
    if _UNIVERSAL_FLAGS is None:
        from trainer import paths
        from trainer.content.loader import load_files

        bank = load_files([Path(paths.question_bank_dir()) / "red_flags.yaml"])
        _UNIVERSAL_FLAGS = tuple(bank.red_flags)
    return _UNIVERSAL_FLAGS


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


class _Mention(NamedTuple):
    span: tuple[int, int]  # in the normalized text
    phrase: str
    stance: str  # affirmed | negated | qualified
    unit: int
    words: int = 1  # how many words of the phrase it matched
    gist: bool = False  # a gist phrase: the idea without its specifics


def grade(
    card: Card,
    answer: str,
    aliases: Aliases | None = None,
    explained: bool = True,
    every_card_flags: tuple[RedFlag, ...] | None = None,
    depth: bool = True,
) -> GradeResult:
    """Score an answer 0-100 against the card's rubric (or its model answer's points).
    With `explained=False` a bare mention earns the whole point: for answers that are rightly
    a short description (what a query measures), not an interview answer. With `depth`, a
    complete answer too brief for its rubric scores at most BRIEF_CAP (off for texts that are
    rightly short: a root cause, a follow-up). The red flags on every card are the bank's
    (`Bank.red_flags`), else read from the built-in file."""
    check_answer(answer)
    aliases = aliases if aliases is not None else default_aliases()
    if every_card_flags is None:
        every_card_flags = universal_red_flags()
    points, flags, derived = _compiled(card, aliases, every_card_flags)
    folded = normalize(answer)
    notes = [DRAFT_NOTE if card.rubric_draft and card.rubric else DERIVED_NOTE] if derived else []
    if mostly_not_english(folded.text):
        missed = tuple(PointResult(p.text, p.weight, False) for p in points)
        return GradeResult(card.id, 0, missed, (), derived, (*notes, NOT_ENGLISH_NOTE))
    found_words = words(folded.text)
    stance = Stance(folded.text, found_words)
    parsed = _Answer(folded.text, aliases, found_words, stance)

    could_hold = parsed.could_hold

    def mentions_of(phrases: tuple[_Phrase, ...], gist: bool = False) -> list[_Mention]:
        found = []
        for phrase in phrases:
            if not could_hold(phrase):  # most phrases are absent: skip the look-up's set-up
                continue
            for span, starts in parsed.match_all(phrase):
                stance_of = stance.polarity(span[0], span[1], starts)
                unit = stance.unit_at(span[0])
                found.append(_Mention(span, phrase.text, stance_of, unit, len(starts), gist))
        return sorted(found)

    def point_mentions(point: _Point) -> list[_Mention]:
        # The gist counts only where the point's own phrases are not said at all: "retry with
        # backoff, not blind retries" is not taken back by its "not ... retries".
        own = mentions_of(point.phrases)
        return own if own or not point.gist else mentions_of(point.gist, gist=True)

    by_point = _others_own([_standing(point_mentions(point)) for point in points])
    quality = _explained(stance, by_point, _roots(card.question))

    results = []
    for point, (affirmed, negated) in zip(points, by_point, strict=True):
        if not affirmed:
            status = "argued-against" if negated else "missed"
            results.append(PointResult(point.text, point.weight, False, status=status))
            continue
        # What the candidate ends up claiming wins: "there was no circuit breaker, so we added
        # one" affirms it; a claim taken back in a later sentence is argued against; said and
        # unsaid in one breath is a contradiction that earns part of the weight at most.
        last_negated = max((m.span[0] for m in negated), default=-1)
        final = [m for m in affirmed if m.span[0] > last_negated]
        if negated and not final and _retracted(stance, affirmed, negated):
            results.append(PointResult(point.text, point.weight, False, status="argued-against"))
            continue
        contradicted = bool(negated) and not final

        # The best-credited mention stands: explained beats bare, the specifics the gist.
        earned, _, mention = max(
            (
                (
                    1.0
                    if (derived or not explained or quality[m.span]) and not contradicted
                    else BARE_CREDIT
                )
                * (GIST_CREDIT if m.gist else 1.0),
                -m.span[0],
                m,
            )
            for m in final or affirmed
        )
        if contradicted:
            notes.append(MIXED_NOTE.format(point=point.text))
        span = _widen(answer, folded.span(*mention.span))
        results.append(
            PointResult(
                point.text,
                point.weight,
                True,
                mention.phrase,
                span,
                "full" if earned == 1.0 else "partial",
                earned,
                stance.sentence_at(mention.span[0]),
            )
        )

    hits = []
    charged: list[tuple[int, int]] = []
    for claim, phrases in flags:
        # One statement is charged once: a card's own flag and an every-card one may both
        # describe "turn the alerts off".
        stated = next(
            (
                m
                for m in mentions_of(phrases)
                if m.stance == "affirmed"
                and not stance.shares_negation(m.span[0])
                and not any(a < m.span[1] and m.span[0] < b for a, b in charged)
            ),
            None,
        )
        if stated is not None:
            charged.append(stated.span)
            hits.append(RedFlagHit(claim, stated.phrase, folded.span(*stated.span)))

    bare = [p for p in results if 0 < p.credit <= BARE_CREDIT]
    bare_weight = sum(p.weight for p in bare)
    if len(bare) >= 2 and bare_weight * 2 > sum(p.weight for p in results if p.matched):
        notes.append(KEYWORD_LIST_NOTE)
    notes += [ARGUED_NOTE.format(point=p.text) for p in results if p.status == "argued-against"]
    score = score_of(results, len(hits), argued_both_ways(notes))
    if score == PARTIAL_FLOOR and score > score_of(results, len(hits), floor=False):
        notes.append(PARTIAL_NOTE)
    if depth and explained and score > BRIEF_CAP and _brief(stance, len(points)):
        score = BRIEF_CAP
        notes.append(BRIEF_NOTE)
    return GradeResult(
        card.id,
        score,
        tuple(results),
        tuple(hits),
        derived,
        tuple(notes),
    )


def score_of(
    points: list[PointResult] | tuple[PointResult, ...],
    red_flags: int,
    mixed: bool = False,
    floor: bool = True,
) -> int:
    """The 0-100 score: the weighted share of credit, less the red flags' penalty; a partial
    answer (see PARTIAL_FLOOR) with no red flag, that argues no point against or both ways,
    scores at least the floor."""
    total = sum(p.weight for p in points) or 1
    share = round(100 * sum(p.weight * p.credit for p in points) / total)
    if floor and not red_flags and not mixed and _partial_answer(points):
        share = max(share, PARTIAL_FLOOR)
    return max(0, min(100, share - RED_FLAG_PENALTY * red_flags))


def _brief(stance: Stance, points: int) -> bool:
    """Fewer informative words than depth asks of a rubric this size (see BRIEF_CAP); a
    sentence that is mostly a list of names ("I have used Kubernetes, Docker, Helm, ...") adds
    none."""
    said = 0
    for tokens in stance.unit_words().values():
        commas = stance.text.count(",", tokens[0].start, tokens[-1].end)
        if commas >= LIST_COMMAS and commas * 3 >= len(tokens):
            continue
        said += sum(len(t.word) > 1 and t.word not in UNINFORMATIVE for t in tokens)
    return said < DEPTH_WORDS_PER_POINT * points


def argued_both_ways(notes: tuple[str, ...] | list[str]) -> bool:
    """Some point was said and unsaid (its note is among the result's notes)."""
    return any(note.startswith(MIXED_PREFIX) for note in notes)


def _partial_answer(points: list[PointResult] | tuple[PointResult, ...]) -> bool:
    """One point explained and one or two more named, two explained in sentences of their own,
    or three explained, and none argued against (a keyword list, with nothing explained, is
    not; nor is a list of many names around one explained, nor a one-liner of two ideas)."""
    if any(p.status == "argued-against" for p in points):
        return False
    explained = [p for p in points if p.status == "full"]
    named = sum(p.status == "partial" for p in points)
    if len(explained) == 2 and not named:
        return len({p.sentence for p in explained}) == 2
    return len(explained) >= 3 or (len(explained) >= 1 and 1 <= named <= 2)


def _others_own(
    by_point: list[tuple[list[_Mention], list[_Mention]]],
) -> list[tuple[list[_Mention], list[_Mention]]]:
    """A negated mention inside another point's affirmed mention belongs to that point: in
    "customers were not affected" the scope point is affirmed, and the impact point is not
    argued against."""
    affirmed_spans = [(i, m.span) for i, (affirmed, _) in enumerate(by_point) for m in affirmed]
    out = []
    for i, (affirmed, negated) in enumerate(by_point):
        kept = [
            m
            for m in negated
            if not any(j != i and a <= m.span[0] and m.span[1] <= b for j, (a, b) in affirmed_spans)
        ]
        out.append((affirmed, kept))
    return out


def _retracted(stance: Stance, affirmed: list[_Mention], negated: list[_Mention]) -> bool:
    """The last word against the point comes in a later sentence than every word for it, and
    unsays what was said: "Retry with backoff. Actually no, backoff is pointless." takes the
    claim back; "Check Contributor Insights. Stay away from hot keys." does not."""
    last = max(negated, key=lambda m: m.span[0])
    return all(
        stance.sentence_at(m.span[0]) < stance.sentence_at(last.span[0]) for m in affirmed
    ) and any(m.phrase == last.phrase for m in affirmed)


def _standing(mentions: list[_Mention]) -> tuple[list[_Mention], list[_Mention]]:
    """A point's mentions for it and against it. A negation inside a longer affirmed mention
    is that phrase's own ("stop the retry storm" holds "retry storm") and is dropped."""
    affirmed = [m for m in mentions if m.stance != "negated"]
    negated = [
        m
        for m in mentions
        if m.stance == "negated"
        and not any(a.span[0] <= m.span[0] and m.span[1] <= a.span[1] for a in affirmed)
    ]
    return affirmed, negated


def _repeats(word: str, said: set[str], roots: set[str]) -> bool:
    """The word is a rubric term said again, or its relative ("backing" for "backoff")."""
    if word in said or word[:5] in roots:
        return True
    return len(word) >= 4 and any(s.startswith(word) or word.startswith(s) for s in said)


def _explained(
    stance: Stance,
    by_point: list[tuple[list[_Mention], list[_Mention]]],
    asked: frozenset[str] = frozenset(),
) -> dict[tuple[int, int], bool]:
    """Whether each affirmed mention says more than the bare term: its unit (sentence, line)
    holds more informative words, besides the rubric terms, than points it names (as many
    will do when one of them is an action verb: "raise WCU"); a phrase of three words or more
    is specific in itself and counts its extra words. Padding and reported speech explain
    nothing."""
    mentions = [m for affirmed, _ in by_point for m in affirmed]
    points_in_unit: dict[int, int] = {}
    for affirmed, _ in by_point:
        for unit_id in {m.unit for m in affirmed}:
            points_in_unit[unit_id] = points_in_unit.get(unit_id, 0) + 1
    spans_in_unit: dict[int, list[tuple[int, int]]] = {}
    for m in mentions:
        spans_in_unit.setdefault(m.unit, []).append(m.span)
    info = unit_information(stance, set(points_in_unit))
    tokens_in_unit = stance.unit_words()
    stem_at = stance.stem_at
    said_in_unit: dict[int, tuple[int, bool]] = {}
    frames: dict[int, tuple[str, ...]] = {}  # a unit's first three words and its last
    for unit_id in points_in_unit:
        unit = info[unit_id]
        spans = spans_in_unit.get(unit_id, [])
        in_unit = tokens_in_unit.get(unit_id, [])
        starts = [t.start for t in in_unit]
        inside = {
            starts[k]
            for a, b in spans
            for k in range(bisect_left(starts, a), bisect_left(starts, b))
        }
        span_starts = {a for a, _ in spans}
        # A term that is the sentence's subject ("audit logging is ...", "a backup region is
        # ...") names a thing: its first word is no action, whatever it could be as a verb.
        subjects = {
            a
            for a, b in spans
            if (k := bisect_left(starts, b)) < len(in_unit) and in_unit[k].word in COPULAS
        }
        said = {stem_at[t.start] for t in in_unit if t.start in inside}
        # Repeating a term explains nothing ("analysis ... to analyze", "projections project").
        said_roots = {w[:5] for w in said if len(w) >= 5}
        roots = Counter(stem_at[t.start][:5] for t in in_unit)
        extra: set[str] = set()
        verbs = False
        # "X is important for network security": the question's own words, in a verdict on
        # worth, say nothing about X.
        topic = frozenset() if EVALUATIVE.isdisjoint(t.word for t in in_unit) else asked
        for token in in_unit:
            if token.start not in unit.informative:
                continue  # filler
            word = stem_at[token.start]
            if roots[word[:5]] > 1 or word[:5] in topic:
                continue  # a word said twice ("analysis ... to analyze")
            leads = token.start not in inside or (
                token.start in span_starts and token.start not in subjects
            )
            if token.start in unit.verbs and leads:  # "raise WCU", not "canary deploy"
                extra.add(word[:5])
                verbs = True
            elif token.start not in inside and not _repeats(word, said, said_roots):
                extra.add(word[:5])
        said_in_unit[unit_id] = (len(extra), verbs)
        if len(in_unit) >= 5 and in_unit[-1].start not in inside:
            frames[unit_id] = (*(t.word for t in in_unit[:3]), in_unit[-1].word)
    # Padding: three units or more in one frame around their terms ("I would also raise the
    # WCU there. I would also use DAX there. ...") explain none of them.
    repeats = Counter(frames.values())
    out = {}
    unexplained = set()
    for m in mentions:
        padded = m.unit in frames and repeats[frames[m.unit]] >= PADDED_UNITS
        # What others say ("the textbook answer is X, Y and Z") is not the candidate's
        # explanation: a term in it counts as named.
        if info[m.unit].vocabulary or padded or stance.reported_at(m.span[0]):
            out[m.span] = False
            continue
        count, verbs = said_in_unit[m.unit]
        count += max(0, m.words - 2)
        needed = points_in_unit[m.unit]
        # "X is really important in a microservices world": praise, unless an action is said
        # ... and "X is like ice cream on a hot day": a likeness, unless an action is said
        in_unit = tokens_in_unit[m.unit]
        praised = not verbs and (praise_only(in_unit) or likened_only(in_unit))
        out[m.span] = not praised and (count > needed or (verbs and count >= needed))
        if out[m.span]:
            continue
        # ... unless it goes on to the point's specifics, outside a list of terms and outside
        # praise ("percentiles like p95 are very powerful")
        if praised:
            continue
        if needed < 3 or stance.text.count(",", in_unit[0].start, in_unit[-1].end) < 2:
            unexplained.add(m.span)
    if unexplained:
        specific = _with_specifics(stance, by_point, unexplained)
        # Sentences that are only a term and its specifics ("Backoff like jitter. DAX like
        # ElastiCache.") are a keyword list dressed up when the answer explains nothing else:
        # one alone is a terse answer ("Exponential backoff with jitter."), and an answer that
        # explains other points may put some of them tersely.
        unit_of = {m.span: m.unit for m in mentions}
        bare = {unit_of[span] for span in specific if said_in_unit[unit_of[span]][0] == 0}
        dressed = len(bare) >= 2 and not any(out.values())
        for span in specific:
            if not dressed or unit_of[span] not in bare:
                out[span] = True
    return out


@lru_cache(maxsize=4096)
def _roots(text: str) -> frozenset[str]:
    """The first five letters of the stems of a phrase's or a question's content words."""
    return frozenset(stem(w)[:5] for w, _, _ in words(text) if w not in STOP_WORDS)


def _with_specifics(
    stance: Stance,
    by_point: list[tuple[list[_Mention], list[_Mention]]],
    wanted: set[tuple[int, int]],
) -> set[tuple[int, int]]:
    """Mentions of a point that go on to its specifics in the same sentence: a second phrase
    of the point, with other words, brought in as an example or a means ("page on symptoms,
    like error rate", "rebuild the cluster with Terraform"); not synonyms in a row ("Pingdom
    and external monitoring") nor a term said twice. Of the wanted mentions only."""
    out: set[tuple[int, int]] = set()
    for affirmed, _ in by_point:
        if len(affirmed) < 2 or not any(m.span in wanted for m in affirmed):
            continue
        for k, first in enumerate(affirmed):  # in text order, as `mentions_of` sorts them
            if first.gist:
                continue
            for then in affirmed[k + 1 :]:
                gap = then.span[0] - first.span[1]
                if gap > SPECIFICS_GAP_CHARS:
                    break
                if (
                    gap < 0
                    or then.unit != first.unit
                    or then.phrase == first.phrase
                    or _roots(first.phrase) & _roots(then.phrase)
                ):
                    continue
                if _INTRODUCES_SPECIFICS.search(stance.text, first.span[1], then.span[0]):
                    out.update({first.span, then.span} & wanted)
    return out


def occurrences(
    phrases: tuple[str, ...] | list[str], text: str, aliases: Aliases | None = None
) -> list[tuple[str, tuple[int, int]]]:
    """Where rubric phrases occur in a text, whatever their stance, matched word by word as the
    grader matches them, except that every line ends a sentence (the texts checked are command
    output and labels, where a line is a line): (phrase, character span) in text order. For
    content checks, such as a scenario label that names the answer before any evidence."""
    if not text.strip():
        return []
    aliases = aliases if aliases is not None else default_aliases()
    folded = normalize(text)
    parsed = _Answer(folded.text, aliases)
    point = _compile_points((RubricPoint("", 1, tuple(phrases)),), aliases)[0]
    found = []
    for phrase in point.phrases:
        for span, _ in parsed.match_all(phrase, limit=1):
            found.append((phrase.text, folded.span(*span)))
    return sorted(found, key=lambda hit: hit[1])
