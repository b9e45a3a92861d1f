"""The scenario engine (unlocks, state changes, relapses, drift, injects, templates, clock),
scoring (typed root cause, key-step groups, mitigated first, write-up claims, updates),
validation, and every built-in scenario: model path >= 90 in every variant, the title typed as
the diagnosis <= 5 root-cause points, a harmful action <= 40."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write

from trainer.scenarios.engine import (
    ActionError,
    Simulation,
    lookup,
    play,
    resolve,
    variant_index,
)
from trainer.scenarios.loader import load_scenario, load_scenarios, read_scenario
from trainer.scenarios.report import blocks, reflow, sparkline
from trainer.scenarios.scoring import (
    CHOICES_COST,
    HARM_CAP,
    UNVERIFIED_CLAIM,
    play_and_score,
    play_model,
    score,
)
from trainer.scenarios.validate import check

TINY = """\
scenario:
  id: tiny
  title: Errors after a deploy
  difficulty: easy
  summary: A tiny scenario for tests.
  start: "23:50"
  moments:
    pods: 30
  page: "[P1] 5xx at {page.errors}%"
  first_look: errors since {start-10}
  signals:
    errors: {label: "5xx", unit: "%", start: 30, good_max: 1}
  actions:
    - id: look
      label: Look at the dashboard
      kind: diagnose
      minutes: 5
      evidence: "5xx {signal.errors}% at {clock}; pods {age.pods} old"
      series:
        - name: 5xx
          signal: errors
          points: [0, 0, 30, 30]
    - id: logs
      label: Read the logs
      kind: diagnose
      minutes: 5
      requires: [look]
      evidence: "TypeError: config.table is undefined"
    - id: trace
      label: Open a trace
      kind: diagnose
      minutes: 3
      evidence: "span error: config.table is undefined"
    - id: restart
      label: Restart the pods
      kind: mitigate
      minutes: 2
      resets: [pods]
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
      evidence: rolled back at {clock}
      effects:
        - set: {errors: 0}
    - id: fix-config
      label: Set config.table in the config map
      kind: mitigate
      minutes: 3
      requires: [cause-found]
      evidence: fixed
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
      evidence: posted at {clock}
  root_cause:
    model: >-
      The deploy shipped a config without the table setting,
      so config.table is undefined in every request.
    rubric:
      - point: config.table is undefined
        role: mechanism
        weight: 3
        phrases: [config table undefined, table setting missing]
      - point: the deploy
        role: trigger
        weight: 1
        phrases: [deploy]
      - point: seen in the logs or a trace
        role: evidence
        weight: 2
        needs_action: [cause-found]
        phrases: [every request, typeerror]
    choices:
      - {id: deploy, label: the deploy broke the config, correct: true}
      - {id: db, label: the database went away}
      - {id: network, label: the network dropped out}
  model_path: [look, logs, rollback, status]
  key_steps:
    - {id: scoped, what: looked at the dashboard, by: [look]}
    - {id: cause-found, what: saw the undefined setting, by: [logs, trace], reveals_cause: true}
  communication:
    model_updates:
      - >-
        Customers see errors on about a third of all requests since 23:40, while checkout and
        search still work normally. We are rolling back the deploy that lines up with it.
        Next update at {clock+20}.
  why:
    look: scope first
    logs: the error names the config
    rollback: the deploy is the cause
    status: people need to know
  hints: [Look at when it started.]
  model_writeup: Errors hit 30% after the deploy broke config; we rolled back.
  writeup_rubric:
    - point: Names the deploy as the cause
      weight: 2
      phrases: [deploy, release]
    - point: Rolled back
      weight: 2
      needs_action: [rollback]
      phrases: [rolled back, rollback]
  lesson: Check what changed.
