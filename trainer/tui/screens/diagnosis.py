"""Diagnosis: the root cause in your own words and the incident summary, both kept with the run
until scored. The candidate causes are a paid hint (F2), shuffled for the run; the diagnosis is
typed either way and graded against the scenario's root-cause rubric."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from trainer.scenarios.models import Cause
from trainer.scenarios.scoring import CHOICES_COST
from trainer.scenarios.session import ScenarioRun
from trainer.store.db import StoreWriteError
from trainer.study.service import ROOT_CAUSE, WRITEUP
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea


class DiagnosisScreen(TrainerScreen[bool]):
    """Dismissed with True once scored (the debrief is `run.scored`), or None (back to the
    incident)."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("f2", "choices", f"Show candidate causes (-{CHOICES_COST})"),
        Binding("escape", "back", "Back to the incident"),
    ]

    def __init__(self, run: ScenarioRun):
        super().__init__()
        self.run = run
        self.scored = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="diagnosis"):
            yield Static(
                "The root cause in your words: what broke, what set it off, what proves it.",
                classes="muted",
            )
            yield AnswerArea(self.run.root_cause, id="root-cause")
            yield Static(id="choices", classes="muted")
            yield Static(
                "Summary: impact, timeline, root cause, mitigation, follow-ups (ctrl+s submits)",
                classes="muted",
            )
            yield AnswerArea(self.run.writeup or self.run.notes, id="writeup")
        yield Footer()

    def on_mount(self) -> None:
        self.root_cause.focus()
        if self.run.simulation.choices_used:
            self._show_choices(self.app.service.scenario_choices(self.run))
        else:
            self.query_one("#choices", Static).display = False

    @property
    def root_cause(self) -> AnswerArea:
        return self.query_one("#root-cause", AnswerArea)

    @property
    def writeup(self) -> AnswerArea:
        return self.query_one("#writeup", AnswerArea)

    def action_choices(self) -> None:
        """The paid hint: the candidate causes, shuffled for this run (charged once)."""
        if self.run.simulation.choices_used:
            return
        self._show_choices(self.app.service.scenario_choices(self.run))
        self.draft_kept(self.app.service.scenario_saved(self.run))

    def _show_choices(self, choices: list[Cause]) -> None:
        out = Text(f"Candidate causes (-{CHOICES_COST}); still type the cause yourself:\n", "bold")
        for number, cause in enumerate(choices, 1):
            out.append_text(join(f" {number}. ", literal(cause.label), "\n"))
        out.rstrip()
        widget = self.query_one("#choices", Static)
        widget.update(out)
        widget.display = True

    # -- drafts ----------------------------------------------------------------------------
    def on_answer_area_draft_due(self, event: AnswerArea.DraftDue) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        if self.scored:
            return
        saved = True
        for part, area in ((ROOT_CAUSE, self.root_cause), (WRITEUP, self.writeup)):
            area.flush_typed()
            saved = self.app.service.save_scenario_text(self.run, part, area.text) and saved
        self.draft_kept(saved)

    def action_back(self) -> None:
        self.keep_draft()
        self.close(None)

    def action_submit(self) -> None:
        self.root_cause.flush_typed()
        self.writeup.flush_typed()
        root_cause, writeup = self.root_cause.text, self.writeup.text
        if not root_cause.strip():
            self.notify(
                "Type the root cause first: what broke, and how you know.", severity="warning"
            )
            self.root_cause.focus()
            return
        if not writeup.strip():
            self.notify("Write a short summary: it is a quarter of the score.", severity="warning")
            self.writeup.focus()
            return
        try:
            self.app.service.finish_scenario(self.run, root_cause, writeup)
        except StoreWriteError as error:
            self.keep_draft()
            self.write_failed(error, "Your texts stay here: ctrl+s tries again.")
            return
        self.scored = True
        self.close(True)
