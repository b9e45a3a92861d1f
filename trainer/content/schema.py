"""JSON Schemas of the YAML formats, generated from the records the loaders read
(trainer.content.specs, trainer.scenarios.specs), for `sre-trainer schema` and the files in
`schemas/` that the built-in files name in their yaml-language-server modeline.

Draft 7, which editors' YAML plugins support widely. The schema checks shapes (keys, types,
ranges, which keys go together); the loader checks more (references between ids, templates,
a card's category against its pack), so `sre-trainer validate` stays the final word.
"""

from __future__ import annotations

import json
from typing import Any

from trainer.content.specs import (
    BANK_RECORDS,
    ID,
    AnyOfKeys,
    Choice,
    Either,
    Field,
    Flag,
    Kind,
    ListOf,
    MapOf,
    Needs,
    Number,
    OneOfKeys,
    Record,
    Ref,
    Suggested,
    Text,
    Whole,
)

DRAFT = "http://json-schema.org/draft-07/schema#"
FORMATS = ("cards", "scenarios", "pack")
TITLES = {
    "cards": "sre-trainer question-bank file (cards, queries, numbers, notes, aliases)",
    "scenarios": "sre-trainer scenario file",
    "pack": "sre-trainer pack file (question-bank content or a scenario)",
}


def file_name(what: str) -> str:
    return f"{what}.schema.json"


def schema(what: str = "pack") -> dict[str, Any]:
    """The JSON Schema of one format: cards, scenarios, or pack (either kind of file)."""
    from trainer.scenarios.specs import SCENARIO_RECORDS

    if what not in FORMATS:
        raise ValueError(f"unknown format {what!r}; expected one of {', '.join(FORMATS)}")
    records: dict[str, Record] = {}
    if what in ("cards", "pack"):
        records.update((r.name, r) for r in BANK_RECORDS)
    if what in ("scenarios", "pack"):
        records.update((r.name, r) for r in SCENARIO_RECORDS)
    definitions = {name: _record(record) for name, record in records.items()}
    top: dict[str, Any] = {"$schema": DRAFT, "title": TITLES[what]}
    files = {
        "cards": [_ref("bank_file")],
        "scenarios": [_ref("scenario_file"), _ref("communication_file")],
        "pack": [_ref("bank_file"), _ref("scenario_file")],
    }[what]
    top.update(files[0] if len(files) == 1 else {"oneOf": files})
    top["definitions"] = definitions
    return top


def dumps(what: str = "pack") -> str:
    """The schema as the files in `schemas/` hold it."""
    return json.dumps(schema(what), indent=2, ensure_ascii=False) + "\n"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/definitions/{name}"}


def _record(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "description": record.help,
        "properties": {field.name: _field(field) for field in record.fields},
        "additionalProperties": False,
    }
    if record.required:
        out["required"] = list(record.required)
    needs: dict[str, list[str]] = {}
    alternatives: list[dict[str, Any]] = []
    for rule in record.rules:
        if isinstance(rule, Needs):
            needs.setdefault(rule.key, []).append(rule.needs)
        elif isinstance(rule, AnyOfKeys):
            alternatives.append({"anyOf": [{"required": [key]} for key in rule.keys]})
        elif isinstance(rule, OneOfKeys):
            alternatives.append({"oneOf": [{"required": [key]} for key in rule.keys]})
    if needs:
        out["dependencies"] = needs
    if len(alternatives) == 1:
        out.update(alternatives[0])
    elif alternatives:
        out["allOf"] = alternatives
    return out


def _field(field: Field) -> dict[str, Any]:
    out = _kind(field.kind)
    if field.nullable:
        out = {"anyOf": [out, {"type": "null"}]}
    if field.help:
        out = {"description": field.help, **out}
    return out


def _kind(kind: Kind) -> dict[str, Any]:
    if isinstance(kind, Text):
        out: dict[str, Any] = {"type": "string"}
        if kind.pattern:
            out["pattern"] = kind.pattern
        elif not kind.empty:
            out["pattern"] = r"\S"  # not empty, not only spaces
        return out
    if isinstance(kind, Whole):
        return {"type": "integer", "minimum": kind.low, "maximum": kind.high}
    if isinstance(kind, Number):
        out = {"type": "number"}
        if kind.minimum is not None:
            out["minimum"] = kind.minimum
        if kind.below is not None:
            out["exclusiveMaximum"] = kind.below
        return out
    if isinstance(kind, Flag):
        return {"type": "boolean"}
    if isinstance(kind, Choice):
        return {"type": "string", "enum": list(kind.choices)}
    if isinstance(kind, Suggested):
        # The enum gives editors completions; the pattern admits a pack's own categories.
        return {"anyOf": [{"enum": list(kind.choices)}, {"type": "string", "pattern": ID}]}
    if isinstance(kind, ListOf):
        out = {"type": "array", "items": _kind(kind.item)}
        if kind.min_items:
            out["minItems"] = kind.min_items
        if kind.max_items is not None:
            out["maxItems"] = kind.max_items
        return out
    if isinstance(kind, MapOf):
        out = {"type": "object", "additionalProperties": _kind(kind.value)}
        if kind.key_pattern:
            out["propertyNames"] = {"pattern": kind.key_pattern}
        return out
    if isinstance(kind, Ref):
        return _ref(kind.name)
    if isinstance(kind, Either):
        return {"anyOf": [_kind(option) for option in kind.options]}
    raise TypeError(f"no schema for {kind!r}")
