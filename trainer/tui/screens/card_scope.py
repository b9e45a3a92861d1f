"""Which cards the flashcards (or cram) take: some decks, categories or tags (default: all)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from trainer.study.cards import CardFilter
from trainer.study.quiz import tags_of
from trainer.tui.screens.base import TrainerModal
from trainer.tui.text import literal
from trainer.tui.widgets.form_error import FormError


class CardScopeScreen(TrainerModal[CardFilter | None]):
    """Dismissed with the chosen scope, or None (Escape: nothing changes)."""

    HELP_TITLE = "Choose cards"
    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, scope: CardFilter, cram: bool = False):
        super().__init__()
        self.scope = scope
        self.cram = cram

    def compose(self) -> ComposeResult:
        bank = self.app.bank
        names = [n for n in bank.categories() if bank.cards_in(n)]
        with Vertical(classes="dialog scope-dialog"):
            yield Static(
                literal(
                    f"Which cards should {'cram' if self.cram else 'the flashcards'} take? Space "
                    "toggles; ctrl+s applies (a new session), Escape cancels."
                ),
                classes="muted",
            )
            yield Label("Decks")
            yield SelectionList[str](
                *(
                    Selection(
                        literal(f"{deck} ({sum(c.deck == deck for c in bank.cards.values())})"),
                        deck,
                        not self.scope.decks or deck in self.scope.decks,
                    )
                    for deck in bank.decks()
                ),
                id="scope-decks",
            )
            yield Label("Categories")
            yield SelectionList[str](
                *(
                    Selection(
                        literal(f"{name} ({len(bank.cards_in(name))})"),
                        name,
                        not self.scope.categories or name in self.scope.categories,
                    )
                    for name in names
                ),
                id="scope-categories",
            )
            yield Label("Tags (comma-separated; a card needs one; blank: any)")
            yield Input(", ".join(self.scope.tags), placeholder="e.g. dynamodb", id="scope-tags")
            yield FormError(id="scope-error")

    def on_mount(self) -> None:
        self.query_one("#scope-decks").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        bank = self.app.bank
        decks = tuple(self.query_one("#scope-decks", SelectionList).selected)
        categories = tuple(self.query_one("#scope-categories", SelectionList).selected)
        tags = tuple(
            t.strip().lower() for t in self.query_one("#scope-tags", Input).value.split(",")
        )
        tags = tuple(t for t in tags if t)
        error = self.query_one("#scope-error", FormError)
        if not decks or not categories:
            error.show("Choose at least one deck and one category.")
            return
        unknown = [t for t in tags if t not in tags_of(bank.cards.values())]
        if unknown:
            error.show(f"Unknown tag {unknown[0]!r}.")
            return
        all_decks = len(decks) == len(bank.decks())
        all_categories = len(categories) == len({c.category for c in bank.cards.values()})
        self.dismiss(
            CardFilter(
                decks=() if all_decks else decks,
                categories=() if all_categories else categories,
                tags=tags,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
