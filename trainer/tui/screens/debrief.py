"""The debrief: the score breakdown, harm done, your path beside the model path with why each
step matters, the write-up feedback and the lesson."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from trainer.scenarios.models import Scenario
from trainer.scenarios.scoring import Debrief
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import bar, join, literal, score_style


class DebriefScreen(TrainerScreen[None]):
    BINDINGS = [Binding("escape", "close", "Back to scenarios")]

    def __init__(self, scenario: Scenario, debrief: Debrief):
        super().__init__()
        self.scenario = scenario
        self.debrief = debrief

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(self._summary(), id="debrief-score")
            yield Static(self._path(), classes="card")
            yield Static(self._writeup(), id="debrief-writeup")
            yield Static(
                join(Text("Lesson\n", style="bold"), literal(self.scenario.lesson.strip())),
                classes="card",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#debrief").focus()

    def _summary(self) -> Text:
        d = self.debrief
        out = join(
            Text(f"{d.score:>3}/100 ", style=score_style(d.score)),
            bar(d.score / 100, style=score_style(d.score)),
            literal(f"  {self.scenario.title}\n\n"),
        )
        for item in d.items:
            out_of = f"/{item.out_of}" if item.out_of else ""
            style = "red" if item.points < 0 else ("green" if item.points == item.out_of else "")
            out.append_text(
                join(
                    Text(f"{item.points:5.1f}{out_of:<4}", style=style),
                    literal(f" {item.name}: ", "bold"),
                    literal(item.detail),
                    "\n",
                )
            )
        for label, harm in d.harmful:
            out.append_text(
                join(
                    Text("⚠ ", style="bold red"),
                    literal(label, "bold"),
                    literal(f": {harm.strip()}\n", "red"),
                )
            )
        return out

    def _path(self) -> Text:
        d = self.debrief
        out = Text("The model path, and why each step matters\n", style="bold")
        for action_id, label, why in d.model_path:
            taken = action_id in d.path
            out.append("✓ " if taken else "✗ ", style="green" if taken else "yellow")
            out.append_text(literal(label, "bold" if taken else ""))
            if why:
                out.append_text(literal(f"\n    {why.strip()}", "dim"))
            out.append("\n")
        extra = [a for a in d.path if a not in {m[0] for m in d.model_path}]
        if extra:
            out.append("\nYou also: ", style="bold")
            out.append_text(literal(", ".join(self.scenario.action(a).label for a in extra)))
        return out

    def _writeup(self) -> Text:
        result = self.debrief.writeup
        if result is None:
            return Text("No write-up graded.", style="italic")
        out = Text(f"Your summary: {result.score}/100\n", style="bold")
        for point in result.points:
            mark, style = ("✓ ", "green") if point.matched else ("✗ ", "yellow")
            out.append(mark, style=style)
            out.append_text(literal(point.text + "\n"))
        out.append_text(
            join(
                Text("\nA strong summary\n", style="bold"),
                literal(self.scenario.model_writeup.strip()),
            )
        )
        return out
