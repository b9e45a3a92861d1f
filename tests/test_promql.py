"""Structural grading of PromQL attempts: the case table, properties and specific checks."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.grading.promql import (
    Options,
    QueryError,
    QueryVerdict,
    WrongAnswer,
    compare,
    line_and_column,
    normalize,
)

CASES_FILE = Path(__file__).parent / "data" / "promql_cases.yaml"
ALL_CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
# Cases with a reference test the comparator alone; cases with an `id` test a drill (test_drills).
CASES = [c for c in ALL_CASES if "reference" in c]

POD_CPU = (
    'rate(container_cpu_usage_seconds_total{namespace="default", pod=~"cloudmart.*"}[5m]) * 100'
)

# The PromQL blocks of the SRE interview guide, plus two common aggregation queries.
GUIDE_QUERIES = [
    'kube_pod_status_ready{namespace="default", pod=~"cloudmart.*"}',
    'kube_pod_container_status_restarts_total{namespace="default", pod=~"cloudmart.*"}',
    POD_CPU,
    'container_memory_usage_bytes{namespace="default", pod=~"cloudmart.*"} / 1024 / 1024',
    'rate(container_network_receive_bytes_total{namespace="default", pod=~"cloudmart.*"}[5m])',
    'rate(container_network_transmit_bytes_total{namespace="default", pod=~"cloudmart.*"}[5m])',
    '(1 - rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100',
    "(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100",
    "(1 - node_filesystem_avail_bytes / node_filesystem_size_bytes) * 100",
    'kube_node_status_condition{condition="Ready", status="true"}',
    'kube_deployment_status_replicas_available{namespace="default"}',
    'aws_lambda_duration_average{function_name="cloudmart-list-products"}',
    'aws_lambda_errors_sum{function_name="cloudmart-dynamodb-to-bigquery"}',
    'aws_lambda_invocations_sum{function_name=~"cloudmart.*"}',
    'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{namespace="default"}[5m]))',
    "histogram_quantile(0.95, sum by (le, pod) (rate(http_request_duration_seconds_bucket[5m])))",
]

SCORE_BANDS = {"correct": (100, 100), "partial": (30, 80), "wrong": (0, 20), "invalid": (0, 0)}


def _case_id(case: dict[str, Any]) -> str:
    """A readable test id: the verdict and the start of the attempt."""
    return f"{case['verdict']}:{case['attempt'][:50]}"


# --- The case table ------------------------------------------------------------------------------


def test_case_table_is_big_and_covers_every_verdict() -> None:
    assert len(CASES) >= 40
    assert {c["verdict"] for c in CASES} == set(SCORE_BANDS)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_case(case: dict[str, Any]) -> None:
    result = compare(case["reference"], case["attempt"])
    shown = f"{result.verdict} {result.score} {result.hints} {result.error}"
    assert result.verdict == case["verdict"], shown
    low, high = SCORE_BANDS[result.verdict]
    assert low <= result.score <= high, shown
    if result.verdict in ("partial", "wrong"):
        assert result.hints, shown
    if result.verdict == "invalid":
        assert result.error is not None and result.error.message
        if case["attempt"].strip():
            position = result.error.position
            assert position is not None and 0 <= position <= len(case["attempt"]), shown
    else:
        assert result.error is None
    wanted = case.get("hint_contains")
    if wanted:
        message = result.error.message if result.error else ""
        assert wanted in " ".join(result.hints) + " " + message, shown


# --- Properties ----------------------------------------------------------------------------------

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|=~|!~|!=|==|[A-Za-z_:][\w:]*|\d+(?:\.\d+)?[smhdwy]?|\S')
_GAPS = ["", " ", "  ", "\n", "\t", " \n  "]


def _join(tokens: list[str], rng: random.Random) -> str:
    """Join tokens with random whitespace, never gluing two words together."""
    out = [tokens[0]]
    for prev, tok in zip(tokens, tokens[1:], strict=False):
        words = prev[-1:].isalnum() or prev[-1:] in "_:"
        gap = rng.choice(_GAPS)
        if not gap and words and (tok[:1].isalnum() or tok[:1] in "_:"):
            gap = " "
        out.append(gap + tok)
    return "".join(out)


def _shuffle_matchers(tokens: list[str], rng: random.Random) -> list[str]:
    """Shuffle the comma-separated matchers inside every {...} of a token list."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] != "{":
            out.append(tokens[i])
            i += 1
            continue
        end = tokens.index("}", i)
        matchers: list[list[str]] = [[]]
        for tok in tokens[i + 1 : end]:
            if tok == ",":
                matchers.append([])
            else:
                matchers[-1].append(tok)
        rng.shuffle(matchers)
        out.append("{")
        for n, matcher in enumerate(matchers):
            out.extend(([","] if n else []) + matcher)
        out.append("}")
        i = end + 1
    return out


def _assert_same(reference: str, variant: str) -> None:
    """The variant grades as correct and normalises to the same text."""
    result = compare(reference, variant)
    assert (result.verdict, result.score) == ("correct", 100), (variant, result)
    assert normalize(variant) == normalize(reference)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(GUIDE_QUERIES), st.randoms(use_true_random=False))
