"""Query drills: each kind checked, results stored and scheduled, and the `query` command."""

from __future__ import annotations

import json
import random

from helpers import run_trainer

from trainer.store.db import Store
from trainer.study.drill_session import DrillSession
from trainer.study.drills import budget_drill, check, drills, find, numbers_in
from trainer.study.scheduler import Scheduler

POD_CPU = (
    '100 * rate(container_cpu_usage_seconds_total{pod=~"cloudmart.*", namespace="default"}[5m])'
)


def test_every_kind_has_drills(bank):
    counts = {
        kind: len(drills(bank, kind, seed=1)) for kind in ("write", "read", "metric", "number")
    }
    assert counts["write"] >= 10 and counts["metric"] >= 5 and counts["number"] >= 20


def test_write_it_is_structural(bank):
    drill = find(bank, "pod-cpu-percent")
    assert check(bank, drill, POD_CPU).verdict == "correct"
    near = check(bank, drill, POD_CPU.replace("[5m]", "[1m]"))
    assert near.verdict == "partial" and any("range" in h for h in near.hints)
    broken = check(bank, drill, 'rate(container_cpu_usage_seconds_total{pod="x"[5m])')
    assert broken.verdict == "invalid" and broken.error.position is not None


def test_read_it_uses_the_concept_grader(bank):
    drill = find(bank, "pod-cpu-percent", kind="read")
    good = check(
        bank,
        drill,
        "cpu used by each cloudmart pod as a percentage of a core, averaged over 5 minutes",
    )
    vague = check(bank, drill, "it shows some numbers")
    assert good.score > vague.score and good.verdict in ("correct", "partial")


def test_which_metric_needs_name_and_threshold(bank):
    drill = find(bank, "dynamodb-throttled-requests")
    assert check(bank, drill, "ThrottledRequests, alert above 0").verdict == "correct"
    assert check(bank, drill, "throttled requests").verdict == "partial"
    wrong = check(bank, drill, "ConsumedReadCapacityUnits")
    assert wrong.verdict == "wrong" and "ThrottledRequests" in wrong.hints[0]


def test_numbers_with_tolerance_and_computed_budgets(bank):
    drill = find(bank, "error-budget-minutes-monthly")
    assert check(bank, drill, "about 43 minutes").verdict == "correct"
    assert check(bank, drill, "40").verdict == "partial"
    assert check(bank, drill, "4.3 hours").verdict == "wrong"
    assert check(bank, drill, "no idea").verdict == "invalid"
    budget = budget_drill(random.Random(0))
    assert check(bank, budget, f"{budget.value:.1f} min").verdict == "correct"
    assert numbers_in("1,500 WCU and 0.1%") == [1500.0, 0.1]


def test_drill_results_are_stored_and_scheduled(bank, tmp_path):
    store = Store.open(tmp_path)
    session = DrillSession(bank, store, Scheduler(store, fuzzing=False), "number", seed=3)
    drill = session.current
    session.submit(f"{drill.value}")
    assert store.attempts()[0].card_id == drill.schedule_id
    assert store.attempts()[0].mode == "drill-number" and store.attempts()[0].score == 100
    assert store.schedule_row(drill.schedule_id) is not None
    assert store.introduced_on(store.schedule_row(drill.schedule_id)["introduced_on"]) == 0
    session.finish()
    from trainer.study.progress import compute

    assert compute(store, bank).drills == {"number": (1, 100.0)}


run = run_trainer


def test_query_check_command():
    correct = json.loads(
        run("query", "check", "--id", "pod-cpu-percent", "--json", stdin=POD_CPU).stdout
    )
    assert correct == {
        "id": "pod-cpu-percent",
        "verdict": "correct",
        "score": 100,
        "hints": [],
        "error": None,
    }
    near = json.loads(
        run(
            "query",
            "check",
            "--id",
            "pod-cpu-percent",
            "--json",
            stdin=POD_CPU.replace("[5m]", "[1m]"),
        ).stdout
    )
    assert near["verdict"] == "partial" and 0 < near["score"] < 100
    assert "range" in near["hints"][0]
    broken = json.loads(
        run(
            "query",
            "check",
            "--id",
            "pod-cpu-percent",
            "--json",
            stdin='rate(container_cpu_usage_seconds_total{pod="x"[5m])',
        ).stdout
    )
    assert broken["verdict"] == "invalid" and isinstance(broken["error"]["position"], int)
    text = run("query", "check", "--id", "pod-cpu-percent", stdin="sum(").stdout
    assert "invalid" in text and "parse error" in text


def test_query_list_and_errors():
    listed = json.loads(run("query", "list", "--json").stdout)
    assert {"id", "group", "kind", "measures", "query", "threshold"} <= set(listed[0])
    unknown = run("query", "check", "--id", "nope", stdin="up")
    assert unknown.returncode == 2 and "unknown query id 'nope'" in unknown.stderr
    empty = run("query", "check", "--id", "pod-cpu-percent", stdin="  ")
    assert empty.returncode == 2 and "empty" in empty.stderr
