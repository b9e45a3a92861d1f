"""What each YAML record holds, declared once: its keys, which are required, their types.

The loaders take a record's required and optional keys from here (`NodeReader.mapping`), and
`trainer.content.schema` turns the same declarations into the JSON Schema that
`sre-trainer schema` prints and editors use. A test checks that the loader and the schema
reject the same broken records, so the reading code and these types cannot drift apart.

Plain NamedTuples, no imports beyond the models: the loaders import this on every start.
"""

from __future__ import annotations

from typing import NamedTuple

from trainer.content.models import CATEGORIES

ID = r"^[a-z0-9][a-z0-9._-]*$"  # yamlnodes.ID_PATTERN is compiled from this
MAX_RUBRIC_POINTS = 12


# -- value kinds ----------------------------------------------------------------------------
class Text(NamedTuple):
    """Text; non-empty unless `empty`, matching `pattern` when given."""

    pattern: str | None = None
    empty: bool = False


class Whole(NamedTuple):
    low: int
    high: int


class Number(NamedTuple):
    minimum: float | None = None
    below: float | None = None  # exclusive upper bound


class Flag(NamedTuple):
    """true or false."""


class Choice(NamedTuple):
    choices: tuple[str, ...]


class Suggested(NamedTuple):
    """Any id, these first (a card's category: the built-in ones or a pack's own)."""

    choices: tuple[str, ...]


class ListOf(NamedTuple):
    item: Kind
    min_items: int = 0
    max_items: int | None = None


class MapOf(NamedTuple):
    """A mapping of name: value (signals by id, reasons by action id)."""

    value: Kind
    key_pattern: str | None = None


class Ref(NamedTuple):
    """Another record, by name."""

    name: str


class Either(NamedTuple):
    options: tuple[Kind, ...]


Kind = Text | Whole | Number | Flag | Choice | Suggested | ListOf | MapOf | Ref | Either


# -- rules across keys (checked by the loaders' own code; stated here for the schema) -----
class OneOfKeys(NamedTuple):
    """Exactly one of these keys."""

    keys: tuple[str, ...]


class AnyOfKeys(NamedTuple):
    """At least one of these keys."""

    keys: tuple[str, ...]


class Needs(NamedTuple):
    """`key` is allowed only beside `needs`."""

    key: str
    needs: str


Rule = OneOfKeys | AnyOfKeys | Needs


class Field(NamedTuple):
    name: str
    kind: Kind
    required: bool = False
    help: str = ""
    nullable: bool = False  # `key:` with no value is read as absent


class Record(NamedTuple):
    name: str
    help: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if not f.required)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.required + self.optional


def need(name: str, kind: Kind, help: str = "") -> Field:
    return Field(name, kind, True, help)


def may(name: str, kind: Kind, help: str = "", nullable: bool = False) -> Field:
    return Field(name, kind, False, help, nullable)


TEXT = Text()
TEXTS = ListOf(TEXT)
IDS = ListOf(Text(ID))

