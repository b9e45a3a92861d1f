"""`sre-trainer list`: the cards of the bank with their schedule and scores, as a table or JSON."""

from __future__ import annotations

import argparse
import json

from trainer.cli.common import (
    CliError,
    add_bank_options,
    add_data_options,
    add_deck_options,
    load_bank,
    open_store,
)

NAME = "list"
DUE_CHOICES = ("today", "week", "new", "any")


def add_parser(commands) -> None:
    list_cmd = commands.add_parser(
        NAME,
        help="list the cards",
        description="List the cards of the bank, with when each is due and how it scored.",
    )
    list_cmd.add_argument("--category", help="only this category")
    add_deck_options(list_cmd, help="only this deck (guide, or a pack's name; repeatable)")
    list_cmd.add_argument(
        "--due",
        nargs="?",
        const="today",
        choices=DUE_CHOICES,
        help="only cards due today (overdue included; the default), this week (7 days), "
        "or never reviewed (new)",
    )
    list_cmd.add_argument("--json", action="store_true", help="print a JSON list")
    add_bank_options(list_cmd)
    add_data_options(list_cmd)


def run(args: argparse.Namespace) -> int:
    from trainer.content.models import CATEGORIES
    from trainer.study.cards import CardBook, CardFilter

    bank = load_bank(args)
    known = sorted({c.category for c in bank.cards.values()} | set(CATEGORIES))
    if args.category and args.category not in known:
        raise CliError(
            f"list: unknown category {args.category!r}; expected one of {', '.join(known)}"
        )
    decks = tuple(args.deck or ())
    for deck in decks:
        if deck not in bank.decks():
            raise CliError(
                f"list: unknown deck {deck!r}; expected one of {', '.join(bank.decks())}"
            )
    due = {"today": "due", "week": "week", "new": "new", "any": "any", None: "any"}[args.due]
    card_filter = CardFilter(
        decks=decks,
        categories=(args.category,) if args.category else (),
        due=due,
    )
    rows = CardBook(bank, open_store(args)).rows(card_filter)
    if args.json:
        print(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        due_text = row.due_day or "new"
        last = f"{row.last_score:>3}" if row.last_score is not None else "  -"
        flags = "".join((" suspended" if row.suspended else "", " leech" if row.leech else ""))
        print(f"{row.id:<6} {row.category:<26} {due_text:<10} {last}  {row.question}{flags}")
    if not rows and args.due:
        print(f"No cards {'due' if due != 'new' else 'new'} ({args.due}).")
    return 0
