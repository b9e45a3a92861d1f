"""One-line wordings of single rubric points, from four writers: the point should be credited
when a line states it and not when a line argues against it. The floors sit a little under
what the grader measures now, so a change that loses general matching or lets dismissals earn
credit fails here. The holdout part is measured only; nothing was tuned on it."""

import pytest
from agreement import credited_lines
from helpers import DATA

from trainer.grading.concepts import grade


@pytest.mark.parametrize(
    ("name", "key", "floor"),
    [
        ("point_paraphrases.yaml", "dev", 0.97),
        ("point_paraphrases.yaml", "holdout", 0.74),
        ("point_paraphrases_dev2.yaml", "lines", 0.97),
        ("point_paraphrases_dev3.yaml", "lines", 0.98),
        ("point_paraphrases_dev4.yaml", "lines", 0.98),
    ],
)
def test_stated_points_are_credited(bank, name, key, floor):
    credited, missed = credited_lines(DATA / name, bank, grade, "paraphrases", key)
    total = len(credited) + len(missed)
    assert total >= 300
    assert len(credited) / total >= floor, f"{len(credited)}/{total}"


@pytest.mark.parametrize(
    ("name", "key", "ceiling"),
    [
        ("point_paraphrases.yaml", "answers", 0.04),
        ("point_paraphrases_dev2.yaml", "lines", 0.03),
        ("point_paraphrases_dev3.yaml", "lines", 0.13),
        ("point_paraphrases_dev4.yaml", "answers", 0.06),
    ],
)
def test_dismissed_points_are_not_credited(bank, name, key, ceiling):
    credited, rejected = credited_lines(DATA / name, bank, grade, "negated", key)
    total = len(credited) + len(rejected)
    assert total >= 100
    assert len(credited) / total <= ceiling, credited