"""


def load_tiny(tmp_path, text: str = TINY):
    scenario, errors = load_scenario(write(tmp_path / "tiny.yaml", text))
    assert errors == [] and scenario is not None, errors
    return scenario


@pytest.fixture
def tiny(tmp_path):
    return load_tiny(tmp_path)


def messages(tmp_path, text: str) -> list[str]:
    scenario, errors = read_scenario(write(tmp_path / "tiny.yaml", text))
    found = errors + (check(scenario, read_whole=not errors) if scenario else [])
    return [f"{e.field}: {e.message}" for e in found]


# -- the engine ---------------------------------------------------------------------------------
def test_unlocks_and_clock(tiny):
    sim = Simulation(tiny)
    assert [a.id for a in sim.available()] == [
        "look",
        "trace",
        "restart",
        "drop-db",
        "status",
    ]
    with pytest.raises(ActionError, match="needs look first"):
        sim.take("logs")
    sim.take("look")
    assert "logs" in [a.id for a in sim.available()] and sim.clock() == "23:55"
    sim.take("logs")
    assert sim.clock() == "00:00"  # past midnight
    assert "fix-config" in [a.id for a in sim.available()]  # the cause is revealed
    with pytest.raises(ActionError, match="already taken"):
        sim.take("look")
    with pytest.raises(ActionError, match="unknown action 'nope'; available now: .*rollback"):
        sim.take("nope")


def test_a_fix_that_names_the_cause_unlocks_with_any_revealing_evidence(tiny):
    sim = Simulation(tiny)
    assert "fix-config" not in [a.id for a in sim.available()]
    sim.take("trace")  # the other action of the revealing key step
    assert "fix-config" in [a.id for a in sim.available()] and sim.cause_revealed()


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


def test_evidence_is_rendered_from_the_state(tiny):
    sim = Simulation(tiny)
    step = sim.take("look")
    assert step.action.evidence == "5xx 30% at 23:55; pods 35m old"
    assert step.action.series[0].points == (30, 30, 30, 30)  # the window slides with the clock
    sim = Simulation(tiny)
    sim.take("restart")  # errors 0, pods renewed
    step = sim.take("look")
    assert step.action.evidence == "5xx 0% at 23:57; pods 5m old"
    assert step.action.series[0].points == (0, 0, 0, 0) and sim.values["errors"] == 0
    assert resolve(tiny, None).page == "[P1] 5xx at 30%"
    assert tiny.first_look == "errors since 23:40"


def test_signals_worsen_while_unhealthy_and_stop_at_their_limit(tmp_path):
    drifting = load_tiny(
        tmp_path,
        TINY.replace("start: 30, good_max: 1}", "start: 30, good_max: 1, drift: 2, limit: 45}"),
    )
    sim = Simulation(drifting)
    sim.take("look")  # 5 minutes
    assert sim.values["errors"] == 40
    sim.take("logs")
    assert sim.values["errors"] == 45  # the limit
    sim.take("rollback")
    assert sim.values["errors"] == 0
    sim.take("status")
    assert sim.values["errors"] == 0  # healthy signals do not drift


def test_error_budget_burns_with_the_error_rate(tmp_path):
    budgeted = load_tiny(
        tmp_path,
        TINY.replace("  moments:", "  budget: {signal: errors, slo: 99.9, spent: 10}\n  moments:"),
    )
    sim = Simulation(budgeted)
    # 30% errors burn 0.3 minute of a 43.2-minute monthly budget each minute: 0.69% a minute.
    sim.take("look")  # 5 minutes at 30%
    assert sim.budget_used == pytest.approx(13.472, abs=0.001)
    sim.take("rollback")  # 4 more minutes at 30%: errors fall only once it is done
    assert sim.budget_used == pytest.approx(16.25, abs=0.001)


INJECTS = """\
  injects:
    - id: exec
      at: 4
      text: "The VP asks for an ETA at {clock}"
      expects: update
      within: 6
      cost: 5
    - id: teammate
      after: [look]
      text: "Sam will restart the pods in 3 minutes"
      expects: action
      actions: [hold-sam]
      within: 3
      cost: 5
      effects:
        - add: {errors: 20}
"""
HOLD = """\
    - id: hold-sam
      label: Ask Sam to hold off
      kind: diagnose
      minutes: 1
      requires: [teammate]
      evidence: Sam holds.
    - id: status
