"""Quiz: a question, a multi-line answer box, submit to be graded. What is typed is kept as a
draft (a second after the last key) and comes back with the card; Escape asks before leaving
typed text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from trainer.grading.concepts import AnswerError
from trainer.store.db import StoreWriteError
from trainer.study.quiz import QuizSession
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.screens.confirm_leave import Choice, ConfirmLeaveScreen
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea


class QuizScreen(TrainerScreen[None]):
    HELP_TITLE = "Quiz"
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("escape", "end", "End quiz"),
    ]

    def __init__(self, session: QuizSession, return_mode: str = "home"):
        super().__init__()
        self.session = session
        self.return_mode = return_mode  # shown when the quiz ends
        self.in_progress = True

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            yield Static(id="quiz-progress", classes="muted")
            yield Static(id="question", classes="question")
            yield Static(id="quiz-focus")
            yield AnswerArea(id="answer")
            yield Static(
                "Type your answer as you would say it · ctrl+s submits · Escape ends the quiz",
                classes="help",
            )
        yield Footer()

    @property
    def area(self) -> AnswerArea:
        return self.query_one("#answer", AnswerArea)

    def on_mount(self) -> None:
        self.show_card()

    def show_card(self, keep_text: str | None = None) -> None:
        card = self.session.current
        if card is None:
            self.finish()
            return
        kind = ""
        if self.session.focus.get(card.id):
            kind = " · missed points: practice"
        elif self.session.retrying:
            kind = " · retry: practice, not scheduled"
        self.query_one("#quiz-progress", Static).update(
            literal(
                f"Card {self.session.index + 1} of {len(self.session.cards)} · {card.id} · "
                f"{card.category}{kind}"
            )
        )
        self.query_one("#question", Static).update(literal(card.question, "bold"))
        focus = self.query_one("#quiz-focus", Static)
        points = self.session.focus.get(card.id, ())
        focus.display = bool(points)
        if points:
            text = Text("Graded on the points you missed most:\n", style="bold")
            for point in points:
                text.append_text(join(Text("  ✗ ", style="yellow"), literal(point), "\n"))
            focus.update(text)
        draft = self.app.service.quiz_draft(self.session) if keep_text is None else keep_text
        self.area.set_answer(draft)
        self.area.focus()
        if draft and keep_text is None:
            self.notify("Your draft of this answer is back.", timeout=3)

    # -- drafts ----------------------------------------------------------------------------
    def on_answer_area_draft_due(self, event: AnswerArea.DraftDue) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        if self.in_progress and self.session.submitted is None:
            self.area.flush_typed()
            self.draft_kept(self.app.service.save_quiz_draft(self.session, self.area.text))

    def on_screen_suspend(self) -> None:
        self.keep_draft()  # another mode is shown: what is typed is on disk meanwhile

    # -- answering -------------------------------------------------------------------------
    def action_submit(self) -> None:
        from trainer.tui.screens.feedback import FeedbackScreen

        self.area.flush_typed()
        text = self.area.text
        try:
            answered = self.app.service.submit_answer(self.session, text)
        except AnswerError as exc:
            self.notify(str(exc).capitalize() + ".", severity="warning", markup=False)
            return
        except StoreWriteError as error:
            self.app.service.save_quiz_draft(self.session, text)  # in memory at least
            self.write_failed(error, "Your answer stays here: ctrl+s tries again.")
            return
        self.app.clear_notifications()  # hints for typing (the retry's) would hide the feedback
        self.app.push_screen(FeedbackScreen(self.session, answered), self.after_feedback)

    def after_feedback(self, choice: str | None) -> None:
        if choice == "retry":
            self.app.service.retry_card(self.session)
            self.show_card(keep_text=self.session.previous_answer())
            self.notify(
                "Your answer is back to improve · F7 selects it all to start afresh.", timeout=5
            )
        elif choice == "end":
            self.finish()
        else:
            self.app.service.next_card(self.session)
            self.show_card()

    # -- leaving ---------------------------------------------------------------------------
    def action_end(self) -> None:
        self.area.flush_typed()
        if not self.area.text.strip() or self.session.submitted is not None:
            self.finish()
            return
        self.app.push_screen(ConfirmLeaveScreen("your answer", "ends the quiz"), self._leave_chosen)

    def _leave_chosen(self, choice: Choice | None) -> None:
        if choice == "keep":
            self.keep_draft()
        elif choice == "discard":
            self.app.service.discard_quiz_draft(self.session)
        else:
            return
        self.finish()

    def finish(self) -> None:
        self.in_progress = False
        try:
            summary = self.app.service.finish_quiz(self.session)
        except StoreWriteError as error:
            self.write_failed(error, "Every answer was already stored.")
            summary = self.session.summary()
        parts = []
        if summary["answered"]:
            parts.append(f"{summary['answered']} answered, average {summary['average']:.0f}/100")
        if summary.get("practice"):
            parts.append(
                f"{summary['practice']} practice, average {summary['practice_average']:.0f}"
            )
        if parts:
            self.notify(f"Quiz finished: {'; '.join(parts)}.", timeout=6, markup=False)
        self.close()
        if self.return_mode == "home":
            self.app.go_home()
        else:
            self.app.open_mode(self.return_mode)
