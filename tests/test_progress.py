"""Issue 13's core: mock history, the schedule's Anki habits (lapses, retries, undo, the
new-card allowance, suspend and bury, the forecast), quizzing the most-missed points, the card
browser and the exports."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import timedelta

import pytest
from helpers import run_trainer

from trainer.store.db import DB_NAME, Store
from trainer.store.export import write_export
from trainer.store.schema import MIGRATIONS
from trainer.study.cards import CardFilter
from trainer.study.flashcards import FlashcardSession
from trainer.study.mock import MockConfig
from trainer.study.progress import compute
from trainer.study.quiz import QuizOptions
from trainer.study.scheduler import LEECH_LAPSES, Scheduler
from trainer.study.service import StudyService

GOOD_Q01 = (
    "Declare an incident and name an incident commander. Check when it started and which "
    "endpoints fail, correlate with the recent deploy and roll back; look at dynamodb "
    "throttling and the load balancer's target health."
)


@pytest.fixture
def service(bank, store, clock):
    return StudyService(bank, store, clock=clock, fuzzing=False)


def quiz_of(service, *card_ids):
    return service.start_quiz(QuizOptions(card_ids=card_ids, count=len(card_ids)))


# -- retries are practice --------------------------------------------------------------------
def test_a_retry_is_practice_prefilled_unscheduled_and_not_averaged(service, store):
    quiz = quiz_of(service, "q01")
    first = service.submit_answer(quiz, "restart all the pods and hope")
    service.rate_answer(quiz, first, 1)
    review_count = store.db.execute("SELECT count(*) FROM reviews").fetchone()[0]
    service.retry_card(quiz)
    assert quiz.retrying and quiz.previous_answer() == "restart all the pods and hope"
    second = service.submit_answer(quiz, GOOD_Q01)
    assert second.practice == "retry" and not second.scheduled
    service.rate_answer(quiz, second, 4)  # nothing goes to the schedule
    assert store.db.execute("SELECT count(*) FROM reviews").fetchone()[0] == review_count
    assert store.schedule_row("q01")["fsrs"]["state"] == 1  # still as Again left it
    summary = service.finish_quiz(quiz)
    assert summary["answered"] == 1 and summary["average"] == first.result.score
    assert summary["practice"] == 1 and summary["practice_average"] == second.result.score
    progress = compute(store, service.bank)
    assert progress.attempts == 1 and progress.average == first.result.score
    assert progress.practice_answers == 1
    assert [a.practice for a in store.attempts()] == [None, "retry"]
    assert store.card_scores()["q01"][3] == first.result.score  # mastery: the real answer


# -- the new-card allowance -----------------------------------------------------------------
def test_a_quiz_on_new_cards_leaves_the_flashcards_allowance(service, store):
    service.scheduler.new_per_day = 2
    quiz = quiz_of(service, "q01", "q02", "q03")
    for _ in range(3):
        answered = service.submit_answer(quiz, GOOD_Q01)
        service.rate_answer(quiz, answered, 3)
        service.next_card(quiz)
    assert len(store.schedule_rows()) == 3  # the quiz scheduled them
    assert service.scheduler.new_left_today() == 2  # and the flashcards' two are still there
    session = service.start_flashcards()
    assert session.queue == ["q01", "q02", "q03", "q04", "q05"]  # learning steps due, 2 new
    session.position = 3
    session.flip()
    session.rate(3)
    assert service.scheduler.new_left_today() == 1


# -- undo ------------------------------------------------------------------------------------
@pytest.mark.parametrize("cram", [False, True])
def test_undo_restores_the_exact_state(bank, store, clock, cram):
    scheduler = Scheduler(store, clock=clock, fuzzing=False)
    scheduler.new_per_day = 3
    cards = list(bank.cards.values())[:3] if cram else None
    session = FlashcardSession(bank, store, scheduler, cram_cards=cards)
    before = (list(session.queue), session.position, session.flipped)
    session.flip()
    session.rate(1)  # Again: q01 goes to the end of the queue
    assert session.queue[-1] == "q01" and session.current.id == "q02"
    assert not session.flipped
    session.flip()
    session.rate(3)
    session.undo()  # q02 back, its answer shown as when it was rated
    assert (session.current.id, session.flipped) == ("q02", True)
    session.undo()
    assert (list(session.queue), session.position) == before[:2]
    assert (session.current.id, session.flipped) == ("q01", True)
    # The next rating lands on q01, not one card off.
    session.rate(4)
    assert session.history[-1].card_id == "q01" and session.current.id == "q02"
    if not cram:
        assert store.schedule_row("q02") is None and store.schedule_row("q01")["reviews"] == 1


def test_flip_only_shows_the_answer(bank, store, scheduler_factory):
    session = FlashcardSession(bank, store, scheduler_factory())
    session.flip()
    session.flip()  # a second space does not hide it again
    assert session.flipped


@pytest.fixture
def scheduler_factory(store, clock):
    return lambda: Scheduler(store, clock=clock, fuzzing=False)


# -- suspend, bury, reset, filters, forecast -------------------------------------------------
def test_suspended_and_buried_cards_leave_the_queues(service, store, clock):
    service.suspend_card("q01")
    service.bury_card("q02")
    ids = list(service.bank.cards)
    assert service.scheduler.new_cards(ids)[:2] == ["q03", "q04"]
    cram = service.start_flashcards(cram=True)
    assert "q01" not in cram.queue and "q02" in cram.queue  # bury is for the schedule's queue
    quiz_cards = [c.id for c in service.start_quiz(QuizOptions(count=30)).cards]
    assert "q01" not in quiz_cards
    clock.advance(days=1)
    assert "q02" in service.scheduler.new_cards(ids)  # buried until tomorrow: back
    service.suspend_card("q01", False)
    assert service.scheduler.new_cards(ids)[0] == "q01"


def test_flashcards_and_cram_take_a_deck_category_tag_filter(service):
    service.scheduler.new_per_day = 30
    only = CardFilter(categories=("security-compliance",))
    session = service.start_flashcards(scope=only)
    assert session.queue and all(
        service.bank.cards[c].category == "security-compliance" for c in session.queue
    )
    tagged = service.start_flashcards(cram=True, scope=CardFilter(tags=("dynamodb",)))
    assert tagged.queue and all("dynamodb" in service.bank.cards[c].tags for c in tagged.queue)
    assert service.start_flashcards(scope=CardFilter(decks=("nope",))).queue == []


def test_reset_makes_a_card_new_and_keeps_its_history(service, store):
    quiz = quiz_of(service, "q07")
    service.rate_answer(quiz, service.submit_answer(quiz, GOOD_Q01), 3)
    assert service.reset_card("q07")
    assert store.schedule_row("q07") is None and len(store.attempts("q07")) == 1
    assert service.card_detail("q07").row.state == "new"


def test_forecast_counts_fourteen_days_overdue_today(service, store, clock):
    scheduler = service.scheduler
    scheduler.review("q01", 4)  # due in a few days
    scheduler.review("q02", 1)  # due in a minute: today
    forecast = compute(store, service.bank, clock).forecast
    assert len(forecast) == 14 and forecast[0].day == "2026-11-02"
    assert sum(d.due for d in forecast) == 2 and forecast[0].due == 1
    clock.advance(days=40)  # both overdue: today
    assert compute(store, service.bank, clock).forecast[0].due == 2


# -- mock history ----------------------------------------------------------------------------
def test_mock_answers_are_counted_apart_and_mocks_are_history(service, store, clock):
    quiz = quiz_of(service, "q01")
    service.rate_answer(quiz, service.submit_answer(quiz, GOOD_Q01), 3)
    service.finish_quiz(quiz)
    clock.advance(minutes=5)
    mock = service.start_mock(MockConfig(questions=2, seed=3))
    mock.begin_question()
    service.submit_mock(mock, "no idea")
    mock.begin_question()
    service.skip_question(mock)
    report = service.finish_mock(mock)
    practice = service.start_mock(MockConfig(questions=1, seed=4, practice=True))
    clock.advance(minutes=1)
    service.finish_mock(practice)  # ended before any answer, and practice
    progress = compute(store, service.bank, clock)
    assert progress.attempts == 1 and progress.mock_answers == 1
    assert progress.average == store.attempts()[0].score  # the mock's answer is not in it
    assert [m.score for m in progress.mocks] == [report["overall"], 0.0]
    first, second = progress.mocks
    assert first.in_trend and not first.practice and first.answered == 1
    assert second.practice and not second.in_trend
    assert progress.mock_trend == [first]
    assert first.settings["questions"] == 2 and first.day == "2026-11-02"
    last = store.last_session()
    assert last["mode"] == "mock" and last["summary"]["practice"] is True


def test_mock_history_reads_reports_defensively(store):
    """Older reports lack the newer keys; a damaged one is left out, not a crash."""
    store.db.execute(
        "INSERT INTO mocks(status, config, report, started_at, ended_at) VALUES "
        '(\'complete\', \'{"questions": 1}\', \'{"overall": 40, "verdict": "Not yet"}\', '
        "'2026-10-01T09:00:00+00:00', '2026-10-01T09:10:00+00:00'), "
        "('complete', '{}', 'not json', '2026-10-02T09:00:00+00:00', NULL), "
        "('complete', '{}', '{\"overall\": \"x\"}', '2026-10-03T09:00:00+00:00', NULL)"
    )
    results = store.mock_results()
    assert len(results) == 1 and results[0]["score"] == 40 and results[0]["follow_ups"] == []
    assert results[0]["practice"] is False and results[0]["settings"]["questions"] == 1


def test_stats_json_has_mocks_after_a_plain_mock(tmp_path):
    home = tmp_path / "home"
    done = run_trainer(
        "mock", "--plain", "--questions", "2", "--seed", "1", stdin="one answer\n\n", home=home
    )
    assert done.returncode == 0, done.stderr
    stats = json.loads(run_trainer("stats", "--json", home=home).stdout)
    (mock,) = stats["mocks"]
    assert mock["started_at"][:2] == "20" and mock["day"] and mock["score"] >= 0
    assert mock["questions"] == 2 and mock["practice"] is False
    assert stats["last_session"]["mode"] == "mock"
    assert stats["mock_answers"] == 1 and stats["attempts"] == 0 and stats["average"] is None
    assert all(
        isinstance(x, dict)
        for key in ("leeches", "scenarios", "drills", "forecast", "most_missed", "decks")
        for x in stats[key]
    )
    assert len(stats["forecast"]) == 14
    text = run_trainer("stats", home=home).stdout
    assert "mock interviews" in text and "mastery by deck" in text


# -- quiz the most-missed --------------------------------------------------------------------
def test_missed_points_quiz_orders_cards_by_misses_and_grades_those_points(service, store):
    q01, q02 = service.bank.card("q01"), service.bank.card("q02")
    # q02 scored well once but missed one point once; q01 missed two points, three times.
    store.record_attempt("q02", "quiz", "a", 93, [], [q02.rubric[0].text])
    for _ in range(3):
        store.record_attempt("q01", "quiz", "a", 40, [], [q01.rubric[0].text, q01.rubric[1].text])
    options = service.missed_points_quiz()
    assert options.card_ids[:2] == ("q01", "q02")
    focus = dict(options.focus)
    assert set(focus["q01"]) == {q01.rubric[0].text, q01.rubric[1].text}
    quiz = service.start_quiz(options)
    answered = service.submit_answer(
        quiz, q01.rubric[0].phrases[0] + " " + q01.rubric[1].phrases[0]
    )
    assert [p.text for p in answered.result.points] == list(
        p.text for p in q01.rubric if p.text in focus["q01"]
    )
    assert answered.practice == "points" and not answered.scheduled
    assert answered.result.score > 0
    service.rate_answer(quiz, answered, 4)
    assert store.schedule_row("q01") is None


# -- the card browser ------------------------------------------------------------------------
def test_browser_finds_by_a_word_and_shows_the_history(service, store, clock):
    quiz = quiz_of(service, "q07")
    answered = service.submit_answer(quiz, "my answer about [bold]caching[/bold]")
    service.rate_answer(quiz, answered, 2)
    service.finish_quiz(quiz)
    word = service.bank.card("q07").question.split()[3]
    found = [row.id for row in service.browse_cards(CardFilter(text=word.upper()))]
    assert "q07" in found
    detail = service.card_detail("q07")
    assert detail.last_answer.answer == "my answer about [bold]caching[/bold]"
    assert detail.last_answer.score == answered.result.score and detail.last_answer.when
    assert detail.reviews[0]["rating"] == 2 and detail.row.due is not None
    service.save_card_note("q07", "  In my own words: the zebra cache.  ")
    assert service.card_detail("q07").note == "In my own words: the zebra cache."
    assert [r.id for r in service.browse_cards(CardFilter(text="Zebra cache"))] == ["q07"]
    with pytest.raises(ValueError, match="limit"):
        service.save_card_note("q07", "x" * 6000)
    with pytest.raises(KeyError):
        service.card_detail("nope")


def test_browser_filters_due_state_and_leeches(service, store, clock):
    scheduler = service.scheduler
    scheduler.review("q03", 1)  # learning, due in a minute
    scheduler.review("q04", 4)  # review, due in days
    in_three_days = (clock() + timedelta(days=3)).isoformat()
    store.db.execute("UPDATE schedule SET due = ? WHERE card_id = 'q04'", (in_three_days,))
    browse = service.browse_cards
    assert [r.id for r in browse(CardFilter(due="due"))] == ["q03"]
    assert {r.id for r in browse(CardFilter(due="week"))} == {"q03", "q04"}
    assert len(browse(CardFilter(due="new"))) == len(service.bank.cards) - 2
    store.db.execute("UPDATE schedule SET lapses = ? WHERE card_id = 'q04'", (LEECH_LAPSES,))
    assert [r.id for r in browse(CardFilter(leech=True))] == ["q04"]
    service.suspend_card("q03")
    assert [r.id for r in browse(CardFilter(due="suspended"))] == ["q03"]
    assert browse(CardFilter(due="due")) == []
    secrets = browse(CardFilter(categories=("security-compliance",), text="secrets kubernetes"))
    assert secrets[0].question == "How do you secure secrets in your Kubernetes deployment?"


# -- exports ---------------------------------------------------------------------------------
def test_csv_export_parses_with_question_category_and_points_as_lists(service, store):
    q01 = service.bank.card("q01")
    store.record_attempt(
        "q01", "quiz", "=cmd|' /C calc'!A0", 55, ["a; b, c"], ["point; with semicolon"]
    )
    service.save_card_note("q01", "my note")
    out = io.StringIO()
    assert write_export(store, "attempts", "csv", out, service.bank) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["question"] == q01.question and rows[0]["category"] == q01.category
    assert rows[0]["deck"] == "guide" and rows[0]["answer"].startswith("'=")
    assert json.loads(rows[0]["missed"]) == ["point; with semicolon"]
    assert json.loads(rows[0]["matched"]) == ["a; b, c"]
    cards = io.StringIO()
    assert write_export(store, "cards", "csv", cards, service.bank) == len(service.bank.cards)
    card_rows = list(csv.DictReader(io.StringIO(cards.getvalue())))
    assert card_rows[0]["note"] == "my note" and json.loads(card_rows[0]["tags"]) == list(q01.tags)


def test_json_exports_are_lists_of_objects(service, store, clock):
    service.scheduler.review("q01", 3)
    store.record_attempt("q01", "quiz", "a", 55, [], ["x"])
    everything = io.StringIO()
    write_export(store, "all", "json", everything, service.bank)
    data = json.loads(everything.getvalue())
    assert set(data) == {"attempts", "reviews", "mocks", "cards"}
    assert data["reviews"][0]["rating_name"] == "Good" and data["reviews"][0]["question"]
    assert all(isinstance(x, dict) for part in data.values() for x in part)
    with pytest.raises(ValueError):
        write_export(store, "all", "csv", io.StringIO(), service.bank)


def test_export_cli_what_and_formats(tmp_path):
    home = tmp_path / "home"
    store = Store.open(home)
    store.record_attempt("q05", "quiz", "an answer", 60, ["m"], ["n"])
    store.close()
    result = run_trainer("export", "--what", "attempts", home=home)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["card_id"] == "q05" and rows[0]["category"] and rows[0]["question"]
    reviews = run_trainer("export", "--what", "reviews", "--format", "json", home=home)
    assert json.loads(reviews.stdout) == [] and "exported 0 review(s)" in reviews.stderr
    refused = run_trainer("export", "--what", "all", home=home)
    assert refused.returncode == 2 and "--format json" in refused.stderr


def test_list_due_and_score_columns(tmp_path):
    home = tmp_path / "home"
    store = Store.open(home)
    store.record_attempt("q05", "quiz", "an answer", 60, ["m"], ["n"])
    Scheduler(store, fuzzing=False).review("q05", 1)
    store.close()
    listed = json.loads(run_trainer("list", "--due", "--json", home=home).stdout)
    assert [c["id"] for c in listed] == ["q05"]
    assert listed[0]["last_score"] == 60 and listed[0]["state"] == "learning"
    week = run_trainer("list", "--due", "week", home=home).stdout
    assert week.startswith("q05")


# -- migration -------------------------------------------------------------------------------
def test_migration_recounts_lapses_and_moves_mock_answers(tmp_path):
    """Version 6 counted an Again during learning as a lapse and mock answers in the quiz
    counters: the migration recounts both from the stored history."""
    old = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    old.execute("BEGIN")
    for step in MIGRATIONS[:6]:
        step(old)
    old.execute("PRAGMA user_version = 6")
    learning = {"fsrs": {"state": 1}, "due": "x", "introduced_on": "x", "lapses": 0, "reviews": 1}
    graduated = {**learning, "fsrs": {"state": 2}}
    for previous in (learning, learning, graduated):
        old.execute(
            "INSERT INTO reviews(card_id, rating, reviewed_at, previous) VALUES "
            "('q01', 1, '2026-11-01T09:00:00+00:00', ?)",
            (json.dumps(previous),),
        )
    old.execute(
        "INSERT INTO schedule(card_id, fsrs, due, introduced_on, lapses, reviews) VALUES "
        "('q01', '{\"state\": 3}', '2026-11-02', '2026-11-01', 3, 4)"
    )
    old.execute(
        "INSERT INTO attempts(card_id, mode, answer, score, matched, missed, red_flags, "
        "created_at) VALUES ('q02', 'mock', 'a', 30, '[]', '[]', '[]', "
        "'2026-11-01T12:00:00+00:00')"
    )
    old.execute("INSERT INTO days(day, attempts, score_sum) VALUES ('2026-11-01', 1, 30)")
    old.execute("COMMIT")
    old.close()
    store = Store.open(tmp_path)
    assert store.schedule_row("q01")["lapses"] == 1  # only the Again after graduating
    row = store.days()[0]
    assert (row.attempts, row.score_sum, row.mock_attempts, row.mock_score_sum) == (0, 0, 1, 30)
    assert store.card_flags() == {} and store.card_notes() == {}


def test_days_since_count_every_kind_of_study(store, clock):
    store.record_attempt("q01", "mock", "a", 50, [], [], when=clock())
    store.record_attempt(
        "q01", "quiz", "a", 50, [], [], when=clock() + timedelta(days=1), practice="retry"
    )
    assert [d.active for d in store.days()] == [True, True]
