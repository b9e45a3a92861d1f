"""Pilot-driven flows: each mode end to end, with what the store holds checked after."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from trainer.store.db import Store
from trainer.tui.screens.feedback import FeedbackScreen
from trainer.tui.screens.flashcards import FlashcardScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.quiz_setup import QuizSetupScreen
from trainer.tui.screens.stats import StatsScreen

GOOD_Q01 = (
    "Check when it started and which endpoints fail, correlate with the recent deploy and "
    "roll back, look at dynamodb throttling and elb target health"
)


def rendered(widget: Static) -> str:
    content = widget.render()
    return content.plain if hasattr(content, "plain") else str(content)


async def start_quiz(pilot):
    await pilot.press("q")
    assert isinstance(pilot.app.screen, QuizSetupScreen)
    await pilot.press("ctrl+s")
    assert isinstance(pilot.app.screen, QuizScreen)


async def test_home_shows_modes_and_today(app):
    async with app.run_test() as pilot:
        assert isinstance(app.screen, HomeScreen)
        today = rendered(app.screen.query_one("#today"))
        assert "New cards    10 of 10 left today" in today and "Bank         52 cards" in today
        assert "flashcards only" in today
        modes = app.screen.query_one("#modes")
        assert modes.option_count == 9
        for key in "qfcsmdtbn":
            await pilot.press(key)
            assert not isinstance(app.screen, HomeScreen), key
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen), key


async def test_study_screens_layout_is_read_when_the_first_opens(app):
    """Start-up parses app.tcss only; screens.tcss comes with the first study screen, and
    home (the default screen, also a mode) is reached again by switching back."""
    from trainer.tui.screens.base import SCREENS_CSS

    async with app.run_test() as pilot:
        assert not app.stylesheet.has_source(str(SCREENS_CSS), "")
        await pilot.press("q")
        assert app.stylesheet.has_source(str(SCREENS_CSS), "")
        assert app.screen.query_one("#setup").styles.padding.left == 2  # from screens.tcss
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        app.open_mode("quiz")
        await pilot.pause()
        app.go_home()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.current_mode == "home"


async def test_quiz_answer_is_stored_and_rated(app, data_dir):
    async with app.run_test() as pilot:
        await start_quiz(pilot)
        app.screen.query_one("#answer").text = GOOD_Q01
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        score = app.screen.answered.result.score
        assert score >= 50
        # Stored at once, before any rating is chosen.
        attempts = Store.open(data_dir).attempts()
        assert [(a.card_id, a.answer, a.score) for a in attempts] == [("q01", GOOD_Q01, score)]
        await pilot.press("1", "n")  # change the suggested rating to Again, then next
        assert isinstance(app.screen, QuizScreen)
        assert "q02" in rendered(app.screen.query_one("#quiz-progress"))
    store = Store.open(data_dir)
    assert store.attempts()[0].rating == 1
    assert store.schedule_row("q01")["reviews"] == 1


async def test_a_long_note_wraps_under_its_mark(app):
    """At 80 columns the grader's note takes two lines: the second is indented under the
    note's first word, as the points are."""
    async with app.run_test(size=(80, 24)) as pilot:
        await start_quiz(pilot)
        app.screen.query_one(
            "#answer"
        ).text = "rollback, dynamodb throttling, elb target health, pod restarts, postmortem"
        await pilot.press("ctrl+s")
        lines = rendered(app.screen.query_one("#points")).splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith("ⓘ Mostly keywords"))
        assert lines[first + 1].startswith("  ") and lines[first + 1].strip()


async def test_empty_answer_asks_again(app, data_dir):
    async with app.run_test() as pilot:
        await start_quiz(pilot)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, QuizScreen)
        assert any("empty" in n.message for n in app._notifications)
    assert Store.open(data_dir).attempts() == []


async def test_markup_in_answer_is_shown_literally(app):
    answer = "[bold]roll back[/bold] the [link=https://evil.example]deploy[/link] [/]"
    async with app.run_test() as pilot:
        await start_quiz(pilot)
        app.screen.query_one("#answer").text = answer
        await pilot.press("ctrl+s")
        shown = rendered(app.screen.query_one("#your-answer"))
        assert answer in shown


