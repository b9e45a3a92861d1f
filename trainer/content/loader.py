"""Load the question bank (cards, queries, numbers, notes, aliases) from YAML files.

A file is a mapping whose top-level keys name what it holds; any mix is allowed:
`pack`, `cards`, `queries`, `numbers`, `notes`, `aliases`, and in built-in files `red_flags`
(on every card). Built-in files come from the package's `question_bank/`; user packs from
`--bank DIR` and the user's `packs/` folder.
A broken user pack is reported in `Bank.errors` and never stops the built-in bank loading.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from yaml.nodes import MappingNode, Node

from trainer.content.models import (
    CATEGORIES,
    Bank,
    Card,
    LoadError,
    Note,
    NumberCard,
    Query,
    RedFlag,
    RubricPoint,
)
from trainer.content.queries import read_query
from trainer.content.specs import (
    BANK_FILE,
    CARD,
    MAX_RUBRIC_POINTS,
    NOTE,
    NUMBER,
    PACK,
    RED_FLAG,
    RUBRIC_POINT,
)
from trainer.content.yamlnodes import ID_PATTERN, NodeReader, compose, describe

SECTIONS = BANK_FILE.optional


class _FileReader(NodeReader):
    """Reads one content file into the bank, checking ids against what is already there."""

    def __init__(
        self,
        path: str,
        errors: list[LoadError],
        bank: Bank,
        text: str = "",
        deck: str = "guide",
        builtin: bool = False,
    ):
        super().__init__(path, errors, text)
        self.bank = bank
        self.categories: set[str] = set(CATEGORIES)
        self.deck = deck
        self.builtin = builtin  # a file of the built-in question bank, not of a pack

    def read(self, root: Node | None) -> None:
        if root is None:
            if not self.errors:  # not a syntax error: nothing but comments or blank lines
                self.errors.append(
                    LoadError(
                        self.path,
                        1,
                        1,
                        "",
                        f"empty document: expected a mapping with any of {', '.join(SECTIONS)}",
                    )
                )
            return
        keys = self.mapping(root, "", (), SECTIONS)
        if keys is None:
            return
        if "pack" in keys:
            self._pack(keys["pack"])
        for name, reader, target in (
            ("cards", self._card, self.bank.cards),
            ("queries", self._query, self.bank.queries),
            ("numbers", self._number, self.bank.numbers),
            ("notes", self._note, self.bank.notes),
        ):
            if name in keys:
                self._add_all(keys[name], name, reader, target)
        if "aliases" in keys:
            self._aliases(keys["aliases"])
        if "red_flags" in keys:
            self._universal_flags(keys["red_flags"])

    def _universal_flags(self, node: Node) -> None:
        if not self.builtin:
            self.error(
                node,
                "red_flags",
                "red flags on every card are built in; a pack puts its red flags under a card "
                "(cards[].red_flags)",
            )
            return
        flags = self.records(node, "red_flags", "red flags", self._flag)
        self.bank.red_flags += tuple(f for f in flags if isinstance(f, RedFlag))

    def _add_all(self, node: Node, section: str, reader, target: dict) -> None:
        for index, item in enumerate(self.sequence(node, section, f"{section} entries")):
            field = f"{section}[{index}]"
            known = len(self.errors)
            record = reader(item, field)
            if record is None or len(self.errors) > known:
                continue  # an entry with any error is left out whole
            if record.id in target:
                other = target[record.id].source
                self.error(
                    item, f"{field}.id", f"duplicate id {record.id!r} (first defined in {other})"
                )
                continue
            target[record.id] = record

    def _pack(self, node: Node) -> None:
        keys = self.mapping(node, "pack", PACK.required, PACK.optional)
        if keys is None:
            return
        if "name" in keys:
            name = self.string(keys["name"], "pack.name")
            if name:
                self.deck = name  # the deck its cards belong to
        if "description" in keys:
            self.string(keys["description"], "pack.description")
        if "categories" in keys:
            for index, item in enumerate(
                self.sequence(keys["categories"], "pack.categories", "category names")
            ):
                value = self.string(item, f"pack.categories[{index}]", ID_PATTERN)
                if value:
                    self.categories.add(value)

    def _position(self, node: Node) -> str:
        return f"{self.path}:{node.start_mark.line + 1}"

    def _card(self, node: Node, field: str) -> Card | None:
        keys = self.mapping(node, field, CARD.required, CARD.optional)
        if keys is None:
            return None
        card_id = self.string(keys["id"], f"{field}.id", ID_PATTERN) if "id" in keys else None
        category = None
        if "category" in keys:
            category = self.string(keys["category"], f"{field}.category")
            if category is not None and category not in self.categories:
                self.error(
                    keys["category"],
                    f"{field}.category",
                    f"unknown category {category!r}; expected one of "
                    f"{', '.join(sorted(self.categories))} (a pack may declare its own "
                    f"under pack.categories)",
                )
                category = None
        question = (
            self.string(keys["question"], f"{field}.question") if "question" in keys else None
        )
        answer = self.string(keys["answer"], f"{field}.answer") if "answer" in keys else None
        tags = self.strings(keys["tags"], f"{field}.tags") if "tags" in keys else ()
        rubric: list = []
        if "rubric" in keys:
            rubric = self.records(keys["rubric"], f"{field}.rubric", "rubric points", self._point)
            if len(keys["rubric"].value) > MAX_RUBRIC_POINTS:
                self.error(
                    keys["rubric"],
                    f"{field}.rubric",
                    f"expected at most {MAX_RUBRIC_POINTS} points; got {len(keys['rubric'].value)}",
                )
        flags = (
            self.records(keys["red_flags"], f"{field}.red_flags", "red flags", self._flag)
            if "red_flags" in keys
            else []
        )
        note = self.optional_string(keys.get("reviewer_note"), f"{field}.reviewer_note")
        draft = (
            self.boolean(keys["rubric_draft"], f"{field}.rubric_draft")
            if "rubric_draft" in keys
            else False
        )
        if card_id is None or category is None or question is None or answer is None:
            return None
        return Card(
            card_id,
            category,
            question,
            answer,
            tags,
            tuple(rubric),
            tuple(flags),
            note,
            self._position(node),
            self.deck,
            bool(draft),
        )

    def _point(self, node: Node, field: str) -> RubricPoint | None:
        return read_point(self, node, field)

    def _flag(self, node: Node, field: str) -> RedFlag | None:
        return read_flag(self, node, field)

    def _query(self, node: Node, field: str) -> Query | None:
        return read_query(self, node, field, self._position(node))

    def _number(self, node: Node, field: str) -> NumberCard | None:
        keys = self.mapping(node, field, NUMBER.required, NUMBER.optional)
        if keys is None or len(set(keys) & set(NUMBER.required)) < 5:
            return None
        card_id = self.string(keys["id"], f"{field}.id", ID_PATTERN)
        question = self.string(keys["question"], f"{field}.question")
        value = self.number(keys["value"], f"{field}.value")
        unit = self.string(keys["unit"], f"{field}.unit")
        tolerance = self.number(keys["tolerance"], f"{field}.tolerance", minimum=0)
        explanation = self.optional_string(keys.get("explanation"), f"{field}.explanation")
        if card_id is None or question is None or value is None or unit is None:
            return None
        if tolerance is None:
            return None
        return NumberCard(
            card_id, question, value, unit, tolerance, explanation or "", self._position(node)
        )

    def _note(self, node: Node, field: str) -> Note | None:
        keys = self.mapping(node, field, NOTE.required)
        if keys is None or len(keys) < 4:
            return None
        card_id = self.string(keys["id"], f"{field}.id", ID_PATTERN)
        section = self.string(keys["section"], f"{field}.section", ID_PATTERN)
        title = self.string(keys["title"], f"{field}.title")
        body = self.string(keys["body"], f"{field}.body")
        if card_id is None or section is None or title is None or body is None:
            return None
        return Note(card_id, section, title, body, self._position(node))

    def _aliases(self, node: Node) -> None:
        """`aliases: {canonical: [variant, ...]}`: variants are read as the canonical term."""
        if not isinstance(node, MappingNode):
            self.error(
                node, "aliases", f"expected a mapping of term: [variants]; got {describe(node)}"
            )
            return
        for key_node, value_node in node.value:
            canonical = self.string(key_node, "aliases")
            if canonical is None:
                continue
            field = f"aliases.{canonical}"
            if canonical in self.bank.aliases:
                self.error(key_node, field, "duplicate alias")
                continue
            variants = self.strings(value_node, field, minimum=1)
            if variants:
                self.bank.aliases[canonical] = variants


def read_flag(reader: NodeReader, node: Node, field: str) -> RedFlag | None:
    """A red flag: its `claim` and the `phrases` that state it."""
    keys = reader.mapping(node, field, RED_FLAG.required)
    if keys is None or len(keys) < 2:
        return None
    claim = reader.string(keys["claim"], f"{field}.claim")
    phrases = reader.strings(keys["phrases"], f"{field}.phrases", minimum=1)
    if claim is None or not phrases:
        return None
    return RedFlag(claim, phrases)


def read_point(reader: NodeReader, node: Node, field: str) -> RubricPoint | None:
    """A rubric point: `point`, `weight` (1-3), `phrases`, an optional `follow_up` and
    optional `gist` phrases (part credit)."""
    keys = reader.mapping(node, field, RUBRIC_POINT.required, RUBRIC_POINT.optional)
    if keys is None or len({"point", "weight", "phrases"} & set(keys)) < 3:
        return None
    text = reader.string(keys["point"], f"{field}.point")
    weight = reader.integer(keys["weight"], f"{field}.weight", 1, 3)
    phrases = reader.strings(keys["phrases"], f"{field}.phrases", minimum=1)
    follow_up = reader.optional_string(keys.get("follow_up"), f"{field}.follow_up")
    gist = reader.strings(keys["gist"], f"{field}.gist", minimum=1) if "gist" in keys else ()
    if text is None or weight is None or not phrases:
        return None
    return RubricPoint(text, weight, phrases, follow_up, gist)


def read_text(path: Path, errors: list[LoadError]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.append(LoadError(str(path), 0, 0, "", f"not UTF-8 text (byte {exc.start})"))
    except OSError as exc:
        errors.append(LoadError(str(path), 0, 0, "", _read_problem(path, exc)))
    return None


def _read_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop: the link leads back to itself and never reaches a file"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return f"broken symlink: it points to {os.readlink(path)}, which does not exist"
    if exc.errno == errno.EISDIR:
        return "a folder, not a YAML file"
    return f"cannot read file: {exc.strerror or exc}"


def load_file(path: Path, bank: Bank, deck: str = "guide") -> list[LoadError]:
    """Add one file's content to the bank; return the file's errors (all of them). Its cards
    belong to the deck its `pack.name` names, else to `deck`."""
    from trainer import paths

    errors: list[LoadError] = []
    text = read_text(path, errors)
    if text is not None:
        builtin = Path(path).resolve().parent == paths.question_bank_dir().resolve()
        reader = _FileReader(str(path), errors, bank, text, deck, builtin)
        reader.read(compose(text, str(path), errors))
    bank.files.append(str(path))
    bank.errors.extend(errors)
    return errors


def yaml_files(folder: Path) -> list[Path]:
    """YAML files of a folder, sorted, so load order (and duplicate reports) are stable. A
    link that leads nowhere (a loop, a missing target) is listed too, so it is reported."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and (p.is_file() or (p.is_symlink() and not p.exists()))
    )


