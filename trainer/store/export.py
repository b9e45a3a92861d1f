"""Writing every stored attempt as CSV or JSON."""

from __future__ import annotations

import csv
import json
from typing import TextIO

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
            writer.writerow(values[c] for c in COLUMNS)
            count += 1
        return count
    out.write("[")
    for row in store.iter_attempt_rows():
        values = dict(zip(COLUMNS, row, strict=True))
        for key in JSON_LISTS:
            values[key] = json.loads(values[key])
        out.write(("\n " if count == 0 else ",\n ") + json.dumps(values, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