def test_guide_query_survives_reordering_and_whitespace(query: str, rng: random.Random) -> None:
    variant = _join(_shuffle_matchers(_TOKEN.findall(query), rng), rng)
    _assert_same(query, variant)


# A small grammar: selector -> optional range function -> optional aggregation -> optional
# scaling or comparison. Each query is rendered twice, canonically and as a shuffled variant.
METRICS = ["http_requests_total", "container_cpu_usage_seconds_total", "node_load1", "up"]
LABEL_VALUES = {
    "namespace": ["default", "prod"],
    "pod": ["cloudmart.*", "api-1"],
    "job": ["node"],
    "mode": ["idle"],
    "status": ["5.."],
}
MATCH_OPS = ["=", "!=", "=~", "!~"]
FUNCTIONS = ["rate", "irate", "increase", "avg_over_time"]
AGGREGATIONS = ["sum", "avg", "max", "count"]
RANGES = ["1m", "5m", "1h"]


@st.composite
def grammar_queries(draw: st.DrawFn) -> dict[str, Any]:
    """A random query as parts the renderer can reorder."""
    labels = draw(st.lists(st.sampled_from(sorted(LABEL_VALUES)), unique=True, max_size=4))
    return {
        "metric": draw(st.sampled_from(METRICS)),
        "matchers": [
            f'{name}{draw(st.sampled_from(MATCH_OPS))}"{draw(st.sampled_from(LABEL_VALUES[name]))}"'
            for name in labels
        ],
        "function": draw(st.none() | st.sampled_from(FUNCTIONS)),
        "range": draw(st.sampled_from(RANGES)),
        "aggregation": draw(st.none() | st.sampled_from(AGGREGATIONS)),
        "by": draw(st.lists(st.sampled_from(sorted(LABEL_VALUES)), unique=True, max_size=3)),
        "tail": draw(st.sampled_from([None, ("*", "100"), ("/", "1024"), (">", "0.5")])),
    }


def _render(parts: dict[str, Any], rng: random.Random | None) -> str:
    """Render the parts; with rng, shuffle matchers/labels, move clauses, add parentheses."""
    matchers = list(parts["matchers"])
    by = list(parts["by"])
    if rng is not None:
        rng.shuffle(matchers)
        rng.shuffle(by)
    query = parts["metric"] + ("{" + ", ".join(matchers) + "}" if matchers else "")
    if parts["function"]:
        query = f"{parts['function']}({query}[{parts['range']}])"
    if rng is not None and rng.random() < 0.3:
        query = f"({query})"
    if parts["aggregation"]:
        agg, clause = parts["aggregation"], f"by ({', '.join(by)})" if by else ""
        if rng is not None and clause and rng.random() < 0.5:
            query = f"{agg}({query}) {clause}"
        else:
            query = f"{agg} {clause} ({query})" if clause else f"{agg}({query})"
    if parts["tail"]:
        op, number = parts["tail"]
        commutes = op == "*" and rng is not None and rng.random() < 0.5
        query = f"{number} {op} {query}" if commutes else f"{query} {op} {number}"
    return query


@settings(max_examples=200, deadline=None)
@given(grammar_queries(), st.randoms(use_true_random=False))
def test_grammar_query_survives_rewriting(parts: dict[str, Any], rng: random.Random) -> None:
    reference = _render(parts, None)
    variant = _join(_TOKEN.findall(_render(parts, rng)), rng)
    _assert_same(reference, variant)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(GUIDE_QUERIES))
