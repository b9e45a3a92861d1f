"""The scenario engine (unlocks, state changes, relapses, penalties, clock), scoring, validation,
and every built-in scenario: model path >= 90, a path through a harmful action <= 40."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import write

from trainer.scenarios.engine import ActionError, Simulation, lookup, play
from trainer.scenarios.loader import load_scenario, load_scenarios
from trainer.scenarios.report import reflow, sparkline
from trainer.scenarios.scoring import HARM_CAP, play_and_score, score
from trainer.scenarios.validate import check

TINY = """\
scenario:
  id: tiny
  title: Errors after a deploy
  difficulty: easy
  summary: A tiny scenario for tests.
  start: "23:50"
  page: "[P1] 5xx at 30%"
  first_look: errors since 23:40
  signals:
    errors: {label: "5xx", unit: "%", start: 30, good_max: 1}
  actions:
    - id: look
      label: Look at the dashboard
      kind: diagnose
      minutes: 5
      evidence: errors began with the 23:40 deploy
      series:
        - name: 5xx
          points: [0, 0, 30, 30]
    - id: logs
      label: Read the logs
      kind: diagnose
      minutes: 5
      requires: [look]
      evidence: "TypeError: config.table is undefined"
    - id: restart
      label: Restart the pods
      kind: mitigate
      minutes: 2
      evidence: pods restarted
      effects:
        - set: {errors: 0}
        - after: 10
          add: {errors: 30}
          unless: [rollback]
    - id: rollback
      label: Roll back the deploy
      kind: rollback
      minutes: 4
      requires: [look]
      evidence: rolled back
      effects:
        - set: {errors: 0}
    - id: drop-db
      label: Drop the database
      kind: mitigate
      minutes: 1
      evidence: dropped
      harm: Every order is gone.
    - id: status
      label: Post a status update
      kind: communicate
      minutes: 1
      evidence: posted
  causes:
    - id: deploy
      label: the 23:40 deploy
      correct: true
    - id: db
      label: the database
    - id: network
      label: the network
  model_path: [look, logs, rollback, status]
  key_steps: [look, logs]
  why:
    look: scope first
    logs: the error names the config
    rollback: the deploy is the cause
    status: people need to know
  hints: [Look at when it started.]
  model_writeup: Errors hit 30% after the 23:40 deploy broke config; we rolled back.
  writeup_rubric:
    - point: Names the deploy as the cause
      weight: 2
      phrases: [deploy, release]
    - point: Rolled back
      weight: 2
      phrases: [rolled back, rollback]
  lesson: Check what changed.
