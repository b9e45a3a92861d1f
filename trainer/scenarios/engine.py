"""The incident simulation: a clock, health signals, actions that reveal evidence, unlock
further actions, move the signals now or later, or do harm."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from trainer.scenarios.models import Action, Effect, Scenario

if TYPE_CHECKING:
    from trainer.grading.promql import QueryError


class ActionError(ValueError):
    """An action that cannot be taken now (unknown, locked, or already taken)."""


@dataclass
class Step:
    """What one action did: shown to the learner as it happens."""

    action: Action
    at_minute: int  # when it finished, minutes since the page
    signals: dict[str, float]
    relapsed: list[str] = field(default_factory=list)  # delayed effects that fired meanwhile


@dataclass
class _Pending:
    due: int
    effect: Effect
    source: str


class Simulation:
    """One play of a scenario. `take` actions, then `finish` to settle what was pending."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.minute = 0
        self.values = {s.id: s.start for s in scenario.signals}
        self.taken: list[str] = []
        self.steps: list[Step] = []
        self.hints_used = 0
        self.mitigated_at: int | None = None
        self._pending: list[_Pending] = []
        self.finished = False

    # -- what can be done ------------------------------------------------------------------
    def available(self) -> list[Action]:
        """Actions not yet taken whose prerequisites have all been taken."""
        done = set(self.taken)
        return [
            a
            for a in self.scenario.actions
            if a.id not in done and all(r in done for r in a.requires)
        ]

    def locked(self) -> list[Action]:
        done = set(self.taken)
        return [
            a
            for a in self.scenario.actions
            if a.id not in done and not all(r in done for r in a.requires)
        ]

    def clock(self) -> str:
        """The simulated wall clock, HH:MM."""
        hours, minutes = (int(x) for x in self.scenario.start.split(":"))
        total = hours * 60 + minutes + self.minute
        return f"{total // 60 % 24:02d}:{total % 60:02d}"

    def healthy(self) -> bool:
        return all(s.healthy(self.values[s.id]) for s in self.scenario.signals)

    def hint(self) -> str | None:
        """The next hint (each one costs points), or None when there are no more."""
        if self.hints_used >= len(self.scenario.hints):
            return None
        self.hints_used += 1
        return self.scenario.hints[self.hints_used - 1]

    # -- acting ----------------------------------------------------------------------------
    def take(self, action_id: str) -> Step:
        if self.finished:
            raise ActionError("the incident is closed")
        try:
            action = self.scenario.action(action_id)
        except KeyError:
            raise ActionError(f"unknown action {action_id!r}") from None
        if action_id in self.taken:
            raise ActionError(f"{action_id!r} was already taken")
        missing = [r for r in action.requires if r not in self.taken]
        if missing:
            raise ActionError(f"{action_id!r} needs {', '.join(missing)} first")
        self.taken.append(action_id)
        relapsed = self._advance(self.minute + action.minutes)
        for effect in action.effects:
            if effect.after:
                self._pending.append(_Pending(self.minute + effect.after, effect, action_id))
            else:
                self._apply(effect)
        self._note_health()
        step = Step(action, self.minute, dict(self.values), relapsed)
        self.steps.append(step)
        return step

    def finish(self) -> None:
        """Close the incident: everything still pending happens (a relapse shows up)."""
        if not self.finished:
            last = max((p.due for p in self._pending), default=self.minute)
            self._advance(max(last, self.minute))
            self.finished = True

    def _advance(self, to_minute: int) -> list[str]:
        """Move the clock, firing delayed effects that come due; their sources, in order."""
        fired = []
        for pending in sorted(self._pending, key=lambda p: p.due):
            if pending.due > to_minute:
                break
            self._pending.remove(pending)
            self.minute = pending.due
            if not any(u in self.taken for u in pending.effect.unless):
                self._apply(pending.effect)
                fired.append(pending.source)
                self._note_health()
        self.minute = to_minute
        return fired

    def _apply(self, effect: Effect) -> None:
        for name, value in effect.set:
            if name in self.values:
                self.values[name] = value
        signals = {s.id: s for s in self.scenario.signals}
        for name, delta in effect.add:
            if name not in self.values:
                continue
            signal, value = signals[name], self.values[name]
            toward_health = (delta < 0) if signal.good_max is not None else (delta > 0)
            if toward_health and signal.healthy(value):
                continue  # relief does not push an already healthy signal to odd values (0 ms)
            self.values[name] = max(0.0, value + delta)

    def _note_health(self) -> None:
        if self.healthy():
            if self.mitigated_at is None:
                self.mitigated_at = self.minute
        else:
            self.mitigated_at = None

    @property
    def harmful_taken(self) -> list[Action]:
        return [self.scenario.action(a) for a in self.taken if self.scenario.action(a).harmful]


class Lookup(NamedTuple):
    """What a typed PromQL query does in the incident.

    kind: "run" (it answers an available look-up: take it), "rerun" (a look-up already taken:
    show its result again), "locked" (a look-up that other evidence unlocks first), "invalid"
    (it does not parse), "near" (close to a look-up: a hint), "none" (nothing answers it).
    """

    kind: str
    action: Action | None = None
    message: str = ""
    error: QueryError | None = None  # why an invalid query does not parse


def lookup(simulation: Simulation, typed: str) -> Lookup:
    """Match a typed query against every look-up of the scenario: it matches when it is
    equivalent to any of a look-up's accepted queries, with label matchers as narrow or
    narrower (`pod=~"cloudmart-backend.*"` for the backend pods) and in any unit."""
    from trainer.grading.promql import Options, compare

    actions = [a for a in simulation.scenario.actions if a.queries]
    if not actions:
        return Lookup("none", message="This incident has no PromQL look-ups: pick an action.")
    options = Options(narrower_ok=True, scale_free=True)
    graded = [(compare(a.queries[0], typed, a.queries[1:], options=options), a) for a in actions]
    available = {a.id for a in simulation.available()}
    matches = [a for verdict, a in graded if verdict.verdict == "correct"]
    for action in sorted(matches, key=lambda a: a.id not in available):
        if action.id in available:
            return Lookup("run", action)
        if action.id in simulation.taken:
            return Lookup("rerun", action)
        return Lookup("locked", action, "That look-up is not open yet: other evidence leads to it.")
    best, action = max(graded, key=lambda pair: pair[0].score)
    if best.verdict == "invalid":
        return Lookup("invalid", message=best.error.message if best.error else "", error=best.error)
    if best.score >= 30 and best.hints:
        return Lookup("near", action, best.hints[0])
    return Lookup(
        "none", message="No look-up here answers that query; check the metric and labels."
    )


def play(scenario: Scenario, actions: list[str]) -> Simulation:
    """Take the actions in order and close the incident (ActionError on an invalid step)."""
    simulation = Simulation(scenario)
    for action_id in actions:
        simulation.take(action_id)
    simulation.finish()
    return simulation