async def test_huge_paste_is_refused(app):
    async with app.run_test() as pilot:
        await start_quiz(pilot)
        area = app.screen.query_one("#answer")
        app.post_message(events.Paste("x" * 1_048_576))  # as the terminal driver sends it
        await pilot.pause()
        assert area.text == ""
        assert any("Paste refused" in n.message for n in app._notifications)
        app.post_message(events.Paste("a normal paste"))
        await pilot.pause()
        assert area.text == "a normal paste"


async def test_flashcards_rate_undo_and_due_dates(app, data_dir, clock):
    async with app.run_test() as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, FlashcardScreen)
        await pilot.press("3")  # rating before flipping is refused
        assert Store.open(data_dir).schedule_rows() == {}
        await pilot.press("space")
        assert app.screen.query_one("#back").display
        await pilot.press("4", "space", "3")
        rows = Store.open(data_dir).schedule_rows()
        assert set(rows) == {"q01", "q02"}
        assert rows["q01"]["due"] > rows["q02"]["due"]  # Easy pushes the card further out
        await pilot.press("u")
        assert set(Store.open(data_dir).schedule_rows()) == {"q01"}
        await pilot.press("u")
        assert Store.open(data_dir).schedule_rows() == {}
        assert "q01" in rendered(app.screen.query_one("#flash-progress"))
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_progress_survives_restart(app_factory, data_dir, clock):
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("f", "space", "4")
    clock.advance(hours=1)
    again = app_factory()
    async with again.run_test() as pilot:
        today = rendered(again.screen.query_one("#today"))
        assert "Reviews      1" in today and "New cards    9 of 10 left today" in today
        await pilot.press("f")
        assert "q02" in rendered(again.screen.query_one("#flash-progress"))


async def test_cram_leaves_schedule_alone(app, data_dir):
    async with app.run_test() as pilot:
        await pilot.press("c", "space", "1", "space", "4")
        assert "Cram" in rendered(app.screen.query_one("#flash-progress"))
    assert Store.open(data_dir).schedule_rows() == {}


