"""The mock report: when and how the mock ran, the overall score and verdict, each question with
your answer, every missed point, the follow-ups and the model answer, the categories, the
trend with dates, and the three things to study next (keys start a quiz or flashcards on
them); Markdown export. Reopened from the set-up with ctrl+r."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from trainer.study.mock_report import (
    missed_remark,
    report_when,
    settings_line,
    time_line,
    trend_text,
)
from trainer.study.quiz import QuizOptions
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import bar, join, literal, score_style


class MockReportScreen(TrainerScreen[None]):
    BINDINGS = [
        Binding("1", "study(0)", "Quiz #1"),
        Binding("2", "study(1)", "Quiz #2"),
        Binding("3", "study(2)", "Quiz #3"),
        Binding("f", "flashcards", "Cram these"),
        Binding("e", "export", "Export .md"),
        Binding("escape", "leave", "Home"),
    ]

    def __init__(self, report: dict):
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(self._summary(), id="mock-summary")
            yield Static(self._next(), id="study-next")
            yield Static(self._questions(), id="mock-questions", classes="card")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#debrief").focus()

    def _summary(self) -> Text:
        r = self.report
        title = "Mock interview report" + ("  (practice)" if r.get("practice") else "")
        out = Text(title + "\n", style="bold")
        facts = [report_when(r), time_line(r)]
        out.append_text(literal("  ·  ".join(f for f in facts if f) + "\n", "dim"))
        if "config" in r:
            out.append_text(literal(settings_line(r) + "\n", "dim"))
        if r.get("self_graded"):
            out.append_text(literal("Spoken answers are self-graded: your ticks.\n", "yellow"))
        out.append_text(
            join(
                "\n",
                Text(f"{r['overall']:>5.0f}/100 ", style=score_style(r["overall"])),
                bar(r["overall"] / 100, style=score_style(r["overall"])),
                literal(f"  {r['verdict']}\n"),
            )
        )
        if r.get("follow_up_score") is not None:
            out.append_text(
                literal(
                    f"Follow-ups: {r['follow_up_score']:.0f}/100 over {len(r['follow_ups'])} "
                    "asked\n"
                )
            )
        out.append("\n")
        for name, score in r["categories"].items():
            out.append_text(
                join(
                    literal(f"{name:<26} "),
                    bar(score / 100, 15, score_style(score)),
                    literal(f" {score:.0f}\n"),
                )
            )
        out.append_text(literal("\n" + trend_text(r), "dim"))
        return out

    def _questions(self) -> Text:
        out = Text("Questions\n", style="bold")
        for n, q in enumerate(self.report["questions"], start=1):
            label = q.get("label", q["outcome"])
            out.append_text(
                join(
                    Text(f"\n{n:>2}. {q['score']:>3} ", style=score_style(q["score"])),
                    Text(f"{q['seconds']:>4}s {label}  ", style="dim"),
                    literal(q["question"], "bold"),
                    "\n",
                )
            )
            if "answer" in q:
                if q.get("self_graded"):
                    out.append_text(literal("    Your answer: spoken aloud, self-graded\n", "dim"))
                else:
                    out.append_text(literal("    Your answer: ", "dim"))
                    out.append_text(literal((q["answer"].strip() or "(none)") + "\n"))
            # why the score is what it is, before what was missed
            for note in q.get("notes", ()):
                out.append_text(literal(f"    ⓘ {note}\n", "italic"))
            for claim in q.get("red_flags", ()):
                out.append_text(join(Text("    ! Red flag: ", style="red"), literal(claim), "\n"))
            if q["missed"]:
                out.append_text(literal(f"    Missed ({len(q['missed'])}):\n", "dim"))
                recovered, argued = q.get("recovered", ()), q.get("argued_against", ())
                for point in q["missed"]:
                    remark = missed_remark(point, recovered, argued)
                    out.append_text(literal(f"      ✗ {point}"))
                    out.append_text(literal(remark, "green" if point in recovered else "red"))
                    out.append("\n")
            for f in q.get("follow_ups", []):
                graded = ", self-graded" if f.get("self_graded") else ""
                out.append_text(
                    join(
                        literal("    Follow-up ", "dim"),
                        Text(f"{f['score']}/100{graded}", style=score_style(f["score"])),
                        literal(f": {f['prompt']}\n"),
                    )
                )
                if f["answer"].strip():
                    out.append_text(literal(f"      {f['answer'].strip()}\n", "italic"))
            if q.get("model_answer"):
                out.append_text(literal("    Model answer: ", "dim"))
                out.append_text(literal(q["model_answer"].strip() + "\n"))
        return out

    def _next(self) -> Text:
        out = Text(
            "Study next (1-3 start a quiz on it, f crams them as flashcards, e exports)\n",
            style="bold",
        )
        for n, item in enumerate(self.report["study_next"], start=1):
            out.append_text(
                join(
                    Text(f" {n} ", style="bold reverse"),
                    literal(f" {item['point']}  ({item['card_id']})\n"),
                )
            )
        if not self.report["study_next"]:
            out.append("Nothing missed: try a longer mock or shorter time limits.")
        return out

    def _cards(self, index: int | None = None) -> list[str]:
        items = self.report["study_next"]
        chosen = items if index is None else items[index : index + 1]
        return [i["card_id"] for i in chosen if i["card_id"] in self.app.bank.cards]

    def action_leave(self) -> None:
        self.close()
        self.app.go_home()

    def action_study(self, index: int) -> None:
        cards = self._cards(index)
        if not cards:
            self.notify("Nothing there to study.", timeout=2)
            return
        self.app.start_quiz(QuizOptions(card_ids=tuple(cards), count=len(cards)))

    def action_flashcards(self) -> None:
        cards = self._cards()
        if cards:
            self.app.open_flashcards(cram=True, card_ids=cards)

    def action_export(self) -> None:
        folder = Path(self.app.store.path).parent / "reports"
        self.app.export_mock_report(self.report, folder / f"mock-{self.report['mock_id']}.md")
