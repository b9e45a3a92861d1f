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
from textual.widgets import Footer, Header, Static

from trainer.registry import DRILL_KINDS, drill_key
from trainer.store.db import StoreWriteError
from trainer.study.drill_session import DrillSession
from trainer.study.drills import KINDS, Drill, DrillResult
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import join, literal, score_style
from trainer.tui.widgets.answer_area import AnswerArea

VERDICT_STYLE = {
    "correct": "bold green",
    "partial": "bold yellow",
    "wrong": "bold red",
    "invalid": "bold red",
}


class DrillScreen(TrainerScreen[None]):
    # Short descriptions and a compact footer: at 80 columns every key shown must fit; f5 is
    # named in the header line instead.
    BINDINGS = [
        Binding("ctrl+s", "submit", "Check"),
        Binding("ctrl+n", "next", "Next"),
        *(
            Binding(drill_key(kind.id), f"kind('{kind.id}')", kind.title)
            for kind in DRILL_KINDS.values()
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
        service = self.app.service
        try:
            if self.session is not None:
                service.finish_drills(self.session)
            self.session = service.start_drills(kind)
        except StoreWriteError as error:
            self.write_failed(error)
            return
        self.kind = kind
        self.show()

    def show(self) -> None:
        assert self.session is not None
        drill = self.session.current
        answered = len(self.session.results)
        self.query_one("#drill-kind", Static).update(
            join(
                Text(f" {drill_key(self.kind).upper()} ", style="bold reverse"),
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
        try:
            result = self.app.service.check_drill(self.session, attempt)
        except StoreWriteError as error:
            self.write_failed(error, "Your answer stays here: ctrl+s tries again.")
            return
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
        try:
            drill = self.app.service.reveal_drill(self.session)
        except StoreWriteError as error:
            self.write_failed(error)
            return
        out = join(Text("The answer", style="bold"), Text(" (counted as a miss)\n", style="dim"))
        out.append_text(_reference(drill))
        out.append("\nctrl+n: next drill", style="dim")
        self.query_one("#drill-result", Static).update(out)

    def action_next(self) -> None:
        assert self.session is not None
        self.app.service.next_drill(self.session)
        self.show()

    def action_kind(self, kind: str) -> None:
        self.start(kind)

    def action_leave(self) -> None:
        if self.session is not None:
            try:
                self.app.service.finish_drills(self.session)
            except StoreWriteError as error:
                self.write_failed(error, "Every checked answer was already stored.")
        self.app.restart_mode("drills")


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
