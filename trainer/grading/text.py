"""Turning free text into comparable terms: words, light stems, aliases, fuzzy equality."""

import re
from typing import NamedTuple

from rapidfuzz.distance import Indel

WORD = re.compile(r"[^\W_]+")

STOP_WORDS = frozenset(
    "a an the of to for in on with and or is are be by it its at as from into your our my i "
    "we you that this vs versus do does did".split()
)

# Pure negators read as one term, so "no public ip" in a rubric meets "never ... public IPs"
# (the stance reads them as negation triggers).
NEGATOR_TERM = "not"
NEGATORS = frozenset("not never no nor neither without none".split())

# Short or numeric terms (dax, hpa, p95, 5xx) only ever match whole and exact: a fuzzy match of
# three letters would find "dax" in "relax" and "hpa" in "shpa".
SHORT = 3


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A light suffix-stripper: scale/scaling/scaled -> scal, caches/cache -> cach."""
    cached = _STEMS.get(word)
    if cached is None:
        if len(_STEMS) > 100_000:
            _STEMS.clear()
        cached = _STEMS[word] = _strip_suffix(word)
    return cached


# Plurals of short terms that are not words of their own: "IDs", "IPs", "AZs", "429s".
_SHORT_PLURALS = frozenset("ids ips azs pvs vms sgs dbs cpus gpus slos slis pdbs acls".split())
_NUMBER_PLURAL = re.compile(r"\d+[a-z]*s")


def _strip_suffix(word: str) -> str:
    if word in _SHORT_PLURALS or (word[-1:] == "s" and _NUMBER_PLURAL.fullmatch(word)):
        return word[:-1]
    if len(word) <= SHORT or not word.isalpha():
        return word
    for suffix, minimum in (("ies", 5), ("ing", 6), ("ed", 5), ("es", 6), ("s", 4), ("e", 5)):
        if word.endswith(suffix) and len(word) >= minimum and not word.endswith("ss"):
            base = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            if (
                suffix in ("ing", "ed")
                and len(base) > 3
                and base[-1] == base[-2]
                and base[-1] not in "slz"
            ):
                base = base[:-1]  # scanning -> scan, shipped -> ship
            return base
    return word


def is_exact_only(word: str) -> bool:
    return len(word) <= SHORT or not word.isalpha()


# A prefix that turns a word into its opposite: "asynchronous" is not "synchronous".
_OPPOSITE_PREFIXES = ("a", "un", "in", "im", "non", "dis", "ir", "il", "de", "anti")


_SIMILAR: dict[tuple[str, str], bool] = {}


def similar(a: str, b: str) -> bool:
    """Equal stems, or a typo's distance apart for words long enough to tell apart (never a
    word and its negation, nor words with different roots such as "regular"/"regulator")."""
    if a == b:
        return True
    known = _SIMILAR.get((a, b))
    if known is None:
        if len(_SIMILAR) > 100_000:
            _SIMILAR.clear()
        known = _SIMILAR[a, b] = _similar(a, b)
    return known


def _similar(a: str, b: str) -> bool:
    if is_exact_only(a) or is_exact_only(b):
        return False
    short, long = sorted((a, b), key=len)
    if long.endswith(short) and long[: len(long) - len(short)] in _OPPOSITE_PREFIXES:
        return False
    if a[:2] != b[:2]:
        return False  # typos rarely start a word: "deduplication" is not "replication"
    shortest = min(len(a), len(b))
    if shortest < 5:
        return False
    cutoff = 80 if shortest >= 8 else 85
    return Indel.normalized_similarity(a, b) * 100 >= cutoff


class Term(NamedTuple):
    """A content word of a text: its stem and where it stands (character span)."""

    stem: str
    start: int
    end: int


def _stems(text: str) -> tuple[str, ...]:
    return tuple(
        NEGATOR_TERM if w in NEGATORS else stem(w)
        for w in WORD.findall(text.lower())
        if w not in STOP_WORDS
    )


class Aliases:
    """Multi-word and abbreviated variants rewritten to one canonical stem sequence."""

    def __init__(self, table: dict[str, tuple[str, ...]] | None = None):
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for canonical, variants in (table or {}).items():
            target = _stems(canonical)
            for variant in variants:
                words = _stems(variant)
                if words and words != target:
                    self._by_first.setdefault(words[0], []).append((words, target))
        for options in self._by_first.values():
            options.sort(key=lambda item: -len(item[0]))  # longest variant first

    def apply(self, terms: list[Term]) -> list[Term]:
        if not self._by_first:
            return terms
        by_first = self._by_first
        out: list[Term] = []
        i = 0  # terms before i are in `out`
        for k in [k for k, term in enumerate(terms) if term.stem in by_first]:
            if k < i:
                continue  # inside the variant just rewritten
            for words, target in by_first[terms[k].stem]:
                n = len(words)
                if tuple(t.stem for t in terms[k : k + n]) == words:
                    start, end = terms[k].start, terms[k + n - 1].end
                    out.extend(terms[i:k])
                    out.extend(Term(s, start, end) for s in target)
                    i = k + n
                    break
        out.extend(terms[i:])
        return out


def words(text: str) -> list[tuple[str, int, int]]:
    """Every word of the text, lowercased, with its character span."""
    return [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text)]


def terms(
    text: str,
    aliases: Aliases,
    found_words: list[tuple[str, int, int]] | None = None,
    stems: list[str] | None = None,
) -> list[Term]:
    """Content terms of a text (or of its words, when already split, and of their stems, when
    already taken): stop words dropped, stemmed, aliases applied."""
    found_words = words(text) if found_words is None else found_words
    if stems is None:
        found = [
            Term(NEGATOR_TERM if w in NEGATORS else stem(w), s, e)
            for w, s, e in found_words
            if w not in STOP_WORDS
        ]
    else:
        found = [
            Term(NEGATOR_TERM if w in NEGATORS else stemmed, s, e)
            for (w, s, e), stemmed in zip(found_words, stems, strict=True)
            if w not in STOP_WORDS
        ]
    return aliases.apply(found)


_ALIASES: dict[tuple, Aliases] = {}


def aliases_for(table: dict[str, tuple[str, ...]]) -> Aliases:
    """The Aliases of a bank's table, built once per distinct table (the grader caches
    compiled rubrics per Aliases object, so callers should share them)."""
    key = tuple(sorted(table.items()))
    found = _ALIASES.get(key)
    if found is None:
        found = _ALIASES[key] = Aliases(table)
    return found