# -- the question bank ----------------------------------------------------------------------
PACK = Record(
    "pack",
    "About a pack of your own: its name is the deck its cards belong to.",
    (
        need("name", TEXT, "the pack's name, and the deck its cards belong to"),
        may("description", TEXT),
        may("categories", ListOf(Text(ID)), "categories beyond the built-in four"),
    ),
)
RUBRIC_POINT = Record(
    "rubric_point",
    "One idea an interviewer listens for; any of its phrases credits it.",
    (
        need("point", TEXT, "the idea, as an interviewer would note it"),
        need("weight", Whole(1, 3), "1-3"),
        need("phrases", ListOf(TEXT, 1), "phrasings that express it (all words, any order)"),
        may("follow_up", TEXT, "what an interviewer asks when it is missed", nullable=True),
        may(
            "gist",
            ListOf(TEXT, 1),
            'phrasings of the idea without its specifics ("add retries"): part credit',
        ),
    ),
)
RED_FLAG = Record(
    "red_flag",
    "A wrong or harmful claim: stating it (not negating it) costs 25 points.",
    (
        need("claim", TEXT, "the claim, as an interviewer would note it"),
        need("phrases", ListOf(TEXT, 1), "phrasings that state it"),
    ),
)
CARD = Record(
    "card",
    "A question with its model answer and the rubric its answers are graded by.",
    (
        need("id", Text(ID), "lowercase letters, digits, - . _"),
        need(
            "category",
            Suggested(CATEGORIES),
            "a built-in category or one the file's pack.categories declares",
        ),
        need("question", TEXT),
        need("answer", TEXT, "the model answer"),
        may("tags", TEXTS),
        may(
            "rubric",
            ListOf(Ref("rubric_point"), 0, MAX_RUBRIC_POINTS),
            "without it, points are derived from the model answer",
        ),
        may("red_flags", ListOf(Ref("red_flag"))),
        may(
            "reviewer_note",
            TEXT,
            "shown beside the model answer where it is wrong or dated",
            nullable=True,
        ),
        may(
            "rubric_draft",
            Flag(),
            "true: the rubric is an unreviewed draft derived from the answer, graded as such",
        ),
    ),
)
QUERY_KINDS = ("promql", "cloudwatch-cli", "cloudwatch-metric", "custom-metric", "shell")
WRONG_VERDICTS = ("wrong", "partial")
KNOWN_WRONG = Record(
    "known_wrong",
    "A known wrong (or half-right) answer and the hint whoever gives it gets.",
    (
        need("answer", TEXT),
        need("hint", TEXT),
        may("verdict", Choice(WRONG_VERDICTS), "wrong (default) or partial"),
    ),
)
QUERY = Record(
    "query",
    "A monitoring query or metric to write from its description, or to read back.",
    (
        need("id", Text(ID)),
        need("group", TEXT),
        need("kind", Choice(QUERY_KINDS)),
        need("measures", TEXT, "what it measures: the prompt"),
        need("query", TEXT, "the reference answer"),
        may("threshold", TEXT, 'e.g. "> 80%"', nullable=True),
        may("note", TEXT, nullable=True),
        may("accepted", TEXTS, "other right answers"),
        may("wrong", ListOf(Ref("known_wrong")), "known wrong answers and their hints"),
        may("rubric", ListOf(Ref("rubric_point")), 'grades "what does this measure?"'),
        may("red_flags", ListOf(Ref("red_flag"))),
        may("single_series", Flag(), "the prompt asks for one series"),
    ),
)
NUMBER = Record(
    "number",
    "A number to know, answered in any unit.",
    (
        need("id", Text(ID)),
        need("question", TEXT),
        need("value", Number()),
        need("unit", TEXT),
        need("tolerance", Number(minimum=0)),
        may("explanation", TEXT, nullable=True),
    ),
)
NOTE = Record(
    "note",
    "A study note.",
    (
        need("id", Text(ID)),
        need("section", Text(ID)),
        need("title", TEXT),
        need("body", TEXT),
    ),
)
BANK_FILE = Record(
    "bank_file",
    "A question-bank or pack file: any mix of these sections.",
    (
        may("pack", Ref("pack")),
        may("cards", ListOf(Ref("card"))),
        may("queries", ListOf(Ref("query"))),
        may("numbers", ListOf(Ref("number"))),
        may("notes", ListOf(Ref("note"))),
        may(
            "aliases",
            MapOf(ListOf(TEXT, 1)),
            "canonical term: [variants the grader reads as it]",
        ),
        may(
            "red_flags",
            ListOf(Ref("red_flag")),
            "red flags on every card, whatever the question (built-in files only)",
        ),
    ),
)
BANK_RECORDS = (BANK_FILE, PACK, CARD, RUBRIC_POINT, RED_FLAG, QUERY, KNOWN_WRONG, NUMBER, NOTE)
