"""No lost runs: a scenario run (steps, typed texts, notes, hints, seed) is saved to the store
and rebuilt exactly from it after a quit or a crash."""

from __future__ import annotations

import sqlite3

import pytest

from trainer.scenarios.loader import load_scenarios
from trainer.scenarios.session import RunStateError, ScenarioRun
from trainer.store.db import Store, StoreWriteError
from trainer.store.schema import SCHEMA_VERSION

SCENARIOS = load_scenarios(include_user_packs=False)[0]


def test_a_saved_run_resumes_with_its_notes_texts_and_state(store, clock):
    scenario = SCENARIOS["dynamodb-throttling"]
    run = ScenarioRun(scenario, seed=7)
    run.take("grafana-overview")
    run.hint()
    run.take("ddb-throttle-metrics")
    run.take("status-update", "Checkouts failing for some customers; next update 19:40.")
    run.notes = "WCU pinned at 1500?"
    run.root_cause = "capacity"
    run_id = run.save(store, when=clock())
    run.take("describe-autoscaling")
    run.save(store, when=clock())
    assert run.save(store) == run_id  # saved in place

    # A new process: only the store is left.
    reopened = Store.open(store.path.parent)
    (row,) = ScenarioRun.unfinished(reopened)
    assert row["id"] == run_id and row["scenario_id"] == "dynamodb-throttling"
    resumed = ScenarioRun.restore(scenario, row["state"])
    assert resumed.simulation.taken == run.simulation.taken
    assert resumed.simulation.values == run.simulation.values
    assert resumed.simulation.minute == run.simulation.minute
    assert resumed.simulation.hints_used == 1
    assert resumed.scenario.variant == run.scenario.variant and resumed.seed == 7
    assert [u.text for u in resumed.simulation.updates] == [
        "Checkouts failing for some customers; next update 19:40."
    ]
    assert (resumed.notes, resumed.root_cause) == ("WCU pinned at 1500?", "capacity")
    assert resumed.simulation.fired[0].inject.id == "teammate-retries"


def test_finishing_records_the_result_and_closes_the_run(store, clock):
    scenario = SCENARIOS["error-rate-50"]
    run = ScenarioRun(scenario)
    for action in scenario.model_path:
        run.take(action)
    run.root_cause = scenario.root_cause.model
    run.writeup = scenario.model_writeup
    run.save(store)
    debrief = run.finish(store, when=clock())
    assert store.scenario_bests()["error-rate-50"][0] == debrief.score
    assert ScenarioRun.unfinished(store) == []
    row = store.scenario_run(run.run_id)
    assert row["status"] == "finished" and row["result_id"] is not None


def test_an_abandoned_run_is_not_offered_again(store):
    run = ScenarioRun(SCENARIOS["error-rate-50"])
    run.take("grafana-overview")
    run.save(store)
    run.abandon(store)
    assert ScenarioRun.unfinished(store) == []
    run.notes = "typed after leaving"
    run.save(store)  # a closed run is not saved again (it would come back as a new one)
    assert ScenarioRun.unfinished(store) == []


def test_finishing_twice_records_once_and_a_failed_close_is_completed(store, monkeypatch):
    run = ScenarioRun(SCENARIOS["error-rate-50"])
    run.take("grafana-overview")
    run.root_cause = "a table that does not exist"
    with monkeypatch.context() as disk_full:

        def full(*args, **kwargs):
            raise StoreWriteError("disk full")

        disk_full.setattr(store, "end_scenario_run", full)
        with pytest.raises(StoreWriteError):
            run.finish(store)
    assert ScenarioRun.unfinished(store)  # the result is stored, the run not yet closed
    debrief = run.finish(store)
    assert run.finish(store) is debrief
    assert store.scenario_bests()["error-rate-50"] == (debrief.score, 1)
    assert ScenarioRun.unfinished(store) == []


def test_the_status_update_being_written_is_kept(store):
    run = ScenarioRun(SCENARIOS["error-rate-50"])
    run.update = "half written"
    run.save(store)
    (row,) = ScenarioRun.unfinished(store)
    assert ScenarioRun.restore(SCENARIOS["error-rate-50"], row["state"]).update == "half written"


def test_a_state_that_no_longer_fits_is_refused(store):
    run = ScenarioRun(SCENARIOS["error-rate-50"])
    run.take("grafana-overview")
    state = run.to_state()
    with pytest.raises(RunStateError, match="of 'error-rate-50'"):
        ScenarioRun.restore(SCENARIOS["dynamodb-throttling"], state)
    with pytest.raises(RunStateError, match="scenario changed"):
        ScenarioRun.restore(SCENARIOS["error-rate-50"], {**state, "events": [{"take": "gone"}]})
    with pytest.raises(RunStateError, match="another version"):
        ScenarioRun.restore(SCENARIOS["error-rate-50"], {**state, "version": 99})
    with pytest.raises(RunStateError):
        ScenarioRun.restore(SCENARIOS["error-rate-50"], "not a dict")


def test_the_runs_table_arrives_by_migration(tmp_path):
    path = tmp_path / "progress.db"
    old = sqlite3.connect(path)
    from trainer.store.schema import MIGRATIONS

    with old:
        for step in MIGRATIONS[:4]:
            step(old)
        old.execute("PRAGMA user_version = 4")
    old.close()
    store = Store.open(tmp_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.unfinished_scenario_runs() == []
