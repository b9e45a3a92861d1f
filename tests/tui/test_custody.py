"""Custody of typed work in the TUI: modes that never stack, mock clocks that stop while hidden,
drafts kept through Escape, a crash and a failed write, answers bounded and typed in linear
time, and text shown literally."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from trainer.grading.concepts import MAX_ANSWER_CHARS
from trainer.store import drafts as stored_drafts
from trainer.store.db import Store, StoreWriteError
from trainer.study.mock import MockConfig
from trainer.tui.screens.confirm_leave import ConfirmLeaveScreen
from trainer.tui.screens.feedback import FeedbackScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.mock import MockScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.stats import StatsScreen

TYPED = "check the deploy timeline [bold]first[/bold] then roll back"


def rendered(widget: Static) -> str:
    content = widget.render()
    return content.plain if hasattr(content, "plain") else str(content)


def keys_for(text: str) -> list[events.Key]:
    """Text as a terminal without bracketed paste delivers it: one key event per character."""
    return [events.Key("space" if ch == " " else "enter" if ch == "\n" else ch, ch) for ch in text]


async def type_text(pilot, text: str) -> None:
    for key in keys_for(text):
        pilot.app.post_message(key)
    await pilot.pause()


async def start_quiz(pilot):
    await pilot.press("q", "ctrl+s")
    assert isinstance(pilot.app.screen, QuizScreen)
    return pilot.app.screen


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


# -- modes ---------------------------------------------------------------------------------
async def test_stats_from_the_palette_mid_mock_is_its_own_mode_and_the_clock_stops(app, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        app.start_mock(MockConfig(questions=2, seconds_per_question=120, seed=1))
        await pilot.pause()
        mock = app.screen
        assert isinstance(mock, MockScreen)
        await type_text(pilot, "half an answer")
        clock.advance(seconds=20)
        # The command palette, as a user opens it: ctrl+p, type, Enter.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Stats", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen) and app.current_mode == "stats"
        assert app.get_screen_stack("stats") == [app.screen]  # nothing stacked under Stats
        assert mock.session.paused
        clock.advance(minutes=30)  # Stats read at leisure
        mock.tick()  # a tick that slipped through does nothing while hidden
        assert mock.session.position == 0
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        modes = app.screen.query_one("#modes")
        marked = [
            modes.get_option_at_index(i).id
            for i in range(modes.option_count)
            if "in progress" in str(modes.get_option_at_index(i).prompt)
        ]
        assert marked == ["mock"]  # the home screen says where the work waits
        await pilot.press("m")  # back to the mock, as it was
        assert app.screen is mock and not mock.session.paused
        assert mock.area.text == "half an answer"
        assert mock.session.question_left() == 100  # 20 s used before Stats, none during
    assert Store.open(app.store.path.parent).unfinished_mock() is not None


async def test_a_second_quiz_is_not_stacked_on_a_running_one(app):
    async with app.run_test() as pilot:
        quiz = await start_quiz(pilot)
        await type_text(pilot, TYPED)
        app.open_mode("stats")
        await pilot.pause()
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Quiz: incident-response"
        )
        command.callback()  # chosen in the command palette, over Stats
        await pilot.pause()
        assert app.screen is quiz and quiz.area.text == TYPED
        assert [type(s).__name__ for s in app.get_screen_stack("quiz")] == [
            "QuizSetupScreen",
            "QuizScreen",
        ]


async def test_finished_flashcards_start_afresh(app):
    async with app.run_test() as pilot:
        await pilot.press("f", "space", "3", "escape")
        assert isinstance(app.screen, HomeScreen)
        first = app.get_screen_stack("home")  # the flashcards mode was closed
        assert app.current_mode == "home" and first == [app.screen]
        await pilot.press("f")
        assert app.screen.session.history == [] and app.screen.session.session_id is not None
        assert app.store.last_session()["summary"]["reviewed"] == 1  # the first was finished


async def test_mock_report_goes_home_and_the_next_mock_starts_at_set_up(app, clock):
    from trainer.tui.screens.mock_report import MockReportScreen
    from trainer.tui.screens.mock_setup import MockSetupScreen

    async with app.run_test() as pilot:
        await pilot.press("m")
        app.start_mock(MockConfig(questions=1, seconds_per_question=60, seed=1, follow_ups=False))
        await pilot.pause()
        await type_text(pilot, "exponential backoff with jitter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("m")
        assert isinstance(app.screen, MockSetupScreen)


async def test_time_running_out_under_a_dialog_never_pops_the_dialog(app, clock):
    async with app.run_test() as pilot:
        await pilot.press("m")
        app.start_mock(MockConfig(questions=2, seconds_per_question=30, seed=1))
        await pilot.pause()
        mock = app.screen
        app.push_screen(ConfirmLeaveScreen("x", "y"))
        await pilot.pause()
        clock.advance(seconds=300)
        mock.tick()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmLeaveScreen) and mock.session.position == 0
        await pilot.press("s")
        assert app.screen is mock and mock.session.question_left() == 30


# -- drafts and Escape ---------------------------------------------------------------------
async def test_escape_in_a_quiz_asks_and_keeps_the_draft(app, data_dir):
    async with app.run_test() as pilot:
        quiz = await start_quiz(pilot)
        await type_text(pilot, TYPED)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmLeaveScreen)
        await pilot.press("s")  # stay
        assert app.screen is quiz and quiz.area.text == TYPED
        await pilot.press("escape", "k")  # keep the draft and leave
        assert isinstance(app.screen, HomeScreen)
        assert stored_drafts.load(Store.open(data_dir), "quiz:q01") == TYPED
        quiz = await start_quiz(pilot)
        assert quiz.area.text == TYPED  # the draft is back with the card
        await pilot.press("escape", "d")  # discard this time
        assert isinstance(app.screen, HomeScreen)
    assert stored_drafts.keys(Store.open(data_dir)) == []
    assert Store.open(data_dir).attempts() == []


async def test_escape_without_typed_text_leaves_at_once(app):
    async with app.run_test() as pilot:
        await start_quiz(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_draft_is_saved_a_second_after_the_last_key_and_survives_a_crash(
    app_factory, data_dir, clock
):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("m")
        app.start_mock(MockConfig(questions=2, seconds_per_question=300, seed=1, follow_ups=False))
        await pilot.pause()
        await type_text(pilot, "exponential backoff")
        await pilot.press("ctrl+s")
        await type_text(pilot, "pending pods: describe them")
        await pilot.pause(1.3)  # the debounce
        mock_id = app.screen.session.mock_id
        assert stored_drafts.load(Store.open(data_dir), f"mock:{mock_id}:1") == (
            "pending pods: describe them"
        )
        app.screen.keep_draft = lambda: None  # the process dies: nothing more is written
        app.keep_drafts = lambda: None
    again = app_factory()
    async with again.run_test() as pilot:
        await pilot.pause()
        await pilot.press("r")  # resume the unfinished mock
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, MockScreen) and screen.session.position == 1
        assert screen.area.text == "pending pods: describe them"
        await pilot.press("ctrl+s")
        await pilot.pause()
    answers = Store.open(data_dir).mock_answers(mock_id)
    assert [a["answer"] for a in answers] == ["exponential backoff", "pending pods: describe them"]
    assert stored_drafts.keys(Store.open(data_dir)) == []


async def test_scenario_escape_asks_and_keeps_the_run_with_its_notes(app, data_dir):
    from trainer.tui.screens.incident import IncidentScreen
    from trainer.tui.screens.leave_incident import LeaveIncidentScreen
    from trainer.tui.screens.resume_scenario import ResumeScenarioScreen
    from trainer.tui.screens.scenario_picker import ScenarioPickerScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "enter", "enter")  # the first scenario, its first action
        incident = app.screen
        assert isinstance(incident, IncidentScreen) and incident.simulation.taken
        await pilot.press("n")
        await type_text(pilot, "suspect the 18:42 release")
        await pilot.press("escape", "escape")  # out of the notes, then leave
        assert isinstance(app.screen, LeaveIncidentScreen)
        await pilot.press("s")
        assert app.screen is incident
        await pilot.press("escape", "k")
        assert isinstance(app.screen, ScenarioPickerScreen)
        (row,) = Store.open(data_dir).unfinished_scenario_runs()
        assert row["state"]["notes"] == "suspect the 18:42 release"
        assert row["state"]["events"] == [{"take": incident.simulation.taken[0]}]
        await pilot.press("enter")  # the same scenario again: offered to resume
        assert isinstance(app.screen, ResumeScenarioScreen)
        assert "suspect the 18:42 release" in rendered(app.screen.query_one("#resume-text"))
        await pilot.press("r")
        resumed = app.screen
        assert isinstance(resumed, IncidentScreen) and resumed is not incident
        assert resumed.notes.text == "suspect the 18:42 release"
        assert resumed.simulation.taken == incident.simulation.taken


# -- failed writes -------------------------------------------------------------------------
async def test_a_failed_write_keeps_the_answer_and_the_next_submit_stores_it(
    app, data_dir, monkeypatch
):
    async with app.run_test() as pilot:
        quiz = await start_quiz(pilot)
        await type_text(pilot, TYPED)
        with monkeypatch.context() as disk_full:

            def full(*args, **kwargs):
                raise StoreWriteError("cannot write progress.db: database or disk is full")

            disk_full.setattr(app.store, "record_attempt", full)
            disk_full.setattr(app.store, "_tx", full)
            await pilot.press("ctrl+s")
            assert app.screen is quiz and quiz.area.text == TYPED
            failures = [n for n in notices(app) if n.startswith("Not saved")]
            assert len(failures) == 1 and "\n" not in failures[0]
            assert "disk is full" in failures[0]
            assert app.service.quiz_draft(quiz.session) == TYPED  # in memory meanwhile
            await pilot.press("escape", "k")  # even leaving keeps it
            assert isinstance(app.screen, HomeScreen)
        quiz = await start_quiz(pilot)  # space is back
        assert quiz.area.text == TYPED
        await pilot.press("ctrl+s", "ctrl+s", "ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
    store = Store.open(data_dir)
    assert [a.answer for a in store.attempts()] == [TYPED]
    assert stored_drafts.keys(store) == []


async def test_a_failed_rating_stays_on_feedback_and_counts_once(app, data_dir, monkeypatch):
    async with app.run_test() as pilot:
        await start_quiz(pilot)
        await type_text(pilot, TYPED)
        await pilot.press("ctrl+s")
        with monkeypatch.context() as disk_full:

            def full(*args, **kwargs):
                raise StoreWriteError("cannot write progress.db: disk I/O error")

            disk_full.setattr(app.store, "save_review", full)
            await pilot.press("n")
            assert isinstance(app.screen, FeedbackScreen)
        await pilot.press("n")
        assert isinstance(app.screen, QuizScreen)
    assert Store.open(data_dir).totals() == (1, 1)


# -- typing cost and the limit -------------------------------------------------------------
async def test_100_kb_of_keys_without_bracketed_paste(app):
    async with app.run_test() as pilot:
        quiz = await start_quiz(pilot)
        text = ("roll back the deploy, then check throttling. " * 2500)[:100_000]
        for key in keys_for(text):
            app.post_message(key)
        await pilot.pause()
        await pilot.pause()
        assert quiz.area.text == text[:MAX_ANSWER_CHARS]
        refused = [n for n in notices(app) if "limited to 20,000 characters" in n]
        assert len(refused) == 1  # said once for the burst, not once per key
        await pilot.press("backspace")
        assert len(quiz.area.text) == MAX_ANSWER_CHARS - 1
        await type_text(pilot, "xy")  # one more fits, the next is refused
        assert len(quiz.area.text) == MAX_ANSWER_CHARS and quiz.area.text.endswith("x")


async def test_typed_keys_and_edit_keys_apply_in_order(app):
    async with app.run_test() as pilot:
        quiz = await start_quiz(pilot)
        await type_text(pilot, "abc\nd")
        await pilot.press("backspace")  # an edit key after a burst applies after it
        await type_text(pilot, "e f")
        assert quiz.area.text == "abc\ne f"
        assert quiz.area.cursor_location == (1, 3)


async def test_a_paste_that_would_pass_the_limit_is_refused(app):
    async with app.run_test() as pilot:
        quiz = await start_quiz(pilot)
        quiz.area.set_answer("x" * (MAX_ANSWER_CHARS - 5))
        app.post_message(events.Paste("123456"))
        await pilot.pause()
        assert len(quiz.area.text) == MAX_ANSWER_CHARS - 5
        app.post_message(events.Paste("12345"))
        await pilot.pause()
        assert len(quiz.area.text) == MAX_ANSWER_CHARS


# -- literal text --------------------------------------------------------------------------
async def test_notices_with_markup_like_text_are_shown_literally(app):
    app.store.notice = "/data/x[/]y/progress.db was kept as x[/]y/progress.db.corrupt [bold]"
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.store.notice in notices(app)


async def test_control_characters_never_reach_the_terminal(bank, data_dir, clock):
    from trainer.content.models import Bank
    from trainer.tui.app import make_app

    osc52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUveC5zaHxzaA==\x07"
    card = bank.card("q01")._replace(
        question=f"What do you check first?{osc52}\x1b[2J",
        answer=f"The deploy timeline{osc52}\x9b31m",
    )
    hostile = Bank(cards={"q01": card}, aliases=bank.aliases)
    app = make_app(data_dir=data_dir, clock=clock, bank=hostile, fuzzing=False)
    async with app.run_test() as pilot:
        quiz = await start_quiz(pilot)
        question = rendered(quiz.query_one("#question"))
        # Whole sequences go, payload too: the screen drops what the command line drops.
        assert question == "What do you check first?"
        app.post_message(events.Paste(f"roll back{osc52}\r\nthe deploy"))
        await pilot.pause()
        assert quiz.area.text == "roll back\nthe deploy"
        await pilot.press("ctrl+s")
        model = rendered(app.screen.query_one("#model"))
        assert "\x1b" not in model and "\x9b" not in model and "\x07" not in model


async def test_an_unexpected_error_writes_what_was_typed_first(app, data_dir):
    import pytest

    def broken() -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test() as pilot:
            quiz = await start_quiz(pilot)
            await type_text(pilot, TYPED)  # within the draft's debounce: not yet on disk
            quiz.action_submit = broken
            await pilot.press("ctrl+s")
            await pilot.pause()
    assert stored_drafts.load(Store.open(data_dir), "quiz:q01") == TYPED


async def test_cramming_from_the_report_replaces_the_cram_mode_once(app, clock):
    from trainer.tui.screens.flashcards import FlashcardScreen
    from trainer.tui.screens.mock_report import MockReportScreen

    async with app.run_test() as pilot:
        await pilot.press("m")
        app.start_mock(MockConfig(questions=2, seconds_per_question=60, seed=1))
        await pilot.pause()
        await pilot.press("ctrl+n", "ctrl+n")  # skip both: everything is left to study
        await pilot.pause()
        report = app.screen
        assert isinstance(report, MockReportScreen)
        wanted = [i["card_id"] for i in report.report["study_next"]]
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlashcardScreen) and app.current_mode == "cram"
        assert app.screen.session.queue == wanted
        await pilot.press("escape")  # the cram run ends; the next one is of every card
        await pilot.press("c")
        await pilot.pause()
        assert len(app.screen.session.queue) == len(app.bank.cards)
        await pilot.press("escape", "m")
        assert app.screen is report  # the report waits in its mode until dismissed
