"""Property tests: arbitrary text never crashes the loader's error path or the grader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.content.loader import load_files
from trainer.content.models import Card, RedFlag, RubricPoint
from trainer.grading.concepts import MAX_ANSWER_CHARS, AnswerError, grade

CARD = Card(
    "p1",
    "incident-response",
    "Q",
    "Use canary deploys and roll back on errors.",
    rubric=(RubricPoint("canary", 2, ("canary deploy",)), RubricPoint("dax", 1, ("dax",))),
    red_flags=(RedFlag("bad", ("delete the table",)),),
)
DERIVED = Card("p2", "incident-response", "Q", "Use canary deploys, and roll back on errors.")

yaml_like = st.text(
    alphabet=st.sampled_from(list("ab:- []{}'\"#\n\t\\&*!|>%@`,?1é→")), max_size=300
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=300), yaml_like))
def test_loader_reports_instead_of_crashing(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        bank = load_files([path])
    for error in bank.errors:
        assert error.path == str(path) and error.line >= 0 and error.message
        assert str(error)


@settings(max_examples=300)
@given(answer=st.text(max_size=2000))
def test_grader_never_crashes_and_stays_in_range(answer):
    for card in (CARD, DERIVED):
        try:
            result = grade(card, answer)
        except AnswerError:
            assert not answer.strip() or len(answer) > MAX_ANSWER_CHARS
            continue
        assert 0 <= result.score <= 100
        for point in result.matched:
            start, end = point.span
            assert 0 <= start < end <= len(answer)


@given(
    words=st.lists(
        st.sampled_from(
            [
                "canary",
                "deploy",
                "dax",
                "the",
                "delete",
                "table",
                "relax",
                "roll",
                "back",
                "[bold]",
                "→",
            ]
        ),
        max_size=40,
    )
)
def test_grader_on_word_soup(words):
    answer = " ".join(words) or "x"
    assert 0 <= grade(CARD, answer).score <= 100
