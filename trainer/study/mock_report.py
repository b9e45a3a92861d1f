"""The mock interview report: built once when a mock finishes, stored as JSON in the `mocks`
table, and rendered by the TUI and as Markdown (`--export`, the report's export key).

Keys: mock_id, started_at, ended_at, overall, verdict, practice, speak_aloud, time_used and
time_allowed (seconds), questions (each with the answer, the model answer, every missed point
and those argued against, the red flags and the grader's notes, its outcome and label, and its
follow-ups), follow_ups (every follow-up asked: card, point, prompt, answer, score, ...),
follow_up_score (their mean, or None), categories, trend (the earlier scores, with dates),
study_next and config (the settings).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING

from trainer.safe_text import strip_controls
from trainer.store.db import iso

if TYPE_CHECKING:
    from trainer.study.mock import MockAnswer, MockSession

VERDICTS = (  # (minimum overall score, verdict)
    (80, "Strong: ready for the loop"),
    (65, "Solid: polish the gaps below"),
    (50, "Borderline: practise the missed points before the next mock"),
    (0, "Not yet: study the basics, then take another mock"),
)
TREND_LENGTH = 5
RECOVERED_SCORE = 70  # a follow-up this good covers the point it asked about
SCENARIO_PREFIX = "scenario:"


def clock_text(seconds: float) -> str:
    """m:ss, never negative."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def countdown_text(seconds: float) -> str:
    """m:ss of a countdown: a part-second left still shows (0:01 until the time is up)."""
    return clock_text(math.ceil(seconds))


def verdict_for(score: float) -> str:
    return next(text for floor, text in VERDICTS if score >= floor)


def outcome_label(answer: MockAnswer) -> str:
    """How a question ended, in words: a time-out that kept an answer is not an empty one."""
    if answer.outcome == "timeout":
        return "timed out (kept)" if answer.kept else "timed out (empty)"
    if answer.outcome == "not-reached":
        return "not reached"
    if answer.self_graded and answer.outcome == "answered":
        return "self-graded"
    return answer.outcome


def build_report(session: MockSession, history: list[dict], now: datetime) -> dict:
    """Everything the report shows, as plain data (stored as JSON, rendered by TUI and CLI)."""
    answers = session.answers
    config = session.config
    overall = round(sum(a.score for a in answers) / len(answers), 1) if answers else 0.0
    categories: dict[str, list[int]] = {}
    for a in answers:
        categories.setdefault(a.card.category, []).append(a.score)
    # What to study next: the heaviest points missed (and not made good in a follow-up), one
    # per card, weakest cards first.
    candidates = []
    for a in sorted(answers, key=lambda x: x.score):
        weights = {p.text: p.weight for p in a.card.rubric}
        recovered = set(_recovered(a))
        missed = [p for p in a.missed if p not in recovered]
        for point in sorted(missed, key=lambda p: -weights.get(p, 1)):
            candidates.append({"point": point, "card_id": a.card.id, "category": a.card.category})
            break
    study_next = [c for c in candidates if not c["card_id"].startswith(SCENARIO_PREFIX)][:3]
    questions = [_question(n, a) for n, a in enumerate(answers, start=1)]
    follow_ups = [f for q in questions for f in q["follow_ups"]]
    earlier = history[-TREND_LENGTH:]
    previous = [h["score"] for h in earlier]
    return {
        "mock_id": session.mock_id,
        "started_at": session.started_at,
        "ended_at": iso(now),
        "overall": overall,
        "verdict": verdict_for(overall),
        "practice": config.practice,
        "speak_aloud": config.speak_aloud,
        "self_graded": any(a.self_graded for a in answers),
        "time_used": round(session.time_used()),
        "time_allowed": session.time_allowed,
        "questions": questions,
        "follow_ups": follow_ups,
        "follow_up_score": (
            round(sum(f["score"] for f in follow_ups) / len(follow_ups), 1) if follow_ups else None
        ),
        "categories": {k: round(sum(v) / len(v), 1) for k, v in categories.items()},
        "trend": {
            "previous": previous,
            "dates": [(h.get("ended_at") or "")[:10] for h in earlier],
            "change": round(overall - previous[-1], 1) if previous else None,
        },
        "study_next": study_next,
        "config": {
            "preset": config.preset,
            "questions": config.questions,
            "categories": list(config.categories),
            "seconds_per_question": config.seconds_per_question,
            "total_seconds": session.time_allowed,
            "seed": config.seed,
            "practice": config.practice,
            "scenario": config.scenario,
            "follow_ups": config.follow_ups,
            "follow_up_seconds": config.follow_up_seconds,
            "speak_aloud": config.speak_aloud,
        },
    }


