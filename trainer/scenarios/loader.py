"""Load scenarios from YAML (one `scenario:` per file), strictly, with positioned errors."""

from __future__ import annotations

import re
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from trainer.content.loader import read_point, read_text, yaml_files
from trainer.content.models import LoadError
from trainer.content.yamlnodes import ID_PATTERN, NodeReader, compose, describe
from trainer.safe_text import strip_controls
from trainer.scenarios.models import (
    ACTION_KINDS,
    DIFFICULTIES,
    Action,
    Cause,
    Effect,
    Scenario,
    Series,
    Signal,
)

CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SIGNAL_ID = re.compile(r"^[a-z][a-z0-9_]*$")
REQUIRED = (
    "id",
    "title",
    "difficulty",
    "summary",
    "page",
    "first_look",
    "start",
    "signals",
    "actions",
    "causes",
    "model_path",
    "key_steps",
    "why",
    "hints",
    "model_writeup",
    "lesson",
)
OPTIONAL = ("writeup_rubric", "guide_refs", "mitigate_first")


class _ScenarioReader(NodeReader):
    def read(self, root: Node | None) -> Scenario | None:
        if root is None:
            if not self.errors:  # not a syntax error: nothing but comments or blank lines
                self.errors.append(
                    LoadError(self.path, 1, 1, "", "empty document: expected `scenario:`")
                )
            return None
        top = self.mapping(root, "", ("scenario",))
        if not top or "scenario" not in top:
            return None
        node = top["scenario"]
        keys = self.mapping(node, "scenario", REQUIRED, OPTIONAL)
        if keys is None or any(k not in keys for k in REQUIRED):
            return None
        known = len(self.errors)
        text = {
            name: self.string(keys[name], f"scenario.{name}")
            for name in ("title", "summary", "page", "first_look", "model_writeup", "lesson")
        }
        scenario_id = self.string(keys["id"], "scenario.id", ID_PATTERN)
        difficulty = self.string(keys["difficulty"], "scenario.difficulty")
        if difficulty is not None and difficulty not in DIFFICULTIES:
            self.error(
                keys["difficulty"],
                "scenario.difficulty",
                f"expected one of {', '.join(DIFFICULTIES)}; got {difficulty!r}",
            )
        start = self.string(keys["start"], "scenario.start")
        if start is not None and not CLOCK.match(start):
            self.error(keys["start"], "scenario.start", f"expected a time HH:MM; got {start!r}")
        signals = self._signals(keys["signals"])
        actions = self.records(keys["actions"], "scenario.actions", "actions", self._action)
        causes = self.records(keys["causes"], "scenario.causes", "causes", self._cause)
        why = self._why(keys["why"])
        rubric = (
            self.records(
                keys["writeup_rubric"],
                "scenario.writeup_rubric",
                "rubric points",
                lambda n, f: read_point(self, n, f),
            )
            if "writeup_rubric" in keys
            else []
        )
        mitigate_first = (
            self.boolean(keys["mitigate_first"], "scenario.mitigate_first")
            if "mitigate_first" in keys
            else False
        )
        scenario = Scenario(
            id=scenario_id or "",
            title=text["title"] or "",
            difficulty=difficulty or "",
            summary=text["summary"] or "",
            page=text["page"] or "",
            first_look=text["first_look"] or "",
            start=start or "00:00",
            signals=tuple(signals),
            actions=tuple(actions),
            causes=tuple(causes),
            model_path=self.strings(keys["model_path"], "scenario.model_path", minimum=1),
            key_steps=self.strings(keys["key_steps"], "scenario.key_steps", minimum=1),
            why=why,
            hints=self.strings(keys["hints"], "scenario.hints"),
            model_writeup=text["model_writeup"] or "",
            lesson=text["lesson"] or "",
            writeup_rubric=tuple(rubric),
            guide_refs=(
                self.strings(keys["guide_refs"], "scenario.guide_refs")
                if "guide_refs" in keys
                else ()
            ),
            mitigate_first=bool(mitigate_first),
            source=self.path,
            lines=tuple((k, v.start_mark.line + 1) for k, v in keys.items()),
        )
        self._check_ids(scenario, keys, node)
        return scenario if len(self.errors) == known else None

    def _signals(self, node: Node) -> list[Signal]:
        if not isinstance(node, MappingNode):
            self.error(
                node,
                "scenario.signals",
                f"expected a mapping of signal id: {{label, "
                f"unit, start, good_max or good_min}}; got {describe(node)}",
            )
            return []
        signals: list[Signal] = []
        for key_node, value in node.value:
            signal_id = self.string(key_node, "scenario.signals", SIGNAL_ID)
            if signal_id is None:
                continue
            field = f"scenario.signals.{signal_id}"
            keys = self.mapping(value, field, ("label", "unit", "start"), ("good_max", "good_min"))
            if keys is None or len(set(keys) & {"label", "unit", "start"}) < 3:
                continue
            label = self.string(keys["label"], f"{field}.label")
            unit = strip_controls(keys["unit"].value) if keys["unit"].tag.endswith(":str") else None
            if unit is None:
                self.error(keys["unit"], f"{field}.unit", "unit must be text (it may be empty)")
            start = self.number(keys["start"], f"{field}.start")
            high = (
                self.number(keys["good_max"], f"{field}.good_max") if "good_max" in keys else None
            )
            low = self.number(keys["good_min"], f"{field}.good_min") if "good_min" in keys else None
            if "good_max" not in keys and "good_min" not in keys:
                self.error(value, field, "expected good_max or good_min (what healthy means)")
            if label is None or unit is None or start is None:
                continue
            if any(s.id == signal_id for s in signals):
                self.error(key_node, field, "duplicate signal")
                continue
            signals.append(Signal(signal_id, label, unit, start, high, low))
        return signals

    def _action(self, node: Node, field: str) -> Action | None:
        keys = self.mapping(
            node,
            field,
            ("id", "label", "kind", "minutes", "evidence"),
            ("command", "series", "requires", "effects", "harm", "promql"),
        )
        if keys is None or len(set(keys) & {"id", "label", "kind", "minutes", "evidence"}) < 5:
            return None
        action_id = self.string(keys["id"], f"{field}.id", ID_PATTERN)
        kind = self.string(keys["kind"], f"{field}.kind")
        if kind is not None and kind not in ACTION_KINDS:
            self.error(
                keys["kind"],
                f"{field}.kind",
                f"expected one of {', '.join(ACTION_KINDS)}; got {kind!r}",
            )
            kind = None
        label = self.string(keys["label"], f"{field}.label")
        minutes = self.integer(keys["minutes"], f"{field}.minutes", 0, 24 * 60)
        evidence = self.string(keys["evidence"], f"{field}.evidence")
        series = (
            self.records(keys["series"], f"{field}.series", "series", self._series)
            if "series" in keys
            else []
        )
        effects = (
            self.records(keys["effects"], f"{field}.effects", "effects", self._effect)
            if "effects" in keys
            else []
        )
        queries = self._queries(keys.get("promql"), f"{field}.promql")
        if action_id is None or label is None or kind is None:
            return None
        if minutes is None or evidence is None:
            return None
        return Action(
            action_id,
            label,
            kind,
            minutes,
            evidence,
            command=self.optional_string(keys.get("command"), f"{field}.command"),
            series=tuple(series),
            requires=self.strings(keys["requires"], f"{field}.requires")
            if "requires" in keys
            else (),
            effects=tuple(effects),
            harm=self.optional_string(keys.get("harm"), f"{field}.harm"),
            promql=queries[0] if queries else None,
            line=node.start_mark.line + 1,
            promql_accepted=queries[1:],
        )

    def _queries(self, node: Node | None, field: str) -> tuple[str, ...]:
        """`promql:` is one query or a list of equally right ones (the first is shown)."""
        if node is None:
            return ()
        if isinstance(node, SequenceNode):
            return self.strings(node, field, minimum=1)
        value = self.optional_string(node, field)
        return (value,) if value else ()

    def _series(self, node: Node, field: str) -> Series | None:
        keys = self.mapping(node, field, ("name", "points"))
        if keys is None or len(keys) < 2:
            return None
        name = self.string(keys["name"], f"{field}.name")
        points = [
            self.number(p, f"{field}.points[{i}]")
            for i, p in enumerate(self.sequence(keys["points"], f"{field}.points", "numbers"))
        ]
        if len(points) < 2:
            self.error(keys["points"], f"{field}.points", "expected at least 2 numbers")
        numbers = [p for p in points if p is not None]
        if name is None or len(numbers) < len(points):
            return None
        return Series(name, tuple(numbers))

    def _changes(self, node: Node, field: str) -> tuple[tuple[str, float], ...]:
        if not isinstance(node, MappingNode):
            self.error(node, field, f"expected a mapping of signal: number; got {describe(node)}")
            return ()
        out = []
        for key_node, value in node.value:
            name = self.string(key_node, field)
            number = self.number(value, f"{field}.{name}")
            if name is not None and number is not None:
                out.append((name, number))
        return tuple(out)

    def _effect(self, node: Node, field: str) -> Effect | None:
        keys = self.mapping(node, field, (), ("set", "add", "after", "unless"))
        if keys is None:
            return None
        if "set" not in keys and "add" not in keys:
            self.error(node, field, "expected `set` or `add` (which signals change)")
            return None
        return Effect(
            set=self._changes(keys["set"], f"{field}.set") if "set" in keys else (),
            add=self._changes(keys["add"], f"{field}.add") if "add" in keys else (),
            after=(self.integer(keys["after"], f"{field}.after", 1, 24 * 60) or 0)
            if "after" in keys
            else 0,
            unless=self.strings(keys["unless"], f"{field}.unless") if "unless" in keys else (),
        )

    def _cause(self, node: Node, field: str) -> Cause | None:
        keys = self.mapping(node, field, ("id", "label"), ("correct",))
        if keys is None or len(set(keys) & {"id", "label"}) < 2:
            return None
        cause_id = self.string(keys["id"], f"{field}.id", ID_PATTERN)
        label = self.string(keys["label"], f"{field}.label")
        correct = self.boolean(keys["correct"], f"{field}.correct") if "correct" in keys else False
        if cause_id is None or label is None:
            return None
        return Cause(cause_id, label, bool(correct))

    def _why(self, node: Node) -> tuple[tuple[str, str], ...]:
        if not isinstance(node, MappingNode):
            self.error(
                node,
                "scenario.why",
                f"expected a mapping of action id: reason; got {describe(node)}",
            )
            return ()
        out = []
        for key_node, value in node.value:
            action_id = self.string(key_node, "scenario.why")
            reason = self.string(value, f"scenario.why.{action_id}")
            if action_id and reason:
                out.append((action_id, reason))
        return tuple(out)

    def _check_ids(self, scenario: Scenario, keys: dict[str, Node], node: Node) -> None:
        """Duplicate ids, and the file name matching the id."""
        for what, ids, key in (
            ("action", [a.id for a in scenario.actions], "actions"),
            ("cause", [c.id for c in scenario.causes], "causes"),
        ):
            seen: set[str] = set()
            for index, item_id in enumerate(ids):
                if item_id in seen:
                    self.error(
                        keys[key].value[index],
                        f"scenario.{key}[{index}].id",
                        f"duplicate {what} id {item_id!r}",
                    )
                seen.add(item_id)
        if scenario.id and Path(self.path).stem != scenario.id:
            self.error(
                keys["id"],
                "scenario.id",
                f"expected the file name to match the id ({scenario.id}.yaml)",
            )


def load_scenario(path: Path) -> tuple[Scenario | None, list[LoadError]]:
    errors: list[LoadError] = []
    text = read_text(path, errors)
    if text is None:
        return None, errors
    reader = _ScenarioReader(str(path), errors, text)
    scenario = reader.read(compose(text, str(path), errors))
    return scenario, errors


def load_scenarios(folder: Path | None = None) -> tuple[dict[str, Scenario], list[LoadError]]:
    """Every scenario of a folder (default: the built-in ones), with the errors of the rest."""
    from trainer import paths

    folder = folder or paths.scenarios_dir()
    scenarios: dict[str, Scenario] = {}
    errors: list[LoadError] = []
    if not folder.is_dir():
        return scenarios, errors
    for path in yaml_files(folder):
        scenario, problems = load_scenario(path)
        errors.extend(problems)
        if scenario is not None:
            scenarios[scenario.id] = scenario
    return scenarios, errors
