"""NO_COLOR: where colour carried meaning, a shape or a word carries it too."""

from __future__ import annotations

from textual.widgets import Checkbox, OptionList, SelectionList, Static

from trainer.tui.screens.feedback import FeedbackScreen
from trainer.tui.text import answer_legend, highlighted_answer


def inverse_highlight(options: OptionList) -> bool:
    """The highlighted option drawn light on dark's opposite: its background as bright as
    the text of the others, its own text dark."""
    plain = options.get_visual_style("option-list--option")
    lit = options.get_visual_style("option-list--option", "option-list--option-highlighted")
    return (
        lit.background.brightness - plain.background.brightness > 0.4
        and lit.foreground.brightness < lit.background.brightness
    )


async def test_no_color_shows_selection_by_shape(app_factory, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test() as pilot:
        assert app.no_color
        assert inverse_highlight(app.screen.query_one("#modes", OptionList))
        await pilot.press("q")  # the quiz set-up: categories to tick
        await pilot.pause()
        ticks = app.screen.query_one(SelectionList)
        unticked = ticks.get_component_rich_style("selection-list--button")
        ticked = ticks.get_component_rich_style("selection-list--button-selected")
        assert unticked.color == unticked.bgcolor  # no X in an unticked box
        assert ticked.color != ticked.bgcolor and ticked.bold


async def test_colour_is_left_as_it_was_without_no_color(app_factory, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = app_factory()
    async with app.run_test():
        assert not app.no_color
        assert not inverse_highlight(app.screen.query_one("#modes", OptionList))


async def test_no_color_feedback_names_the_shapes(app_factory, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test(size=(100, 50)) as pilot:  # the set-up's Start button in view
        await pilot.press("q")
        await pilot.pause()
        await pilot.click("#start")
        await pilot.pause()
        app.screen.query_one("#answer").text = "I check the logs, then roll back the deploy."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        shown = str(app.screen._answer())
        assert "(underlined: credited · reversed: red flag)" in shown
        assert "green" not in shown


def test_credited_and_flagged_text_differ_in_shape_not_only_colour():
    text = highlighted_answer("roll back now and delete the table", [(0, 9)], [(14, 34)])
    credited, flagged = (span.style for span in text.spans)
    assert "underline" in str(credited) and "reverse" in str(flagged)
    assert "underline" not in str(flagged) and "reverse" not in str(credited)
    assert answer_legend(no_color=False) == "(green: credited · red: red flag)"
    assert "underlined" in answer_legend(no_color=True)


async def test_no_color_ticked_boxes_show_their_x_and_unticked_ones_hide_it(
    app_factory, monkeypatch
):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.press("m")  # the mock set-up
        await pilot.pause()
        box = app.screen.query(Checkbox).first()
        box.value = False
        await pilot.pause()
        off = box.get_component_rich_style("toggle--button")
        box.value = True
        await pilot.pause()
        on = box.get_component_rich_style("toggle--button")
        assert off.color == off.bgcolor
        assert on.color != on.bgcolor and on.bold


async def test_no_color_debrief_names_the_shapes(app_factory, monkeypatch):
    from test_scenario_screens import OWN_WORDS, diagnose, open_scenario

    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_scenario(pilot, "error-rate-50")
        for action in ("grafana-overview", "rollout-history", "backend-logs", "rollback"):
            incident.take(action)
        debrief = await diagnose(pilot, OWN_WORDS)
        shown = " ".join(str(w.render()) for w in debrief.query(Static))
        assert "(underlined: credited · reversed: red flag)" in shown
        assert "green: credited" not in shown
