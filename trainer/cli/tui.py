"""Starting the TUI (no command): the only path that imports Textual."""

from __future__ import annotations

import argparse

from trainer.cli.common import CliError

DUMB_HINT = (
    "TERM=dumb: this terminal cannot draw the app; try `sre-trainer mock --plain` "
    "(or any other command: `sre-trainer --help`)"
)


def dumb_terminal() -> bool:
    """A terminal that cannot move the cursor (TERM=dumb: Emacs shells, some screen readers'
    consoles). The browser mode sets its own driver and is never one."""
    import os

    return os.environ.get("TERM") == "dumb" and "TEXTUAL_DRIVER" not in os.environ


def run(
    args: argparse.Namespace, start: str | None = None, mock_options: dict | None = None
) -> int:
    import sys

    from trainer.store.db import StoreError

    if sys.stdin is None or sys.stdout is None:
        closed = "input" if sys.stdin is None else "output"
        raise CliError(f"the app needs a terminal, and standard {closed} is closed")
    if dumb_terminal():
        raise CliError(DUMB_HINT)
    from trainer.tui.app import make_app  # imports Textual (~300 ms): only for the TUI

    try:
        app = make_app(
            data_dir=args.data_dir,
            pack_dirs=args.bank,
            start=start,
            decks=tuple(getattr(args, "deck", None) or ()),
            mock_options=mock_options,
        )
    except StoreError as exc:
        raise CliError(str(exc), status=1) from None
    except KeyError as exc:  # an unknown --deck
        raise CliError(f"--deck: {exc.args[0]}") from None
    app.run()
    return app.return_code or 0
