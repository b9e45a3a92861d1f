"""The card browser: search the cards by words of their text, filter by deck, category, tag,
due state or leech, and open one (Enter) to see its whole story."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from trainer.store.db import local_day
from trainer.study.cards import CardFilter, CardRow
from trainer.study.quiz import tags_of
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import literal, score_style

DUE_CHOICES = [
    ("Any state", "any"),
    ("Due today", "due"),
    ("Due this week", "week"),
    ("New", "new"),
    ("Learned", "learned"),
    ("Leeches", "leech"),
    ("Suspended", "suspended"),
    ("Buried", "buried"),
]
QUESTION_WIDTH = 200  # cut here; the table's last column takes what the screen leaves


class CardBrowserScreen(TrainerScreen[None]):
    """The first screen of the Card browser mode."""

    HELP_TITLE = "Card browser"
    HELP_KEYS = (
        ("⏎", "open the highlighted card"),
        ("tab", "from the search box to the filters and the list"),
    )
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("escape", "back", "Home"),
    ]

    def __init__(self, text: str = "", due: str = "any"):
        super().__init__()
        self.initial_text = text
        self.initial_due = due
        self.rows: list[CardRow] = []

    def compose(self) -> ComposeResult:
        bank = self.app.bank
        names = bank.categories()
        yield Header()
        with Vertical(id="browser"):
            yield Input(
                self.initial_text,
                placeholder="Search: words of the question, answer, tags or your note",
                id="search",
            )
            with Horizontal(id="card-filters"):
                yield Select(
                    [("All decks", ""), *((literal(d), d) for d in bank.decks())],
                    value="",
                    allow_blank=False,
                    id="deck",
                )
                yield Select(
                    [("Any category", ""), *((literal(n), n) for n in names if bank.cards_in(n))],
                    value="",
                    allow_blank=False,
                    id="category",
                )
                yield Select(
                    [("All tags", ""), *((literal(t), t) for t in tags_of(bank.cards.values()))],
                    value="",
                    allow_blank=False,
                    id="tag",
                )
                yield Select(DUE_CHOICES, value=self.initial_due, allow_blank=False, id="due")
            yield Static(id="browse-status", classes="muted")
            yield DataTable(id="card-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#card-table", DataTable)
        # Fixed widths: auto widths are measured after the first paint, which shows them cut.
        # The id column fits the longest id up to a third of the screen; the question the rest.
        longest = max((len(card_id) for card_id in self.app.bank.cards), default=6)
        id_width = max(6, min(longest, self.app.size.width // 3))
        for label, width in (("card", id_width), ("due", 11), ("last", 4), ("lapses", 6)):
            table.add_column(label, width=width)
        fixed = id_width + 21
        table.add_column("question", width=max(20, self.app.size.width - 4 - fixed - 10))
        self.refresh_rows()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_rows()  # a card suspended, reset or noted meanwhile

    @property
    def card_filter(self) -> CardFilter:
        def chosen(widget_id: str) -> str:
            value = self.query_one(f"#{widget_id}", Select).value
            return value if isinstance(value, str) else ""

        due = chosen("due") or "any"
        return CardFilter(
            text=self.query_one("#search", Input).value,
            decks=(chosen("deck"),) if chosen("deck") else (),
            categories=(chosen("category"),) if chosen("category") else (),
            tags=(chosen("tag"),) if chosen("tag") else (),
            due="any" if due == "leech" else due,
            leech=due == "leech",
        )

    def refresh_rows(self) -> None:
        card_filter = self.card_filter
        self.rows = self.app.service.browse_cards(card_filter)
        table = self.query_one("#card-table", DataTable)
        highlighted = table.cursor_row
        table.clear()
        today = date.fromisoformat(local_day(self.app.clock()))
        for row in self.rows:
            table.add_row(
                literal(row.id),
                _due_text(row, today),
                Text(f"{row.last_score:>3}", style=score_style(row.last_score))
                if row.last_score is not None
                else Text("  -", style="dim"),
                Text(f"{row.lapses:>6}", style="bold red" if row.leech else "dim"),
                literal(_one_line(row.question)[:QUESTION_WIDTH]),
                key=row.id,
            )
        if self.rows:
            table.move_cursor(row=min(highlighted, len(self.rows) - 1))
        described = card_filter.describe()
        status = f"{len(self.rows)} of {len(self.app.bank.cards)} cards"
        status += f" · {described}" if described else ""
        status += " · Enter opens a card" if self.rows else " · no card matches: widen the filter"
        self.query_one("#browse-status", Static).update(literal(status))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#card-table", DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.is_mounted:
            self.refresh_rows()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.open_card(event.row_key.value)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.query_one("#card-table", DataTable).focus()
        else:
            self.app.go_home()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _due_text(row: CardRow, today: date) -> Text:
    if row.suspended:
        return Text("suspended", style="dim")
    if row.buried_until:
        return Text("buried", style="dim")
    if row.due_day is None:
        return Text("new", style="italic")
    days = (date.fromisoformat(row.due_day) - today).days
    if days <= 0:
        return Text("due" if days == 0 else f"due {-days}d ago", style="bold")
    return Text(f"in {days}d")
