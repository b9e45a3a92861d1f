"""The incident view: page, clock, health signals, actions, the evidence they reveal, notes.
The notes are kept as a draft for the next play; Escape asks before abandoning the incident."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.registry import ACTION_KINDS
from trainer.scenarios.engine import Step
from trainer.scenarios.report import format_series, reflow
from trainer.scenarios.scoring import Debrief
from trainer.study.service import NOTES, ScenarioRun
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.screens.confirm_leave import Choice, ConfirmLeaveScreen
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea


class IncidentScreen(TrainerScreen[Debrief]):
    """Dismissed with the debrief once the diagnosis is submitted, or None if abandoned."""

    BINDINGS = [
        Binding("h", "hint", "Hint (-5)"),
        Binding("d", "diagnose", "Name root cause"),
        Binding("n", "notes", "Notes"),
        Binding("slash", "type_query", "Type PromQL"),
        Binding("escape", "leave", "Actions / quit"),
    ]

    def __init__(self, run: ScenarioRun):
        super().__init__()
        self.run = run
        self.scenario = run.scenario
        self.simulation = run.simulation
        self.in_progress = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="incident-status")
        with Horizontal(id="incident"):
            with Vertical(id="actions-panel"):
                yield Static("Actions (Enter takes one)", classes="muted")
                yield OptionList(id="actions")
            with Vertical(id="evidence-panel"):
                yield VerticalScroll(id="evidence")
                yield AnswerArea(self.app.service.scenario_draft(self.run, NOTES), id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self.notes.border_title = "Notes (n to write, Esc to leave)"
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
            kind = ACTION_KINDS[action.kind]
            badge, style = kind.badge, kind.style
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
    @property
    def notes(self) -> AnswerArea:
        return self.query_one("#notes", AnswerArea)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        step = self.app.service.take_action(self.run, event.option.id)
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
            self._show_step(self.app.service.take_action(self.run, found.action.id))
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
        hint = self.app.service.hint(self.run)
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
        self.notes.focus()

    # -- drafts ----------------------------------------------------------------------------
    def on_answer_area_draft_due(self, event: AnswerArea.DraftDue) -> None:
        self.keep_draft()

    def keep_draft(self) -> None:
        if self.in_progress:
            self.notes.flush_typed()
            self.draft_kept(self.app.service.save_scenario_draft(self.run, NOTES, self.notes.text))

    def on_screen_suspend(self) -> None:
        self.keep_draft()

    # -- leaving ---------------------------------------------------------------------------
    def action_leave(self) -> None:
        if self.focused is self.notes:
            self.query_one("#actions").focus()
            return
        self.notes.flush_typed()
        drafted = bool(self.notes.text.strip())
        if not drafted and not self.simulation.taken:
            self._leave()
            return
        self.app.push_screen(
            ConfirmLeaveScreen(
                "this incident and your notes" if drafted else "this incident",
                "abandons it unscored",
                drafted,
            ),
            self._leave_chosen,
        )

    def _leave_chosen(self, choice: Choice | None) -> None:
        if choice == "keep":
            self.keep_draft()
        elif choice == "discard":
            self.draft_kept(self.app.service.discard_scenario_drafts(self.run))
        else:
            return
        self._leave()
        self.notify("Incident abandoned: nothing was scored.", timeout=3)

    def _leave(self) -> None:
        self.in_progress = False
        self.close(None)

    def action_diagnose(self) -> None:
        from trainer.tui.screens.diagnosis import DiagnosisScreen

        if not self.simulation.taken:
            self.notify(
                "Take at least one action first: look at the evidence.",
                severity="warning",
                timeout=3,
            )
            return
        self.keep_draft()
        self.app.push_screen(DiagnosisScreen(self.run, self.notes.text), self._diagnosed)

    def _diagnosed(self, debrief: Debrief | None) -> None:
        if debrief is not None:
            self.in_progress = False
            self.close(debrief)
