"""Scenario picker: every incident with its difficulty and your best score."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.scenarios.scoring import Debrief
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import join, literal, score_style

DIFFICULTY_STYLE = {"easy": "green", "medium": "yellow", "hard": "red"}


class ScenarioPickerScreen(TrainerScreen[None]):
    """The first screen of the Scenarios mode."""

    BINDINGS = [Binding("escape", "app.go_home", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self.scenarios = self.app.service.scenarios()
        self.errors = self.app.service.scenario_errors()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="picker"):
            yield Static(
                "Troubleshooting scenarios: you are on call for CloudMart "
                "(difficulty, best score, incident)",
                classes="panel-title",
            )
            yield OptionList(id="scenario-list")
            yield Static(id="scenario-summary", classes="muted")
            yield Static(
                "Enter starts. Look before you act, keep stakeholders posted, name the root "
                "cause, write the summary. Hints cost points; harmful actions cost many.",
                classes="help",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        for error in self.errors:
            self.notify(str(error), title="Scenario skipped", severity="warning", markup=False)
        if not self.scenarios:
            self.notify("No scenarios could be loaded.", severity="error")

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        bests = self.app.store.scenario_bests()
        options = self.query_one("#scenario-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for scenario in self.scenarios.values():
            best, _ = bests.get(scenario.id, (None, 0))
            options.add_option(
                Option(
                    join(
                        Text(
                            f"{scenario.difficulty:<7}",
                            style=DIFFICULTY_STYLE.get(scenario.difficulty, ""),
                        ),
                        Text(
                            f"{best:>3} " if best is not None else "  - ",
                            style=score_style(best) if best is not None else "dim",
                        ),
                        literal(f" {scenario.title}"),
                    ),
                    id=scenario.id,
                )
            )
        options.highlighted = highlighted if highlighted is not None else 0
        options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id not in self.scenarios:
            return
        scenario = self.scenarios[event.option.id]
        best, played = self.app.store.scenario_bests().get(scenario.id, (None, 0))
        played_text = f"Best {best}/100 over {played} play(s)." if played else "Not played yet."
        self.query_one("#scenario-summary", Static).update(
            literal(f"{scenario.summary} {played_text}")
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from trainer.tui.screens.incident import IncidentScreen

        if event.option.id is None:
            return
        run = self.app.service.start_scenario(event.option.id)
        self.app.push_screen(IncidentScreen(run), self._played)

    def _played(self, debrief: Debrief | None) -> None:
        from trainer.tui.screens.debrief import DebriefScreen

        if debrief is not None:
            scenario = self.scenarios[debrief.scenario_id]
            self.app.push_screen(DebriefScreen(scenario, debrief))
