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
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.content.models import LoadError

RecordT = TypeVar("RecordT")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def compose(text: str, path: str, errors: list[LoadError]) -> Node | None:
    """Parse text into a node tree, or record the syntax error with its position."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        errors.append(LoadError(path, line, column, "", f"invalid YAML: {problem}"))
    except yaml.YAMLError as exc:  # e.g. more than one document, bad characters
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        errors.append(LoadError(path, line, column, "", f"invalid YAML: {exc}"))
    return None


def describe(node: Node) -> str:
    """How a node looks, for 'got ...' in messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"{value!r}"


class NodeReader:
    """Reads typed values out of nodes, recording each problem instead of raising."""

    def __init__(self, path: str, errors: list[LoadError], text: str = ""):
        self.path = path
        self.errors = errors
        self.lines = text.split("\n")

    def error(self, node: Node, field: str, message: str) -> None:
        mark = node.start_mark
        self.errors.append(LoadError(self.path, mark.line + 1, mark.column + 1, field, message))

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
        """A non-empty string (numbers and booleans are not accepted as text)."""
        if not isinstance(node, ScalarNode) or node.tag != STR:
            self.error(node, field, f"expected text; got {describe(node)}")
            return None
        value = node.value.strip()
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
