"""`sre-trainer validate`: check the bank, packs and scenarios; every error listed."""

from __future__ import annotations

import argparse
from pathlib import Path

from trainer.cli.common import add_bank_options

NAME = "validate"


def add_parser(commands) -> None:
    validate = commands.add_parser(
        NAME,
        help="check the question bank and packs",
        description="Check the built-in bank and user packs (or only the given files or "
        "folders). Exit 0 when valid, 1 with every error listed.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    add_bank_options(validate)


def run(args: argparse.Namespace) -> int:
    from trainer.content.loader import load_bank, load_files, yaml_files
    from trainer.content.models import Bank
    from trainer.scenarios.loader import load_scenario, load_scenarios
    from trainer.scenarios.validate import check

    if args.paths:
        files: list[Path] = []
        for path in args.paths:
            files += yaml_files(path) if path.is_dir() else [path]
        bank = load_files([f for f in files if not is_scenario_file(f)], Bank())
        errors, scenarios = list(bank.errors), []
        for file in filter(is_scenario_file, files):
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


def is_scenario_file(path: Path) -> bool:
    """A file with a top-level `scenario:` key (others are question-bank files)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return any(line.startswith("scenario:") for line in handle)
    except (OSError, UnicodeDecodeError):
        return False
