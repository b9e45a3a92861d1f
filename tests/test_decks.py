"""The built-in decks meet the rubric bar: the guide's 30 cards, and the 2026 loop deck's
cards each with 4-8 weighted points, a follow-up per point, at least 3 red flags, tags and a
model answer."""

from __future__ import annotations

import pytest

from trainer.grading.concepts import grade


def test_the_guide_is_unchanged_and_the_loop_deck_has_twenty_or_more(bank):
    guide = [c.id for c in bank.cards.values() if c.deck == "guide"]
    loop = [c for c in bank.cards.values() if c.deck == "sre-loop-2026"]
    assert guide == [f"q{n:02d}" for n in range(1, 31)]
    assert len(loop) >= 20


@pytest.mark.parametrize("deck", ["guide", "sre-loop-2026"])
def test_every_card_meets_the_rubric_bar(bank, deck):
    for card in (c for c in bank.cards.values() if c.deck == deck):
        assert 4 <= len(card.rubric) <= 8, card.id
        assert all(p.follow_up for p in card.rubric), card.id
        assert all(1 <= p.weight <= 3 for p in card.rubric), card.id
        assert len(card.red_flags) >= 3, card.id
        assert card.tags and card.answer.strip(), card.id


def test_every_loop_card_credits_its_own_model_answer(bank):
    for card in (c for c in bank.cards.values() if c.deck == "sre-loop-2026"):
        result = grade(card, card.answer)
        assert result.score >= 70 and not result.red_flags, (card.id, result.score)


def test_a_bank_limited_to_decks_keeps_the_red_flags_on_every_card(bank):
    limited = bank.with_decks(["guide"])
    assert limited.red_flags == bank.red_flags and limited.red_flags
