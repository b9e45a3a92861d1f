"""Quiz feedback: the score, the answer with what matched, what was missed, the model answer,
and the rating that goes to the card's schedule (suggested from the score, changeable)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from trainer.store.db import StoreWriteError
from trainer.study.quiz import Answered, QuizSession
from trainer.study.scheduler import RATINGS, describe_interval
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import (
    answer_legend,
    bar,
    hanging,
    highlighted_answer,
    join,
    literal,
    model_answer,
    score_style,
)


class FeedbackScreen(TrainerScreen[str]):
    HELP_TITLE = "Quiz feedback"
    BINDINGS = [
        Binding("n,enter", "leave('next')", "Next"),
        Binding("r", "leave('retry')", "Retry"),
        Binding("escape", "leave('end')", "End quiz"),
        *(Binding(str(r), f"rate({r})", f"Rate {name}", show=False) for r, name in RATINGS.items()),
    ]

    def __init__(self, session: QuizSession, answered: Answered):
        super().__init__()
        self.session = session
        self.answered = answered
        self.rating = answered.rating

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="feedback"):
            yield Static(self._score(), id="score")
            yield Static(self._answer(), id="your-answer", classes="card")
            yield Static(self._points(), id="points")
            yield Static(self._model(), id="model", classes="card")
        yield Static(id="rating", classes="rating")
        yield Footer()

    def on_mount(self) -> None:
        self._show_rating()
        self.query_one("#feedback").focus()

    def _score(self) -> Text:
        result = self.answered.result
        card = self.answered.card
        practice = {"retry": " · retry (practice)", "points": " · missed points only"}
        return join(
            Text(f"{result.score:>3}/100 ", style=score_style(result.score)),
            bar(result.score / 100, style=score_style(result.score)),
            literal(
                f"   {card.id} · {len(result.matched)} of {len(result.points)} points credited"
                f"{practice.get(self.answered.practice or '', '')}"
            ),
            Text("\n"),
            literal(card.question, "bold"),
        )

    def _answer(self) -> Text:
        result = self.answered.result
        matched = [p.span for p in result.matched if p.span]
        flagged = [f.span for f in result.red_flags]
        return join(
            Text("Your answer ", style="bold"),
            Text(answer_legend(self.app.no_color) + "\n", style="dim"),
            highlighted_answer(self.answered.answer, matched, flagged),
        )

    def _points(self) -> Text:
        result = self.answered.result
        out = Text()
        # Notes of "you argued ..." are shown by the lists below, point by point.
        for note in result.notes:
            if not note.startswith("You argued"):
                out.append_text(
                    hanging(Text("ⓘ ", style="italic"), note, self.app.size.width - 5, "italic")
                )
        full = [p for p in result.points if p.status == "full"]
        partial = [p for p in result.points if p.status == "partial"]
        against = [p for p in result.points if p.status == "argued-against"]
        missed = [p for p in result.points if p.status == "missed"]
        if full:
            out.append("Covered\n", style="bold green")
            for point in full:
                out.append_text(
                    hanging(Text("  ✓ ", style="green"), point.text, self.app.size.width - 5)
                )
        if partial:
            out.append("Part credit: named, not explained, or only the gist\n", style="bold yellow")
            for point in partial:
                out.append_text(self._point_line("  ◐ ", "yellow", point))
        if against:
            out.append("You argued against\n", style="bold red")
            for point in against:
                out.append_text(self._point_line("  ⊘ ", "red", point))
        if missed:
            out.append("Missed\n", style="bold yellow")
            for point in missed:
                out.append_text(self._point_line("  ✗ ", "yellow", point))
        if result.red_flags:
            out.append("Red flags\n", style="bold red")
            for flag in result.red_flags:
                out.append_text(
                    hanging(Text("  ! ", style="red"), flag.claim, self.app.size.width - 5)
                )
        return out

    def _point_line(self, mark: str, style: str, point) -> Text:
        return hanging(
            Text(mark, style=style), f"{point.text} {'●' * point.weight}", self.app.size.width - 5
        )

    def _model(self) -> Text:
        card = self.answered.card
        out = model_answer(card)
        return out

    def _show_rating(self) -> None:
        if not self.answered.scheduled:
            why = (
                "graded on the missed points only"
                if self.answered.practice == "points"
                else "a retry: your first answer to this card is the one that counts"
            )
            self.query_one("#rating", Static).update(
                join(
                    Text("Practice ", style="bold"),
                    literal(f"({why}): not scheduled, not in your average."),
                )
            )
            return
        intervals = self.app.scheduler.preview(self.answered.card.id)
        row = Text("Rating, from your score (1-4 changes it):\n", style="bold")
        for rating, name in RATINGS.items():
            label = f" {rating} {name} {describe_interval(intervals[rating])} "
            row.append(label, style="bold reverse" if rating == self.rating else "")
            row.append(" ")
        self.query_one("#rating", Static).update(row)

    def action_rate(self, rating: int) -> None:
        if not self.answered.scheduled:
            return
        self.rating = rating
        self._show_rating()

    def action_leave(self, choice: str) -> None:
        try:
            self.app.service.rate_answer(self.session, self.answered, self.rating)
        except StoreWriteError as error:
            self.write_failed(error, "Your answer is stored; the rating is not: press again.")
            return
        self.close(choice)