"""


def with_injects(tmp_path):
    text = TINY.replace("  root_cause:", INJECTS + "  root_cause:").replace(
        "    - id: status\n", HOLD
    )
    return load_tiny(tmp_path, text)


def test_injects_fire_wait_for_an_answer_and_land_when_ignored(tmp_path):
    scenario = with_injects(tmp_path)
    sim = Simulation(scenario)
    assert "hold-sam" not in [a.id for a in sim.available()]
    step = sim.take("look")  # minute 5: the exec asked at 4, the teammate speaks now
    assert [f.inject.id for f in step.injects] == ["exec", "teammate"]
    assert step.injects[0].inject.text == "The VP asks for an ETA at 23:54"
    assert {f.inject.id for f in sim.open_injects()} == {"exec", "teammate"}
    sim.take("status", "Errors on a third of requests; next update at 00:20.")
    step = sim.take("logs")  # minute 11: Sam's deadline (8) passed unanswered
    assert step.missed == ["teammate"] and sim.values["errors"] == 50
    debrief = score(sim, "config.table is undefined", "")
    injects = next(i for i in debrief.items if i.name == "Injects")
    assert injects.points == -5 and "teammate" in injects.detail
    exec_report, teammate = debrief.injects  # what the debrief shows of each inject
    assert exec_report["answered"] and exec_report["cost"] == 0
    assert exec_report["text"] == "The VP asks for an ETA at 23:54"
    assert (exec_report["at"], exec_report["by"], exec_report["answered_at"]) == (
        "23:54",
        "00:00",
        "23:55",
    )
    assert not teammate["answered"] and teammate["cost"] == 5 and teammate["answered_at"] is None


def test_an_answered_inject_costs_nothing_and_its_effect_never_lands(tmp_path):
    scenario = with_injects(tmp_path)
    sim = Simulation(scenario)
    sim.take("look")
    sim.take("hold-sam")
    sim.take("status", "Errors on a third of requests; next update at 00:20.")
    sim.take("logs")
    assert sim.values["errors"] == 30 and not sim.open_injects()
    assert next(i for i in score(sim, None).items if i.name == "Injects").points == 0


def test_status_updates_are_repeatable_and_carry_their_text(tiny):
    sim = Simulation(tiny)
    sim.take("status", "first")
    sim.take("status", "second")
    assert [u.text for u in sim.updates] == ["first", "second"]
    with pytest.raises(ActionError, match="takes no text"):
        sim.take("look", "words")


def test_variants_fill_every_text_and_follow_the_seed(tmp_path):
    text = (
        TINY.replace("title: Errors after a deploy", "title: Errors after the {var.svc} deploy")
        .replace('start: "23:50"', 'start: "{var.start}"')
        .replace(
            "  moments:",
            '  variants:\n    - {svc: cart, start: "23:50"}\n    - {svc: search, start: "09:15"}\n'
            "  moments:",
        )
    )
    scenario = load_tiny(tmp_path, text)
    assert scenario.title == "Errors after the cart deploy" and scenario.variant == 0
    seeds = {variant_index(scenario, seed) for seed in range(20)}
    assert seeds == {0, 1}
    seed = next(s for s in range(20) if variant_index(scenario, s) == 1)
    sim = Simulation(scenario, seed)
    assert sim.scenario.title == "Errors after the search deploy" and sim.clock() == "09:15"
    assert sim.scenario.first_look == "errors since 09:05"
    assert play_model(scenario, seed).score >= 90


# -- scoring ------------------------------------------------------------------------------------
def test_model_path_scores_full(tiny):
    debrief = play_model(tiny)
    assert debrief.score == 100 and debrief.mitigated and debrief.root_cause_correct


def test_root_cause_is_graded_in_own_words_with_the_stance_rules(tiny):
    path = list(tiny.model_path)

    def points(text: str, actions=path) -> float:
        debrief = play_and_score(tiny, actions, text)
        return next(i for i in debrief.items if i.name == "Root cause").points

    typed = "The deploy shipped a config where config.table is undefined, so every request fails."
    assert points(typed) == 25
    assert points("It is not that config.table is undefined; the network dropped out") == 0
    assert points(tiny.title) <= 5
    # The evidence point needs the evidence: claimed without looking, it earns nothing.
    assert points(typed, ["look"]) < 25
    debrief = play_and_score(tiny, ["look"], "a TypeError in every request")
    statuses = {p["point"]: p["status"] for p in debrief.to_json()["root_cause_points"]}
    assert statuses["seen in the logs or a trace"] == "not-done"


def test_the_breakdown_keeps_its_shape_and_lists_credited_points(tiny):
    data = play_and_score(tiny, list(tiny.model_path), tiny.root_cause.model).to_json()
    root = data["breakdown"][0]
    assert set(root) == {"name", "points", "out_of", "detail"} and root["name"] == "Root cause"
    assert "credited: mechanism: config.table is undefined" in root["detail"]
    assert [p["status"] for p in data["root_cause_points"]] == ["full", "full", "full"]


def test_penalties_hints_choices_harm(tiny):
    model = play_model(tiny).score
    hinted = play_and_score(
        tiny,
        list(tiny.model_path),
        tiny.root_cause.model,
        tiny.model_writeup,
        hints=1,
        updates=list(tiny.communication.model_updates),
    )
    assert hinted.score == model - 5
    chose = play_and_score(
        tiny,
        list(tiny.model_path),
        tiny.root_cause.model,
        tiny.model_writeup,
        updates=list(tiny.communication.model_updates),
        choices=True,
    )
    assert chose.score == model - CHOICES_COST and chose.choices_used
    harmed = play_and_score(tiny, [*tiny.model_path, "drop-db"], tiny.root_cause.model)
    assert harmed.score <= HARM_CAP and harmed.harmful == [
        ("Drop the database", "Every order is gone.")
    ]


def test_a_diagnosis_that_is_a_choice_id_is_graded_as_typed(tiny):
    """The diagnosis is always typed text: one that happens to equal a choice id is neither
    charged as the hint nor swapped for that choice's label."""
    sim = play(tiny, list(tiny.model_path))
    debrief = score(sim, "deploy")
    assert not debrief.choices_used and debrief.root_cause == "deploy"
    assert not any(i.name == "Multiple-choice hint" for i in debrief.items)