def test_normalize_is_idempotent(query: str) -> None:
    canonical = normalize(query)
    assert normalize(canonical) == canonical


# --- Specific behaviour --------------------------------------------------------------------------


def test_commuted_and_reordered_pod_cpu_query_is_correct() -> None:
    attempt = (
        '100 * rate(container_cpu_usage_seconds_total{pod=~"cloudmart.*", namespace="default"}[5m])'
    )
    assert compare(POD_CPU, attempt) == QueryVerdict("correct", 100, (), None)


def test_wrong_range_is_partial_with_a_range_hint() -> None:
    attempt = (
        '100 * rate(container_cpu_usage_seconds_total{pod=~"cloudmart.*", namespace="default"}[1m])'
    )
    result = compare(POD_CPU, attempt)
    assert result.verdict == "partial"
    assert 30 <= result.score <= 80
    assert len(result.hints) == 1
    assert "range" in result.hints[0] and "[1m]" in result.hints[0] and "[5m]" in result.hints[0]


def test_a_histograms_other_series_is_named_as_such_not_as_a_typo() -> None:
    reference = "histogram_quantile(0.95, sum by (le) (rate(latency_seconds_bucket[5m])))"
    counted = compare(reference, reference.replace("_bucket", "_count"))
    assert counted.verdict == "wrong"
    assert "other series" in counted.hints[0] and "number of observations" in counted.hints[0]
    assert "does not exist" not in counted.hints[0]
    typo = compare(reference, reference.replace("latency_seconds", "latncy_seconds"))
    assert "does not exist" in typo.hints[0]


def test_broken_query_is_invalid_with_a_position_at_the_problem() -> None:
    attempt = 'rate(container_cpu_usage_seconds_total{namespace="default"[5m])'
    result = compare(POD_CPU, attempt)
    assert result.verdict == "invalid" and result.score == 0
    assert result.error is not None and result.error.position is not None
    # The `{` is never closed: the parser trips over the `[` that follows the last matcher.
    assert attempt[result.error.position] == "["
    assert "braces" in result.error.message


@pytest.mark.parametrize(
    ("attempt", "at"),
    [
        ('rate(x{a="b"}[5m]', "rate⟦(⟧"),
        ('x{a="b}', 'x{a=⟦"⟧'),
        ("rate(x[5m]) *", "rate(x[5m]) ⟦*⟧"),
        ("rate(x[5m]))", "rate(x[5m])⟦)⟧"),
        ("rate(x[5m)", "rate(x[5m⟦)⟧"),
        ("x[5m", "x⟦[⟧"),
        ("1 +* 2", "1 +⟦*⟧"),
        ("node_load1 node_load5", "node_load1 ⟦n⟧"),
        ("rates(x[5m])", "⟦r⟧ates"),
        ("rate(x)", "rate(⟦x⟧"),
        ("x[5q]", "x[⟦5⟧q"),
        ('x{a="1" b="2"}', 'x{a="1" ⟦b⟧'),
        ("x{a=~}", "x{a=~⟦}⟧"),
        ("sum(x) by pod", "sum(x) by ⟦p⟧"),
    ],
)
def test_error_positions(attempt: str, at: str) -> None:
    result = compare("up", attempt)
    assert result.verdict == "invalid" and result.error is not None
    assert result.error.position == at.index("⟦"), result.error
    assert attempt[result.error.position] == at[at.index("⟦") + 1]


def test_empty_attempt_is_invalid_with_a_clear_message() -> None:
    result = compare(POD_CPU, "   ")
    assert result.verdict == "invalid" and result.score == 0
    assert result.error is not None and "Empty" in result.error.message


def test_bad_reference_raises() -> None:
    with pytest.raises(ValueError, match="reference"):
        compare("rate(x[5m]", "rate(x[5m])")


