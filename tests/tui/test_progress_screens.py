"""Pilot flows of issue 13's screens: the card browser and a card's story, help, undo in the
flashcards, a quiz retry as practice, the flashcards' choice of cards, the stats' mock history
and Enter on a stats row, and the app limited to some decks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import run_trainer
from test_flows import GOOD_Q01, rendered, start_quiz
from textual import events

from trainer.store.db import Store
from trainer.study.cards import MAX_NOTE_CHARS
from trainer.study.mock import MockConfig
from trainer.tui.app import make_app
from trainer.tui.screens.card import CardScreen
from trainer.tui.screens.card_note import CardNoteScreen
from trainer.tui.screens.card_scope import CardScopeScreen
from trainer.tui.screens.cards import CardBrowserScreen
from trainer.tui.screens.feedback import FeedbackScreen
from trainer.tui.screens.flashcards import FlashcardScreen
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.stats import StatsScreen


def answer_q07(data_dir, clock, text="I would check the cache hit ratio [bold]first[/bold]"):
    store = Store.open(data_dir)
    store.record_attempt(
        "q07",
        "quiz",
        text,
        35,
        ["a point"],
        ["a missed point"],
        rating=2,
        when=clock() - timedelta(days=2),
    )
    store.close()


async def test_browser_finds_a_card_by_a_word_and_shows_its_history(
    app_factory, data_dir, clock, bank
):
    answer_q07(data_dir, clock)
    app = app_factory()
    word = "leak"
    assert word in bank.card("q07").question.lower()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, CardBrowserScreen)
        await pilot.press("slash", *word)
        ids = [row.id for row in app.screen.rows]
        assert "q07" in ids and len(ids) < 30
        await pilot.press("enter")  # from the search box to the table
        app.screen.query_one("#card-table").move_cursor(row=ids.index("q07"))
        await pilot.press("enter")
        assert isinstance(app.screen, CardScreen) and app.screen.card_id == "q07"
        history = " ".join(rendered(app.screen.query_one("#card-history")).split())
        assert "I would check the cache hit ratio [bold]first[/bold]" in history
        assert "35/100" in history and "2026-11-25" in history and "rated Hard" in history
        assert "a missed point" in history
        head = rendered(app.screen.query_one("#card-head"))
        assert "new: not reviewed yet" in head and "last 35" in head
        rubric = " ".join(rendered(app.screen.query_one("#card-rubric")).split())
        assert bank.card("q07").rubric[0].text in rubric and "●" in rubric
        # Suspend, then a note in your own words.
        await pilot.press("s")
        assert "SUSPENDED" in rendered(app.screen.query_one("#card-head"))
        await pilot.press("e")
        assert isinstance(app.screen, CardNoteScreen)
        note = app.screen.query_one("#note")
        app.post_message(events.Paste("x" * (MAX_NOTE_CHARS + 1)))
        await pilot.pause()
        assert note.text == ""  # a paste over the note's limit is refused whole
        app.post_message(
            events.Paste("Heap snapshots, diff them.\x1b]52;c;ZXZpbA==\x07 [red]mine[/red]")
        )
        await pilot.pause()
        assert note.text == "Heap snapshots, diff them. [red]mine[/red]"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CardScreen)
        assert "[red]mine[/red]" in rendered(app.screen.query_one("#card-note"))
        await pilot.press("escape")
        assert isinstance(app.screen, CardBrowserScreen)
    store = Store.open(data_dir)
    assert store.card_flags()["q07"]["suspended"] and "mine" in store.card_note("q07")


async def test_a_card_due_tomorrow_says_one_day(app_factory, clock):
    from datetime import datetime

    app = app_factory()
    app.service.scheduler.review("q02", 4)  # Easy: due in a few days
    due = datetime.fromisoformat(app.store.schedule_row("q02")["due"])
    clock.now = due - timedelta(days=1)
    async with app.run_test() as pilot:
        app.open_card("q02")
        await pilot.pause()
        head = " ".join(rendered(app.screen.query_one("#card-head")).split())
        assert "(in 1 day)" in head, head


async def test_reset_asks_first(app_factory, data_dir, clock):
    app = app_factory()
    async with app.run_test() as pilot:
        app.service.scheduler.review("q02", 3)
        app.open_card("q02")
        await pilot.pause()
        await pilot.press("r", "n")
        assert app.store.schedule_row("q02") is not None
        await pilot.press("r", "y")
        assert app.store.schedule_row("q02") is None
        assert "new: not reviewed yet" in rendered(app.screen.query_one("#card-head"))


async def test_help_shows_the_screens_keys_and_symbols_and_escape_closes(app):
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = rendered(app.screen.query_one("#help-text"))
        assert "Keys: Home" in text and "Quiz" in text and "●●●" in text and "⊘" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f", "f1")
        text = rendered(app.screen.query_one("#help-text"))
        assert "Show answer" in text and "Rate Again" in text and "Undo" in text
        await pilot.press("escape")
        assert isinstance(app.screen, FlashcardScreen)


async def test_undo_brings_the_card_back_as_it_was(app, data_dir):
    async with app.run_test() as pilot:
        await pilot.press("f", "space", "3")  # q01 rated Good; q02 shown, answer hidden
        screen = app.screen
        assert screen.session.current.id == "q02" and not screen.session.flipped
        await pilot.press("u")
        assert screen.session.current.id == "q01" and screen.session.flipped
        assert screen.query_one("#back").display  # the answer, as when it was rated
        await pilot.press("space")  # does not hide it (a second space is harmless)
        assert screen.session.flipped
        await pilot.press("4")  # lands on q01, not one card off
        assert screen.session.history[-1].card_id == "q01"
        assert screen.session.current.id == "q02"
    assert Store.open(data_dir).schedule_row("q01")["reviews"] == 1


async def test_a_quiz_retry_is_prefilled_practice(app, data_dir):
    async with app.run_test() as pilot:
        await start_quiz(pilot)
        app.screen.query_one("#answer").text = "restart everything"
        await pilot.press("ctrl+s", "r")
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.query_one("#answer").text == "restart everything"
        assert "retry: practice, not scheduled" in rendered(app.screen.query_one("#quiz-progress"))
        # ... and says how to start afresh (TextArea's select-all is F7, not ctrl+a)
        assert any("F7 selects it all" in str(n.message) for n in app._notifications)
        await pilot.press("f7", "backspace")
        assert app.screen.query_one("#answer").text == ""
        app.screen.query_one("#answer").text = GOOD_Q01
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        assert "Practice" in rendered(app.screen.query_one("#rating"))
        await pilot.press("4", "escape")
    store = Store.open(data_dir)
    assert [a.practice for a in store.attempts()] == [None, "retry"]
    assert store.db.execute("SELECT count(*) FROM reviews").fetchone() == (1,)


async def test_the_retry_hint_does_not_cover_the_feedback(app):
    async with app.run_test() as pilot:
        await start_quiz(pilot)
        app.screen.query_one("#answer").text = "restart everything"
        await pilot.press("ctrl+s", "r")
        assert any("F7" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+s")  # submitted within the hint's few seconds
        assert isinstance(app.screen, FeedbackScreen)
        assert not any("F7" in str(n.message) for n in app._notifications)


async def test_flashcards_take_a_choice_of_cards(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "o")
        assert isinstance(app.screen, CardScopeScreen)
        categories = app.screen.query_one("#scope-categories")
        categories.deselect_all()
        categories.select("security-compliance")
        await pilot.press("ctrl+s")
        screen = app.screen
        assert isinstance(screen, FlashcardScreen)
        assert screen.session.queue
        assert all(
            app.bank.cards[c].category == "security-compliance" for c in screen.session.queue
        )
        assert "security-compliance" in rendered(screen.query_one("#flash-progress"))


async def test_stats_show_mock_history_and_enter_opens_a_card(app, bank):
    async with app.run_test(size=(100, 40)) as pilot:
        service = app.service
        mock = service.start_mock(MockConfig(questions=2, seed=5))
        mock.begin_question()
        service.submit_mock(mock, GOOD_Q01)
        service.finish_mock(mock)
        await pilot.press("t")
        assert isinstance(app.screen, StatsScreen)
        assert app.screen.query_one("#mock-table").row_count == 1
        assert "Mock answers 1 in 1 mock (counted apart)" in rendered(
            app.screen.query_one("#totals")
        )
        missed = app.screen.query_one("#missed")
        missed.focus()
        await pilot.press("enter")
        assert isinstance(app.screen, CardScreen)
        assert app.screen.card_id == app.screen.app.service.progress().most_missed[0].card_id
        await pilot.press("escape")
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        last = rendered(app.screen.query_one("#last-session"))
        assert "mock interview, 1 of 2 answered" in last


async def test_the_app_can_study_some_decks_only(data_dir, clock, bank, tmp_path):
    app = make_app(data_dir=data_dir, clock=clock, bank=bank, fuzzing=False, decks=("guide",))
    assert len(app.bank.cards) == 30 and "guide" in app.sub_title
    with pytest.raises(KeyError, match="unknown deck 'nope'"):
        make_app(data_dir=data_dir, clock=clock, bank=bank, decks=("nope",))
    refused = run_trainer("--deck", "nope", home=tmp_path / "home")
    assert refused.returncode == 2 and "unknown deck 'nope'" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


async def test_study_notes_have_no_repeated_headings_and_frame_examples(app):
    async with app.run_test() as pilot:
        await pilot.press("n")
        text = rendered(app.screen.query_one("#notes-text"))
    lines = [line for line in text.splitlines() if line.strip()]
    headings = [line for line in lines if len(line) < 60 and not line.startswith(("-", "1", "2"))]
    assert "Key talking points: examples to adapt" in text and "not facts about you" in text
    pairs = zip(headings, headings[1:], strict=False)
    assert not any(b.lower().startswith(a.lower()) for a, b in pairs)
    assert "Remember: " not in text and text.count("Next steps") == 1


async def test_browser_filters_show_pack_names_and_tags_literally(data_dir, clock, tmp_path):
    """A pack's deck name and tags are its author's text: shown as written, never as markup
    (an unmatched closing tag would stop the screen)."""
    from trainer.content.loader import load_bank

    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "mine.yaml").write_text(
        "pack:\n  name: '[/deck]'\ncards:\n  - id: mine1\n    category: incident-response\n"
        "    tags: ['[/x]', '[bold]t']\n    question: What is toil?\n"
        "    answer: Manual, repetitive work.\n",
        encoding="utf-8",
    )
    bank = load_bank(pack_dirs=[tmp_path / "pack"], include_user_packs=False)
    assert not bank.errors, bank.errors
    app = make_app(data_dir=data_dir, clock=clock, bank=bank, fuzzing=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        for select_id in ("#deck", "#tag"):
            app.screen.query_one(select_id).focus()
            await pilot.press("enter")  # opens the list of choices
            await pilot.pause()
            await pilot.press("escape")
        prompts = {
            str(prompt)
            for select_id in ("#deck", "#tag")
            for prompt, _ in app.screen.query_one(select_id)._options
        }
        assert {"[/deck]", "[/x]", "[bold]t"} <= prompts