def test_choices_are_shuffled_by_seed(tiny):
    orders = {tuple(c.id for c in Simulation(tiny, seed).choices()) for seed in range(12)}
    assert len(orders) > 1
    assert {c.id for c in Simulation(tiny, 3).choices()} == {"deploy", "db", "network"}


def test_acting_before_looking_costs(tiny):
    hasty = play_and_score(tiny, ["restart", "look", "logs", "rollback", "status"], None)
    looked = next(i for i in hasty.items if i.name == "Looked before acting")
    assert looked.points == 0


def test_key_steps_are_groups_of_equivalent_evidence(tiny):
    by_logs = play_and_score(tiny, ["look", "logs", "rollback"], None)
    by_trace = play_and_score(tiny, ["look", "trace", "rollback"], None)
    for debrief in (by_logs, by_trace):
        assert next(i for i in debrief.items if i.name == "Key diagnostic steps").points == 20


def test_a_writeup_claim_the_run_contradicts_is_not_credited(tiny):
    honest = play_and_score(tiny, ["look", "logs", "rollback"], None, "The deploy; we rolled back.")
    claimed = play_and_score(tiny, ["look", "logs", "restart"], None, "The deploy; we rolled back.")
    assert honest.writeup.score == 100
    assert claimed.writeup.score < 100
    assert "not done in this run: Rolled back" in next(
        i.detail for i in claimed.items if i.name == "Write-up"
    )


def test_status_updates_are_graded_and_an_unverified_cause_is_a_red_flag(tiny):
    def update(actions, text):
        sim = Simulation(tiny)
        for action in actions:
            sim.take(action, text if action == "status" else None)
        return score(sim, None).updates[0].result

    good = update(["status"], tiny.communication.model_updates[0].replace("{clock+20}", "00:20"))
    assert good.score == 100
    stated = "Customers see errors; we are on it: the table setting is missing. Next update 00:20."
    early = update(["status"], stated)
    assert UNVERIFIED_CLAIM in [f.claim for f in early.red_flags]
    hedged = update(["status"], stated.replace("the table setting", "we suspect the table setting"))
    assert not hedged.red_flags
    later = update(["look", "logs", "status"], stated)  # after the logs revealed it
    assert not later.red_flags


