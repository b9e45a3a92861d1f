"""The stats charts: a labelled y axis, the value over each column, labels under them."""

from __future__ import annotations

from trainer.tui.widgets.charts import Column, column_chart, nice_max


def lines(text) -> list[str]:
    return text.plain.split("\n")


def test_axis_ticks_values_and_labels():
    chart = lines(column_chart([Column(3, "Mo\n1"), Column(0, "Tu\n2"), Column(8, "We\n3")]))
    assert chart[0].startswith("10 ┤") and " 8 " in chart[0]  # room over the tallest
    assert any(line.startswith(" 5 ┤") for line in chart)
    assert chart[-3].startswith(" 0 ┴")
    assert chart[-2].split() == ["Mo", "Tu", "We"] and chart[-1].split() == ["1", "2", "3"]
    body = "\n".join(chart[:-3])
    assert " 3 " in body and " 0 " in body  # every value is printed


def test_a_value_at_the_top_is_printed_in_its_bar_and_practice_is_hollow():
    chart = lines(column_chart([Column(100), Column(40, hollow=True)], height=4, top=100))
    assert "100" in chart[0] and "░" in "\n".join(chart) and " 40" in "\n".join(chart)
    assert chart[0].startswith("100 ┤") and chart[2].startswith(" 50 ┤")


def test_axis_labels_for_narrow_columns():
    chart = lines(
        column_chart(
            [Column(n % 4) for n in range(30)],
            width=1,
            values=False,
            axis_labels={0: "Nov 01", 29: "today"},
        )
    )
    assert "Nov 01" in chart[-1] and "today" in chart[-1]


def test_round_tops_give_whole_ticks():
    assert [nice_max(v) for v in (0, 3, 7, 11, 41)] == [2, 4, 10, 20, 100]
