"""The incident view: page, clock, health signals, actions, the evidence they reveal, notes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from trainer.scenarios.engine import Simulation, Step
from trainer.scenarios.models import Scenario
from trainer.scenarios.report import format_series, reflow
from trainer.tui.text import join, literal

KIND_BADGE = {
    "diagnose": ("look", "cyan"),
    "mitigate": ("fix ", "yellow"),
    "rollback": ("undo", "magenta"),
    "escalate": ("page", "blue"),
    "communicate": ("tell", "green"),
}


class IncidentScreen(Screen):
    BINDINGS = [
        Binding("h", "hint", "Hint (-5)"),
        Binding("d", "diagnose", "Name root cause"),
        Binding("n", "notes", "Notes"),
        Binding("slash", "type_query", "Type PromQL"),
        Binding("escape", "leave", "Actions / quit"),
    ]

    def __init__(self, scenario: Scenario):
        super().__init__()
        self.scenario = scenario
        self.simulation = Simulation(scenario)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="incident-status")
        with Horizontal(id="incident"):
            with Vertical(id="actions-panel"):
                yield Static("Actions (Enter takes one)", classes="muted")
                yield OptionList(id="actions")
            with Vertical(id="evidence-panel"):
                yield VerticalScroll(id="evidence")
                yield TextArea(id="notes", soft_wrap=True, tab_behavior="focus")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#notes", TextArea).border_title = "Notes (n to write, Esc to leave)"
        self._log(join(Text("PAGE\n", style="bold red"), literal(reflow(self.scenario.page))))
        self._log(
            join(Text("First look\n", style="bold"), literal(reflow(self.scenario.first_look)))
        )
        self._refresh()

    # -- drawing ---------------------------------------------------------------------------
    def _status(self) -> Text:
        sim = self.simulation
        out = join(
            Text(f" {sim.clock()} ", style="bold reverse"),
            Text(f" +{sim.minute} min  ", style="dim"),
            literal(self.scenario.title, "bold"),
            "\n ",
        )
        for signal in self.scenario.signals:
            value = sim.values[signal.id]
            ok = signal.healthy(value)
            out.append("✓ " if ok else "✗ ", style="green" if ok else "bold red")
            out.append_text(
                literal(f"{signal.label} {value:g}{signal.unit}   ", "green" if ok else "red")
            )
        return out

    def _refresh(self) -> None:
        self.query_one("#incident-status", Static).update(self._status())
        actions = self.query_one("#actions", OptionList)
        actions.clear_options()
        for action in self.simulation.available():
            badge, style = KIND_BADGE[action.kind]
            actions.add_option(
                Option(
                    join(
                        Text(badge, style=f"bold {style}"),
                        literal(f" {action.label} "),
                        Text(f"{action.minutes}m", style="dim"),
                        Text(" (or type it: /)" if action.promql else "", style="dim italic"),
                    ),
                    id=action.id,
                )
            )
        locked = len(self.simulation.locked())
        if locked:
            actions.add_option(
                Option(
                    Text(f"({locked} more unlock as you learn more)", style="dim italic"),
                    disabled=True,
                )
            )
        if actions.option_count:
            actions.highlighted = 0
        actions.focus()

    def _log(self, content: Text) -> None:
        """Add an entry to the evidence pane and scroll so that its first line shows."""
        pane = self.query_one("#evidence", VerticalScroll)
        entry = Static(content, classes="evidence-entry")
        pane.mount(entry)
        # After the mount's layout, so the entry has its place to scroll to.
        self.set_timer(0.1, lambda: pane.scroll_to_widget(entry, animate=False, top=True))

    def _show_step(self, step: Step) -> None:
        action = step.action
        entry = join(
            Text(f"{self.simulation.clock()} ", style="bold"),
            literal(f"$ {action.command or action.label}", "bold cyan"),
            "\n",
            literal(reflow(action.evidence)),
        )
        for series in action.series:
            entry.append_text(join("\n", literal(format_series(series), "yellow")))
        if action.harm:
            entry.append_text(
                join(Text("\n⚠ Harm done: ", style="bold red"), literal(reflow(action.harm), "red"))
            )
        for source in step.relapsed:
            label = self.scenario.action(source).label
            entry.append_text(
                join(
                    Text("\n⚠ Signals moved again: ", style="bold yellow"),
                    literal(f"the effect of “{label}” wore off."),
                )
            )
        self._log(entry)

    # -- actions ---------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        step = self.simulation.take(event.option.id)
        self._show_step(step)
        self._refresh()

    def action_type_query(self) -> None:
        from trainer.tui.screens.query_prompt import QueryPromptScreen

        typeable = [a.label for a in self.simulation.available() if a.promql]
        ran = [
            a.promql
            for a in self.simulation.scenario.actions
            if a.promql and a.id in self.simulation.taken
        ]
        self.app.push_screen(QueryPromptScreen(typeable, ran[-1] if ran else None), self.run_query)

    def run_query(self, typed: str | None) -> None:
        """Run a typed query: the look-up it answers reveals its evidence (again, if it was run
        already); a near miss gets the same hint as in the drills."""
        from trainer.scenarios.engine import lookup

        if not typed or not typed.strip():
            return
        found = lookup(self.simulation, typed)
        if found.kind == "run" and found.action is not None:
            self._log(
                join(Text("Query matches: ", style="bold green"), literal(found.action.label))
            )
            self._show_step(self.simulation.take(found.action.id))
            self._refresh()
        elif found.kind == "rerun" and found.action is not None:
            step = next(s for s in self.simulation.steps if s.action.id == found.action.id)
            self._log(join(Text("Ran again: ", style="bold green"), literal(found.action.label)))
            self._show_step(step)
        elif found.kind == "invalid":
            where = ""
            if found.error is not None and found.error.position is not None:
                from trainer.grading.promql import line_and_column

                line, column = line_and_column(typed, found.error.position)
                where = (
                    f" at line {line}, column {column}" if "\n" in typed else f" at column {column}"
                )
            self._log(
                join(
                    Text("Query does not parse", style="bold red"),
                    literal(f"{where}: {found.message}\n{typed}", "red"),
                )
            )
        elif found.kind in ("near", "locked"):
            self._log(join(Text("No match. ", style="bold yellow"), literal(found.message)))
        else:
            self._log(join(Text("No match. ", style="bold yellow"), literal(found.message)))

    def action_hint(self) -> None:
        hint = self.simulation.hint()
        if hint is None:
            self.notify("No more hints for this incident.", timeout=3)
            return
        self._log(
            join(
                Text(f"Hint {self.simulation.hints_used} (-5): ", style="bold magenta"),
                literal(hint),
            )
        )

    def action_notes(self) -> None:
        self.query_one("#notes", TextArea).focus()

    def action_leave(self) -> None:
        if self.focused is self.query_one("#notes"):
            self.query_one("#actions").focus()
            return
        self.app.pop_screen()
        self.notify("Incident abandoned: nothing was scored.", timeout=3)

    def action_diagnose(self) -> None:
        from trainer.tui.screens.diagnosis import DiagnosisScreen

        if not self.simulation.taken:
            self.notify(
                "Take at least one action first: look at the evidence.",
                severity="warning",
                timeout=3,
            )
            return
        notes = self.query_one("#notes", TextArea).text
        self.app.push_screen(DiagnosisScreen(self.simulation, notes))