def test_mitigated_first_counts_every_change_before_the_rollback():
    scenarios, _ = load_scenarios(include_user_packs=False)
    scenario = scenarios["error-rate-50"]

    def mitigated_first(actions):
        debrief = play_and_score(scenario, actions, None)
        return next(i for i in debrief.items if i.name == "Mitigated first")

    assert mitigated_first(["grafana-overview", "rollout-history", "rollback"]).points == 10
    tried = mitigated_first(["rollout-restart", "raise-ddb-capacity", "rollback"])
    assert tried.points == 4 and "Restart the backend deployment" in tried.detail
    harmed = mitigated_first(["backend-logs", "create-table", "rollback"])
    assert harmed.points == 0 and "did harm" in harmed.detail


# -- validation ---------------------------------------------------------------------------------
def test_tiny_is_valid(tiny):
    assert check(tiny) == []


def test_validation_catches_broken_references(tmp_path):
    broken = (
        TINY.replace(
            'requires: [look]\n      evidence: "TypeError',
            'requires: [lok]\n      evidence: "TypeError',
        )
        .replace("unless: [rollback]", "unless: [rolback]")
        .replace("set: {errors: 0}\n    - id: drop-db", "set: {eros: 0}\n    - id: drop-db")
        .replace("by: [logs, trace]", "by: [logs, trac]")
        .replace("needs_action: [rollback]", "needs_action: [rollbak]")
    )
    found = messages(tmp_path, broken)
    assert any("unknown action, key step or inject 'lok'" in m for m in found)
    assert any("unknown action or key step 'rolback'" in m for m in found)
    assert any("unknown signal 'eros'" in m for m in found)
    assert any("can never be unlocked" in m for m in found)
    assert any("key_steps[1].by: unknown action 'trac'" in m for m in found)
    assert any(
        "writeup_rubric[1].needs_action: unknown action or key step 'rollbak'" in m for m in found
    )


def test_validate_reports_shape_and_reference_errors_of_one_file_together(tmp_path):
    text = TINY.replace("kind: rollback\n", "kind: undo\n").replace(
        'requires: [look]\n      evidence: "TypeError',
        'requires: [lok]\n      evidence: "TypeError',
    )
    found = messages(tmp_path, text)
    assert any("kind: expected one of diagnose" in m for m in found)
    assert any("unknown action, key step or inject 'lok'" in m for m in found)
    assert not any("'rollback'" in m for m in found)  # the broken action still resolves


def test_validation_catches_a_model_path_that_does_not_mitigate(tmp_path):
    text = TINY.replace(
        "model_path: [look, logs, rollback, status]", "model_path: [look, logs, status]"
    ).replace("    rollback: the deploy is the cause\n", "")
    (error,) = messages(tmp_path, text)
    assert error.startswith("scenario.model_path: does not mitigate")


def test_validation_catches_no_mitigating_path(tmp_path):
    text = (
        TINY.replace(
            "      effects:\n        - set: {errors: 0}\n    - id: fix-config",
            "    - id: fix-config",
        )
        .replace("        - set: {errors: 0}\n        - after", "        - after")
        .replace(
            "      effects:\n        - set: {errors: 0}\n    - id: drop-db", "    - id: drop-db"
        )
    )
    assert any("no path mitigates" in m for m in messages(tmp_path, text))


def test_validation_catches_labels_that_name_the_cause_before_the_evidence(tmp_path):
    text = TINY.replace(
        "label: Restart the pods", "label: Restart the pods (table setting missing)"
    )
    text = text.replace("      requires: [cause-found]\n", "")
    found = messages(tmp_path, text)
    assert any(
        m.startswith("scenario.actions[3].label: names the root cause before any evidence")
        for m in found
    )
    assert (
        any(m.startswith("scenario.actions[5].label: names the root cause") for m in found) is False
    )  # "Set config.table in the config map" says what is changed, not why


def test_validation_catches_options_of_telling_length(tmp_path):
    text = TINY.replace(
        "label: the deploy broke the config, correct: true",
        "label: the deploy shipped a config without the table setting so every request fails, "
        "correct: true",
    )
    assert any("must be of comparable length" in m for m in messages(tmp_path, text))


