"""The mock in the app, driven as a candidate drives it: a time's-up step that swallows the keys
of the last words, no spill into the next question, a clock and a draft that survive a quit,
follow-ups, practice feedback with the clock stopped, spoken answers ticked, the set-up filled
from the flags and the last settings, one mock at a time, and the report reopened."""

from __future__ import annotations

from textual import events
from textual.widgets import Checkbox, Input, Select, Static

from trainer.store import drafts as stored_drafts
from trainer.store.db import Store
from trainer.study.mock import MockConfig, MockSession
from trainer.tui.app import make_app
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.mock import MockScreen
from trainer.tui.screens.mock_feedback import MockFeedbackScreen
from trainer.tui.screens.mock_report import MockReportScreen
from trainer.tui.screens.mock_self_grade import SelfGradeScreen
from trainer.tui.screens.mock_setup import MockSetupScreen
from trainer.tui.screens.mock_time_up import TimeUpScreen
from trainer.tui.screens.resume_mock import ResumeMockScreen

VAGUE = "I would look at some graphs and see what is going on"


def rendered(widget: Static) -> str:
    content = widget.render()
    return content.plain if hasattr(content, "plain") else str(content)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        pilot.app.post_message(events.Key("space" if ch == " " else ch, ch))
    await pilot.pause()


async def start(pilot, config: MockConfig) -> MockScreen:
    await pilot.press("m")
    pilot.app.start_mock(config)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MockScreen)
    return screen


# -- the clock -----------------------------------------------------------------------------
async def test_whole_mock_time_up_swallows_the_last_keys_and_waits_for_enter(app, clock, data_dir):
    async with app.run_test(size=(100, 30)) as pilot:
        mock = await start(
            pilot,
            MockConfig(questions=3, seconds_per_question=60, total_seconds=60, seed=1),
        )
        await type_text(pilot, "exponential backoff with")
        clock.advance(seconds=61)
        mock.tick()
        await pilot.pause()
        assert isinstance(app.screen, TimeUpScreen)
        # The candidate was mid-sentence: these keys would have exported and crammed.
        await type_text(pilot, " jitter ef123")
        await pilot.press("enter")  # within the first second: swallowed
        await pilot.pause()
        assert isinstance(app.screen, TimeUpScreen)
        assert not (data_dir / "reports").exists() and app.current_mode == "mock"
        clock.advance(seconds=2)
        await pilot.press("enter")  # deliberate
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
    store = Store.open(data_dir)
    report = store.mock_report()
    assert [q["label"] for q in report["questions"]] == [
        "timed out (kept)",
        "not reached",
        "not reached",
    ]
    assert report["questions"][0]["answer"] == "exponential backoff with"


async def test_keys_typed_after_a_question_times_out_never_reach_the_next(app, clock, data_dir):
    async with app.run_test(size=(100, 30)) as pilot:
        mock = await start(
            pilot, MockConfig(questions=2, seconds_per_question=60, seed=1, follow_ups=False)
        )
        await type_text(pilot, "check the deploy")
        clock.advance(seconds=61)
        mock.tick()
        await type_text(pilot, " timeline and roll back")  # still typing after 0:00
        assert isinstance(app.screen, TimeUpScreen)
        clock.advance(seconds=2)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is mock and mock.session.position == 1
        assert mock.area.text == ""  # nothing spilled into the next question
        await type_text(pilot, "second answer")
        await pilot.press("ctrl+s")
        await pilot.pause()
    answers = Store.open(data_dir).mock_answers(mock.session.mock_id)
    assert [a["answer"] for a in answers] == ["check the deploy", "second answer"]


async def test_resume_keeps_the_time_used_and_the_draft(app_factory, clock, data_dir):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(
            pilot, MockConfig(questions=2, seconds_per_question=300, seed=1, follow_ups=False)
        )
        await type_text(pilot, "pending pods: describe them")
        clock.advance(seconds=100)
        await pilot.press("ctrl+q")  # quit mid-answer (drafts and the clock are kept)
    clock.advance(hours=3)  # reading up on it meanwhile is no free time
    again = app_factory()
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, ResumeMockScreen)
        await pilot.press("r")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, MockScreen) and screen.session.position == 0
        assert screen.area.text == "pending pods: describe them"
        assert screen.session.question_left() == 200
        assert "3:20 left" in rendered(screen.query_one("#mock-clock"))