def _recovered(a: MockAnswer) -> list[str]:
    """Missed points a follow-up answer covered after all."""
    return [
        f.follow_up.point.text
        for f in a.follow_ups
        if f.score >= RECOVERED_SCORE and f.follow_up.point.text in a.missed
    ]


def _question(number: int, a: MockAnswer) -> dict:
    follow_ups = [
        {
            "question": number,
            "card": a.card.id,
            "point": f.follow_up.point.text,
            "prompt": f.follow_up.prompt,
            "kind": f.follow_up.kind,
            "answer": f.answer,
            "score": f.score,
            "seconds": round(f.seconds),
            "outcome": f.outcome,
            "self_graded": f.self_graded,
        }
        for f in a.follow_ups
    ]
    return {
        "card": a.card.id,
        "question": a.card.question.split("\n")[0][:200],
        "category": a.card.category,
        "score": a.score,
        "seconds": round(a.seconds),
        "outcome": a.outcome,
        "label": outcome_label(a),
        "self_graded": a.self_graded,
        "missed": a.missed,
        "recovered": _recovered(a),  # missed, then covered in a follow-up
        "argued_against": a.argued_against,  # among the missed
        "red_flags": a.red_flags,
        "notes": a.notes,
        "answer": a.answer,
        "model_answer": a.card.answer,
        "follow_ups": follow_ups,
    }


def report_when(report: dict) -> str:
    """The day and time the mock ended (or began), as YYYY-MM-DD HH:MM UTC; "" if unknown."""
    stamp = report.get("ended_at") or report.get("started_at") or ""
    return f"{stamp[:16].replace('T', ' ')} UTC" if stamp else ""


def settings_line(report: dict) -> str:
    """The settings the mock ran with, in one line."""
    from trainer.study.mock_presets import DEFAULT_PRESET, PRESETS

    config = report.get("config", {})
    preset = PRESETS.get(config.get("preset") or DEFAULT_PRESET)
    if config.get("categories"):
        parts = [f"Custom mix: {', '.join(config['categories'])}"]
    else:
        parts = [preset.title if preset else "Custom mix"]
    count = config.get("questions", len(report["questions"]))
    parts.append(f"{count} question{'' if count == 1 else 's'}")
    parts.append(f"{clock_text(config.get('seconds_per_question', 0))} each")
    if config.get("scenario"):
        parts.append(f"walk-through {config['scenario']}")
    if config.get("follow_ups", False):
        parts.append("follow-ups on")
    elif "follow_ups" in config:
        parts.append("follow-ups off")
    if report.get("speak_aloud"):
        parts.append("spoken, self-graded")
    if config.get("seed") is not None:
        parts.append(f"seed {config['seed']}")
    return " · ".join(parts)


def time_line(report: dict) -> str:
    used, allowed = report.get("time_used"), report.get("time_allowed")
    if used is None or allowed is None:
        return ""
    return f"{clock_text(used)} used of {clock_text(allowed)}"


def trend_text(report: dict) -> str:
    trend = report["trend"]
    if not trend["previous"]:
        return "Your first mock: the next report will show the trend."
    dates = trend.get("dates") or [""] * len(trend["previous"])
    earlier = ", ".join(
        f"{score:.0f} ({day})" if day else f"{score:.0f}"
        for score, day in zip(trend["previous"], dates, strict=False)
    )
    change = trend["change"]
    sign = "+" if change >= 0 else ""
    return f"Earlier mocks: {earlier}; this one is {sign}{change:.0f} on the last."


