"""`sre-trainer export`: every stored attempt as CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.cli.common import CliError, add_bank_options, add_data_options, open_store

NAME = "export"


def add_parser(commands) -> None:
    export = commands.add_parser(
        NAME, help="export every attempt", description="Write all stored attempts."
    )
    export.add_argument(
        "--format",
        choices=("csv", "json", "anki"),
        default="csv",
        help="csv or json: every attempt; anki: every card as an Anki deck (.apkg, needs -o)",
    )
    export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    add_data_options(export)
    add_bank_options(export)


def run(args: argparse.Namespace) -> int:
    if args.format == "anki":  # the cards, not the attempts
        from trainer.cli import export_anki

        return export_anki.run(args)
    from trainer.store.export import write_attempts

    store = open_store(args)
    if args.output is None:
        count = write_attempts(store, args.format, sys.stdout)
    else:
        try:
            with args.output.open("w", encoding="utf-8", newline="") as out:
                count = write_attempts(store, args.format, out)
        except OSError as exc:
            raise CliError(f"export: cannot write {args.output}: {exc.strerror}") from None
    print(f"exported {count} attempt(s)", file=sys.stderr)
    return 0
