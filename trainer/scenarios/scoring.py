"""Scoring a played scenario and building its debrief.

Out of 100: root cause 25 (the typed diagnosis graded against the scenario's root-cause
rubric), key diagnostic steps 20 (groups of equivalent evidence), looked before acting 10 (or
mitigated first, where rolling back early is right), communication 10 (the typed status
updates graded against the communication rubric, and escalation where the model path
escalates), time to mitigate 10, write-up 25. Each hint costs 5, the multiple-choice hint 10,
each inject left unanswered its `cost`, each harmful action 30 and caps the total at 40 (in a
real interview, doing damage ends the conversation).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.content.models import Card, RedFlag
from trainer.grading.concepts import (
    AnswerError,
    GradeResult,
    argued_both_ways,
    grade,
    score_of,
)
from trainer.registry import ACTION_KINDS
from trainer.scenarios.engine import Simulation, play
from trainer.scenarios.models import Scenario, ScenarioPoint

HINT_COST = 5
CHOICES_COST = 10
HARM_COST = 30
HARM_CAP = 40
ROOT_CAUSE_POINTS = 25
CORRECT_FROM = 60  # a root-cause grade from which the diagnosis counts as right (progress)
ACTING = tuple(k.id for k in ACTION_KINDS.values() if k.changes)  # kinds that change things
EARLY_ROLLBACK_DIAGNOSTICS = 3  # mitigate_first: roll back within this many look-ups
UNVERIFIED_CLAIM = "States the root cause as fact before any evidence showed it"
NOT_DONE = "not-done"  # a point's status when the run contradicts the claim


@dataclass
class Item:
    name: str
    points: float
    out_of: int
    detail: str


@dataclass
class UpdateGrade:
    minute: int
    clock: str
    text: str | None
    result: GradeResult | None

    @property
    def score(self) -> int:
        return self.result.score if self.result else 0


@dataclass
class Debrief:
    scenario_id: str
    score: int
    items: list[Item]
    root_cause: str | None  # what the player typed
    root_cause_correct: bool
    mitigated: bool
    minutes_to_mitigate: int | None
    model_minutes: int
    harmful: list[tuple[str, str]]  # (action label, harm)
    hints_used: int
    writeup: GradeResult | None
    path: list[str]
    model_path: list[tuple[str, str, str | None]] = field(default_factory=list)  # id, label, why
    root_cause_grade: GradeResult | None = None
    root_cause_roles: dict[str, str] = field(default_factory=dict)  # point text -> role
    choices_used: bool = False
    updates: list[UpdateGrade] = field(default_factory=list)
    injects: list[dict] = field(default_factory=list)
    seed: int | None = None
    variant: int = 0
    error_budget_used: float | None = None

    def to_json(self) -> dict:
        grade_json = self.root_cause_grade
        return {
            "scenario": self.scenario_id,
            "score": self.score,
            "breakdown": [
                {
                    "name": i.name,
                    "points": round(i.points, 1),
                    "out_of": i.out_of,
                    "detail": i.detail,
                }
                for i in self.items
            ],
            "root_cause": self.root_cause,
            "root_cause_correct": self.root_cause_correct,
            "root_cause_points": [
                {
                    "point": p.text,
                    "role": self.root_cause_roles.get(p.text),
                    "weight": p.weight,
                    "status": p.status,
                    "credit": round(p.credit, 2),
                    "phrase": p.phrase,
                }
                for p in (grade_json.points if grade_json else ())
            ],
            "root_cause_red_flags": [f.claim for f in grade_json.red_flags] if grade_json else [],
            "choices_used": self.choices_used,
            "mitigated": self.mitigated,
            "minutes_to_mitigate": self.minutes_to_mitigate,
            "model_minutes": self.model_minutes,
            "harmful_actions": [{"action": a, "harm": h} for a, h in self.harmful],
            "hints_used": self.hints_used,
            "status_updates": [
                {
                    "at": u.clock,
                    "score": u.score if u.text else None,
                    "red_flags": [f.claim for f in u.result.red_flags] if u.result else [],
                }
                for u in self.updates
            ],
            "injects": self.injects,
            "writeup_score": self.writeup.score if self.writeup else None,
            "path": self.path,
            "model_path": [
                {"action": a, "label": label, "why": why} for a, label, why in self.model_path
            ],
            "seed": self.seed,
            "variant": self.variant,
            "error_budget_used": None
            if self.error_budget_used is None
            else round(self.error_budget_used, 2),
        }


# -- the cards the typed texts are graded as --------------------------------------------------
def writeup_card(scenario: Scenario) -> Card:
    """The incident summary graded like a card: its rubric, or points from the model write-up."""
    return Card(
        id=f"{scenario.id}-writeup",
        category="incident-response",
        question=f"Write the incident summary for: {scenario.title}",
        answer=scenario.model_writeup,
        rubric=scenario.writeup_rubric,
    )


def root_cause_card(scenario: Scenario) -> Card:
    """The diagnosis graded like a card: the root-cause rubric and red flags."""
    root = scenario.root_cause
    return Card(
        id=f"{scenario.id}-root-cause",
        category="incident-response",
        question=f"What was the root cause of: {scenario.title}?",
        answer=root.model,
        rubric=root.card_rubric,
        red_flags=root.red_flags,
    )


def update_card(scenario: Scenario, cause_revealed: bool) -> Card:
    """A status update graded like a card: the communication rubric; before the evidence
    showed the cause, naming its mechanism as fact is a red flag."""
    communication = scenario.communication
    flags = communication.red_flags
    if not cause_revealed:
        phrases = tuple(
            phrase
            for p in scenario.root_cause.rubric
            if p.role == "mechanism"
            for phrase in p.point.phrases
        )
        if phrases:
            flags = (*flags, RedFlag(UNVERIFIED_CLAIM, phrases))
    return Card(
        id=f"{scenario.id}-update",
        category="incident-response",
        question="Post a status update",
        answer=communication.model_updates[0] if communication.model_updates else "",
        rubric=communication.rubric,
        red_flags=flags,
    )


def grade_text(
    card: Card,
    text: str,
    points: tuple[ScenarioPoint, ...] = (),
    happened: Callable[[str], bool] | None = None,
    hedges: tuple[str, ...] = (),
    explained: bool = True,
) -> GradeResult | None:
    """Grade a typed text; a point whose `needs_action` never happened is not credited, an
    unverified-cause flag in a hedged sentence ("we suspect ...") is dropped. None when the
    text cannot be graded (empty, too long). `explained=False` for a status update: terse is
    right there, a bare statement of impact is the whole point."""
    try:
        result = grade(card, text, explained=explained, depth=False)
    except AnswerError:
        return None
    needs = {p.point.text: p.needs_action for p in points}
    results = list(result.points)
    changed = False
    if happened is not None:
        for index, point in enumerate(results):
            wanted = needs.get(point.text, ())
            if point.matched and wanted and not any(happened(a) for a in wanted):
                results[index] = point._replace(matched=False, status=NOT_DONE, credit=0.0)
                changed = True
    flags = [
        f for f in result.red_flags if f.claim != UNVERIFIED_CLAIM or not _hedged(text, f, hedges)
    ]
    if not changed and len(flags) == len(result.red_flags):
        return result
    return result._replace(
        score=score_of(results, len(flags), argued_both_ways(result.notes)),
        points=tuple(results),
        red_flags=tuple(flags),
    )


def _hedged(text: str, flag, hedges: tuple[str, ...]) -> bool:
    """The flagged words stand in a sentence that presents them as a hypothesis."""
    start, end = flag.span
    before = max(text.rfind(c, 0, start) for c in ".!?\n")
    after = min((i for i in (text.find(c, end) for c in ".!?\n") if i >= 0), default=len(text))
    sentence = text[before + 1 : after].lower()
    return any(re.search(rf"\b{re.escape(h.lower())}\b", sentence) for h in hedges)


# -- scoring ----------------------------------------------------------------------------------
def model_minutes(scenario: Scenario) -> int:
    """When the model path mitigates (minutes after the page), for the same variant."""
    simulation = play(scenario, list(scenario.model_path))
    return simulation.mitigated_at if simulation.mitigated_at is not None else simulation.minute


def score(simulation: Simulation, root_cause: str | None, writeup: str = "") -> Debrief:
    """The breakdown for a finished (or to-be-finished) simulation. `root_cause` is the typed
    diagnosis, graded as typed."""
    scenario = simulation.scenario
    simulation.finish()
    taken = simulation.taken
    items: list[Item] = []

    rc_item, rc_result = _root_cause(simulation, root_cause)
    items.append(rc_item)
    items.append(_key_steps(simulation))
    items.append(_looked_first(scenario, taken))
    comm_item, updates = _communication(simulation)
    items.append(comm_item)

    baseline = model_minutes(scenario)
    mitigated = simulation.healthy() and simulation.mitigated_at is not None
    minutes = simulation.mitigated_at if mitigated else None
    if minutes is None:
        time_points, detail = 0.0, "never mitigated: the signals were not all healthy at the end"
    else:
        ratio = minutes / max(1, baseline)
        time_points = 10.0 if ratio <= 1.5 else max(0.0, 10 * (3 - ratio) / 1.5)
        detail = f"{minutes} min (the model path: {baseline} min)"
    items.append(Item("Time to mitigate", time_points, 10, detail))

    result = None
    if writeup.strip():
        result = grade_text(
            writeup_card(scenario), writeup, scenario.writeup_points, simulation.happened
        )
    items.append(Item("Write-up", 25 * (result.score / 100 if result else 0), 25, _writeup(result)))

    inject_item, inject_report = _injects(simulation)
    if inject_item is not None:
        items.append(inject_item)
    if simulation.hints_used:
        items.append(
            Item(
                "Hints",
                -HINT_COST * simulation.hints_used,
                0,
                f"{simulation.hints_used} hint(s) taken",
            )
        )
    if simulation.choices_used:
        items.append(
            Item("Multiple-choice hint", -CHOICES_COST, 0, "the list of candidate causes was shown")
        )
    harmful = [(a.label, a.harm or "") for a in simulation.harmful_taken]
    if harmful:
        items.append(
            Item(
                "Harmful actions",
                -HARM_COST * len(harmful),
                0,
                "; ".join(label for label, _ in harmful),
            )
        )

    total = round(sum(i.points for i in items))
    if harmful:
        total = min(total, HARM_CAP)
    return Debrief(
        scenario_id=scenario.id,
        score=max(0, min(100, total)),
        items=items,
        root_cause=root_cause,
        root_cause_correct=bool(rc_result and rc_result.score >= CORRECT_FROM),
        mitigated=mitigated,
        minutes_to_mitigate=minutes,
        model_minutes=baseline,
        harmful=harmful,
        hints_used=simulation.hints_used,
        writeup=result,
        path=list(taken),
        model_path=[(a, scenario.action(a).label, scenario.why_of(a)) for a in scenario.model_path],
        root_cause_grade=rc_result,
        root_cause_roles={p.point.text: p.role or "" for p in scenario.root_cause.rubric},
        choices_used=simulation.choices_used,
        updates=updates,
        injects=inject_report,
        seed=simulation.seed,
        variant=scenario.variant,
        error_budget_used=simulation.budget_used if scenario.budget else None,
    )


def _root_cause(simulation: Simulation, text: str | None) -> tuple[Item, GradeResult | None]:
    scenario = simulation.scenario
    if not text or not text.strip():
        return Item("Root cause", 0, ROOT_CAUSE_POINTS, "no diagnosis typed"), None
    result = grade_text(
        root_cause_card(scenario), text, scenario.root_cause.rubric, simulation.happened
    )
    if result is None:
        return Item("Root cause", 0, ROOT_CAUSE_POINTS, "the diagnosis could not be graded"), None
    roles = {p.point.text: p.role for p in scenario.root_cause.rubric}

    def named(points) -> str:
        return "; ".join(f"{roles.get(p.text)}: {p.text}" for p in points)

    credited = [p for p in result.points if p.matched]
    parts = []
    if credited:
        parts.append(
            "credited: "
            + "; ".join(
                f"{roles.get(p.text)}: {p.text}" + (" (bare term, part credit)" * (p.credit < 1))
                for p in credited
            )
        )
    missed = [p for p in result.points if p.status == "missed"]
    if missed:
        parts.append("missed: " + named(missed))
    argued = [p for p in result.points if p.status == "argued-against"]
    if argued:
        parts.append("argued against: " + named(argued))
    undone = [p for p in result.points if p.status == NOT_DONE]
    if undone:
        parts.append("claimed, but the evidence was never looked at: " + named(undone))
    if result.red_flags:
        parts.append("red flag: " + "; ".join(f.claim for f in result.red_flags))
    points = ROOT_CAUSE_POINTS * result.score / 100
    return Item("Root cause", points, ROOT_CAUSE_POINTS, " | ".join(parts)), result


def _key_steps(simulation: Simulation) -> Item:
    steps = simulation.scenario.key_steps
    done = [k for k in steps if any(a in simulation.taken for a in k.by)]
    missed = [k.what for k in steps if k not in done]
    return Item(
        "Key diagnostic steps",
        20 * len(done) / max(1, len(steps)),
        20,
        f"{len(done)} of {len(steps)}" + (f"; missed: {'; '.join(missed)}" if missed else ""),
    )


def _changes(scenario: Scenario, taken: list[str]) -> list[int]:
    """Positions of actions that change something: fixes, rollbacks and any harmful one."""
    return [
        i
        for i, a in enumerate(taken)
        if scenario.action(a).kind in ACTING or scenario.action(a).harmful
    ]


def _looked_first(scenario: Scenario, taken: list[str]) -> Item:
    changes = _changes(scenario, taken)
    if scenario.mitigate_first:
        return _mitigated_first(scenario, taken, changes)
    evidence = {a for k in scenario.key_steps for a in k.by}
    key_positions = [i for i, a in enumerate(taken) if a in evidence]
    if not key_positions:
        return Item("Looked before acting", 0, 10, "no key diagnostic step was taken")
    if not changes:
        return Item("Looked before acting", 0, 10, "looked, but took no action to mitigate")
    if key_positions[0] < changes[0]:
        return Item("Looked before acting", 10, 10, "evidence gathered before changing anything")
    return Item(
        "Looked before acting",
        0,
        10,
        f"changed things ({scenario.action(taken[changes[0]]).label}) before looking",
    )


def _mitigated_first(scenario: Scenario, taken: list[str], changes: list[int]) -> Item:
    rollbacks = [i for i in changes if ACTION_KINDS[scenario.action(taken[i]).kind].rolls_back]
    if not rollbacks:
        return Item(
            "Mitigated first",
            0,
            10,
            "the evidence pointed at a recent change: rolling it back early was the fastest "
            "mitigation",
        )
    first = rollbacks[0]
    before = [scenario.action(taken[i]) for i in changes if i < first]
    looked = sum(1 for a in taken[:first] if ACTION_KINDS[scenario.action(a).kind].looks)
    if any(a.harmful for a in before):
        harmful = "; ".join(a.label for a in before if a.harmful)
        return Item(
            "Mitigated first",
            0,
            10,
            f"did harm ({harmful}) before rolling back the change that lined up with the errors",
        )
    if before:
        return Item(
            "Mitigated first",
            4,
            10,
            f"tried other fixes ({'; '.join(a.label for a in before)}) before rolling back "
            "the change that lined up with the errors",
        )
    if looked <= EARLY_ROLLBACK_DIAGNOSTICS:
        return Item(
            "Mitigated first",
            10,
            10,
            f"rolled back after {looked} look-up(s): the recent change was the likely cause, "
            "so mitigating first was right",
        )
    return Item(
        "Mitigated first",
        4,
        10,
        f"rolled back, but only after {looked} look-ups: the timing of the release pointed "
        "at it early",
    )


def _communication(simulation: Simulation) -> tuple[Item, list[UpdateGrade]]:
    scenario = simulation.scenario
    hedges = scenario.communication.hedges
    updates = []
    for update in simulation.updates:
        result = None
        if update.text and update.text.strip():
            result = grade_text(
                update_card(scenario, update.cause_revealed),
                update.text,
                hedges=hedges,
                explained=False,
            )
        updates.append(
            UpdateGrade(update.minute, simulation.clock(update.minute), update.text, result)
        )
    model_kinds = [ACTION_KINDS[scenario.action(a).kind] for a in scenario.model_path]
    wants_escalation = any(kind.escalates for kind in model_kinds)
    share = 5 if wants_escalation else 10
    notes = []
    if updates:
        quality = sum(u.score for u in updates) / len(updates)
        points = share * quality / 100
        notes.append(
            f"{len(updates)} update(s): "
            + ", ".join(
                f"{u.clock} {u.score}/100" if u.text else f"{u.clock} posted without words"
                for u in updates
            )
        )
        flags = sorted({f.claim for u in updates if u.result for f in u.result.red_flags})
        if flags:
            notes.append("red flag: " + "; ".join(flags))
        missed = sorted(
            {p.text for u in updates if u.result for p in u.result.points if not p.matched}
        )
        if missed:
            notes.append("missing: " + "; ".join(missed))
    else:
        points = 0.0
        notes.append("no status update: stakeholders were left guessing")
    if wants_escalation:
        if any(ACTION_KINDS[scenario.action(a).kind].escalates for a in simulation.taken):
            points += 5
            notes.append("escalated")
        else:
            notes.append("did not escalate where the model path does")
    return Item("Communication", points, 10, "; ".join(notes)), updates


def _injects(simulation: Simulation) -> tuple[Item | None, list[dict]]:
    report, cost, missed = [], 0, []
    for fired in simulation.fired:
        inject = fired.inject
        answered = fired.answered_at is not None
        deadline = fired.deadline
        report.append(
            {
                "inject": inject.id,
                "at": simulation.clock(fired.minute),
                "expects": inject.expects,
                "answered": answered if inject.expects else None,
                "text": inject.text,
                "by": None if deadline is None else simulation.clock(deadline),
                "answered_at": None
                if fired.answered_at is None
                else simulation.clock(fired.answered_at),
                "cost": inject.cost if inject.expects and not answered else 0,
            }
        )
        if inject.expects and not answered:
            cost += inject.cost
            missed.append(inject.id)
    waiting = [f for f in simulation.fired if f.inject.expects]
    if not waiting:
        return None, report
    detail = f"answered {len(waiting) - len(missed)} of {len(waiting)}" + (
        f"; unanswered: {', '.join(missed)}" if missed else ""
    )
    return Item("Injects", -cost, 0, detail), report


def _writeup(result: GradeResult | None) -> str:
    if result is None:
        return "no write-up"
    undone = [p.text for p in result.points if p.status == NOT_DONE]
    detail = f"{result.score}/100 against the summary rubric"
    if undone:
        detail += "; claimed but not done in this run: " + "; ".join(undone)
    return detail


def play_and_score(
    scenario: Scenario,
    actions: list[str],
    root_cause: str | None,
    writeup: str = "",
    hints: int = 0,
    seed: int | None = None,
    updates: list[str] | tuple[str, ...] = (),
    choices: bool = False,
) -> Debrief:
    """Non-interactive play: the CLI's `scenario play` and the tests. `updates` are the texts
    of the status updates, in the order the communicate actions come in `actions`."""
    simulation = Simulation(scenario, seed)
    for _ in range(min(hints, len(simulation.scenario.hints))):
        simulation.hint()
    if choices:
        simulation.choices()
    texts = iter(updates)
    posts = {a.id for a in simulation.scenario.actions if ACTION_KINDS[a.kind].tells}
    for action_id in actions:
        simulation.take(action_id, next(texts, None) if action_id in posts else None)
    return score(simulation, root_cause, writeup)


def play_model(scenario: Scenario, seed: int | None = None) -> Debrief:
    """The model path with the model diagnosis, status updates and write-up (each update
    rendered for the moment it is posted)."""
    simulation = Simulation(scenario, seed)
    resolved = simulation.scenario
    texts = iter(resolved.communication.model_updates)
    for action_id in resolved.model_path:
        text = None
        if ACTION_KINDS[resolved.action(action_id).kind].tells:
            text = simulation.render(next(texts, "")) or None
        simulation.take(action_id, text)
    return score(simulation, resolved.root_cause.model, resolved.model_writeup)
