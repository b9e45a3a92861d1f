"""`sre-trainer export --format anki`: every card (built-in and packs) as an Anki deck."""

from __future__ import annotations

import argparse
import sys

from trainer.cli.common import CliError, load_bank


def run(args: argparse.Namespace) -> int:
    from trainer.export.anki import write_package

    if args.output is None:
        raise CliError("export: --format anki writes a file: give it with -o DECK.apkg")
    bank = load_bank(args)
    if not bank.cards:
        raise CliError("export: no cards to export", status=1)
    try:
        notes, decks = write_package(bank.cards.values(), args.output)
    except OSError as exc:
        raise CliError(f"export: cannot write {args.output}: {exc.strerror or exc}") from None
    print(
        f"exported {notes} card(s) in {decks} deck(s) to {args.output}; importing it again "
        "into Anki updates the same notes",
        file=sys.stderr,
    )
    return 0
