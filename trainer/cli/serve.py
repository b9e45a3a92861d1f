"""`sre-trainer serve`: the app in a web browser, one app process per browser session."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.cli.common import CliError, add_bank_options, add_data_options, bounded_int

NAME = "serve"
INSTALL_HINT = "pip install 'sre-trainer[web]'"
PIPX_HINT = "pipx inject sre-trainer textual-serve"


def add_parser(commands) -> None:
    serve = commands.add_parser(
        NAME,
        help="open the app in a web browser (needs the [web] extra)",
        description="Serve the app to web browsers: each browser tab gets its own app, on "
        "this machine's progress. Listens on 127.0.0.1 (this computer only) unless --host "
        "says otherwise. Ctrl+C stops the server and every app it started. Needs the web "
        f"extra: {INSTALL_HINT}.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 lets other machines in)",
    )
    serve.add_argument(
        "--port", type=bounded_int(1, 65535), default=8000, help="port (default 8000)"
    )
    add_bank_options(serve)
    add_data_options(serve)


def app_command(args: argparse.Namespace) -> list[str]:
    """How each browser session's app is started: this Python, these packs and data. `-P`:
    the current folder is not searched first (the server's `trainer` is put on the app's
    path instead, trainer.web.server)."""
    argv = [sys.executable, "-P", "-m", "trainer"]
    for folder in args.bank:
        argv += ["--bank", str(Path(folder).resolve())]
    if args.data_dir is not None:
        argv += ["--data-dir", str(Path(args.data_dir).expanduser().resolve())]
    return argv


def run(args: argparse.Namespace) -> int:
    try:
        from trainer.web.server import TrainerServer, is_loopback
    except ImportError:
        raise CliError(
            f"serve: the browser mode needs the web extra: {INSTALL_HINT} (pipx: {PIPX_HINT})"
        ) from None
    server = TrainerServer(app_command(args), args.host, args.port)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{args.port}"
    if is_loopback(args.host):
        print(f"Serving sre-trainer at {url} (this computer only; --host to share it)")
    else:
        print(f"Serving sre-trainer on {url}")
        print(
            f"warning: listening on {args.host}: anyone who can reach port {args.port} can "
            "use the trainer with your progress and answers (there is no login)",
            file=sys.stderr,
        )
    print("Each browser tab runs its own app. Ctrl+C stops the server and every app.")
    sys.stdout.flush()
    try:
        server.serve()
    except OSError as exc:
        raise CliError(
            f"serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", status=1
        ) from None
    print("Stopped: every app the server started has ended.")
    return 0
