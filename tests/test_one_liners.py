"""One-line wordings of single rubric points, from three writers: the point should be credited
when a line states it and not when a line argues against it. The floors sit a little under
what the grader measures now, so a change that loses general matching or lets dismissals earn
credit fails here. The holdout part is measured only; nothing was tuned on it."""

from pathlib import Path

import pytest
import yaml

from trainer.grading.concepts import grade

DATA = Path(__file__).parent / "data"


def point_matched(bank, card_id: str, point_text: str, line: str) -> bool:
    result = grade(bank.card(card_id), line)
    point = next((p for p in result.points if p.text == point_text), None)
    assert point is not None, f"{card_id}: no point {point_text!r}"
    return point.matched


def lines_of(name: str, section: str, key: str) -> list[tuple[str, str, str]]:
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return [(e["card"], e["point"], line) for e in data[section] for line in e[key]]


@pytest.mark.parametrize(
    ("name", "key", "floor"),
    [
        ("point_paraphrases.yaml", "dev", 0.97),
        ("point_paraphrases.yaml", "holdout", 0.74),
        ("point_paraphrases_dev2.yaml", "lines", 0.97),
        ("point_paraphrases_dev3.yaml", "lines", 0.98),
    ],
)
def test_stated_points_are_credited(bank, name, key, floor):
    lines = lines_of(name, "paraphrases", key)
    credited = sum(point_matched(bank, *entry) for entry in lines)
    assert len(lines) >= 300
    assert credited / len(lines) >= floor, f"{credited}/{len(lines)}"


@pytest.mark.parametrize(
    ("name", "key", "ceiling"),
    [
        ("point_paraphrases.yaml", "answers", 0.04),
        ("point_paraphrases_dev2.yaml", "lines", 0.03),
        ("point_paraphrases_dev3.yaml", "lines", 0.13),
    ],
)
def test_dismissed_points_are_not_credited(bank, name, key, ceiling):
    lines = lines_of(name, "negated", key)
    credited = [entry for entry in lines if point_matched(bank, *entry)]
    assert len(lines) >= 100
    assert len(credited) / len(lines) <= ceiling, credited