def report_markdown(report: dict) -> str:
    """The report as Markdown, for `--export` and the TUI's export key."""
    title = "# Mock interview report" + (" (practice)" if report.get("practice") else "")
    lines = [title, ""]
    when = report_when(report)
    if when:
        lines.append(f"- Date: {when}")
    if "config" in report:
        lines.append(f"- Settings: {settings_line(report)}")
    if time_line(report):
        lines.append(f"- Time: {time_line(report)}")
    if report.get("practice"):
        lines.append("- Practice mock: feedback was shown between questions.")
    if report.get("self_graded"):
        lines.append("- Spoken answers were self-graded: their scores are the points you ticked.")
    lines += [
        "",
        f"**Overall: {report['overall']:.0f}/100**: {report['verdict']}",
    ]
    if report.get("follow_up_score") is not None:
        lines.append(
            f"Follow-ups: {report['follow_up_score']:.0f}/100 over "
            f"{len(report['follow_ups'])} asked."
        )
    lines += [
        "",
        "| # | Question | Category | Score | Time | Outcome |",
        "|---|---|---|---|---|---|",
    ]
    for n, q in enumerate(report["questions"], start=1):
        question = _cell(q["question"])
        label = q.get("label", q["outcome"])
        lines.append(
            f"| {n} | {question} | {q['category']} | {q['score']} | {q['seconds']}s | {label} |"
        )
    lines += ["", "## By category", ""]
    lines += [f"- {name}: {score:.0f}" for name, score in report["categories"].items()]
    lines += ["", "## Trend", "", trend_text(report)]
    lines += ["", "## Study next", ""]
    lines += [
        f"{n}. {s['point']} ({s['card_id']}, {s['category']})"
        for n, s in enumerate(report["study_next"], start=1)
    ] or ["Nothing missed."]
    lines += ["", "## Questions", ""]
    for n, q in enumerate(report["questions"], start=1):
        lines += _question_markdown(n, q)
    lines += ["Verdict bands: 80+ strong, 65-79 solid, 50-64 borderline, below 50 not yet.", ""]
    return strip_controls("\n".join(lines))  # pack text, and reports stored by older versions


def _question_markdown(number: int, q: dict) -> list[str]:
    label = q.get("label", q["outcome"])
    lines = [
        f"### {number}. {q['question']}",
        "",
        f"{q['score']}/100 · {q['seconds']}s · {label}",
        "",
    ]
    if "answer" in q:
        if q.get("self_graded"):
            lines += ["**Your answer:** spoken aloud, self-graded.", ""]
        else:
            lines += [
                "**Your answer:**",
                "",
                _quote(q["answer"]) if q["answer"].strip() else "(none)",
                "",
            ]
    for note in q.get("notes", ()):
        lines += [f"*{note}*", ""]
    if q.get("red_flags"):
        lines += ["**Red flags:**", ""]
        lines += [f"- {claim}" for claim in q["red_flags"]]
        lines.append("")
    if q["missed"]:
        lines += ["**Missed:**", ""]
        recovered, argued = q.get("recovered", ()), q.get("argued_against", ())
        lines += [f"- {point}{missed_remark(point, recovered, argued)}" for point in q["missed"]]
        lines.append("")
    for f in q.get("follow_ups", []):
        graded = ", self-graded" if f.get("self_graded") else ""
        answer = f["answer"].strip()
        lines += [
            f"**Follow-up** ({f['score']}/100{graded}): {f['prompt']}",
            "",
            f"*On: {f['point']}*",
            "",
            _quote(answer) if answer else f"({_follow_up_label(f)})",
            "",
        ]
    if q.get("model_answer"):
        lines += ["**Model answer:**", "", _quote(q["model_answer"]), ""]
    return lines


def missed_remark(
    point: str, recovered: Collection[str] = (), argued_against: Collection[str] = ()
) -> str:
    """What more there is to say of a missed point: made good later, or argued against."""
    if point in recovered:
        return " (covered in the follow-up)"
    if point in argued_against:
        return " (you argued against it)"
    return ""


def _follow_up_label(f: dict) -> str:
    outcome = f.get("outcome", "")
    if f.get("self_graded"):
        return "answered aloud" if outcome != "timeout" else "answered aloud, timed out"
    return {"timeout": "timed out (empty)", "skipped": "skipped"}.get(outcome, "no answer")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())
