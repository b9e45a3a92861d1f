"""Reading one query item (a `queries:` entry) with every field checked.

Besides the shape (required and optional keys, types), the answers are checked as what they
are: a PromQL item's reference, accepted and known wrong answers must parse, and an answer
cannot be both accepted and wrong. Each problem names the file, line, field and what was
expected.
"""

from __future__ import annotations

from collections.abc import Callable

from yaml.nodes import Node, ScalarNode

from trainer.content.models import KnownWrong, Query, RedFlag, RubricPoint
from trainer.content.specs import KNOWN_WRONG, QUERY, QUERY_KINDS, WRONG_VERDICTS
from trainer.content.yamlnodes import BOOL, ID_PATTERN, NodeReader

REQUIRED = QUERY.required
OPTIONAL = QUERY.optional


def read_query(reader: NodeReader, node: Node, field: str, source: str) -> Query | None:
    """One query item, or None after recording every problem found in it."""
    keys = reader.mapping(node, field, REQUIRED, OPTIONAL)
    if keys is None:
        return None
    values = {
        name: reader.string(keys[name], f"{field}.{name}", ID_PATTERN if name == "id" else None)
        for name in REQUIRED
        if name in keys
    }
    kind = values.get("kind")
    if kind is not None and kind not in QUERY_KINDS:
        reader.error(
            keys["kind"], f"{field}.kind", f"expected one of {', '.join(QUERY_KINDS)}; got {kind!r}"
        )
        return None
    threshold = reader.optional_string(keys.get("threshold"), f"{field}.threshold")
    note = reader.optional_string(keys.get("note"), f"{field}.note")
    accepted = reader.strings(keys["accepted"], f"{field}.accepted") if "accepted" in keys else ()
    wrong = (
        reader.records(keys["wrong"], f"{field}.wrong", "wrong answers", _reader(reader, _wrong))
        if "wrong" in keys
        else []
    )
    rubric = (
        reader.records(keys["rubric"], f"{field}.rubric", "rubric points", _reader(reader, _point))
        if "rubric" in keys
        else []
    )
    flags = (
        reader.records(keys["red_flags"], f"{field}.red_flags", "red flags", _reader(reader, _flag))
        if "red_flags" in keys
        else []
    )
    single = _flag_value(reader, keys.get("single_series"), f"{field}.single_series")
    item_id, group, measures, query = (values.get(k) for k in ("id", "group", "measures", "query"))
    if item_id is None or group is None or kind is None or measures is None or query is None:
        return None
    known_wrong = [w for w in wrong if isinstance(w, KnownWrong)]
    _check_answers(reader, keys, field, kind, query, accepted, known_wrong)
    _check_overlap(reader, keys, field, query, accepted, known_wrong)
    return Query(
        item_id,
        group,
        kind,
        measures,
        query,
        threshold=threshold,
        note=note,
        source=source,
        accepted=accepted,
        wrong=tuple(known_wrong),
        rubric=tuple(p for p in rubric if isinstance(p, RubricPoint)),
        red_flags=tuple(f for f in flags if isinstance(f, RedFlag)),
        single_series=single,
    )


def _reader(reader: NodeReader, read):
    return lambda node, field: read(reader, node, field)


def _wrong(reader: NodeReader, node: Node, field: str) -> KnownWrong | None:
    keys = reader.mapping(node, field, KNOWN_WRONG.required, KNOWN_WRONG.optional)
    if keys is None or len(set(keys) & {"answer", "hint"}) < 2:
        return None
    answer = reader.string(keys["answer"], f"{field}.answer")
    hint = reader.string(keys["hint"], f"{field}.hint")
    verdict = "wrong"
    if "verdict" in keys:
        verdict = reader.string(keys["verdict"], f"{field}.verdict") or "wrong"
        if verdict not in WRONG_VERDICTS:
            reader.error(
                keys["verdict"],
                f"{field}.verdict",
                f"expected one of {', '.join(WRONG_VERDICTS)}; got {verdict!r}",
            )
            return None
    if answer is None or hint is None:
        return None
    return KnownWrong(answer, hint, verdict)


def _point(reader: NodeReader, node: Node, field: str) -> RubricPoint | None:
    from trainer.content.loader import read_point

    return read_point(reader, node, field)


def _flag(reader: NodeReader, node: Node, field: str) -> RedFlag | None:
    from trainer.content.loader import read_flag

    return read_flag(reader, node, field)


def _flag_value(reader: NodeReader, node: Node | None, field: str) -> bool:
    if node is None:
        return False
    if isinstance(node, ScalarNode) and node.tag == BOOL:
        return bool(reader.boolean(node, field))
    reader.error(node, field, "expected true or false")
    return False


def _check_answers(reader, keys, field, kind, query, accepted, wrong) -> None:
    """Every answer of the item must parse as its kind does when a drill checks it: PromQL,
    or a command line (an unclosed quote would only fail when a drill is checked)."""
    parse: Callable[[str], object]
    if kind == "promql":
        from trainer.grading.promql.canonical import normalize  # no rapidfuzz: loads stay fast

        parse, expected = normalize, "valid PromQL"
    elif kind in ("shell", "cloudwatch-cli"):
        from trainer.grading.commands import parse_command

        parse, expected = parse_command, "a command line"
    else:
        return  # metric names, read as they are
    answers = [("query", keys["query"], query)]
    answers += [
        (f"accepted[{i}]", keys["accepted"].value[i], text) for i, text in enumerate(accepted)
    ]
    if "wrong" in keys:
        answers += [
            (f"wrong[{i}].answer", _answer_node(keys["wrong"].value[i]), w.answer)
            for i, w in enumerate(wrong)
        ]
    for name, node, text in answers:
        try:
            parse(text)
        except ValueError as exc:
            reader.error(node, f"{field}.{name}", f"expected {expected}; {exc}")


def _check_overlap(reader, keys, field, query, accepted, wrong) -> None:
    """An answer may not be both right and wrong, nor listed twice."""
    right = [query, *accepted]
    for i, text in enumerate(accepted):
        if text in right[: i + 1]:
            reader.error(keys["accepted"].value[i], f"{field}.accepted[{i}]", "listed twice")
    for i, known in enumerate(wrong):
        if known.answer in right:
            reader.error(
                _answer_node(keys["wrong"].value[i]),
                f"{field}.wrong[{i}].answer",
                "this answer is also accepted as right",
            )


def _answer_node(entry: Node) -> Node:
    """The `answer:` value of a wrong-answer entry (for the error position), else the entry."""
    for key, value in getattr(entry, "value", ()):
        if getattr(key, "value", None) == "answer":
            return value
    return entry
