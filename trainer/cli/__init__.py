"""The `sre-trainer` command line. With no command it opens the TUI (the only path that
imports Textual); every other command stays on the plain-Python core so it starts fast.

Each command is a module of this package with `NAME`, `add_parser(subparsers)` and
`run(args)`; only the named command's module is imported and its parser built.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from trainer import __version__
from trainer.cli.common import CliError, add_bank_options, add_data_options

TUI_HINT = "Run `sre-trainer` with no command to open the app."

# command name -> module in this package, in the order `--help` lists them.
COMMANDS = {
    "query": "query",
    "mock": "mock",
    "scenario": "scenario",
    "grade": "grade",
    "validate": "validate",
    "list": "list_cards",
    "stats": "stats",
    "export": "export",
}
VALUE_OPTIONS = ("--bank", "--data-dir")


def command_in(argv: list[str]) -> str | None:
    """The command named in argv, if any (so only its parser needs building)."""
    previous = ""
    for token in argv:
        if token in COMMANDS and previous not in VALUE_OPTIONS:
            return token
        if not token.startswith("-") and previous not in VALUE_OPTIONS:
            return None  # something else: let the full parser report it
        previous = token
    return None


def command_module(name: str):
    return importlib.import_module(f"trainer.cli.{COMMANDS[name]}")


def build_parser(wanted: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with `wanted`, only that command's sub-parser is built (argparse
    parsers cost about 1.5 ms each, a third of `grade`'s start-up)."""
    parser = argparse.ArgumentParser(
        prog="sre-trainer",
        description="Interactive SRE interview trainer. " + TUI_HINT,
    )
    parser.add_argument("--version", action="version", version=f"sre-trainer {__version__}")
    add_bank_options(parser, top=True)
    add_data_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if wanted in (None, name):
            command_module(name).add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(command_in(argv))
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from trainer.cli import tui

            return tui.run(args)
        return command_module(args.command).run(args)
    except CliError as exc:
        print(f"sre-trainer: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("sre-trainer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
