"""`sre-trainer query`: list the monitoring queries and metrics, or check an attempt."""

from __future__ import annotations

import argparse
import json

from trainer.cli.common import CliError, add_bank_options, load_bank, read_stdin

NAME = "query"


def add_parser(commands) -> None:
    query = commands.add_parser(
        NAME,
        help="monitoring-query drills (list, check)",
        description="The guide's monitoring queries and metrics: list them, or check an attempt.",
    )
    query_commands = query.add_subparsers(dest="query_command", metavar="SUBCOMMAND")
    query_list = query_commands.add_parser(
        "list", help="list the queries and metrics", description="List the queries and metrics."
    )
    query_list.add_argument("--json", action="store_true", help="print a JSON list")
    add_bank_options(query_list)
    query_check = query_commands.add_parser(
        "check",
        help="check an attempt read on stdin",
        description="Check an attempt (read on stdin) at a query: PromQL is compared by "
        "structure; a CloudWatch or custom metric by name and alert threshold.",
    )
    query_check.add_argument("--id", required=True, help="query id (see `sre-trainer query list`)")
    query_check.add_argument("--json", action="store_true", help="print one JSON object")
    add_bank_options(query_check)


def run(args: argparse.Namespace) -> int:
    bank = load_bank(args)
    if args.query_command == "list":
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            "id": q.id,
                            "group": q.group,
                            "kind": q.kind,
                            "measures": q.measures,
                            "query": q.query,
                            "threshold": q.threshold,
                        }
                        for q in bank.queries.values()
                    ],
                    indent=1,
                    ensure_ascii=False,
                )
            )
        else:
            for q in bank.queries.values():
                print(f"{q.id:<34} {q.kind:<18} {q.measures}")
        return 0
    if args.query_command != "check":
        raise CliError("query: expected `list` or `check` (see `sre-trainer query --help`)")
    from trainer.grading.concepts import MAX_ANSWER_CHARS
    from trainer.study.drills import check, find

    try:
        drill = find(bank, args.id)
    except KeyError as exc:
        raise CliError(f"query: {exc.args[0]}") from None
    attempt = read_stdin("query", "the attempt", MAX_ANSWER_CHARS)
    if not attempt.strip():
        raise CliError("query: the attempt is empty: pipe the query on stdin")
    result = check(bank, drill, attempt.strip())
    if args.json:
        print(json.dumps(result.to_json(drill.item_id), ensure_ascii=False))
        return 0
    print(f"{drill.item_id}: {result.verdict} ({result.score}/100)")
    if result.error is not None:
        print(f"  parse error: {result.error.message}")
        if result.error.position is not None:
            print(f"    {attempt.strip()}\n    {' ' * result.error.position}^")
    for hint in result.hints:
        print(f"  hint: {hint}")
    if result.verdict != "correct":
        print(f"  reference: {drill.reference}")
    return 0
