"""Scenario picker: every incident (built in, from --bank folders and the packs folder) with its
difficulty and your best score; an unfinished run is marked and offered to resume. Files that
could not be loaded are listed in a plain notice."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.store.db import StoreWriteError
from trainer.study.service import UnfinishedRun
from trainer.study.settings import SettingsError
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.screens.resume_scenario import ResumeChoice
from trainer.tui.text import join, literal, score_style

DIFFICULTY_STYLE = {"easy": "green", "medium": "yellow", "hard": "red"}
ERRORS_SHOWN = 3


class ScenarioPickerScreen(TrainerScreen[None]):
    """The first screen of the Scenarios mode."""

    BINDINGS = [Binding("escape", "app.go_home", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self.scenarios = self.app.service.scenarios()
        self.errors = self.app.service.scenario_errors()
        self.unfinished: dict[str, UnfinishedRun] = {}
        self.bests: dict[str, tuple[int, int]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="picker"):
            yield Static(
                "Troubleshooting scenarios (difficulty, best score; ▶ unfinished)",
                classes="panel-title",
            )
            yield Static(self._errors(), id="scenario-errors")
            yield OptionList(id="scenario-list")
            yield Static(id="scenario-summary", classes="muted")
            yield Static(
                "Enter starts or resumes. Look before you act, keep stakeholders posted, name "
                "the cause. Hints cost points; harm costs many.",
                classes="help",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scenario-errors", Static).display = bool(self.errors)
        self.refresh_list()
        if not self.scenarios:
            self.notify("No scenarios could be loaded.", severity="error")

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def _errors(self) -> Text:
        """One line per scenario file that could not be loaded: its first problem."""
        if not self.errors:
            return Text()
        first: dict[str, Any] = {}
        for error in self.errors:
            first.setdefault(getattr(error, "path", str(error)), error)
        count = len(first)
        out = literal(
            f"{count} scenario file(s) skipped; `sre-trainer validate` lists every problem:",
            "bold yellow",
        )
        for path, error in list(first.items())[:ERRORS_SHOWN]:
            where = f"{Path(path).name}:{getattr(error, 'line', 0)}"
            field = getattr(error, "field", "")
            message = getattr(error, "message", str(error))
            out.append_text(literal(f"\n  {where}: {field + ': ' if field else ''}{message}"))
        if count > ERRORS_SHOWN:
            out.append_text(literal(f"\n  ... and {count - ERRORS_SHOWN} more", "dim"))
        return out

    def refresh_list(self) -> None:
        self.bests = bests = self.app.store.scenario_bests()
        self.unfinished = {u.scenario_id: u for u in self.app.service.unfinished_scenarios()}
        options = self.query_one("#scenario-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for scenario in self.scenarios.values():
            best, _ = bests.get(scenario.id, (None, 0))
            options.add_option(
                Option(
                    join(
                        Text("▶ " if scenario.id in self.unfinished else "  ", style="bold cyan"),
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
        if options.option_count:
            options.highlighted = highlighted if highlighted is not None else 0
        options.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id not in self.scenarios:
            return
        scenario = self.scenarios[event.option.id]
        best, played = self.bests.get(scenario.id, (None, 0))
        played_text = f"Best {best}/100 over {played} play(s)." if played else "Not played yet."
        unfinished = self.unfinished.get(scenario.id)
        if unfinished is not None:
            played_text += f" Unfinished run at {unfinished.clock}: Enter resumes it."
        self.query_one("#scenario-summary", Static).update(
            literal(f"{scenario.summary} {played_text}")
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from trainer.tui.screens.resume_scenario import ResumeScenarioScreen

        scenario_id = event.option.id
        if scenario_id is None:
            return
        unfinished = self.unfinished.get(scenario_id)
        if unfinished is None:
            self.start(scenario_id)
            return
        self.app.push_screen(
            ResumeScenarioScreen(unfinished), partial(self._resume_chosen, unfinished)
        )

    def _resume_chosen(self, unfinished: UnfinishedRun, choice: ResumeChoice | None) -> None:
        if choice == "resume":
            self.resume(unfinished)
        elif choice == "new":
            try:
                self.app.service.discard_unfinished_scenario(unfinished.scenario_id)
            except StoreWriteError as error:
                self.write_failed(error, "The unfinished run stays.")
                return
            self.start(unfinished.scenario_id)

    def start(self, scenario_id: str) -> None:
        from trainer.tui.screens.incident import IncidentScreen

        try:
            run = self.app.service.start_scenario(scenario_id)
        except SettingsError as error:
            self.notify(error.problem.capitalize() + ".", severity="warning", markup=False)
            return
        self.app.push_screen(IncidentScreen(run), self._played)

    def resume(self, unfinished: UnfinishedRun) -> None:
        from trainer.tui.screens.incident import IncidentScreen

        try:
            run = self.app.service.resume_scenario(unfinished)
        except SettingsError as error:
            self.notify(
                f"{error.problem.capitalize()}. Enter starts a new run.",
                severity="warning",
                timeout=10,
                markup=False,
            )
            self.refresh_list()
            return
        except StoreWriteError as error:
            self.write_failed(error)
            return
        self.app.push_screen(IncidentScreen(run, resumed=True), self._played)

    def _played(self, run) -> None:
        from trainer.tui.screens.debrief import DebriefScreen

        if run is not None and run.scored is not None:
            self.app.push_screen(DebriefScreen(run.scenario, run.scored))
