"""`sre-trainer list`: the cards of the bank, as a table or JSON."""

from __future__ import annotations

import argparse
import json

from trainer.cli.common import CliError, add_bank_options, load_bank

NAME = "list"


def add_parser(commands) -> None:
    list_cmd = commands.add_parser(
        NAME, help="list the cards", description="List the cards of the bank."
    )
    list_cmd.add_argument("--category", help="only this category")
    list_cmd.add_argument("--deck", help="only this deck (guide, or a pack's name)")
    list_cmd.add_argument("--json", action="store_true", help="print a JSON list")
    add_bank_options(list_cmd)


def run(args: argparse.Namespace) -> int:
    from trainer.content.models import CATEGORIES

    bank = load_bank(args)
    known = sorted({c.category for c in bank.cards.values()} | set(CATEGORIES))
    if args.category and args.category not in known:
        raise CliError(
            f"list: unknown category {args.category!r}; expected one of {', '.join(known)}"
        )
    if args.deck and args.deck not in bank.decks():
        raise CliError(
            f"list: unknown deck {args.deck!r}; expected one of {', '.join(bank.decks())}"
        )
    cards = [c for c in bank.cards_in(args.category) if not args.deck or c.deck == args.deck]
    if args.json:
        print(
            json.dumps(
                [
                    {"id": c.id, "deck": c.deck, "category": c.category, "question": c.question}
                    for c in cards
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    for card in cards:
        print(f"{card.id:<6} {card.category:<26} {card.question}")
    return 0
