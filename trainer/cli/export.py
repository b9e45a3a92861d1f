"""`sre-trainer export`: stored attempts, reviews, mocks or cards as CSV or JSON, or every card
as an Anki deck."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.cli.common import CliError, add_bank_options, add_data_options, load_bank, open_store

NAME = "export"
WHAT = ("attempts", "reviews", "mocks", "cards", "all")


def add_parser(commands) -> None:
    export = commands.add_parser(
        NAME,
        help="export attempts, reviews, mocks or cards",
        description=(
            "Write stored progress, one row per record, with each card's question, category "
            "and deck. In CSV a list (points, tags) is one cell of JSON text."
        ),
    )
    export.add_argument(
        "--format",
        choices=("csv", "json", "anki"),
        default="csv",
        help="csv or json: the records --what names; anki: every card as an Anki deck (.apkg, "
        "needs -o)",
    )
    export.add_argument(
        "--what",
        choices=WHAT,
        default="attempts",
        help="attempts (every answer, default), reviews (every rating), mocks (every finished "
        "mock), cards (each card's schedule, scores and note), or all (JSON only)",
    )
    export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    add_data_options(export)
    add_bank_options(export)


def run(args: argparse.Namespace) -> int:
    if args.format == "anki":  # the cards, not the progress
        from trainer.cli import export_anki

        return export_anki.run(args)
    from trainer.store.export import write_export

    if args.what == "all" and args.format != "json":
        raise CliError("export: --what all needs --format json (a CSV file holds one table)")
    bank = load_bank(args)
    store = open_store(args)
    if args.output is None:
        count = write_export(store, args.what, args.format, sys.stdout, bank)
    else:
        try:
            with args.output.open("w", encoding="utf-8", newline="") as out:
                count = write_export(store, args.what, args.format, out, bank)
        except OSError as exc:
            raise CliError(f"export: cannot write {args.output}: {exc.strerror}") from None
    noun = "record" if args.what == "all" else args.what.rstrip("s")
    print(f"exported {count} {noun}(s)", file=sys.stderr)
    return 0
