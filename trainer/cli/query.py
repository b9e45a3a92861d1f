"""`sre-trainer query`: list the drills' catalogue, or check an attempt at one of them."""

from __future__ import annotations

import argparse
import json

from trainer.cli.common import CliError, add_bank_options, load_bank, read_stdin
from trainer.registry import DRILL_KINDS

NAME = "query"


def add_parser(commands) -> None:
    query = commands.add_parser(
        NAME,
        help="monitoring-query drills (list, check)",
        description="The guide's monitoring queries, metrics and numbers: list them, or check "
        "an attempt.",
    )
    query_commands = query.add_subparsers(dest="query_command", metavar="SUBCOMMAND")
    query_list = query_commands.add_parser(
        "list",
        help="list every checkable query, metric and number",
        description="List every item `query check` accepts, with the drills it offers.",
    )
    query_list.add_argument("--json", action="store_true", help="print a JSON list")
    add_bank_options(query_list)
    query_check = query_commands.add_parser(
        "check",
        help="check an attempt read on stdin",
        description="Check an attempt (read on stdin). PromQL is compared by meaning (equivalent "
        "rewrites are right); a command by its options; a metric by its exact name and alert "
        "threshold; a number in any unit; a read-back by the concepts it states.",
    )
    query_check.add_argument("--id", required=True, help="item id (see `sre-trainer query list`)")
    query_check.add_argument(
        "--kind",
        choices=tuple(DRILL_KINDS),
        help="which of the item's drills (default: its first: write, else metric, else number)",
    )
    query_check.add_argument("--json", action="store_true", help="print one JSON object")
    add_bank_options(query_check)


def run(args: argparse.Namespace) -> int:
    bank = load_bank(args)
    from trainer.study.drills import catalogue

    if args.query_command == "list":
        entries = catalogue(bank)
        if args.json:
            print(json.dumps([e.to_json() for e in entries], indent=1, ensure_ascii=False))
        else:
            for e in entries:
                print(f"{e.id:<40} {','.join(e.drills):<13} {e.measures}")
        return 0
    if args.query_command != "check":
        raise CliError("query: expected `list` or `check` (see `sre-trainer query --help`)")
    from trainer.grading.concepts import MAX_ANSWER_CHARS
    from trainer.study.drills import check, find

    try:
        drill = find(bank, args.id, args.kind)
    except KeyError as exc:
        raise CliError(f"query: {exc.args[0]}") from None
    attempt = read_stdin("query", "the attempt", MAX_ANSWER_CHARS)
    if not attempt.strip():
        raise CliError("query: the attempt is empty: pipe the query on stdin")
    attempt = attempt.strip()
    result = check(bank, drill, attempt)
    if args.json:
        print(json.dumps(result.to_json(drill.item_id), ensure_ascii=False))
        return 0
    print(f"{drill.item_id}: {result.verdict} ({result.score}/100)")
    if result.error is not None:
        print(f"  parse error: {result.error.message}")
        if result.error.position is not None:
            print(_caret(attempt, result.error.position))
    for hint in result.hints:
        print(f"  hint: {hint}")
    if result.verdict not in ("correct", "invalid"):
        print(f"  reference: {_indent(drill.reference)}")
        if drill.threshold:
            print(f"  threshold: {drill.threshold}")
    return 0


def _caret(attempt: str, position: int) -> str:
    """The line of the attempt that holds the error, with a caret under its column."""
    from trainer.grading.promql import line_and_column

    line, column = line_and_column(attempt, position)
    text = attempt.splitlines()[line - 1] if attempt.splitlines() else ""
    where = f"  line {line}:\n" if "\n" in attempt else ""
    return f"{where}    {text}\n    {' ' * (column - 1)}^"


def _indent(text: str) -> str:
    return text.strip().replace("\n", "\n             ")
