"""Follow-up questions in a mock interview: what an interviewer who listened asks next.

After an answer, up to two follow-ups probe the weightiest points: a point the answer missed
(or argued against) is asked with its card's `follow_up` prompt, and a point named only as a
bare term ("roll back", nothing about why) is asked back in the candidate's own words. The
first goes to the weightiest; the second, on a point of weight 2 or more, to the other kind if
there is one. A point without a prompt (a user pack may leave them out) is never probed as
missed. A follow-up is graded on its one point only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trainer.content.models import Bank, Card, LoadError, RubricPoint
from trainer.grading.concepts import GradeResult, grade

MAX_FOLLOW_UPS = 2
QUOTE_CHARS = 60
# A second follow-up only on a point that matters: weight 2 or 3 of the rubric's 1-3.
SECOND_MIN_WEIGHT = 2
WHY_PROMPT = "why that, and how would you know it is the right call here?"


@dataclass(frozen=True)
class FollowUp:
    """One follow-up: the rubric point it probes, what the interviewer asks, and why it is
    asked: `missed` (the answer left the point out) or `why` (named it without the how)."""

    point: RubricPoint
    prompt: str
    kind: str  # missed | why

    def to_json(self) -> dict:
        return {"point": self.point.text, "prompt": self.prompt, "kind": self.kind}


def plan_follow_ups(
    card: Card,
    answer: str,
    result: GradeResult | None,
    covered: Iterable[str] | None = None,
    probes: tuple[RubricPoint, ...] = (),
    aliases=None,
) -> list[FollowUp]:
    """The follow-ups to ask after `answer` (graded as `result`), weightiest first; for a
    self-graded answer, `covered` names the points ticked instead (no result). `probes` are
    more points an interviewer may ask about though the card does not grade them (a
    walk-through's root cause); the answer is checked against them here."""
    by_text = {p.text: p for p in (*card.rubric, *probes)}
    candidates: list[tuple[int, int, int, FollowUp]] = []  # (-weight, kind order, index, ...)
    if result is not None:
        points = list(result.points)
        extra = tuple(p for p in probes if p.text not in {g.text for g in points})
        if extra and answer.strip():
            probe = card._replace(rubric=extra, red_flags=())
            points += grade(probe, answer, aliases, every_card_flags=()).points  # points only
        for index, graded in enumerate(points):
            point = by_text.get(graded.text)
            if point is None:
                continue
            if graded.status in ("missed", "argued-against") and point.follow_up:
                candidates.append(
                    (-point.weight, 0, index, FollowUp(point, point.follow_up, "missed"))
                )
            elif graded.status == "partial" and graded.span is not None:
                said = _said(answer, graded.span, graded.phrase)
                ask = point.follow_up or WHY_PROMPT
                prompt = f'You said "{said}": {ask[0].lower() + ask[1:]}'
                candidates.append((-point.weight, 1, index, FollowUp(point, prompt, "why")))
    else:
        ticked = set(covered or ())
        for index, point in enumerate((*card.rubric, *probes)):
            if point.text not in ticked and point.follow_up:
                candidates.append(
                    (-point.weight, 0, index, FollowUp(point, point.follow_up, "missed"))
                )
    ranked = [c[3] for c in sorted(candidates, key=lambda c: c[:3])]
    if not ranked:
        return []
    # The second follow-up is of the other kind when there is one (a gap and a bare claim
    # are both worth a question), and only on a point that matters.
    first, rest = ranked[0], ranked[1:]
    rest.sort(key=lambda f: f.kind == first.kind)  # stable: the other kind first, by weight
    second = [f for f in rest[: MAX_FOLLOW_UPS - 1] if f.point.weight >= SECOND_MIN_WEIGHT]
    return [first, *second]


def follow_up_points(scenario, seed: int | None) -> tuple[RubricPoint, ...]:
    """What an interviewer probes after a scenario walk-through: the root-cause points that
    have a follow-up prompt, in the variant the seed plays."""
    from trainer.scenarios.engine import resolve

    resolved = resolve(scenario, seed)
    return tuple(p for p in resolved.root_cause.card_rubric if p.follow_up)


def grade_follow_up(
    card: Card, follow_up: FollowUp, answer: str, aliases=None, every_card_flags=None
) -> int:
    """The follow-up's score: the answer graded against its one point (not the card's own red
    flags: the main answer carries those; the every-card ones, `Bank.red_flags`, still
    apply)."""
    probe = card._replace(rubric=(follow_up.point,), red_flags=())
    return grade(probe, answer, aliases, every_card_flags=every_card_flags, depth=False).score


def _said(answer: str, span: tuple[int, int], phrase: str | None) -> str:
    """The candidate's words for a point: the phrase as they wrote it when it is there
    verbatim ("Redis", not the whole "Redis, CDN, TTL" list around it), else the span."""
    text = answer[span[0] : span[1]]
    if phrase:
        at = text.lower().find(phrase.lower())
        if at >= 0:
            return _quote(text[at : at + len(phrase)])
    return _quote(text)


def _quote(text: str) -> str:
    """The candidate's words, on one line and short enough to quote back."""
    text = " ".join(text.split()).strip(" .,;:")
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 3].rstrip() + "..."


def missing_follow_ups(bank: Bank, builtin_folder: Path) -> list[LoadError]:
    """Every rubric point of a built-in card needs a follow-up prompt (a user pack may leave
    them out: its points are then never asked about)."""
    errors = []
    folder = str(builtin_folder.resolve())
    for card in bank.cards.values():
        path, _, line = card.source.rpartition(":")
        if not path or not str(Path(path).resolve()).startswith(folder):
            continue
        for index, point in enumerate(card.rubric):
            if not (point.follow_up or "").strip():
                errors.append(
                    LoadError(
                        path,
                        int(line) if line.isdigit() else 0,
                        1,
                        f"card {card.id}: rubric[{index}].follow_up",
                        f"missing: every point of a built-in card needs a follow-up prompt "
                        f"(what the interviewer asks when {point.text!r} is missed)",
                    )
                )
    return errors
