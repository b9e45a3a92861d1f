"""How well the grader agrees with human grades: Spearman's rho and per-card rank agreement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml


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


@dataclass
class Agreement:
    rho: float
    count: int
    cards: int
    pairs: int  # pairs of answers to one card whose human grades differ by 2 or more
    concordant: int  # ... that the grader orders the same way
    tied: list[tuple[str, int, int, int, int]]  # ... given equal scores
    reversed: list[tuple[str, int, int, int, int]]  # ... ordered the other way round

    @property
    def pair_agreement(self) -> float:
        return self.concordant / self.pairs if self.pairs else 1.0


def load_graded(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


def measure(bank, items: list[dict], grade) -> Agreement:
    grades, scores = [], []
    by_card: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item in items:
        score = grade(bank.card(item["card"]), item["answer"]).score
        grades.append(item["grade"])
        scores.append(score)
        by_card[item["card"]].append((item["grade"], score))
    pairs = concordant = 0
    tied: list[tuple[str, int, int, int, int]] = []
    reversed_: list[tuple[str, int, int, int, int]] = []
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
    return Agreement(
        spearman(grades, scores), len(items), len(by_card), pairs, concordant, tied, reversed_
    )
