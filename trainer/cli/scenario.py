"""`sre-trainer scenario`: list the troubleshooting scenarios, or play one non-interactively."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trainer.cli.common import CliError, bounded_int

NAME = "scenario"
MAX_HINTS = 20  # 5 points each: 20 take all 100


def add_parser(commands) -> None:
    scenario = commands.add_parser(
        NAME,
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
    play.add_argument(
        "--hints",
        type=bounded_int(0, MAX_HINTS),
        default=0,
        help=f"hints taken, 0-{MAX_HINTS} (each costs 5 points)",
    )
    play.add_argument(
        "--model-path",
        action="store_true",
        help="play the scenario's own model path, cause and write-up",
    )
    play.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
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
    return _play(scenarios[args.id], args)


def _play(scenario, args: argparse.Namespace) -> int:
    from trainer.scenarios.engine import ActionError
    from trainer.scenarios.report import format_debrief
    from trainer.study.service import StudyService

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
            writeup = _read_writeup(args.writeup_file)
    try:
        debrief = StudyService.play_scenario(scenario, actions, cause, writeup, hints=args.hints)
    except ActionError as exc:
        raise CliError(f"scenario: {exc}") from None
    if args.json:
        print(json.dumps(debrief.to_json(), ensure_ascii=False))
    else:
        print(format_debrief(scenario, debrief))
    return 0


def _read_writeup(path: Path) -> str:
    """The write-up, or a one-line CliError (unreadable, or over the answer limit: only the
    limit + 1 characters are read)."""
    from trainer.grading.concepts import MAX_ANSWER_CHARS

    try:
        with path.open(encoding="utf-8") as handle:
            writeup = handle.read(MAX_ANSWER_CHARS + 1)
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"scenario: cannot read {path}: {exc}") from None
    if len(writeup) > MAX_ANSWER_CHARS:
        raise CliError(
            f"scenario: the write-up in {path} is over {MAX_ANSWER_CHARS:,} characters; "
            f"the limit is {MAX_ANSWER_CHARS:,}"
        )
    return writeup
