"""Checks a scenario beyond its shape: references, reachability, and a model path that is
valid and mitigates."""

from __future__ import annotations

from trainer.content.models import LoadError
from trainer.scenarios.engine import ActionError, Simulation, play
from trainer.scenarios.models import Scenario


def check(scenario: Scenario) -> list[LoadError]:
    errors: list[LoadError] = []
    path = scenario.source
    actions = {a.id for a in scenario.actions}
    signals = {s.id for s in scenario.signals}

    def error(line: int, field: str, message: str) -> None:
        errors.append(LoadError(path, line, 1, field, message))

    for index, action in enumerate(scenario.actions):
        field = f"scenario.actions[{index}]"
        for query in action.queries:
            from trainer.grading.promql import normalize

            try:
                normalize(query)
            except ValueError as exc:
                error(action.line, f"{field}.promql", f"not valid PromQL: {exc}")
        if action.command and "promql" in action.command.lower() and not action.promql:
            error(
                action.line,
                f"{field}.command",
                "mentions PromQL, but a query typed in the incident only matches `promql:`; "
                "move the query there",
            )
        for required in action.requires:
            if required not in actions:
                error(action.line, f"{field}.requires", f"unknown action {required!r}")
        for number, effect in enumerate(action.effects):
            for name, _ in effect.set + effect.add:
                if name not in signals:
                    error(
                        action.line,
                        f"{field}.effects[{number}]",
                        f"unknown signal {name!r}; expected one of {', '.join(sorted(signals))}",
                    )
            for other in effect.unless:
                if other not in actions:
                    error(
                        action.line,
                        f"{field}.effects[{number}].unless",
                        f"unknown action {other!r}",
                    )

    for key in ("model_path", "key_steps"):
        for action_id in getattr(scenario, key):
            if action_id not in actions:
                error(scenario.line_of(key), f"scenario.{key}", f"unknown action {action_id!r}")
    for action_id in scenario.key_steps:
        if action_id in actions and action_id not in scenario.model_path:
            error(
                scenario.line_of("key_steps"),
                "scenario.key_steps",
                f"{action_id!r} is a key step but not on the model path",
            )
    for action_id, _ in scenario.why:
        if action_id not in actions:
            error(scenario.line_of("why"), f"scenario.why.{action_id}", "unknown action")
    for action_id in scenario.model_path:
        if action_id in actions and action_id not in dict(scenario.why):
            error(
                scenario.line_of("why"),
                "scenario.why",
                f"missing: why the model step {action_id!r} matters",
            )

    correct = [c for c in scenario.causes if c.correct]
    if len(correct) != 1:
        error(
            scenario.line_of("causes"),
            "scenario.causes",
            f"expected exactly one cause with correct: true; got {len(correct)}",
        )

    reachable: set[str] = set()
    grew = True
    while grew:
        grew = False
        for action in scenario.actions:
            if action.id not in reachable and all(r in reachable for r in action.requires):
                reachable.add(action.id)
                grew = True
    for index, action in enumerate(scenario.actions):
        if action.id not in reachable:
            error(
                action.line,
                f"scenario.actions[{index}]",
                f"{action.id!r} can never be unlocked (requires {', '.join(action.requires)})",
            )

    if errors:
        return errors  # the model path cannot be checked against broken references
    line = scenario.line_of("model_path")
    try:
        simulation = play(scenario, list(scenario.model_path))
    except ActionError as exc:
        error(line, "scenario.model_path", f"not a valid path: {exc}")
        return errors
    harmful = [a.id for a in simulation.harmful_taken]
    if harmful:
        error(line, "scenario.model_path", f"includes harmful action(s) {', '.join(harmful)}")
    if not simulation.healthy():
        if _any_path_mitigates(scenario):
            error(
                line,
                "scenario.model_path",
                f"does not mitigate: unhealthy at the end ({_unhealthy(simulation)})",
            )
        else:
            error(
                line,
                "scenario.model_path",
                f"no path mitigates: even every safe action leaves {_unhealthy(simulation)}",
            )
    return errors


def _unhealthy(simulation: Simulation) -> str:
    return ", ".join(
        f"{s.id}={simulation.values[s.id]:g}"
        for s in simulation.scenario.signals
        if not s.healthy(simulation.values[s.id])
    )


def _any_path_mitigates(scenario: Scenario) -> bool:
    """Taking every safe action as soon as it unlocks: a generous check that a fix exists."""
    simulation = Simulation(scenario)
    while True:
        options = [a for a in simulation.available() if not a.harmful]
        if not options:
            break
        simulation.take(options[0].id)
    simulation.finish()
    return simulation.healthy()
