"""Load scenarios from YAML (one `scenario:` per file), strictly, with positioned errors.

`load_scenarios()` is the one entry point for the CLI, the TUI and the mock interview: the
built-in scenarios, then every scenario file in `--bank` folders and the user packs folder
(`trainer.paths.user_packs_dir()`), which may also hold question-bank files. A scenario is
returned resolved for its first variant; `engine.resolve(scenario, seed)` picks another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.content.loader import is_scenario_file, read_flag, read_text, yaml_files
from trainer.content.models import LoadError, RedFlag, RubricPoint
from trainer.content.yamlnodes import ID_PATTERN, NodeReader, compose, describe
from trainer.safe_text import strip_controls
from trainer.scenarios import specs
from trainer.scenarios.models import (
    ACTION_KINDS,
    DIFFICULTIES,
    INJECT_EXPECTS,
    ROOT_CAUSE_ROLES,
    Action,
    Budget,
    Cause,
    Communication,
    Effect,
    EvidenceCase,
    Inject,
    KeyStep,
    RootCause,
    Scenario,
    ScenarioPoint,
    Series,
    Signal,
)

CLOCK = re.compile(specs.CLOCK)
SIGNAL_ID = re.compile(specs.SIGNAL_ID)
COMMUNICATION_FILE = "_communication.yaml"
MAX_VARIANTS = specs.MAX_VARIANTS
MAX_MINUTES = specs.MAX_MINUTES
REQUIRED = specs.SCENARIO.required
OPTIONAL = specs.SCENARIO.optional
MOVED = {
    "causes": "the options moved to root_cause.choices (the multiple-choice hint); add "
    "root_cause.model and root_cause.rubric (see README, Scenario format)",
}


class _ScenarioReader(NodeReader):
    def read(self, root: Node | None) -> Scenario | None:
        """The scenario as far as it could be read (check `errors` for what could not)."""
        if root is None:
            if not self.errors:  # not a syntax error: nothing but comments or blank lines
                self.errors.append(
                    LoadError(self.path, 1, 1, "", "empty document: expected `scenario:`")
                )
            return None
        top = self.mapping(root, "", specs.SCENARIO_FILE.required)
        if not top or "scenario" not in top:
            return None
        node = top["scenario"]
        self._moved_keys(node)
        keys = self.mapping(node, "scenario", REQUIRED, OPTIONAL + tuple(MOVED))
        if keys is None:
            return None
        text = {
            name: self.string(keys[name], f"scenario.{name}") if name in keys else None
            for name in ("title", "summary", "page", "first_look", "model_writeup", "lesson")
        }
        scenario_id = self.string(keys["id"], "scenario.id", ID_PATTERN) if "id" in keys else None
        difficulty = self._choice(keys.get("difficulty"), "scenario.difficulty", DIFFICULTIES)
        start = self.string(keys["start"], "scenario.start") if "start" in keys else None
        if start is not None and "{" not in start and not CLOCK.match(start):
            self.error(keys["start"], "scenario.start", f"expected a time HH:MM; got {start!r}")
        signals = self._signals(keys["signals"]) if "signals" in keys else []
        actions = self._list(keys, "actions", self._action)
        injects = self._list(keys, "injects", self._inject)
        key_steps = self._list(keys, "key_steps", self._key_step)
        if "key_steps" in keys and not key_steps and not self._has_errors_in(keys["key_steps"]):
            self.error(keys["key_steps"], "scenario.key_steps", "expected at least 1 key step")
        writeup = self._list(
            keys, "writeup_rubric", lambda n, f: self._point(n, f, roles=False), "rubric points"
        )
        flag = {
            name: self.boolean(keys[name], f"scenario.{name}") if name in keys else False
            for name in ("mitigate_first", "unconverted")
        }
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
            root_cause=self._root_cause(keys["root_cause"])
            if "root_cause" in keys
            else RootCause("", ()),
            model_path=self.strings(keys["model_path"], "scenario.model_path", minimum=1)
            if "model_path" in keys
            else (),
            key_steps=tuple(key_steps),
            why=self._why(keys["why"]) if "why" in keys else (),
            hints=self.strings(keys["hints"], "scenario.hints") if "hints" in keys else (),
            model_writeup=text["model_writeup"] or "",
            lesson=text["lesson"] or "",
            writeup_points=tuple(writeup),
            guide_refs=(
                self.strings(keys["guide_refs"], "scenario.guide_refs")
                if "guide_refs" in keys
                else ()
            ),
            mitigate_first=bool(flag["mitigate_first"]),
            communication=self._communication(keys["communication"])
            if "communication" in keys
            else Communication(),
            injects=tuple(injects),
            moments=self._moments(keys["moments"]) if "moments" in keys else (),
            variants=self._variants(keys["variants"]) if "variants" in keys else (),
            budget=self._budget(keys["budget"]) if "budget" in keys else None,
            unconverted=bool(flag["unconverted"]),
            source=self.path,
            lines=tuple((k, v.start_mark.line + 1) for k, v in keys.items()),
        )
        self._check_ids(scenario, keys)
        return scenario

    # -- helpers ---------------------------------------------------------------------------
    def _moved_keys(self, node: Node) -> None:
        """Keys of the old format: say where their content went (the unknown-key error that
        follows names the allowed keys)."""
        if not isinstance(node, MappingNode):
            return
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value in MOVED:
                self.error(key_node, f"scenario.{key_node.value}", MOVED[key_node.value])

    def _has_errors_in(self, node: Node) -> bool:
        first, last = node.start_mark.line + 1, node.end_mark.line + 1
        return any(e.path == self.path and first <= e.line <= last for e in self.errors)

    def _list(self, keys: dict[str, Node], name: str, read, what: str | None = None) -> list:
        if name not in keys:
            return []
        return self.records(keys[name], f"scenario.{name}", what or name.replace("_", " "), read)

    def _choice(self, node: Node | None, field: str, allowed: tuple[str, ...]) -> str | None:
        if node is None:
            return None
        value = self.string(node, field)
        if value is not None and value not in allowed:
            self.error(node, field, f"expected one of {', '.join(allowed)}; got {value!r}")
            return None
        return value

    def _ids(self, node: Node, field: str) -> tuple[str, ...]:
        values = self.strings(node, field)
        for index, value in enumerate(values):
            if not ID_PATTERN.match(value):
                self.error(
                    node.value[index],
                    f"{field}[{index}]",
                    f"expected an id (lowercase letters, digits, - . _); got {value!r}",
                )
        return values

    # -- sections --------------------------------------------------------------------------
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
            keys = self.mapping(value, field, specs.SIGNAL.required, specs.SIGNAL.optional)
            if keys is None or len(set(keys) & {"label", "unit", "start"}) < 3:
                continue
            label = self.string(keys["label"], f"{field}.label")
            unit = strip_controls(keys["unit"].value) if keys["unit"].tag.endswith(":str") else None
            if unit is None:
                self.error(keys["unit"], f"{field}.unit", "expected text (may be empty)")
            start = self.number(keys["start"], f"{field}.start", minimum=0)
            number = {
                name: self.number(keys[name], f"{field}.{name}") if name in keys else None
                for name in ("good_max", "good_min", "drift", "limit")
            }
            if "good_max" not in keys and "good_min" not in keys:
                self.error(value, field, "expected good_max or good_min (what healthy means)")
            if "limit" in keys and "drift" not in keys:
                self.error(keys["limit"], f"{field}.limit", "a limit bounds `drift`: add drift")
            if any(v is None for v in (label, unit, start)):
                continue
            if any(s.id == signal_id for s in signals):
                self.error(key_node, field, "duplicate signal")
                continue
            assert label is not None and unit is not None and start is not None  # checked above
            signal = Signal(
                signal_id,
                label,
                unit,
                start,
                number["good_max"],
                number["good_min"],
                number["drift"] or 0.0,
                number["limit"],
            )
            self._check_drift(signal, keys, field)
            signals.append(signal)
        return signals

    def _check_drift(self, signal: Signal, keys: dict[str, Node], field: str) -> None:
        if not signal.drift:
            return
        worse_up = signal.good_max is not None
        if (signal.drift > 0) != worse_up:
            self.error(
                keys["drift"],
                f"{field}.drift",
                "drift is how an unhealthy signal worsens per minute: positive for a "
                "good_max signal, negative for a good_min one",
            )
        if signal.limit is not None and (
            (worse_up and signal.limit < signal.start)
            or (not worse_up and signal.limit > signal.start)
        ):
            self.error(keys["limit"], f"{field}.limit", "the limit must be beyond the start value")

    def _action(self, node: Node, field: str) -> Action | None:
        keys = self.mapping(node, field, specs.ACTION.required, specs.ACTION.optional)
        if keys is None:
            return None
        action_id = self.string(keys["id"], f"{field}.id", ID_PATTERN) if "id" in keys else None
        values = (
            action_id,
            self.string(keys["label"], f"{field}.label") if "label" in keys else None,
            self._choice(keys.get("kind"), f"{field}.kind", ACTION_KINDS),
            self.integer(keys["minutes"], f"{field}.minutes", 0, MAX_MINUTES)
            if "minutes" in keys
            else None,
            self.string(keys["evidence"], f"{field}.evidence") if "evidence" in keys else None,
        )
        series = self._list_at(keys, "series", field, self._series)
        effects = self._list_at(keys, "effects", field, self._effect)
        cases = self._list_at(keys, "evidence_when", field, self._evidence_case, "cases")
        command = self.optional_string(keys.get("command"), f"{field}.command")
        harm = self.optional_string(keys.get("harm"), f"{field}.harm")
        queries = self._queries(keys.get("promql"), f"{field}.promql")
        requires = self._ids(keys["requires"], f"{field}.requires") if "requires" in keys else ()
        resets = self.strings(keys["resets"], f"{field}.resets") if "resets" in keys else ()
        if action_id is None:
            return None
        # An action with a field in error is kept with its id so references to it still resolve:
        # `validate` reports the field errors once, not again as unknown actions; the file does
        # not load for play.
        _, label, kind, minutes, evidence = values
        return Action(
            action_id,
            label or "",
            kind or "diagnose",
            minutes or 0,
            evidence if evidence is not None and None not in values else "",
            command=command,
            series=tuple(series),
            requires=requires,
            effects=tuple(effects),
            harm=harm,
            promql=queries[0] if queries else None,
            line=node.start_mark.line + 1,
            evidence_when=tuple(cases),
            resets=resets,
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

    def _list_at(self, keys, name: str, field: str, read, what: str | None = None) -> list:
        if name not in keys:
            return []
        return self.records(keys[name], f"{field}.{name}", what or name, read)

    def _evidence_case(self, node: Node, field: str) -> EvidenceCase | None:
        keys = self.mapping(node, field, specs.EVIDENCE_CASE.required)
        if keys is None or len(keys) < 2:
            return None
        taken = self._ids(keys["taken"], f"{field}.taken")
        evidence = self.string(keys["evidence"], f"{field}.evidence")
        if not taken:
            self.error(keys["taken"], f"{field}.taken", "expected at least 1 action or key step")
        if evidence is None or not taken:
            return None
        return EvidenceCase(taken, evidence, node.start_mark.line + 1)

    def _series(self, node: Node, field: str) -> Series | None:
        keys = self.mapping(node, field, specs.SERIES.required, specs.SERIES.optional)
        if keys is None or len(set(keys) & {"name", "points"}) < 2:
            return None
        name = self.string(keys["name"], f"{field}.name")
        points = [
            self.number(p, f"{field}.points[{i}]")
            for i, p in enumerate(self.sequence(keys["points"], f"{field}.points", "numbers"))
        ]
        if len(points) < 2:
            self.error(keys["points"], f"{field}.points", "expected at least 2 numbers")
        signal = self.string(keys["signal"], f"{field}.signal") if "signal" in keys else None
        step = self.integer(keys["step"], f"{field}.step", 1, 60) if "step" in keys else 1
        if "step" in keys and "signal" not in keys:
            self.error(keys["step"], f"{field}.step", "step is for a live series: add `signal`")
        numbers = [p for p in points if p is not None]
        if name is None or len(numbers) < len(points) or step is None:
            return None
        return Series(name, tuple(numbers), signal, step)

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
        keys = self.mapping(node, field, (), specs.EFFECT.optional)
        if keys is None:
            return None
        if not {"set", "add", "drift"} & set(keys):
            self.error(node, field, "expected `set`, `add` or `drift` (which signals change)")
            return None
        return Effect(
            set=self._changes(keys["set"], f"{field}.set") if "set" in keys else (),
            add=self._changes(keys["add"], f"{field}.add") if "add" in keys else (),
            after=(self.integer(keys["after"], f"{field}.after", 1, MAX_MINUTES) or 0)
            if "after" in keys
            else 0,
            unless=self._ids(keys["unless"], f"{field}.unless") if "unless" in keys else (),
            drift=self._changes(keys["drift"], f"{field}.drift") if "drift" in keys else (),
            when=self._ids(keys["when"], f"{field}.when") if "when" in keys else (),
        )

    def _inject(self, node: Node, field: str) -> Inject | None:
        keys = self.mapping(node, field, specs.INJECT.required, specs.INJECT.optional)
        if keys is None or len(set(keys) & {"id", "text"}) < 2:
            return None
        inject_id = self.string(keys["id"], f"{field}.id", ID_PATTERN)
        text = self.string(keys["text"], f"{field}.text")
        at = self.integer(keys["at"], f"{field}.at", 0, MAX_MINUTES) if "at" in keys else None
        after = self._ids(keys["after"], f"{field}.after") if "after" in keys else ()
        if ("at" in keys) == ("after" in keys):
            self.error(node, field, "expected exactly one of `at` (minutes) or `after` (actions)")
        expects = self._choice(keys.get("expects"), f"{field}.expects", INJECT_EXPECTS)
        actions = self._ids(keys["actions"], f"{field}.actions") if "actions" in keys else ()
        if expects == "action" and not actions:
            self.error(node, field, "expects: action needs `actions` (any of them answers it)")
        if actions and expects != "action":
            self.error(keys["actions"], f"{field}.actions", "`actions` needs expects: action")
        within = (
            self.integer(keys["within"], f"{field}.within", 1, MAX_MINUTES)
            if "within" in keys
            else None
        )
        cost = self.integer(keys["cost"], f"{field}.cost", 0, 30) if "cost" in keys else 0
        effects = self._list_at(keys, "effects", field, self._effect)
        for name in ("within", "cost", "effects"):
            if name in keys and "expects" not in keys:
                self.error(keys[name], f"{field}.{name}", f"`{name}` needs `expects`")
        if "expects" in keys and "within" not in keys:
            self.error(node, field, "expects needs `within` (minutes to answer)")
        if inject_id is None or text is None:
            return None
        return Inject(
            inject_id,
            text,
            at,
            after,
            expects,
            actions,
            within,
            cost or 0,
            tuple(effects),
            node.start_mark.line + 1,
        )

    def _key_step(self, node: Node, field: str) -> KeyStep | None:
        if isinstance(node, ScalarNode):
            self.error(
                node,
                field,
                f"expected a mapping {{id, what, by}}; got {describe(node)} (a key step is now "
                "a group of equivalent evidence: `by` lists the actions, any one satisfies it)",
            )
            return None
        keys = self.mapping(node, field, specs.KEY_STEP.required, specs.KEY_STEP.optional)
        if keys is None or len(set(keys) & {"id", "what", "by"}) < 3:
            return None
        step_id = self.string(keys["id"], f"{field}.id", ID_PATTERN)
        what = self.string(keys["what"], f"{field}.what")
        by = self._ids(keys["by"], f"{field}.by")
        if not by:
            self.error(keys["by"], f"{field}.by", "expected at least 1 action")
        reveals = (
            self.boolean(keys["reveals_cause"], f"{field}.reveals_cause")
            if "reveals_cause" in keys
            else False
        )
        if step_id is None or what is None or not by:
            return None
        return KeyStep(step_id, what, by, bool(reveals), node.start_mark.line + 1)

    def _point(self, node: Node, field: str, roles: bool) -> ScenarioPoint | None:
        """A rubric point (as on cards) with `needs_action`, and for the root cause `role`."""
        spec = specs.ROOT_CAUSE_POINT if roles else specs.SCENARIO_POINT
        required = spec.required
        keys = self.mapping(node, field, required, spec.optional)
        if keys is None or len(set(required) & set(keys)) < len(required):
            return None
        text = self.string(keys["point"], f"{field}.point")
        weight = self.integer(keys["weight"], f"{field}.weight", 1, 3)
        phrases = self.strings(keys["phrases"], f"{field}.phrases", minimum=1)
        follow_up = self.optional_string(keys.get("follow_up"), f"{field}.follow_up")
        role = self._choice(keys.get("role"), f"{field}.role", ROOT_CAUSE_ROLES)
        needs = (
            self._ids(keys["needs_action"], f"{field}.needs_action")
            if "needs_action" in keys
            else ()
        )
        if text is None or weight is None or not phrases or (roles and role is None):
            return None
        return ScenarioPoint(RubricPoint(text, weight, phrases, follow_up), role, needs)

    def _flag(self, node: Node, field: str) -> RedFlag | None:
        return read_flag(self, node, field)

    def _root_cause(self, node: Node) -> RootCause:
        field = "scenario.root_cause"
        keys = self.mapping(node, field, specs.ROOT_CAUSE.required, specs.ROOT_CAUSE.optional)
        if keys is None:
            return RootCause("", ())
        model = self.string(keys["model"], f"{field}.model") if "model" in keys else None
        rubric = self._list_at(
            keys, "rubric", field, lambda n, f: self._point(n, f, roles=True), "rubric points"
        )
        if "rubric" in keys and rubric and not any(p.role == "mechanism" for p in rubric):
            self.error(
                keys["rubric"], f"{field}.rubric", "expected at least 1 point with role: mechanism"
            )
        flags = self._list_at(keys, "red_flags", field, self._flag, "red flags")
        choices = self._list_at(keys, "choices", field, self._cause, "choices")
        return RootCause(model or "", tuple(rubric), tuple(flags), tuple(choices))

    def _cause(self, node: Node, field: str) -> Cause | None:
        keys = self.mapping(node, field, specs.CAUSE.required, specs.CAUSE.optional)
        if keys is None or len(set(keys) & {"id", "label"}) < 2:
            return None
        cause_id = self.string(keys["id"], f"{field}.id", ID_PATTERN)
        label = self.string(keys["label"], f"{field}.label")
        correct = self.boolean(keys["correct"], f"{field}.correct") if "correct" in keys else False
        if cause_id is None or label is None:
            return None
        return Cause(cause_id, label, bool(correct))

    def _communication(self, node: Node) -> Communication:
        field = "scenario.communication"
        keys = self.mapping(node, field, (), specs.COMMUNICATION.optional)
        if keys is None:
            return Communication()
        rubric = self._list_at(
            keys, "rubric", field, lambda n, f: self._point(n, f, roles=False), "rubric points"
        )
        flags = self._list_at(keys, "red_flags", field, self._flag, "red flags")
        updates = (
            self.strings(keys["model_updates"], f"{field}.model_updates")
            if "model_updates" in keys
            else ()
        )
        hedges = self.strings(keys["hedges"], f"{field}.hedges") if "hedges" in keys else ()
        return Communication(tuple(p.point for p in rubric), tuple(flags), updates, hedges)

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

    def _moments(self, node: Node) -> tuple[tuple[str, int], ...]:
        if not isinstance(node, MappingNode):
            self.error(
                node,
                "scenario.moments",
                f"expected a mapping of name: minutes before the page; got {describe(node)}",
            )
            return ()
        out: list[tuple[str, int]] = []
        for key_node, value in node.value:
            name = self.string(key_node, "scenario.moments", SIGNAL_ID)
            minutes = self.integer(value, f"scenario.moments.{name}", 0, 400 * MAX_MINUTES)
            if name is not None and minutes is not None:
                if any(n == name for n, _ in out):
                    self.error(key_node, f"scenario.moments.{name}", "duplicate moment")
                    continue
                out.append((name, -minutes))
        return tuple(out)

    def _variants(self, node: Node) -> tuple[tuple[tuple[str, str], ...], ...]:
        field = "scenario.variants"
        items = self.sequence(node, field, "variants (mappings of name: text)")
        if len(items) > MAX_VARIANTS:
            self.error(node, field, f"expected at most {MAX_VARIANTS} variants; got {len(items)}")
            return ()
        out: list[tuple[tuple[str, str], ...]] = []
        names: list[str] | None = None
        for index, item in enumerate(items):
            where = f"{field}[{index}]"
            if not isinstance(item, MappingNode):
                self.error(item, where, f"expected a mapping of name: text; got {describe(item)}")
                continue
            values = []
            for key_node, value in item.value:
                name = self.string(key_node, where, SIGNAL_ID)
                text = self._scalar_text(value, f"{where}.{name}")
                if name is not None and text is not None:
                    values.append((name, text))
            keys = [n for n, _ in values]
            if names is None:
                names = keys
            elif sorted(keys) != sorted(names):
                self.error(
                    item,
                    where,
                    f"expected the same names as the first variant ({', '.join(names)}); "
                    f"got {', '.join(keys)}",
                )
            out.append(tuple(values))
        if isinstance(node, SequenceNode) and not items:
            self.error(node, field, "expected at least 1 variant (or no `variants` key)")
        return tuple(out)

    def _scalar_text(self, node: Node, field: str) -> str | None:
        """Text or a number, as text (a variant's value fills text)."""
        if isinstance(node, ScalarNode) and node.tag.endswith((":int", ":float")):
            return node.value
        value = self.string(node, field)
        if value is not None and "{" in value:
            self.error(node, field, "a variant value cannot hold templates")
            return None
        return value

    def _budget(self, node: Node) -> Budget | None:
        field = "scenario.budget"
        keys = self.mapping(node, field, specs.BUDGET.required, specs.BUDGET.optional)
        if keys is None or len(set(keys) & {"signal", "slo"}) < 2:
            return None
        signal = self.string(keys["signal"], f"{field}.signal")
        slo = self.number(keys["slo"], f"{field}.slo", minimum=50)
        if slo is not None and slo >= 100:
            self.error(keys["slo"], f"{field}.slo", "expected a percentage below 100 (e.g. 99.9)")
            slo = None
        days = (
            self.integer(keys["window_days"], f"{field}.window_days", 1, 366)
            if "window_days" in keys
            else 30
        )
        spent = self.number(keys["spent"], f"{field}.spent", minimum=0) if "spent" in keys else 0
        if signal is None or slo is None or days is None or spent is None:
            return None
        return Budget(signal, slo, days, spent)

    def _check_ids(self, scenario: Scenario, keys: dict[str, Node]) -> None:
        """Duplicate ids (actions, key steps and injects share one namespace, since `requires`
        may name any of them), and the file name matching the id."""
        seen: dict[str, str] = {}
        groups: tuple[tuple[str, tuple[Any, ...], str], ...] = (
            ("action", scenario.actions, "actions"),
            ("key step", scenario.key_steps, "key_steps"),
            ("inject", scenario.injects, "injects"),
        )
        for what, items, key in groups:
            for index, item in enumerate(items):
                if item.id in seen:
                    self.error(
                        keys[key],
                        f"scenario.{key}[{index}].id",
                        f"{what} id {item.id!r} is already used by a {seen[item.id]}",
                    )
                seen.setdefault(item.id, what)
        seen_causes: set[str] = set()
        for index, cause in enumerate(scenario.root_cause.choices):
            if cause.id in seen_causes:
                self.error(
                    keys["root_cause"],
                    f"scenario.root_cause.choices[{index}].id",
                    f"duplicate choice id {cause.id!r}",
                )
            seen_causes.add(cause.id)
        if scenario.id and Path(self.path).stem != scenario.id:
            self.error(
                keys["id"],
                "scenario.id",
                f"expected the file name to match the id ({scenario.id}.yaml)",
            )


def read_scenario(path: Path) -> tuple[Scenario | None, list[LoadError]]:
    """A scenario file as far as it can be read, unresolved, with every error found (for
    `validate`, which checks references even in a file with shape errors)."""
    errors: list[LoadError] = []
    text = read_text(path, errors)
    if text is None:
        return None, errors
    reader = _ScenarioReader(str(path), errors, text)
    root = compose(text, str(path), errors)
    if root is None and errors:
        return None, errors  # a syntax error, already reported
    scenario = reader.read(root)
    if scenario is not None:
        scenario = _with_default_communication(scenario)
    return scenario, errors


def load_scenario(path: Path) -> tuple[Scenario | None, list[LoadError]]:
    """One playable scenario (resolved for its first variant), or None and its errors."""
    from trainer.scenarios.engine import resolve

    scenario, errors = read_scenario(path)
    if scenario is None or errors:
        return None, errors
    return resolve(scenario, None), errors


def _with_default_communication(scenario: Scenario) -> Scenario:
    """The built-in communication rubric and red flags where the scenario gives none."""
    own = scenario.communication
    default = default_communication()
    return scenario._replace(
        communication=Communication(
            own.rubric or default.rubric,
            default.red_flags + own.red_flags,
            own.model_updates,
            own.hedges or default.hedges,
        )
    )


@lru_cache(maxsize=1)
def default_communication() -> Communication:
    """`scenarios/_communication.yaml`: the rubric every status update is graded by."""
    from trainer import paths

    path = paths.scenarios_dir() / COMMUNICATION_FILE
    communication, errors = read_communication(path)
    if errors:
        raise ValueError(f"the built-in communication rubric is broken: {errors[0]}")
    return communication


def read_communication(path: Path) -> tuple[Communication, list[LoadError]]:
    errors: list[LoadError] = []
    text = read_text(path, errors)
    if text is None:
        return Communication(), errors
    reader = _ScenarioReader(str(path), errors, text)
    root = compose(text, str(path), errors)
    if root is None:
        return Communication(), errors
    top = reader.mapping(root, "", specs.COMMUNICATION_FILE.required)
    if not top or "communication" not in top:
        return Communication(), errors
    communication = reader._communication(top["communication"])
    if not communication.rubric:
        reader.error(top["communication"], "communication.rubric", "expected rubric points")
    return communication, errors


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files of a folder: built-in ones all are (but `_*.yaml`), pack folders
    mix them with question-bank files."""
    return [p for p in yaml_files(folder) if not p.name.startswith("_") and is_scenario_file(p)]


def load_scenarios(
    folder: Path | None = None,
    pack_dirs: Iterable[Path] = (),
    include_user_packs: bool = True,
    files: Iterable[Path] = (),
) -> tuple[dict[str, Scenario], list[LoadError]]:
    """Every playable scenario: the built-in folder (or `folder`), then the scenario files in
    `pack_dirs`, the user packs folder and `files`. A broken file, or one whose id is already
    taken, is reported in the errors and skipped; the rest still load."""
    from trainer import paths

    sources: list[Path] = []
    builtin = folder or paths.scenarios_dir()
    if builtin.is_dir():
        sources += scenario_files(builtin)
    folders = [Path(p) for p in pack_dirs]
    if include_user_packs:
        folders.append(paths.user_packs_dir())
    errors: list[LoadError] = []
    for pack in folders:
        if pack.is_dir():
            sources += scenario_files(pack)
        elif pack.exists() or pack in pack_dirs:
            errors.append(LoadError(str(pack), 0, 0, "", "not a folder of YAML files"))
    sources += [Path(f) for f in files]
    scenarios: dict[str, Scenario] = {}
    for path in sources:
        scenario, problems = load_scenario(path)
        errors.extend(problems)
        if scenario is None:
            continue
        taken = taken_id(scenario, path, scenarios)
        if taken is not None:
            errors.append(taken)
            continue
        scenarios[scenario.id] = scenario
    return scenarios, errors


def taken_id(scenario: Scenario, path: Path, earlier: dict[str, Scenario]) -> LoadError | None:
    """The error for a scenario whose id an earlier file already took, else None."""
    if scenario.id not in earlier:
        return None
    return LoadError(
        str(path),
        scenario.line_of("id"),
        1,
        "scenario.id",
        f"duplicate scenario id {scenario.id!r} (first defined in {earlier[scenario.id].source})",
    )
