"""The scenario screens as a player uses them: a root cause typed in their own words and graded,
the candidate causes as a paid hint, status updates written and graded, injects shown with what
they expect and what ignoring them costs, evidence and the header from the simulation state,
wide command output at 80x24, Escape that asks, runs resumed after the app is rebuilt, and
scenarios from --bank folders and the packs folder."""

from __future__ import annotations

from helpers import write
from test_custody import notices, type_text
from test_flows import rendered

from trainer.paths import scenarios_dir
from trainer.scenarios.templates import format_number
from trainer.store.db import Store
from trainer.tui.app import make_app
from trainer.tui.screens.debrief import DebriefScreen
from trainer.tui.screens.diagnosis import DiagnosisScreen
from trainer.tui.screens.incident import IncidentScreen
from trainer.tui.screens.leave_incident import LeaveIncidentScreen
from trainer.tui.screens.resume_scenario import ResumeScenarioScreen
from trainer.tui.screens.scenario_picker import ScenarioPickerScreen
from trainer.tui.screens.status_update import StatusUpdateScreen

# A diagnosis in a player's own words (not the model's): mechanism, trigger and evidence.
OWN_WORDS = (
    "After the new release went out, the backend reads products from a DynamoDB table that "
    "does not exist: the new config has the wrong table name. Every failing request logs "
    "ResourceNotFoundException for it."
)


async def open_scenario(pilot, scenario_id: str) -> IncidentScreen:
    """The scenario started from the picker, as a player starts it."""
    await pilot.press("s")
    picker = pilot.app.screen
    assert isinstance(picker, ScenarioPickerScreen)
    picker.start(scenario_id)
    await pilot.pause()
    incident = pilot.app.screen
    assert isinstance(incident, IncidentScreen)
    return incident


async def diagnose(pilot, root_cause: str, writeup: str = "We rolled back.", choices=False):
    await pilot.press("d")
    screen = pilot.app.screen
    assert isinstance(screen, DiagnosisScreen)
    if choices:
        await pilot.press("f2")
    screen.query_one("#root-cause").text = root_cause
    screen.query_one("#writeup").text = writeup
    await pilot.press("ctrl+s")
    assert isinstance(pilot.app.screen, DebriefScreen)
    return pilot.app.screen


# -- the diagnosis ---------------------------------------------------------------------------
async def test_a_diagnosis_in_own_words_is_credited_point_by_point(app):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        for action in ("grafana-overview", "rollout-history", "backend-logs", "rollback"):
            incident.take(action)
        debrief = await diagnose(pilot, OWN_WORDS)
        grade = debrief.debrief.root_cause_grade
        roles = debrief.debrief.root_cause_roles
        assert {roles[p.text] for p in grade.points if p.matched} == {
            "mechanism",
            "trigger",
            "evidence",
        }
        assert debrief.debrief.items[0].points >= 20 and not debrief.debrief.choices_used
        shown = rendered(debrief.query_one("#debrief-root-cause"))
        assert OWN_WORDS in " ".join(shown.split())
        assert "Credited" in shown and "✓ mechanism:" in shown and "✓ evidence:" in shown
        assert "A strong diagnosis" in shown


async def test_a_wrong_cause_shows_its_red_flag_and_the_missed_points(app):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take("grafana-overview")
        debrief = await diagnose(pilot, "DynamoDB read throttling: the capacity is too low.")
        shown = rendered(debrief.query_one("#debrief-root-cause"))
        assert "Missed" in shown and "✗ mechanism:" in shown
        assert "Red flags" in shown and "Blames DynamoDB capacity" in shown
        assert debrief.debrief.items[0].points <= 5


async def test_the_candidate_causes_are_a_paid_hint_and_the_diagnosis_is_still_typed(app):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take("grafana-overview")
        await pilot.press("d")
        diagnosis = app.screen
        assert not diagnosis.query_one("#choices").display  # nothing shown for free
        await pilot.press("f2", "f2")  # charged once
        shown = rendered(diagnosis.query_one("#choices"))
        expected = app.service.scenario_choices(incident.run)
        assert [line.split(". ", 1)[1] for line in shown.splitlines()[1:]] == [
            c.label for c in expected
        ]
        assert sorted(c.id for c in expected) == sorted(c.id for c in incident.scenario.causes)
        assert incident.run.events.count({"choices": True}) == 1
        diagnosis.query_one("#root-cause").text = OWN_WORDS
        diagnosis.query_one("#writeup").text = "We rolled back."
        await pilot.press("ctrl+s")
        debrief = app.screen.debrief
        assert debrief.choices_used
        assert [(i.name, i.points) for i in debrief.items if i.name == "Multiple-choice hint"] == [
            ("Multiple-choice hint", -10)
        ]


