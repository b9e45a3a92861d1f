"""Query drills: write the query, read a query back, name a metric and its threshold, numbers.

The header names the kind of drill, never the answer. The reference shows after a real attempt
(one that parses) or when asked for (f5, which counts as a miss); a parse error shows where,
with the caret under the right line and column.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from trainer.study.drill_session import DrillSession
from trainer.study.drills import KINDS, LABELS, Drill, DrillResult
from trainer.tui.text import join, literal, score_style
from trainer.tui.widgets.answer_area import AnswerArea

VERDICT_STYLE = {
    "correct": "bold green",
    "partial": "bold yellow",
    "wrong": "bold red",
    "invalid": "bold red",
}


class DrillScreen(Screen):
    # Short descriptions and a compact footer: at 80 columns every key shown must fit; f5 is
    # named in the header line instead.
    BINDINGS = [
        Binding("ctrl+s", "submit", "Check"),
        Binding("ctrl+n", "next", "Next"),
        *(
            Binding(f"f{n}", f"kind('{kind}')", LABELS[kind])
            for n, kind in enumerate(KINDS, start=1)
        ),
        Binding("f5", "reveal", "Answer", show=False),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, kind: str = "write"):
        super().__init__()
        self.kind = kind
        self.session: DrillSession | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            yield Static(id="drill-kind", classes="muted")
            yield Static(id="question", classes="question")
            yield AnswerArea(id="answer")
            with VerticalScroll(id="drill-result-panel"):
                yield Static(id="drill-result")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.start(self.kind)

    def start(self, kind: str) -> None:
        if self.session is not None:
            self.session.finish()
        self.kind = kind
        app = self.app
        self.session = DrillSession(app.bank, app.store, app.scheduler, kind, clock=app.clock)
        self.show()

    def show(self) -> None:
        assert self.session is not None
        drill = self.session.current
        number = list(KINDS).index(self.kind) + 1
        answered = len(self.session.results)
        self.query_one("#drill-kind", Static).update(
            join(
                Text(f" F{number} ", style="bold reverse"),
                literal(f" {KINDS[self.kind]}", "bold"),
                Text("   f5: answer", style="dim"),
                Text(f" · {answered} done" if answered else "", style="dim"),
            )
        )
        self.query_one("#question", Static).update(literal(drill.prompt, "bold"))
        self.query_one("#drill-result", Static).update("")
        area = self.query_one("#answer", AnswerArea)
        area.text = ""
        area.focus()

    def action_submit(self) -> None:
        assert self.session is not None
        area = self.query_one("#answer", AnswerArea)
        attempt = area.text.strip()
        if not attempt:
            self.notify("Type an answer first (f5 shows the answer).", severity="warning")
            return
        practice = self.session.shown_first
        result = self.session.submit(attempt)
        self.query_one("#drill-result", Static).update(self._result(result, attempt, practice))

    def _result(self, result: DrillResult, attempt: str, practice: bool) -> Text:
        assert self.session is not None
        drill = self.session.current
        out = join(
            Text(f"{result.verdict.upper()} ", style=VERDICT_STYLE[result.verdict]),
            Text(f"{result.score}/100", style=score_style(result.score)),
            Text("  (practice: the answer was shown first)" if practice else "", style="dim"),
            "\n",
        )
        if result.error is not None:
            out.append_text(literal(f"Parse error: {result.error.message}\n", "red"))
            if result.error.position is not None:
                out.append_text(_caret(attempt, result.error.position))
        for hint in result.hints:
            out.append_text(join(Text("Hint: ", style="bold"), literal(hint), "\n"))
        if result.verdict == "invalid":
            out.append("Fix it and check again, or f5 to see the answer.", style="dim")
            return out
        out.append_text(_reference(drill))
        out.append("\nctrl+n: next drill", style="dim")
        return out

    def action_reveal(self) -> None:
        assert self.session is not None
        drill = self.session.reveal()
        out = join(Text("The answer", style="bold"), Text(" (counted as a miss)\n", style="dim"))
        out.append_text(_reference(drill))
        out.append("\nctrl+n: next drill", style="dim")
        self.query_one("#drill-result", Static).update(out)

    def action_next(self) -> None:
        assert self.session is not None
        self.session.next()
        self.show()

    def action_kind(self, kind: str) -> None:
        self.start(kind)

    def action_leave(self) -> None:
        assert self.session is not None
        self.session.finish()
        self.app.go_home()


def _caret(attempt: str, position: int) -> Text:
    """The attempt's line that holds the error, with a caret under the column."""
    from trainer.grading.promql import line_and_column

    line, column = line_and_column(attempt, position)
    lines = attempt.splitlines() or [""]
    where = f"line {line}: " if len(lines) > 1 else ""
    text = lines[min(line, len(lines)) - 1]
    out = join(Text(f"  {where}", style="dim"), literal(f"{text}\n"))
    out.append(f"  {' ' * len(where)}{' ' * (column - 1)}^\n", style="bold red")
    return out


def _reference(drill: Drill) -> Text:
    """The reference answer with its threshold and note."""
    out = join(Text("Reference: ", style="bold"), literal(drill.reference))
    if drill.threshold:
        out.append_text(join(Text("\nThreshold: ", style="bold"), literal(drill.threshold)))
    if drill.detail:
        out.append_text(join("\n", literal(drill.detail.strip(), "dim")))
    return out