def test_validation_catches_bad_templates(tmp_path):
    text = (
        TINY.replace("evidence: pods restarted", "evidence: pods restarted at {clock - 1}")
        .replace("evidence: dropped", "evidence: dropped {signals.errors}")
        .replace("evidence: fixed", "evidence: fixed at {at.nope}")
        .replace("label: Open a trace", "label: Open a trace at {clock}")
        .replace("evidence: posted at {clock}", "evidence: posted ({signal.errors:>99999})")
    )
    found = messages(tmp_path, text)
    assert any("malformed template '{clock - 1}'" in m for m in found)
    assert any("unknown template '{signals.errors}'" in m for m in found)
    assert any("unknown moment 'nope'" in m for m in found)
    assert any("label: {clock} follows the state" in m for m in found)
    assert any("formats are for numbers only" in m for m in found)


def test_validation_catches_stale_literals(tmp_path):
    text = TINY.replace(
        'evidence: "TypeError: config.table is undefined"',
        'evidence: "TypeError: config.table is undefined at 23:58; 5xx 30%; another day is '
        'history: 2024-01-01T23:58Z"',
    ).replace("evidence: rolled back at {clock}", "evidence: rolled back; 2025-05-05T23:59Z")
    found = messages(tmp_path, text)
    assert sum("the literal time 23:58 is after the page" in m for m in found) == 1
    assert any("the literal 30 is errors's value at the page" in m for m in found)
    # The incident's day is the latest date mentioned: 2025-05-05T23:59 is after the page.
    assert any("the literal time 23:59 is after the page" in m for m in found)


def test_unconverted_scenarios_get_content_warnings_not_errors(tmp_path):
    text = TINY.replace(
        "label: Restart the pods", "label: Restart the pods (table setting missing)"
    )
    scenario, _ = read_scenario(write(tmp_path / "tiny.yaml", text))
    assert check(scenario) != []
    marked, _ = read_scenario(
        write(
            tmp_path / "tiny.yaml",
            text.replace("  difficulty: easy", "  difficulty: easy\n  unconverted: true"),
        )
    )
    warnings: list = []
    assert check(marked, warnings) == [] and warnings


def test_old_format_is_explained(tmp_path):
    old = TINY.replace("  root_cause:", "  causes: []\n  root_cause:").replace(
        "  key_steps:\n    - {id: scoped, what: looked at the dashboard, by: [look]}",
        "  key_steps:\n    - look",
    )
    found = messages(tmp_path, old)
    assert any("scenario.causes: the options moved to root_cause.choices" in m for m in found)
    assert any("a key step is now a group of equivalent evidence" in m for m in found)


def test_loader_errors_have_positions(tmp_path):
    text = TINY.replace(
        'kind: diagnose\n      minutes: 5\n      evidence: "5xx',
        'kind: investigate\n      minutes: 5\n      evidence: "5xx',
    )
    scenario, errors = load_scenario(write(tmp_path / "tiny.yaml", text))
    assert scenario is None
    assert errors[0].field == "scenario.actions[0].kind" and errors[0].line == 16
    assert "expected one of diagnose" in errors[0].message


# -- the built-in scenarios ------------------------------------------------------------------
BUILTIN, BUILTIN_ERRORS = load_scenarios(include_user_packs=False)


def test_builtin_scenarios_load_and_validate():
    assert BUILTIN_ERRORS == []
    assert len(BUILTIN) >= 12
    for scenario in BUILTIN.values():
        assert check(scenario) == [], scenario.id


@pytest.mark.parametrize("scenario_id", sorted(BUILTIN))
def test_builtin_model_path_scores_90_in_every_variant(scenario_id):
    scenario = BUILTIN[scenario_id]
    for index in range(max(1, len(scenario.variants))):
        seed = next(s for s in range(200) if variant_index(scenario, s) == index)
        debrief = play_model(scenario, seed)
        assert debrief.score >= 90 and debrief.mitigated, (index, debrief.items)


@pytest.mark.parametrize("scenario_id", sorted(BUILTIN))
def test_builtin_one_action_and_the_title_earns_at_most_5_root_cause_points(scenario_id):
    scenario = BUILTIN[scenario_id]
    debrief = play_and_score(scenario, [scenario.model_path[0]], scenario.title)
    assert next(i for i in debrief.items if i.name == "Root cause").points <= 5


