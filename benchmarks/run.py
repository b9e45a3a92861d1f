"""Benchmarks: each figure beside a baseline measured in the same run (machines are noisy).

    python benchmarks/run.py            # a table
    python benchmarks/run.py --json     # [{"name", "value", "unit", "baseline", "ratio", "goal"}]
    python benchmarks/run.py --only grading,start

Not a test: nothing here fails a build; the figures go in closing notes.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def row(name, value, unit, baseline, goal) -> dict:
    ratio = round(value / baseline, 2) if baseline else None
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "baseline": round(baseline, 3) if baseline is not None else None,
        "ratio": ratio,
        "goal": goal,
    }


def best_of(runs: int, action: Callable[[], object]) -> float:
    """Fastest of several runs, in milliseconds (the least disturbed by other load)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


# -- issue 2: loading, grading, process start ----------------------------------------------
def bench_bank_load(folder: Path) -> list[dict]:
    """A synthetic 10,000-card bank: our strict loader vs a bare CSafeLoader parse."""
    import yaml

    from trainer import paths
    from trainer.content.loader import load_files

    source = yaml.safe_load((paths.question_bank_dir() / "cards.yaml").read_text("utf-8"))
    extra = paths.question_bank_dir() / "cards_q16_q30.yaml"
    cards = source["cards"] + (
        yaml.safe_load(extra.read_text("utf-8"))["cards"] if extra.exists() else []
    )
    files = []
    for chunk in range(10):
        batch = []
        for n in range(1000):
            card = copy.deepcopy(cards[(chunk * 1000 + n) % len(cards)])
            card["id"] = f"s{chunk}{n:04d}"
            batch.append(card)
        path = folder / f"synthetic-{chunk}.yaml"
        path.write_text(
            yaml.dump({"cards": batch}, Dumper=yaml.CSafeDumper, allow_unicode=True),
            encoding="utf-8",
        )
        files.append(path)

    def bare():
        for path in files:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def ours():
        bank = load_files(files)
        assert len(bank.cards) == 10_000 and not bank.errors

    bare_ms, ours_ms = [], []
    for _ in range(3):  # interleaved, so both see the same machine
        bare_ms.append(best_of(1, bare))
        ours_ms.append(best_of(1, ours))
    return [row("load 10,000-card bank", min(ours_ms), "ms", min(bare_ms), "<= 1.5x")]


def bench_grading() -> list[dict]:
    """Per-answer grading time over every card (model answers plus the graded sets)."""
    import yaml
    from rapidfuzz import fuzz

    from trainer.content.loader import load_bank
    from trainer.grading.concepts import grade

    bank = load_bank(include_user_packs=False)
    items = [(card, card.answer) for card in bank.cards.values()]
    for name in ("graded_answers.yaml", "graded_answers_holdout.yaml"):
        data = yaml.safe_load((ROOT / "tests" / "data" / name).read_text("utf-8"))["answers"]
        items += [(bank.card(i["card"]), i["answer"]) for i in data]
    for card, answer in items:  # warm-up: rubrics compile once per card
        grade(card, answer)
    ours, base = [], []
    for _ in range(5):
        for card, answer in items:
            start = time.perf_counter_ns()
            grade(card, answer)
            middle = time.perf_counter_ns()
            fuzz.token_set_ratio(card.answer, answer)
            end = time.perf_counter_ns()
            ours.append((middle - start) / 1e6)
            base.append((end - middle) / 1e6)
    ours.sort()
    base.sort()
    p99 = ours[int(len(ours) * 0.99)]
    return [
        row(
            "grade: median per answer",
            statistics.median(ours),
            "ms",
            statistics.median(base),
            "baseline: one rapidfuzz token_set_ratio",
        ),
        row("grade: p99 per answer", p99, "ms", base[int(len(base) * 0.99)], "< 2 ms"),
    ]


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "sre-trainer"
    if script.exists():
        return [str(script)]
    found = shutil.which("sre-trainer")
    return [found] if found else [sys.executable, "-m", "trainer"]


def _wall_ms(command: list[str], stdin: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, input=stdin, text=True, env=env, capture_output=True, check=True)
    return (time.perf_counter() - start) * 1000


def bench_process_start(home: Path) -> list[dict]:
    """Process start of `--version` and `grade` vs importing yaml and rapidfuzz."""
    env = dict(os.environ, SRE_TRAINER_HOME=str(home))
    cli = _cli()
    commands = {
        "base": ([sys.executable, "-c", "import yaml, rapidfuzz"], ""),
        "version": ([*cli, "--version"], ""),
        "grade": ([*cli, "grade", "--card", "q05"], "retry with exponential backoff and jitter"),
    }
    _wall_ms(*commands["grade"], env)  # the first run writes the bank cache, as a user's would
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(15):
        for name, (command, stdin) in commands.items():
            times[name].append(_wall_ms(command, stdin, env))
    base = statistics.median(times["base"])
    return [
        row(
            "process start: sre-trainer --version",
            statistics.median(times["version"]),
            "ms",
            base,
            "<= 1.5x",
        ),
        row(
            "process start: sre-trainer grade",
            statistics.median(times["grade"]),
            "ms",
            base,
            "<= 1.5x",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--only", help="comma-separated: load,grading,start")
    args = parser.parse_args()
    wanted = set(args.only.split(",")) if args.only else None
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        os.environ["SRE_TRAINER_HOME"] = str(scratch / "home")
        suites = {
            "load": lambda: bench_bank_load(scratch),
            "grading": bench_grading,
            "start": lambda: bench_process_start(scratch / "home"),
        }
        for name, suite in suites.items():
            if wanted is None or name in wanted:
                rows += suite()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'benchmark':<44} {'value':>10} {'baseline':>10} {'ratio':>6}  goal")
    for r in rows:
        base = f"{r['baseline']:.2f}" if r["baseline"] is not None else "-"
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else "-"
        print(
            f"{r['name']:<44} {r['value']:>7.2f} {r['unit']:<2} {base:>10} {ratio:>6}  {r['goal']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
