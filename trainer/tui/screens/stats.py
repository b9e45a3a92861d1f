"""Stats: activity and scores over time, mastery per category, the study calendar, streak,
the most-missed rubric points (with a key to quiz them) and leeches."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from trainer.store.db import local_day
from trainer.study.progress import Progress, compute
from trainer.study.quiz import QuizOptions
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import bar, join, literal, score_style
from trainer.tui.widgets.heatmap import heatmap

CHART_DAYS = 30


class StatsScreen(TrainerScreen[None]):
    """The first screen of the Stats mode: computed afresh each time it is shown."""

    BINDINGS = [
        Binding("w", "quiz_missed", "Quiz most-missed"),
        Binding("escape", "app.go_home", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(id="totals")
            with Horizontal(id="charts"):
                with Vertical(classes="chart"):
                    yield Static(f"Answers per day (last {CHART_DAYS} days)", classes="muted")
                    yield Sparkline([], id="attempts-chart")
                with Vertical(classes="chart"):
                    yield Static("Average score per day", classes="muted")
                    yield Sparkline([], id="score-chart")
            yield Static(id="mastery")
            yield Static(id="calendar")
            yield Static("Most-missed rubric points (w quizzes their cards)", classes="muted")
            yield DataTable(id="missed", cursor_type="row", zebra_stripes=True)
            yield Static(id="scenario-results")
            yield Static(id="leeches")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_progress()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_progress()

    def refresh_progress(self) -> None:
        self.progress = compute(self.app.store, self.app.bank, self.app.clock)
        self.render_progress(self.progress)

    def render_progress(self, progress: Progress) -> None:
        today = date.fromisoformat(local_day(self.app.clock()))
        average = f"{progress.average:.0f}" if progress.average is not None else "-"
        self.query_one("#totals", Static).update(
            join(
                Text("Progress  ", style="bold"),
                literal(
                    f"{progress.attempts} answer{'s' if progress.attempts != 1 else ''} · "
                    f"{progress.reviews} review{'s' if progress.reviews != 1 else ''} · average "
                    f"{average}/100 · {progress.study_days} study day"
                    f"{'s' if progress.study_days != 1 else ''} · streak "
                    f"{progress.streak} day{'s' if progress.streak != 1 else ''}"
                ),
                Text(
                    "\nNo answers yet: start a quiz (q on the home screen)."
                    if not progress.attempts
                    else "",
                    style="italic",
                ),
            )
        )
        by_day = {d.day: d for d in progress.days}
        window = [(today - timedelta(days=n)).isoformat() for n in range(CHART_DAYS - 1, -1, -1)]
        self.query_one("#attempts-chart", Sparkline).data = [
            by_day[d].attempts if d in by_day else 0 for d in window
        ]
        self.query_one("#score-chart", Sparkline).data = [
            (by_day[d].average or 0) if d in by_day else 0 for d in window
        ]

        mastery = Text("Mastery by category ", style="bold")
        mastery.append("(latest score per card; unseen cards count 0)\n", style="dim")
        for cat in progress.categories:
            mastery.append_text(
                join(
                    literal(f"{cat.category:<26} "),
                    bar(cat.mastery / 100, 20, score_style(cat.mastery)),
                    literal(f" {cat.mastery:5.1f}%  {cat.attempted}/{cat.cards} seen\n"),
                )
            )
        self.query_one("#mastery", Static).update(mastery)

        activity = {d.day: d.attempts + d.reviews + d.scenarios for d in progress.days}
        self.query_one("#calendar", Static).update(
            join(Text("Study calendar\n", style="bold"), heatmap(activity, today))
        )

        table = self.query_one("#missed", DataTable)
        table.clear(columns=True)
        table.add_columns("missed", "seen", "card", "point")
        for item in progress.most_missed:
            table.add_row(
                str(item.missed), str(item.seen), literal(item.card_id), literal(item.point)
            )
        if not progress.most_missed:
            table.add_row("-", "-", "-", literal("nothing missed yet"))

        results = Text()
        if progress.scenarios:
            results.append("Scenarios ", style="bold")
            results.append("(best score, times played)\n", style="dim")
            for scenario_id, (best, played) in sorted(progress.scenarios.items()):
                results.append_text(
                    join(
                        Text(f"{best:>4}/100 ", style=score_style(best)),
                        literal(f" x{played}  {scenario_id}\n"),
                    )
                )
        if progress.drills:
            results.append("\nQuery drills ", style="bold")
            results.append("(attempts, average score)\n", style="dim")
            for kind, (count, drill_average) in progress.drills.items():
                results.append_text(
                    join(
                        Text(f"{drill_average:>5.0f}/100 ", style=score_style(drill_average)),
                        literal(f" x{count}  {kind}\n"),
                    )
                )
        self.query_one("#scenario-results", Static).update(results)

        leeches = Text()
        if progress.leeches:
            leeches.append("Leeches ", style="bold red")
            leeches.append("(forgotten again and again: rewrite them in your own words)\n")
            for card_id, lapses in progress.leeches:
                card = self.app.bank.cards.get(card_id)
                leeches.append_text(
                    literal(f"  {card_id} ({lapses} lapses) {card.question if card else ''}\n")
                )
        self.query_one("#leeches", Static).update(leeches)

    def action_quiz_missed(self) -> None:
        cards = list(dict.fromkeys(item.card_id for item in self.progress.most_missed))
        cards = [c for c in cards if c in self.app.bank.cards]
        if not cards:
            self.notify("No missed points yet: answer a few quiz cards first.", timeout=3)
            return
        self.app.start_quiz(QuizOptions(card_ids=tuple(cards), count=len(cards)))
