"""Query drills: write PromQL, read a query back, name a metric and its threshold, numbers."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Static

from trainer.registry import DRILL_KINDS, drill_key
from trainer.store.db import StoreWriteError
from trainer.study.drill_session import DrillSession
from trainer.study.drills import KINDS, DrillResult
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
    BINDINGS = [
        Binding("ctrl+s", "submit", "Check"),
        Binding("ctrl+n", "next", "Next drill"),
        *(
            Binding(drill_key(kind.id), f"kind('{kind.id}')", kind.title)
            for kind in DRILL_KINDS.values()
        ),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, kind: str = "write"):
        super().__init__()
        self.kind = kind
        self.session: DrillSession | None = None
        self.checked = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz"):
            yield Static(id="drill-kind", classes="muted")
            yield Static(id="question", classes="question")
            yield AnswerArea(id="answer")
            with VerticalScroll(id="drill-result-panel"):
                yield Static(id="drill-result")
            yield Static(
                "ctrl+s checks · ctrl+n next · F1-F4 switch drill · Escape back", classes="help"
            )
        yield Footer()

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
        self.checked = False
        self.query_one("#drill-kind", Static).update(
            join(
                Text(f" {drill_key(self.kind).upper()} ", style="bold reverse"),
                literal(f" {KINDS[self.kind]}", "bold"),
                literal(f"   {drill.item_id}", "dim"),
            )
        )
        self.query_one("#question", Static).update(literal(drill.prompt, "bold"))
        self.query_one("#drill-result", Static).update("")
        area = self.query_one("#answer", AnswerArea)
        area.text = ""
        area.focus()

    def action_submit(self) -> None:
        area = self.query_one("#answer", AnswerArea)
        if not area.text.strip():
            self.notify("Type an answer first.", severity="warning")
            return
        assert self.session is not None
        try:
            result = self.app.service.check_drill(self.session, area.text.strip())
        except StoreWriteError as error:
            self.write_failed(error, "Your answer stays here: ctrl+s tries again.")
            return
        self.checked = True
        self.query_one("#drill-result", Static).update(self._result(result, area.text.strip()))

    def _result(self, result: DrillResult, attempt: str) -> Text:
        assert self.session is not None
        drill = self.session.current
        out = join(
            Text(f"{result.verdict.upper()} ", style=VERDICT_STYLE[result.verdict]),
            Text(f"{result.score}/100\n", style=score_style(result.score)),
        )
        if result.error is not None:
            out.append_text(literal(f"Parse error: {result.error.message}\n", "red"))
            if result.error.position is not None:
                out.append_text(literal(f"  {attempt.splitlines()[0] if attempt else ''}\n"))
                out.append(f"  {' ' * result.error.position}^\n", style="bold red")
        for hint in result.hints:
            out.append_text(join(Text("Hint: ", style="bold"), literal(hint), "\n"))
        out.append_text(join(Text("\nReference: ", style="bold"), literal(drill.reference)))
        if drill.threshold:
            out.append_text(join(Text("\nThreshold: ", style="bold"), literal(drill.threshold)))
        if drill.detail:
            out.append_text(join("\n", literal(drill.detail.strip(), "dim")))
        out.append("\nctrl+n: next drill", style="dim")
        return out

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
