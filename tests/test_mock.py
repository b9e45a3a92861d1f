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
    config = MockConfig(questions=3, seed=5, follow_ups=False)
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


def test_the_report_says_why_an_answer_lost_points(bank, store, clock):
    """Red flags, points argued against and the grader's notes reach the report (and its
    Markdown) as they reach the quiz's feedback, and survive a resume."""
    config = MockConfig(questions=2, categories=("incident-response",), seed=2, follow_ups=False)
    session = MockSession.start(bank, store, config, clock=clock)
    assert session.cards[0].id == "q02"
    session.begin_question()
    first = session.submit(
        "I would never use exponential backoff, retries just make it worse. "
        "Delete the table and recreate it from a backup."
    )
    assert first.red_flags and first.argued_against
    del session  # the process dies here
    resumed = MockSession.resume(bank, store, store.unfinished_mock(), clock=clock)
    assert resumed.answers[0].red_flags == first.red_flags
    assert resumed.answers[0].argued_against == first.argued_against
    resumed.begin_question()
    resumed.skip()
    report = resumed.finish()
    question = report["questions"][0]
    assert question["red_flags"] == first.red_flags
    assert question["argued_against"] == [
        p for p in question["missed"] if "exponential backoff" in p
    ]
    # the points argued against are listed as such, not repeated as notes
    assert question["notes"] == first.notes
    assert not any(note.startswith("You argued against") for note in first.notes)
    markdown = report_markdown(report)
    assert f"**Red flags:**\n\n- {first.red_flags[0]}" in markdown
    assert f"- {first.argued_against[0]} (you argued against it)" in markdown


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
            "--no-follow-ups",
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
    assert len(store.mock_results()) == 1
    assert [a.answer for a in store.attempts()] == ["answer one", "answer two"]


def test_plain_mode_reads_the_streams_of_the_call(tmp_path, monkeypatch, capsys):
    """The plain mock reads the stdin and writes the stdout current when it runs, not those of
    when its module was first imported (a long-lived process, or the tests, swap them)."""
    import io

    import trainer.study.mock_plain  # noqa: F401 - imported before the streams change
    from trainer import cli

    monkeypatch.setenv("SRE_TRAINER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("my answer about dashboards\n\n"))
    status = cli.main(["mock", "--plain", "--questions", "1", "--seed", "1", "--no-follow-ups"])
    assert status == 0
    assert "# Mock interview report" in capsys.readouterr().out
    store = Store.open(tmp_path / "home")
    assert [a.answer for a in store.attempts()] == ["my answer about dashboards"]


def test_finishing_a_mock_skips_a_damaged_earlier_report(bank, store, clock):
    """A stored report that cannot be read is left out of the trend, not a crash at the end of
    the next mock."""
    store.db.execute(
        "INSERT INTO mocks(status, config, report, started_at, ended_at) VALUES "
        "('complete', '{}', 'not json', '2026-10-02T09:00:00+00:00', NULL)"
    )
    session = MockSession.start(
        bank, store, MockConfig(questions=1, seed=1, follow_ups=False), clock=clock
    )
    session.begin_question()
    session.submit("I would check the dashboards first.")
    report = session.finish()
    assert report["trend"]["previous"] == []


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
            "--no-follow-ups",
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
    assert store.mock_answers(store.mock_results()[0]["id"])[0]["outcome"] == "timeout"


def test_plain_mode_killed_then_resumed(tmp_path):
    env = dict(os.environ, SRE_TRAINER_HOME=str(tmp_path / "home"))
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "trainer", "mock", "--plain", "--no-follow-ups"),
            *("--questions", "3", "--seed", "9"),
        ],
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
    answers = store.mock_answers(store.mock_results()[0]["id"])
    assert [a["answer"] for a in answers] == ["first answer about backoff", "second", "third"]


def test_plain_mode_bad_options(tmp_path):
    result = run_cli(["mock", "--plain", "--questions", "0"], "", tmp_path / "home")
    assert result.returncode == 2
    assert "--questions: expected a whole number from 1 to 30" in result.stderr
    result = run_cli(["mock", "--plain", "--resume"], "", tmp_path / "home")
    assert result.returncode == 2 and "no unfinished mock" in result.stderr


