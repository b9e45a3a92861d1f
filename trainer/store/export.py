"""Writing every stored attempt as CSV or JSON.

Answers and rubric text are untrusted: control characters are stripped from every value, and
a CSV cell that starts like a formula (=, +, -, @) is prefixed with ' so a spreadsheet shows
it as text instead of running it."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from trainer.safe_text import spreadsheet_cell, strip_controls
from trainer.store.db import Store

COLUMNS = (
    "id",
    "created_at",
    "card_id",
    "mode",
    "score",
    "rating",
    "matched",
    "missed",
    "red_flags",
    "answer",
    "session_id",
)
JSON_LISTS = ("matched", "missed", "red_flags")


def write_attempts(store: Store, fmt: str, out: TextIO) -> int:
    """Write all attempts to `out` in `fmt` ('csv' or 'json'); return how many."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in store.iter_attempt_rows():
            # Lists as "a; b" so a spreadsheet shows them readably.
            values = dict(zip(COLUMNS, row, strict=True))
            for key in JSON_LISTS:
                values[key] = "; ".join(json.loads(values[key]))
            writer.writerow(spreadsheet_cell(values[c]) for c in COLUMNS)
            count += 1
        return count
    out.write("[")
    for row in store.iter_attempt_rows():
        values = dict(zip(COLUMNS, row, strict=True))
        for key in JSON_LISTS:
            values[key] = [strip_controls(item) for item in json.loads(values[key])]
        for key, value in values.items():
            if isinstance(value, str):
                values[key] = strip_controls(value)
        out.write(("\n " if count == 0 else ",\n ") + json.dumps(values, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
