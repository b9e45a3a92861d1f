"""The incident simulation: a clock, health signals that worsen while unhealthy, actions that
reveal evidence rendered from the state, unlock further actions, move the signals now or
later, or do harm; injects that fire at a time or after an action and may wait for an answer.

The API the TUI and the CLI use (see also `session.ScenarioRun`, which adds notes, texts and
saving):

    sim = Simulation(scenario, seed=None)  # seed picks the variant; None keeps the loaded one
    sim.available() / sim.locked()         # what can be taken now / what is still locked
    step = sim.take(action_id, text=None)  # text: the status update a communicate action posts
    step.action.evidence                   # rendered for the state at the end of the action
    step.injects                           # injects that fired meanwhile (show them)
    sim.open_injects()                     # injects still waiting for an answer
    sim.hint() / sim.choices()             # a hint; the multiple-choice options (both cost)
    sim.clock(), sim.minute, sim.values, sim.healthy()
    sim.finish()                           # close: pending relapses and effects happen
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from trainer.registry import ACTION_KINDS
from trainer.scenarios.models import Action, Cause, Effect, Inject, Scenario, Series
from trainer.scenarios.templates import State, fill_static, parse_clock, render

if TYPE_CHECKING:
    from trainer.grading.promql import QueryError


class ActionError(ValueError):
    """An action that cannot be taken now (unknown, locked, or already taken)."""


# -- variants --------------------------------------------------------------------------------
def variant_index(scenario: Scenario, seed: int | None) -> int:
    """Which variant a seed plays: None is the first one (the loaded scenario)."""
    template = scenario.template or scenario
    if not template.variants or seed is None:
        return 0
    return random.Random(f"{template.id}:{seed}").randrange(len(template.variants))


def resolve(scenario: Scenario, seed: int | None) -> Scenario:
    """The scenario with the variant the seed picks filled into every text."""
    return resolve_variant(scenario, variant_index(scenario, seed))


def resolve_variant(scenario: Scenario, index: int) -> Scenario:
    template = scenario.template or scenario
    variant = dict(template.variants[index]) if template.variants else {}
    start_text = fill_static(template.start, variant, 0, {})
    try:
        start = parse_clock(start_text)
    except ValueError:
        start = 0  # reported by the validator
    page = {s.id: s.start for s in template.signals}
    filled = _fill(template, lambda text: fill_static(text, variant, start, page))
    return filled._replace(start=start_text, variant=index, template=template)


def _fill(value, fill):
    if isinstance(value, str):
        return fill(value)
    if isinstance(value, tuple):
        items = [_fill(item, fill) for item in value]
        # A NamedTuple is rebuilt as its own type; a plain tuple as a tuple.
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value


# -- the run ---------------------------------------------------------------------------------
@dataclass
class FiredInject:
    """An inject as it happened: when, and (if it waits for an answer) when it was answered."""

    inject: Inject  # its text rendered for the moment it fired
    minute: int
    answered_at: int | None = None
    missed: bool = False  # the deadline passed unanswered

    @property
    def deadline(self) -> int | None:
        within = self.inject.within
        return None if within is None or not self.inject.expects else self.minute + within

    @property
    def waiting(self) -> bool:
        return bool(self.inject.expects) and self.answered_at is None and not self.missed


@dataclass
class Update:
    """A status update the player posted."""

    action_id: str
    minute: int  # when it was posted (the start of the action)
    text: str | None
    cause_revealed: bool  # whether the evidence had shown the root cause by then


@dataclass
class Step:
    """What one action did: shown to the learner as it happens."""

    action: Action  # rendered: evidence, command and series as they read at `at_minute`
    at_minute: int  # when it finished, minutes since the page
    signals: dict[str, float]
    relapsed: list[str] = field(default_factory=list)  # delayed effects that fired meanwhile
    started_at: int = 0
    text: str | None = None  # the status update it posted
    injects: list[FiredInject] = field(default_factory=list)  # fired meanwhile
    missed: list[str] = field(default_factory=list)  # injects whose deadline passed meanwhile


@dataclass
class _Pending:
    due: int
    effect: Effect
    source: str  # the action (or inject) it comes from
    inject: FiredInject | None = None  # a deadline: applies only if still unanswered


class Simulation:
    """One play of a scenario. `take` actions, then `finish` to settle what was pending."""

    def __init__(self, scenario: Scenario, seed: int | None = None):
        if seed is not None or scenario.template is None:
            scenario = resolve(scenario, seed)
        self.scenario = scenario
        self.seed = seed
        self.minute = 0
        self.start = parse_clock(scenario.start) if ":" in scenario.start else 0
        self.values = {s.id: s.start for s in scenario.signals}
        self.drift = {s.id: s.drift for s in scenario.signals}
        self.history = {s.id: [s.start] for s in scenario.signals}
        self.moments = dict(scenario.moments)
        self.budget_used = scenario.budget.spent if scenario.budget else 0.0
        self.taken: list[str] = []
        self.steps: list[Step] = []
        self.updates: list[Update] = []
        self.fired: list[FiredInject] = []
        self.hints_used = 0
        self.choices_used = False
        self.mitigated_at: int | None = None
        self._pending: list[_Pending] = []
        self.finished = False
        self._fire_due_injects(None)  # injects at minute 0 come with the page

    # -- what can be done ------------------------------------------------------------------
    def happened(self, item_id: str) -> bool:
        """An action taken, a key step satisfied (any of its actions) or an inject fired."""
        if item_id in self.taken:
            return True
        step = self.scenario.key_step(item_id)
        if step is not None:
            return any(a in self.taken for a in step.by)
        return any(f.inject.id == item_id for f in self.fired)

    def _open(self, action: Action) -> bool:
        return (action.repeatable or action.id not in self.taken) and all(
            self.happened(r) for r in action.requires
        )

    def available(self) -> list[Action]:
        """Actions that can be taken now: prerequisites met, not yet taken (status updates
        can be posted again)."""
        return [a for a in self.scenario.actions if self._open(a)]

    def locked(self) -> list[Action]:
        """Actions not yet taken whose prerequisites are not met."""
        return [
            a
            for a in self.scenario.actions
            if a.id not in self.taken and not all(self.happened(r) for r in a.requires)
        ]

    def clock(self, minute: int | None = None) -> str:
        """The simulated wall clock, HH:MM (now, or at a minute since the page)."""
        total = self.start + (self.minute if minute is None else minute)
        return f"{total // 60 % 24:02d}:{total % 60:02d}"

    def healthy(self) -> bool:
        return all(s.healthy(self.values[s.id]) for s in self.scenario.signals)

    def cause_revealed(self) -> bool:
        """Whether evidence that exposes the root cause has been seen."""
        return any(
            k.reveals_cause and any(a in self.taken for a in k.by) for k in self.scenario.key_steps
        )

    def open_injects(self) -> list[FiredInject]:
        """Injects still waiting for an answer."""
        return [f for f in self.fired if f.waiting]

    def hint(self) -> str | None:
        """The next hint (each one costs points), or None when there are no more."""
        if self.hints_used >= len(self.scenario.hints):
            return None
        self.hints_used += 1
        return self.scenario.hints[self.hints_used - 1]

    def choices(self) -> list[Cause]:
        """The multiple-choice hint: plausible causes, shuffled for this seed (it costs
        points once shown; the diagnosis is still typed)."""
        self.choices_used = True
        return shuffled_choices(self.scenario, self.seed)

    def state(self) -> State:
        return State(self.start, self.minute, dict(self.values), self.moments, self.budget_used)

    def render(self, text: str) -> str:
        """A text with the state's templates filled, as of now."""
        return render(text, self.state())

    # -- acting ----------------------------------------------------------------------------
    def take(self, action_id: str, text: str | None = None) -> Step:
        if self.finished:
            raise ActionError("the incident is closed")
        try:
            action = self.scenario.action(action_id)
        except KeyError:
            valid = ", ".join(a.id for a in self.available())
            raise ActionError(
                f"unknown action {action_id!r}; available now: {valid or 'none'}"
            ) from None
        if action_id in self.taken and not action.repeatable:
            raise ActionError(f"{action_id!r} was already taken")
        missing = [r for r in action.requires if not self.happened(r)]
        if missing:
            raise ActionError(f"{action_id!r} needs {', '.join(missing)} first")
        if text is not None and not ACTION_KINDS[action.kind].tells:
            raise ActionError(f"{action_id!r} is not a status update: it takes no text")
        started = self.minute
        evidence = self._evidence_for(action)
        self._answer_injects(action, started)
        if ACTION_KINDS[action.kind].tells:
            self.updates.append(Update(action_id, started, text, self.cause_revealed()))
        self.taken.append(action_id)
        fired: list[FiredInject] = []
        relapsed, missed = self._advance(started + action.minutes, fired)
        for effect in action.effects:
            if effect.after:
                self._pending.append(_Pending(self.minute + effect.after, effect, action_id))
            elif self._applies(effect):
                self._apply(effect)
        for signal_id, values in self.history.items():
            values[-1] = self.values[signal_id]  # a dashboard read now shows the effect
        for moment in action.resets:
            self.moments[moment] = self.minute
        for inject in self.scenario.injects:
            if action_id in inject.after and not self._fired(inject.id):
                fired.append(self._fire(inject))
        self._note_health()
        step = Step(
            self._rendered(action, evidence),
            self.minute,
            dict(self.values),
            relapsed,
            started,
            text,
            fired,
            missed,
        )
        self.steps.append(step)
        return step

    def finish(self) -> None:
        """Close the incident: everything still pending happens (a relapse shows up);
        injects not yet due never come."""
        if not self.finished:
            last = max((p.due for p in self._pending if p.inject is None), default=self.minute)
            self._advance(max(last, self.minute), None)
            self.finished = True

    # -- internals -------------------------------------------------------------------------
    def _evidence_for(self, action: Action) -> str:
        for case in action.evidence_when:
            if any(self.happened(t) for t in case.taken):
                return case.evidence
        return action.evidence

    def _rendered(self, action: Action, evidence: str) -> Action:
        state = self.state()
        return action._replace(
            label=render(action.label, state),
            command=render(action.command, state) if action.command else action.command,
            evidence=render(evidence, state),
            harm=render(action.harm, state) if action.harm else action.harm,
            series=tuple(self._series(s) for s in action.series),
        )

    def _series(self, series: Series) -> Series:
        if series.signal is None or series.signal not in self.history:
            return series
        history = self.history[series.signal]
        live = history[series.step :: series.step]
        if (len(history) - 1) % series.step:
            live.append(history[-1])  # the bucket in progress: the value now
        points = (series.points + tuple(live))[-len(series.points) :]
        return series._replace(points=tuple(round(p, 6) for p in points))

    def _answer_injects(self, action: Action, minute: int) -> None:
        for fired in self.fired:
            if not fired.waiting:
                continue
            inject = fired.inject
            if (inject.expects == "update" and ACTION_KINDS[action.kind].tells) or (
                inject.expects == "action" and action.id in inject.actions
            ):
                fired.answered_at = minute

    def _fired(self, inject_id: str) -> bool:
        return any(f.inject.id == inject_id for f in self.fired)

    def _fire(self, inject: Inject) -> FiredInject:
        fired = FiredInject(inject._replace(text=self.render(inject.text)), self.minute)
        self.fired.append(fired)
        if fired.deadline is not None:
            for effect in inject.effects or (Effect(),):
                self._pending.append(_Pending(fired.deadline, effect, inject.id, fired))
        return fired

    def _fire_due_injects(self, out: list[FiredInject] | None) -> None:
        for inject in self.scenario.injects:
            if inject.at is not None and inject.at <= self.minute and not self._fired(inject.id):
                fired = self._fire(inject)
                if out is not None:
                    out.append(fired)

    def _advance(
        self, to_minute: int, fired: list[FiredInject] | None
    ) -> tuple[list[str], list[str]]:
        """Move the clock a minute at a time: signals drift while unhealthy, the budget burns,
        delayed effects and deadlines come due, injects fire (unless closing: `fired` None).
        Returns the sources of the effects that fired and the injects missed, in order."""
        relapsed: list[str] = []
        missed: list[str] = []
        while self.minute < to_minute:
            self._drift_one_minute()
            self.minute += 1
            for pending in sorted(self._pending, key=lambda p: p.due):
                if pending.due > self.minute:
                    break
                self._pending.remove(pending)
                if pending.inject is not None:
                    if fired is None or not pending.inject.waiting:
                        continue
                    pending.inject.missed = True
                    if pending.inject.inject.id not in missed:
                        missed.append(pending.inject.inject.id)
                    if self._applies(pending.effect):
                        self._apply(pending.effect)
                elif self._applies(pending.effect):
                    self._apply(pending.effect)
                    relapsed.append(pending.source)
                self._note_health()
            if fired is not None:
                self._fire_due_injects(fired)
            for signal_id, values in self.history.items():
                values.append(self.values[signal_id])
        return relapsed, missed

    def _drift_one_minute(self) -> None:
        budget = self.scenario.budget
        if budget is not None and budget.signal in self.values:
            allowed = (100 - budget.slo) / 100 * budget.window_days * 24 * 60
            self.budget_used += self.values[budget.signal] / 100 / allowed * 100
        for signal in self.scenario.signals:
            rate = self.drift[signal.id]
            value = self.values[signal.id]
            if not rate or signal.healthy(value):
                continue
            value += rate
            if signal.limit is not None:
                value = min(value, signal.limit) if rate > 0 else max(value, signal.limit)
            self.values[signal.id] = round(max(0.0, value), 6)

    def _applies(self, effect: Effect) -> bool:
        if any(self.happened(u) for u in effect.unless):
            return False
        return not effect.when or any(self.happened(w) for w in effect.when)

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
            self.values[name] = round(max(0.0, value + delta), 6)
        for name, rate in effect.drift:
            if name in self.drift:
                self.drift[name] = rate

    def _note_health(self) -> None:
        if self.healthy():
            if self.mitigated_at is None:
                self.mitigated_at = self.minute
        else:
            self.mitigated_at = None

    @property
    def harmful_taken(self) -> list[Action]:
        seen: list[Action] = []
        for action_id in self.taken:
            action = self.scenario.action(action_id)
            if action.harmful and action not in seen:
                seen.append(action)
        return seen


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
    if matches:  # one to run, else one already run, else a locked one
        action = min(matches, key=lambda a: (a.id not in available, a.id not in simulation.taken))
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


def shuffled_choices(scenario: Scenario, seed: int | None) -> list[Cause]:
    """The multiple-choice options in a seeded order (the correct one anywhere)."""
    choices = list(scenario.root_cause.choices)
    random.Random(f"{scenario.id}:choices:{seed}").shuffle(choices)
    return choices


def play(
    scenario: Scenario,
    actions: list[str],
    seed: int | None = None,
    texts: dict[int, str] | None = None,
) -> Simulation:
    """Take the actions in order and close the incident (ActionError on an invalid step).
    `texts` maps positions in `actions` to the status update posted there."""
    simulation = Simulation(scenario, seed)
    for index, action_id in enumerate(actions):
        simulation.take(action_id, (texts or {}).get(index))
    simulation.finish()
    return simulation
