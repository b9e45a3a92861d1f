"""Query drills: each kind checked, results stored and scheduled, and the `query` command."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml
from helpers import run_trainer

from trainer.grading.promql import line_and_column
from trainer.store.db import Store
from trainer.study.drill_session import DrillSession
from trainer.study.drills import (
    budget_drill,
    catalogue,
    check,
    drill_kinds_of,
    drills,
    find,
    numbers_in,
)
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
    assert wrong.verdict == "wrong" and "ConsumedReadCapacityUnits" in wrong.hints[0]


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

    drills = compute(store, bank).drills
    assert [(d.kind, d.attempts, d.average) for d in drills] == [("number", 1, 100.0)]


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


# --- The case table's drill cases (`id`): checked as `query check --id` checks them ----------

CASES_FILE = Path(__file__).parent / "data" / "promql_cases.yaml"
DRILL_CASES = [c for c in yaml.safe_load(CASES_FILE.read_text(encoding="utf-8")) if "id" in c]
SCORE_BANDS = {"correct": (100, 100), "partial": (30, 80), "wrong": (0, 20), "invalid": (0, 0)}
# Read drills are scored by the concept grader: its verdict bands.
READ_BANDS = {"correct": (70, 100), "partial": (35, 69), "wrong": (0, 34)}


def _drill_case(case):
    marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
    return pytest.param(case, marks=marks, id=f"{case['id']}:{case['attempt'][:40]}")


def test_drill_cases_cover_every_kind():
    kinds = {c.get("kind", "default") for c in DRILL_CASES}
    verdicts = {c["verdict"] for c in DRILL_CASES}
    assert len(DRILL_CASES) >= 60 and kinds == {"default", "read"}
    assert verdicts == {"correct", "partial", "wrong", "invalid"}


@pytest.mark.parametrize("case", [_drill_case(c) for c in DRILL_CASES])
def test_drill_case(bank, case):
    drill = find(bank, case["id"], case.get("kind"))
    result = check(bank, drill, case["attempt"])
    shown = f"{result.verdict} {result.score} {result.hints} {result.error}"
    assert result.verdict == case["verdict"], shown
    low, high = (READ_BANDS if drill.kind == "read" else SCORE_BANDS)[result.verdict]
    assert low <= result.score <= high, shown
    if result.verdict in ("partial", "wrong") and drill.kind != "read":
        assert result.hints, shown
    text = " ".join(result.hints) + (f" {result.error.message}" if result.error else "")
    if "hint_contains" in case:
        assert case["hint_contains"] in text, shown
    if "hint_excludes" in case:
        assert case["hint_excludes"] not in text, shown
    if "max_hints" in case:
        assert len(result.hints) <= case["max_hints"], shown
    if "error_line" in case:
        line, _ = line_and_column(case["attempt"], result.error.position)
        assert line == case["error_line"], shown


# --- Read drills: an opposite meaning scores low ---------------------------------------------


def test_read_drill_memory_limit_is_not_memory_in_use(bank):
    # The pod-memory read drill accepts the working-set query too; its rubric is memory in use.
    drill = find(bank, "pod-memory-mib", kind="read")
    assert "container_memory_working_set_bytes" in " ".join(drill.item.accepted)
    opposite = check(bank, drill, "the memory limit configured for each container")
    right = check(bank, drill, "memory used by each container, in MiB")
    assert opposite.verdict == "wrong" and opposite.score < 35, opposite
    assert right.verdict == "correct", right


def test_read_drill_unavailable_replicas_is_not_available_replicas(bank):
    drill = find(bank, "deployment-available-replicas", kind="read")
    opposite = check(bank, drill, "the number of unavailable replicas")
    assert opposite.verdict == "wrong" and opposite.score < 35, opposite


def test_read_drills_have_rubrics_that_state_quantity_and_granularity(bank):
    for query in bank.queries.values():
        if "read" in drill_kinds_of(query):
            assert len(query.rubric) >= 2, query.id
            assert query.rubric[0].weight == 3, query.id  # the measured quantity comes first


# --- One catalogue ----------------------------------------------------------------------------


def test_catalogue_lists_exactly_what_can_be_checked(bank):
    entries = catalogue(bank)
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        for kind in entry.drills:
            assert find(bank, entry.id, kind).kind == kind
    assert {"cw-cli-consumed-read-capacity-products", "cw-cli-user-errors-orders"} <= set(ids)
    assert {"ai-endpoint-curl-probe", "error-budget-minutes-monthly", "budget-99.5"} <= set(ids)
    assert set(bank.queries) | set(bank.numbers) <= set(ids)


def test_every_listed_id_is_accepted_by_query_check(bank, capsys, monkeypatch):
    import io

    from trainer import cli

    listed = json.loads(run("query", "list", "--json").stdout)
    assert {e["id"] for e in listed} == {e.id for e in catalogue(bank)}
    for entry in listed:
        for kind in entry["drills"]:
            monkeypatch.setattr("sys.stdin", io.StringIO("some attempt"))
            status = cli.main(["query", "check", "--id", entry["id"], "--kind", kind, "--json"])
            out = json.loads(capsys.readouterr().out)
            assert status == 0 and out["id"] == entry["id"], entry


def test_prompts_state_the_graded_scope(bank):
    """A matcher the reference pins (namespace, pod names, function, service) is in the prompt."""
    from trainer.grading.promql.canonical import Selector, parse, walk

    for query in bank.queries.values():
        if query.kind != "promql":
            continue
        for node in walk(parse(query.query)):
            if not isinstance(node, Selector):
                continue
            for m in node.matchers:
                value = m.value.replace(".*", "")
                if m.label in ("namespace", "pod", "function_name", "service"):
                    assert value in query.measures, (query.id, str(m))


def test_token_metric_is_described_as_a_gauge(bank):
    query = bank.queries["ai-token-usage"]
    assert "gauge" in query.measures and "not a counter" in query.measures


# --- Honest feedback: one attempt per drill per session, asks recorded ------------------------


def _session(bank, tmp_path, kind="write"):
    store = Store.open(tmp_path)
    session = DrillSession(bank, store, Scheduler(store, fuzzing=False), kind, seed=1)
    while session.current.item is None or session.current.item.kind != "promql":
        session.next()
    return store, session


def test_checking_again_updates_one_attempt_and_one_review(bank, tmp_path):
    store, session = _session(bank, tmp_path)
    drill = session.current
    session.submit("up")
    session.submit(drill.reference)
    result = session.submit(drill.reference + " ")
    assert result.verdict == "correct"
    attempts = store.attempts(drill.schedule_id)
    assert len(attempts) == 1 and attempts[0].score == 100
    reviews = store.db.execute(
        "SELECT count(*) FROM reviews WHERE card_id = ?", (drill.schedule_id,)
    ).fetchone()[0]
    assert reviews == 1
    assert store.schedule_row(drill.schedule_id)["reviews"] == 1
    assert store.card_scores()[drill.schedule_id][:2] == (1, 100)
    assert session.results == [100]


def test_an_attempt_that_does_not_parse_is_not_stored(bank, tmp_path):
    store, session = _session(bank, tmp_path)
    result = session.submit("sum(rate(x[5m])")
    assert result.verdict == "invalid" and result.error is not None
    assert store.attempts() == [] and session.results == []


def test_asking_for_the_answer_is_stored_and_later_checks_are_practice(bank, tmp_path):
    store, session = _session(bank, tmp_path)
    drill = session.current
    assert not session.shown_first
    assert session.reveal() == drill
    assert session.shown_first
    (attempt,) = store.attempts(drill.schedule_id)
    assert attempt.score == 0 and attempt.rating == 1 and "asked" in attempt.answer
    assert session.submit(drill.reference).verdict == "correct"
    (attempt,) = store.attempts(drill.schedule_id)
    assert attempt.score == 0  # seeing the answer first cannot be turned into a 100
    session.reveal()
    assert len(store.attempts(drill.schedule_id)) == 1


def test_reveal_after_a_real_attempt_stores_nothing_more(bank, tmp_path):
    store, session = _session(bank, tmp_path)
    drill = session.current
    session.submit(drill.reference)
    session.reveal()
    (attempt,) = store.attempts(drill.schedule_id)
    assert attempt.score == 100


def test_query_check_shows_no_reference_for_an_invalid_attempt():
    text = run("query", "check", "--id", "pod-cpu-percent", stdin="sum(rate(x[5m])").stdout
    assert "invalid" in text and "reference:" not in text
    wrong = run("query", "check", "--id", "pod-cpu-percent", stdin="up").stdout
    assert "reference: rate(container_cpu_usage_seconds_total" in wrong


def test_query_check_puts_the_caret_under_the_right_line():
    attempt = 'sum by (pod) (\n  rate(x{namespace="default"[5m])\n)'
    text = run("query", "check", "--id", "pod-cpu-percent", stdin=attempt).stdout
    lines = text.splitlines()
    shown = next(i for i, line in enumerate(lines) if 'rate(x{namespace="default"[5m])' in line)
    assert "line 2" in lines[shown - 1]
    caret = lines[shown + 1]
    assert lines[shown][caret.index("^")] == "["


def test_deep_nesting_is_a_one_line_error_not_a_crash():
    deep = "(" * 1500 + "up" + ")" * 1500
    result = run("query", "check", "--id", "pod-cpu-percent", stdin=deep)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "nests 1500 brackets deep; the limit is" in result.stdout
    assert "RecursionError" not in result.stdout
    # Past a few thousand levels the parser itself would crash the process: never reached.
    crash = run("query", "check", "--id", "pod-cpu-percent", stdin="(" * 9000 + "up" + ")" * 9000)
    assert crash.returncode == 0 and "the limit is" in crash.stdout
    # Longer than any answer may be: refused before it is parsed at all.
    huge = run("query", "check", "--id", "pod-cpu-percent", stdin="(" * 20000 + "up" + ")" * 20000)
    assert huge.returncode == 2 and "the limit is 20,000" in huge.stderr
