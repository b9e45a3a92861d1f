"""Typed PromQL in an incident: the prompt shows a real example and the open look-ups; a
narrower or equivalent query runs a look-up, and running it again shows its result again."""

from __future__ import annotations

from test_flows import rendered

from trainer.tui.screens.incident import IncidentScreen
from trainer.tui.screens.query_prompt import QueryPromptScreen

BACKEND_MEMORY = (
    'container_memory_working_set_bytes{namespace="default", pod=~"cloudmart-backend.*"}'
)


def evidence_text(screen) -> str:
    return screen.evidence.plain()


async def test_prompt_shows_a_real_example_and_the_open_look_ups(app):
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(IncidentScreen(app.service.start_scenario("nodejs-memory-leak")))
        await pilot.pause()
        await pilot.press("slash")
        prompt = app.screen
        assert isinstance(prompt, QueryPromptScreen)
        assert "PromQL: memory of the backend pods" in rendered(
            prompt.query_one("#promql-look-ups")
        )
        assert "container_cpu_usage_seconds_total" in rendered(prompt.query_one("#promql-example"))
        await pilot.press("escape")


async def test_narrower_query_runs_the_look_up_and_again_shows_it_again(app):
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(IncidentScreen(app.service.start_scenario("nodejs-memory-leak")))
        await pilot.pause()
        screen = app.screen
        screen.run_query(BACKEND_MEMORY)
        await pilot.pause()
        assert "memory-promql" in screen.simulation.taken
        minute = screen.simulation.minute
        screen.run_query(BACKEND_MEMORY + " / 1024 / 1024")
        await pilot.pause()
        shown = evidence_text(screen)
        assert "Ran again: PromQL: memory of the backend pods" in shown
        assert "No PromQL look-up" not in shown
        assert screen.simulation.minute == minute
        await pilot.press("slash")
        example = rendered(app.screen.query_one("#promql-example"))
        assert "container_memory_working_set_bytes" in example  # a query that ran here
        await pilot.press("escape")


async def test_a_broken_query_says_where(app):
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(IncidentScreen(app.service.start_scenario("nodejs-memory-leak")))
        await pilot.pause()
        screen = app.screen
        screen.run_query("(" * 1500 + "up" + ")" * 1500)
        screen.run_query('sum(rate(x{a="b"[5m]))')
        await pilot.pause()
        shown = evidence_text(screen)
        assert "limit is" in shown and "at column" in shown