async def test_stats_reflect_stored_attempts_and_quiz_missed(app, data_dir, clock, bank):
    """w quizzes the cards whose points were missed most (not the best-scored first), shows
    the points it grades, grades on those only, and ends back on the stats."""
    heap = bank.card("q07").rubric[1].text
    store = Store.open(data_dir)
    store.record_attempt(
        "q03", "quiz", "b", 93, [], [bank.card("q03").rubric[2].text], when=clock()
    )
    store.record_attempt("q07", "quiz", "a", 30, [], [heap], when=clock())
    store.record_attempt("q07", "quiz", "a", 10, [], [heap], when=clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, StatsScreen)
        totals = rendered(app.screen.query_one("#totals"))
        assert "Quiz answers 3" in totals and "average 44/100" in totals
        table = app.screen.query_one("#missed")
        assert table.row_count == 2
        assert isinstance(table.get_row_at(0)[3], Text)
        assert heap in rendered(app.screen.query_one("#missed-detail"))  # the full text
        await pilot.press("w")
        assert isinstance(app.screen, QuizScreen)
        assert [c.id for c in app.screen.session.cards] == ["q07", "q03"]
        assert heap in rendered(app.screen.query_one("#quiz-focus"))
        app.screen.query_one("#answer").text = "take heap snapshots over time and diff them"
        await pilot.press("ctrl+s")
        assert [p.text for p in app.screen.answered.result.points] == [heap]
        assert "Practice" in rendered(app.screen.query_one("#rating"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
    assert Store.open(data_dir).schedule_row("q07") is None  # practice: not scheduled


async def test_new_card_limit_is_configurable(app, data_dir):
    async with app.run_test() as pilot:
        await pilot.press("minus", "minus")
        assert "New cards    8 of 8 left today" in rendered(app.screen.query_one("#today"))
    assert Store.open(data_dir).setting("new_per_day") == "8"


async def test_command_palette_lists_modes_and_categories(app):
    async with app.run_test():
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Quiz", "Scenarios", "Mock interview", "Query drills", "Stats"} <= set(titles)
        assert "Quiz: security-compliance" in titles


async def test_markup_in_pack_is_literal(tmp_path, clock, data_dir):
    from trainer.content.loader import load_bank
    from trainer.tui.app import make_app

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "mine.yaml").write_text(
        "cards:\n  - id: zz1\n    category: incident-response\n"
        '    question: "[bold]Is this bold?[/bold] [link=x]no[/link]"\n'
        '    answer: "[red]Never[/] interpreted"\n',
        encoding="utf-8",
    )
    bank = load_bank(pack_dirs=[pack], include_user_packs=False)
    app = make_app(data_dir=data_dir, clock=clock, bank=bank, fuzzing=False)
    async with app.run_test() as pilot:
        app.start_quiz(__import__("trainer.study.quiz").study.quiz.QuizOptions(card_ids=("zz1",)))
        await pilot.pause()
        assert "[bold]Is this bold?[/bold] [link=x]no[/link]" in rendered(
            app.screen.query_one("#question")
        )
        app.screen.query_one("#answer").text = "[/] my answer"
        await pilot.press("ctrl+s")
        assert "[red]Never[/] interpreted" in rendered(app.screen.query_one("#model"))


async def test_scenario_played_to_debrief(app, data_dir):
    """The model path played through the TUI, with the model status update typed in the update
    box and the model diagnosis and write-up typed in the diagnosis: it scores >= 90."""
    from trainer.registry import ACTION_KINDS
    from trainer.tui.screens.debrief import DebriefScreen
    from trainer.tui.screens.diagnosis import DiagnosisScreen
    from trainer.tui.screens.incident import IncidentScreen
    from trainer.tui.screens.status_update import StatusUpdateScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        picker = app.screen
        ids = [
            picker.query_one("#scenario-list").get_option_at_index(i).id
            for i in range(len(picker.scenarios))
        ]
        index = ids.index("error-rate-50")
        await pilot.press(*["down"] * index, "enter")
        incident = app.screen
        assert isinstance(incident, IncidentScreen)
        scenario = incident.scenario  # resolved for the run's variant
        updates = iter(scenario.communication.model_updates)
        for action_id in scenario.model_path:
            actions = incident.query_one("#actions")
            available = [actions.get_option_at_index(i).id for i in range(actions.option_count)]
            await pilot.press("home", *["down"] * available.index(action_id), "enter")
            if ACTION_KINDS[scenario.action(action_id).kind].tells:
                assert isinstance(app.screen, StatusUpdateScreen)
                app.screen.query_one("#update").text = incident.simulation.render(next(updates))
                await pilot.press("ctrl+s")
            assert app.screen is incident
        assert incident.simulation.taken == list(scenario.model_path)
        assert incident.simulation.healthy()
        await pilot.press("n")
        await pilot.press(*"rollback first")
        await pilot.press("escape", "d")
        assert isinstance(app.screen, DiagnosisScreen)
        app.screen.query_one("#root-cause").text = scenario.root_cause.model
        app.screen.query_one("#writeup").text = scenario.model_writeup
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, DebriefScreen)
        debrief = app.screen.debrief
        assert debrief.score >= 90 and not debrief.choices_used
        assert [u.score for u in debrief.updates] == [100]  # the model update, as typed
        await pilot.press("escape")
        summary = rendered(app.screen.query_one("#scenario-summary"))
        assert "Best" in summary
    bests = Store.open(data_dir).scenario_bests()
    assert bests["error-rate-50"][0] >= 90
    assert Store.open(data_dir).unfinished_scenario_runs() == []