async def test_diagnosis_texts_are_kept_with_the_run(app, data_dir):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take("grafana-overview")
        await pilot.press("d")
        await type_text(pilot, "a table that does not exist")
        await pilot.press("escape")  # back to the incident: kept
        assert app.screen is incident
        (row,) = Store.open(data_dir).unfinished_scenario_runs()
        assert row["state"]["root_cause"] == "a table that does not exist"
        await pilot.press("d")
        assert app.screen.query_one("#root-cause").text == "a table that does not exist"


# -- status updates --------------------------------------------------------------------------
async def test_a_status_update_is_written_drafted_posted_and_graded(app, data_dir):
    update = "Customers cannot browse the catalog: about half of all requests fail. We are on it."
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take("grafana-overview")
        actions = incident.query_one("#actions")
        ids = [actions.get_option_at_index(i).id for i in range(actions.option_count)]
        await pilot.press("home", *["down"] * ids.index("status-update"), "enter")
        assert isinstance(app.screen, StatusUpdateScreen)
        await type_text(pilot, update)
        await pilot.press("escape")  # not now: the draft stays with the run
        assert app.screen is incident and "status-update" not in incident.simulation.taken
        (row,) = Store.open(data_dir).unfinished_scenario_runs()
        assert row["state"]["update"] == update
        await pilot.press("enter")
        assert app.screen.query_one("#update").text == update
        await pilot.press("ctrl+s")
        assert app.screen is incident
        assert incident.simulation.updates[-1].text == update
        assert f"Your update: {update}" in " ".join(incident.evidence.plain().split())
        debrief = await diagnose(pilot, OWN_WORDS)
        (graded,) = debrief.debrief.updates
        assert 0 < graded.score < 100
        shown = rendered(debrief.query_one("#debrief-updates"))
        missed = next(line for line in shown.splitlines() if "missed:" in line)
        assert f"{graded.score}/100" in shown and "When the next update comes" in missed


async def test_an_update_naming_the_cause_before_the_evidence_is_flagged(app):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take(
            "status-update",
            "Half of all requests fail because the table does not exist. Next update at 15:00.",
        )
        debrief = await diagnose(pilot, OWN_WORDS)
        shown = rendered(debrief.query_one("#debrief-updates"))
        assert "states a cause the evidence had not shown yet as fact" in shown


# -- injects ---------------------------------------------------------------------------------
async def test_an_inject_is_shown_with_its_deadline_and_its_cost_in_the_debrief(app):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        sim = incident.simulation
        for action in ("grafana-overview", "errors-by-route", "rollout-history"):
            incident.take(action)
        assert not sim.fired and not incident.query_one("#incident-injects").display
        step = incident.take("get-pods")  # minute 6: the VP asks
        (fired,) = step.injects
        await pilot.pause()
        by = sim.clock(fired.deadline)
        log = " ".join(incident.evidence.plain().split())
        assert "New in the incident" in log and "Support is flooded" in log
        assert f"Expects a status update by {by}; unanswered it costs 5 points" in log
        assert any("Support is flooded" in n for n in notices(app))
        assert f"By {by}" in rendered(incident.query_one("#incident-injects"))
        for action in ("backend-logs", "trace-failing-request", "elb-target-health", "ddb-metrics"):
            incident.take(action)  # past the deadline, no update
        assert fired.missed
        assert "Unanswered (-5)" in incident.evidence.plain()
        assert not incident.query_one("#incident-injects").display
        debrief = await diagnose(pilot, OWN_WORDS)
        assert [(i.name, i.points) for i in debrief.debrief.items if i.name == "Injects"] == [
            ("Injects", -5)
        ]
        shown = rendered(debrief.query_one("#debrief-injects"))
        assert "✗ unanswered" in shown and f"by {by}; -5 points" in shown


