"""A running mock interview: the question (its category hidden), countdowns, the answer box,
then the interviewer's follow-ups, each on its own short clock. No feedback between questions
unless practising, and then with the clock stopped.

Time running out submits the answer so far and shows a "Time's up" step that only Enter
closes, a second on (keys typed meanwhile go nowhere, never into the next question or the
report). The clocks stand still while the screen is out of sight (another mode, the command
palette, a dialog); what is typed, and the time used, are kept and come back on resume."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from trainer.grading.concepts import AnswerError
from trainer.store.db import StoreWriteError
from trainer.study.mock import FollowUpAnswer, MockAnswer, MockSession
from trainer.study.mock_report import countdown_text
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.screens.mock_feedback import MockFeedbackScreen
from trainer.tui.screens.mock_self_grade import SelfGradeScreen
from trainer.tui.screens.mock_time_up import TimeUpScreen
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea

CHECKPOINT_TICKS = 5  # the time used is stored every this many seconds (and with drafts)


class MockScreen(TrainerScreen[dict]):
    """Dismissed with the report when the mock is over."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("ctrl+n", "skip", "Skip"),
        Binding("escape", "pause", "Pause (resume later)"),
        Binding("ctrl+up", "scroll_question(-3)", "Scroll question", show=False),
        Binding("ctrl+down", "scroll_question(3)", "Scroll question", show=False),
    ]

    def __init__(self, session: MockSession):
        super().__init__()
        self.session = session
        self.in_progress = True
        self.timer: Timer | None = None
        self._failing = False  # a write failed: said once, retried quietly
        self._ticks = 0
        self._waiting = False  # a step over the mock (time's up, ticks, feedback) is open

    @property
    def spoken(self) -> bool:
        return self.session.config.speak_aloud

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            yield Static(id="mock-clock")
            with VerticalScroll(id="question-box"):
                yield Static(id="question", classes="question")
            yield AnswerArea(id="answer")
            yield Static(
                "Answer out loud, as in the room. Press ctrl+s when you have finished: the "
                "rubric follows, for you to tick what you covered.",
                id="spoken-hint",
                classes="question",
            )
            yield Static(id="mock-feedback", classes="muted")
        yield Footer()

    @property
    def area(self) -> AnswerArea:
        return self.query_one("#answer", AnswerArea)

    def on_mount(self) -> None:
        self.area.display = not self.spoken
        self.query_one("#spoken-hint").display = self.spoken
        self.show_question()
        self.timer = self.set_interval(1.0, self.tick)

    def show_question(self) -> None:
        """Show what is asked next (a question or a follow-up) and start its clock."""
        session = self.session
        self._waiting = False
        if session.done:
            self.finish()
            return
        follow_up = session.current_follow_up
        session.begin_question()
        card = session.current
        assert card is not None
        if follow_up is not None:
            asked = join(
                literal("The interviewer follows up:\n", "dim"), literal(follow_up.prompt, "bold")
            )
        else:
            asked = literal(card.question, "bold")
        self.query_one("#question", Static).update(asked)
        self.query_one("#question-box", VerticalScroll).scroll_home(animate=False)
        hint = "ctrl+s submit · ctrl+n skip · Escape pause"
        if asked.plain.count("\n") > 8:
            hint += " · ctrl+up/down scroll the question"
        self.query_one("#mock-feedback", Static).update(literal(hint))
        if self.spoken:
            self.query_one("#question-box").focus()
        else:
            draft = self.app.service.mock_draft(session)
            self.area.set_answer(draft)
            self.area.focus()
            if draft:
                self.notify("Your draft of this answer is back.", timeout=3)
        self.tick()

    def action_scroll_question(self, lines: int) -> None:
        box = self.query_one("#question-box", VerticalScroll)
        box.scroll_relative(y=lines, animate=False)

    # -- out of sight: the clocks stand still ---------------------------------------------
    def on_screen_suspend(self) -> None:
        if self.timer is not None:
            self.timer.pause()
        self.app.service.pause_mock(self.session)
        self.keep_draft()

    def on_screen_resume(self) -> None:
        self.app.service.unpause_mock(self.session)
        if self.timer is not None:
            self.timer.resume()
        if self.is_mounted and self.in_progress and not self._waiting:
            self.tick()

    # -- drafts ----------------------------------------------------------------------------
    def on_answer_area_draft_due(self, event: AnswerArea.DraftDue) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        """Keep what is typed and the time used (a quit, a crash, Escape, another mode)."""
        if not self.in_progress or self.session.done or self._waiting:
            return
        if self.spoken:
            self.app.service.checkpoint_mock(self.session)
            return
        self.area.flush_typed()
        self.draft_kept(self.app.service.save_mock_draft(self.session, self.area.text))

    # -- the clock -------------------------------------------------------------------------
    def tick(self) -> None:
        """Redraw the countdowns; when a limit runs out, the time's-up step."""
        session = self.session
        if not self.in_progress or self._waiting or session.paused or self.app.screen is not self:
            return
        if session.done:
            self.finish()  # a report that could not be stored before: tried again
            return
        expired = session.expired()
        if expired is not None:
            self.time_up(whole_mock=expired == "total")
            return
        self._ticks += 1
        if self._ticks % CHECKPOINT_TICKS == 0:
            self.app.service.checkpoint_mock(session)
        left = session.question_left()
        style = "bold red" if left <= 30 else "bold"
        number = session.follow_up_number
        if number is not None:
            where = f" Follow-up {number[0]} of {number[1]} · question {session.position + 1} "
        else:
            where = f" Question {session.position + 1} of {len(session.cards)} "
        self.query_one("#mock-clock", Static).update(
            join(
                Text(where, style="reverse"),
                Text(f"  {countdown_text(left)} left", style=style),
                Text(f"   mock: {countdown_text(session.total_left())} left", style="dim"),
            )
        )

    def time_up(self, whole_mock: bool) -> None:
        """The time ran out: store what was said or typed, then a step only Enter closes."""
        if self.spoken:
            self.app.service.end_spoken_answer(self.session)
            self._ask_ticks(timed_out=True, whole_mock=whole_mock)
            return
        self.area.flush_typed()
        text = self.area.text
        self.area.read_only = True  # nothing more lands in this box
        try:
            self.app.service.submit_mock(self.session, text, timed_out=True)
        except StoreWriteError as error:
            self.area.read_only = False
            self.app.service.save_mock_draft(self.session, text)  # in memory at least
            self._write_failed(error, "Your answer stays here; it is submitted again shortly.")
            return
        self._failing = False
        self.area.set_answer("")
        self.area.read_only = False
        kept = bool(text.strip())
        self._time_up_step(whole_mock, kept)

    def _time_up_step(self, whole_mock: bool, kept: bool) -> None:
        said = "Your answer so far is submitted." if kept else "Nothing was typed: it scores 0."
        if self.spoken:
            said = "Your ticks are stored."
        if whole_mock:
            report = self._store_report()
            if report is None:
                return
            self._waiting = True
            self.app.push_screen(
                TimeUpScreen("Time's up: the mock is over", said, "see the report"),
                lambda _: self._leave(report),
            )
            return
        self._waiting = True
        what_next = (
            "the follow-up" if self.session.current_follow_up is not None else "the next question"
        )
        if self.session.done:
            what_next = "the report"
        self.app.push_screen(
            TimeUpScreen("Time's up for this question", said, what_next),
            lambda _: self.after_answer(),
        )

    # -- answering -------------------------------------------------------------------------
    def action_submit(self) -> None:
        if self._waiting or not self.in_progress:
            return
        if self.spoken:
            self.app.service.end_spoken_answer(self.session)
            self._ask_ticks(timed_out=False, whole_mock=False)
            return
        self.area.flush_typed()
        text = self.area.text
        try:
            self.app.service.submit_mock(self.session, text, timed_out=False)
        except AnswerError as exc:
            self.notify(str(exc).capitalize() + ".", severity="warning", markup=False)
            return
        except StoreWriteError as error:
            self.app.service.save_mock_draft(self.session, text)  # in memory at least
            self._write_failed(error, "Your answer stays here; it is submitted again shortly.")
            return
        self._failing = False
        self.app.clear_notifications()  # an earlier warning would hide the feedback's end
        self.after_answer()

    def _ask_ticks(self, timed_out: bool, whole_mock: bool) -> None:
        """A spoken answer ended: the candidate ticks the points covered."""
        self._waiting = True
        follow_up = self.session.current_follow_up
        self.app.push_screen(
            SelfGradeScreen(
                self.session.points_to_tick(),
                timed_out=timed_out,
                follow_up=follow_up.prompt if follow_up else None,
            ),
            partial(self._ticked, timed_out, whole_mock),
        )

    def _ticked(self, timed_out: bool, whole_mock: bool, covered: list[str] | None) -> None:
        try:
            self.app.service.self_grade_mock(self.session, covered or [], timed_out=timed_out)
        except StoreWriteError as error:
            self._waiting = False
            self._write_failed(error, "Press ctrl+s to tick the points again.")
            return
        if whole_mock:
            self._waiting = False
            self._time_up_step(whole_mock=True, kept=True)
            return
        self.after_answer()

    def after_answer(self) -> None:
        """What follows an answer: the mock ends if its time is out, practice feedback once
        a question and its follow-ups are done, then the next question or follow-up."""
        session = self.session
        self._waiting = False
        if not session.done and session.total_left() <= 0:
            report = self._store_report()
            if report is None:
                return
            self._waiting = True
            self.app.push_screen(
                TimeUpScreen(
                    "Time's up: the mock is over", "Every answer is saved.", "see the report"
                ),
                lambda _: self._leave(report),
            )
            return
        last = session.answers[-1] if session.answers else None
        if (
            session.config.practice
            and last is not None
            and session.current_follow_up is None
            and last.outcome not in ("skipped", "not-reached")
        ):
            self._waiting = True
            self.app.push_screen(MockFeedbackScreen(last), lambda _: self.show_question())
            return
        self.show_question()

    def _write_failed(self, error: StoreWriteError, kept: str) -> None:
        if not self._failing:
            self.write_failed(error, kept)
        self._failing = True

    def action_skip(self) -> None:
        if self._waiting or not self.in_progress:
            return
        try:
            skipped: MockAnswer | FollowUpAnswer = self.app.service.skip_question(self.session)
        except StoreWriteError as error:
            self.write_failed(error, "The question was not skipped.")
            return
        what = "Follow-up" if isinstance(skipped, FollowUpAnswer) else "Question"
        self.notify(f"{what} skipped (recorded as 0).", timeout=2)
        self.area.set_answer("")
        self.after_answer()

    def action_pause(self) -> None:
        self.keep_draft()
        self.notify(
            "Mock paused, its clocks stopped: every answer so far is saved, and what you typed "
            "is kept. Press m to carry on.",
            timeout=5,
        )
        self.app.go_home()

    # -- the end ---------------------------------------------------------------------------
    def _store_report(self) -> dict | None:
        try:
            report = self.app.service.finish_mock(self.session)
        except StoreWriteError as error:
            self._write_failed(error, "Every answer is stored; the report is tried again.")
            return None
        self.in_progress = False
        if self.timer is not None:
            self.timer.stop()
        return report

    def finish(self) -> None:
        report = self._store_report()
        if report is not None:
            self._leave(report)

    def _leave(self, report: dict) -> None:
        self._waiting = False
        self.close(report)