async def test_two_question_mock_with_timeout_and_report(app, data_dir, clock, tmp_path):
    from trainer.study.mock import MockConfig
    from trainer.tui.screens.mock import MockScreen
    from trainer.tui.screens.mock_report import MockReportScreen
    from trainer.tui.screens.mock_time_up import TimeUpScreen

    async with app.run_test() as pilot:
        await pilot.press("m")
        app.start_mock(MockConfig(questions=2, seconds_per_question=60, seed=1, follow_ups=False))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        assert "1:00 left" in rendered(screen.query_one("#mock-clock"))
        screen.query_one("#answer").text = "exponential backoff with jitter"
        await pilot.press("ctrl+s")
        assert screen.session.position == 1
        screen.query_one("#answer").text = "half an answer about pending pods"
        clock.advance(seconds=61)  # the second question runs out of time
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, TimeUpScreen)
        clock.advance(seconds=2)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MockReportScreen)
        report = app.screen.report
        assert [q["outcome"] for q in report["questions"]] == ["answered", "timeout"]
        await pilot.press("e")
        exported = data_dir / "reports" / f"mock-{report['mock_id']}.md"
        assert exported.read_text().startswith("# Mock interview report")
        if report["study_next"]:
            await pilot.press("1")
            assert app.screen.__class__.__name__ == "QuizScreen"
    store = Store.open(data_dir)
    answers = store.mock_answers(report["mock_id"])
    assert answers[1]["answer"] == "half an answer about pending pods"


async def test_unfinished_mock_is_offered_on_start(app_factory, data_dir, clock):
    from trainer.study.mock import MockConfig, MockSession
    from trainer.tui.screens.mock import MockScreen
    from trainer.tui.screens.resume_mock import ResumeMockScreen

    store = Store.open(data_dir)
    session = MockSession.start(
        app_factory().bank, store, MockConfig(questions=2, seed=1, follow_ups=False), clock=clock
    )
    session.begin_question()
    session.submit("an answer before the crash")
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeMockScreen)
        await pilot.press("r")
        assert isinstance(app.screen, MockScreen)
        assert app.screen.session.position == 1


async def test_one_drill_of_each_kind(app, data_dir):
    from trainer.tui.screens.drills import DrillScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, DrillScreen)
        for key, kind in (("f1", "write"), ("f2", "read"), ("f3", "metric"), ("f4", "number")):
            await pilot.press(key)
            drill = app.screen.session.current
            assert drill.kind == kind
            answer = {
                "write": drill.reference,
                "read": drill.reference,
                "metric": f"{drill.reference} {drill.threshold or ''}",
                "number": f"{drill.value}",
            }[kind]
            app.screen.query_one("#answer").text = answer
            await pilot.press("ctrl+s")
            shown = rendered(app.screen.query_one("#drill-result"))
            assert shown.startswith(("CORRECT", "PARTIAL")), (kind, shown)
            await pilot.press("ctrl+n")
    modes = [a.mode for a in Store.open(data_dir).attempts()]
    assert modes == ["drill-write", "drill-read", "drill-metric", "drill-number"]


async def test_typed_promql_reveals_scenario_evidence(app):
    from trainer.tui.screens.incident import IncidentScreen

    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(IncidentScreen(app.service.start_scenario("nodejs-memory-leak")))
        await pilot.pause()
        screen = app.screen
        look_up = next(a for a in screen.simulation.available() if a.promql)
        screen.run_query("sum(rate(nonexistent_metric[5m]))")
        assert look_up.id not in screen.simulation.taken
        screen.run_query(look_up.promql + " ")  # the same query, respaced
        await pilot.pause()
        assert look_up.id in screen.simulation.taken


async def test_light_theme_renders_every_screen(app):
    async with app.run_test() as pilot:
        app.theme = "textual-light"
        for key in "qfcsmdtn":
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is not None
            await pilot.press("escape")
        assert app.theme == "textual-light"


async def test_mock_command_offers_the_unfinished_mock_first(data_dir, clock, bank):
    from trainer.study.mock import MockConfig, MockSession
    from trainer.tui.app import make_app
    from trainer.tui.screens.mock_setup import MockSetupScreen
    from trainer.tui.screens.resume_mock import ResumeMockScreen

    MockSession.start(bank, Store.open(data_dir), MockConfig(questions=2, seed=1), clock=clock)
    app = make_app(data_dir=data_dir, clock=clock, bank=bank, fuzzing=False, start="mock")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeMockScreen)
        await pilot.press("l")  # start a new one instead
        assert isinstance(app.screen, MockSetupScreen)


async def test_bad_setup_input_is_reported_even_below_the_fold(app):
    from trainer.tui.screens.mock_setup import MockSetupScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, MockSetupScreen)
        app.screen.query_one("#per-question").value = "0.1"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, MockSetupScreen)
        assert any("at least 10 seconds" in n.message for n in app._notifications)
