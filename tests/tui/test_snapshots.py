"""Snapshots of the key screens at 80x24 (`pytest --snapshot-update` after a reviewed change)."""

from __future__ import annotations

from datetime import timedelta

from trainer.store.db import Store

ANSWER = (
    "Check when it started and which endpoints fail, correlate with the [bold]recent "
    "deploy[/bold] and roll back; look at dynamodb throttling. Restart all pods first."
)


def seed(data_dir, clock):
    store = Store.open(data_dir)
    for day, (card, score) in enumerate([("q01", 40), ("q02", 75), ("q09", 90), ("q25", 20)]):
        store.record_attempt(
            card,
            "quiz",
            "answer",
            score,
            ["a point"],
            [f"missed point of {card}"],
            when=clock() - timedelta(days=day),
        )
    for day, (score, practice) in enumerate([(72, False), (40, True), (55, False)]):
        mock_id = store.start_mock({"questions": 3, "practice": practice}, clock())
        report = {
            "overall": score,
            "verdict": "Borderline",
            "questions": [{"card": "q01", "score": score, "outcome": "answered"}],
            "categories": {"incident-response": score},
        }
        store.end_mock(mock_id, "complete", report, clock() - timedelta(days=3 - day))
    store.close()


def test_home(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24))


def test_quiz_feedback(snap_compare, app):
    async def answer(pilot):
        await pilot.press("q", "ctrl+s")
        pilot.app.screen.query_one("#answer").text = ANSWER
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=answer)


def test_flashcard_back(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), press=["f", "space"])


def test_stats(snap_compare, app_factory, data_dir, clock):
    seed(data_dir, clock)
    assert snap_compare(app_factory(), terminal_size=(80, 24), press=["t"])


def test_incident_view(snap_compare, app):
    async def open_incident(pilot):
        await pilot.press("s")
        await pilot.press("enter")  # the first scenario
        await pilot.press("enter")  # its first action
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_incident)


def test_card_browser_finds_a_card_by_a_word(snap_compare, app_factory, data_dir, clock):
    seed(data_dir, clock)
    assert snap_compare(
        app_factory(), terminal_size=(80, 24), press=["b", "slash", "l", "e", "a", "k"]
    )


def test_card_view_shows_its_history(snap_compare, app_factory, data_dir, clock):
    store = Store.open(data_dir)
    store.record_attempt(
        "q07",
        "quiz",
        "Check the heap with a [bold]snapshot[/bold] and compare two of them.",
        48,
        ["Take heap snapshots"],
        ["Confirm it is a leak"],
        rating=2,
        when=clock() - timedelta(days=1),
    )
    store.set_card_note("q07", "Leak: trend first, then two heap snapshots, diff.", clock())
    store.close()

    async def open_card(pilot):
        await pilot.press("b")
        pilot.app.open_card("q07")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=open_card)


def test_help(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), press=["question_mark"])


def test_mock_follow_up(snap_compare, app):
    """The interviewer's follow-up after an answer that missed the weightiest point."""
    from trainer.study.mock import MockConfig

    async def answer(pilot):
        await pilot.press("m")
        pilot.app.start_mock(MockConfig(questions=2, seed=1))
        await pilot.pause()
        pilot.app.screen.query_one("#answer").text = "I would look at some graphs"
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=answer)
