"""Evidence follows the state: every action of every scenario, taken in several orders (the
model path, seeded random orders, fixes before any diagnosis) and several variants, shows
output that agrees with the simulation at that moment: no template left unfilled, signal
values as the header shows them, live series ending at the current value, ages renewed by
restarts, no clock time later than now, no literal page value the state contradicts."""

from __future__ import annotations

import random

import pytest

from trainer.scenarios.engine import Simulation, Step
from trainer.scenarios.loader import load_scenarios
from trainer.scenarios.templates import format_number, parse_clock, tokens, unrendered
from trainer.scenarios.validate import DATE_BEFORE, LITERAL_TIME, check

SCENARIOS, ERRORS = load_scenarios(include_user_packs=False)
# A scenario marked `unconverted: true` (an older file) has its content checks as warnings and
# the checks of literal times skipped; every built-in scenario is converted.
UNCONVERTED: set[str] = set()
SEEDS = range(10)  # reaches every variant of every scenario


def orders(scenario, seed: int):
    """(name, chooser): each chooser picks the next action from those available."""
    rng = random.Random(seed)
    fixes = ("mitigate", "rollback")
    model = iter(scenario.model_path)
    return [
        ("model path", lambda sim: next(model, None)),
        ("random", lambda sim: rng.choice(sim.available()).id if sim.available() else None),
        (
            "fixes first",
            lambda sim: next(
                (a.id for a in sim.available() if a.kind in fixes),
                next((a.id for a in sim.available() if a.id not in sim.taken), None),
            ),
        ),
    ]


def shown_texts(step: Step) -> list[str]:
    action = step.action
    texts = [action.label, action.evidence, action.command or "", action.harm or ""]
    return texts + [f.inject.text for f in step.injects]


def check_step(sim: Simulation, step: Step, raw_evidence: str, converted: bool) -> None:
    where = f"{sim.scenario.id} after {' > '.join(sim.taken)}"
    for text in shown_texts(step):
        assert unrendered(text) == [], (where, unrendered(text))
    for series in step.action.series:
        if series.signal is not None:
            assert series.points[-1] == pytest.approx(sim.values[series.signal]), where
    # A bare {signal.X} reads as the header reads: the current value, formatted alike.
    for token in tokens(raw_evidence):
        if token.ns == "signal" and not token.op and not token.spec:
            assert format_number(sim.values[token.name]) in step.action.evidence, (where, token)
    if converted:
        now = sim.start + sim.minute
        day = sim.scenario.variant_values.get("date")
        for text in shown_texts(step):
            for match in LITERAL_TIME.finditer(text):
                dated = DATE_BEFORE.search(text, max(0, match.start() - 11), match.start())
                if dated and dated[1] != day:
                    continue  # another day's history (a creation time, an old revision)
                moment = parse_clock(match[0])
                ahead = (moment - now) % (24 * 60)
                assert not 0 < ahead <= 12 * 60, (where, f"{match[0]} is later than {sim.clock()}")


def walk(scenario, seed: int, choose) -> set[str]:
    sim = Simulation(scenario, seed)
    converted = not sim.scenario.unconverted
    for _ in range(len(scenario.actions) + 4):
        action_id = choose(sim)
        if action_id is None:
            break
        action = sim.scenario.action(action_id)
        raw = sim._evidence_for(action)
        text = "Customers see errors; we are on it. Next update in 20 minutes."
        step = sim.take(action_id, text if action.kind == "communicate" else None)
        check_step(sim, step, raw, converted)
    return set(sim.taken)


def test_every_scenario_loads():
    assert ERRORS == [] and len(SCENARIOS) >= 12


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_evidence_follows_the_state(scenario_id):
    scenario = SCENARIOS[scenario_id]
    seen: set[str] = set()
    for seed in SEEDS:
        for _, choose in orders(scenario, seed):
            seen |= walk(scenario, seed, choose)
    assert seen == {a.id for a in scenario.actions}  # every action was shown at least once


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_no_literal_the_state_can_contradict(scenario_id):
    """The static side of the same promise: what the YAML writes literally (numbers equal to
    a signal's page value, clock times after the page) is checked by the validator."""
    scenario = SCENARIOS[scenario_id]
    warnings: list = []
    assert check(scenario, warnings) == []
    if scenario_id in UNCONVERTED:
        assert scenario.unconverted
    else:
        assert not scenario.unconverted and warnings == []


def test_the_unconverted_list_is_current():
    assert {s.id for s in SCENARIOS.values() if s.unconverted} == UNCONVERTED


def test_a_restart_renews_pod_ages_in_the_evidence():
    scenario = SCENARIOS["error-rate-50"]
    sim = Simulation(scenario)
    sim.take("grafana-overview")
    before = sim.take("get-pods").action.evidence
    assert " 13m " in before  # 10 minutes old at the page, 3 minutes later
    sim = Simulation(scenario)
    sim.take("grafana-overview")
    sim.take("rollout-restart")
    after = sim.take("get-pods").action.evidence
    assert " 13m " not in after and " 90s " in after and "6f7c9d8b5" not in after


def test_a_fix_is_reflected_in_every_later_output():
    scenario = SCENARIOS["error-rate-50"]
    sim = Simulation(scenario)
    for action in ("grafana-overview", "rollout-history", "rollback"):
        sim.take(action)
    rate = format_number(sim.values["error_rate"])
    assert rate == "0.4"
    for action in ("backend-logs", "errors-by-route", "ddb-metrics"):
        evidence = sim.take(action).action.evidence
        assert "49.6" not in evidence and "12,200" not in evidence, action
    logs = next(s for s in sim.steps if s.action.id == "backend-logs").action.evidence
    assert "No ERROR lines since 14:19" in logs
