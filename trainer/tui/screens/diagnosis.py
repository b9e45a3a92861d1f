"""Diagnosis: name the root cause (from plausible candidates) and write the incident summary."""

from __future__ import annotations

import hashlib

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.scenarios.engine import Simulation
from trainer.tui.text import literal
from trainer.tui.widgets.answer_area import AnswerArea


class DiagnosisScreen(Screen):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("escape", "app.pop_screen", "Back to the incident"),
    ]

    def __init__(self, simulation: Simulation, notes: str):
        super().__init__()
        self.simulation = simulation
        self.notes = notes

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
            yield AnswerArea(self.notes, id="writeup")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#causes", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#chosen", Static).update(literal(f"Chosen: {event.option.prompt.plain}"))
        self.chosen = event.option.id
        self.query_one("#writeup").focus()

    def action_submit(self) -> None:
        from trainer.scenarios.scoring import score
        from trainer.tui.screens.debrief import DebriefScreen

        chosen = getattr(self, "chosen", None)
        if chosen is None:
            self.notify("Pick a root cause first (Enter on one).", severity="warning")
            self.query_one("#causes").focus()
            return
        writeup = self.query_one("#writeup", AnswerArea).text
        if not writeup.strip():
            self.notify("Write a short summary: it is a quarter of the score.", severity="warning")
            return
        debrief = score(self.simulation, chosen, writeup)
        self.app.store.record_scenario(
            debrief.scenario_id,
            debrief.score,
            debrief.root_cause_correct,
            debrief.mitigated,
            debrief.minutes_to_mitigate,
            debrief.path,
            writeup,
            debrief.to_json()["breakdown"],
            when=self.app.clock(),
        )
        self.app.pop_screen()  # the diagnosis
        self.app.pop_screen()  # the incident
        self.app.push_screen(DebriefScreen(self.simulation.scenario, debrief))
