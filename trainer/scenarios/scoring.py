"""Scoring a played scenario and building its debrief.

Out of 100: root cause 25, key diagnostic steps 20, looked before acting 10, communication 10,
time to mitigate 10, write-up 25; each hint costs 5; each harmful action costs 30 and caps the
total at 40 (in a real interview, doing damage ends the conversation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer.content.models import Card
from trainer.grading.concepts import AnswerError, GradeResult, grade
from trainer.registry import ACTION_KINDS
from trainer.scenarios.engine import Simulation, play
from trainer.scenarios.models import Scenario

HINT_COST = 5
HARM_COST = 30
HARM_CAP = 40
EARLY_ROLLBACK_DIAGNOSTICS = 3  # mitigate_first: roll back within this many look-ups


@dataclass
class Item:
    name: str
    points: float
    out_of: int
    detail: str


@dataclass
class Debrief:
    scenario_id: str
    score: int
    items: list[Item]
    root_cause: str | None
    root_cause_correct: bool
    mitigated: bool
    minutes_to_mitigate: int | None
    model_minutes: int
    harmful: list[tuple[str, str]]  # (action label, harm)
    hints_used: int
    writeup: GradeResult | None
    path: list[str]
    model_path: list[tuple[str, str, str | None]] = field(default_factory=list)  # id, label, why

    def to_json(self) -> dict:
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
            "mitigated": self.mitigated,
            "minutes_to_mitigate": self.minutes_to_mitigate,
            "model_minutes": self.model_minutes,
            "harmful_actions": [{"action": a, "harm": h} for a, h in self.harmful],
            "hints_used": self.hints_used,
            "writeup_score": self.writeup.score if self.writeup else None,
            "path": self.path,
            "model_path": [
                {"action": a, "label": label, "why": why} for a, label, why in self.model_path
            ],
        }


def writeup_card(scenario: Scenario) -> Card:
    """The incident summary graded like a card: its rubric, or points from the model write-up."""
    return Card(
        id=f"{scenario.id}-writeup",
        category="incident-response",
        question=f"Write the incident summary for: {scenario.title}",
        answer=scenario.model_writeup,
        rubric=scenario.writeup_rubric,
    )


def model_minutes(scenario: Scenario) -> int:
    simulation = play(scenario, list(scenario.model_path))
    return simulation.mitigated_at if simulation.mitigated_at is not None else simulation.minute


def score(simulation: Simulation, root_cause: str | None, writeup: str = "") -> Debrief:
    """The breakdown for a finished (or to-be-finished) simulation."""
    scenario = simulation.scenario
    simulation.finish()
    taken = simulation.taken
    items: list[Item] = []

    cause = next((c for c in scenario.causes if c.id == root_cause), None)
    correct = bool(cause and cause.correct)
    named = cause.label if cause else "nothing"
    detail = (
        f"right: {named}"
        if correct
        else f"you named: {named}; it was: {scenario.correct_cause.label}"
    )
    items.append(Item("Root cause", 25 if correct else 0, 25, detail))

    keys_taken = [k for k in scenario.key_steps if k in taken]
    missed = [scenario.action(k).label for k in scenario.key_steps if k not in taken]
    items.append(
        Item(
            "Key diagnostic steps",
            20 * len(keys_taken) / len(scenario.key_steps),
            20,
            f"{len(keys_taken)} of {len(scenario.key_steps)}"
            + (f"; missed: {'; '.join(missed)}" if missed else ""),
        )
    )

    items.append(_looked_first(scenario, taken))
    items.append(_communication(scenario, taken))

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
        try:
            result = grade(writeup_card(scenario), writeup)
        except AnswerError:
            result = None
    items.append(
        Item(
            "Write-up",
            25 * (result.score / 100 if result else 0),
            25,
            f"{result.score}/100 against the summary rubric" if result else "no write-up",
        )
    )

    if simulation.hints_used:
        items.append(
            Item(
                "Hints",
                -HINT_COST * simulation.hints_used,
                0,
                f"{simulation.hints_used} hint(s) taken",
            )
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
        root_cause=cause.label if cause else None,
        root_cause_correct=correct,
        mitigated=mitigated,
        minutes_to_mitigate=minutes,
        model_minutes=baseline,
        harmful=harmful,
        hints_used=simulation.hints_used,
        writeup=result,
        path=list(taken),
        model_path=[(a, scenario.action(a).label, scenario.why_of(a)) for a in scenario.model_path],
    )


def _looked_first(scenario: Scenario, taken: list[str]) -> Item:
    kinds = [ACTION_KINDS[scenario.action(a).kind] for a in taken]
    acts = [i for i, kind in enumerate(kinds) if kind.changes]
    first_act = acts[0] if acts else None
    if scenario.mitigate_first:
        rollbacks = [i for i in acts if kinds[i].rolls_back]
        if rollbacks:
            looked = sum(1 for kind in kinds[: rollbacks[0]] if kind.looks)
            if looked <= EARLY_ROLLBACK_DIAGNOSTICS:
                return Item(
                    "Mitigated first",
                    10,
                    10,
                    f"rolled back after {looked} look-up(s): the recent change was the "
                    "likely cause, so mitigating first was right",
                )
            return Item(
                "Mitigated first",
                4,
                10,
                f"rolled back, but only after {looked} look-ups: the timing of the "
                "release pointed at it early",
            )
        return Item(
            "Mitigated first",
            0,
            10,
            "the evidence pointed at a recent change: rolling it back early was the fastest "
            "mitigation",
        )
    key_positions = [i for i, a in enumerate(taken) if a in scenario.key_steps]
    if not key_positions:
        return Item("Looked before acting", 0, 10, "no key diagnostic step was taken")
    if first_act is None:
        return Item("Looked before acting", 0, 10, "looked, but took no action to mitigate")
    if key_positions[0] < first_act:
        return Item("Looked before acting", 10, 10, "evidence gathered before changing anything")
    return Item(
        "Looked before acting",
        0,
        10,
        f"changed things ({scenario.action(taken[first_act]).label}) before looking",
    )


def _communication(scenario: Scenario, taken: list[str]) -> Item:
    kinds = [ACTION_KINDS[scenario.action(a).kind] for a in taken]
    model_kinds = [ACTION_KINDS[scenario.action(a).kind] for a in scenario.model_path]
    wants_escalation = any(kind.escalates for kind in model_kinds)
    points, notes = 0.0, []
    if any(kind.tells for kind in kinds):
        points += 5 if wants_escalation else 10
        notes.append("status update sent")
    else:
        notes.append("no status update: stakeholders were left guessing")
    if wants_escalation:
        if any(kind.escalates for kind in kinds):
            points += 5
            notes.append("escalated")
        else:
            notes.append("did not escalate where the model path does")
    return Item("Communication", points, 10, "; ".join(notes))


def play_and_score(
    scenario: Scenario,
    actions: list[str],
    root_cause: str | None,
    writeup: str = "",
    hints: int = 0,
) -> Debrief:
    """Non-interactive play: the CLI's `scenario play` and the tests."""
    from trainer.scenarios.engine import Simulation

    simulation = Simulation(scenario)
    for _ in range(hints):
        simulation.hint()
    for action_id in actions:
        simulation.take(action_id)
    return score(simulation, root_cause, writeup)
