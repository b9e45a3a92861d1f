"""The grader agrees with human interviewers' grades: Spearman's rho over all answers, and the
order of each card's answers. Three sets in tests/data, each written by an interviewer who had
not seen the rubrics: graded_answers (looked at while the grader was built), graded_answers_
holdout (only measured; it exposed two matching bugs) and graded_answers_blind (written last,
never used for any change)."""

from __future__ import annotations

import pytest
from agreement import load_graded, measure, ranks, spearman
from helpers import DATA

from trainer.grading.concepts import grade

SETS = ["graded_answers.yaml", "graded_answers_holdout.yaml", "graded_answers_blind.yaml"]


def test_spearman_helper():
    assert ranks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4]
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)


def test_graded_sets_are_big_enough():
    items = load_graded(DATA / "graded_answers.yaml")
    assert len(items) >= 90 and len({i["card"] for i in items}) >= 15
    kinds = {i["kind"] for i in items}
    assert {"excellent", "typos", "partial", "vague", "other-question", "red-flag"} <= kinds


@pytest.mark.parametrize("name", SETS)
def test_scores_correlate_with_human_grades(bank, name):
    agreement = measure(bank, load_graded(DATA / name), grade)
    assert agreement.rho >= 0.8, agreement.rho


@pytest.mark.parametrize("name", SETS)
def test_each_cards_answers_rank_as_the_grades_do(bank, name):
    """Of the pairs of answers to one card whose grades differ by 2 or more, the grader orders
    nearly all the same way and reverses almost none (equal scores count as not ordered)."""
    agreement = measure(bank, load_graded(DATA / name), grade)
    assert agreement.pair_agreement >= 0.85, agreement.pair_agreement
    assert len(agreement.reversed) <= 0.05 * agreement.pairs, agreement.reversed
