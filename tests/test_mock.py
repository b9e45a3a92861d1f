"""Mock interviews: question choice, time-outs with an injected clock, resume after an
interruption, the report and its Markdown, and plain mode driven through stdin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from helpers import run_trainer

from trainer.grading.concepts import AnswerError
from trainer.store.db import Store
from trainer.study.mock import (
    MockConfig,
    MockSession,
    choose_questions,
    report_markdown,
    verdict_for,
)


def test_balanced_choice_is_repeatable_and_mixed(bank):
    config = MockConfig(questions=8, seed=3)
    first, second = choose_questions(bank, config), choose_questions(bank, config)
    assert first == second and len(set(first)) == 8
    categories = [bank.card(c).category for c in first]
    assert categories.count("incident-response") == 3
    assert {"monitoring-observability", "performance-scalability", "security-compliance"} <= set(
        categories
    )
    assert choose_questions(bank, MockConfig(questions=8, seed=4)) != first
    only = choose_questions(bank, MockConfig(questions=4, categories=("security-compliance",)))
    assert {bank.card(c).category for c in only} == {"security-compliance"}


def test_scenario_goes_in_the_middle(bank):
    ids = choose_questions(bank, MockConfig(questions=4, seed=1, scenario="error-rate-50"))
    assert ids[2] == "scenario:error-rate-50" and len(ids) == 5


def test_scenario_walkthrough_replaces_the_cards_it_covers(bank, store, clock):
    config = MockConfig(questions=8, seed=2, scenario="error-rate-50")
    session = MockSession.start(bank, store, config, clock=clock)
    ids = [c.id for c in session.cards]
    assert "scenario:error-rate-50" in ids and "q01" not in ids
    walkthrough = session.cards[ids.index("scenario:error-rate-50")]
    assert "Walk me through" in walkthrough.question and walkthrough.rubric


def test_timer_expiry_submits_the_partial_answer(bank, store, clock):
    session = MockSession.start(
        bank, store, MockConfig(questions=2, seconds_per_question=30, seed=1), clock=clock
    )
    session.begin_question()
    clock.advance(seconds=29)
    assert session.expired() is None and session.question_left() == pytest.approx(1)
    clock.advance(seconds=2)
    assert session.expired() == "question"
    answer = session.submit("exponential backoff and a circuit breaker", timed_out=True)
    assert answer.outcome == "timeout" and answer.seconds == 30
    stored = store.mock_answers(session.mock_id)
    assert stored[0]["outcome"] == "timeout" and stored[0]["answer"].startswith("exponential")
    session.begin_question()
    clock.advance(seconds=31)
    empty = session.submit("", timed_out=True)  # nothing typed when time ran out
    assert empty.score == 0 and empty.outcome == "timeout"


def test_total_limit_ends_the_mock(bank, store, clock):
    session = MockSession.start(
        bank,
        store,
        MockConfig(questions=3, seconds_per_question=60, total_seconds=90, seed=1),
        clock=clock,
    )
    session.begin_question()
    clock.advance(seconds=50)
    session.submit("some answer about the topic")
    session.begin_question()
    clock.advance(seconds=41)
    assert session.expired() == "total"
    report = session.finish()
    assert [q["outcome"] for q in report["questions"]] == ["answered", "not-reached", "not-reached"]


def test_empty_answer_is_refused_before_time_is_up(bank, store, clock):
    session = MockSession.start(bank, store, MockConfig(questions=1), clock=clock)
    session.begin_question()
    with pytest.raises(AnswerError):
        session.submit("  ")
    assert store.mock_answers(session.mock_id) == []


def test_resume_after_interruption(bank, store, clock):
    config = MockConfig(questions=3, seed=5)
    session = MockSession.start(bank, store, config, clock=clock)
    session.begin_question()
    session.submit("first answer with exponential backoff")
    session.begin_question()
    session.skip()
    del session  # the process dies here
    unfinished = store.unfinished_mock()
    assert unfinished["answered"] == 2
    resumed = MockSession.resume(bank, store, unfinished, clock=clock)
    assert resumed.position == 2 and resumed.config == config
    assert [a.outcome for a in resumed.answers] == ["answered", "skipped"]
    resumed.begin_question()
    resumed.submit("third answer")
    report = resumed.finish()
    assert len(report["questions"]) == 3 and store.unfinished_mock() is None


def test_discard(bank, store, clock):
    MockSession.start(bank, store, MockConfig(questions=2), clock=clock)
    unfinished = store.unfinished_mock()
    MockSession.resume(bank, store, unfinished).discard()
    assert store.unfinished_mock() is None


def test_report_content_trend_and_markdown(bank, store, clock):
    for answer in (
        "vague answer",
        "on-demand capacity, exponential backoff with jitter, "
        "hot partition key, DAX, cloudwatch throttle alarms",
    ):
        session = MockSession.start(
            bank,
            store,
            MockConfig(questions=1, categories=("incident-response",), seed=2),
            clock=clock,
        )
        session.begin_question()
        clock.advance(seconds=42)
        session.submit(answer)
        report = session.finish()
    assert report["trend"]["previous"] == [0.0]
    assert report["trend"]["change"] == report["overall"]
    assert report["questions"][0]["seconds"] == 42
    assert report["verdict"] == verdict_for(report["overall"])
    assert len(report["study_next"]) <= 3
    markdown = report_markdown(report)
    assert markdown.startswith("# Mock interview report")
    assert f"| 1 | {bank.card(report['questions'][0]['card']).question}" in markdown
    assert "Earlier mocks: 0" in markdown
    assert store.attempts()[-1].mode == "mock"  # mock answers count in the stats


def test_verdict_bands():
    assert [verdict_for(s).split(":")[0] for s in (95, 80, 79, 65, 50, 49, 0)] == [
        "Strong",
        "Strong",
        "Solid",
        "Solid",
        "Borderline",
        "Not yet",
        "Not yet",
    ]


def run_cli(args, stdin, home):
    return run_trainer(*args, stdin=stdin, home=home)


def test_plain_mode_through_stdin(tmp_path):
    result = run_cli(
        [
            "mock",
            "--plain",
            "--questions",
            "2",
            "--seed",
            "1",
            "--export",
            str(tmp_path / "report.md"),
        ],
        "answer one\n\nanswer two\n\n",
        tmp_path / "home",
    )
    assert result.returncode == 0, result.stderr
    assert "Question 1 of 2" in result.stdout and "Question 2 of 2" in result.stdout
    assert "# Mock interview report" in result.stdout
    assert (tmp_path / "report.md").read_text().startswith("# Mock interview report")
    store = Store.open(tmp_path / "home")
    assert len(store.mock_history()) == 1
    assert [a.answer for a in store.attempts()] == ["answer one", "answer two"]


def test_plain_mode_times_out_a_question(tmp_path):
    """A real time limit (10 s): the first answer never ends, so time-out submits it."""
    env = dict(os.environ, SRE_TRAINER_HOME=str(tmp_path / "home"))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainer",
            "mock",
            "--plain",
            "--questions",
            "1",
            "--time-per-question",
            "10",
            "--seed",
            "1",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    process.stdin.write("I would start with kubectl describe pod\n")
    process.stdin.flush()  # no empty line: the answer is still being typed when time runs out
    process.wait(timeout=60)  # stdin stays open: only the time limit can end this answer
    out = process.stdout.read()
    process.stdin.close()
    assert "time is up" in out
    store = Store.open(tmp_path / "home")
    assert store.mock_answers(store.mock_history()[0]["id"])[0]["outcome"] == "timeout"


def test_plain_mode_killed_then_resumed(tmp_path):
    env = dict(os.environ, SRE_TRAINER_HOME=str(tmp_path / "home"))
    process = subprocess.Popen(
        [sys.executable, "-m", "trainer", "mock", "--plain", "--questions", "3", "--seed", "9"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    process.stdin.write("first answer about backoff\n\n")
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "Question 2 of 3" not in process.stdout.readline():
        pass
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    result = run_cli(["mock", "--plain", "--resume"], "second\n\nthird\n\n", tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "Resuming the mock" in result.stdout and "Question 2 of 3" in result.stdout
    store = Store.open(tmp_path / "home")
    assert store.unfinished_mock() is None
    answers = store.mock_answers(store.mock_history()[0]["id"])
    assert [a["answer"] for a in answers] == ["first answer about backoff", "second", "third"]


def test_plain_mode_bad_options(tmp_path):
    result = run_cli(["mock", "--plain", "--questions", "0"], "", tmp_path / "home")
    assert result.returncode == 2
    assert "--questions: expected a whole number from 1 to 30" in result.stderr
    result = run_cli(["mock", "--plain", "--resume"], "", tmp_path / "home")
    assert result.returncode == 2 and "no unfinished mock" in result.stderr
