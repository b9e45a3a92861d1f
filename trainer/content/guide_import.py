"""A Markdown prep guide turned into a YAML pack (`sre-trainer import`).

The common shape of such guides: category headings, then numbered question and answer pairs
(`**1. Q: ...**` then `**A:** ...`; plain `Q:`/`A:`, `Question:`/`Answer:` and `### Q1: ...`
headings work too). Each pair becomes a card in the category of the heading above it; the
categories are declared in the pack. The rubric of each card is a draft derived from the
answer's clauses (`rubric_draft: true`: graded loosely, with a note saying so) for the author
to review. Everything that is not a question or an answer is reported, never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import NamedTuple

from trainer.safe_text import strip_controls

MAX_GUIDE_CHARS = 4_000_000  # a long guide is 100 KB
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
LIST_MARK = re.compile(r"^\s*(?:[-*+]\s+)?")
QUESTION = re.compile(
    r"^(?:(?P<number>\d{1,4})[.)]\s*)?(?:Q|Question)\s*(?P<qnumber>\d{1,4})?\s*[:.)]\s*(?P<text>\S.*)$",
    re.IGNORECASE,
)
ANSWER = re.compile(r"^(?:A|Answer)\s*[:.)]\s*(?P<text>.*)$", re.IGNORECASE)
ABOUT_QUESTIONS = re.compile(r"\s*\((?:questions?\b|q\d)[^)]*\)\s*$", re.IGNORECASE)
QUOTES = (('"', '"'), ("“", "”"), ("'", "'"), ("‘", "’"))


class GuideCard(NamedTuple):
    question: str
    answer: str
    category: str  # the heading it sits under, as written
    line: int


class Skipped(NamedTuple):
    """Part of the guide that is not a question or an answer."""

    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


class Guide(NamedTuple):
    title: str | None
    cards: tuple[GuideCard, ...]
    skipped: tuple[Skipped, ...]


class _Section:
    def __init__(self, heading: str | None, level: int, line: int):
        self.heading, self.level, self.line = heading, level, line
        self.cards = 0
        self.stray: list[int] = []  # lines of text that are neither question nor answer


def clean_inline(text: str) -> str:
    """Markdown bold markers, emoji and runs of spaces removed."""
    text = text.replace("**", "").replace("__", "")
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in ("So", "Cf", "Cs") and ch != "\ufe0f"
    )
    return " ".join(text.split())


def _unwrap(text: str) -> str:
    """An answer written as `*"..."*`: the emphasis and the quotes around the whole removed."""
    text = text.strip()
    for mark in ("*", "_"):
        if len(text) > 2 and text.startswith(mark) and text.endswith(mark):
            text = text[1:-1].strip()
    for left, right in QUOTES:
        inner = text[1:-1]
        if len(text) > 2 and text[0] == left and text[-1] == right and left not in inner:
            text = inner.strip()
    return text


def category_name(heading: str) -> str:
    """`Incident Response & Troubleshooting (Questions 1-8)` -> `Incident Response &
    Troubleshooting`."""
    return ABOUT_QUESTIONS.sub("", clean_inline(heading)).rstrip(":").strip()


def slug(text: str, fallback: str = "general") -> str:
    """An id made of the text's letters and digits: `Incident Response & X` ->
    `incident-response-x`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:60].strip("-") or fallback


