"""`sre-trainer schema`: the JSON Schema of a YAML format, for editors and other tools."""

from __future__ import annotations

import argparse
import sys

NAME = "schema"
FORMATS = ("cards", "scenarios", "pack")  # trainer.content.schema.FORMATS, without importing it


def add_parser(commands) -> None:
    schema = commands.add_parser(
        NAME,
        help="print the JSON Schema of a YAML format",
        description="Print the JSON Schema of a YAML format, generated from the definitions "
        "the loader reads: cards (question-bank files), scenarios, or pack (either kind, the "
        "default). Editors with a YAML language server validate and complete a file that "
        "names it: `# yaml-language-server: $schema=pack.schema.json`.",
    )
    schema.add_argument("format", nargs="?", choices=FORMATS, default="pack")


def run(args: argparse.Namespace) -> int:
    from trainer.content.schema import dumps

    sys.stdout.write(dumps(args.format))
    return 0
