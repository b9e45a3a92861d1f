"""`sre-trainer grade`: grade an answer read on stdin (or JSON lines) against a card's rubric."""

from __future__ import annotations

import argparse
import json
import sys

from trainer.cli.common import CliError, add_bank_options, load_bank, read_stdin

NAME = "grade"


def add_parser(commands) -> None:
    grade = commands.add_parser(
        NAME,
        help="grade an answer read on stdin",
        description="Grade an answer to one card (read on stdin) against its rubric.",
    )
    grade.add_argument("--card", help="card id, e.g. q05 (see `sre-trainer list`)")
    mode = grade.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print one JSON object")
    mode.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"card", "answer"} JSON lines on stdin; write one result per line',
    )
    add_bank_options(grade)


def print_result(result, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return
    print(f"{result.card_id}: {result.score}/100")
    for note in result.notes:
        print(f"  note: {note}")
    for point in result.points:
        mark = "+" if point.matched else "-"
        said = f'  (you said "{point.phrase}")' if point.matched and point.phrase else ""
        print(f"  {mark} [{point.weight}] {point.text}{said}")
    for flag in result.red_flags:
        print(f"  ! red flag: {flag.claim}")


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from trainer.grading.concepts import AnswerError, grade
    from trainer.grading.text import aliases_for

    bank = load_bank(args)
    grade = partial(grade, aliases=aliases_for(bank.aliases))
    if args.jsonl:
        return _grade_lines(bank, grade, AnswerError)
    if not args.card:
        raise CliError("grade: --card ID is required (or use --jsonl)")
    try:
        card = bank.card(args.card)
    except KeyError as exc:
        raise CliError(f"grade: {exc.args[0]}") from None
    answer = read_stdin("grade", "the answer")
    try:
        result = grade(card, answer)
    except AnswerError as exc:
        raise CliError(f"grade: {exc}") from None
    print_result(result, args.json)
    return 0


def _grade_lines(bank, grade, answer_error) -> int:
    """One result per input line, in order; a bad line gets an error object, not a crash."""
    status = 0
    if sys.stdin is None:
        raise CliError("grade: no standard input to read JSON lines from")
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("expected a JSON object")
            card = bank.card(str(item.get("card")))
            result = grade(card, item.get("answer"))
            print(json.dumps(result.to_json(), ensure_ascii=False), flush=False)
        except (ValueError, KeyError, answer_error) as exc:
            message = exc.args[0] if exc.args else str(exc)
            print(json.dumps({"line": number, "card": _card_field(line), "error": str(message)}))
            status = 1
    return status


def _card_field(line: str):
    try:
        item = json.loads(line)
        return item.get("card") if isinstance(item, dict) else None
    except ValueError:
        return None
