"""The `sre-trainer` command line. With no command it opens the TUI (the only path that
imports Textual); every other command stays on the plain-Python core so it starts fast."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trainer import __version__

TUI_HINT = "Run `sre-trainer` with no command to open the app."


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2 unless given."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


# Options accepted before or after the command; a sub-command's copy must not reset the
# top-level value, hence SUPPRESS below the top.
def _add_bank_options(parser: argparse.ArgumentParser, top: bool = False) -> None:
    parser.add_argument(
        "--bank",
        metavar="DIR",
        action="append",
        type=Path,
        default=[] if top else argparse.SUPPRESS,
        help="extra folder of YAML packs to load beside the built-in bank (repeatable)",
    )


def _add_data_options(parser: argparse.ArgumentParser, top: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help="where the progress database lives (default: $SRE_TRAINER_HOME or the user data dir)",
    )


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


def build_parser(wanted: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with `wanted`, only that command's sub-parser is built (argparse
    parsers cost about 1.5 ms each, a third of `grade`'s start-up)."""
    parser = argparse.ArgumentParser(
        prog="sre-trainer",
        description="Interactive SRE interview trainer. " + TUI_HINT,
    )
    parser.add_argument("--version", action="version", version=f"sre-trainer {__version__}")
    _add_bank_options(parser, top=True)
    _add_data_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    if wanted in (None, "grade"):
        grade = commands.add_parser(
            "grade",
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
        _add_bank_options(grade)

    if wanted in (None, "validate"):
        validate = commands.add_parser(
            "validate",
            help="check the question bank and packs",
            description="Check the built-in bank and user packs (or only the given files or "
            "folders). Exit 0 when valid, 1 with every error listed.",
        )
        validate.add_argument("paths", nargs="*", type=Path, metavar="PATH")
        _add_bank_options(validate)

    if wanted in (None, "list"):
        list_cmd = commands.add_parser(
            "list", help="list the cards", description="List the cards of the bank."
        )
        list_cmd.add_argument("--category", help="only this category")
        list_cmd.add_argument("--json", action="store_true", help="print a JSON list")
        _add_bank_options(list_cmd)

    if wanted in (None, "stats"):
        stats = commands.add_parser(
            "stats", help="print a progress summary", description="Summarise stored progress."
        )
        stats.add_argument("--json", action="store_true", help="print a JSON object")
        _add_data_options(stats)
        _add_bank_options(stats)

    if wanted in (None, "scenario"):
        scenario = commands.add_parser(
            "scenario",
            help="troubleshooting scenarios (list, play)",
            description="Simulated incidents: list them, or play one non-interactively.",
        )
        scenario_commands = scenario.add_subparsers(dest="scenario_command", metavar="SUBCOMMAND")
        scenario_list = scenario_commands.add_parser(
            "list", help="list the scenarios", description="List the built-in scenarios."
        )
        scenario_list.add_argument("--json", action="store_true", help="print a JSON list")
        play = scenario_commands.add_parser(
            "play",
            help="play a scenario non-interactively and print the breakdown",
            description="Take the given actions in order, name the root cause, and print the "
            "score breakdown and the debrief.",
        )
        play.add_argument("id", help="scenario id (see `sre-trainer scenario list`)")
        play.add_argument("--actions", default="", help="comma-separated action ids, in order")
        play.add_argument("--root-cause", help="the cause id you name")
        play.add_argument("--writeup-file", type=Path, help="file holding your incident summary")
        play.add_argument("--hints", type=int, default=0, help="hints taken (each costs 5 points)")
        play.add_argument(
            "--model-path",
            action="store_true",
            help="play the scenario's own model path, cause and write-up",
        )
        play.add_argument("--json", action="store_true", help="print one JSON object")

    if wanted in (None, "query"):
        query = commands.add_parser(
            "query",
            help="monitoring-query drills (list, check)",
            description="The guide's monitoring queries and metrics: list them, or check an "
            "attempt.",
        )
        query_commands = query.add_subparsers(dest="query_command", metavar="SUBCOMMAND")
        query_list = query_commands.add_parser(
            "list", help="list the queries and metrics", description="List the queries and metrics."
        )
        query_list.add_argument("--json", action="store_true", help="print a JSON list")
        _add_bank_options(query_list)
        query_check = query_commands.add_parser(
            "check",
            help="check an attempt read on stdin",
            description="Check an attempt (read on stdin) at a query: PromQL is compared by "
            "structure; a CloudWatch or custom metric by name and alert threshold.",
        )
        query_check.add_argument(
            "--id", required=True, help="query id (see `sre-trainer query list`)"
        )
        query_check.add_argument("--json", action="store_true", help="print one JSON object")
        _add_bank_options(query_check)

    if wanted in (None, "mock"):
        mock = commands.add_parser(
            "mock",
            help="a timed mock interview (--plain for an ordinary terminal)",
            description="A timed mock interview with a report at the end. Without --plain it "
            "opens the app on the mock set-up.",
        )
        mock.add_argument(
            "--plain",
            action="store_true",
            help="prompts on stdout, answers on stdin (an answer ends with an empty "
            "line or EOF; /skip skips)",
        )
        mock.add_argument("--questions", type=int, default=5, help="how many questions (default 5)")
        mock.add_argument(
            "--categories", help="comma-separated categories (default: balanced like a real loop)"
        )
        mock.add_argument(
            "--time-per-question",
            type=int,
            default=300,
            metavar="SECONDS",
            help="limit per question (default 300)",
        )
        mock.add_argument(
            "--total-time",
            type=int,
            metavar="SECONDS",
            help="limit for the whole mock (default: questions x per-question)",
        )
        mock.add_argument("--seed", type=int, help="repeatable question choice")
        mock.add_argument("--practice", action="store_true", help="show feedback after each answer")
        mock.add_argument(
            "--scenario",
            metavar="ID",
            help="add a troubleshooting walk-through (a scenario id) in the middle",
        )
        mock.add_argument(
            "--export", type=Path, metavar="FILE", help="write the report as Markdown"
        )
        resume = mock.add_mutually_exclusive_group()
        resume.add_argument("--resume", action="store_true", help="continue the unfinished mock")
        resume.add_argument("--discard", action="store_true", help="discard the unfinished mock")
        _add_data_options(mock)
        _add_bank_options(mock)

    if wanted in (None, "export"):
        export = commands.add_parser(
            "export", help="export every attempt", description="Write all stored attempts."
        )
        export.add_argument("--format", choices=("csv", "json"), default="csv")
        export.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
        _add_data_options(export)

    return parser


def _load_bank(args: argparse.Namespace):
    from trainer.content.cache import load_bank_cached

    bank = load_bank_cached(pack_dirs=args.bank)
    for error in bank.errors:
        print(f"warning: {error} (skipped)", file=sys.stderr)
    return bank


def _print_result(result, as_json: bool) -> None:
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


def cmd_grade(args: argparse.Namespace) -> int:
    from functools import partial

    from trainer.grading.concepts import AnswerError, grade
    from trainer.grading.text import aliases_for

    bank = _load_bank(args)
    grade = partial(grade, aliases=aliases_for(bank.aliases))
    if args.jsonl:
        return _grade_lines(bank, grade, AnswerError)
    if not args.card:
        raise CliError("grade: --card ID is required (or use --jsonl)")
    try:
        card = bank.card(args.card)
    except KeyError as exc:
        raise CliError(f"grade: {exc.args[0]}") from None
    try:
        answer = sys.stdin.read()
        result = grade(card, answer)
    except UnicodeDecodeError:
        raise CliError("grade: the answer on stdin is not UTF-8 text") from None
    except AnswerError as exc:
        raise CliError(f"grade: {exc}") from None
    _print_result(result, args.json)
    return 0


def _grade_lines(bank, grade, answer_error) -> int:
    """One result per input line, in order; a bad line gets an error object, not a crash."""
    status = 0
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


def cmd_validate(args: argparse.Namespace) -> int:
    from trainer.content.loader import load_bank, load_files, yaml_files
    from trainer.content.models import Bank
    from trainer.scenarios.loader import load_scenario, load_scenarios
    from trainer.scenarios.validate import check

    if args.paths:
        files = []
        for path in args.paths:
            files += yaml_files(path) if path.is_dir() else [path]
        bank = load_files([f for f in files if not _is_scenario_file(f)], Bank())
        errors, scenarios = list(bank.errors), []
        for file in filter(_is_scenario_file, files):
            scenario, problems = load_scenario(file)
            errors += problems
            scenarios += [scenario] if scenario else []
    else:
        bank = load_bank(pack_dirs=args.bank)
        found, scenario_errors = load_scenarios()
        errors, scenarios = bank.errors + scenario_errors, list(found.values())
    for scenario in scenarios:
        errors += check(scenario)
    for error in errors:
        print(error)
    summary = (
        f"{len(bank.cards)} cards, {len(bank.queries)} queries, {len(bank.numbers)} numbers, "
        f"{len(bank.notes)} notes, {len(scenarios)} scenarios"
    )
    if errors:
        print(f"invalid: {len(errors)} error(s); {summary}")
        return 1
    print(f"valid: {summary}")
    return 0


def _is_scenario_file(path: Path) -> bool:
    """A file with a top-level `scenario:` key (others are question-bank files)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return any(line.startswith("scenario:") for line in handle)
    except (OSError, UnicodeDecodeError):
        return False


def cmd_list(args: argparse.Namespace) -> int:
    from trainer.content.models import CATEGORIES

    bank = _load_bank(args)
    known = sorted({c.category for c in bank.cards.values()} | set(CATEGORIES))
    if args.category and args.category not in known:
        raise CliError(
            f"list: unknown category {args.category!r}; expected one of {', '.join(known)}"
        )
    cards = bank.cards_in(args.category)
    if args.json:
        print(
            json.dumps(
                [{"id": c.id, "category": c.category, "question": c.question} for c in cards],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    for card in cards:
        print(f"{card.id:<6} {card.category:<26} {card.question}")
    return 0


def _open_store(args: argparse.Namespace):
    from trainer import paths
    from trainer.store.db import Store, StoreError

    try:
        store = Store.open(paths.user_data_dir(args.data_dir))
    except StoreError as exc:
        raise CliError(str(exc), status=1) from None
    if store.notice:
        print(f"warning: {store.notice}", file=sys.stderr)
    return store


def cmd_stats(args: argparse.Namespace) -> int:
    from trainer.study.progress import compute, format_text

    bank = _load_bank(args)
    store = _open_store(args)
    progress = compute(store, bank)
    if args.json:
        print(json.dumps(progress.to_json(), ensure_ascii=False, indent=1))
    else:
        print(format_text(progress))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from trainer.store.export import write_attempts

    store = _open_store(args)
    if args.output is None:
        count = write_attempts(store, args.format, sys.stdout)
    else:
        try:
            with args.output.open("w", encoding="utf-8", newline="") as out:
                count = write_attempts(store, args.format, out)
        except OSError as exc:
            raise CliError(f"export: cannot write {args.output}: {exc.strerror}") from None
    print(f"exported {count} attempt(s)", file=sys.stderr)
    return 0


def cmd_scenario(args: argparse.Namespace) -> int:
    from trainer.scenarios.loader import load_scenarios

    scenarios, errors = load_scenarios()
    for error in errors:
        print(f"warning: {error} (skipped)", file=sys.stderr)
    if args.scenario_command == "list":
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            "id": s.id,
                            "title": s.title,
                            "difficulty": s.difficulty,
                            "summary": s.summary,
                        }
                        for s in scenarios.values()
                    ],
                    indent=1,
                    ensure_ascii=False,
                )
            )
        else:
            for item in scenarios.values():
                print(f"{item.id:<26} {item.difficulty:<7} {item.title}")
        return 0
    if args.scenario_command != "play":
        raise CliError("scenario: expected `list` or `play` (see `sre-trainer scenario --help`)")
    if args.id not in scenarios:
        raise CliError(f"scenario: unknown scenario {args.id!r} (see `sre-trainer scenario list`)")
    return _play_scenario(scenarios[args.id], args)


def _play_scenario(scenario, args: argparse.Namespace) -> int:
    from trainer.scenarios.engine import ActionError
    from trainer.scenarios.report import format_debrief
    from trainer.scenarios.scoring import play_and_score

    if args.model_path:
        actions, cause, writeup = (
            list(scenario.model_path),
            scenario.correct_cause.id,
            scenario.model_writeup,
        )
    else:
        actions = [a.strip() for a in args.actions.split(",") if a.strip()]
        cause, writeup = args.root_cause, ""
        if cause is not None and cause not in {c.id for c in scenario.causes}:
            raise CliError(
                f"scenario: unknown root cause {cause!r}; expected one of "
                f"{', '.join(c.id for c in scenario.causes)}"
            )
        if args.writeup_file is not None:
            try:
                writeup = args.writeup_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CliError(f"scenario: cannot read {args.writeup_file}: {exc}") from None
    try:
        debrief = play_and_score(scenario, actions, cause, writeup, hints=max(0, args.hints))
    except ActionError as exc:
        raise CliError(f"scenario: {exc}") from None
    if args.json:
        print(json.dumps(debrief.to_json(), ensure_ascii=False))
    else:
        print(format_debrief(scenario, debrief))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    bank = _load_bank(args)
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
    from trainer.study.drills import check, find

    try:
        drill = find(bank, args.id)
    except KeyError as exc:
        raise CliError(f"query: {exc.args[0]}") from None
    try:
        attempt = sys.stdin.read()
    except UnicodeDecodeError:
        raise CliError("query: the attempt on stdin is not UTF-8 text") from None
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


def cmd_mock(args: argparse.Namespace) -> int:
    from trainer.content.models import CATEGORIES

    if args.questions < 1 or args.questions > 30:
        raise CliError("mock: --questions must be from 1 to 30")
    if args.time_per_question < 10:
        raise CliError("mock: --time-per-question must be at least 10 seconds")
    categories = tuple(c.strip() for c in (args.categories or "").split(",") if c.strip())
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise CliError(
            f"mock: unknown category {unknown[0]!r}; expected one of {', '.join(CATEGORIES)}"
        )
    scenarios = None
    if args.scenario:
        from trainer.scenarios.loader import load_scenarios

        scenarios = load_scenarios()[0]
        if args.scenario not in scenarios:
            raise CliError(
                f"mock: unknown scenario {args.scenario!r} (see `sre-trainer scenario list`)"
            )
    if not args.plain:
        return run_tui(args, start="mock")
    return _plain_mock(args, categories, scenarios)


def _plain_mock(
    args: argparse.Namespace, categories: tuple[str, ...], scenarios: dict | None
) -> int:
    from trainer.study.mock import MockConfig, MockSession
    from trainer.study.mock_plain import run_plain

    bank = _load_bank(args)
    store = _open_store(args)
    unfinished = store.unfinished_mock()
    if unfinished and args.discard:
        MockSession.resume(bank, store, unfinished).discard()
        print(f"Discarded the unfinished mock of {unfinished['started_at'][:16]}.")
        unfinished = None
    if args.resume:
        if not unfinished:
            raise CliError("mock: there is no unfinished mock to resume")
        session = MockSession.resume(bank, store, unfinished)
        print(
            f"Resuming the mock of {unfinished['started_at'][:16]} "
            f"({unfinished['answered']} answered)."
        )
    else:
        if unfinished:
            print(
                f"Note: an unfinished mock of {unfinished['started_at'][:16]} "
                f"({unfinished['answered']} answered) is kept: --resume continues it, "
                "--discard drops it.",
                file=sys.stderr,
            )
        config = MockConfig(
            args.questions,
            categories,
            args.time_per_question,
            args.total_time,
            args.seed,
            args.practice,
            args.scenario,
        )
        session = MockSession.start(bank, store, config, scenarios=scenarios)

    def export(markdown: str) -> None:
        try:
            args.export.write_text(markdown, encoding="utf-8")
            print(f"Report written to {args.export}")
        except OSError as exc:
            print(f"sre-trainer: cannot write {args.export}: {exc.strerror}", file=sys.stderr)

    try:
        run_plain(session, write_report=export if args.export else None)
    except KeyboardInterrupt:
        print(
            "\nMock paused: every answer so far is saved. `sre-trainer mock --plain --resume` "
            "continues it.",
            file=sys.stderr,
        )
        return 130
    return 0


COMMANDS = {
    "query": cmd_query,
    "mock": cmd_mock,
    "scenario": cmd_scenario,
    "grade": cmd_grade,
    "validate": cmd_validate,
    "list": cmd_list,
    "stats": cmd_stats,
    "export": cmd_export,
}


def run_tui(args: argparse.Namespace, start: str | None = None) -> int:
    from trainer.store.db import StoreError
    from trainer.tui.app import make_app  # imports Textual (~300 ms): only for the TUI

    try:
        app = make_app(data_dir=args.data_dir, pack_dirs=args.bank, start=start)
    except StoreError as exc:
        raise CliError(str(exc), status=1) from None
    app.run()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(command_in(argv))
    args = parser.parse_args(argv)
    handler = COMMANDS.get(args.command, run_tui)
    try:
        return handler(args)
    except CliError as exc:
        print(f"sre-trainer: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("sre-trainer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
