"""Diagnosis: name the root cause (from plausible candidates) and write the incident summary,
kept as a draft until it is scored."""

from __future__ import annotations

import hashlib

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.scenarios.scoring import Debrief
from trainer.store.db import StoreWriteError
from trainer.study.service import WRITEUP, ScenarioRun
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import literal
from trainer.tui.widgets.answer_area import AnswerArea


class DiagnosisScreen(TrainerScreen[Debrief]):
    """Dismissed with the debrief once scored, or None (back to the incident)."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("escape", "back", "Back to the incident"),
    ]

    def __init__(self, run: ScenarioRun, notes: str):
        super().__init__()
        self.run = run
        self.simulation = run.simulation
        self.notes = notes
        self.chosen: str | None = None
        self.scored = False

    def compose(self) -> ComposeResult:
        scenario = self.simulation.scenario
        # A stable shuffle, so the right answer is not always in the same place.
        causes = sorted(
            scenario.causes, key=lambda c: hashlib.md5(f"{scenario.id}{c.id}".encode()).hexdigest()
        )
        yield Header()
        with Vertical(id="diagnosis"):
            yield Static("What was the root cause? (↑↓, Enter picks)", classes="panel-title")
            yield OptionList(*(Option(literal(c.label), id=c.id) for c in causes), id="causes")
            yield Static(id="chosen", classes="muted")
            yield Static(
                "Incident summary: impact, timeline, root cause, mitigation, follow-ups "
                "(ctrl+s submits)",
                classes="muted",
            )
            draft = self.app.service.scenario_draft(self.run, WRITEUP)
            yield AnswerArea(draft or self.notes, id="writeup")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#causes", OptionList).focus()

    @property
    def writeup(self) -> AnswerArea:
        return self.query_one("#writeup", AnswerArea)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        cause = next(c for c in self.run.scenario.causes if c.id == event.option.id)
        self.query_one("#chosen", Static).update(literal(f"Chosen: {cause.label}"))
        self.chosen = cause.id
        self.writeup.focus()

    def on_answer_area_draft_due(self, event: AnswerArea.DraftDue) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        if not self.scored:
            self.writeup.flush_typed()
            text = self.writeup.text
            self.draft_kept(self.app.service.save_scenario_draft(self.run, WRITEUP, text))

    def action_back(self) -> None:
        self.keep_draft()
        self.close(None)

    def action_submit(self) -> None:
        if self.chosen is None:
            self.notify("Pick a root cause first (Enter on one).", severity="warning")
            self.query_one("#causes").focus()
            return
        self.writeup.flush_typed()
        writeup = self.writeup.text
        if not writeup.strip():
            self.notify("Write a short summary: it is a quarter of the score.", severity="warning")
            return
        try:
            debrief = self.app.service.finish_scenario(self.run, self.chosen, writeup)
        except StoreWriteError as error:
            self.app.service.save_scenario_draft(self.run, WRITEUP, writeup)
            self.write_failed(error, "Your summary stays here: ctrl+s tries again.")
            return
        self.scored = True
        self.close(debrief)
