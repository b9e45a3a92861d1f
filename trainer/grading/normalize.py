"""Text as the grader reads it: Unicode folded to plain forms, contractions spelled out, and
a map back to the answer's own characters (so highlighted spans land on what was typed).

Also tells whether an answer is mostly not English: the rubrics are English, and a loan word
("Kubernetes", "DynamoDB") in another language's sentence is not an English explanation.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Latin look-alikes from other scripts, folded only inside words that also hold Latin letters
# (an all-Cyrillic answer is Russian, not a disguised English one).
CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "υ": "u",
        "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
        "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "Ζ": "Z",
    }
)  # fmt: skip
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# Contractions spelled out, so "don't" reads as "do not" (the negation is then one word).
_WHOLE = {
    "won't": "will not",
    "can't": "can not",
    "cannot": "can not",
    "shan't": "shall not",
    "ain't": "is not",
}
# Typed without the apostrophe: "dont", "doesnt", "wouldnt", "isnt"...
_NT_VERBS = frozenset(
    "do does did is are was were would should could has have had must need".split()
)
# Where a contraction may end; the word is then read whole (a pattern that starts with a
# letter to look for runs several times faster than one of alternatives at every position).
_CONTRACTION_END = re.compile(r"n'?t\b|cannot\b", re.I)


def _contractions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, spelled out) for each contraction in `text`."""
    found = []
    for match in _CONTRACTION_END.finditer(text):
        start, end = match.start(), match.end()
        word_start = start
        while word_start and (text[word_start - 1].isalnum() or text[word_start - 1] == "_"):
            word_start -= 1
        word = text[word_start:end].lower()
        if word in _WHOLE:
            found.append((word_start, end, _WHOLE[word]))
        elif word.endswith("n't"):
            found.append((end - 3, end, " not"))
        elif word[:-2] in _NT_VERBS:
            found.append((word_start, end, text[word_start : end - 2] + " not"))
    return found


_LATIN_WORD = re.compile(r"[^\W\d_]+")


class Normalized(NamedTuple):
    """The folded text and, for each of its characters, the index of the answer's character."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the folded text as a span of the original answer."""
        if not self.origin:
            return 0, 0
        first = self.origin[min(start, len(self.origin) - 1)]
        last = self.origin[min(max(end - 1, start), len(self.origin) - 1)] + 1
        return first, max(first, last)


def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded.translate(_APOSTROPHES)


_CONFUSABLE_CHARS = frozenset(chr(code) for code in CONFUSABLES)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_confusables(text: str) -> str:
    if _CONFUSABLE_CHARS.isdisjoint(text):
        return text  # the usual case: no word to look at

    def fold(match: re.Match[str]) -> str:
        word = match.group()
        if word.isascii() or not any("a" <= c.lower() <= "z" for c in word):
            return word
        return word.translate(CONFUSABLES)

    return _LATIN_WORD.sub(fold, text)


def normalize(text: str) -> Normalized:
    """NFKC per character (full-width and ligatures to ASCII), confusables folded in mixed
    words, curly apostrophes straightened, contractions spelled out."""
    if text.isascii():
        folded_text, origin = text, list(range(len(text)))
    else:
        table = {ord(c): _fold_char(c) for c in set(text) if not c.isascii()}
        if all(len(v) == 1 for v in table.values()):  # the usual case: one for one
            folded_text, origin = text.translate(table), list(range(len(text)))
        else:  # ASCII runs copied whole, each other character folded
            chars: list[str] = []
            origin = []
            last = 0
            for match in _NOT_ASCII.finditer(text):
                index = match.start()
                folded = table[ord(text[index])]
                chars += (text[last:index], folded)
                origin += range(last, index)
                origin += [index] * len(folded)
                last = index + 1
            chars.append(text[last:])
            origin += range(last, len(text))
            folded_text = "".join(chars)
        folded_text = _fold_confusables(folded_text)
    contractions = _contractions(folded_text)
    if contractions:
        folded_text, origin = _spell_out(folded_text, origin, contractions)
    return Normalized(folded_text, tuple(origin))


def _spell_out(
    text: str, origin: list[int], contractions: list[tuple[int, int, str]]
) -> tuple[str, list[int]]:
    out: list[str] = []
    out_origin: list[int] = []
    last = 0
    for start, end, new in contractions:
        out.append(text[last:start])
        out_origin.extend(origin[last:start])
        out.append(new)
        out_origin.extend([origin[start]] * len(new))
        last = end
    out.append(text[last:])
    out_origin.extend(origin[last:])
    return "".join(out), out_origin


# Frequent function words of the languages candidates most often write in besides English.
_ENGLISH = frozenset(
    "the a an and or of to in on is are be it this that with for we i you would should "
    "then first check if not but so as at by from can will use my our".split()
)
_OTHER = (
    frozenset(
        # Spanish, Portuguese, French, German, Italian, Dutch (words that are not English too)
        "el la los las que de del y en es por para con una un se lo al como pero más "
        "os da do não em uma um com são mais ou "
        "le les des et est pour dans une sur pas qui avec ce sont du au nous je "
        "der die das und ist nicht mit ein eine zu den auf für ich wir sie auch wenn dann "
        "il di che non per una sono della gli anche "
        "het een van en niet zijn voor op ook wij ik dat".split()
    )
    - _ENGLISH
)


def mostly_not_english(text: str) -> bool:
    """True when most of the words are not in Latin script, or the function words are mostly
    another language's: such an answer is not graded on its loan words."""
    words = _LATIN_WORD.findall(text)
    if not words:
        return bool(text.strip())
    if not text.isascii():
        letters = sum(len(w) for w in words)
        latin = sum(len(w) if w.isascii() else sum(c.isascii() for c in w) for w in words)
        if latin / letters < 0.5:
            return True
    lowered = [w.lower() for w in words]
    english = sum(w in _ENGLISH for w in lowered)
    other = sum(w in _OTHER for w in lowered)
    return other >= 4 and other > 2 * english
