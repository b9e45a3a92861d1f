"""`sre-trainer import`: a Markdown prep guide (category headings, Q:/A: pairs) as a YAML pack."""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from trainer.cli.common import CliError, add_bank_options

NAME = "import"


def add_parser(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="turn a Markdown prep guide into a YAML pack",
        description="Read a prep guide in Markdown (category headings, then numbered Q:/A: "
        "pairs) and write a YAML pack: a card per question, the categories from the "
        "headings, and a draft rubric derived from each answer for you to review. Sections "
        "that are not questions are listed, not imported. An existing file is never replaced "
        "without --force.",
    )
    parser.add_argument("guide", type=Path, metavar="GUIDE.md")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PACK_DIR",
        help="folder to write the pack into, or a .yaml file (default: your packs folder, "
        "so the cards show up in the app)",
    )
    parser.add_argument("--name", help="the pack's name (default: the guide's title)")
    parser.add_argument(
        "--prefix", help="start of every card id (default: from the guide's file name)"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing pack file")
    add_bank_options(parser)


def run(args: argparse.Namespace) -> int:
    from trainer import paths
    from trainer.content.guide_import import build_pack, pack_yaml, parse_guide, slug
    from trainer.content.specs import ID

    target = _target(args.output, paths.user_packs_dir(), slug(args.guide.stem, "guide"))
    if target.exists() and not args.force:
        raise CliError(f"import: {target} already exists; --force replaces it")
    text = _read_guide(args.guide)
    guide = parse_guide(text)
    for skipped in guide.skipped:
        print(f"skipped {args.guide}: {skipped}", file=sys.stderr)
    if not guide.cards:
        raise CliError(
            f"import: no question and answer pairs found in {args.guide} (expected lines "
            "like `1. Q: ...` followed by `A: ...`)",
            status=1,
        )
    prefix = args.prefix or slug(args.guide.stem, "guide")
    if not re.match(ID, prefix):
        raise CliError("import: --prefix: expected lowercase letters, digits, '-', '.' or '_'")
    name = (args.name or guide.title or args.guide.stem).strip()
    pack = build_pack(guide, name, prefix)
    _check_ids(args, pack, target)
    schema = paths.schemas_dir() / "pack.schema.json"
    text = pack_yaml(pack, args.guide.name, str(schema) if schema.is_file() else None)
    _write(target, text, replace=args.force)
    problems = _validate(target)
    print(
        f"wrote {len(pack.cards)} card(s) in {len(pack.categories)} "
        f"categor{'y' if len(pack.categories) == 1 else 'ies'} to {target} "
        f"(pack {name!r}; review the draft rubrics)"
        + (f"; {len(guide.skipped)} section(s) skipped, listed above" if guide.skipped else "")
    )
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _read_guide(path: Path) -> str:
    from trainer.content.guide_import import MAX_GUIDE_CHARS

    try:
        with path.open(encoding="utf-8") as handle:
            text = handle.read(MAX_GUIDE_CHARS + 1)
    except UnicodeDecodeError:
        raise CliError(f"import: {path} is not UTF-8 text") from None
    except OSError as exc:
        raise CliError(f"import: cannot read {path}: {exc.strerror or exc}") from None
    if len(text) > MAX_GUIDE_CHARS:
        raise CliError(f"import: {path} is over {MAX_GUIDE_CHARS:,} characters")
    return text


def _target(output: Path | None, packs: Path, stem: str) -> Path:
    """The pack file: `output` itself when it names a .yaml file, else a file in it."""
    if output is not None and output.suffix in (".yaml", ".yml"):
        return output
    return (output or packs) / f"{stem}.yaml"


def _check_ids(args: argparse.Namespace, pack, target: Path) -> None:
    """Refuse ids the bank already uses (elsewhere than the file being replaced): a pack
    whose ids are taken would not load."""
    from trainer import paths
    from trainer.content.loader import load_bank

    folders = [*args.bank]
    if target.parent.resolve() != paths.user_packs_dir().resolve():
        folders.append(target.parent)
    bank = load_bank(pack_dirs=folders)
    taken = [
        card["id"]
        for card in pack.cards
        if card["id"] in bank.cards
        and Path(bank.cards[card["id"]].source.rsplit(":", 1)[0]).resolve() != target.resolve()
    ]
    if taken:
        raise CliError(
            f"import: card id {taken[0]!r} is already used by "
            f"{bank.cards[taken[0]].source}; choose another --prefix"
        )


def _write(target: Path, text: str, replace: bool) -> None:
    """Write through a temporary file moved into place: never half a pack, and (without
    `replace`) never over a file that appeared meanwhile."""
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=".import-", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(text)
        if replace:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if anything is there
    except FileExistsError:
        raise CliError(f"import: {target} already exists; --force replaces it") from None
    except OSError as exc:
        raise CliError(f"import: cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if temporary is not None and os.path.lexists(temporary):
            os.unlink(temporary)


def _validate(target: Path) -> list:
    from trainer.content.loader import load_file
    from trainer.content.models import Bank

    return load_file(target, Bank())
