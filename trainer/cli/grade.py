"""`sre-trainer grade`: grade an answer read on stdin (or JSON lines) against a card's rubric."""

from __future__ import annotations

import argparse
import json
import sys

from trainer.cli.common import CliError, add_bank_options, load_bank, read_stdin

NAME = "grade"
# A JSON line holds the card id and an answer of up to MAX_ANSWER_CHARS, escapes included.
MAX_LINE_CHARS = 200_000


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


MARKS = {"full": "+", "partial": "~", "argued-against": "x", "missed": "-"}
LEGEND = "+ credited   ~ part credit (bare term or gist)   x argued against   - missed"


def print_result(result, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return
    print(f"{result.card_id}: {result.score}/100")
    for note in result.notes:
        if not note.startswith("You argued"):  # shown point by point below
            print(f"  note: {note}")
    for point in result.points:
        said = f'  (you said "{point.phrase}")' if point.matched and point.phrase else ""
        print(f"  {MARKS[point.status]} [{point.weight}] {point.text}{said}")
    for flag in result.red_flags:
        print(f"  ! red flag: {flag.claim}")
    print(f"  ({LEGEND})")


def run(args: argparse.Namespace) -> int:
    from functools import partial

    from trainer.grading.concepts import MAX_ANSWER_CHARS, AnswerError, grade
    from trainer.grading.text import aliases_for

    bank = load_bank(args)
    grade = partial(grade, aliases=aliases_for(bank.aliases), every_card_flags=bank.red_flags)
    if args.jsonl:
        return _grade_lines(bank, grade, AnswerError)
    if not args.card:
        raise CliError("grade: --card ID is required (or use --jsonl)")
    try:
        card = bank.card(args.card)
    except KeyError as exc:
        raise CliError(f"grade: {exc.args[0]}") from None
    answer = read_stdin("grade", "the answer", MAX_ANSWER_CHARS)
    try:
        result = grade(card, answer)
    except AnswerError as exc:
        raise CliError(f"grade: {exc}") from None
    print_result(result, args.json)
    return 0


def _grade_lines(bank, grade, answer_error) -> int:
    """One result per input line, in order; a bad line gets an error object, not a crash."""
    from trainer.grading.concepts import MAX_ANSWER_CHARS

    status = 0
    if sys.stdin is None:
        raise CliError("grade: no standard input to read JSON lines from (stdin is closed)")
    try:
        for number, line, whole in _lines(sys.stdin, MAX_LINE_CHARS):
            if not line.strip():
                continue
            try:
                if not whole:
                    raise ValueError(
                        f"the line is over {MAX_LINE_CHARS:,} characters; an answer may have "
                        f"at most {MAX_ANSWER_CHARS:,}"
                    )
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("expected a JSON object")
                card = bank.card(str(item.get("card")))
                answer = item.get("answer")
                if answer is not None and not isinstance(answer, str):
                    raise ValueError("answer must be text")
                result = grade(card, answer)
                print(json.dumps(result.to_json(), ensure_ascii=False), flush=False)
            except (ValueError, KeyError, answer_error) as exc:
                message = exc.args[0] if exc.args else str(exc)
                card_id = _card_field(line) if whole else None
                print(json.dumps({"line": number, "card": card_id, "error": str(message)}))
                status = 1
    except UnicodeDecodeError:
        raise CliError("grade: the JSON lines on stdin are not UTF-8 text") from None
    return status


def _lines(stream, limit: int):
    """(number, line, whole) for each line; a line longer than `limit` is read no further
    than that (the rest is skipped unread into memory) and marked not whole."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        whole = len(line) <= limit or line.endswith("\n")
        if not whole:
            while True:  # skip the rest of the long line, a piece at a time
                rest = stream.readline(65536)
                if not rest or rest.endswith("\n"):
                    break
        yield number, line, whole


def _card_field(line: str):
    try:
        item = json.loads(line)
        return item.get("card") if isinstance(item, dict) else None
    except ValueError:
        return None
