"""`sre-trainer validate`: check the bank, packs and scenarios; every error listed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.cli.common import add_bank_options

NAME = "validate"


def add_parser(commands) -> None:
    validate = commands.add_parser(
        NAME,
        help="check the question bank, packs and scenarios",
        description="Check the built-in bank, scenarios and user packs (or only the given files "
        "or folders). Exit 0 when valid, 1 with every error listed.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    add_bank_options(validate)


def run(args: argparse.Namespace) -> int:
    from trainer import paths
    from trainer.content.loader import is_scenario_file, load_bank, load_files, yaml_files
    from trainer.content.models import Bank
    from trainer.scenarios.loader import (
        COMMUNICATION_FILE,
        read_communication,
        read_scenario,
        scenario_files,
        taken_id,
    )
    from trainer.scenarios.validate import check

    if args.paths:
        files: list[Path] = []
        for path in args.paths:
            files += yaml_files(path) if path.is_dir() else [path]
        bank = load_files(
            [f for f in files if not is_scenario_file(f) and f.name != COMMUNICATION_FILE],
            Bank(),
        )
        errors = list(bank.errors)
        scenario_paths = [f for f in files if is_scenario_file(f)]
        for file in (f for f in files if f.name == COMMUNICATION_FILE):
            errors += read_communication(file)[1]
    else:
        from trainer.study.mock_follow_ups import missing_follow_ups

        bank = load_bank(pack_dirs=args.bank)
        # The mock's follow-ups: every point of a built-in card has a prompt.
        errors = list(bank.errors) + missing_follow_ups(bank, paths.question_bank_dir())
        folders = [paths.scenarios_dir(), *args.bank, paths.user_packs_dir()]
        # The files the app loads, in its order, so a duplicate id is reported as it skips it.
        scenario_paths = [f for d in folders if Path(d).is_dir() for f in scenario_files(Path(d))]
        errors += read_communication(paths.scenarios_dir() / COMMUNICATION_FILE)[1]
    warnings: list = []
    seen: dict = {}
    for file in scenario_paths:
        scenario, problems = read_scenario(file)
        errors += problems
        if scenario is None:
            continue
        taken = taken_id(scenario, file, seen)
        if taken is not None:
            errors.append(taken)
            continue
        seen[scenario.id] = scenario
        errors += check(scenario, warnings, read_whole=not problems)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in errors:
        print(error)
    summary = (
        f"{len(bank.cards)} cards, {len(bank.queries)} queries, {len(bank.numbers)} numbers, "
        f"{len(bank.notes)} notes, {len(seen)} scenarios"
        + (f", {len(warnings)} warning(s)" if warnings else "")
    )
    if errors:
        print(f"invalid: {len(errors)} error(s); {summary}")
        return 1
    print(f"valid: {summary}")
    return 0
