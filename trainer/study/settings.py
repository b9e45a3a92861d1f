"""Settings of a session, checked once for the CLI and the TUI alike: a mock's length and time
limits, a quiz's cards. Each problem is a `SettingsError` naming the setting, so each front end
can say it in its own words (`--total-time` on the command line, "Minutes in all" in the app).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from trainer.content.models import Bank

if TYPE_CHECKING:  # imported where used: the session modules load the grader
    from trainer.study.mock import MockConfig
    from trainer.study.quiz import QuizOptions

MOCK_QUESTIONS = (1, 30)
MIN_SECONDS = 10  # per question and in all: less is no answer at all
MAX_SECONDS_PER_QUESTION = 60 * 60
MAX_TOTAL_SECONDS = 8 * 60 * 60
MAX_QUIZ_CARDS = 1000
MAX_DIGITS = 12  # anything longer is no count or time anyone means (and int() of 5,000 digits
# raises)


class SettingsError(ValueError):
    """A setting out of range; `setting` names it (a MockConfig or QuizOptions field)."""

    def __init__(self, setting: str, problem: str):
        super().__init__(f"{setting}: {problem}")
        self.setting = setting
        self.problem = problem


def whole_number(text: str, setting: str) -> int:
    """A count typed in a form: digits only, of sane length."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > MAX_DIGITS:
        raise SettingsError(setting, "type a whole number")
    return int(text)


def minutes_as_seconds(text: str, setting: str) -> int | None:
    """Minutes typed in a form (5, 0.5), as whole seconds; None when left blank."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) > MAX_DIGITS:
            raise ValueError(text)
        minutes = float(text)
    except ValueError:
        raise SettingsError(setting, "type a number of minutes, e.g. 5 or 0.5") from None
    if minutes != minutes or minutes in (float("inf"), float("-inf")):  # NaN, infinity
        raise SettingsError(setting, "type a number of minutes, e.g. 5 or 0.5")
    return round(minutes * 60)


def mock_config(
    questions: int | None = None,
    categories: Iterable[str] = (),
    seconds_per_question: int | None = None,
    total_seconds: int | None = None,
    seed: int | None = None,
    practice: bool = False,
    scenario: str | None = None,
    known_categories: Iterable[str] = (),
    known_scenarios: Iterable[str] | None = None,
    preset: str | None = None,
    follow_ups: bool = True,
    speak_aloud: bool = False,
) -> MockConfig:
    """A mock's configuration, or SettingsError: 1-30 questions, at least 10 seconds a
    question, and a total that leaves room for at least one question. A count or time left
    out (None) is the preset's."""
    from trainer.study.mock import MockConfig
    from trainer.study.mock_presets import PRESETS

    if preset is not None and preset not in PRESETS:
        raise SettingsError(
            "preset", f"unknown preset {preset!r}; expected one of {', '.join(PRESETS)}"
        )
    chosen_preset = PRESETS.get(preset or "")
    if questions is None:
        questions = chosen_preset.questions if chosen_preset else MockConfig.questions
    if seconds_per_question is None:
        seconds_per_question = (
            chosen_preset.seconds_per_question if chosen_preset else MockConfig.seconds_per_question
        )
    low, high = MOCK_QUESTIONS
    if not low <= questions <= high:
        raise SettingsError("questions", f"must be from {low} to {high}")
    if seconds_per_question < MIN_SECONDS:
        raise SettingsError("seconds_per_question", f"must be at least {MIN_SECONDS} seconds")
    if seconds_per_question > MAX_SECONDS_PER_QUESTION:
        raise SettingsError(
            "seconds_per_question", f"must be at most {MAX_SECONDS_PER_QUESTION} seconds (1 hour)"
        )
    if total_seconds is not None:
        if total_seconds < seconds_per_question:
            raise SettingsError(
                "total_seconds",
                f"must be at least one question's time ({seconds_per_question} seconds)",
            )
        if total_seconds > MAX_TOTAL_SECONDS:
            raise SettingsError(
                "total_seconds", f"must be at most {MAX_TOTAL_SECONDS} seconds (8 hours)"
            )
    chosen = tuple(dict.fromkeys(c.strip() for c in categories if c.strip()))
    known = tuple(known_categories)
    unknown = [c for c in chosen if known and c not in known]
    if unknown:
        raise SettingsError(
            "categories", f"unknown category {unknown[0]!r}; expected one of {', '.join(known)}"
        )
    if scenario is not None and known_scenarios is not None and scenario not in known_scenarios:
        raise SettingsError("scenario", f"unknown scenario {scenario!r}")
    return MockConfig(
        questions,
        chosen,
        seconds_per_question,
        total_seconds,
        seed,
        practice,
        scenario,
        preset=preset,
        follow_ups=follow_ups,
        speak_aloud=speak_aloud,
    )


def quiz_options(
    bank: Bank,
    categories: Iterable[str] = (),
    tags: Iterable[str] = (),
    count: int = 10,
    order: str = "bank",
    card_ids: Iterable[str] = (),
    seed: int | None = None,
    decks: Iterable[str] = (),
) -> QuizOptions:
    """A quiz's options, or SettingsError: known decks, categories and tags, 1-1000 cards."""
    from trainer.study.quiz import ORDERS, QuizOptions, tags_of

    chosen = tuple(categories)
    known_categories = {c.category for c in bank.cards.values()}
    unknown = [c for c in chosen if c not in known_categories]
    if unknown:
        raise SettingsError("categories", f"unknown category {unknown[0]!r}")
    wanted_tags = tuple(t.strip().lower() for t in tags if t.strip())
    known_tags = set(tags_of(bank.cards.values()))
    unknown = [t for t in wanted_tags if t not in known_tags]
    if unknown:
        raise SettingsError(
            "tags",
            f"unknown tag(s) {', '.join(unknown)}; known tags include "
            f"{', '.join(sorted(known_tags)[:12])}...",
        )
    if not 1 <= count <= MAX_QUIZ_CARDS:
        raise SettingsError("count", f"must be from 1 to {MAX_QUIZ_CARDS}")
    if order not in ORDERS:
        raise SettingsError("order", f"must be one of {', '.join(ORDERS)}")
    chosen_decks = tuple(dict.fromkeys(decks))
    unknown = [d for d in chosen_decks if d not in bank.decks()]
    if unknown:
        raise SettingsError(
            "decks", f"unknown deck {unknown[0]!r}; expected one of {', '.join(bank.decks())}"
        )
    return QuizOptions(chosen, wanted_tags, tuple(card_ids), count, order, seed, decks=chosen_decks)