"""


@pytest.fixture
def tiny(tmp_path):
    scenario, errors = load_scenario(write(tmp_path / "tiny.yaml", TINY))
    assert errors == [] and scenario is not None
    return scenario


def test_unlocks_and_clock(tiny):
    sim = Simulation(tiny)
    assert [a.id for a in sim.available()] == ["look", "restart", "drop-db", "status"]
    with pytest.raises(ActionError, match="needs look first"):
        sim.take("logs")
    sim.take("look")
    assert "logs" in [a.id for a in sim.available()] and sim.clock() == "23:55"
    sim.take("logs")
    assert sim.clock() == "00:00"  # past midnight
    with pytest.raises(ActionError, match="already taken"):
        sim.take("look")
    with pytest.raises(ActionError, match="unknown action"):
        sim.take("nope")


def test_restart_without_fix_relapses(tiny):
    sim = Simulation(tiny)
    step = sim.take("restart")
    assert step.signals["errors"] == 0 and sim.healthy()
    sim.take("look")
    sim.take("logs")  # 12 minutes after the restart: the errors are back
    assert sim.values["errors"] == 30 and sim.mitigated_at is None
    assert sim.steps[-1].relapsed == ["restart"]


def test_real_fix_cancels_the_relapse(tiny):
    sim = play(tiny, ["restart", "look", "rollback"])
    assert sim.healthy() and sim.mitigated_at is not None


def test_relapse_pending_at_the_end_counts(tiny):
    sim = play(tiny, ["restart"])
    assert not sim.healthy()  # finish() lets the pending relapse happen


def test_model_path_scores_full(tiny):
    debrief = play_and_score(tiny, list(tiny.model_path), "deploy", tiny.model_writeup)
    assert debrief.score == 100 and debrief.mitigated


def test_penalties_hints_harm_and_wrong_cause(tiny):
    hinted = play_and_score(tiny, list(tiny.model_path), "deploy", tiny.model_writeup, hints=1)
    assert hinted.score == 95
    harmed = play_and_score(tiny, [*tiny.model_path, "drop-db"], "deploy", tiny.model_writeup)
    assert harmed.score <= HARM_CAP and harmed.harmful == [
        ("Drop the database", "Every order is gone.")
    ]
    wrong = play_and_score(tiny, list(tiny.model_path), "db", tiny.model_writeup)
    assert wrong.score == 75 and not wrong.root_cause_correct


def test_acting_before_looking_costs(tiny):
    hasty = play_and_score(
        tiny, ["restart", "look", "logs", "rollback", "status"], "deploy", tiny.model_writeup
    )
    looked = next(i for i in hasty.items if i.name == "Looked before acting")
    assert looked.points == 0


def test_validation_catches_broken_references(tmp_path):
    broken = (
        TINY.replace(
            'requires: [look]\n      evidence: "TypeError',
            'requires: [lok]\n      evidence: "TypeError',
        )
        .replace("unless: [rollback]", "unless: [rolback]")
        .replace("set: {errors: 0}\n    - id: drop-db", "set: {eros: 0}\n    - id: drop-db")
    )
    scenario, errors = load_scenario(write(tmp_path / "tiny.yaml", broken))
    assert errors == []
    messages = [f"{e.field}: {e.message}" for e in check(scenario)]
    assert any("unknown action 'lok'" in m for m in messages)
    assert any("unknown action 'rolback'" in m for m in messages)
    assert any("unknown signal 'eros'" in m for m in messages)
    assert any("can never be unlocked" in m for m in messages)


def test_validation_catches_a_model_path_that_does_not_mitigate(tmp_path):
    text = TINY.replace(
        "model_path: [look, logs, rollback, status]", "model_path: [look, logs, status]"
    ).replace("    rollback: the deploy is the cause\n", "")
    scenario, _ = load_scenario(write(tmp_path / "tiny.yaml", text))
    (error,) = check(scenario)
    assert error.field == "scenario.model_path" and "does not mitigate" in error.message
    assert error.line == text.splitlines().index("  model_path: [look, logs, status]") + 1


def test_validation_catches_no_mitigating_path(tmp_path):
    text = TINY.replace(
        "      effects:\n        - set: {errors: 0}\n    - id: drop-db", "    - id: drop-db"
    ).replace("        - set: {errors: 0}\n        - after", "        - after")
    scenario, _ = load_scenario(write(tmp_path / "tiny.yaml", text))
    assert any("no path mitigates" in e.message for e in check(scenario))


def test_loader_errors_have_positions(tmp_path):
    text = TINY.replace(
        "kind: diagnose\n      minutes: 5\n      evidence: errors",
        "kind: investigate\n      minutes: 5\n      evidence: errors",
    )
    scenario, errors = load_scenario(write(tmp_path / "tiny.yaml", text))
    assert scenario is None
    assert errors[0].field == "scenario.actions[0].kind" and errors[0].line == 14
    assert "expected one of diagnose" in errors[0].message


def test_validate_command_reports_broken_scenario(tmp_path):
    path = write(
        tmp_path / "tiny.yaml",
        TINY.replace(
            'requires: [look]\n      evidence: "Type', 'requires: [nothing]\n      evidence: "Type'
        ),
    )
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "scenario.actions[1].requires: unknown action 'nothing'" in result.stdout


BUILTIN, BUILTIN_ERRORS = load_scenarios()


def test_builtin_scenarios_load_and_validate():
    assert BUILTIN_ERRORS == []
    assert len(BUILTIN) >= 10
    for scenario in BUILTIN.values():
        assert check(scenario) == [], scenario.id


@pytest.mark.parametrize("scenario_id", sorted(BUILTIN))
def test_builtin_model_path_and_harm(scenario_id):
    scenario = BUILTIN[scenario_id]
    model = play_and_score(
        scenario, list(scenario.model_path), scenario.correct_cause.id, scenario.model_writeup
    )
    assert model.score >= 90 and model.mitigated
    harmful = [a for a in scenario.actions if a.harmful]
    assert harmful, "each scenario has at least one harmful action"
    for action in harmful:
        # The model path, with the harmful action taken as soon as it is available.
        sim = Simulation(scenario)
        taken = []
        for step in scenario.model_path:
            if action.id not in taken and all(r in taken for r in action.requires):
                sim.take(action.id)
                taken.append(action.id)
            sim.take(step)
            taken.append(step)
        if action.id not in taken:
            sim.take(action.id)
        assert score(sim, scenario.correct_cause.id, scenario.model_writeup).score <= 40
    wrong = [c for c in scenario.causes if not c.correct]
    assert len(wrong) >= 2, "at least two plausible wrong causes"


def test_scenario_play_command_model_path():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "trainer",
            "scenario",
            "play",
            "dynamodb-throttling",
            "--model-path",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(result.stdout)
    assert data["score"] >= 90 and data["mitigated"] and data["root_cause_correct"]


def test_scenario_play_command_errors():
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "scenario", "play", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "unknown scenario 'nope'" in result.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "trainer",
            "scenario",
            "play",
            "error-rate-50",
            "--actions",
            "not-an-action",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "unknown action" in result.stderr
    assert "Traceback" not in result.stderr


def test_sparkline_and_reflow():
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert (
        reflow("one\ntwo\n\n  kubectl  table\n  row   x")
        == "one two\n\n  kubectl  table\n  row   x"
    )


def test_relief_does_not_push_a_healthy_signal_further(tiny):
    sim = Simulation(tiny)
    sim.take("look")
    sim.take("rollback")  # errors now 0: healthy
    sim.values["errors"] = 0.5
    from trainer.scenarios.models import Effect

    sim._apply(Effect(add=(("errors", -15.0),)))
    assert sim.values["errors"] == 0.5
    sim._apply(Effect(add=(("errors", 20.0),)))  # a relapse still applies
    assert sim.values["errors"] == 20.5


# --- Typed PromQL look-ups -------------------------------------------------------------------


@pytest.fixture(scope="module")
def builtin():
    scenarios, errors = load_scenarios()
    assert not errors
    return scenarios


def test_typed_query_matches_a_narrower_or_equivalent_look_up(builtin):
    leak = builtin["nodejs-memory-leak"]
    backend = '{namespace="default", pod=~"cloudmart-backend.*"}'
    for typed in (
        f"container_memory_usage_bytes{backend} / 1024 / 1024",
        'container_memory_working_set_bytes{namespace="default", pod=~"cloudmart-backend.*"}',
        'container_memory_working_set_bytes{pod=~"cloudmart.*", namespace="default"} / 1048576',
    ):
        found = lookup(Simulation(leak), typed)
        assert (found.kind, found.action.id) == ("run", "memory-promql"), (typed, found)


def test_a_query_already_run_shows_its_result_again(builtin):
    simulation = Simulation(builtin["nodejs-memory-leak"])
    for action in ("get-pods", "describe-pod", "memory-promql"):
        simulation.take(action)
    minute = simulation.minute
    typed = 'container_memory_usage_bytes{namespace="default", pod=~"cloudmart.*"} / 1024 / 1024'
    found = lookup(simulation, typed)
    assert (found.kind, found.action.id) == ("rerun", "memory-promql")
    assert simulation.minute == minute  # looking again takes no time


def test_a_query_moved_out_of_command_now_matches(builtin):
    simulation = Simulation(builtin["nodejs-memory-leak"])
    available = {a.id for a in simulation.available()}
    typed = (
        "increase(kube_pod_container_status_restarts_total"
        '{namespace="default", pod=~"cloudmart.*"}[1h])'
    )
    found = lookup(simulation, typed)
    assert found.action is not None and found.action.id == "rollout-history"
    assert found.kind == ("run" if "rollout-history" in available else "locked")


def test_wider_near_and_broken_queries(builtin):
    simulation = Simulation(builtin["nodejs-memory-leak"])
    wider = lookup(simulation, "container_memory_usage_bytes / 1024 / 1024")
    assert wider.kind == "near" and 'namespace="default"' in wider.message
    assert lookup(simulation, "sum(rate(nonexistent_metric[5m]))").kind == "none"
    broken = lookup(simulation, "sum(rate(x[5m])")
    assert broken.kind == "invalid" and broken.error is not None
    assert lookup(simulation, "(" * 1500 + "up" + ")" * 1500).kind == "invalid"


def test_a_look_up_may_list_several_queries(tmp_path):
    path = write(
        tmp_path / "tiny.yaml",
        TINY.replace(
            "      evidence: errors began with the 23:40 deploy",
            "      evidence: errors began with the 23:40 deploy\n"
            "      promql: ['rate(a[5m])', 'rate(b[5m])']",
        ),
    )
    scenario, errors = load_scenario(path)
    assert not errors
    assert scenario.action("look").queries == ("rate(a[5m])", "rate(b[5m])")
    assert lookup(Simulation(scenario), "rate(b[300s])").kind == "run"


def test_validation_flags_promql_kept_under_command(tmp_path):
    path = write(
        tmp_path / "tiny.yaml",
        TINY.replace(
            "      evidence: errors began with the 23:40 deploy",
            "      evidence: errors began with the 23:40 deploy\n"
            "      command: 'grafana && PromQL rate(x[5m])'",
        ),
    )
    scenario, _ = load_scenario(path)
    errors = check(scenario)
    assert any("promql" in e.message.lower() and e.field.endswith(".command") for e in errors)
