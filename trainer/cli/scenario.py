"""`sre-trainer scenario`: list the troubleshooting scenarios, show one's actions, or play
one non-interactively. A scenario is named by id (built-in, `--bank DIR`, the user packs
folder) or by the path of its YAML file. With `--json`, errors are JSON on stdout too."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trainer.cli.common import CliError, add_bank_options

NAME = "scenario"
MAX_SEED = 2**32 - 1


def add_parser(commands) -> None:
    scenario = commands.add_parser(
        NAME,
        help="troubleshooting scenarios (list, show, play)",
        description="Simulated incidents: list them, show one's actions, or play one "
        "non-interactively.",
    )
    scenario_commands = scenario.add_subparsers(dest="scenario_command", metavar="SUBCOMMAND")
    scenario_list = scenario_commands.add_parser(
        "list",
        help="list the scenarios",
        description="List the built-in scenarios and those in --bank folders and the packs folder.",
    )
    scenario_list.add_argument("--json", action="store_true", help="print a JSON list")
    add_bank_options(scenario_list)

    show = scenario_commands.add_parser(
        "show",
        help="list a scenario's actions (without the answers)",
        description="The actions a scenario offers: id, label, kind and what unlocks them.",
    )
    show.add_argument("id", help="scenario id or the path of a scenario file")
    show.add_argument("--seed", help="which variant (labels may name its service or table)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    add_bank_options(show)

    play = scenario_commands.add_parser(
        "play",
        help="play a scenario non-interactively and print the breakdown",
        description="Take the given actions in order, type the root cause and status updates, "
        "and print the score breakdown and the debrief.",
    )
    play.add_argument("id", help="scenario id (see `sre-trainer scenario list`) or a file path")
    play.add_argument("--actions", help="comma-separated action ids, in order")
    play.add_argument("--root-cause", metavar="TEXT", help="your diagnosis, in your own words")
    play.add_argument(
        "--update",
        metavar="TEXT",
        action="append",
        default=[],
        help="the text of a status update, for each communicate action in --actions, in order "
        "(repeatable)",
    )
    play.add_argument("--writeup-file", type=Path, help="file holding your incident summary")
    play.add_argument("--hints", default="0", help="hints taken (each costs 5 points)")
    play.add_argument(
        "--choices",
        action="store_true",
        help="take the multiple-choice hint (the candidate causes; costs 10 points)",
    )
    play.add_argument("--seed", help="which variant to play (a whole number)")
    play.add_argument(
        "--model-path",
        action="store_true",
        help="play the scenario's own model path, diagnosis, updates and write-up",
    )
    play.add_argument("--json", action="store_true", help="print one JSON object")
    add_bank_options(play)


def run(args: argparse.Namespace) -> int:
    wants_json = bool(getattr(args, "json", False))
    try:
        return _run(args)
    except CliError as exc:
        if not wants_json:
            raise
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return exc.status


def _run(args: argparse.Namespace) -> int:
    command = args.scenario_command
    if command not in ("list", "show", "play"):
        raise CliError(
            "scenario: expected `list`, `show` or `play` (see `sre-trainer scenario --help`)"
        )
    if command == "list":
        scenarios = _load_all(args)
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
    seed = _seed(args.seed)
    scenario = _find(args)
    if seed is not None:
        from trainer.scenarios.engine import resolve

        scenario = resolve(scenario, seed)
    if command == "show":
        return _show(scenario, args)
    return _play(scenario, seed, args)


def _load_all(args: argparse.Namespace) -> dict:
    from trainer.scenarios.loader import load_scenarios

    scenarios, errors = load_scenarios(pack_dirs=getattr(args, "bank", []))
    for error in errors:
        print(f"warning: {error} (skipped)", file=sys.stderr)
    return scenarios


def _find(args: argparse.Namespace):
    """The scenario an id or a path names."""
    name = args.id
    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        from trainer.scenarios.loader import load_scenario

        path = Path(name)
        if not path.is_file():
            raise CliError(f"scenario: no scenario file {name}")
        scenario, errors = load_scenario(path)
        if scenario is None:
            detail = "; ".join(str(e) for e in errors[:3])
            more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
            raise CliError(
                f"scenario: {name} cannot be played: {detail}{more} "
                f"(`sre-trainer validate {name}` lists every problem)",
                status=1,
            )
        return scenario
    scenarios = _load_all(args)
    if name not in scenarios:
        raise CliError(f"scenario: unknown scenario {name!r} (see `sre-trainer scenario list`)")
    return scenarios[name]


def _seed(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        seed = int(text)
    except ValueError:
        raise CliError(f"scenario: --seed expects a whole number; got {text!r}") from None
    if not 0 <= seed <= MAX_SEED:
        raise CliError(f"scenario: --seed expects a number from 0 to {MAX_SEED}; got {text[:24]}")
    return seed


def _show(scenario, args: argparse.Namespace) -> int:
    actions = [
        {"id": a.id, "label": a.label, "kind": a.kind, "requires": list(a.requires)}
        for a in scenario.actions
    ]
    if args.json:
        data = {"id": scenario.id, "title": scenario.title, "actions": actions}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"{scenario.title} ({scenario.id})")
    for action in actions:
        locked = f"  (after {', '.join(action['requires'])})" if action["requires"] else ""
        print(f"  {action['id']:<28} {action['kind']:<11} {action['label']}{locked}")
    return 0


def _play(scenario, seed: int | None, args: argparse.Namespace) -> int:
    from trainer.registry import ACTION_KINDS
    from trainer.scenarios.engine import ActionError
    from trainer.scenarios.report import format_debrief
    from trainer.study.service import StudyService

    hints = _hints(scenario, args.hints)  # checked first: a bad number is an error either way
    if args.model_path:
        given = [
            flag
            for flag, value in (
                ("--actions", args.actions),
                ("--root-cause", args.root_cause),
                ("--update", args.update),
                ("--writeup-file", args.writeup_file),
                ("--choices", args.choices),
                ("--hints", hints),
            )
            if value
        ]
        if given:
            raise CliError(
                f"scenario play: --model-path plays the model's own steps and texts; "
                f"drop {', '.join(given)}"
            )
        debrief = StudyService.play_model(scenario)
    else:
        actions = _actions(scenario, args.actions)
        writeup = ""
        if args.writeup_file is not None:
            writeup = _read_writeup(args.writeup_file)
        posts = sum(1 for a in actions if ACTION_KINDS[scenario.action(a).kind].tells)
        if len(args.update) > posts:
            raise CliError(
                f"scenario play: {len(args.update)} --update text(s) but {posts} status "
                "update action(s) in --actions"
            )
        try:
            debrief = StudyService.play_scenario(
                scenario,
                actions,
                args.root_cause,
                writeup,
                hints=hints,
                updates=args.update,
                choices=args.choices,
            )
        except ActionError as exc:
            raise CliError(f"scenario play: {exc}") from None
    debrief.seed = seed
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


def _actions(scenario, text: str | None) -> list[str]:
    actions = [a.strip() for a in (text or "").split(",") if a.strip()]
    if not actions:
        raise CliError(
            "scenario play: --actions is empty: give action ids in order "
            f"(`sre-trainer scenario show {scenario.id}`), or --model-path"
        )
    valid = [a.id for a in scenario.actions]
    unknown = [a for a in actions if a not in valid]
    if unknown:
        raise CliError(
            f"scenario play: unknown action {unknown[0]!r}; valid ids: {', '.join(valid)}"
        )
    return actions


def _hints(scenario, text: str) -> int:
    most = len(scenario.hints)
    try:
        hints = int(text)
    except ValueError:
        raise CliError(f"scenario play: --hints expects a whole number; got {text!r}") from None
    if not 0 <= hints <= most:
        raise CliError(
            f"scenario play: --hints expects 0 to {most} (the scenario has {most} hints); "
            f"got {text[:24]}"
        )
    return hints
