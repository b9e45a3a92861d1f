"""Quiz set-up: categories, tags, how many cards, and in what order."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from trainer.study.settings import SettingsError, whole_number
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import literal
from trainer.tui.widgets.form_error import FormError

# The form's words for each setting the core checks.
LABELS = {
    "categories": "Categories",
    "tags": "Tags",
    "count": "Number of cards",
    "decks": "Decks",
}

ORDER_CHOICES = [
    ("In bank order", "bank"),
    ("Random", "random"),
    ("Weakest first (lowest latest score)", "weakest"),
]


class QuizSetupScreen(TrainerScreen[None]):
    HELP_TITLE = "Quiz set-up"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start quiz"),
        Binding("escape", "app.go_home", "Back"),
    ]

    def __init__(self, categories: tuple[str, ...] = ()):
        super().__init__()
        self.preselected = categories

    def compose(self) -> ComposeResult:
        bank = self.app.bank
        names = bank.categories()
        yield Header()
        with VerticalScroll(id="setup"):
            yield Static("Set up a quiz", classes="panel-title")
            yield Static(
                "Your first answer to each card goes to its schedule (a retry is practice). "
                "New cards quizzed do not use the flashcards' new cards of the day.",
                classes="muted",
            )
            if len(bank.decks()) > 1:
                yield Label("Decks (space toggles)")
                yield SelectionList[str](
                    *(
                        Selection(
                            literal(
                                f"{deck} ({sum(c.deck == deck for c in bank.cards.values())} cards)"
                            ),
                            deck,
                            True,
                        )
                        for deck in bank.decks()
                    ),
                    id="decks",
                )
            yield Label("Categories (space toggles)")
            yield SelectionList[str](
                *(
                    Selection(
                        literal(f"{name} ({len(bank.cards_in(name))} cards)"),
                        name,
                        not self.preselected or name in self.preselected,
                    )
                    for name in names
                    if bank.cards_in(name)
                ),
                id="categories",
            )
            yield Label("Tags (optional, comma-separated; a card needs any one)")
            yield Input(placeholder="e.g. dynamodb, kubernetes", id="tags")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label("Number of cards")
                    yield Input("5", type="integer", id="count")
                with Vertical():
                    yield Label("Order")
                    yield Select(ORDER_CHOICES, value="bank", allow_blank=False, id="order")
            yield FormError(id="setup-error")
            yield Button("Start quiz (ctrl+s)", variant="primary", id="start")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#categories").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def action_start(self) -> None:
        error = self.query_one("#setup-error", FormError)
        categories = tuple(self.query_one("#categories", SelectionList).selected)
        if not categories:
            error.show("Choose at least one category.")
            return
        decks: tuple[str, ...] = ()
        if self.query("#decks"):
            decks = tuple(self.query_one("#decks", SelectionList).selected)
            if not decks:
                error.show("Choose at least one deck.")
                return
            if len(decks) == len(self.app.bank.decks()):
                decks = ()  # all of them
        try:
            options = self.app.service.quiz_options(
                decks=decks,
                categories=categories,
                tags=self.query_one("#tags", Input).value.split(","),
                count=whole_number(self.query_one("#count", Input).value, "count"),
                order=str(self.query_one("#order", Select).value),
            )
        except SettingsError as problem:
            label = LABELS.get(problem.setting, problem.setting)
            error.show(f"{label}: {problem.problem}.")
            return
        error.clear()
        self.app.start_quiz(options)
