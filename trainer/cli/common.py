"""What every command shares: the user-facing error, the --bank/--data-dir options, and
loading the bank and the store with their warnings printed once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

STORE_PATIENCE = 15.0  # seconds a command waits for another instance's lock


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2 unless given."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (the usage is one `--help` away), and
    whose help ends with two examples (trainer.cli.examples)."""

    examples: tuple[str, ...] = ()

    def error(self, message: str):
        raise CliError(f"{message} (see `{self.prog} --help`)")

    def format_help(self) -> str:
        from trainer.cli.examples import render

        text = super().format_help()
        return text + render(self.examples) if self.examples else text


def bounded_int(low: int, high: int):
    """An argparse type: a whole number from `low` to `high`, else a one-line error."""

    def parse(text: str) -> int:
        shown = text if len(text) <= 24 else text[:21] + "..."
        try:
            value = int(text, 10)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low:,} to {high:,}; got {shown!r}"
            )
        return value

    parse.__name__ = "whole number"
    return parse


# Options accepted before or after the command; a sub-command's copy must not reset the
# top-level value, hence SUPPRESS below the top.
def add_bank_options(parser: argparse.ArgumentParser, top: bool = False) -> None:
    parser.add_argument(
        "--bank",
        metavar="DIR",
        action="append",
        type=Path,
        default=[] if top else argparse.SUPPRESS,
        help="extra folder of YAML packs to load beside the built-in bank (repeatable)",
    )


def add_data_options(parser: argparse.ArgumentParser, top: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help="where the progress database lives (default: $SRE_TRAINER_HOME or the user data dir)",
    )


def load_bank(args: argparse.Namespace):
    """The bank (cached), with each skipped pack file reported on stderr."""
    from trainer.content.cache import load_bank_cached

    bank = load_bank_cached(pack_dirs=args.bank)
    for error in bank.errors:
        print(f"warning: {error} (skipped)", file=sys.stderr)
    return bank


def add_deck_options(
    parser: argparse.ArgumentParser,
    help: str = "study only this deck's cards (repeatable; default: every deck)",
) -> None:
    """`--deck NAME` after a command too (the top-level option's list, not reset here)."""
    parser.add_argument(
        "--deck", metavar="NAME", action="append", default=argparse.SUPPRESS, help=help
    )


def study_bank(args: argparse.Namespace):
    """The bank limited to the decks named with --deck (all of them when none is), or a
    one-line CliError naming an unknown deck."""
    bank = load_bank(args)
    decks = tuple(getattr(args, "deck", None) or ())
    if not decks:
        return bank
    try:
        return bank.with_decks(decks)
    except KeyError as exc:
        raise CliError(str(exc.args[0])) from None


def open_store(args: argparse.Namespace):
    """The progress store, or a one-line CliError saying why it cannot be used. A file locked
    by another instance is waited for (up to STORE_PATIENCE seconds), saying so on stderr."""
    from trainer import paths
    from trainer.store.db import DB_NAME, Store, StoreError

    folder = paths.user_data_dir(args.data_dir)

    def waiting(waited: float, patience: float) -> None:
        print(
            f"sre-trainer: {folder / DB_NAME} is locked by another sre-trainer; waiting "
            f"({waited:.0f} of {patience:.0f} s)",
            file=sys.stderr,
        )

    try:
        store = Store.open_waiting(folder, patience=STORE_PATIENCE, on_wait=waiting)
    except StoreError as exc:
        raise CliError(str(exc), status=1) from None
    if store.notice:
        print(f"warning: {store.notice}", file=sys.stderr)
    return store


def read_stdin(command: str, what: str, limit: int) -> str:
    """All of stdin as text, or a one-line CliError: not UTF-8, no stdin at all, or more than
    `limit` characters (only limit + 1 are read: a huge input is refused, not loaded)."""
    if sys.stdin is None:
        raise CliError(f"{command}: no standard input to read {what} from (stdin is closed)")
    try:
        text = sys.stdin.read(limit + 1)
    except UnicodeDecodeError:
        raise CliError(f"{command}: {what} on stdin is not UTF-8 text") from None
    except (OSError, ValueError) as exc:
        raise CliError(f"{command}: cannot read {what} from stdin ({exc})") from None
    if len(text) > limit:
        raise CliError(f"{command}: {what} is over {limit:,} characters; the limit is {limit:,}")
    return text
