"""Mock interview set-up: the round (a preset), length, category mix, time limits, follow-ups,
practice, speak-aloud, a walk-through. It starts from the last settings used, and from the
command's flags when opened by `sre-trainer mock` (`--start` starts at once)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static

from trainer.content.models import CATEGORIES
from trainer.study.mock_presets import DEFAULT_PRESET, PRESETS
from trainer.study.settings import MOCK_QUESTIONS, SettingsError, minutes_as_seconds, whole_number
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.text import literal
from trainer.tui.widgets.form_error import FormError

ROUNDS = [(f"{p.title}: {p.description}", p.id) for p in PRESETS.values()]
MIXES = [("The round's mix", "")] + [(c, c) for c in CATEGORIES]
# The form's words for each setting the core checks.
LABELS = {
    "questions": "Questions",
    "seconds_per_question": "Minutes per question",
    "total_seconds": "Minutes in all",
    "categories": "Questions from",
    "scenario": "Walk-through",
    "preset": "Round",
    "mock": "Mock",
}


def _minutes(seconds: object) -> str:
    """Seconds as minutes for an input box: 5, 0.5, 7.25."""
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds <= 0:
        return ""
    return f"{seconds / 60:g}"


class MockSetupScreen(TrainerScreen[None]):
    """The first screen of the Mock mode."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start mock"),
        Binding("ctrl+r", "last_report", "Last report"),
        Binding("escape", "app.go_home", "Back"),
    ]

    def __init__(self, prefill: dict | None = None, start_now: bool = False):
        super().__init__()
        self.prefill = dict(prefill or {})
        self.start_now = start_now
        self._preset_shown: str | None = None

    def initial_values(self) -> dict[str, Any]:
        """The settings shown: the last ones used, the chosen round's defaults, then the
        command's flags."""
        values: dict[str, Any] = {"preset": DEFAULT_PRESET}
        values.update(self.app.service.last_mock_settings())
        chosen_preset = self.prefill.get("preset")
        if chosen_preset in PRESETS:
            preset = PRESETS[chosen_preset]
            values.update(
                preset=preset.id,
                questions=preset.questions,
                seconds_per_question=preset.seconds_per_question,
                categories=[],
                scenario=None,
                total_seconds=None,
            )
        values.update(self.prefill)
        if values.get("preset") not in PRESETS:
            values["preset"] = DEFAULT_PRESET
        return values

    def compose(self) -> ComposeResult:
        scenarios = self.app.service.scenarios()
        values = self.initial_values()
        self._preset_shown = values["preset"]
        categories = [c for c in values.get("categories") or [] if c in CATEGORIES]
        mix = ",".join(categories)
        mixes = list(MIXES)
        if len(categories) > 1:  # several from the command line: offered as they were given
            mixes.append((" + ".join(categories), mix))
        scenario = values.get("scenario")
        low, high = MOCK_QUESTIONS
        yield Header()
        with VerticalScroll(id="setup"):
            yield Static("Set up a mock interview", classes="panel-title")
            yield Label("Round")
            yield Select(ROUNDS, value=values["preset"], allow_blank=False, id="preset")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(f"Questions ({low}-{high})")
                    yield Input(str(values.get("questions", 5)), type="integer", id="length")
                with Vertical():
                    yield Label("Questions from")
                    yield Select(mixes, value=mix, allow_blank=False, id="mix")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label("Minutes per question")
                    yield Input(
                        _minutes(values.get("seconds_per_question", 300)) or "5",
                        type="number",
                        id="per-question",
                    )
                with Vertical():
                    yield Label("Minutes in all (blank: auto)")
                    yield Input(_minutes(values.get("total_seconds")), type="number", id="total")
            yield Label("Incident walk-through in the middle (the troubleshooting round picks one)")
            yield Select(
                [(literal(s.title), s.id) for s in scenarios.values()],
                prompt="None",
                value=scenario if scenario in scenarios else Select.NULL,
                id="scenario",
            )
            yield Checkbox(
                "Follow-up questions after each answer",
                value=bool(values.get("follow_ups", True)),
                id="follow-ups",
            )
            yield Checkbox(
                "Practice: feedback after each question (its clock stopped)",
                value=bool(values.get("practice", False)),
                id="practice",
            )
            yield Checkbox(
                "Speak aloud: answer out loud, then tick the points you covered",
                value=bool(values.get("speak_aloud", False)),
                id="speak-aloud",
            )
            yield FormError(id="setup-error")
            yield Button("Start (ctrl+s)", variant="primary", id="start")
            yield Static(
                "A countdown runs per question and for the whole mock; at zero your answer "
                "so far is submitted and the next question waits for Enter. The interviewer "
                "asks up to two follow-ups on what you missed. ctrl+n skips, Escape pauses "
                "(the clock stops), ctrl+r reopens the last report.",
                classes="help",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#preset", Select).focus()
        if self.start_now and self.app.service.unfinished_mock() is None:
            self.call_after_refresh(self.action_start)

    def on_select_changed(self, event: Select.Changed) -> None:
        """A new round fills in its length and time (the rest stays as chosen)."""
        if event.select.id != "preset" or not isinstance(event.value, str):
            return
        if event.value == self._preset_shown or event.value not in PRESETS:
            return
        self._preset_shown = event.value
        preset = PRESETS[event.value]
        self.query_one("#length", Input).value = str(preset.questions)
        self.query_one("#per-question", Input).value = _minutes(preset.seconds_per_question)
        self.query_one("#mix", Select).value = ""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def action_start(self) -> None:
        error = self.query_one("#setup-error", FormError)
        preset = self.query_one("#preset", Select).value
        mix = self.query_one("#mix", Select).value
        scenario = self.query_one("#scenario", Select).value
        try:
            questions = whole_number(self.query_one("#length", Input).value, "questions")
            per_question = minutes_as_seconds(
                self.query_one("#per-question", Input).value, "seconds_per_question"
            )
            config = self.app.service.mock_config(
                preset=preset if isinstance(preset, str) else None,
                questions=questions,
                categories=tuple(mix.split(",")) if isinstance(mix, str) and mix else (),
                seconds_per_question=per_question if per_question is not None else 0,
                total_seconds=minutes_as_seconds(
                    self.query_one("#total", Input).value, "total_seconds"
                ),
                seed=self.prefill.get("seed"),
                practice=self.query_one("#practice", Checkbox).value,
                follow_ups=self.query_one("#follow-ups", Checkbox).value,
                speak_aloud=self.query_one("#speak-aloud", Checkbox).value,
                scenario=scenario if isinstance(scenario, str) else None,
            )
        except SettingsError as problem:
            error.show(f"{LABELS.get(problem.setting, problem.setting)}: {problem.problem}.")
            return
        error.clear()
        self.app.start_mock(config)

    def action_last_report(self) -> None:
        report = self.app.service.mock_report()
        if report is None:
            self.notify("No mock has been finished yet.", timeout=3)
            return
        self.app.show_mock_report(report)
