"""The `sre-trainer` command line. With no command it opens the TUI (the only path that
imports Textual); every other command stays on the plain-Python core so it starts fast.

Each command is a module of this package with `NAME`, `add_parser(subparsers)` and
`run(args)`; only the named command's module is imported and its parser built.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys

from trainer import __version__
from trainer.cli.common import CliError, OneLineParser, add_bank_options, add_data_options

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
    "import": "import_guide",
    "schema": "schema",
    "serve": "serve",
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
    parser = OneLineParser(
        prog="sre-trainer",
        description="Interactive SRE interview trainer. " + TUI_HINT,
    )
    parser.add_argument("--version", action="version", version=f"sre-trainer {__version__}")
    add_bank_options(parser, top=True)
    add_data_options(parser, top=True)
    parser.add_argument(
        "--deck",
        metavar="NAME",
        action="append",
        default=[],
        help="the app studies only this deck's cards (repeatable; default: every deck)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if wanted in (None, name):
            command_module(name).add_parser(commands)
    _add_examples(parser, "")
    return parser


def _add_examples(parser: argparse.ArgumentParser, path: str) -> None:
    """Two examples at the end of the help of the program and of each (sub)command."""
    from trainer.cli.examples import EXAMPLES

    if isinstance(parser, OneLineParser):
        parser.examples = EXAMPLES.get(path, ())
    for action in parser._actions:  # argparse keeps sub-parsers only here
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                _add_examples(child, f"{path} {name}".strip())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _fill_closed_descriptors()
    args = None
    try:
        args = build_parser(command_in(argv)).parse_args(argv)
        if args.command is None:
            from trainer.cli import tui

            return tui.run(args)
        if sys.stdout is None and not _writes_to_file(args):
            raise CliError(
                f"{args.command}: standard output is closed, so nothing could be shown "
                "(redirect it to a file instead)"
            )
        return _run_command(args)
    except CliError as exc:
        _say(f"sre-trainer: {exc}")
        return exc.status
    except KeyboardInterrupt:
        _say("sre-trainer: interrupted")
        return 130
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (`| head`): no second error at exit
        return 0
    except Exception as exc:  # a bug: keep the details in a report, show one line
        return _crash(exc, args)


def _run_command(args: argparse.Namespace) -> int:
    """Run a plain (non-TUI) command with every byte it prints stripped of control
    characters: pack text and answers are untrusted (the app does the same on screen)."""
    from trainer.safe_text import SafeWriter
    from trainer.store.errors import StoreError

    if args.command == "mock" and not args.plain:  # opens the app ...
        from trainer.cli.tui import dumb_terminal

        if not dumb_terminal():
            return command_module(args.command).run(args)
        # ... which a dumb terminal cannot draw: the plain mock is what the user can have.
        _say("sre-trainer: TERM=dumb: running the mock in plain mode (--plain)")
        args.plain = True
    streams = sys.stdout, sys.stderr
    sys.stdout = SafeWriter(sys.stdout) if sys.stdout is not None else None
    sys.stderr = SafeWriter(sys.stderr)
    try:
        return command_module(args.command).run(args)
    except StoreError as exc:  # a full disk or a lock mid-command: committed work is kept
        raise CliError(str(exc), status=1) from None
    finally:
        sys.stdout, sys.stderr = streams


def _fill_closed_descriptors() -> None:
    """Put /dev/null on a closed stdin, stdout or stderr (`<&-`, `>&-`), so no file the
    program opens later (the progress database) takes descriptor 0, 1 or 2 and receives
    output meant for the terminal. `sys.stdin`/`sys.stdout` stay None: commands that need
    them refuse with one line. A closed stderr is replaced, so errors never go to stdout."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # takes the lowest free number: this one
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process


def _writes_to_file(args: argparse.Namespace) -> bool:
    return args.command == "export" and getattr(args, "output", None) is not None


def _say(line: str) -> None:
    """One line on stderr; it may quote what the user typed (`unrecognized arguments`)."""
    from trainer.safe_text import strip_controls

    with contextlib.suppress(OSError, ValueError):  # stderr itself gone: the status is left
        print(strip_controls(line), file=sys.stderr)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]  # caught below
    except (OSError, AttributeError, ValueError):
        pass


def _crash(error: Exception, args: argparse.Namespace | None) -> int:
    from trainer import paths
    from trainer.crash import crash_line, write_crash_report

    try:
        folder = paths.user_data_dir(getattr(args, "data_dir", None))
        report = write_crash_report(error, folder)
        _say(crash_line(error, report))
    except Exception as problem:  # noqa: BLE001 - the report is best effort
        _say(crash_line(error, None, str(problem) or type(problem).__name__))
    return 70  # EX_SOFTWARE
