"""A scenario run as the player lives it: the simulation plus everything typed (notes, status
updates, the diagnosis and the write-up drafts), the hints taken and the seed. Its state is a
small JSON document saved to the store after every change, so a run left (Esc, a crash, a
closed terminal) resumes where it stopped, notes included.

    run = ScenarioRun(scenario, seed)           # or ScenarioRun.restore(scenario, saved_state)
    step = run.take("backend-logs")             # or run.take("status-update", text="...")
    run.notes = "..."; run.root_cause = "..."; run.writeup = "..."
    run.update = "..."                          # a status update being written, not posted yet
    run.save(store)                             # after each change; returns the run id
    debrief = run.finish(store)                 # score, record the result, close the run (once)
    run.abandon(store)                          # left on purpose: not offered again
    ScenarioRun.unfinished(store)               # saved runs still open, newest first
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trainer.scenarios.engine import ActionError, Simulation, Step
from trainer.scenarios.models import Cause, Scenario

if TYPE_CHECKING:
    from trainer.scenarios.scoring import Debrief

STATE_VERSION = 1
MAX_TEXT = 20_000  # per typed field; the grader's own limit
TEXTS = ("notes", "root_cause", "writeup", "update")  # the typed fields a run keeps


class RunStateError(ValueError):
    """A saved run that cannot be restored (another scenario version, a damaged state)."""


class ScenarioRun:
    def __init__(self, scenario: Scenario, seed: int | None = None):
        self.simulation = Simulation(scenario, seed)
        self.scenario = self.simulation.scenario
        self.seed = seed
        self.run_id: int | None = None
        self.notes = ""
        self.root_cause = ""
        self.writeup = ""
        self.update = ""
        self.events: list[dict[str, Any]] = []
        self.scored: Debrief | None = None  # the debrief, once recorded
        self._result_id: int | None = None
        self._closed = False

    # -- playing ---------------------------------------------------------------------------
    def take(self, action_id: str, text: str | None = None) -> Step:
        step = self.simulation.take(action_id, text)
        event: dict[str, Any] = {"take": action_id}
        if text is not None:
            event["text"] = text
        self.events.append(event)
        return step

    def hint(self) -> str | None:
        hint = self.simulation.hint()
        if hint is not None:
            self.events.append({"hint": self.simulation.hints_used})
        return hint

    def choices(self) -> list[Cause]:
        if not self.simulation.choices_used:
            self.events.append({"choices": True})
        return self.simulation.choices()

    # -- saving ----------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """A JSON-able document from which `restore` rebuilds this run exactly."""
        return {
            "version": STATE_VERSION,
            "scenario": self.scenario.id,
            "seed": self.seed,
            "variant": self.scenario.variant,
            "events": list(self.events),
            "notes": self.notes,
            "root_cause": self.root_cause,
            "writeup": self.writeup,
            "update": self.update,
            "clock": self.simulation.clock(),
        }

    @classmethod
    def restore(cls, scenario: Scenario, state: dict[str, Any]) -> ScenarioRun:
        """Replay a saved run (the engine is deterministic for a seed and the same steps).
        RunStateError when the state does not fit the scenario as it is now."""
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise RunStateError("the saved run is from another version of sre-trainer")
        if state.get("scenario") != scenario.id:
            raise RunStateError(
                f"the saved run is of {state.get('scenario')!r}, not {scenario.id!r}"
            )
        seed = state.get("seed")
        if seed is not None and not isinstance(seed, int):
            raise RunStateError("the saved run has a damaged seed")
        run = cls(scenario, seed)
        if run.scenario.variant != state.get("variant", run.scenario.variant):
            raise RunStateError("the scenario's variants changed since the run was saved")
        events = state.get("events")
        if not isinstance(events, list):
            raise RunStateError("the saved run has no list of steps")
        try:
            for event in events:
                run._replay(event)
        except (ActionError, TypeError, KeyError) as exc:
            raise RunStateError(f"the scenario changed since the run was saved ({exc})") from None
        for name in TEXTS:
            value = state.get(name, "")
            setattr(run, name, value[:MAX_TEXT] if isinstance(value, str) else "")
        return run

    def _replay(self, event: dict[str, Any]) -> None:
        if "take" in event:
            text = event.get("text")
            self.take(str(event["take"]), text if isinstance(text, str) else None)
        elif "hint" in event:
            self.hint()
        elif "choices" in event:
            self.choices()
        else:
            raise KeyError(f"unknown step {event!r}")

    @property
    def closed(self) -> bool:
        """Finished or abandoned: nothing more is saved."""
        return self._closed

    def save(self, store, when=None) -> int | None:
        """Save the state now (insert the first time); the run's id. A closed run is not
        saved again (it would come back as a new unfinished run)."""
        if self._closed:
            return self.run_id
        self.run_id = store.save_scenario_run(
            self.run_id, self.scenario.id, self.to_state(), when=when
        )
        return self.run_id

    def debrief(self) -> Debrief:
        from trainer.scenarios.scoring import score

        return score(self.simulation, self.root_cause or None, self.writeup)

    def finish(self, store, when=None) -> Debrief:
        """Score the run, record the result and close the saved run, once: called again (after
        a failed write, say) it completes what is left and returns the same debrief."""
        if self.scored is None:
            debrief = self.debrief()
            self._result_id = store.record_scenario(
                debrief.scenario_id,
                debrief.score,
                debrief.root_cause_correct,
                debrief.mitigated,
                debrief.minutes_to_mitigate,
                debrief.path,
                self.writeup,
                debrief.to_json()["breakdown"],
                when=when,
            )
            self.scored = debrief
        if not self._closed:
            if self.run_id is None:
                self.save(store, when)
            assert self.run_id is not None
            store.end_scenario_run(self.run_id, "finished", self._result_id, when=when)
            self._closed = True
        return self.scored

    def abandon(self, store, when=None) -> None:
        if self.run_id is not None and not self._closed:
            store.end_scenario_run(self.run_id, "abandoned", None, when=when)
        self._closed = True

    @staticmethod
    def unfinished(store) -> list[dict[str, Any]]:
        """Saved runs still open (left or crashed), newest first: id, scenario_id,
        started_at, updated_at, state. Restore one with `restore(scenario, row["state"])`."""
        return store.unfinished_scenario_runs()
