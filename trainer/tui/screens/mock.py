"""A running mock interview: the question, countdowns, the answer box; no feedback between
questions unless practising. Time running out submits the answer so far."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.grading.concepts import AnswerError
from trainer.study.mock import MockSession, clock_text
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea


class MockScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("ctrl+n", "skip", "Skip"),
        Binding("escape", "pause", "Pause (resume later)"),
    ]

    def __init__(self, session: MockSession):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            yield Static(id="mock-clock")
            yield Static(id="question", classes="question")
            yield AnswerArea(id="answer")
            yield Static(id="mock-feedback", classes="muted")
        yield Footer()

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
        self.query_one("#question", Static).update(literal(card.question, "bold"))
        area = self.query_one("#answer", AnswerArea)
        area.text = ""
        area.focus()
        self.tick()

    def tick(self) -> None:
        """Redraw the countdowns; submit what is typed when a limit runs out."""
        session = self.session
        if session.done:
            return
        expired = session.expired()
        if expired is not None:
            self.submit(timed_out=True, whole_mock=expired == "total")
            return
        left = session.question_left()
        style = "bold red" if left <= 30 else "bold"
        self.query_one("#mock-clock", Static).update(
            join(
                Text(f" Question {session.position + 1} of {len(session.cards)} ", style="reverse"),
                Text(f"  {clock_text(left)} left", style=style),
                Text(f"   mock: {clock_text(session.total_left())} left", style="dim"),
                literal(f"   {session.current.category}", "dim"),
            )
        )

    def action_submit(self) -> None:
        self.submit(timed_out=False)

    def submit(self, timed_out: bool, whole_mock: bool = False) -> None:
        area = self.query_one("#answer", AnswerArea)
        try:
            answer = self.session.submit(area.text, timed_out=timed_out)
        except AnswerError as exc:
            self.notify(str(exc).capitalize() + ".", severity="warning", markup=False)
            return
        if timed_out:
            self.notify(
                "Time is up: your answer so far was submitted.", severity="warning", timeout=4
            )
        feedback = self.query_one("#mock-feedback", Static)
        if self.session.config.practice:
            feedback.update(
                literal(
                    f"Last answer: {answer.score}/100. Missed: "
                    + ("; ".join(answer.missed[:3]) or "nothing")
                )
            )
        if whole_mock:
            self.finish()
        else:
            self.show_question()

    def action_skip(self) -> None:
        self.session.skip()
        self.notify("Skipped (recorded as 0).", timeout=2)
        self.show_question()

    def action_pause(self) -> None:
        self.timer.stop()
        self.notify(
            "Mock paused: every answer so far is saved; you can resume it from the home screen.",
            timeout=5,
        )
        self.app.go_home()

    def finish(self) -> None:
        from trainer.tui.screens.mock_report import MockReportScreen

        self.timer.stop()
        report = self.session.finish()
        self.app.pop_screen()
        self.app.push_screen(MockReportScreen(report))
