"""`sre-trainer stats`: a summary of stored progress, as text or JSON."""

from __future__ import annotations

import argparse
import json

from trainer.cli.common import add_bank_options, add_data_options, load_bank, open_store

NAME = "stats"


def add_parser(commands) -> None:
    stats = commands.add_parser(
        NAME, help="print a progress summary", description="Summarise stored progress."
    )
    stats.add_argument("--json", action="store_true", help="print a JSON object")
    add_data_options(stats)
    add_bank_options(stats)


def run(args: argparse.Namespace) -> int:
    from trainer.study.progress import compute, format_text

    bank = load_bank(args)
    store = open_store(args)
    progress = compute(store, bank)
    if args.json:
        print(json.dumps(progress.to_json(), ensure_ascii=False, indent=1))
    else:
        print(format_text(progress))
    return 0
