"""The incident view: the clock and health signals from the simulation, the actions open now,
the evidence they reveal (rendered by the core for the moment of the action), injects that
fire meanwhile, and notes. The run is saved after every step; Escape asks whether to keep it
for later, abandon it, or stay."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from trainer.registry import ACTION_KINDS
from trainer.scenarios.engine import ActionError, FiredInject, Step
from trainer.scenarios.report import format_series
from trainer.scenarios.scoring import HINT_COST
from trainer.scenarios.session import ScenarioRun
from trainer.scenarios.templates import format_number
from trainer.store.db import StoreWriteError
from trainer.study.service import NOTES
from trainer.tui.screens.base import TrainerScreen
from trainer.tui.screens.leave_incident import LeaveChoice, LeaveIncidentScreen
from trainer.tui.text import join, literal
from trainer.tui.widgets.answer_area import AnswerArea
from trainer.tui.widgets.evidence_log import EvidenceLog, Part, parts_of


class IncidentScreen(TrainerScreen[ScenarioRun]):
    """Dismissed with the run once it is scored (its `scored` debrief), or None when left."""

    BINDINGS = [
        Binding("h", "hint", f"Hint (-{HINT_COST})"),
        Binding("d", "diagnose", "Diagnose"),
        Binding("n", "notes", "Notes"),
        Binding("slash", "type_query", "PromQL"),
        Binding("e", "evidence", "Scroll the evidence", show=False),
        Binding("w", "wide", "Wide"),
        Binding("escape", "leave", "Leave"),
    ]

    def __init__(self, run: ScenarioRun, resumed: bool = False):
        super().__init__()
        self.run = run
        self.scenario = run.scenario
        self.simulation = run.simulation
        self.resumed = resumed
        self.in_progress = True
        self._before: dict[str, float] = dict(self.simulation.values)  # values a step ago

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="incident-status"):
            yield Static(id="incident-clock")
            yield Static(id="incident-signals")
            yield Static(id="incident-injects")
        with Horizontal(id="incident"):
            with Vertical(id="actions-panel"):
                yield OptionList(id="actions")
            with Vertical(id="evidence-panel"):
                yield EvidenceLog(id="evidence")
                yield AnswerArea(self.run.notes, id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self.notes.border_title = "Notes (n to write, Esc to leave)"
        self.query_one("#actions").border_title = "Actions"
        self.evidence.border_title = "Evidence (e, then arrows to scroll)"
        self.log_entry(
            Part(Text("PAGE", style="bold red")),
            *parts_of(self.scenario.page),
            Part(Text("First look", style="bold"), gap=True),
            *parts_of(self.scenario.first_look),
        )
        during_steps = {id(f) for step in self.simulation.steps for f in step.injects}
        for fired in self.simulation.fired:
            if id(fired) not in during_steps:
                self._show_inject(fired, announce=not self.resumed)
        if self.resumed:
            self._replay()
        self._refresh()
        for fired in self.simulation.open_injects():
            if fired.inject.expects == "action" and fired.inject.actions:
                self._highlight(fired.inject.actions[0])

    # -- drawing ---------------------------------------------------------------------------
    @property
    def evidence(self) -> EvidenceLog:
        return self.query_one("#evidence", EvidenceLog)

    @property
    def notes(self) -> AnswerArea:
        return self.query_one("#notes", AnswerArea)

    def log_entry(self, *parts: Part | Text) -> None:
        self.evidence.add(*parts)

    def _show_status(self) -> None:
        """The header: the clock and title (one line), the signals, what injects wait for."""
        sim = self.simulation
        clock = join(
            Text(f" {sim.clock()} ", style="bold reverse"),
            Text(f" +{sim.minute} min ", style="dim"),
        )
        if self.scenario.budget is not None:
            clock.append_text(
                Text(f" budget {format_number(sim.budget_used, '.1f')}% burned ", "dim")
            )
        clock.append_text(literal(f" {self.scenario.title}", "bold"))
        self.query_one("#incident-clock", Static).update(clock)
        signals = Text()
        for signal in self.scenario.signals:
            value = sim.values[signal.id]
            ok = signal.healthy(value)
            signals.append("✓ " if ok else "✗ ", style="green" if ok else "bold red")
            shown = f"{signal.label} {format_number(value)}{signal.unit}"
            signals.append_text(literal(shown, "green" if ok else "red"))
            before = self._before.get(signal.id, value)
            if value != before:
                worse = (value > before) == (signal.good_max is not None)
                signals.append(" ▲" if value > before else " ▼", style="red" if worse else "green")
            signals.append("  ")
        signals.rstrip()
        self.query_one("#incident-signals", Static).update(signals)
        waiting = Text()
        for fired in sim.open_injects():
            if waiting.plain:
                waiting.append("\n")
            waiting.append_text(join(Text("⚑ ", style="bold yellow"), self._expects(fired, True)))
        injects = self.query_one("#incident-injects", Static)
        injects.update(waiting)
        injects.display = bool(waiting.plain)

    def _expects(self, fired: FiredInject, short: bool = False) -> Text:
        """What an inject waits for, by when, and what missing it costs (`short`: for the
        header)."""
        inject = fired.inject
        labels = [a.label for a in self.scenario.actions if a.id in inject.actions]
        deadline = fired.deadline
        by = self.simulation.clock(deadline) if deadline is not None else None
        if short:
            what = "a status update" if inject.expects == "update" else " or ".join(labels)
            cost = f" (-{inject.cost} if not)" if inject.cost else ""
            when = f"By {by}" if by else "Waiting"
            return literal(f"{when}{cost}: {self._gist(what or 'an action', 60)}", "bold yellow")
        if inject.expects == "update":
            what = "a status update"
        else:
            what = "an action: " + " or ".join(labels) if labels else "an action"
        when = f" by {by}" if by else ""
        cost = f"; unanswered it costs {inject.cost} points" if inject.cost else ""
        return literal(f"→ Expects {what}{when}{cost}", "bold yellow")

    def _refresh(self) -> None:
        self._show_status()
        actions = self.query_one("#actions", OptionList)
        highlighted = actions.highlighted_option.id if actions.highlighted_option else None
        actions.clear_options()
        for action in self.simulation.available():
            kind = ACTION_KINDS[action.kind]
            how = ""
            if kind.tells:
                how = " (you write it)"
            elif action.promql:
                how = " (or type it: /)"
            actions.add_option(
                Option(
                    join(
                        Text(kind.badge, style=f"bold {kind.style}"),
                        literal(f" {action.label} "),
                        Text(f"{action.minutes}m", style="dim"),
                        Text(how, style="dim italic"),
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
        ids = [actions.get_option_at_index(i).id for i in range(actions.option_count)]
        if highlighted is not None and highlighted in ids:
            actions.highlighted = ids.index(highlighted)
        elif actions.option_count:
            actions.highlighted = 0
        if self.focused is None:
            actions.focus()

    def _show_step(self, step: Step, again: bool = False, announce: bool = True) -> None:
        action = step.action
        head = join(
            Text(f"{self.simulation.clock(step.at_minute)} ", style="bold"),
            literal(f"$ {action.command or action.label}", "bold cyan"),
            Text(" (the result as it read then)" if again else "", style="dim"),
        )
        parts: list[Part | Text] = [head]
        if step.text is not None:
            parts.append(join(Text("Your update: ", style="bold green"), literal(step.text)))
        parts += parts_of(action.evidence)
        parts += [Part(literal(format_series(s), "yellow"), True) for s in action.series]
        if action.harm:
            parts.append(join(Text("⚠ Harm done: ", style="bold red"), literal(action.harm, "red")))
        for fired in self._answered_by(step):
            parts.append(
                join(
                    Text("✓ Answers: ", style="bold green"),
                    literal(self._gist(fired.inject.text, 100)),
                )
            )
        for source in step.relapsed:
            label = self._label_of(source)
            parts.append(
                join(
                    Text("⚠ Signals moved again: ", style="bold yellow"),
                    literal(f"the effect of “{label}” wore off."),
                )
            )
        self.log_entry(*parts)
        if again:
            return
        for fired in step.injects:
            self._show_inject(fired, announce)
        for inject_id in step.missed:
            self._show_missed(inject_id)

    def _answered_by(self, step: Step) -> list[FiredInject]:
        """The injects this step answered (they wait for what it is, and it came in time)."""
        tells = ACTION_KINDS[step.action.kind].tells
        return [
            f
            for f in self.simulation.fired
            if f.answered_at == step.started_at
            and f.minute <= step.started_at
            and (
                (f.inject.expects == "update" and tells)
                or (f.inject.expects == "action" and step.action.id in f.inject.actions)
            )
        ]

    @staticmethod
    def _gist(text: str, length: int) -> str:
        """A text on one line, cut to `length` characters."""
        flat = " ".join(text.split())
        return flat[:length] + ("…" if len(flat) > length else "")

    def _label_of(self, source: str) -> str:
        try:
            return self.scenario.action(source).label
        except KeyError:
            return source  # an inject's effect

    def _show_inject(self, fired: FiredInject, announce: bool) -> None:
        inject = fired.inject
        at = self.simulation.clock(fired.minute)
        head = Text(f" ⚑ {at}  New in the incident ", "bold reverse yellow")
        expects = self._expects(fired) if inject.expects else Text()
        self.log_entry(head, *parts_of(inject.text), expects)
        if announce:
            # Short: the evidence log holds the whole text, the header what it waits for.
            self.notify(
                self._gist(inject.text, 90),
                title=f"{at}: new in the incident",
                severity="warning",
                timeout=6,
                markup=False,
            )

    def _show_missed(self, inject_id: str) -> None:
        fired = next((f for f in self.simulation.fired if f.inject.id == inject_id), None)
        if fired is None:
            return
        cost = f" (-{fired.inject.cost})" if fired.inject.cost else ""
        self.log_entry(
            join(
                Text(
                    f"⚑ {self.simulation.clock(fired.deadline or fired.minute)} Unanswered{cost}: ",
                    "bold red",
                ),
                literal(self._gist(fired.inject.text, 120)),
            )
        )

    def _show_hint(self, number: int, hint: str) -> None:
        self.log_entry(
            join(Text(f"Hint {number} (-{HINT_COST}): ", style="bold magenta"), literal(hint))
        )

    def _replay(self) -> None:
        """A resumed run: its log rebuilt from the saved steps and hints, in order."""
        steps = iter(self.simulation.steps)
        hints = 0
        for event in self.run.events:
            if "take" in event:
                step = next(steps, None)
                if step is not None:
                    self._show_step(step, announce=False)
            elif "hint" in event and hints < len(self.scenario.hints):
                hints += 1
                self._show_hint(hints, self.scenario.hints[hints - 1])
        self.log_entry(
            Text(
                f"Resumed at {self.simulation.clock()}: {len(self.simulation.taken)} action(s) "
                "taken, your notes and texts are back.",
                style="bold green",
            )
        )

    # -- actions ---------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        action_id = event.option.id
        if action_id is None:
            return
        action = self.scenario.action(action_id)
        if ACTION_KINDS[action.kind].tells:
            from trainer.tui.screens.status_update import StatusUpdateScreen

            self.app.push_screen(
                StatusUpdateScreen(self.run, action), lambda text: self._post(action_id, text)
            )
            return
        self.take(action_id)

    def _post(self, action_id: str, text: str | None) -> None:
        if text is not None:
            self.take(action_id, text)

    def take(self, action_id: str, text: str | None = None) -> Step | None:
        """Take an action through the service (which saves the run) and show what it did."""
        self._before = dict(self.simulation.values)
        try:
            step = self.app.service.take_action(self.run, action_id, text)
        except ActionError as error:
            self.notify(str(error).capitalize() + ".", severity="warning", markup=False)
            return None
        self._show_step(step)
        self._refresh()
        for fired in step.injects:
            if fired.inject.expects == "action" and fired.inject.actions:
                self._highlight(fired.inject.actions[0])  # what answers it, under the cursor
        self.draft_kept(self.app.service.scenario_saved(self.run))
        return step

    def _highlight(self, action_id: str) -> None:
        actions = self.query_one("#actions", OptionList)
        for index in range(actions.option_count):
            if actions.get_option_at_index(index).id == action_id:
                actions.highlighted = index
                return

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
            self.log_entry(
                join(Text("Query matches: ", style="bold green"), literal(found.action.label))
            )
            self.take(found.action.id)
        elif found.kind == "rerun" and found.action is not None:
            step = next(s for s in self.simulation.steps if s.action.id == found.action.id)
            self.log_entry(
                join(Text("Ran again: ", style="bold green"), literal(found.action.label))
            )
            self._show_step(step, again=True)
        elif found.kind == "invalid":
            where = ""
            if found.error is not None and found.error.position is not None:
                from trainer.grading.promql import line_and_column

                line, column = line_and_column(typed, found.error.position)
                where = (
                    f" at line {line}, column {column}" if "\n" in typed else f" at column {column}"
                )
            self.log_entry(
                join(
                    Text("Query does not parse", style="bold red"),
                    literal(f"{where}: {found.message}", "red"),
                ),
                Part(literal(typed, "red"), True),
            )
        else:
            self.log_entry(join(Text("No match. ", style="bold yellow"), literal(found.message)))

    def action_hint(self) -> None:
        hint = self.app.service.hint(self.run)
        if hint is None:
            self.notify("No more hints for this incident.", timeout=3)
            return
        self._show_hint(self.simulation.hints_used, hint)
        self.draft_kept(self.app.service.scenario_saved(self.run))

    def action_notes(self) -> None:
        self.notes.focus()

    def action_evidence(self) -> None:
        self.evidence.focus()

    def action_wide(self) -> None:
        """Hide or show the actions, to read wide output at the pane's full width."""
        panel = self.query_one("#actions-panel")
        panel.display = not panel.display
        if not panel.display:
            self.evidence.focus()
        else:
            self.query_one("#actions").focus()

    # -- drafts ----------------------------------------------------------------------------
    def on_answer_area_draft_due(self, event: AnswerArea.DraftDue) -> None:
        self.keep_notes()

    def keep_notes(self) -> None:
        if self.in_progress:
            self.notes.flush_typed()
            saved = self.app.service.save_scenario_text(self.run, NOTES, self.notes.text)
            self.draft_kept(saved)

    def keep_draft(self) -> None:
        """The app is closing (or crashing): the notes and the run are kept to resume."""
        if self.in_progress:
            self.keep_notes()
            self.app.service.keep_scenario(self.run)

    def on_screen_suspend(self) -> None:
        self.keep_notes()

    # -- leaving ---------------------------------------------------------------------------
    def action_leave(self) -> None:
        if self.focused is self.notes or self.focused is self.evidence:
            self.query_one("#actions-panel").display = True
            self.query_one("#actions").focus()
            return
        self.notes.flush_typed()
        if not self.run.events and not self.notes.text.strip():
            self._leave()  # nothing done yet: nothing to keep
            return
        self.app.push_screen(LeaveIncidentScreen(self.simulation.clock()), self._leave_chosen)

    def _leave_chosen(self, choice: LeaveChoice | None) -> None:
        if choice == "keep":
            self.keep_notes()
            if not self.app.service.keep_scenario(self.run):
                self.notify(
                    "The run could not be saved to disk: it is kept while the app is open and "
                    "retried.",
                    severity="warning",
                    markup=False,
                )
            self._leave()
            self.notify("Run kept: pick the scenario again to resume it.", timeout=4)
        elif choice == "abandon":
            try:
                self.app.service.abandon_scenario(self.run)
            except StoreWriteError as error:
                self.write_failed(error, "The run stays open.")
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
        self.keep_notes()
        self.app.push_screen(DiagnosisScreen(self.run), self._diagnosed)

    def _diagnosed(self, scored: bool | None) -> None:
        if scored:
            self.in_progress = False
            self.close(self.run)