def test_normalize_raises_on_parse_error() -> None:
    with pytest.raises(ValueError):
        normalize("sum(rate(x[5m])")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("x / 1024 / 1024", "x / 1048576"),
        ("sum(rate(x[5m]) * 100)", "100 * sum(rate(x[5m]))"),
        ("100 * a / b", "(a / b) * 100"),
        ("a + b + c", "c + (b + a)"),
        ("-rate(x[5m])", "rate(x[5m]) * -1"),
        ("sum by () (x)", "sum(x)"),
        ('{"x", a="1"}', 'x{a="1"}'),
        ("rate(x[1h30m])", "rate(x[90m])"),
        ("x offset 5m", "x offset 300s"),
        ("a > bool 0.5", "a > bool 5e-1"),
        ("a and on (y, x) b", "b and on (x, y) a"),
    ],
)
def test_normalize_equivalences(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("a - b", "b - a"),
        ("a / b", "b / a"),
        ("a > b", "b > a"),
        ("a unless b", "b unless a"),
        ("rate(x[5m])", "rate(x[1m])"),
        ("sum by (a) (x)", "sum without (a) (x)"),
        ("a + on (x) group_left b", "b + on (x) group_left a"),
        ("x[5m:1m]", "x[5m:]"),
    ],
)
def test_normalize_keeps_real_differences(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


def test_normalize_is_valid_promql() -> None:
    for query in GUIDE_QUERIES:
        assert normalize(normalize(query)) == normalize(query)


def test_to_json() -> None:
    partial = compare(POD_CPU, POD_CPU.replace("[5m]", "[1m]")).to_json()
    assert set(partial) == {"verdict", "score", "hints", "error"}
    assert partial["verdict"] == "partial" and isinstance(partial["hints"], list)
    assert partial["error"] is None
    invalid = compare(POD_CPU, "rate(x[5m]").to_json()
    assert invalid["error"] == {"message": "Unclosed left parenthesis", "position": 4}
    assert QueryError("m", None)._asdict() == {"message": "m", "position": None}


def test_compare_is_deterministic() -> None:
    attempt = 'sum(irate(container_cpu_usage_seconds_total{namespace="prod"}[1m])) by (pod)'
    assert len({compare(POD_CPU, attempt) for _ in range(5)}) == 1


def test_compare_is_fast() -> None:
    # The budget is 5 ms per compare; the bound here is loose so a busy CI box does not flake,
    # but it still catches an accidental exponential search.
    pairs = [(c["reference"], c["attempt"]) for c in CASES]
    start = time.perf_counter()
    for reference, attempt in pairs:
        compare(reference, attempt)
    assert (time.perf_counter() - start) / len(pairs) < 0.02


# --- Algebra, accepted answers, options ----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("(a - b) / a", "1 - b / a"),
        ("(t - f) / t * 100", "(1 - f / t) * 100"),
        ("100 - f / t * 100", "(1 - f / t) * 100"),
        ("avg by (i) (1 - rate(x[5m]))", "1 - avg by (i) (rate(x[5m]))"),
        ("max(1 - x)", "1 - min(x)"),
        ('a{f="x"} / b', 'a{f="x"} / b{f="x"}'),
        ("100 * a / b > 0.1", "a / b > 0.001"),
        ("0 < x", "x > 0"),
    ],
)
def test_algebraic_rewrites_are_equal(a: str, b: str) -> None:
    assert compare(a, b).verdict == "correct"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ('x{s=~"5.."}', 'x{s=~"5.*"}'),  # not a status label: 5.* also matches 5000
        ("sum(a / b)", "sum(a) / sum(b)"),
        ("rate(x[5m])", "increase(x[5m])"),
        ('rate(x{s=~"5.."}[5m]) / rate(x[5m])', 'sum(rate(x{s=~"5.."}[5m])) / sum(rate(x[5m]))'),
    ],
)
def test_rewrites_that_change_the_result_are_not_equal(a: str, b: str) -> None:
    assert compare(a, b).verdict != "correct"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ('x{a=~"^b$"}', 'x{a="b"}'),
        ('x{a!~"p|q"}', 'x{a!="q", a!="p"}'),
        ('x{a=~"q|p"}', 'x{a=~"p|q"}'),
        ('x{status=~"5.*"}', 'x{status=~"5.."}'),
        ('sum by (ns, pod) (x{ns="d"})', 'sum by (pod) (x{ns="d"})'),
    ],
)
def test_matcher_and_grouping_simplifications(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_accepted_answers_and_known_wrong_ones() -> None:
    reference = "rate(x[5m])"
    accepted = ["sum by (pod) (rate(x[5m]))"]
    wrong = [WrongAnswer("sum(rate(x[5m]))", "One number for everything.", "partial")]
    assert compare(reference, "sum by (pod) (rate(x[300s]))", accepted).verdict == "correct"
    near = compare(reference, "sum(rate(x[5m]))", accepted, wrong)
    assert near.verdict == "partial" and near.hints == ("One number for everything.",)


def test_a_refinement_filter_may_exclude_other_values() -> None:
    reference = "rate(x[5m])"
    accepted = ['rate(x{container!=""}[5m])']
    for attempt in ('rate(x{container!="POD"}[5m])', 'rate(x{container!~"POD|"}[5m])'):
        assert compare(reference, attempt, accepted).verdict == "correct", attempt
    assert compare(reference, 'rate(x{container="POD"}[5m])', accepted).verdict != "correct"


def test_a_single_series_prompt_keeps_the_grouping_strict() -> None:
    reference = "histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))"
    attempt = "histogram_quantile(0.95, sum by (le, route) (rate(x_bucket[5m])))"
    assert compare(reference, attempt).verdict == "correct"
    strict = compare(reference, attempt, options=Options(one_series=True))
    assert strict.verdict == "partial" and "route" in strict.hints[0]


def test_scenario_options_accept_narrower_matchers_and_any_unit() -> None:
    reference = (
        'container_memory_usage_bytes{namespace="default", pod=~"cloudmart.*"} / 1024 / 1024'
    )
    look_up = Options(narrower_ok=True, scale_free=True)
    for attempt in (
        'container_memory_usage_bytes{namespace="default", pod=~"cloudmart-backend.*"}',
        'container_memory_usage_bytes{namespace="default", pod="cloudmart-backend-6f8b"} / 1e6',
        'container_memory_usage_bytes{namespace="default", pod=~"cloudmart.*", container!=""}',
    ):
        assert compare(reference, attempt, options=look_up).verdict == "correct", attempt
    wider = compare(reference, 'container_memory_usage_bytes{pod=~"cloudmart.*"}', options=look_up)
    assert wider.verdict == "partial" and 'namespace="default"' in wider.hints[0]
    other = compare(
        reference,
        'container_memory_usage_bytes{namespace="default", pod=~"api.*"}',
        options=look_up,
    )
    assert other.verdict != "correct"


def test_a_swapped_ratio_gets_one_clear_hint() -> None:
    reference = 'sum(rate(r{s=~"5.."}[5m])) / sum(rate(r[5m]))'
    result = compare(reference, 'sum(rate(r[5m])) / sum(rate(r{s=~"5.."}[5m]))')
    assert result.verdict == "wrong" and result.hints == (
        "The operands of `/` are the wrong way round.",
    )


# --- Limits and parse errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        "(" * 1500 + "up" + ")" * 1500,
        "sum(" * 300 + "up" + ")" * 300,
        "-" * 2000 + "up",
        " + ".join(["up"] * 3000),
    ],
)
def test_deep_nesting_is_invalid_with_a_clear_message(attempt: str) -> None:
    result = compare("up", attempt)
    assert result.verdict == "invalid" and result.error is not None
    assert "limit is" in result.error.message and "\n" not in result.error.message
    with pytest.raises(ValueError, match="limit is"):
        normalize(attempt)