# -- plain mode: follow-ups, the clock, one mock at a time -----------------------------------
def test_plain_mode_asks_follow_ups_and_stores_their_scores(tmp_path):
    """Done when: answers that miss points get a follow-up after each; its answer is read,
    scored, and the stored report carries the follow-up scores."""
    home = tmp_path / "home"
    answers = [
        "I would look at some graphs",
        "I would watch it from outside with synthetic checks from Pingdom",
        "no idea",
        "I would restart it",
        "I would check prometheus_tsdb_head_series and the TSDB status page for the metrics "
        "with the most series, topk by metric name",
        "not sure",
    ]
    result = run_cli(
        ["mock", "--plain", "--questions", "2", "--seed", "1", "--deck", "guide"],
        "".join(a + "\n\n" for a in answers),
        home,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Follow-up 1 of") == 2  # one after each answer
    assert out.index("Question 1 of 2") < out.index("Follow-up 1 of") < out.index("Question 2")
    store = Store.open(home)
    report = store.mock_report()
    asked = report["follow_ups"]
    assert [f["answer"] for f in asked] == answers[1:3] + answers[4:6]
    assert asked[0]["score"] >= 70 and asked[1]["score"] == 0
    assert report["follow_up_score"] == pytest.approx(sum(f["score"] for f in asked) / 4, abs=0.05)
    assert "**Follow-up**" in out  # the printed report shows them beside the answers
    assert [a.answer for a in store.attempts()] == [answers[0], answers[3]]


def test_plain_mode_never_spills_an_unfinished_line_into_the_next_answer(tmp_path):
    """A line still being typed when the time runs out is dropped with a notice; the rest of
    it, typed after 0:00, never becomes the first line of the next answer."""
    env = dict(os.environ, SRE_TRAINER_HOME=str(tmp_path / "home"))
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "trainer", "mock", "--plain", "--no-follow-ups"),
            *("--questions", "2", "--seed", "1", "--time-per-question", "10"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    process.stdin.write("a finished line\nand a line still being typ")
    process.stdin.flush()
    deadline = time.monotonic() + 40
    seen = ""
    while time.monotonic() < deadline and "Question 2 of 2" not in seen:
        seen += process.stdout.readline()
    process.stdin.write("ed after the time ran out\n\nmy second answer\n\n")
    process.stdin.close()
    out = seen + process.stdout.read()
    process.wait(timeout=30)
    assert "the unfinished line was not kept" in out
    store = Store.open(tmp_path / "home")
    answers = store.mock_answers(store.mock_results()[0]["id"])
    assert [(a["answer"], a["outcome"]) for a in answers] == [
        ("a finished line", "timeout"),
        ("my second answer", "answered"),
    ]


def test_plain_mode_resume_keeps_the_time_used_and_the_lines_typed(tmp_path):
    env = dict(os.environ, SRE_TRAINER_HOME=str(tmp_path / "home"))
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "trainer", "mock", "--plain", "--no-follow-ups"),
            *("--questions", "2", "--seed", "3", "--time-per-question", "120"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    process.stdin.write("the first line of my answer\n")
    process.stdin.flush()
    store = Store.open(tmp_path / "home")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if store.db.execute("SELECT count(*) FROM drafts").fetchone()[0]:
            break
        time.sleep(0.1)
    time.sleep(6.5)  # reading and thinking, on the clock (checkpointed every 5 s)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    progress = store.unfinished_mock()["progress"]
    assert progress["slot"] == "0" and progress["elapsed"] >= 5
    result = run_cli(
        ["mock", "--plain", "--resume"], "and its second line\n\nanother\n\n", tmp_path / "home"
    )
    assert result.returncode == 0, result.stderr
    assert "what you typed before is kept" in result.stdout
    shown = result.stdout.split("Question 1 of 2 (", 1)[1].split(" left)", 1)[0]
    minutes, seconds = shown.split(":")
    assert int(minutes) * 60 + int(seconds) <= 115  # the clock carried on from where it was
    answers = store.mock_answers(store.mock_results()[0]["id"])
    assert answers[0]["answer"] == "the first line of my answer\nand its second line"


def test_plain_mode_one_mock_at_a_time_and_discard_starts_nothing(tmp_path, bank, clock):
    home = tmp_path / "home"
    store = Store.open(home)
    MockSession.start(bank, store, MockConfig(questions=2, seed=1), clock=clock)  # left running
    waiting = store.unfinished_mock()
    again = run_cli(["mock", "--plain", "--questions", "1"], "an answer\n\n", home)
    assert again.returncode == 2
    assert "unfinished mock" in again.stderr and "--resume" in again.stderr
    assert store.unfinished_mock()["id"] == waiting["id"]  # untouched
    dropped = run_cli(["mock", "--plain", "--discard"], "an answer\n\n", home)
    assert dropped.returncode == 0 and "Discarded the unfinished mock" in dropped.stdout
    assert "Question" not in dropped.stdout  # nothing new was started
    assert store.unfinished_mock() is None
    assert store.db.execute("SELECT count(*) FROM mocks").fetchone()[0] == 1


def test_a_bad_export_path_is_refused_before_the_mock_starts(tmp_path):
    home = tmp_path / "home"
    result = run_cli(
        ["mock", "--plain", "--questions", "1", "--export", str(tmp_path / "nope" / "r.md")],
        "an answer\n\n",
        home,
    )
    assert result.returncode == 2
    assert "--export" in result.stderr and "does not exist" in result.stderr
    assert "Question" not in result.stdout
    assert not (home / "progress.db").exists() or Store.open(home).unfinished_mock() is None
    folder = run_cli(["mock", "--plain", "--export", str(tmp_path)], "", home)
    assert folder.returncode == 2 and "is a folder" in folder.stderr


def test_plain_mode_whole_mock_time_up(tmp_path):
    """The whole mock's time runs out mid-answer: what was typed is kept, the rest of the
    questions are not reached, and the report follows."""
    env = dict(os.environ, SRE_TRAINER_HOME=str(tmp_path / "home"))
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "trainer", "mock", "--plain", "--no-follow-ups"),
            *("--questions", "3", "--seed", "1", "--time-per-question", "10"),
            *("--total-time", "10"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    process.stdin.write("exponential backoff with jitter\n")
    process.stdin.flush()
    process.wait(timeout=60)
    out = process.stdout.read()
    process.stdin.close()
    assert "Time is up for the whole mock." in out and "# Mock interview report" in out
    report = Store.open(tmp_path / "home").mock_report()
    assert [q["label"] for q in report["questions"]] == [
        "timed out (kept)",
        "not reached",
        "not reached",
    ]


def test_plain_mode_speak_aloud_and_practice(tmp_path):
    """Spoken answers end with Enter and are ticked by number; the follow-up is ticked y/n;
    practice feedback comes once the question and its follow-ups are done."""
    home = tmp_path / "home"
    result = run_cli(
        ["mock", "--plain", "--questions", "1", "--seed", "1", "--speak-aloud", "--practice"],
        "\n1 3\n\ny\n\nn\n",
        home,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Which of these did you cover?" in out and "Did you cover it:" in out
    assert out.index("Did you cover it:") < out.index("Feedback:") < out.index("# Mock interview")
    report = Store.open(home).mock_report()
    question = report["questions"][0]
    assert question["self_graded"] and question["label"] == "self-graded"
    assert [f["score"] for f in report["follow_ups"]] == [100, 0]
    assert all(f["self_graded"] for f in report["follow_ups"])
    assert Store.open(home).attempts() == []


def test_plain_practice_feedback_says_why_the_answer_lost_points(tmp_path):
    home = tmp_path / "home"
    answer = "I would never use exponential backoff. Delete the table and recreate it.\n\n"
    args = ["mock", "--plain", "--no-follow-ups", "--practice", "--questions", "1"]
    args += ["--seed", "2", "--categories", "incident-response"]
    result = run_cli(args, answer, home)
    assert result.returncode == 0, result.stderr
    feedback = result.stdout[result.stdout.index("Feedback:") : result.stdout.index("Model")]
    assert "exponential backoff and jitter (the AWS SDK does this by default) (you argued" in (
        feedback
    )
    assert "Red flag: Deleting or recreating the table" in feedback


def test_a_mock_can_be_limited_to_a_deck(tmp_path):
    home = tmp_path / "home"
    result = run_cli(
        [
            "mock",
            "--plain",
            "--no-follow-ups",
            "--questions",
            "3",
            "--seed",
            "2",
            "--deck",
            "sre-loop-2026",
        ],
        "".join(f"answer {n}\n\n" for n in range(3)),
        home,
    )
    assert result.returncode == 0, result.stderr
    report = Store.open(home).mock_report()
    assert [q["card"][:5] for q in report["questions"]] == ["loop-"] * 3
    unknown = run_cli(["mock", "--plain", "--deck", "nope"], "", home)
    assert unknown.returncode == 2 and "unknown deck 'nope'" in unknown.stderr


def test_the_settings_line_counts_one_question_as_one():
    from trainer.study.mock_report import settings_line

    one = settings_line({"config": {"questions": 1, "seconds_per_question": 300}, "questions": []})
    five = settings_line({"config": {"questions": 5, "seconds_per_question": 300}, "questions": []})
    assert "1 question " in one + " " and "1 questions" not in one
    assert "5 questions" in five
