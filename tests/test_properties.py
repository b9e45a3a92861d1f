"""Property tests: arbitrary text never crashes the loader's error path or the grader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
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


@settings(max_examples=300)
@given(text=st.text(max_size=400))
def test_normalized_spans_map_inside_the_original(text):
    from trainer.grading.normalize import normalize

    folded = normalize(text)
    assert len(folded.origin) == len(folded.text)
    for start in range(0, len(folded.text), 7):
        first, last = folded.span(start, min(len(folded.text), start + 5))
        assert 0 <= first <= last <= len(text)


words_strategy = st.lists(
    st.sampled_from(
        "we would add a canary deploy and dax then check logs so that it is safe".split()
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=300)
@given(before=words_strategy, after=words_strategy)
def test_rejecting_a_point_never_earns_it(before, after):
    """Whatever surrounds it, a sentence that rejects a point does not credit that point."""
    answer = f"{' '.join(before)}. I would never use DAX. {' '.join(after)}."
    assume("dax" not in before and "dax" not in after)
    result = grade(CARD, answer)
    assert "dax" not in {p.text for p in result.matched}


@settings(max_examples=200)
@given(padding=st.integers(min_value=1, max_value=12))
def test_repeating_filler_never_raises_a_bare_list_above_its_share(padding):
    """'I would also use X there.' repeated: each point stays partial however long it gets."""
    answer = " ".join(
        ["I would also use a canary deploy there.", "I would also use DAX there."] * padding
    )
    result = grade(CARD, answer)
    assert len(result.matched) == 2
    assert all(p.status == "partial" for p in result.matched)


# The stance lexicon's cues, triggers and punctuation, in any order and cut off anywhere: "The
# biggest mistake is" once crashed the grader at the end of the answer.
STANCE_WORDS = (
    "mistake anti-pattern is was push back on everyone says the textbook answer not don't "
    'never instead of rather than that this it I think same with so but and , . : ? " '
    "canary deploy dax overkill worth it enough can be that don't match"
).split()


@settings(max_examples=400)
@given(words=st.lists(st.sampled_from(STANCE_WORDS), max_size=25))
@example(words=["the", "mistake", "is"])
@example(words=["a", "common", "anti-pattern", "was"])
def test_stance_cues_cut_off_anywhere_never_crash_the_grader(words):
    answer = " ".join(words) or "x"
    assert 0 <= grade(CARD, answer).score <= 100
