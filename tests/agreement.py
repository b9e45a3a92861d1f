"""How well the grader agrees with human grades: Spearman's rho, per-card rank agreement,
band agreement (the rating and mock-verdict cuts) and the average score of each kind of answer.

Test-only (not shipped). `python tests/agreement.py` prints the report for every set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from trainer.study.mock_report import VERDICTS
from trainer.study.scheduler import SCORE_TO_RATING


def ranks(values: list[float]) -> list[float]:
    """Average ranks (1-based), ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    """Spearman's rank correlation (Pearson on average ranks), 0.0 when either side is flat."""
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / (va * vb) ** 0.5 if va and vb else 0.0


# The app's own cuts: Again | Hard | Good | Easy, and a mock's Not yet | ... | Strong.
RATING_CUTS = tuple(sorted(cut for cut, _ in SCORE_TO_RATING if cut > 0))
VERDICT_CUTS = tuple(sorted(cut for cut, _ in VERDICTS if cut > 0))


def band(score: float, cuts: tuple[int, ...]) -> int:
    """Which band a 0-100 score falls in (0 = below the first cut)."""
    return sum(score >= cut for cut in cuts)


@dataclass
class Agreement:
    rho: float
    count: int
    cards: int
    pairs: int  # pairs of answers to one card whose human grades differ by 2 or more
    concordant: int  # ... that the grader orders the same way
    tied: list[tuple[str, int, int, int, int]]  # ... given equal scores
    reversed: list[tuple[str, int, int, int, int]]  # ... ordered the other way round
    rating_bands: float = 0.0  # share of answers whose score and grade x 10 share a rating band
    verdict_bands: float = 0.0  # ... a mock-verdict band
    kinds: dict[str, tuple[int, float]] | None = None  # kind -> (answers, mean score)

    @property
    def pair_agreement(self) -> float:
        return self.concordant / self.pairs if self.pairs else 1.0


def load_graded(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


def measure(bank, items: list[dict], grade) -> Agreement:
    grades, scores = [], []
    by_card: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for item in items:
        score = grade(bank.card(item["card"]), item["answer"]).score
        grades.append(item["grade"])
        scores.append(score)
        by_card[item["card"]].append((item["grade"], score))
        by_kind[item.get("kind", "")].append(score)
    pairs = concordant = 0
    tied, reversed_ = [], []
    for card, rows in by_card.items():
        for i, (ga, sa) in enumerate(rows):
            for gb, sb in rows[i + 1 :]:
                if abs(ga - gb) < 2:
                    continue
                pairs += 1
                if (ga - gb) * (sa - sb) > 0:
                    concordant += 1
                else:
                    (tied if sa == sb else reversed_).append((card, ga, sa, gb, sb))

    def share(cuts: tuple[int, ...]) -> float:
        same = sum(band(s, cuts) == band(g * 10, cuts) for g, s in zip(grades, scores, strict=True))
        return same / len(items) if items else 1.0

    return Agreement(
        spearman(grades, scores),
        len(items),
        len(by_card),
        pairs,
        concordant,
        tied,
        reversed_,
        share(RATING_CUTS),
        share(VERDICT_CUTS),
        {k: (len(v), sum(v) / len(v)) for k, v in sorted(by_kind.items())},
    )


def report(path: Path, bank, grade) -> str:
    a = measure(bank, load_graded(path), grade)
    lines = [
        f"{path.name}: {a.count} answers / {a.cards} cards; Spearman {a.rho:.3f}; "
        f"within-card pairs {a.concordant}/{a.pairs} ({a.pair_agreement:.1%}), "
        f"{len(a.reversed)} reversed; rating bands {a.rating_bands:.1%}; "
        f"verdict bands {a.verdict_bands:.1%}"
    ]
    for kind, (count, mean) in (a.kinds or {}).items():
        lines.append(f"    {kind:<20} {count:>4}  mean {mean:5.1f}")
    return "\n".join(lines)


def credited_lines(
    path: Path, bank, grade, section: str, key: str
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """One-line wordings of single points (`section` "paraphrases" or "negated", the lines
    under `key`), split into those that earn their point and those that do not, each as
    (card, point, wording)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    credited, not_credited = [], []
    for entry in data[section]:
        card = bank.card(entry["card"])
        for wording in entry[key]:
            result = grade(card, wording)
            point = next((p for p in result.points if p.text == entry["point"]), None)
            assert point is not None, f"{entry['card']}: no point {entry['point']!r}"
            (credited if point.matched else not_credited).append(
                (entry["card"], entry["point"], wording)
            )
    return credited, not_credited


def paraphrase_credit(path: Path, bank, grade, part: str) -> tuple[int, int, list]:
    """How many one-line wordings of a point (part "dev" or "holdout") earn that point, and
    the misses as (card, point, wording)."""
    credited, misses = credited_lines(path, bank, grade, "paraphrases", part)
    return len(credited), len(credited) + len(misses), misses


def negated_credit(path: Path, bank, grade) -> tuple[int, int, list]:
    """How many negated one-liners wrongly earn the point they argue against."""
    wrong, right = credited_lines(path, bank, grade, "negated", "answers")
    return len(wrong), len(wrong) + len(right), wrong


if __name__ == "__main__":
    import sys

    from trainer.content.loader import load_bank
    from trainer.grading.concepts import grade as grade_answer

    data = Path(__file__).resolve().parent / "data"
    # Development sets by default; --all adds the others, except the newest measurement set,
    # measured only when named (a set that steers a change no longer measures it). The
    # sealed, fresh to fresh12 and fresh14 to fresh21 sets were measured once each and are
    # development sets since; fresh13 was written as development data (measured once unseen,
    # then audited).
    development = ["graded_answers.yaml", "graded_answers_claims.yaml"]
    named = [a for a in sys.argv[1:] if not a.startswith("-")]
    measured_only = ("fresh22",)
    names = named or (
        sorted(
            p.name
            for p in data.glob("graded_answers*.yaml")
            if not any(word in p.name for word in measured_only)
        )
        if "--all" in sys.argv
        else development
    )
    loaded = load_bank(include_user_packs=False)
    for name in names:
        print(report(data / name, loaded, grade_answer))
    wordings = data / "point_paraphrases.yaml"
    for part in ("dev", "holdout") if "--holdout" in sys.argv else ("dev",):
        hits, total, _ = paraphrase_credit(wordings, loaded, grade_answer, part)
        print(f"one-line wordings ({part}): {hits}/{total} credited ({hits / total:.1%})")
    wrong, total, _ = negated_credit(wordings, loaded, grade_answer)
    print(f"negated one-liners credited: {wrong}/{total}")