def test_real_queries_stay_under_the_limits() -> None:
    for query in GUIDE_QUERIES:
        normalize(query)  # no limit error
    sixty = " + ".join(f"rate(m{i}[5m])" for i in range(60))
    assert compare(sixty, sixty).verdict == "correct"


def test_multi_line_error_position_and_hint_name_the_line() -> None:
    attempt = 'sum by (pod) (\n  rate(x{namespace="default"[5m])\n)'
    result = compare("up", attempt)
    assert result.error is not None and result.error.position is not None
    assert line_and_column(attempt, result.error.position) == (2, 29)
    assert attempt[result.error.position] == "["
    assert "line 2, column 29" in result.hints[0]


def test_parse_error_messages_depend_on_one_module() -> None:
    """Only parse_errors reads promql-parser's message texts (a parser upgrade touches one file)."""
    fragments = ("unclosed", "end of input", "unexpected right", "set twice", "unknown function")
    package = Path(__file__).parent.parent / "trainer" / "grading" / "promql"
    for module in package.glob("*.py"):
        text = module.read_text(encoding="utf-8").lower()
        found = [f for f in fragments if f'"{f}' in text or f'{f}"' in text or f" {f} " in text]
        if module.name == "parse_errors.py":
            assert found == list(fragments), found
        else:
            assert not found, (module.name, found)
