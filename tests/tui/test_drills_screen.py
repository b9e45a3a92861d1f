"""The drills screen as a user meets it: honest feedback, one stored attempt per drill, the
answer on request, carets on the right line, and every key visible at 80x24."""

from __future__ import annotations

from test_flows import rendered
from textual.widgets._footer import FooterKey

from trainer.store.db import Store
from trainer.tui.screens.drills import DrillScreen

BROKEN = 'sum by (pod) (\n  rate(container_cpu_usage_seconds_total{namespace="default"[5m])\n)'


async def open_promql_drill(pilot):
    await pilot.press("d")
    screen = pilot.app.screen
    assert isinstance(screen, DrillScreen)
    while screen.session.current.item is None or screen.session.current.item.kind != "promql":
        await pilot.press("ctrl+n")
    return screen


async def test_header_never_names_the_answer(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("d")
        screen = app.screen
        for key in ("f1", "f2", "f3", "f4"):
            await pilot.press(key)
            for _ in range(3):
                header = rendered(screen.query_one("#drill-kind"))
                drill = screen.session.current
                assert drill.item_id not in header and drill.reference not in header
                await pilot.press("ctrl+n")


async def test_invalid_attempt_shows_where_and_no_reference(app, data_dir):
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_promql_drill(pilot)
        screen.query_one("#answer").text = BROKEN
        await pilot.press("ctrl+s")
        shown = rendered(screen.query_one("#drill-result"))
        assert shown.startswith("INVALID") and "Parse error" in shown
        assert "Reference" not in shown and screen.session.current.reference not in shown
        lines = shown.splitlines()
        at = next(i for i, line in enumerate(lines) if "line 2:" in line)
        assert lines[at][lines[at + 1].index("^")] == "["
    assert Store.open(data_dir).attempts() == []


async def test_checking_again_stores_one_attempt(app, data_dir):
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_promql_drill(pilot)
        drill = screen.session.current
        screen.query_one("#answer").text = "up"
        await pilot.press("ctrl+s")
        assert "Reference" in rendered(screen.query_one("#drill-result"))  # a real attempt
        screen.query_one("#answer").text = drill.reference
        await pilot.press("ctrl+s", "ctrl+s")
        assert rendered(screen.query_one("#drill-result")).startswith("CORRECT")
    attempts = Store.open(data_dir).attempts(drill.schedule_id)
    assert len(attempts) == 1 and attempts[0].score == 100


async def test_f5_shows_the_answer_and_records_the_ask(app, data_dir):
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_promql_drill(pilot)
        drill = screen.session.current
        await pilot.press("f5")
        assert drill.reference in rendered(screen.query_one("#drill-result"))
        screen.query_one("#answer").text = drill.reference
        await pilot.press("ctrl+s")
        assert "practice" in rendered(screen.query_one("#drill-result"))
    (attempt,) = Store.open(data_dir).attempts(drill.schedule_id)
    assert attempt.score == 0 and attempt.rating == 1


async def test_every_drill_key_stays_visible_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        keys = {k.key: k for k in app.screen.query(FooterKey)}
        for key, label in (("f4", "Numbers"), ("escape", "Back"), ("ctrl+s", "Check")):
            widget = keys[key]
            assert widget.description == label
            region = widget.region
            assert region.width > 0 and region.right <= 80, (key, region)
