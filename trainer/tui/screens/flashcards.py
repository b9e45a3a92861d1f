"""Flashcards: question, flip, model answer with its rubric points, rate 1-4, undo; o limits
the session to some decks, categories or tags."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from trainer.content.models import Card
from trainer.store.db import StoreWriteError
from trainer.study.cards import CardFilter
from trainer.study.flashcards import FlashcardSession
from trainer.study.scheduler import LEECH_LAPSES, RATINGS, describe_interval
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import hanging, join, literal, model_answer


class FlashcardScreen(TrainerScreen[None]):
    """The first screen of the Flashcards and Cram modes: one session from open to Escape."""

    HELP_TITLE = "Flashcards and cram"
    BINDINGS = [
        Binding("space", "flip", "Show answer"),
        *(Binding(str(r), f"rate({r})", f"Rate {name}", show=False) for r, name in RATINGS.items()),
        Binding("u", "undo", "Undo"),
        Binding("o", "scope", "Choose cards"),
        Binding("escape", "end", "End"),
    ]

    def __init__(
        self,
        cram: bool = False,
        card_ids: list[str] | None = None,
        scope: CardFilter | None = None,
    ):
        super().__init__()
        self.cram = cram
        self.card_ids = card_ids
        self.scope = scope
        self._session: FlashcardSession | None = None

    @property
    def session(self) -> FlashcardSession:
        assert self._session is not None, "started on mount"
        return self._session

    @property
    def in_progress(self) -> bool:
        return self._session is not None and bool(self._session.history)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="flash-progress", classes="muted")
        with VerticalScroll(id="flashcard"):
            yield Static(id="front", classes="question")
            yield Static(id="back", classes="card")
        yield Static(id="flash-keys", classes="rating")
        yield Footer()

    def on_mount(self) -> None:
        try:
            self._session = self.app.service.start_flashcards(
                self.cram, self.card_ids, scope=self.scope
            )
        except StoreWriteError as error:
            self.write_failed(error, "Flashcards need the progress file.")
            self.app.restart_mode(self.mode_id)
            return
        self.show()

    @property
    def mode_id(self) -> str:
        return "cram" if self.cram else "flashcards"

    def show(self) -> None:
        session = self.session
        card = session.current
        back = self.query_one("#back", Static)
        keys = self.query_one("#flash-keys", Static)
        mode = "Cram (schedule untouched)" if session.cram else "Flashcards"
        if self.scope is not None and self.scope.describe():
            mode += f" · {self.scope.describe()}"
        if card is None:
            self.query_one("#flash-progress", Static).update(literal(f"{mode} · done"))
            self.query_one("#front", Static).update(self._empty_message())
            back.display = False
            keys.update(
                Text("Escape: back home · u: undo the last rating · o: other cards", style="dim")
            )
            return
        row = self.app.store.schedule_row(card.id)
        leech = row is not None and row["lapses"] >= LEECH_LAPSES
        if row is None:
            status = "new"
        else:
            due = datetime.fromisoformat(row["due"]).astimezone()
            status = f"due {due:%Y-%m-%d %H:%M}"
        self.query_one("#flash-progress", Static).update(
            literal(
                f"{mode} · {session.remaining} left · {card.id} · {card.category} · "
                f"{status}{' · LEECH' if leech else ''}"
            )
        )
        self.query_one("#front", Static).update(literal(card.question, "bold"))
        back.display = session.flipped
        if session.flipped:
            back.update(self._back(card))
            keys.update(self._rating_keys())
        else:
            keys.update(Text("Say or think your answer, then space to flip", style="dim"))
        self.query_one("#flashcard").scroll_home(animate=False)

    def _empty_message(self) -> Text:
        if self.session.history:
            head = f"Session done: {len(self.session.history)} card(s) rated.\n\n"
        elif self.cram:
            head = "No cards to cram with this choice.\n\n"
        else:
            head = "Nothing is due right now, and today's new cards are used up.\n\n"
        scheduler = self.app.scheduler
        return join(
            Text(head, style="bold"),
            literal(
                f"New cards: {scheduler.new_left_today()} of {scheduler.new_per_day} a day left "
                "(only flashcards use them up; a quiz does not). Come back later for due "
                "reviews, raise the new-card limit with + on the home screen, press o to choose "
                "other cards, or Escape and c to cram any cards without touching the schedule."
            ),
        )

    def _back(self, card: Card) -> Text:
        out = model_answer(card)
        if card.rubric:
            out.append("\n\nWhat an interviewer listens for\n", style="bold")
            for point in card.rubric:
                out.append_text(
                    hanging(
                        Text(f"  {'●' * point.weight:<3} ", style="cyan"),
                        point.text,
                        self.app.size.width - 7,
                    )
                )
        return out

    def _rating_keys(self) -> Text:
        intervals = self.session.intervals()
        row = Text()
        for rating, name in RATINGS.items():
            after = f" {describe_interval(intervals[rating])}" if intervals else ""
            row.append(f" {rating} {name}{after} ", style="bold reverse")
            row.append(" ")
        if self.session.cram:
            row.append("(Again comes back)", style="dim")
        return row

    def action_flip(self) -> None:
        if self.session.current is not None:
            self.session.flip()
            self.show()

    def action_rate(self, rating: int) -> None:
        if self.session.current is None:
            return
        if not self.session.flipped:
            self.notify(
                "Flip the card first (space): rate after you've seen the answer.",
                severity="warning",
                timeout=3,
            )
            return
        try:
            self.app.service.rate_card(self.session, rating)
        except StoreWriteError as error:
            self.write_failed(error, "The card is still here: rate it again.")
            return
        self.show()

    def action_undo(self) -> None:
        if not self.session.can_undo:
            self.notify("Nothing to undo in this session.", timeout=2)
            return
        try:
            card = self.app.service.undo_rating(self.session)
        except StoreWriteError as error:
            self.write_failed(error, "Nothing was undone.")
            return
        self.notify(
            f"Undid the rating of {card.id}: rate it again." if card else "Undone.",
            timeout=3,
            markup=False,
        )
        self.show()

    def action_scope(self) -> None:
        from trainer.tui.screens.card_scope import CardScopeScreen

        self.app.push_screen(
            CardScopeScreen(self.scope or CardFilter(), cram=self.cram), self._scope_chosen
        )

    def _scope_chosen(self, scope: CardFilter | None) -> None:
        if scope is None:
            return
        try:
            self.app.service.finish_flashcards(self.session)
        except StoreWriteError as error:
            self.write_failed(error, "Every rating was already stored.")
        self.scope, self.card_ids = scope, None
        try:
            self._session = self.app.service.start_flashcards(self.cram, scope=scope)
        except StoreWriteError as error:
            self.write_failed(error, "Flashcards need the progress file.")
            self.app.restart_mode(self.mode_id)
            return
        self.show()

    def action_end(self) -> None:
        try:
            self.app.service.finish_flashcards(self.session)
        except StoreWriteError as error:
            self.write_failed(error, "Every rating was already stored.")
        self.app.restart_mode(self.mode_id)
