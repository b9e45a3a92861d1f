"""Writing stored progress as CSV or JSON: attempts, reviews, mocks or cards.

One row (or object) per record, with the card's question, category and deck beside its id, so
a spreadsheet needs nothing else. In CSV a list (matched, missed, red flags, tags) or a mapping
(a mock's category scores and settings) is one cell holding its JSON text, which keeps points
that contain `;` or `,` whole and parses back with `json.loads`; in JSON it is a real list or
object. Every JSON output is a list of objects (or, for `all`, an object of such lists).

Answers and rubric text are untrusted: control characters are stripped from every value, and
a CSV cell that starts like a formula (=, +, -, @) is prefixed with ' so a spreadsheet shows
it as text instead of running it."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from trainer.safe_text import spreadsheet_cell, strip_controls
from trainer.store.db import Store, now_utc

if TYPE_CHECKING:
    from trainer.content.models import Bank

WHATS = ("attempts", "reviews", "mocks", "cards")
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}

ATTEMPT_COLUMNS = (
    "id",
    "created_at",
    "card_id",
    "deck",
    "category",
    "question",
    "mode",
    "practice",
    "score",
    "rating",
    "matched",
    "missed",
    "red_flags",
    "answer",
    "session_id",
)
REVIEW_COLUMNS = (
    "id",
    "reviewed_at",
    "card_id",
    "deck",
    "category",
    "question",
    "rating",
    "rating_name",
    "mode",
    "session_id",
)
MOCK_COLUMNS = (
    "id",
    "started_at",
    "ended_at",
    "score",
    "verdict",
    "practice",
    "questions",
    "answered",
    "time_used",
    "time_allowed",
    "follow_up_score",
    "categories",
    "settings",
)
CARD_COLUMNS = (
    "id",
    "deck",
    "category",
    "question",
    "tags",
    "state",
    "due",
    "lapses",
    "reviews",
    "attempts",
    "last_score",
    "best_score",
    "average_score",
    "suspended",
    "buried_until",
    "leech",
    "note",
)
COLUMNS = {
    "attempts": ATTEMPT_COLUMNS,
    "reviews": REVIEW_COLUMNS,
    "mocks": MOCK_COLUMNS,
    "cards": CARD_COLUMNS,
}


class _CardInfo:
    """deck, category and question of a card id (blank for one no longer in the bank)."""

    def __init__(self, bank: Bank | None):
        self.cards = bank.cards if bank is not None else {}

    def __call__(self, card_id: str) -> dict[str, str]:
        card = self.cards.get(card_id)
        if card is None:
            return {"deck": "", "category": "", "question": ""}
        return {"deck": card.deck, "category": card.category, "question": card.question}


def attempt_records(store: Store, bank: Bank | None = None) -> Iterator[dict[str, Any]]:
    info = _CardInfo(bank)
    for row in store.iter_attempt_rows():
        (
            attempt_id,
            created_at,
            card_id,
            mode,
            practice,
            score,
            rating,
            matched,
            missed,
            red_flags,
            answer,
            session_id,
        ) = row
        yield {
            "id": attempt_id,
            "created_at": created_at,
            "card_id": card_id,
            **info(card_id),
            "mode": mode,
            "practice": practice,
            "score": score,
            "rating": rating,
            "matched": json.loads(matched),
            "missed": json.loads(missed),
            "red_flags": json.loads(red_flags),
            "answer": answer,
            "session_id": session_id,
        }


def review_records(store: Store, bank: Bank | None = None) -> Iterator[dict[str, Any]]:
    info = _CardInfo(bank)
    for review_id, reviewed_at, card_id, rating, mode, session_id in store.iter_review_rows():
        yield {
            "id": review_id,
            "reviewed_at": reviewed_at,
            "card_id": card_id,
            **info(card_id),
            "rating": rating,
            "rating_name": RATING_NAMES.get(rating, ""),
            "mode": mode,
            "session_id": session_id,
        }


def mock_records(store: Store, bank: Bank | None = None) -> Iterator[dict[str, Any]]:
    for mock in store.mock_results():
        yield {column: mock.get(column) for column in MOCK_COLUMNS}


def card_records(
    store: Store, bank: Bank | None = None, clock: Callable[[], datetime] = now_utc
) -> Iterator[dict[str, Any]]:
    """Every card of the bank with its schedule, scores, flags and the learner's note."""
    if bank is None:
        return
    from trainer.study.cards import CardBook

    notes = store.card_notes()
    for row in CardBook(bank, store, clock).rows():
        record = row.to_json()
        record["note"] = notes.get(row.id, {}).get("text", "")
        yield {column: record.get(column) for column in CARD_COLUMNS}


RECORDS: dict[str, Callable[..., Iterator[dict[str, Any]]]] = {
    "attempts": attempt_records,
    "reviews": review_records,
    "mocks": mock_records,
    "cards": card_records,
}


def write_export(store: Store, what: str, fmt: str, out: TextIO, bank: Bank | None = None) -> int:
    """Write `what` (attempts, reviews, mocks, cards; or all, JSON only) to `out` in `fmt`
    ('csv' or 'json'); return how many records."""
    if what == "all":
        if fmt != "json":
            raise ValueError("--what all is JSON only (a CSV file holds one table)")
        count = 0
        out.write("{")
        for n, name in enumerate(WHATS):
            out.write(("\n " if n == 0 else ",\n ") + json.dumps(name) + ": ")
            count += _write_json(RECORDS[name](store, bank), out, indent=" ")
        out.write("\n}\n")
        return count
    if what not in RECORDS:
        raise ValueError(f"what must be one of {', '.join((*WHATS, 'all'))}; got {what!r}")
    records = RECORDS[what](store, bank)
    if fmt == "csv":
        return _write_csv(records, COLUMNS[what], out)
    count = _write_json(records, out)
    out.write("\n")
    return count


def write_attempts(store: Store, fmt: str, out: TextIO, bank: Bank | None = None) -> int:
    """Write all attempts to `out` in `fmt` ('csv' or 'json'); return how many."""
    return write_export(store, "attempts", fmt, out, bank)


def _write_csv(records: Iterator[dict[str, Any]], columns: tuple[str, ...], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for record in records:
        writer.writerow(spreadsheet_cell(_cell(record.get(c))) for c in columns)
        count += 1
    return count


def _cell(value: Any) -> Any:
    """A CSV cell: lists and mappings as JSON text, booleans as true/false, None blank."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(_clean(value), ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _clean(value: Any) -> Any:
    """`value` with control characters stripped from every string in it."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {strip_controls(str(k)): _clean(v) for k, v in value.items()}
    return value


def _write_json(records: Iterator[dict[str, Any]], out: TextIO, indent: str = "") -> int:
    count = 0
    out.write("[")
    for record in records:
        out.write(("\n " if count == 0 else ",\n ") + indent)
        out.write(json.dumps(_clean(record), ensure_ascii=False))
        count += 1
    out.write(f"\n{indent}]" if count else "]")
    return count
