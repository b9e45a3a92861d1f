"""The JSON Schemas: generated from the loaders' record specs, shipped up to date in schemas/,
named by every built-in file's modeline, passing every built-in file, and rejecting what the
loader rejects (so the specs and the reading code cannot drift apart)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import ROOT, run_trainer

from trainer.content import specs
from trainer.content.loader import load_file
from trainer.content.models import Bank
from trainer.content.schema import FORMATS, dumps, file_name, schema
from trainer.scenarios import specs as scenario_specs
from trainer.scenarios.loader import read_communication, read_scenario

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)
BANK_FILES = sorted((ROOT / "question_bank").glob("*.yaml"))
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
RECORDS = {r.name: r for r in (*specs.BANK_RECORDS, *scenario_specs.SCENARIO_RECORDS)}


def validator(what: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema(what))


@pytest.mark.parametrize("what", FORMATS)
def test_each_schema_is_valid_and_the_shipped_file_is_up_to_date(what):
    jsonschema.Draft7Validator.check_schema(schema(what))
    shipped = ROOT / "schemas" / file_name(what)
    assert shipped.read_text(encoding="utf-8") == dumps(what), (
        f"schemas/{file_name(what)} is out of date: "
        f"run `sre-trainer schema {what} > schemas/{file_name(what)}`"
    )


@pytest.mark.parametrize("path", BANK_FILES + SCENARIO_FILES, ids=lambda p: p.name)
def test_every_builtin_file_names_its_schema_and_passes_it(path: Path):
    text = path.read_text(encoding="utf-8")
    modeline = MODELINE.search(text)
    assert modeline, f"{path.name} has no yaml-language-server modeline"
    target = (path.parent / modeline.group(1)).resolve()
    assert target.is_file(), f"{path.name} names {modeline.group(1)}, which does not exist"
    data = yaml.safe_load(text)
    errors = list(jsonschema.Draft7Validator(json.loads(target.read_text())).iter_errors(data))
    assert not errors, [(list(e.absolute_path), e.message[:200]) for e in errors[:5]]
    if not path.name.startswith("_"):  # a pack holds bank files and scenarios alike
        assert not list(validator("pack").iter_errors(data))


def test_schema_command_prints_each_format_and_refuses_an_unknown_one():
    printed = run_trainer("schema", "scenarios")
    assert printed.returncode == 0
    assert json.loads(printed.stdout) == schema("scenarios")
    assert json.loads(run_trainer("schema").stdout) == schema("pack")
    wrong = run_trainer("schema", "decks")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1


# -- the loader and the schema agree on broken records --------------------------------------
def instances(kind, value, path=()) -> Iterator[tuple[str, tuple]]:
    """(record name, path) of every record in `value`, read as `kind` says."""
    if isinstance(kind, specs.Ref):
        if not isinstance(value, dict):
            return
        yield kind.name, path
        for field in RECORDS[kind.name].fields:
            if field.name in value:
                yield from instances(field.kind, value[field.name], (*path, field.name))
    elif isinstance(kind, specs.ListOf) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from instances(kind.item, item, (*path, index))
    elif isinstance(kind, specs.MapOf) and isinstance(value, dict):
        for key, item in value.items():
            yield from instances(kind.value, item, (*path, key))


def wrong_value(kind):
    """A value of the wrong type (or out of range) for a field of this kind."""
    if isinstance(kind, specs.Text | specs.Suggested):
        return 12345  # a number is not text: the loader wants it quoted
    if isinstance(kind, specs.Choice):
        return "not-one-of-them"
    if isinstance(kind, specs.Whole):
        return kind.high + 1
    if isinstance(kind, specs.Number | specs.Flag):
        return "text"
    if isinstance(kind, specs.ListOf | specs.Ref):
        return "text"
    if isinstance(kind, specs.MapOf):
        return ["a list"]
    return {"a": {"nested": "mapping"}}  # Either: none of its options


def at(data, path):
    for step in path:
        data = data[step]
    return data


def mutations(data, top: str) -> Iterator[tuple[str, object]]:
    """(description, broken copy of data): one broken record at a time, each record kind and
    each field of it where the built-in files have one."""
    found: dict[str, list[tuple]] = {}
    for name, path in instances(specs.Ref(top), data):
        found.setdefault(name, []).append(path)
    for name, paths in found.items():
        record = RECORDS[name]

        def broken(path, change, what, name=name):
            copied = copy.deepcopy(data)
            change(at(copied, path))
            return f"{name} at {'.'.join(map(str, path)) or '(top)'}: {what}", copied

        yield broken(paths[0], lambda r: r.update(unknown_key=1), "unknown key")
        for field in record.fields:
            holder = next((p for p in paths if field.name in at(data, p)), None)
            if field.required and holder is not None:
                yield broken(holder, lambda r, f=field.name: r.pop(f), f"no {field.name}")
            if holder is None:
                continue
            bad = wrong_value(field.kind)
            yield broken(
                holder, lambda r, f=field.name, v=bad: r.update({f: v}), f"{field.name}={bad!r}"
            )
            if isinstance(field.kind, specs.MapOf) and field.kind.key_pattern:
                yield broken(
                    holder,
                    lambda r, f=field.name: r[f].update({"Not An Id": r[f][next(iter(r[f]))]}),
                    f"{field.name} with a key that is not a name",
                )
        for rule in record.rules:
            keys = (rule.key, rule.needs) if isinstance(rule, specs.Needs) else rule.keys
            holder = next((p for p in paths if set(keys) & set(at(data, p))), None)
            if holder is None:
                continue
            if isinstance(rule, specs.Needs) and rule.key in at(data, holder):
                yield broken(holder, lambda r, n=rule.needs: r.pop(n, None), f"{rule} broken")
            elif not isinstance(rule, specs.Needs):
                yield broken(
                    holder, lambda r, k=keys: [r.pop(x, None) for x in k], f"{rule} broken"
                )


def loader_errors(path: Path) -> list:
    if path.name == "_communication.yaml":
        return read_communication(path)[1]
    if path.parent.name == "scenarios":
        return read_scenario(path)[1]
    return load_file(path, Bank())


@pytest.mark.parametrize(
    "source",
    [ROOT / "question_bank" / "cards-2-monitoring-observability.yaml"]
    + [ROOT / "question_bank" / n for n in ("queries.yaml", "numbers.yaml", "notes.yaml")]
    + [ROOT / "question_bank" / "aliases.yaml"]
    + [ROOT / "scenarios" / n for n in ("dynamodb-throttling.yaml", "error-rate-50.yaml")]
    + [ROOT / "scenarios" / n for n in ("cluster-failure-dr.yaml", "_communication.yaml")],
    ids=lambda p: p.name,
)
def test_loader_and_schema_reject_the_same_broken_records(source: Path, tmp_path):
    top = {"question_bank": "bank_file", "scenarios": "scenario_file"}[source.parent.name]
    if source.name == "_communication.yaml":
        top = "communication_file"
    what = "cards" if top == "bank_file" else "scenarios"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    target = tmp_path / source.parent.name / source.name  # scenario files: named by their id
    target.parent.mkdir()
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert not loader_errors(target)
    check = validator(what)
    disagreements, tried = [], 0
    for description, broken in mutations(data, top):
        tried += 1
        target.write_text(yaml.safe_dump(broken, sort_keys=False), encoding="utf-8")
        by_loader = bool(loader_errors(target))
        by_schema = not check.is_valid(broken)
        if by_loader != by_schema:
            disagreements.append(f"{description}: loader {by_loader}, schema {by_schema}")
    assert tried >= 2
    assert not disagreements, disagreements


def test_the_loaders_read_their_keys_from_the_specs():
    """An unknown key's message lists exactly the spec's keys, in its order."""
    bank = Bank()
    errors = []
    for text, spec in (
        ("cards: [{id: a, nope: 1}]", specs.CARD),
        ("queries: [{id: a, nope: 1}]", specs.QUERY),
        ("numbers: [{id: a, nope: 1}]", specs.NUMBER),
    ):
        path = Path("/nonexistent")
        from trainer.content.loader import _FileReader
        from trainer.content.yamlnodes import compose

        found: list = []
        _FileReader(str(path), found, bank, text).read(compose(text, str(path), found))
        unknown = [e for e in found if "unknown key" in e.message]
        assert unknown and unknown[0].message.endswith(", ".join(spec.keys)), unknown
        errors += found
    assert errors