# -- follow-ups and practice ---------------------------------------------------------------
async def test_follow_ups_are_asked_after_an_answer(app, clock, data_dir):
    async with app.run_test(size=(100, 30)) as pilot:
        mock = await start(pilot, MockConfig(questions=1, seed=1, follow_up_seconds=60))
        header = rendered(mock.query_one("#mock-clock"))
        assert mock.session.current.category not in header  # the category is hidden
        await type_text(pilot, VAGUE)
        await pilot.press("ctrl+s")
        await pilot.pause()
        follow_up = mock.session.current_follow_up
        assert follow_up is not None
        assert follow_up.prompt in rendered(mock.query_one("#question"))
        assert "Follow-up 1 of" in rendered(mock.query_one("#mock-clock"))
        assert "1:00 left" in rendered(mock.query_one("#mock-clock"))
        await type_text(pilot, "I would ask the team")
        await pilot.press("ctrl+s")
        while mock.session.current_follow_up is not None:
            await pilot.press("ctrl+n")  # skip the second
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        shown = rendered(app.screen.query_one("#mock-questions"))
        assert follow_up.prompt in shown and "I would ask the team" in shown
        assert "Model answer" in shown
    asked = Store.open(data_dir).mock_report()["follow_ups"]
    assert asked[0]["answer"] == "I would ask the team"


async def test_practice_feedback_stops_the_clock(app, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        mock = await start(
            pilot,
            MockConfig(
                questions=2, seconds_per_question=120, seed=1, practice=True, follow_ups=False
            ),
        )
        await type_text(pilot, VAGUE)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockFeedbackScreen)
        shown = rendered(app.screen.query_one("#practice-feedback"))
        assert "Model answer" in shown and "Missed" in shown
        clock.advance(seconds=90)  # reading the feedback
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is mock and mock.session.position == 1
        assert mock.session.question_left() == 120


