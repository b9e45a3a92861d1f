"""Strict reading of YAML node trees: every problem is recorded with its file, line and column.

Safe loading only: files are composed into nodes with the C (or pure) SafeLoader, then read
here field by field, so an error can name the exact position and field, and all errors of a
file are collected instead of stopping at the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.content.models import LoadError
from trainer.content.specs import ID
from trainer.safe_text import strip_controls

RecordT = TypeVar("RecordT")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"

ID_PATTERN = re.compile(ID)
MAX_FILE_CHARS = 16_000_000  # the largest built-in file is 120 KB; 1,000 cards take 3.5 MB
# An alias is `*name` after a space, a line start or a flow indicator; only text that might
# hold one is scanned for alias events (most `*` in content are PromQL's "x * 100").
_STAR_NAME = re.compile(r"\*[^\s,\[\]{}]")  # starts with a literal: a fast scan
_ALIAS_BEFORE = frozenset(" \t\n\r[{,:-")


def compose(text: str, path: str, errors: list[LoadError]) -> Node | None:
    """Parse text into a node tree, or record the syntax error with its position. Aliases
    (`*name`) are refused: content is written out, and expanding them is unbounded work."""
    if len(text) > MAX_FILE_CHARS:
        errors.append(
            LoadError(
                path,
                1,
                1,
                "",
                f"the file is {len(text):,} characters; the limit is {MAX_FILE_CHARS:,}",
            )
        )
        return None
    try:
        if _may_hold_alias(text):
            alias = _first_alias(text)
            if alias is not None:
                mark = alias.start_mark
                errors.append(
                    LoadError(
                        path,
                        mark.line + 1 if mark else 1,
                        mark.column + 1 if mark else 1,
                        "",
                        f"alias *{alias.anchor} is not allowed in content files: write the "
                        "value out in full (aliases can expand without bound)",
                    )
                )
                return None
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        errors.append(_syntax_error(path, text, exc))
    except yaml.YAMLError as exc:  # e.g. more than one document, bad characters
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        errors.append(LoadError(path, line, column, "", f"invalid YAML: {exc}"))
    except RecursionError:
        errors.append(LoadError(path, 1, 1, "", "invalid YAML: nested too deeply"))
    return None


def _may_hold_alias(text: str) -> bool:
    return any(
        match.start() == 0 or text[match.start() - 1] in _ALIAS_BEFORE
        for match in _STAR_NAME.finditer(text)
    )


def _first_alias(text: str) -> AliasEvent | None:
    """The first alias of a document (events only: nothing is built or expanded)."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, AliasEvent):
            return event
    return None


def _syntax_error(path: str, text: str, exc: yaml.MarkedYAMLError) -> LoadError:
    """A syntax error in words a pack author recognises, where it starts."""
    context, problem = exc.context or "", exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    if "quoted scalar" in context and "end of stream" in problem and exc.context_mark:
        mark = exc.context_mark  # where the quote opens, not the end of the file
        line, column = mark.line + 1, mark.column + 1
        quote = text.split("\n")[mark.line][mark.column : mark.column + 1] or "quote"
        return LoadError(
            path,
            line,
            column,
            "",
            f"unterminated quote: the text opened with {quote} at line {line} is never closed",
        )
    if mark is not None:
        lines = text.split("\n")
        current = lines[mark.line] if mark.line < len(lines) else ""
        indent = current[: len(current) - len(current.lstrip(" \t"))]
        if "\t" in indent or "'\\t'" in problem:
            tab_line = mark.line + 1 if "\t" in indent else _first_tab_line(lines, mark.line)
            return LoadError(
                path,
                tab_line,
                1,
                "",
                f"tab character used for indentation at line {tab_line}: use spaces",
            )
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return LoadError(
        path, line, column, "", f"invalid YAML: {' '.join(p for p in (context, problem) if p)}"
    )


def _first_tab_line(lines: list[str], near: int) -> int:
    """The line (1-based) nearest before `near` whose indentation holds a tab."""
    for number in range(min(near, len(lines) - 1), -1, -1):
        line = lines[number]
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
            return number + 1
    return near + 1


