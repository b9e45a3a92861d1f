"""Mock interview set-up: length, category mix, time limits, practice mode, a scenario."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static

from trainer.content.models import CATEGORIES
from trainer.study.settings import SettingsError, minutes_as_seconds
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import literal
from trainer.tui.widgets.form_error import FormError

LENGTHS = [("3 questions", 3), ("5 questions", 5), ("10 questions", 10), ("15 questions", 15)]
MIXES = [("Balanced like a real loop", "")] + [(c, c) for c in CATEGORIES]
# The form's words for each setting the core checks.
LABELS = {
    "questions": "Length",
    "seconds_per_question": "Minutes per question",
    "total_seconds": "Minutes in all",
    "categories": "Questions from",
    "scenario": "Walk-through",
}


class MockSetupScreen(TrainerScreen[None]):
    """The first screen of the Mock mode."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start mock"),
        Binding("escape", "app.go_home", "Back"),
    ]

    def compose(self) -> ComposeResult:
        scenarios = self.app.service.scenarios()
        yield Header()
        with VerticalScroll(id="setup"):
            yield Static("Set up a mock interview", classes="panel-title")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label("Length")
                    yield Select(LENGTHS, value=5, allow_blank=False, id="length")
                with Vertical():
                    yield Label("Questions from")
                    yield Select(MIXES, value="", allow_blank=False, id="mix")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label("Minutes per question")
                    yield Input("5", type="number", id="per-question")
                with Vertical():
                    yield Label("Minutes in all (blank: auto)")
                    yield Input("", type="number", id="total")
            yield Label("Troubleshooting walk-through in the middle (optional)")
            yield Select(
                [(literal(s.title), s.id) for s in scenarios.values()], prompt="None", id="scenario"
            )
            yield Checkbox("Practice: show feedback after each answer", id="practice")
            yield FormError(id="setup-error")
            yield Button("Start (ctrl+s)", variant="primary", id="start")
            yield Static(
                "A countdown runs per question and for the whole mock; when it reaches zero "
                "your answer so far is submitted. ctrl+n skips a question.",
                classes="help",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#length", Select).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def action_start(self) -> None:
        error = self.query_one("#setup-error", FormError)
        mix = self.query_one("#mix", Select).value
        scenario = self.query_one("#scenario", Select).value
        try:
            per_question = minutes_as_seconds(
                self.query_one("#per-question", Input).value, "seconds_per_question"
            )
            config = self.app.service.mock_config(
                questions=int(str(self.query_one("#length", Select).value)),
                categories=(mix,) if isinstance(mix, str) and mix else (),
                seconds_per_question=per_question if per_question is not None else 0,
                total_seconds=minutes_as_seconds(
                    self.query_one("#total", Input).value, "total_seconds"
                ),
                practice=self.query_one("#practice", Checkbox).value,
                scenario=scenario if isinstance(scenario, str) else None,
            )
        except SettingsError as problem:
            error.show(f"{LABELS.get(problem.setting, problem.setting)}: {problem.problem}.")
            return
        error.clear()
        self.app.start_mock(config)