def parse_guide(text: str) -> Guide:
    """The guide's questions and answers, and what was skipped (with line numbers)."""
    text = strip_controls(text[:MAX_GUIDE_CHARS])
    title: str | None = None
    cards: list[GuideCard] = []
    skipped: list[Skipped] = []
    sections: list[_Section] = [_Section(None, 0, 1)]
    question: list[str] | None = None  # the question being read, line by line
    answer: list[str] | None = None
    started = asked_until = 0  # the lines the current question starts and ends on
    category = ""
    in_fence = False

    def finish() -> None:
        nonlocal question, answer
        if question is not None:
            body = _paragraphs(answer or [])
            if body:
                cards.append(GuideCard(" ".join(question), body, category, started))
                sections[-1].cards += 1
            else:
                skipped.append(Skipped(started, f"question without an answer: {question[0]!r}"))
        question = answer = None

    def close_section() -> None:
        section = sections[-1]
        if section.stray and section.cards:
            skipped.append(
                Skipped(
                    section.stray[0],
                    f"{len(section.stray)} line(s) of text between the questions "
                    f"{'of ' + repr(section.heading) if section.heading else ''}".rstrip(),
                )
            )
        elif section.stray:
            count = len(section.stray)
            skipped.append(
                Skipped(
                    section.line,
                    f"section {section.heading!r} holds no Q:/A: pairs ({count} line(s))",
                )
                if section.heading
                else Skipped(
                    section.stray[0],
                    f"{count} line(s) before the first heading hold no Q:/A: pairs",
                )
            )

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or FENCE.match(line):
            if answer is not None:
                answer.append(line)
            else:
                sections[-1].stray.append(number)
            continue
        heading = HEADING.match(line)
        content = clean_inline(LIST_MARK.sub("", line, count=1)) if line.strip() else ""
        if heading and not QUESTION.match(clean_inline(heading.group(2))):
            finish()
            close_section()
            level, words = len(heading.group(1)), clean_inline(heading.group(2))
            if level == 1 and title is None and not cards:
                title = words
            sections.append(_Section(words, level, number))
            category = category_name(words) if level > 1 or title != words else ""
            continue
        if heading:
            content = clean_inline(heading.group(2))
        if RULE.match(line):
            finish()
            continue
        asked = QUESTION.match(content) if content else None
        if asked:
            finish()
            question, answer, started = [asked.group("text").strip()], None, number
            asked_until = number
            continue
        replied = ANSWER.match(content) if content else None
        if replied and question is not None and answer is None:
            answer = [replied.group("text")]
            continue
        if answer is not None:
            answer.append(line)
        elif question is not None and content and number == asked_until + 1:
            question.append(content)  # a question written over several lines
            asked_until = number
        elif content:
            sections[-1].stray.append(number)
    finish()
    close_section()
    return Guide(title, tuple(cards), tuple(sorted(skipped)))


def _paragraphs(lines: list[str]) -> str:
    """An answer's lines as text: a paragraph's lines joined, list items kept on their own
    lines, paragraphs apart, and a whole answer in emphasis and quotes unwrapped."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(line)
    out = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        text = paragraph[0].strip()
        for line in paragraph[1:]:
            listed = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+", line)
            text += ("\n" if listed else " ") + line.strip()
        out.append(text.replace("**", ""))
    return _unwrap("\n\n".join(out))


def _dumper():
    import yaml

    class Dumper(yaml.SafeDumper):
        """Lists indented under their key, as the built-in files are."""

        def increase_indent(self, flow=False, indentless=False):
            return super().increase_indent(flow, False)

    return Dumper


class Pack(NamedTuple):
    name: str
    categories: tuple[str, ...]
    cards: tuple[dict, ...]


def build_pack(guide: Guide, name: str, id_prefix: str) -> Pack:
    """The pack's content: categories from the headings, a card per question with a draft
    rubric derived from its answer."""
    from trainer.grading.concepts import derive_points  # the grader's own derivation

    width = max(2, len(str(len(guide.cards))))
    categories: dict[str, None] = {}
    cards = []
    for index, card in enumerate(guide.cards, start=1):
        category = slug(card.category) if card.category else "general"
        categories.setdefault(category)
        record: dict = {
            "id": f"{id_prefix}-q{index:0{width}d}",
            "category": category,
            "question": card.question,
            "answer": card.answer,
        }
        points = derive_points(card.answer)
        if points:
            record["rubric_draft"] = True
            record["rubric"] = [
                {"point": p.text, "weight": p.weight, "phrases": list(p.phrases)} for p in points
            ]
        cards.append(record)
    return Pack(name, tuple(categories), tuple(cards))


def pack_yaml(pack: Pack, source: str, schema_path: str | None = None) -> str:
    """The pack as a YAML file, with a header saying where it came from and what to review."""
    import yaml

    _Dumper = _dumper()
    header = []
    if schema_path:
        header.append(f"# yaml-language-server: $schema={schema_path}")
    header += [
        f"# Imported from {strip_controls(source)} by `sre-trainer import` on "
        f"{date.today().isoformat()}.",
        "# Each rubric is a draft derived from the model answer (rubric_draft: true), graded",
        "# loosely: review its points, add the phrasings a candidate would use, give weights",
        "# 1-3, then delete `rubric_draft`. Format: README, YAML formats.",
    ]
    body = {
        "pack": {
            "name": pack.name,
            "description": f"Imported from {strip_controls(source)}",
            "categories": list(pack.categories),
        },
        "cards": list(pack.cards),
    }
    dumped = yaml.dump(
        body,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=None,  # lists of words in brackets, records as blocks
    )
    return "\n".join(header) + "\n" + dumped