def describe(node: Node) -> str:
    """How a node looks, for 'got ...' in messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    if node.tag in (INT, FLOAT):
        return f"the number {value}"
    if node.tag == BOOL:
        return f"{value} (a yes/no value)"
    return f"{value!r}"


def field_name(field: str) -> str:
    """The last part of a field path, for messages: `cards[0].answer` -> `answer`,
    `cards[0].tags[2]` -> `each of tags`."""
    last = field.rsplit(".", 1)[-1]
    if last.endswith("]") and "[" in last:
        return f"each of {last.split('[', 1)[0]}"
    return last or "the value"


class NodeReader:
    """Reads typed values out of nodes, recording each problem instead of raising."""

    def __init__(self, path: str, errors: list[LoadError], text: str = ""):
        self.path = path
        self.errors = errors
        self.lines = text.split("\n")

    def error(self, node: Node, field: str, message: str) -> None:
        # A key or value quoted in the message is the file's text: no control character of it
        # reaches an error (it would print, and the bank cache refuses what holds one).
        mark = node.start_mark
        self.errors.append(
            LoadError(
                strip_controls(self.path),
                mark.line + 1,
                mark.column + 1,
                strip_controls(field),
                strip_controls(message),
            )
        )

    def mapping(
        self, node: Node, field: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Node] | None:
        """Keys of a mapping; unknown, duplicate and missing keys are errors."""
        if not isinstance(node, MappingNode):
            self.error(
                node,
                field,
                f"expected a mapping with keys {', '.join(required)}; got {describe(node)}",
            )
            return None
        allowed = required + optional
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            where = f"{field}.{key}" if field and key else (key or field)
            if key is None or key not in allowed:
                self.error(key_node, where, f"unknown key; expected one of {', '.join(allowed)}")
            elif key in found:
                self.error(key_node, where, "duplicate key")
            else:
                found[key] = value_node
        missing = [k for k in required if k not in found]
        if missing:
            self.error(node, field or "(top level)", f"missing required key {', '.join(missing)}")
        return found

    def sequence(self, node: Node, field: str, what: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            self.error(node, field, f"expected a list of {what}; got {describe(node)}")
            return []
        return node.value

    def string(self, node: Node, field: str, pattern: re.Pattern[str] | None = None) -> str | None:
        """A non-empty string (numbers and booleans are not accepted as text), with control
        characters and escape sequences removed (pack files are untrusted)."""
        if not isinstance(node, ScalarNode) or node.tag != STR:
            hint = (
                " (put it in quotes to keep it as text)"
                if isinstance(node, ScalarNode) and node.tag != NULL
                else ""
            )
            self.error(node, field, f"{field_name(field)} must be text; got {describe(node)}{hint}")
            return None
        value = strip_controls(node.value).strip()
        if not value:
            self.error(node, field, "expected non-empty text")
            return None
        if self._cut_by_comment(node):
            self.error(
                node,
                field,
                "text cut short: ' #' starts a YAML comment in unquoted text; "
                "put the whole value in quotes",
            )
            return None
        if pattern is not None and not pattern.match(value):
            self.error(
                node,
                field,
                f"expected lowercase letters, digits, '-', '.' or '_'; got {describe(node)}",
            )
            return None
        return value

    def _cut_by_comment(self, node: ScalarNode) -> bool:
        """An unquoted one-line value followed on its line by ` #word` lost that part."""
        if node.style not in (None, "") or node.start_mark.line != node.end_mark.line:
            return False
        line = node.end_mark.line
        rest = self.lines[line][node.end_mark.column :] if line < len(self.lines) else ""
        # "PR #812" lost its tail; "id: q01  # note" is a real comment (`# ` then a space).
        comment = rest.lstrip()
        return (
            rest.startswith((" ", "\t"))
            and comment.startswith("#")
            and len(comment) > 1
            and not comment[1].isspace()
        )

    def optional_string(self, node: Node | None, field: str) -> str | None:
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL):
            return None
        return self.string(node, field)

    def integer(self, node: Node, field: str, low: int, high: int) -> int | None:
        if isinstance(node, ScalarNode) and node.tag == INT:
            try:
                value: int | None = int(node.value.replace("_", ""), 0)
            except ValueError:
                value = None
            if isinstance(value, int) and low <= value <= high:
                return value
        self.error(
            node, field, f"expected a whole number from {low} to {high}; got {describe(node)}"
        )
        return None

    def number(self, node: Node, field: str, minimum: float | None = None) -> float | None:
        if isinstance(node, ScalarNode) and node.tag in (INT, FLOAT):
            try:
                value = float(node.value.replace("_", ""))
            except ValueError:
                value = None
            if value is not None and value == value and (minimum is None or value >= minimum):
                return value
        bound = f" >= {minimum:g}" if minimum is not None else ""
        self.error(node, field, f"expected a number{bound}; got {describe(node)}")
        return None

    def boolean(self, node: Node, field: str) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == BOOL:
            return node.value.lower() in ("true", "yes", "on")
        self.error(node, field, f"expected true or false; got {describe(node)}")
        return None

    def strings(self, node: Node, field: str, minimum: int = 0) -> tuple[str, ...]:
        items = self.sequence(node, field, "text")
        values = []
        for index, item in enumerate(items):
            value = self.string(item, f"{field}[{index}]")
            if value is not None:
                values.append(value)
        if isinstance(node, SequenceNode) and len(items) < minimum:
            self.error(node, field, f"expected at least {minimum} item(s); got {len(items)}")
        return tuple(values)

    def records(
        self, node: Node, field: str, what: str, read: Callable[[Node, str], RecordT | None]
    ) -> list[RecordT]:
        """Read each item of a list with `read(item_node, field_name)`, skipping failures."""
        out: list[RecordT] = []
        for index, item in enumerate(self.sequence(node, field, what)):
            record = read(item, f"{field}[{index}]")
            if record is not None:
                out.append(record)
        return out