def load_files(paths: Iterable[Path], bank: Bank | None = None) -> Bank:
    bank = bank if bank is not None else Bank()
    for path in paths:
        load_file(path, bank)
    return bank


def is_scenario_file(path: Path) -> bool:
    """A file with a top-level `scenario:` key (pack folders hold both kinds; scenarios are
    loaded by trainer.scenarios.loader)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return any(line.startswith("scenario:") for line in handle)
    except (OSError, UnicodeDecodeError):
        return False


def _pack_files(folder: Path, bank: Bank) -> list[Path]:
    if not folder.exists():
        if folder.is_symlink():
            problem = _read_problem(folder, _stat_error(folder))
            bank.errors.append(LoadError(str(folder), 0, 0, "", problem))
        return []
    if not folder.is_dir():
        bank.errors.append(LoadError(str(folder), 0, 0, "", "not a folder of YAML files"))
        return []
    return [p for p in yaml_files(folder) if not is_scenario_file(p)]


def _stat_error(path: Path) -> OSError:
    try:
        path.stat()
    except OSError as exc:
        return exc
    return OSError(errno.ENOENT, "missing")


def load_pack(files: list[Path], bank: Bank) -> None:
    """Load user files all-or-nothing per file: a broken file adds nothing to the bank."""
    for path in files:
        trial = Bank(
            cards=dict(bank.cards),
            queries=dict(bank.queries),
            numbers=dict(bank.numbers),
            notes=dict(bank.notes),
            aliases=dict(bank.aliases),
        )
        # A user file without `pack.name` is a deck of its own, named after the file.
        errors = load_file(path, trial, deck=path.stem)
        bank.files.append(str(path))
        if errors:
            bank.errors.extend(errors)
            continue
        bank.cards, bank.queries, bank.numbers = trial.cards, trial.queries, trial.numbers
        bank.notes, bank.aliases = trial.notes, trial.aliases


def load_bank(pack_dirs: Iterable[Path] = (), include_user_packs: bool = True) -> Bank:
    """The built-in bank plus user packs. Errors are collected in `Bank.errors`."""
    from trainer import paths

    bank = load_files(yaml_files(paths.question_bank_dir()))
    folders = list(pack_dirs)
    if include_user_packs:
        folders.append(paths.user_packs_dir())
    for folder in folders:
        load_pack(_pack_files(Path(folder), bank), bank)
    return bank
