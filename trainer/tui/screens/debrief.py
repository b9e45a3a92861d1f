"""The debrief: the score breakdown; the typed diagnosis with the root-cause points credited,
missed or argued against and its red flags; each status update's grade and what it missed; the
injects and what the unanswered ones cost; your path beside the model path with why each step
matters; the write-up feedback and the lesson."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from trainer.grading.concepts import GradeResult
from trainer.scenarios.models import Scenario
from trainer.scenarios.report import reflow
from trainer.scenarios.scoring import NOT_DONE, UNVERIFIED_CLAIM, Debrief
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import (
    answer_legend,
    bar,
    highlighted_answer,
    join,
    literal,
    score_style,
)

# How each status of a rubric point reads in the debrief: mark, style, heading.
POINT_STATUS = {
    "full": ("✓", "green", "credited"),
    "partial": ("◐", "yellow", "named, not explained (part credit)"),
    "argued-against": ("⊘", "red", "argued against"),
    NOT_DONE: ("⊘", "red", "claimed, but the evidence was never looked at"),
    "missed": ("✗", "yellow", "missed"),
}


# What a status update left out, by the status of its points.
UPDATE_STATUS = {
    "missed": "missed",
    "argued-against": "read as argued against",
    "partial": "only named",
}


def short_point(text: str) -> str:
    """A communication rubric point by its name ("Impact: who or what ..." -> "Impact")."""
    head = text.split(":", 1)[0] if ":" in text[:40] else text
    return head.split(" (", 1)[0]


class DebriefScreen(TrainerScreen[None]):
    BINDINGS = [Binding("escape", "close", "Back to scenarios")]

    def __init__(self, scenario: Scenario, debrief: Debrief):
        """`scenario` as played: resolved for the run's variant."""
        super().__init__()
        self.scenario = scenario
        self.debrief = debrief

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(self._summary(), id="debrief-score")
            yield Static(self._root_cause(), id="debrief-root-cause", classes="card")
            yield Static(self._updates(), id="debrief-updates", classes="card")
            if self.debrief.injects:
                yield Static(self._injects(), id="debrief-injects", classes="card")
            yield Static(self._path(), id="debrief-path", classes="card")
            yield Static(self._writeup(), id="debrief-writeup")
            yield Static(
                join(Text("Lesson\n", style="bold"), literal(reflow(self.scenario.lesson))),
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
            literal(f"  {self.scenario.title}\n"),
        )
        facts = []
        if d.minutes_to_mitigate is not None:
            facts.append(f"mitigated after {d.minutes_to_mitigate} min")
        else:
            facts.append("not mitigated")
        if d.error_budget_used is not None:
            facts.append(f"error budget {d.error_budget_used:.1f}% burned")
        if d.seed is not None:
            facts.append(f"variant {d.variant + 1} (seed {d.seed})")
        out.append_text(literal("; ".join(facts) + "\n\n", "dim"))
        for item in d.items:
            out_of = f"/{item.out_of}" if item.out_of else ""
            style = "red" if item.points < 0 else ("green" if item.points == item.out_of else "")
            out.append_text(
                join(
                    Text(f"{item.points:5.1f}{out_of:<4}", style=style),
                    literal(f" {item.name}", "bold"),
                    # The root cause has its own card below.
                    literal(f": {item.detail}" if item.name != "Root cause" else ""),
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
        out.rstrip()
        return out

    # -- the diagnosis ---------------------------------------------------------------------
    def _root_cause(self) -> Text:
        d = self.debrief
        result = d.root_cause_grade
        out = Text("Your diagnosis", style="bold")
        if d.choices_used:
            out.append("  (the candidate causes were shown)", style="dim")
        out.append("\n")
        if result is None or not d.root_cause:
            out.append("No diagnosis graded.", style="italic")
        else:
            out.append_text(self._highlighted(d.root_cause, result))
            out.append("\n")
            out.append_text(self._points(result, d.root_cause_roles))
        out.append_text(
            join(
                Text("\n\nA strong diagnosis\n", style="bold"),
                literal(" ".join(self.scenario.root_cause.model.split())),
            )
        )
        out.rstrip()
        return out

    def _highlighted(self, text: str, result: GradeResult) -> Text:
        matched = [p.span for p in result.points if p.matched and p.span]
        flagged = [f.span for f in result.red_flags]
        return join(
            Text(answer_legend(self.app.no_color) + "\n", style="dim"),
            highlighted_answer(text, matched, flagged),
        )

    @staticmethod
    def _points(result: GradeResult, roles: dict[str, str]) -> Text:
        out = Text()
        for status, (mark, style, heading) in POINT_STATUS.items():
            points = [p for p in result.points if p.status == status]
            if not points:
                continue
            out.append(f"{heading.capitalize()}\n", style=f"bold {style}")
            for point in points:
                role = roles.get(point.text, "")
                out.append_text(
                    join(
                        Text(f"  {mark} ", style=style),
                        Text(f"{role}: " if role else "", style="bold"),
                        literal(point.text),
                        "\n",
                    )
                )
        if result.red_flags:
            out.append("Red flags\n", style="bold red")
            for flag in result.red_flags:
                out.append_text(join(Text("  ! ", style="red"), literal(flag.claim), "\n"))
        out.rstrip()
        return out

    # -- communication ---------------------------------------------------------------------
    def _updates(self) -> Text:
        d = self.debrief
        out = Text("Status updates\n", style="bold")
        if not d.updates:
            out.append("None posted: stakeholders were left guessing.\n", style="yellow")
        for update in d.updates:
            out.append(f"{update.clock} ", style="bold")
            if not update.text or update.result is None:
                out.append("posted without words (0/100)\n", style="yellow")
                continue
            out.append(f"{update.score}/100\n", style=score_style(update.score))
            out.append_text(literal(" ".join(update.text.split()) + "\n", "italic"))
            for status, label in UPDATE_STATUS.items():
                points = [short_point(p.text) for p in update.result.points if p.status == status]
                if points:
                    out.append_text(
                        join(Text(f"  {label}: ", style="yellow"), literal("; ".join(points)), "\n")
                    )
            for flag in update.result.red_flags:
                claim = (
                    "states a cause the evidence had not shown yet as fact (say 'we suspect')"
                    if flag.claim == UNVERIFIED_CLAIM
                    else flag.claim
                )
                out.append_text(join(Text("  ! ", style="red"), literal(claim), "\n"))
        out.rstrip()
        return out

    def _injects(self) -> Text:
        out = Text("What happened during the incident\n", style="bold")
        for inject in self.debrief.injects:
            text = " ".join(str(inject.get("text", "")).split())
            out.append_text(join(Text(f"{inject['at']} ", style="bold"), literal(text), "\n"))
            if not inject.get("expects"):
                continue
            wanted = "a status update" if inject["expects"] == "update" else "an action"
            by = f" by {inject['by']}" if inject.get("by") else ""
            if inject.get("answered"):
                out.append_text(
                    Text(
                        f"  ✓ answered at {inject.get('answered_at')} ({wanted}{by})\n",
                        style="green",
                    )
                )
            else:
                cost = inject.get("cost", 0)
                out.append_text(
                    Text(f"  ✗ unanswered: it wanted {wanted}{by}; -{cost} points\n", style="red")
                )
        out.rstrip()
        return out

    # -- path and write-up -----------------------------------------------------------------
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
        model = {m[0] for m in d.model_path}
        extra = list(dict.fromkeys(a for a in d.path if a not in model))
        if extra:
            out.append("\nYou also: ", style="bold")
            out.append_text(literal("; ".join(self.scenario.action(a).label for a in extra)))
        out.rstrip()
        return out

    def _writeup(self) -> Text:
        result = self.debrief.writeup
        if result is None:
            return Text("No write-up graded.", style="italic")
        out = Text(f"Your summary: {result.score}/100\n", style="bold")
        for point in result.points:
            mark, style, _ = POINT_STATUS.get(point.status, POINT_STATUS["missed"])
            out.append(f"{mark} ", style=style)
            out.append_text(literal(point.text))
            if point.status == NOT_DONE:
                out.append(" (claimed, but not done in this run)", style="red")
            out.append("\n")
        out.append_text(
            join(
                Text("\nA strong summary\n", style="bold"),
                literal(reflow(self.scenario.model_writeup)),
            )
        )
        out.rstrip()
        return out
