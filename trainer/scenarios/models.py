"""Typed troubleshooting scenarios, built from `scenarios/*.yaml` (see README, "Scenario format").

A loaded `Scenario` is resolved for one variant: its `{var.*}` and `{start±N}` templates are
filled, while the templates that follow the state (`{clock}`, `{signal.*}`, `{age.*}`, ...) stay
in the text and are rendered by the engine at the moment of an action. `template` keeps the
unresolved scenario so another variant can be chosen (`engine.resolve`).
"""

from __future__ import annotations

from typing import NamedTuple

from trainer.content.models import RedFlag, RubricPoint
from trainer.registry import ACTION_KINDS as KINDS

ACTION_KINDS = tuple(KINDS)  # declared in trainer.registry
DIFFICULTIES = ("easy", "medium", "hard")
ROOT_CAUSE_ROLES = ("mechanism", "trigger", "evidence")
INJECT_EXPECTS = ("update", "action")


class Signal(NamedTuple):
    """A health signal the learner watches; healthy within good_max / good_min. While
    unhealthy it moves by `drift` per simulated minute (worsening), never past `limit`."""

    id: str
    label: str
    unit: str
    start: float
    good_max: float | None = None
    good_min: float | None = None
    drift: float = 0.0
    limit: float | None = None

    def healthy(self, value: float) -> bool:
        if self.good_max is not None and value > self.good_max:
            return False
        return not (self.good_min is not None and value < self.good_min)


class Series(NamedTuple):
    """A metric history. With `signal`, the points are the history before the page and the
    simulation appends the signal's value every `step` minutes (the window keeps its length)."""

    name: str
    points: tuple[float, ...]
    signal: str | None = None
    step: int = 1


class Effect(NamedTuple):
    """Signal changes, now or `after` minutes; skipped if any `unless` happened by then, and
    applied only if one of `when` did (action or key-step ids). `drift` replaces signals'
    drift per minute (a partial fix slows the worsening)."""

    set: tuple[tuple[str, float], ...] = ()
    add: tuple[tuple[str, float], ...] = ()
    after: int = 0
    unless: tuple[str, ...] = ()
    drift: tuple[tuple[str, float], ...] = ()
    when: tuple[str, ...] = ()


class EvidenceCase(NamedTuple):
    """Evidence shown instead of the default once any of `taken` (action or key-step ids)
    happened before the action."""

    taken: tuple[str, ...]
    evidence: str
    line: int = 0


class Action(NamedTuple):
    id: str
    label: str
    kind: str
    minutes: int
    evidence: str
    command: str | None = None
    series: tuple[Series, ...] = ()
    requires: tuple[str, ...] = ()  # action, key-step or inject ids: all must have happened
    effects: tuple[Effect, ...] = ()
    harm: str | None = None
    promql: str | None = None  # the look-up's query, shown as the example of it
    line: int = 0
    evidence_when: tuple[EvidenceCase, ...] = ()
    resets: tuple[str, ...] = ()  # moments that restart at the end of this action
    promql_accepted: tuple[str, ...] = ()  # other queries that answer the same look-up

    @property
    def queries(self) -> tuple[str, ...]:
        """Every query that runs this look-up when typed."""
        return (self.promql, *self.promql_accepted) if self.promql else ()

    @property
    def harmful(self) -> bool:
        return self.harm is not None

    @property
    def repeatable(self) -> bool:
        """Status updates can be posted again and again; everything else is taken once."""
        return self.kind == "communicate"


class Cause(NamedTuple):
    """One option of the multiple-choice hint."""

    id: str
    label: str
    correct: bool = False


class ScenarioPoint(NamedTuple):
    """A rubric point of a scenario: root cause (with its role) or write-up. A point with
    `needs_action` is credited only if one of those actions (or key steps) happened in the run:
    a claim the run contradicts ("rolled back" without a rollback) earns nothing."""

    point: RubricPoint
    role: str | None = None
    needs_action: tuple[str, ...] = ()


