"""A running mock interview: the question, countdowns, the answer box; no feedback between
questions unless practising. Time running out submits the answer so far. The clocks stand still
while the screen is out of sight (another mode, the command palette, a dialog); what is typed
is kept as a draft and comes back when the mock is resumed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from trainer.grading.concepts import AnswerError
from trainer.store.db import StoreWriteError
from trainer.study.mock import MockSession, clock_text
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea


class MockScreen(TrainerScreen[dict]):
    """Dismissed with the report when the mock is over."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("ctrl+n", "skip", "Skip"),
        Binding("escape", "pause", "Pause (resume later)"),
    ]

    def __init__(self, session: MockSession):
        super().__init__()
        self.session = session
        self.in_progress = True
        self.timer: Timer | None = None
        self._failing = False  # a write failed: said once, retried quietly

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            yield Static(id="mock-clock")
            yield Static(id="question", classes="question")
            yield AnswerArea(id="answer")
            yield Static(id="mock-feedback", classes="muted")
        yield Footer()

    @property
    def area(self) -> AnswerArea:
        return self.query_one("#answer", AnswerArea)

    def on_mount(self) -> None:
        self.show_question()
        self.timer = self.set_interval(1.0, self.tick)

    def show_question(self) -> None:
        session = self.session
        if session.done:
            self.finish()
            return
        session.begin_question()
        card = session.current
        assert card is not None
        self.query_one("#question", Static).update(literal(card.question, "bold"))
        draft = self.app.service.mock_draft(session)
        self.area.set_answer(draft)
        self.area.focus()
        if draft:
            self.notify("Your draft of this answer is back.", timeout=3)
        self.tick()

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
        if self.is_mounted and self.in_progress:
            self.tick()

    # -- drafts ----------------------------------------------------------------------------
    def on_answer_area_draft_due(self, event: AnswerArea.DraftDue) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        if self.in_progress and not self.session.done:
            self.area.flush_typed()
            self.draft_kept(self.app.service.save_mock_draft(self.session, self.area.text))

    # -- the clock -------------------------------------------------------------------------
    def tick(self) -> None:
        """Redraw the countdowns; submit what is typed when a limit runs out."""
        session = self.session
        if not self.in_progress or session.paused or self.app.screen is not self:
            return
        if session.done:
            self.finish()  # a report that could not be stored before: tried again
            return
        expired = session.expired()
        if expired is not None:
            self.submit(timed_out=True, whole_mock=expired == "total")
            return
        left = session.question_left()
        style = "bold red" if left <= 30 else "bold"
        card = session.current
        assert card is not None
        self.query_one("#mock-clock", Static).update(
            join(
                Text(f" Question {session.position + 1} of {len(session.cards)} ", style="reverse"),
                Text(f"  {clock_text(left)} left", style=style),
                Text(f"   mock: {clock_text(session.total_left())} left", style="dim"),
                literal(f"   {card.category}", "dim"),
            )
        )

    # -- answering -------------------------------------------------------------------------
    def action_submit(self) -> None:
        self.submit(timed_out=False)

    def submit(self, timed_out: bool, whole_mock: bool = False) -> None:
        self.area.flush_typed()
        text = self.area.text
        try:
            answer = self.app.service.submit_mock(self.session, text, timed_out=timed_out)
        except AnswerError as exc:
            self.notify(str(exc).capitalize() + ".", severity="warning", markup=False)
            return
        except StoreWriteError as error:
            self.app.service.save_mock_draft(self.session, text)  # in memory at least
            self._write_failed(error, "Your answer stays here; it is submitted again shortly.")
            return
        self._failing = False
        if timed_out:
            self.notify(
                "Time is up: your answer so far was submitted.", severity="warning", timeout=4
            )
        if self.session.config.practice:
            self.query_one("#mock-feedback", Static).update(
                literal(
                    f"Last answer: {answer.score}/100. Missed: "
                    + ("; ".join(answer.missed[:3]) or "nothing")
                )
            )
        if whole_mock:
            self.finish()
        else:
            self.show_question()

    def _write_failed(self, error: StoreWriteError, kept: str) -> None:
        if not self._failing:
            self.write_failed(error, kept)
        self._failing = True

    def action_skip(self) -> None:
        try:
            self.app.service.skip_question(self.session)
        except StoreWriteError as error:
            self.write_failed(error, "The question was not skipped.")
            return
        self.notify("Skipped (recorded as 0).", timeout=2)
        self.show_question()

    def action_pause(self) -> None:
        self.keep_draft()
        self.notify(
            "Mock paused, its clocks stopped: every answer so far is saved, and what you typed "
            "is kept. Press m to carry on.",
            timeout=5,
        )
        self.app.go_home()

    def finish(self) -> None:
        try:
            report = self.app.service.finish_mock(self.session)
        except StoreWriteError as error:
            self._write_failed(error, "Every answer is stored; the report is tried again.")
            return
        self.in_progress = False
        if self.timer is not None:
            self.timer.stop()
        self.close(report)
