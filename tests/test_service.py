"""The study service: settings checked once, submits that count once per item, drafts kept
through failed writes, mock clocks that stand still while hidden, and the drafts migration."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from trainer.grading.concepts import MAX_ANSWER_CHARS, AnswerError
from trainer.store import drafts as stored_drafts
from trainer.store.db import DB_NAME, Store, StoreWriteError
from trainer.store.schema import MIGRATIONS, SCHEMA_VERSION
from trainer.study import drafts as draft_keys
from trainer.study.mock import MockConfig
from trainer.study.quiz import QuizOptions
from trainer.study.service import StudyService
from trainer.study.settings import (
    SettingsError,
    minutes_as_seconds,
    mock_config,
    whole_number,
)

ANSWER = "roll back the recent deploy, check dynamodb throttling and the elb target health"


@pytest.fixture
def service(bank, store, clock):
    return StudyService(bank, store, clock=clock, fuzzing=False)


def fail_writes(monkeypatch, store: Store, *methods: str) -> None:
    """Make these store methods fail as a full disk does."""

    def failing(*args, **kwargs):
        raise StoreWriteError("cannot write progress.db: database or disk is full")

    for name in methods:
        monkeypatch.setattr(store, name, failing)


# -- settings --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "chosen, setting",
    [
        ({"questions": 0}, "questions"),
        ({"questions": 31}, "questions"),
        ({"seconds_per_question": 9}, "seconds_per_question"),
        ({"seconds_per_question": 10**12}, "seconds_per_question"),
        ({"total_seconds": -5}, "total_seconds"),
        ({"seconds_per_question": 120, "total_seconds": 60}, "total_seconds"),
        ({"total_seconds": 10**9}, "total_seconds"),
        ({"categories": ["nope"]}, "categories"),
    ],
)
def test_mock_settings_out_of_range_are_refused(chosen, setting):
    with pytest.raises(SettingsError) as error:
        mock_config(known_categories=("incident-response",), **chosen)
    assert error.value.setting == setting and "\n" not in str(error.value)


def test_mock_settings_in_range():
    config = mock_config(questions=30, seconds_per_question=10, total_seconds=10)
    assert (config.questions, config.total_seconds) == (30, 10)
    assert mock_config(categories=[" incident-response ", ""]).categories == ("incident-response",)


def test_form_numbers():
    assert whole_number(" 12 ", "count") == 12
    for bad in ("", "-1", "1.5", "٣", "9" * 5000):
        with pytest.raises(SettingsError):
            whole_number(bad, "count")
    assert minutes_as_seconds("0.5", "total_seconds") == 30
    assert minutes_as_seconds("  ", "total_seconds") is None
    for bad in ("nan", "inf", "five", "1" * 400):
        with pytest.raises(SettingsError):
            minutes_as_seconds(bad, "total_seconds")


def test_quiz_settings(service):
    with pytest.raises(SettingsError, match="count"):
        service.quiz_options(categories=("incident-response",), count=0)
    with pytest.raises(SettingsError, match="unknown tag"):
        service.quiz_options(tags=("no-such-tag",))
    options = service.quiz_options(categories=("incident-response",), tags=(" DynamoDB",), count=3)
    assert options.tags == ("dynamodb",) and options.count == 3
    with pytest.raises(SettingsError, match="no cards"):
        service.start_quiz(QuizOptions(card_ids=("not-a-card",)))


# -- submits count once ----------------------------------------------------------------------
def test_quiz_submit_and_rating_count_once_per_card(service, store):
    quiz = service.start_quiz(QuizOptions(card_ids=("q01", "q02")))
    first = service.submit_answer(quiz, ANSWER)
    again = service.submit_answer(quiz, ANSWER)  # ctrl+s pressed three times
    third = service.submit_answer(quiz, "something else entirely")
    assert first is again is third
    assert len(store.attempts()) == 1
    service.rate_answer(quiz, first, 3)
    service.rate_answer(quiz, first, 3)
    assert store.totals() == (1, 1)
    service.rate_answer(quiz, first, 1)  # changed mind: the review is replaced, not added
    assert store.totals() == (1, 1) and store.attempts()[0].rating == 1
    service.retry_card(quiz)  # a deliberate retry is a new attempt
    retried = service.submit_answer(quiz, ANSWER + " and page the on-call")
    assert retried is not first and len(store.attempts()) == 2


def test_failed_quiz_write_changes_nothing_and_retry_stores_once(service, store, monkeypatch):
    quiz = service.start_quiz(QuizOptions(card_ids=("q01",)))
    with monkeypatch.context() as patch:
        fail_writes(patch, store, "record_attempt", "_tx")
        with pytest.raises(StoreWriteError):
            service.submit_answer(quiz, ANSWER)
        assert not service.save_quiz_draft(quiz, ANSWER)  # kept in memory only
        assert service.quiz_draft(quiz) == ANSWER and service.drafts.unsaved
    assert quiz.answered == [] and store.attempts() == []
    answered = service.submit_answer(quiz, ANSWER)  # space is back: the retry
    assert [a.answer for a in store.attempts()] == [ANSWER]
    assert answered.card.id == "q01"
    assert not service.drafts.unsaved and service.quiz_draft(quiz) == ""


def test_failed_mock_answer_write_reuses_the_stored_attempt(service, store, monkeypatch):
    session = service.start_mock(MockConfig(questions=2, seed=1))
    session.begin_question()
    with monkeypatch.context() as patch:
        fail_writes(patch, store, "record_mock_answer")
        with pytest.raises(StoreWriteError):
            service.submit_mock(session, ANSWER)
    assert session.position == 0 and len(store.attempts()) == 1
    service.submit_mock(session, ANSWER)
    assert len(store.attempts()) == 1  # the retry did not store the attempt again
    assert [a["answer"] for a in store.mock_answers(session.mock_id)] == [ANSWER]


def test_mock_answer_over_the_limit(service, store):
    session = service.start_mock(MockConfig(questions=2, seed=1))
    session.begin_question()
    with pytest.raises(AnswerError, match="limit"):
        service.submit_mock(session, "x " * MAX_ANSWER_CHARS)
    assert store.attempts() == [] and session.position == 0
    service.submit_mock(session, "y " * MAX_ANSWER_CHARS, timed_out=True)  # time is up: cut
    assert [len(a.answer) for a in store.attempts()] == [MAX_ANSWER_CHARS]
    assert len(store.mock_answers(session.mock_id)[0]["answer"]) == MAX_ANSWER_CHARS


def test_scenario_is_scored_and_stored_once(service, store):
    run = service.start_scenario("error-rate-50")
    for action in run.scenario.model_path:
        service.take_action(run, action)
    service.save_scenario_text(run, "notes", "rollback v2.14.0")
    root_cause = run.scenario.root_cause.model
    debrief = service.finish_scenario(run, root_cause, "summary")
    assert service.finish_scenario(run, "another diagnosis", "x") is debrief
    assert store.scenario_bests()["error-rate-50"][1] == 1
    assert debrief.root_cause == root_cause and debrief.root_cause_correct
    assert service.unfinished_scenarios() == []  # finished: not offered again
    service.save_scenario_text(run, "notes", "typed after the end")  # not a new run
    assert store.unfinished_scenario_runs() == []


def test_a_scenario_run_is_saved_at_every_step_and_resumes(service, bank, store, clock):
    run = service.start_scenario("dynamodb-throttling", seed=5)
    assert store.unfinished_scenario_runs() == []  # nothing done yet: nothing saved
    service.take_action(run, "grafana-overview")
    service.save_scenario_text(run, "notes", "WCU flat at the line?")
    service.save_scenario_text(run, "update", "half written update")
    assert service.hint(run) is not None
    (unfinished,) = service.unfinished_scenarios()
    assert (unfinished.scenario_id, unfinished.actions, unfinished.notes) == (
        "dynamodb-throttling",
        1,
        "WCU flat at the line?",
    )
    # Another process: only the store is left.
    again = StudyService(bank, Store.open(store.path.parent), clock=clock, fuzzing=False)
    resumed = again.resume_scenario(again.unfinished_scenarios()[0])
    assert resumed.run_id == run.run_id and resumed.seed == 5
    assert resumed.simulation.taken == ["grafana-overview"]
    assert resumed.simulation.hints_used == 1
    assert (resumed.notes, resumed.update) == ("WCU flat at the line?", "half written update")
    again.take_action(resumed, "status-update", "Checkouts failing; next update 19:40.")
    assert resumed.update == ""  # posted: the draft is gone
    assert len(store.unfinished_scenario_runs()) == 1  # the same run, saved in place


def test_a_new_seed_per_run_and_a_chosen_one_kept(service, clock):
    first = service.start_scenario("error-rate-50")
    clock.advance(minutes=1)
    second = service.start_scenario("error-rate-50")
    assert first.seed is not None and second.seed is not None and first.seed != second.seed
    assert service.start_scenario("error-rate-50", seed=3).seed == 3
    with pytest.raises(SettingsError, match="unknown scenario"):
        service.start_scenario("nope")


def test_abandoned_and_replaced_runs_are_not_offered(service, store):
    run = service.start_scenario("error-rate-50")
    service.take_action(run, "grafana-overview")
    service.abandon_scenario(run)
    assert service.unfinished_scenarios() == []
    other = service.start_scenario("error-rate-50")
    service.take_action(other, "rollout-history")
    service.discard_unfinished_scenario("error-rate-50")  # "new run" in the picker
    assert service.unfinished_scenarios() == []


def test_a_run_that_no_longer_fits_is_closed_with_a_clear_error(service, store):
    run = service.start_scenario("error-rate-50")
    service.take_action(run, "grafana-overview")
    state = run.to_state()
    store.save_scenario_run(run.run_id, "error-rate-50", {**state, "events": [{"take": "gone"}]})
    with pytest.raises(SettingsError, match="cannot resume it"):
        service.resume_scenario(service.unfinished_scenarios()[0])
    assert service.unfinished_scenarios() == []


def test_a_failed_save_keeps_the_step_and_is_retried(service, store, monkeypatch):
    run = service.start_scenario("error-rate-50")
    with monkeypatch.context() as disk_full:
        fail_writes(disk_full, store, "save_scenario_run")
        service.take_action(run, "grafana-overview")
        assert run.simulation.taken == ["grafana-overview"]
        assert not service.scenario_saved(run)
        assert not service.close()  # still cannot write
    assert service.close()  # space is back: the run is written
    assert service.scenario_saved(run)
    (row,) = store.unfinished_scenario_runs()
    assert row["state"]["events"] == [{"take": "grafana-overview"}]


def test_notes_drafted_before_runs_were_saved_carry_over_once(service, store):
    service.drafts.save(draft_keys.scenario_key("error-rate-50", "notes"), "old notes")
    run = service.start_scenario("error-rate-50")
    assert run.notes == "old notes"
    assert service.drafts.get(draft_keys.scenario_key("error-rate-50", "notes")) == ""
    assert service.start_scenario("error-rate-50").notes == ""


def test_scenarios_come_from_bank_folders_and_the_packs_folder(
    bank, store, clock, tmp_path, isolated_home
):
    from helpers import write

    from trainer.paths import scenarios_dir

    source = (scenarios_dir() / "error-rate-50.yaml").read_text()
    write(tmp_path / "bank" / "my-copy.yaml", source.replace("id: error-rate-50", "id: my-copy"))
    write(
        isolated_home / "packs" / "packed.yaml", source.replace("id: error-rate-50", "id: packed")
    )
    write(isolated_home / "packs" / "broken.yaml", "scenario:\n  id: broken\n")
    service = StudyService(bank, store, clock=clock, pack_dirs=[tmp_path / "bank"])
    scenarios = service.scenarios()
    assert {"my-copy", "packed", "error-rate-50"} <= set(scenarios)
    assert any("broken.yaml" in str(e) for e in service.scenario_errors())
    run = service.start_scenario("my-copy")
    for action in run.scenario.model_path:
        service.take_action(run, action)


# -- mocks: clocks, resume, discard ----------------------------------------------------------
def test_paused_mock_keeps_its_remaining_time(service, clock):
    session = service.start_mock(
        MockConfig(questions=2, seconds_per_question=60, seed=1, follow_ups=False)
    )
    session.begin_question()
    clock.advance(seconds=20)
    service.pause_mock(session)
    clock.advance(minutes=30)  # out of sight (Stats open, or the app in the background)
    assert session.question_left() == 40 and session.expired() is None
    service.unpause_mock(session)
    clock.advance(seconds=5)
    assert session.question_left() == 35 and session.total_left() == 95


def test_resume_restores_the_draft_and_discard_drops_everything(service, bank, store, clock):
    session = service.start_mock(MockConfig(questions=3, seed=2, follow_ups=False))
    session.begin_question()
    service.submit_mock(session, ANSWER)
    session.begin_question()
    service.save_mock_draft(session, "half an answer about pods")
    resumed = StudyService(bank, store, clock=clock).resume_mock()  # after a crash
    assert resumed.position == 1
    assert service.mock_draft(resumed) == "half an answer about pods"
    assert service.discard_mock()["id"] == session.mock_id
    assert service.unfinished_mock() is None
    assert stored_drafts.keys(store) == []
    with pytest.raises(SettingsError, match="no unfinished mock"):
        service.resume_mock()


def test_finishing_a_mock_twice_stores_one_report(service, store):
    session = service.start_mock(MockConfig(questions=1, seed=1))
    session.begin_question()
    service.save_mock_draft(session, "draft")
    report = service.finish_mock(session)
    assert service.finish_mock(session) is report
    assert len(store.mock_results()) == 1 and stored_drafts.keys(store) == []


# -- drafts ----------------------------------------------------------------------------------
def test_drafts_survive_a_failed_write_and_are_written_when_space_returns(
    service, store, monkeypatch
):
    key = draft_keys.quiz_key("q05")
    with monkeypatch.context() as patch:
        fail_writes(patch, store, "_tx")
        assert not service.drafts.save(key, "typed while the disk was full")
        assert not service.drafts.flush()
    assert service.drafts.get(key) == "typed while the disk was full"
    assert stored_drafts.load(store, key) is None
    assert service.drafts.flush() and stored_drafts.load(store, key) is not None
    assert service.drafts.save(key, "   ")  # blank text is no draft
    assert service.drafts.get(key) == "" and stored_drafts.keys(store) == []


def test_draft_prefixes_are_literal(service, store):
    service.drafts.save("mock:1_:0", "keep me")
    service.drafts.save("mock:1:0", "drop me")
    service.drafts.discard_under("mock:1:")
    assert stored_drafts.keys(store) == ["mock:1_:0"]


def test_close_finishes_open_sessions_and_keeps_mocks(service, store):
    service.start_quiz(QuizOptions(card_ids=("q01",)))
    service.start_flashcards()
    service.start_mock(MockConfig(questions=1, seed=1))
    assert service.close()
    ended = store.db.execute("SELECT count(*) FROM sessions WHERE ended_at IS NULL").fetchone()
    assert ended == (0,) and service.unfinished_mock() is not None


def test_drafts_migration_from_version_4(tmp_path):
    path = tmp_path / DB_NAME
    old = sqlite3.connect(path, isolation_level=None)
    old.execute("BEGIN")
    for step in MIGRATIONS[:4]:
        step(old)
    old.execute("PRAGMA user_version = 4")
    old.execute(
        "INSERT INTO mocks(status, config, started_at) VALUES ('running', '{}', '2026-11-02')"
    )
    old.execute("COMMIT")
    old.close()
    store = Store.open(tmp_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 5
    assert store.db.execute("SELECT count(*) FROM mocks").fetchone() == (1,)
    stored_drafts.save(store, "quiz:q01", "kept")
    assert stored_drafts.load(store, "quiz:q01") == "kept"
    assert (tmp_path / f"{DB_NAME}.v4.bak").exists()


def test_service_and_registry_do_not_import_textual():
    code = (
        "import sys\n"
        "import trainer.study.service, trainer.study.settings, trainer.study.drafts\n"
        "import trainer.store.drafts, trainer.registry\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_plain_mock_refuses_an_answer_over_the_limit(tmp_path):
    from helpers import run_trainer

    huge = "backoff " * 125_000  # 1,000,000 characters on one line
    result = run_trainer(
        "mock", "--plain", "--questions", "1", "--seed", "1", stdin=huge + "\n\n", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "the limit is 20,000" in result.stdout
    store = Store.open(tmp_path)
    assert store.attempts() == []
    answers = store.mock_answers(store.mock_results()[0]["id"])
    assert [(a["outcome"], a["answer"]) for a in answers] == [("skipped", "")]


def test_plain_mock_total_time_shorter_than_a_question_is_refused(tmp_path):
    from helpers import run_trainer

    result = run_trainer("mock", "--plain", "--total-time", "60", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "sre-trainer: mock: --total-time must be at least one question's time (300 seconds)"
    )
    negative = run_trainer("mock", "--plain", "--total-time", "-5", home=tmp_path)
    assert negative.returncode == 2 and "--total-time" in negative.stderr
    assert not (tmp_path / DB_NAME).exists() or Store.open(tmp_path).mock_results() == []