@pytest.mark.parametrize("scenario_id", sorted(BUILTIN))
def test_builtin_harm(scenario_id):
    scenario = BUILTIN[scenario_id]
    harmful = [a for a in scenario.actions if a.harmful]
    assert harmful, "each scenario has at least one harmful action"
    for action in harmful:
        # The model path, with the harmful action taken as soon as it is available.
        sim = Simulation(scenario)
        for step in scenario.model_path:
            if action.id not in sim.taken and action in sim.available():
                sim.take(action.id)
            sim.take(step)
        if action.id not in sim.taken:
            sim.take(action.id)
        assert score(sim, scenario.root_cause.model, scenario.model_writeup).score <= 40
    assert len([c for c in scenario.causes if not c.correct]) >= 2


def test_at_least_the_converted_scenarios_have_injects_and_variants():
    converted = [s for s in BUILTIN.values() if not s.unconverted]
    assert {"error-rate-50", "dynamodb-throttling"} <= {s.id for s in converted}
    for scenario in converted:
        assert scenario.injects and len(scenario.variants) >= 2, scenario.id


def test_sparkline_and_reflow():
    assert sparkline([0, 5, 10]) == "▁▅█"
    wrapped = "word " * 16 + "and"  # 83 characters: its author wrapped it
    assert (
        reflow(f"{wrapped}\nthe rest\n\n  kubectl  table\n  row   x")
        == f"{wrapped} the rest\n\n  kubectl  table\n  row   x"
    )
    # A short line, a sentence's end or a line before an alert keeps its break; a chat line
    # is prose (not a `# comment`).
    assert reflow("SystemErrors: 0 in every minute\nLatency: 5.8 ms") == (
        "SystemErrors: 0 in every minute\nLatency: 5.8 ms"
    )
    assert blocks(f'#deploys: "{wrapped}\nfixed."\nAiko: "on it"\n[P2] lag') == [
        (f'#deploys: "{wrapped} fixed."\nAiko: "on it"\n[P2] lag', False)
    ]
    assert blocks("# comment\n$ kubectl get pods") == [("# comment\n$ kubectl get pods", True)]


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
    """The built-in scenarios only (never the packs of whoever runs the tests)."""
    return BUILTIN


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
    assert "rollout-history" in available and found.kind == "run"


def test_a_query_run_before_is_shown_again_before_a_locked_one_that_matches(tmp_path):
    logs = TINY[TINY.index("    - id: logs") : TINY.index("    - id: trace")]
    text = TINY.replace(logs, "").replace("    - id: look", logs + "    - id: look")
    text = text.replace(
        '      requires: [look]\n      evidence: "TypeError',
        ("      requires: [trace]\n      promql: ['rate(a[5m])']\n      evidence: \"TypeError"),
    )
    text = text.replace(
        '      evidence: "5xx {signal.errors}% at {clock}; pods {age.pods} old"',
        '      evidence: "5xx {signal.errors}% at {clock}; pods {age.pods} old"\n'
        "      promql: ['rate(a[5m])']",
    )
    scenario, errors = load_scenario(write(tmp_path / "tiny.yaml", text))
    assert not errors and [a.id for a in scenario.actions][:2] == ["logs", "look"]
    simulation = Simulation(scenario)
    simulation.take("look")
    found = lookup(simulation, "rate(a[5m])")  # "logs" (listed first) is still locked
    assert (found.kind, found.action.id) == ("rerun", "look")


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
            '      evidence: "5xx {signal.errors}% at {clock}; pods {age.pods} old"',
            '      evidence: "5xx {signal.errors}% at {clock}; pods {age.pods} old"\n'
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
            '      evidence: "5xx {signal.errors}% at {clock}; pods {age.pods} old"',
            '      evidence: "5xx {signal.errors}% at {clock}; pods {age.pods} old"\n'
            "      command: 'grafana && PromQL rate(x[5m])'",
        ),
    )
    scenario, _ = load_scenario(path)
    errors = check(scenario)
    assert any("promql" in e.message.lower() and e.field.endswith(".command") for e in errors)


def test_the_readme_example_uses_only_known_fields(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Scenario format") :]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario, errors = read_scenario(write(tmp_path / "my-outage.yaml", example))
    assert errors == [] and scenario is not None
    assert scenario.injects and scenario.variants and scenario.root_cause.rubric
