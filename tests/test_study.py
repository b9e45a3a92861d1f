"""Scheduling (FSRS), quiz and flashcard sessions, and progress summaries, without the TUI."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from trainer.store.db import Store
from trainer.study.flashcards import FlashcardSession
from trainer.study.progress import compute, streak
from trainer.study.quiz import QuizOptions, QuizSession, choose_cards
from trainer.study.scheduler import (
    LEECH_LAPSES,
    Scheduler,
    describe_interval,
    fsrs_id,
    suggested_rating,
)


@pytest.fixture
def scheduler(store, clock):
    return Scheduler(store, clock=clock, fuzzing=False)


def test_fsrs_id_is_stable_and_distinct():
    assert fsrs_id("q01") == fsrs_id("q01")
    assert len({fsrs_id(f"q{n:02d}") for n in range(1, 31)}) == 30


def test_suggested_rating_mapping():
    assert [suggested_rating(s) for s in (0, 39, 40, 69, 70, 89, 90, 100)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


def test_review_moves_due_date_and_persists(store, scheduler, clock):
    scheduler.review("q01", 4)
    due = datetime.fromisoformat(store.schedule_row("q01")["due"])
    assert due - clock() >= timedelta(days=1)
    # A new Scheduler on the same store (a restart) sees the same schedule.
    again = Scheduler(Store.open(store.path.parent), clock=clock, fuzzing=False)
    assert again.due(["q01"]) == []
    clock.advance(days=60)
    assert again.due(["q01"]) == ["q01"]


def test_editing_card_text_keeps_progress(store, scheduler, bank):
    """Progress is keyed by the YAML id, so a card whose text changes keeps its schedule."""
    scheduler.review("q02", 3)
    edited = bank.card("q02")._replace(question="Reworded question?")
    assert store.schedule_row(edited.id) is not None


def test_preview_gives_each_rating_an_interval(scheduler):
    intervals = scheduler.preview("q03")
    assert intervals[1] < intervals[3] < intervals[4]
    assert describe_interval(intervals[1]) == "1m"
    assert describe_interval(timedelta(days=8)) == "8d"


def test_new_cards_respect_the_daily_limit(bank, store, scheduler, clock):
    scheduler.new_per_day = 3
    ids = list(bank.cards)
    assert scheduler.new_cards(ids) == ids[:3]
    for card_id in ids[:3]:
        scheduler.review(card_id, 3)
    assert scheduler.new_cards(ids) == []
    clock.advance(days=1)
    assert scheduler.new_cards(ids) == ids[3:6]


def test_flashcard_session_rate_and_multi_step_undo(bank, store, scheduler):
    scheduler.new_per_day = 3
    session = FlashcardSession(bank, store, scheduler)
    assert [session.current.id, session.remaining] == ["q01", 3]
    session.flip()
    session.rate(4)
    session.rate(1)  # q02 forgotten: it comes back at the end of the queue
    assert session.queue[-1] == "q02"
    assert store.schedule_row("q01") and store.schedule_row("q02")
    assert session.undo().id == "q02"
    assert store.schedule_row("q02") is None and session.queue.count("q02") == 1
    assert session.undo().id == "q01"
    assert store.schedule_row("q01") is None
    assert session.undo() is None
    summary = session.finish()
    assert summary["reviewed"] == 0 and store.last_session()["mode"] == "flashcards"


def test_cram_never_touches_the_schedule_and_again_requeues(bank, store, scheduler):
    session = FlashcardSession(bank, store, scheduler, cram_cards=list(bank.cards.values())[:2])
    session.flip()
    session.rate(1)  # q01 forgotten: it comes back, as in the flashcards
    session.rate(4)
    assert session.current.id == "q01" and session.remaining == 1
    session.rate(3)
    assert session.current is None
    assert store.schedule_rows() == {}


def graduate(scheduler, clock, card_id):
    """Through the learning steps into review (FSRS state Review)."""
    scheduler.review(card_id, 3)
    clock.advance(minutes=10)
    scheduler.review(card_id, 3)
    assert scheduler.store.schedule_row(card_id)["fsrs"]["state"] == 2


def test_leeches_are_flagged(bank, store, scheduler, clock):
    graduate(scheduler, clock, "q05")
    for _ in range(LEECH_LAPSES):
        clock.advance(days=30)
        scheduler.review("q05", 1)  # a lapse: forgotten after being learned
        clock.advance(minutes=10)
        scheduler.review("q05", 3)  # relearned, back in review
    assert scheduler.leeches() == [("q05", LEECH_LAPSES)]
    leeches = compute(store, bank, clock).leeches
    assert [(x.card_id, x.lapses) for x in leeches] == [("q05", LEECH_LAPSES)]
    assert leeches[0].question == bank.card("q05").question


def test_again_during_learning_is_not_a_lapse(bank, store, scheduler, clock):
    """A new card failed again and again on its first day is being learned, not forgotten:
    no lapse, no leech (Anki and FSRS count lapses only after graduation)."""
    for _ in range(LEECH_LAPSES + 2):
        scheduler.review("q06", 1)
        clock.advance(minutes=1)
    assert store.schedule_row("q06")["lapses"] == 0 and scheduler.leeches() == []
    graduate(scheduler, clock, "q06")
    clock.advance(days=5)
    scheduler.review("q06", 1)  # forgotten after graduating: a lapse
    scheduler.review("q06", 1)  # Again in the relearning step: not another one
    assert store.schedule_row("q06")["lapses"] == 1


def test_quiz_session_stores_attempt_and_feeds_schedule(bank, store, scheduler, clock):
    cards = choose_cards(bank, store, QuizOptions(categories=("incident-response",), count=2))
    session = QuizSession(bank, store, scheduler, cards, clock=clock)
    answered = session.submit("exponential backoff and on-demand capacity, check hot partitions")
    attempt = store.attempts()[0]
    assert attempt.card_id == "q01" and attempt.score == answered.result.score
    assert attempt.rating is None  # the rating is saved when the learner confirms it
    session.rate(answered, 2)
    assert store.attempts()[0].rating == 2 and store.schedule_row("q01") is not None
    session.next()
    session.submit("[bold]literal[/] markup")
    session.next()
    assert session.done
    summary = session.finish()
    assert summary["answered"] == 2 and store.last_session()["summary"] == summary


def test_quiz_refuses_empty_answer_without_recording(bank, store, scheduler):
    from trainer.grading.concepts import AnswerError

    session = QuizSession(bank, store, scheduler, [bank.card("q01")])
    with pytest.raises(AnswerError):
        session.submit("   ")
    assert store.attempts() == []


def test_choose_cards_orders(bank, store):
    store.record_attempt("q03", "quiz", "a", 10, [], [])
    store.record_attempt("q01", "quiz", "a", 90, [], [])
    weakest = choose_cards(bank, store, QuizOptions(order="weakest", count=60))
    assert weakest[-1].id == "q01" and weakest.index(bank.card("q03")) < weakest.index(
        bank.card("q01")
    )
    tagged = choose_cards(bank, store, QuizOptions(tags=("dynamodb",), count=30))
    assert tagged and all("dynamodb" in c.tags for c in tagged)
    shuffled = choose_cards(bank, store, QuizOptions(order="random", seed=4, count=60))
    assert sorted(c.id for c in shuffled) == sorted(bank.cards)
    picked = choose_cards(bank, store, QuizOptions(card_ids=("q07", "q02"), count=5))
    assert [c.id for c in picked] == ["q07", "q02"]


def test_streak():
    assert streak(["2026-11-01", "2026-11-02", "2026-11-03"], "2026-11-03") == 3
    assert streak(["2026-11-01", "2026-11-02"], "2026-11-03") == 2  # today not studied yet
    assert streak(["2026-11-01"], "2026-11-03") == 0


def test_progress_reflects_attempts(bank, store, clock):
    for n, score in enumerate((20, 60, 100)):
        store.record_attempt(
            "q01", "quiz", "a", score, ["x"], ["missed point"], when=clock() + timedelta(days=n)
        )
    clock.advance(days=2)
    progress = compute(store, bank, clock)
    assert progress.attempts == 3 and progress.average == 60 and progress.streak == 3
    incident = next(c for c in progress.categories if c.category == "incident-response")
    assert incident.attempted == 1 and incident.mastery == round(100 / incident.cards, 1)
    assert progress.most_missed[0].point == "missed point"
    assert progress.most_missed[0].missed == 3
