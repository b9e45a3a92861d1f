"""Quiz: a question, a multi-line answer box, submit to be graded."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.grading.concepts import AnswerError
from trainer.study.quiz import QuizSession
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea


class QuizScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit answer"),
        Binding("escape", "end", "End quiz"),
    ]

    def __init__(self, session: QuizSession):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            yield Static(id="quiz-progress", classes="muted")
            yield Static(id="question", classes="question")
            yield AnswerArea(id="answer")
            yield Static(
                "Type your answer as you would say it · ctrl+s submits · Escape ends the quiz",
                classes="help",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.show_card()

    def show_card(self, keep_text: str = "") -> None:
        card = self.session.current
        if card is None:
            self.finish()
            return
        self.query_one("#quiz-progress", Static).update(
            literal(
                f"Card {self.session.index + 1} of {len(self.session.cards)} · {card.id} · "
                f"{card.category}"
            )
        )
        self.query_one("#question", Static).update(literal(card.question, "bold"))
        area = self.query_one("#answer", AnswerArea)
        area.text = keep_text
        area.focus()

    def action_submit(self) -> None:
        from trainer.tui.screens.feedback import FeedbackScreen

        area = self.query_one("#answer", AnswerArea)
        try:
            answered = self.session.submit(area.text)
        except AnswerError as exc:
            self.notify(str(exc).capitalize() + ".", severity="warning", markup=False)
            return
        self.app.push_screen(FeedbackScreen(self.session, answered), self.after_feedback)

    def after_feedback(self, choice: str | None) -> None:
        if choice == "retry":
            self.show_card()
        elif choice == "end":
            self.finish()
        else:
            self.session.next()
            self.show_card()

    def action_end(self) -> None:
        self.finish()

    def finish(self) -> None:
        summary = self.session.finish()
        if summary["answered"]:
            message = join(
                Text("Quiz finished: ", style="bold"),
                literal(f"{summary['answered']} answered, average {summary['average']:.0f}/100."),
            )
            self.notify(str(message), timeout=6)
        self.app.go_home()