class RootCause(NamedTuple):
    model: str  # what a strong engineer types (played by --model-path)
    rubric: tuple[ScenarioPoint, ...]
    red_flags: tuple[RedFlag, ...] = ()
    choices: tuple[Cause, ...] = ()  # the multiple-choice hint

    @property
    def card_rubric(self) -> tuple[RubricPoint, ...]:
        return tuple(p.point for p in self.rubric)


class KeyStep(NamedTuple):
    """A group of equivalent evidence: taking any one of `by` satisfies it. With
    `reveals_cause`, this evidence exposes the root cause: what names the cause may unlock
    only after it (the validator checks it)."""

    id: str
    what: str
    by: tuple[str, ...]
    reveals_cause: bool = False
    line: int = 0


class Inject(NamedTuple):
    """Something that happens during the incident: at minute `at` after the page, or when one
    of `after` actions is taken. With `expects`, the player must answer within `within`
    minutes (a status update, or one of `actions`), else it costs `cost` points and the
    `effects` land (a teammate's bad fix)."""

    id: str
    text: str
    at: int | None = None
    after: tuple[str, ...] = ()
    expects: str | None = None
    actions: tuple[str, ...] = ()
    within: int | None = None
    cost: int = 0
    effects: tuple[Effect, ...] = ()
    line: int = 0


class Communication(NamedTuple):
    """How status updates are graded: the rubric and red flags (the defaults come from
    `scenarios/_communication.yaml`), the words that mark a cause as a hypothesis ("we
    suspect"), and the updates the model path posts, in order."""

    rubric: tuple[RubricPoint, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    model_updates: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()


class Budget(NamedTuple):
    """The error budget the `signal` (a percentage of failed requests) burns; `spent` is the
    percent of it already gone at the page."""

    signal: str
    slo: float  # percent, e.g. 99.9
    window_days: int = 30
    spent: float = 0.0


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
    root_cause: RootCause
    model_path: tuple[str, ...]
    key_steps: tuple[KeyStep, ...]
    why: tuple[tuple[str, str], ...]
    hints: tuple[str, ...]
    model_writeup: str
    lesson: str
    writeup_points: tuple[ScenarioPoint, ...] = ()
    guide_refs: tuple[str, ...] = ()
    mitigate_first: bool = False
    communication: Communication = Communication()
    injects: tuple[Inject, ...] = ()
    moments: tuple[tuple[str, int], ...] = ()  # name -> minutes before the page
    variants: tuple[tuple[tuple[str, str], ...], ...] = ()
    variant: int = 0  # which of `variants` this scenario is resolved for
    budget: Budget | None = None
    unconverted: bool = False  # phase-B marker: content checks are warnings, not errors
    source: str = ""
    lines: tuple[tuple[str, int], ...] = ()  # top-level key -> line, for validation messages
    template: Scenario | None = None  # the unresolved scenario (None: this is it)

    def action(self, action_id: str) -> Action:
        for action in self.actions:
            if action.id == action_id:
                return action
        raise KeyError(f"unknown action {action_id!r} in scenario {self.id!r}")

    def key_step(self, step_id: str) -> KeyStep | None:
        return next((k for k in self.key_steps if k.id == step_id), None)

    def inject(self, inject_id: str) -> Inject | None:
        return next((i for i in self.injects if i.id == inject_id), None)

    @property
    def causes(self) -> tuple[Cause, ...]:
        """The multiple-choice options (the paid hint)."""
        return self.root_cause.choices

    @property
    def writeup_rubric(self) -> tuple[RubricPoint, ...]:
        return tuple(p.point for p in self.writeup_points)

    @property
    def variant_values(self) -> dict[str, str]:
        return dict(self.variants[self.variant]) if self.variants else {}

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, 1)

    def why_of(self, action_id: str) -> str | None:
        return dict(self.why).get(action_id)
