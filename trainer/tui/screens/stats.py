"""Stats: totals, the reviews due over the next 14 days, every mock interview over time,
answers and scores per day, mastery per category and deck, the study calendar, the most-missed
rubric points (w quizzes them), leeches, scenario bests. Charts have labelled axes and numbers;
Enter on a most-missed point or a leech opens its card."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from trainer.store.db import local_day
from trainer.study.progress import MockSummary, Progress
from trainer.study.settings import SettingsError
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import bar, hanging, join, literal, plural, score_style
from trainer.tui.widgets.charts import Column, column_chart
from trainer.tui.widgets.heatmap import heatmap

CHART_DAYS = 30
MOCK_COLUMNS = 15  # the latest mocks in the chart (the table has them all)


class StatsScreen(TrainerScreen[None]):
    """The first screen of the Stats mode: computed afresh each time it is shown."""

    HELP_TITLE = "Stats"
    HELP_KEYS = (
        ("⏎", "on a most-missed point or a leech: open its card"),
        ("↑↓", "in the mocks table: that mock's settings and categories"),
        ("tab", "from table to table"),
    )
    BINDINGS = [
        Binding("w", "quiz_missed", "Quiz missed points"),
        Binding("b", "browse", "Cards"),
        Binding("escape", "app.go_home", "Home"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(id="totals")
            yield Static(id="forecast")
            yield Static(id="mocks")
            yield DataTable(id="mock-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="mock-detail", classes="muted")
            yield Static(id="activity")
            yield Static(id="mastery")
            yield Static(id="calendar")
            yield Static(
                "Most-missed rubric points (Enter opens the card; w quizzes these points)",
                classes="section-title",
            )
            yield DataTable(id="missed", cursor_type="row", zebra_stripes=True)
            yield Static(id="missed-detail", classes="muted")
            yield Static(id="leech-title", classes="section-title")
            yield DataTable(id="leech-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="scenario-results")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_progress()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_progress()

    def refresh_progress(self) -> None:
        self.progress = self.app.service.progress()
        self.render_progress(self.progress)

    @property
    def today(self) -> date:
        return date.fromisoformat(local_day(self.app.clock()))

    def render_progress(self, progress: Progress) -> None:
        self.query_one("#totals", Static).update(self._totals(progress))
        self.query_one("#forecast", Static).update(self._forecast(progress))
        self._render_mocks(progress)
        self.query_one("#activity", Static).update(self._activity(progress))
        self.query_one("#mastery", Static).update(self._mastery(progress))
        activity = {
            d.day: d.attempts + d.reviews + d.scenarios + d.mock_answers + d.practice
            for d in progress.days
        }
        self.query_one("#calendar", Static).update(
            join(Text("Study calendar\n", style="bold"), heatmap(activity, self.today))
        )
        self._render_missed(progress)
        self._render_leeches(progress)
        self.query_one("#scenario-results", Static).update(self._scenarios(progress))

    # -- sections --------------------------------------------------------------------------
    def _totals(self, progress: Progress) -> Text:
        average = f"{progress.average:.0f}/100" if progress.average is not None else "-"
        out = join(
            Text("Quiz answers ", style="bold"),
            literal(
                f"{progress.attempts} · average {average} · {plural(progress.reviews, 'review')}"
                f" · streak {plural(progress.streak, 'day')} · "
                f"{plural(progress.study_days, 'study day')}\n"
            ),
            Text("Mock answers ", style="bold"),
            literal(
                f"{progress.mock_answers} in {plural(len(progress.mocks), 'mock')} (counted "
                f"apart) · practice {progress.practice_answers} (not averaged)"
            ),
        )
        if not (progress.attempts or progress.mock_answers or progress.reviews):
            out.append("\nNo answers yet: start a quiz (q on the home screen).", style="italic")
        return out

    def _forecast(self, progress: Progress) -> Text:
        out = join(
            Text("Reviews due, next 14 days ", style="bold"),
            Text("(overdue counted today) · ", style="dim"),
            literal(
                f"{progress.forecast[0].due if progress.forecast else 0} today, "
                f"{progress.due_this_week} this week\n"
            ),
        )
        columns = [
            Column(
                d.due,
                f"{date.fromisoformat(d.day):%a}"[:2] + f"\n{date.fromisoformat(d.day).day}",
                style="bold cyan" if n == 0 else "cyan",
            )
            for n, d in enumerate(progress.forecast)
        ]
        out.append_text(column_chart(columns, height=4, width=3, gap=1))
        return out

    def _render_mocks(self, progress: Progress) -> None:
        mocks = progress.mocks
        head = Text("Mock interviews ", style="bold")
        table = self.query_one("#mock-table", DataTable)
        table.clear(columns=True)
        if not mocks:
            head.append("none finished yet: m on the home screen starts one.", style="dim")
            self.query_one("#mocks", Static).update(head)
            table.display = False
            self.query_one("#mock-detail", Static).update("")
            return
        table.display = True
        trend = progress.mock_trend
        head.append(f"({len(mocks)}; ░ practice, not in the trend)", style="dim")
        month = f"{self.today:%Y-%m}"
        this_month = [m for m in trend if m.day.startswith(month)]
        if this_month:
            mean = sum(m.score for m in this_month) / len(this_month)
            head.append_text(
                literal(f" · {self.today:%B}: {plural(len(this_month), 'mock')}, mean {mean:.0f}")
            )
        if len(trend) >= 2:
            change = trend[-1].score - trend[-2].score
            head.append_text(
                literal(
                    f" · last {trend[-1].score:.0f}, {'+' if change >= 0 else ''}{change:.0f} on "
                    f"the one before · best {max(m.score for m in trend):.0f}"
                )
            )
        head.append("\n")
        shown = mocks[-MOCK_COLUMNS:]
        columns = [
            Column(
                round(m.score),
                f"{_local(m.ended_at or m.started_at):%d}\n{_local(m.ended_at or m.started_at):%b}",
                style=score_style(m.score).replace("bold ", ""),
                hollow=not m.in_trend,
            )
            for m in shown
        ]
        head.append_text(column_chart(columns, height=6, top=100, width=3, gap=1))
        self.query_one("#mocks", Static).update(head)
        # Fixed widths: auto widths are measured after the first paint, which shows them cut.
        for label, width in (("ended", 16), ("score", 5), ("kind", 10), ("answered", 8)):
            table.add_column(label, width=width)
        table.add_column("verdict", width=self._rest_width(16 + 5 + 10 + 8, 5))
        for mock in reversed(mocks):
            table.add_row(
                literal(f"{_local(mock.ended_at or mock.started_at):%Y-%m-%d %H:%M}"),
                Text(f"{mock.score:>5.1f}", style=score_style(mock.score)),
                literal("practice" if mock.practice else "mock" if mock.in_trend else "no answers"),
                literal(f"{mock.answered}/{mock.questions}"),
                literal((mock.verdict or "").split(":")[0]),
                key=str(mock.id),
            )
        self._show_mock(mocks[-1])

    def _show_mock(self, mock: MockSummary) -> None:
        settings = mock.settings
        parts = [
            plural(settings.get("questions") or mock.questions, "question"),
            f"{(settings.get('seconds_per_question') or 0) // 60} min each"
            if settings.get("seconds_per_question")
            else "",
            ", ".join(settings.get("categories") or []) or "balanced categories",
            f"scenario {settings['scenario']}" if settings.get("scenario") else "",
            "practice (feedback after each)" if mock.practice else "",
        ]
        text = join(
            literal(f"Mock of {_local(mock.ended_at or mock.started_at):%a %d %b %H:%M}: "),
            literal(" · ".join(p for p in parts if p)),
        )
        if mock.categories:
            text.append("\n")
            scores = " · ".join(f"{k} {v:.0f}" for k, v in mock.categories.items())
            line = hanging("  ", scores, self.app.size.width - 5)
            line.rstrip()  # (in place)
            text.append_text(line)
        if mock.follow_up_score is not None:
            text.append_text(
                literal(f"\n  follow-ups: {mock.follow_ups}, mean {mock.follow_up_score:.0f}")
            )
        self.query_one("#mock-detail", Static).update(text)

    def _activity(self, progress: Progress) -> Text:
        by_day = {d.day: d for d in progress.days}
        window = [self.today - timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
        labels = {0: f"{window[0]:%b %d}", 14: f"{window[14]:%b %d}", CHART_DAYS - 1: "today"}
        answers = [
            Column(
                by_day[d.isoformat()].attempts + by_day[d.isoformat()].mock_answers
                if d.isoformat() in by_day
                else 0
            )
            for d in window
        ]
        scores = [
            Column(
                by_day[d.isoformat()].average or 0 if d.isoformat() in by_day else 0,
                style=score_style(by_day[d.isoformat()].average or 0).replace("bold ", "")
                if d.isoformat() in by_day
                else "",
            )
            for d in window
        ]
        out = join(
            Text("Answers per day ", style="bold"),
            Text(f"(quiz and mock, last {CHART_DAYS} days)\n", style="dim"),
        )
        out.append_text(
            column_chart(answers, height=4, width=1, gap=1, values=False, axis_labels=labels)
        )
        out.append_text(
            join(
                Text("\nAverage quiz score per day ", style="bold"),
                Text("(0-100; mock answers and practice left out)\n", style="dim"),
            )
        )
        out.append_text(
            column_chart(
                scores, height=4, top=100, width=1, gap=1, values=False, axis_labels=labels
            )
        )
        return out

    def _mastery(self, progress: Progress) -> Text:
        out = Text("Mastery by category ", style="bold")
        out.append("(latest score per card; unseen cards count 0)\n", style="dim")
        for cat in progress.categories:
            out.append_text(
                join(
                    literal(f"{cat.category[:26]:<26} "),
                    bar(cat.mastery / 100, 20, score_style(cat.mastery)),
                    literal(f" {cat.mastery:5.1f}%  {cat.attempted}/{cat.cards} seen\n"),
                )
            )
        out.append("Mastery by deck\n", style="bold")
        for deck in progress.decks:
            out.append_text(
                join(
                    literal(f"{deck.deck[:26]:<26} "),
                    bar(deck.mastery / 100, 20, score_style(deck.mastery)),
                    literal(
                        f" {deck.mastery:5.1f}%  {deck.attempted}/{deck.cards} seen, "
                        f"{deck.due_today} due\n"
                    ),
                )
            )
        return out

    def _render_missed(self, progress: Progress) -> None:
        table = self.query_one("#missed", DataTable)
        table.clear(columns=True)
        for label, width in (("missed", 6), ("seen", 4), ("card", 8)):
            table.add_column(label, width=width)
        table.add_column("point (the full text under the table)", width=self._rest_width(18, 4))
        for n, item in enumerate(progress.most_missed):
            table.add_row(
                str(item.missed),
                str(item.seen),
                literal(item.card_id),
                literal(item.point),
                key=f"{n}",
            )
        if not progress.most_missed:
            table.add_row("-", "-", "-", literal("nothing missed yet"))
            self.query_one("#missed-detail", Static).update("")
        else:
            self._show_missed(0)

    def _show_missed(self, index: int) -> None:
        if not 0 <= index < len(self.progress.most_missed):
            return
        item = self.progress.most_missed[index]
        self.query_one("#missed-detail", Static).update(
            join(
                literal(f"{item.card_id}: ", "bold"),
                literal(item.point),
                literal(f"\n  {' '.join(item.question.split())}", "dim"),
            )
        )

    def _render_leeches(self, progress: Progress) -> None:
        title = self.query_one("#leech-title", Static)
        table = self.query_one("#leech-table", DataTable)
        table.clear(columns=True)
        if not progress.leeches:
            title.update(
                Text("Leeches: none (a card forgotten 4 times after it was learned)", style="dim")
            )
            table.display = False
            return
        title.update(
            join(
                Text("Leeches ", style="bold red"),
                Text("(Enter opens one: rewrite it in your own words with e)", style="dim"),
            )
        )
        table.display = True
        table.add_column("card", width=8)
        table.add_column("lapses", width=6)
        table.add_column("question", width=self._rest_width(14, 3))
        for leech in progress.leeches:
            table.add_row(
                literal(leech.card_id),
                str(leech.lapses),
                literal(" ".join(leech.question.split())),
                key=leech.card_id,
            )

    def _scenarios(self, progress: Progress) -> Text:
        results = Text()
        if progress.scenarios:
            results.append("Scenarios ", style="bold")
            results.append("(best score, times played)\n", style="dim")
            for best in progress.scenarios:
                results.append_text(
                    join(
                        Text(f"{best.best:>4}/100 ", style=score_style(best.best)),
                        literal(f" x{best.played}  {best.scenario_id}\n"),
                    )
                )
        if progress.drills:
            results.append("\nQuery drills ", style="bold")
            results.append("(attempts, average score)\n", style="dim")
            for drill in progress.drills:
                results.append_text(
                    join(
                        Text(f"{drill.average:>5.0f}/100 ", style=score_style(drill.average)),
                        literal(f" x{drill.attempts}  {drill.kind}\n"),
                    )
                )
        return results

    def _rest_width(self, used: int, columns: int) -> int:
        """What a table's last column can take of the screen: its width less the padding,
        the scroll bar, the other columns and each column's two cells of padding."""
        return max(20, self.app.size.width - 4 - used - 2 * columns)

    # -- keys and rows ---------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table_id = event.data_table.id
        if table_id == "missed":
            self._show_missed(event.cursor_row)
        elif table_id == "mock-table" and event.row_key.value is not None:
            mock = next((m for m in self.progress.mocks if str(m.id) == event.row_key.value), None)
            if mock is not None:
                self._show_mock(mock)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        table_id = event.data_table.id
        if table_id == "missed" and 0 <= event.cursor_row < len(self.progress.most_missed):
            self.app.open_card(self.progress.most_missed[event.cursor_row].card_id)
        elif table_id == "leech-table" and event.row_key.value is not None:
            self.app.open_card(event.row_key.value)

    def action_quiz_missed(self) -> None:
        try:
            options = self.app.service.missed_points_quiz()
        except SettingsError as error:
            self.notify(error.problem.capitalize() + ".", timeout=3, markup=False)
            return
        self.app.start_quiz(options, return_mode="stats")

    def action_browse(self) -> None:
        self.app.open_mode("cards")


def _local(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).astimezone()
