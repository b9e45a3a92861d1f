"""`sre-trainer mock`: a timed mock interview, in the app or (--plain) on stdin/stdout.

In the app, the flags fill in the set-up (`--start` starts at once); with --plain the mock
starts at once. One mock runs at a time: `--resume` carries on with the unfinished one,
`--discard` drops it (and starts nothing unless `--start` is given)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from trainer.cli.common import (
    CliError,
    add_bank_options,
    add_data_options,
    add_deck_options,
    bounded_int,
    open_store,
    study_bank,
)
from trainer.study.settings import (
    MAX_SECONDS_PER_QUESTION,
    MAX_TOTAL_SECONDS,
    MIN_SECONDS,
    MOCK_QUESTIONS,
)

NAME = "mock"
MAX_SEED = 2**63 - 1


def add_parser(commands) -> None:
    from trainer.study.mock_presets import PRESETS  # a small table, no grader behind it

    mock = commands.add_parser(
        NAME,
        help="a timed mock interview (--plain for an ordinary terminal)",
        description="A timed mock interview with follow-up questions and a report at the end. "
        "Without --plain it opens the app on the mock set-up, filled in from these flags "
        "(--start starts at once).",
    )
    mock.add_argument(
        "--plain",
        action="store_true",
        help="prompts on stdout, answers on stdin (an answer ends with an empty "
        "line or EOF; /skip skips)",
    )
    mock.add_argument(
        "--preset",
        choices=tuple(PRESETS),
        help="a round of a real SRE loop: troubleshooting (with an incident walk-through), "
        "monitoring-design, security, or mixed (the default mix)",
    )
    mock.add_argument(
        "--questions",
        type=bounded_int(*MOCK_QUESTIONS),
        help="how many questions, {}-{} (default: the preset's, 5 for mixed)".format(
            *MOCK_QUESTIONS
        ),
    )
    mock.add_argument("--categories", help="comma-separated categories (default: the preset's mix)")
    mock.add_argument(
        "--time-per-question",
        type=bounded_int(MIN_SECONDS, MAX_SECONDS_PER_QUESTION),
        metavar="SECONDS",
        help=f"limit per question, {MIN_SECONDS}-{MAX_SECONDS_PER_QUESTION} "
        "(default: the preset's, 300 for mixed)",
    )
    mock.add_argument(
        "--total-time",
        type=bounded_int(MIN_SECONDS, MAX_TOTAL_SECONDS),
        metavar="SECONDS",
        help="limit for the whole mock (default: every question and its follow-ups; "
        "at least one question's time)",
    )
    mock.add_argument(
        "--seed", type=bounded_int(0, MAX_SEED), help="repeatable questions and order (0 or more)"
    )
    mock.add_argument(
        "--practice",
        action="store_true",
        default=None,
        help="show feedback after each question (its clock stopped)",
    )
    mock.add_argument(
        "--no-follow-ups",
        dest="follow_ups",
        action="store_false",
        default=None,
        help="no follow-up questions after the answers",
    )
    mock.add_argument(
        "--speak-aloud",
        action="store_true",
        default=None,
        help="answer out loud to the timer, then tick the points you covered (self-graded)",
    )
    mock.add_argument(
        "--scenario",
        metavar="ID",
        help="add a troubleshooting walk-through (a scenario id) in the middle",
    )
    mock.add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="write the report as Markdown (the path is checked before the mock starts)",
    )
    mock.add_argument(
        "--start",
        action="store_true",
        help="in the app: start at once instead of showing the set-up; with --discard: "
        "start the new mock after dropping the old one",
    )
    resume = mock.add_mutually_exclusive_group()
    resume.add_argument("--resume", action="store_true", help="continue the unfinished mock")
    resume.add_argument("--discard", action="store_true", help="discard the unfinished mock")
    add_data_options(mock)
    add_bank_options(mock)
    add_deck_options(mock)


# The settings a mock checks, as this command names them.
FLAGS = {
    "questions": "--questions",
    "seconds_per_question": "--time-per-question",
    "total_seconds": "--total-time",
    "categories": "--categories",
    "scenario": "--scenario",
    "preset": "--preset",
}


def chosen_settings(args: argparse.Namespace) -> dict:
    """The settings the flags give (only those given: the set-up fills in the rest)."""
    chosen = {
        "preset": args.preset,
        "questions": args.questions,
        "categories": [c for c in (args.categories or "").split(",") if c.strip()] or None,
        "seconds_per_question": args.time_per_question,
        "total_seconds": args.total_time,
        "seed": args.seed,
        "practice": args.practice,
        "scenario": args.scenario,
        "follow_ups": args.follow_ups,
        "speak_aloud": args.speak_aloud,
    }
    return {k: v for k, v in chosen.items() if v is not None}


def _config(args: argparse.Namespace, check: Callable[..., Any]):
    """The mock's configuration from the flags, checked by `check` (the core's mock_config):
    a one-line CliError naming the flag."""
    from trainer.study.settings import SettingsError

    try:
        return check(**chosen_settings(args))
    except SettingsError as exc:
        hint = " (see `sre-trainer scenario list`)" if exc.setting == "scenario" else ""
        raise CliError(f"mock: {FLAGS.get(exc.setting, exc.setting)} {exc.problem}{hint}") from None


def check_export(path: Path) -> None:
    """Refuse, before the mock starts, a report path that cannot be written."""
    if path.is_dir():
        raise CliError(f"mock: --export {path} is a folder: give a file name, e.g. report.md")
    folder = path.parent
    if not folder.is_dir():
        raise CliError(f"mock: --export {path}: the folder {folder} does not exist")
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK):
        raise CliError(f"mock: --export {path}: permission denied (cannot write there)")


def run(args: argparse.Namespace) -> int:
    if args.export is not None:
        check_export(args.export)
    bank = study_bank(args)
    if not args.plain:
        from trainer.study.settings import mock_config

        known = None
        if args.scenario:
            from trainer.scenarios.loader import load_scenarios

            known = load_scenarios(pack_dirs=args.bank)[0]
        # Bad flags are refused here, before the app opens.
        _config(
            args, partial(mock_config, known_categories=bank.categories(), known_scenarios=known)
        )
        return _app(args)
    return _plain(args, bank)


def _app(args: argparse.Namespace) -> int:
    from trainer.cli import tui

    if args.resume:
        store = open_store(args)
        try:
            if store.unfinished_mock() is None:
                raise CliError("mock: there is no unfinished mock to resume")
        finally:
            store.close()
    options = {
        "prefill": chosen_settings(args),
        "start_now": args.start,
        "resume": args.resume,
        "discard": args.discard,
        "export": str(args.export) if args.export else None,
    }
    return tui.run(args, start="mock", mock_options=options)


def _plain(args: argparse.Namespace, bank) -> int:
    from trainer.study.mock_plain import run_plain
    from trainer.study.service import StudyService

    if sys.stdin is None:
        # Checked before a mock is started or resumed: none is left running unanswered.
        raise CliError("mock: --plain reads the answers on stdin, which is closed")
    service = StudyService(bank, open_store(args), pack_dirs=args.bank)
    config = _config(args, service.mock_config)  # the service's scenarios, loaded once
    unfinished = service.unfinished_mock()
    if args.discard:
        if unfinished is None:
            print("There is no unfinished mock to discard.")
        else:
            service.discard_mock(unfinished)
            print(f"Discarded the unfinished mock of {_when(unfinished)}.")
        if not args.start:
            return 0
        unfinished = None
    if args.resume:
        if not unfinished:
            raise CliError("mock: there is no unfinished mock to resume")
        session = service.resume_mock(unfinished)
        print(f"Resuming the mock of {_when(unfinished)} ({unfinished['answered']} answered).")
    else:
        if unfinished and not _replace_asked(unfinished):
            raise CliError(
                f"mock: an unfinished mock of {_when(unfinished)} ({unfinished['answered']} "
                "answered) is waiting: --resume continues it, --discard drops it"
            )
        session = service.start_mock(config, replace=unfinished is not None)

    failed = False

    def export(markdown: str) -> None:
        nonlocal failed
        try:
            args.export.write_text(markdown, encoding="utf-8")
            print(f"Report written to {args.export}")
        except OSError as exc:
            failed = True
            print(f"sre-trainer: cannot write {args.export}: {exc.strerror}", file=sys.stderr)

    try:
        run_plain(service, session, write_report=export if args.export else None)
    except KeyboardInterrupt:
        service.checkpoint_mock(session)
        print(
            "\nMock paused: every answer so far is saved. `sre-trainer mock --plain --resume` "
            "continues it.",
            file=sys.stderr,
        )
        return 130
    return 1 if failed else 0


def _when(unfinished: dict) -> str:
    return f"{str(unfinished['started_at'])[:16].replace('T', ' ')} UTC"


def _replace_asked(unfinished: dict) -> bool:
    """At a terminal, ask whether to drop the unfinished mock for this one (scripts are
    told to choose with a flag instead)."""
    if not sys.stdin.isatty():
        return False
    print(
        f"An unfinished mock of {_when(unfinished)} ({unfinished['answered']} answered) is "
        "waiting. Type d to discard it and start this one, anything else to keep it "
        "(`--resume` continues it): ",
        end="",
        flush=True,
    )
    answer = sys.stdin.readline()
    if answer.strip().lower() != "d":
        raise CliError(
            "mock: kept the unfinished mock; `sre-trainer mock --plain --resume` continues it"
        )
    return True