async def test_an_inject_answered_in_time_says_so(app):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        for action in ("grafana-overview", "errors-by-route", "rollout-history", "get-pods"):
            incident.take(action)
        incident.take("status-update", "About half of requests fail. Next update at 15:00.")
        assert "✓ Answers: #inc-" in incident.evidence.plain()
        debrief = await diagnose(pilot, OWN_WORDS)
        assert "✓ answered at" in rendered(debrief.query_one("#debrief-injects"))
        assert not [i for i in debrief.debrief.items if i.name == "Injects" and i.points]


def copy_of(scenario_id: str, new_id: str, folder, at: int | None = None) -> None:
    """A built-in scenario under a new id in a folder; `at` moves its inject to that minute."""
    text = (scenarios_dir() / f"{scenario_id}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"id: {scenario_id}", f"id: {new_id}", 1)
    if at is not None:
        text = text.replace("      at: 6\n", f"      at: {at}\n", 1)
    write(folder / f"{new_id}.yaml", text)


async def test_scenarios_from_packs_and_bank_folders_and_an_inject_with_the_page(
    data_dir, clock, bank, tmp_path, isolated_home
):
    copy_of("error-rate-50", "paged-with-the-vp", isolated_home / "packs", at=0)
    broken = "scenario:\n  id: broken\n  difficulty: '[red]hard'\n"
    write(isolated_home / "packs" / "[red]broken.yaml", broken)
    copy_of("error-rate-50", "my-outage", tmp_path / "bank")
    app = make_app(
        data_dir=data_dir, clock=clock, bank=bank, fuzzing=False, pack_dirs=[tmp_path / "bank"]
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        picker = app.screen
        options = picker.query_one("#scenario-list")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert {"paged-with-the-vp", "my-outage", "error-rate-50"} <= set(ids)
        errors = rendered(picker.query_one("#scenario-errors"))
        assert "1 scenario file(s) skipped" in errors
        assert "[red]broken.yaml:2: scenario: missing required key" in errors  # literally
        await pilot.press(*["down"] * ids.index("paged-with-the-vp"), "enter")
        incident = app.screen
        assert isinstance(incident, IncidentScreen)
        assert incident.scenario.id == "paged-with-the-vp"
        await pilot.pause()
        (fired,) = incident.simulation.fired  # with the page, before any action
        by = incident.simulation.clock(fired.deadline)
        log = " ".join(incident.evidence.plain().split())
        assert "New in the incident" in log and "Support is flooded" in log
        assert f"Expects a status update by {by}" in log
        assert any("Support is flooded" in n for n in notices(app))
        assert f"By {by}" in rendered(incident.query_one("#incident-injects"))


# -- evidence from the state -----------------------------------------------------------------
async def test_the_header_and_the_evidence_follow_the_simulation(app):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        sim = incident.simulation
        before = sim.values["error_rate"]
        step = incident.take("grafana-overview")
        now = sim.values["error_rate"]
        assert now > before  # drift while unhealthy
        header = rendered(incident.query_one("#incident-signals"))
        assert f"5xx rate {format_number(now)}% ▲" in header
        assert sim.clock() in rendered(incident.query_one("#incident-clock"))
        log = incident.evidence.plain()
        assert step.action.evidence.splitlines()[0] in log
        assert f"{format_number(now)}% now" in log  # the output agrees with the header
        assert step.action.series[0].points[-1] == now  # the live series ends at the header


async def test_every_scenario_plays_through_the_tui_at_80x24(app):
    """Each scenario's model path, updates, diagnosis and write-up, played through the screens
    at 80x24: every table keeps one line per row, and the model scores >= 90."""
    from trainer.registry import ACTION_KINDS

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        picker = app.screen
        for scenario_id in picker.scenarios:
            picker.start(scenario_id)
            await pilot.pause()
            incident = app.screen
            scenario = incident.scenario
            updates = iter(scenario.communication.model_updates)
            for action in scenario.model_path:
                text = None
                if ACTION_KINDS[scenario.action(action).kind].tells:
                    text = incident.simulation.render(next(updates, "")) or None
                incident.take(action, text)
            await pilot.pause()
            tables = list(incident.evidence.query(".evidence-pre"))
            assert tables, scenario_id
            for table in tables:
                assert table.size.height == len(rendered(table).splitlines()), scenario_id
            debrief = await diagnose(pilot, scenario.root_cause.model, scenario.model_writeup)
            assert debrief.debrief.score >= 90, (scenario_id, debrief.debrief.score)
            await pilot.press("escape")


async def test_wide_command_output_keeps_its_rows_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take("get-pods")
        await pilot.pause()
        log = incident.evidence
        table = next(w for w in log.query(".evidence-pre") if "READY   STATUS" in rendered(w))
        rows = rendered(table).splitlines()
        assert len(rows) > 3 and max(len(r) for r in rows) > log.scrollable_content_region.width
        assert table.size.height == len(rows)  # not one row wrapped
        assert log.max_scroll_x > 0
        await pilot.press("e", "right", "right")
        assert app.focused is log and log.scroll_x > 0
        narrow = log.size.width
        await pilot.press("w")  # the actions hide: the evidence takes the width
        await pilot.pause()
        assert not incident.query_one("#actions-panel").display and log.size.width > narrow
        await pilot.press("escape")  # the actions come back, nothing is left
        assert incident.query_one("#actions-panel").display and app.screen is incident


# -- leaving and resuming --------------------------------------------------------------------
async def test_escape_asks_and_abandon_closes_the_run(app, data_dir):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take("grafana-overview")
        await pilot.press("escape")
        assert isinstance(app.screen, LeaveIncidentScreen)
        assert "resume it later" in rendered(app.screen.query_one("#leave-text"))
        await pilot.press("escape")  # Escape again stays
        assert app.screen is incident
        await pilot.press("escape", "a")
        assert isinstance(app.screen, ScenarioPickerScreen)
        assert Store.open(data_dir).unfinished_scenario_runs() == []
        assert "▶" not in str(
            app.screen.query_one("#scenario-list").get_option("error-rate-50").prompt
        )


async def test_escape_before_anything_leaves_without_asking(app, data_dir):
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scenario(pilot, "error-rate-50")
        await pilot.press("escape")
        assert isinstance(app.screen, ScenarioPickerScreen)
        assert Store.open(data_dir).unfinished_scenario_runs() == []


async def test_a_run_resumes_in_a_rebuilt_app_with_its_notes_hints_and_texts(app_factory):
    first = app_factory()
    async with first.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take("grafana-overview")
        await pilot.press("h")
        incident.take("status-update", "About half of requests fail; next update at 15:00.")
        await pilot.press("n")
        await type_text(pilot, "rollback? v2 release at the same minute")
        first.keep_drafts()  # what the crash handler does first, before the notes rested
        taken, clock, values = (
            incident.simulation.taken,
            incident.simulation.clock(),
            dict(incident.simulation.values),
        )
        seed = incident.run.seed
    # The app is gone (a crash, a closed terminal); a new one starts on the same data.
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        picker = app.screen
        prompt = picker.query_one("#scenario-list").get_option("error-rate-50").prompt
        assert str(prompt).startswith("▶")
        picker.query_one("#scenario-list").highlighted = picker.query_one(
            "#scenario-list"
        ).get_option_index("error-rate-50")
        await pilot.press("enter")
        assert isinstance(app.screen, ResumeScenarioScreen)
        shown = rendered(app.screen.query_one("#resume-text"))
        assert f"at {clock} after 2 action(s)" in shown and "rollback? v2 release" in shown
        await pilot.press("r")
        resumed = app.screen
        assert isinstance(resumed, IncidentScreen)
        sim = resumed.simulation
        assert (sim.taken, sim.clock(), sim.values, resumed.run.seed) == (
            taken,
            clock,
            values,
            seed,
        )
        assert sim.hints_used == 1
        assert resumed.notes.text == "rollback? v2 release at the same minute"
        log = resumed.evidence.plain()
        assert "Hint 1 (-5)" in log and "Your update: About half" in log
        assert f"Resumed at {clock}" in log
        resumed.take("rollback")  # carries on, saved in place
    (row,) = Store.open(app.store.path.parent).unfinished_scenario_runs()
    assert row["state"]["events"][-1] == {"take": "rollback"}


async def test_choosing_a_new_run_closes_the_unfinished_one(app, data_dir):
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        incident.take("grafana-overview")
        await pilot.press("escape", "k")
        picker = app.screen
        options = picker.query_one("#scenario-list")
        options.highlighted = options.get_option_index("error-rate-50")
        await pilot.press("enter", "n")
        fresh = app.screen
        assert isinstance(fresh, IncidentScreen) and fresh.simulation.taken == []
        assert Store.open(data_dir).unfinished_scenario_runs() == []