async def test_practice_feedback_says_why_the_answer_lost_points(app):
    """The notes and red flags the quiz shows are shown in a mock too: a partial answer's
    floor, then the flag an answer raised."""
    config = MockConfig(
        questions=2, categories=("incident-response",), seed=2, practice=True, follow_ups=False
    )
    async with app.run_test(size=(100, 30)) as pilot:
        mock = await start(pilot, config)
        assert mock.session.current.id == "q02"
        await pilot.press("ctrl+s")  # empty: refused with a warning
        assert any("empty" in str(n.message) for n in app._notifications)
        await type_text(pilot, "Raise the WCU now so writes stop failing. DAX.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockFeedbackScreen)
        shown = rendered(app.screen.query_one("#practice-feedback"))
        assert "40/100" in shown and "ⓘ A partial answer" in shown
        assert not app._notifications  # the empty answer's warning no longer covers it
        assert "Red flags" not in shown
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "Turn off auth on the API so traffic gets through.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = rendered(app.screen.query_one("#practice-feedback"))
        assert "Red flags:" in shown and "Turning authentication or authorization off" in shown


# -- speak aloud ---------------------------------------------------------------------------
async def test_a_spoken_answer_is_ticked_and_stored_as_self_graded(app, clock, data_dir):
    async with app.run_test(size=(100, 30)) as pilot:
        mock = await start(
            pilot, MockConfig(questions=1, seed=1, speak_aloud=True, follow_ups=False)
        )
        assert not mock.area.display
        card = mock.session.current
        clock.advance(seconds=75)
        await pilot.press("ctrl+s")  # done speaking
        await pilot.pause()
        assert isinstance(app.screen, SelfGradeScreen)
        await pilot.press("space")  # tick the first point
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert "self-graded" in rendered(app.screen.query_one("#mock-questions"))
    report = Store.open(data_dir).mock_report()
    question = report["questions"][0]
    assert question["self_graded"] and question["seconds"] == 75
    assert card.rubric[0].text not in question["missed"]
    assert len(question["missed"]) == len(card.rubric) - 1


# -- set-up, flags, one mock at a time, the report again ----------------------------------
async def test_flags_fill_the_set_up(data_dir, clock, bank):
    options = {"prefill": {"preset": "security", "questions": 3, "practice": True}}
    app = make_app(
        data_dir=data_dir, clock=clock, bank=bank, fuzzing=False, start="mock", mock_options=options
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, MockSetupScreen)
        assert setup.query_one("#preset", Select).value == "security"
        assert setup.query_one("#length", Input).value == "3"
        assert setup.query_one("#per-question", Input).value == "5"  # the round's time
        assert setup.query_one("#practice", Checkbox).value is True
        assert setup.query_one("#follow-ups", Checkbox).value is True


async def test_several_categories_from_the_flags_are_kept(data_dir, clock, bank):
    options = {"prefill": {"categories": ["security-compliance", "incident-response"]}}
    app = make_app(
        data_dir=data_dir, clock=clock, bank=bank, fuzzing=False, start="mock", mock_options=options
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        assert app.screen.session.config.categories == (
            "security-compliance",
            "incident-response",
        )


async def test_start_flag_starts_at_once_and_settings_are_remembered(data_dir, clock, bank):
    options = {"prefill": {"questions": 7, "follow_ups": False}, "start_now": True}
    app = make_app(
        data_dir=data_dir, clock=clock, bank=bank, fuzzing=False, start="mock", mock_options=options
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        assert len(app.screen.session.cards) == 7  # any count, not only 3/5/10/15
        app.service.discard_mock()
    later = make_app(data_dir=data_dir, clock=clock, bank=bank, fuzzing=False)
    async with later.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        setup = later.screen
        assert isinstance(setup, MockSetupScreen)
        assert setup.query_one("#length", Input).value == "7"
        assert setup.query_one("#follow-ups", Checkbox).value is False


async def test_a_total_shorter_than_a_question_is_refused(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        app.screen.query_one("#per-question", Input).value = "5"
        app.screen.query_one("#total", Input).value = "2"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MockSetupScreen)
        assert any("at least one question" in str(n.message) for n in app._notifications)


async def test_starting_another_mock_asks_about_the_unfinished_one(app_factory, data_dir, clock):
    store = Store.open(data_dir)
    old = MockSession.start(app_factory().bank, store, MockConfig(questions=2, seed=1), clock=clock)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("l")  # decide later
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ResumeMockScreen)  # offered again on opening the mode
        await pilot.press("l")
        assert isinstance(app.screen, MockSetupScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ResumeMockScreen) and dialog.replacing
        await pilot.press("d")  # discard it and start this one
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        assert app.screen.session.mock_id != old.mock_id
    statuses = dict(store.db.execute("SELECT id, status FROM mocks").fetchall())
    assert statuses[old.mock_id] == "discarded"


async def test_the_last_report_can_be_reopened(app, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, MockConfig(questions=1, seed=1, follow_ups=False))
        await pilot.press("ctrl+n")
        await pilot.pause()
        report = app.screen
        assert isinstance(report, MockReportScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("m")
        assert isinstance(app.screen, MockSetupScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        assert app.screen.report["mock_id"] == report.report["mock_id"]


async def test_discard_flag_drops_the_unfinished_mock_and_opens_the_set_up(data_dir, clock, bank):
    store = Store.open(data_dir)
    MockSession.start(bank, store, MockConfig(questions=2, seed=1), clock=clock)
    app = make_app(
        data_dir=data_dir,
        clock=clock,
        bank=bank,
        fuzzing=False,
        start="mock",
        mock_options={"discard": True, "prefill": {}},
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
    assert store.unfinished_mock() is None
    assert stored_drafts.keys(store) == []


async def test_export_flag_writes_the_report_when_the_mock_ends(data_dir, clock, bank, tmp_path):
    target = tmp_path / "mock.md"
    options = {
        "prefill": {"questions": 1, "follow_ups": False},
        "start_now": True,
        "export": str(target),
    }
    app = make_app(
        data_dir=data_dir, clock=clock, bank=bank, fuzzing=False, start="mock", mock_options=options
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
    assert target.read_text(encoding="utf-8").startswith("# Mock interview report")
