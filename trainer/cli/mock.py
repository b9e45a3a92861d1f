"""`sre-trainer mock`: a timed mock interview, in the app or (--plain) on stdin/stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.cli.common import (
    CliError,
    add_bank_options,
    add_data_options,
    bounded_int,
    load_bank,
    open_store,
)

NAME = "mock"
MAX_QUESTIONS = 30
MIN_SECONDS, MAX_SECONDS_PER_QUESTION = 10, 3600  # ten seconds to an hour per question
MAX_TOTAL_SECONDS = 24 * 3600
MAX_SEED = 2**63 - 1


def add_parser(commands) -> None:
    mock = commands.add_parser(
        NAME,
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
    mock.add_argument(
        "--questions",
        type=bounded_int(1, MAX_QUESTIONS),
        default=5,
        help=f"how many questions, 1-{MAX_QUESTIONS} (default 5)",
    )
    mock.add_argument(
        "--categories", help="comma-separated categories (default: balanced like a real loop)"
    )
    mock.add_argument(
        "--time-per-question",
        type=bounded_int(MIN_SECONDS, MAX_SECONDS_PER_QUESTION),
        default=300,
        metavar="SECONDS",
        help=f"limit per question, {MIN_SECONDS}-{MAX_SECONDS_PER_QUESTION} (default 300)",
    )
    mock.add_argument(
        "--total-time",
        type=bounded_int(MIN_SECONDS, MAX_TOTAL_SECONDS),
        metavar="SECONDS",
        help="limit for the whole mock (default: questions x per-question; at most a day)",
    )
    mock.add_argument(
        "--seed", type=bounded_int(0, MAX_SEED), help="repeatable question choice (0 or more)"
    )
    mock.add_argument("--practice", action="store_true", help="show feedback after each answer")
    mock.add_argument(
        "--scenario",
        metavar="ID",
        help="add a troubleshooting walk-through (a scenario id) in the middle",
    )
    mock.add_argument("--export", type=Path, metavar="FILE", help="write the report as Markdown")
    resume = mock.add_mutually_exclusive_group()
    resume.add_argument("--resume", action="store_true", help="continue the unfinished mock")
    resume.add_argument("--discard", action="store_true", help="discard the unfinished mock")
    add_data_options(mock)
    add_bank_options(mock)


# The settings a mock checks, as this command names them.
FLAGS = {
    "questions": "--questions",
    "seconds_per_question": "--time-per-question",
    "total_seconds": "--total-time",
    "categories": "--categories",
    "scenario": "--scenario",
}


def _config(args: argparse.Namespace):
    """The mock's configuration, checked by the core (one-line CliError naming the flag)."""
    from trainer.content.models import CATEGORIES
    from trainer.study.settings import SettingsError, mock_config

    known_scenarios = None
    if args.scenario:
        from trainer.scenarios.loader import load_scenarios

        known_scenarios = load_scenarios()[0]
    try:
        return mock_config(
            questions=args.questions,
            categories=(args.categories or "").split(","),
            seconds_per_question=args.time_per_question,
            total_seconds=args.total_time,
            seed=args.seed,
            practice=args.practice,
            scenario=args.scenario,
            known_categories=CATEGORIES,
            known_scenarios=known_scenarios,
        )
    except SettingsError as exc:
        hint = " (see `sre-trainer scenario list`)" if exc.setting == "scenario" else ""
        raise CliError(f"mock: {FLAGS.get(exc.setting, exc.setting)} {exc.problem}{hint}") from None


def run(args: argparse.Namespace) -> int:
    config = _config(args)
    if not args.plain:
        from trainer.cli import tui

        return tui.run(args, start="mock")
    return _plain(args, config)


def _plain(args: argparse.Namespace, config) -> int:
    from trainer.study.mock_plain import run_plain
    from trainer.study.service import StudyService

    if sys.stdin is None:
        # Checked before a mock is started or resumed: none is left running unanswered.
        raise CliError("mock: --plain reads the answers on stdin, which is closed")
    service = StudyService(load_bank(args), open_store(args))
    unfinished = service.unfinished_mock()
    if unfinished and args.discard:
        service.discard_mock(unfinished)
        print(f"Discarded the unfinished mock of {unfinished['started_at'][:16]}.")
        unfinished = None
    if args.resume:
        if not unfinished:
            raise CliError("mock: there is no unfinished mock to resume")
        session = service.resume_mock(unfinished)
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
        session = service.start_mock(config)

    def export(markdown: str) -> None:
        try:
            args.export.write_text(markdown, encoding="utf-8")
            print(f"Report written to {args.export}")
        except OSError as exc:
            print(f"sre-trainer: cannot write {args.export}: {exc.strerror}", file=sys.stderr)

    try:
        run_plain(service, session, write_report=export if args.export else None)
    except KeyboardInterrupt:
        print(
            "\nMock paused: every answer so far is saved. `sre-trainer mock --plain --resume` "
            "continues it.",
            file=sys.stderr,
        )
        return 130
    return 0
