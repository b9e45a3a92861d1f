"""One card's whole story: the question, its schedule (next due date, lapses), your note, the
model answer, every rubric point with its weight and follow-up, every earlier answer with its
score and date, and its reviews. Suspend, bury until tomorrow, reset, or write your note."""

from __future__ import annotations

from datetime import date, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from trainer.store.db import StoreWriteError, local_day
from trainer.study.cards import CardDetail
from trainer.study.quiz import QuizOptions
from trainer.study.scheduler import RATINGS
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import hanging, join, literal, model_answer, plural, score_style

PRACTICE_WORDS = {"retry": "practice: a retry", "points": "practice: missed points only"}
MODE_WORDS = {"quiz": "quiz", "mock": "mock interview"}
SHOWN_ANSWERS = 20  # the newest; the export has them all


def when(stamp: str | None) -> str:
    """An ISO time in the learner's zone, "YYYY-MM-DD HH:MM"."""
    if not stamp:
        return "-"
    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


class CardScreen(TrainerScreen[None]):
    HELP_TITLE = "A card"
    BINDINGS = [
        Binding("e", "note", "Note"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("r", "reset", "Reset"),
        Binding("q", "quiz", "Quiz it"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, card_id: str):
        super().__init__()
        self.card_id = card_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="card-view"):
            yield Static(id="card-head")
            yield Static(id="card-note", classes="card")
            yield Static(id="card-model", classes="card")
            yield Static(id="card-rubric")
            yield Static(id="card-history")
        yield Footer()

    def on_mount(self) -> None:
        self.show()
        self.query_one("#card-view").focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.show()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.show()  # wrapped lines follow the width

    @property
    def text_width(self) -> int:
        """Columns for text in the card view (its padding and scroll bar left out)."""
        return max(40, self.app.size.width - 5)

    @property
    def detail(self) -> CardDetail:
        return self.app.service.card_detail(self.card_id)

    def show(self) -> None:
        detail = self.detail
        self.query_one("#card-head", Static).update(self._head(detail))
        note = self.query_one("#card-note", Static)
        note.update(
            join(
                Text("Your note ", style="bold"),
                Text("(e edits)\n", style="dim"),
                literal(detail.note),
            )
            if detail.note
            else Text(
                "No note yet: e writes one (your own words stay with the card).", style="dim italic"
            )
        )
        self.query_one("#card-model", Static).update(model_answer(detail.card))
        self.query_one("#card-rubric", Static).update(self._rubric(detail))
        self.query_one("#card-history", Static).update(self._history(detail))

    def _head(self, detail: CardDetail) -> Text:
        card, row = detail.card, detail.row
        out = join(
            literal(f"{card.id} · deck {card.deck} · {card.category}", "dim"),
            literal(f" · tags {', '.join(card.tags)}" if card.tags else "", "dim"),
            "\n",
            literal(card.question, "bold"),
            "\n\n",
            Text("Schedule  ", style="bold"),
        )
        if row.due is None:
            out.append("new: not reviewed yet")
        else:
            today = date.fromisoformat(local_day(self.app.clock()))
            due_day = date.fromisoformat(row.due_day or local_day(self.app.clock()))
            days = (due_day - today).days
            relative = (
                "today"
                if days == 0
                else f"in {plural(days, 'day')}"
                if days > 0
                else f"{plural(-days, 'day')} overdue"
            )
            out.append_text(
                literal(
                    f"{row.state} · next due {when(row.due)} ({relative}) · {row.reviews} "
                    f"review{'s' if row.reviews != 1 else ''} · {row.lapses} "
                    f"lapse{'s' if row.lapses != 1 else ''}"
                )
            )
        if row.suspended:
            out.append("  SUSPENDED (s resumes)", style="bold yellow")
        if row.buried_until:
            out.append(f"  BURIED until {when(row.buried_until)}", style="bold yellow")
        if row.leech:
            out.append("  LEECH", style="bold red")
        out.append("\nScores    ", style="bold")
        if row.attempts:
            out.append_text(
                join(
                    Text(f"last {row.last_score}", style=score_style(row.last_score or 0)),
                    literal(
                        f" · best {row.best_score} · average {row.average_score:.0f} over "
                        f"{row.attempts} answer{'s' if row.attempts != 1 else ''}"
                    ),
                )
            )
        else:
            out.append("no answers yet (q quizzes it)")
        last = detail.last_answer
        if last is not None:
            out.append("\n")
            out.append_text(
                hanging(
                    Text("Last      ", style="bold"),
                    f"{when(last.when)} · {MODE_WORDS.get(last.mode, last.mode)} · "
                    f"{last.score}/100: {' '.join(last.answer.split()) or '(nothing typed)'}",
                    self.text_width,
                )
            )
            out.append("          every answer is further down (End)", style="dim")
        return out

    def _rubric(self, detail: CardDetail) -> Text:
        card = detail.card
        out = Text()
        if card.rubric:
            out.append("What an interviewer listens for ", style="bold")
            out.append("(● weight 1-3; follow-up: asked when it is missed)\n", style="dim")
            width = self.text_width
            for point in card.rubric:
                out.append_text(
                    hanging(Text(f" {'●' * point.weight:<3} ", style="cyan"), point.text, width)
                )
                if point.follow_up:
                    out.append_text(
                        hanging("     follow-up: ", point.follow_up, width, "dim italic")
                    )
        else:
            out.append(
                "No rubric: answers are graded on points taken from the model answer.\n",
                style="dim",
            )
        if card.red_flags:
            out.append("Red flags ", style="bold red")
            out.append("(each one stated costs 25)\n", style="dim")
            for flag in card.red_flags:
                out.append_text(hanging(Text(" ! ", style="red"), flag.claim, self.text_width))
        return out

    def _history(self, detail: CardDetail) -> Text:
        out = Text("Your answers ", style="bold")
        if not detail.answers:
            out.append("(none yet)\n", style="dim")
        else:
            out.append(f"({len(detail.answers)}, newest first)\n", style="dim")
        for entry in detail.answers[:SHOWN_ANSWERS]:
            out.append_text(
                join(
                    literal(f" {when(entry.when)}  {MODE_WORDS.get(entry.mode, entry.mode):<14} "),
                    Text(f"{entry.score:>3}/100", style=score_style(entry.score)),
                )
            )
            if entry.practice:
                out.append(f"  {PRACTICE_WORDS.get(entry.practice, 'practice')}", style="italic")
            if entry.rating_name:
                out.append(f"  rated {entry.rating_name}", style="dim")
            out.append("\n")
            width = self.text_width
            out.append_text(
                hanging("   ", entry.answer.strip() or "(nothing typed)", width, "italic")
            )
            if entry is detail.answers[0]:  # the last answer in full; older ones in brief
                for point in entry.missed:
                    out.append_text(hanging(Text("   ✗ ", style="yellow"), point, width, "dim"))
                for flag in entry.red_flags:
                    out.append_text(hanging(Text("   ! ", style="red"), flag, width, "dim"))
            elif entry.missed or entry.red_flags:
                out.append_text(
                    literal(
                        f"   {len(entry.missed)} point(s) missed"
                        + (f", {len(entry.red_flags)} red flag(s)" if entry.red_flags else "")
                        + "\n",
                        "dim",
                    )
                )
        if len(detail.answers) > SHOWN_ANSWERS:
            out.append(
                f" ... and {len(detail.answers) - SHOWN_ANSWERS} older (sre-trainer export has "
                "them all)\n",
                style="dim",
            )
        out.append("\nReviews ", style="bold")
        if not detail.reviews:
            out.append("(none yet)\n", style="dim")
        else:
            out.append("(newest first)\n", style="dim")
            for review in detail.reviews[:SHOWN_ANSWERS]:
                out.append_text(
                    literal(
                        f" {when(review['reviewed_at'])}  {RATINGS.get(review['rating'], '?'):<5}"
                        f"  {review['mode'] or ''}\n"
                    )
                )
        return out

    # -- actions ---------------------------------------------------------------------------
    def _act(self, action, done: str) -> None:
        try:
            action()
        except StoreWriteError as error:
            self.write_failed(error)
            return
        self.notify(done, timeout=3, markup=False)
        self.show()

    def action_suspend(self) -> None:
        suspended = self.detail.row.suspended
        self._act(
            lambda: self.app.service.suspend_card(self.card_id, not suspended),
            f"{self.card_id} "
            + ("back in the queues." if suspended else "suspended: out of every queue and quiz."),
        )

    def action_bury(self) -> None:
        if self.detail.row.buried_until:
            self._act(
                lambda: self.app.service.unbury_card(self.card_id),
                f"{self.card_id} unburied.",
            )
        else:
            self._act(
                lambda: self.app.service.bury_card(self.card_id),
                f"{self.card_id} buried: out of the flashcards until tomorrow.",
            )

    def action_reset(self) -> None:
        from trainer.tui.screens.confirm import ConfirmScreen

        def chosen(yes: bool | None) -> None:
            if yes:
                self._act(
                    lambda: self.app.service.reset_card(self.card_id),
                    f"{self.card_id} is new again (its answers and reviews are kept).",
                )

        self.app.push_screen(
            ConfirmScreen(
                f"Reset {self.card_id}? Its schedule is forgotten and it comes back as a new "
                "card; your answers and reviews stay in its history."
            ),
            chosen,
        )

    def action_note(self) -> None:
        from trainer.tui.screens.card_note import CardNoteScreen

        def saved(text: str | None) -> None:
            if text is None:
                return
            try:
                kept = self.app.service.save_card_note(self.card_id, text)
            except StoreWriteError as error:
                self.write_failed(error, "Press e to try again.")
                return
            except ValueError as error:
                self.notify(str(error).capitalize() + ".", severity="warning", markup=False)
                return
            self.notify("Note saved." if kept else "Note deleted.", timeout=3)
            self.show()

        self.app.push_screen(CardNoteScreen(self.card_id, self.detail.note), saved)

    def action_quiz(self) -> None:
        self.app.start_quiz(QuizOptions(card_ids=(self.card_id,), count=1))
