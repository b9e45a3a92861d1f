"""Typed troubleshooting scenarios, built from `scenarios/*.yaml`."""

from typing import NamedTuple

from trainer.content.models import RubricPoint
from trainer.registry import ACTION_KINDS as KINDS

ACTION_KINDS = tuple(KINDS)  # declared in trainer.registry
DIFFICULTIES = ("easy", "medium", "hard")


class Signal(NamedTuple):
    """A health signal the learner watches; healthy within good_max / good_min."""

    id: str
    label: str
    unit: str
    start: float
    good_max: float | None = None
    good_min: float | None = None

    def healthy(self, value: float) -> bool:
        if self.good_max is not None and value > self.good_max:
            return False
        return not (self.good_min is not None and value < self.good_min)


class Series(NamedTuple):
    name: str
    points: tuple[float, ...]


class Effect(NamedTuple):
    """Signal changes, now or `after` minutes, skipped if any `unless` action was taken."""

    set: tuple[tuple[str, float], ...] = ()
    add: tuple[tuple[str, float], ...] = ()
    after: int = 0
    unless: tuple[str, ...] = ()


class Action(NamedTuple):
    id: str
    label: str
    kind: str
    minutes: int
    evidence: str
    command: str | None = None
    series: tuple[Series, ...] = ()
    requires: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()
    harm: str | None = None
    promql: str | None = None  # the look-up's query, shown as the example of it
    line: int = 0
    promql_accepted: tuple[str, ...] = ()  # other queries that answer the same look-up

    @property
    def queries(self) -> tuple[str, ...]:
        """Every query that runs this look-up when typed."""
        return (self.promql, *self.promql_accepted) if self.promql else ()

    @property
    def harmful(self) -> bool:
        return self.harm is not None


class Cause(NamedTuple):
    id: str
    label: str
    correct: bool = False


class Scenario(NamedTuple):
    id: str
    title: str
    difficulty: str
    summary: str
    page: str
    first_look: str
    start: str  # HH:MM
    signals: tuple[Signal, ...]
    actions: tuple[Action, ...]
    causes: tuple[Cause, ...]
    model_path: tuple[str, ...]
    key_steps: tuple[str, ...]
    why: tuple[tuple[str, str], ...]
    hints: tuple[str, ...]
    model_writeup: str
    lesson: str
    writeup_rubric: tuple[RubricPoint, ...] = ()
    guide_refs: tuple[str, ...] = ()
    mitigate_first: bool = False
    source: str = ""
    lines: tuple[tuple[str, int], ...] = ()  # top-level key -> line, for validation messages

    def action(self, action_id: str) -> Action:
        for action in self.actions:
            if action.id == action_id:
                return action
        raise KeyError(f"unknown action {action_id!r} in scenario {self.id!r}")

    @property
    def correct_cause(self) -> Cause:
        return next(c for c in self.causes if c.correct)

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, 1)

    def why_of(self, action_id: str) -> str | None:
        return dict(self.why).get(action_id)
