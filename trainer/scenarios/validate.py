"""Checks a scenario beyond its shape, in three stages, reporting every problem of each:

1. references: ids that `requires`, `unless`, `by`, `needs_action`, `after`, ... name exist,
   templates are known and used where they may be, every action can be unlocked;
2. play (only when the references hold, for every variant): the model path is valid, not
   harmful, mitigates, answers its injects and scores >= 90; the title typed as the root
   cause earns at most 5 of the 25 root-cause points;
3. content: nothing shown before the evidence reveals the cause names it (labels, commands,
   evidence, page), multiple-choice options have comparable lengths, no literal clock time
   after the page and no literal signal value that the state would contradict. For a file
   marked `unconverted: true` these are warnings (phase B of issue 11 converts them).
"""

from __future__ import annotations

import re
import statistics

from trainer.content.models import LoadError
from trainer.scenarios.engine import ActionError, Simulation, play, resolve_variant
from trainer.scenarios.models import Scenario
from trainer.scenarios.templates import Known, literal, parse_clock, problems

MODEL_PATH_MIN = 90
TITLE_MAX_POINTS = 5  # of the 25 root-cause points
CHOICE_LENGTH = (0.6, 1.6)  # each option's length against the median option's
LITERAL_TIME = re.compile(r"(?<![\d:])([01]\d|2[0-3]):([0-5]\d)(?!\d)")
NUMBER = re.compile(r"(?<![\w.\-/:#])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\w|\.\d)")
DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
DATE_BEFORE = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]$")
SMALL_INTEGER = 20  # page values below this, if whole, are too common to flag as stale
# Mechanism phrases may appear nowhere before the reveal; evidence phrases (often the tools
# that show it: "contributor insights") may name an action, but no output before the reveal.
LEAKING_ROLES = ("mechanism",)


class _Report:
    def __init__(self, scenario: Scenario, warnings: list[LoadError] | None):
        self.path = scenario.source
        self.errors: list[LoadError] = []
        self.warnings = warnings
        self.content_as_warnings = scenario.unconverted

    def error(self, line: int, field: str, message: str) -> None:
        self.errors.append(LoadError(self.path, line, 1, field, message))

    def content(self, line: int, field: str, message: str) -> None:
        problem = LoadError(self.path, line, 1, field, message)
        if not self.content_as_warnings:
            self.errors.append(problem)
        elif self.warnings is not None:
            self.warnings.append(problem)


def check(
    scenario: Scenario, warnings: list[LoadError] | None = None, read_whole: bool = True
) -> list[LoadError]:
    """Every problem of a scenario; content problems of an `unconverted` scenario go to
    `warnings` instead. A scenario read with errors (`read_whole` False) gets the reference
    checks only: it cannot be played."""
    template = scenario.template or scenario
    report = _Report(template, warnings)
    _references(template, report)
    _templates(template, report)
    reachable = _reachable(template, report)
    if report.errors or not reachable or not read_whole:
        return report.errors  # the model path cannot be played over broken references
    for index in range(max(1, len(template.variants))):
        resolved = resolve_variant(template, index)
        where = f" (variant {index + 1})" if template.variants else ""
        before = len(report.errors)
        _play(resolved, report, where)
        _content(template, resolved, report, where)
        if len(report.errors) > before and template.variants:
            break  # one variant's problems are usually every variant's
    return report.errors


# -- 1. references ---------------------------------------------------------------------------
def _references(scenario: Scenario, report: _Report) -> None:
    actions = {a.id for a in scenario.actions}
    key_steps = {k.id for k in scenario.key_steps}
    injects = {i.id for i in scenario.injects}
    signals = {s.id for s in scenario.signals}
    moments = {m for m, _ in scenario.moments}
    error = report.error

    def known(ids, allowed, line, field, what) -> None:
        for item in ids:
            if item not in allowed:
                error(line, field, f"unknown {what} {item!r}")

    def effects(effect_list, line, field) -> None:
        for number, effect in enumerate(effect_list):
            for name, _ in effect.set + effect.add + effect.drift:
                if name not in signals:
                    error(
                        line,
                        f"{field}.effects[{number}]",
                        f"unknown signal {name!r}; expected one of {', '.join(sorted(signals))}",
                    )
            for name in ("unless", "when"):
                known(
                    getattr(effect, name),
                    actions | key_steps,
                    line,
                    f"{field}.effects[{number}].{name}",
                    "action or key step",
                )

    for index, action in enumerate(scenario.actions):
        field = f"scenario.actions[{index}]"
        for query in action.queries:
            from trainer.grading.promql import normalize

            try:
                normalize(query)
            except ValueError as exc:
                error(action.line, f"{field}.promql", f"not valid PromQL: {exc}")
        if action.command and "promql" in action.command.lower() and not action.promql:
            error(
                action.line,
                f"{field}.command",
                "mentions PromQL, but a query typed in the incident only matches `promql:`; "
                "move the query there",
            )
        known(
            action.requires,
            actions | key_steps | injects,
            action.line,
            f"{field}.requires",
            "action, key step or inject",
        )
        if action.id in action.requires:
            error(action.line, f"{field}.requires", "an action cannot require itself")
        effects(action.effects, action.line, field)
        for number, case in enumerate(action.evidence_when):
            known(
                case.taken,
                actions | key_steps,
                case.line,
                f"{field}.evidence_when[{number}].taken",
                "action or key step",
            )
        known(action.resets, moments, action.line, f"{field}.resets", "moment")
        for number, series in enumerate(action.series):
            if series.signal is not None and series.signal not in signals:
                error(
                    action.line,
                    f"{field}.series[{number}].signal",
                    f"unknown signal {series.signal!r}",
                )

    for index, step in enumerate(scenario.key_steps):
        known(step.by, actions, step.line, f"scenario.key_steps[{index}].by", "action")
        if step.by and not any(a in scenario.model_path for a in step.by):
            error(
                step.line,
                f"scenario.key_steps[{index}]",
                f"no action of key step {step.id!r} is on the model path",
            )
    if scenario.key_steps and not any(k.reveals_cause for k in scenario.key_steps):
        error(
            scenario.line_of("key_steps"),
            "scenario.key_steps",
            "expected a key step with reveals_cause: true (the evidence that exposes the root "
            "cause; fixes that name the cause require it)",
        )

    for index, inject in enumerate(scenario.injects):
        field = f"scenario.injects[{index}]"
        known(inject.after, actions, inject.line, f"{field}.after", "action")
        known(inject.actions, actions, inject.line, f"{field}.actions", "action")
        effects(inject.effects, inject.line, field)

    known(
        scenario.model_path,
        actions,
        scenario.line_of("model_path"),
        "scenario.model_path",
        "action",
    )
    for action_id, _ in scenario.why:
        if action_id not in actions:
            error(scenario.line_of("why"), f"scenario.why.{action_id}", "unknown action")
    for action_id in dict.fromkeys(scenario.model_path):
        if action_id in actions and action_id not in dict(scenario.why):
            error(
                scenario.line_of("why"),
                "scenario.why",
                f"missing: why the model step {action_id!r} matters",
            )

    root = scenario.root_cause
    line = scenario.line_of("root_cause")
    for index, point in enumerate(root.rubric):
        known(
            point.needs_action,
            actions | key_steps,
            line,
            f"scenario.root_cause.rubric[{index}].needs_action",
            "action or key step",
        )
    for index, point in enumerate(scenario.writeup_points):
        known(
            point.needs_action,
            actions | key_steps,
            scenario.line_of("writeup_rubric"),
            f"scenario.writeup_rubric[{index}].needs_action",
            "action or key step",
        )
    correct = [c for c in root.choices if c.correct]
    if root.choices and len(correct) != 1:
        error(
            line,
            "scenario.root_cause.choices",
            f"expected exactly one choice with correct: true; got {len(correct)}",
        )
    if len(root.choices) < 3:
        error(
            line,
            "scenario.root_cause.choices",
            f"expected at least 3 choices (the right one and 2 plausible wrong ones); "
            f"got {len(root.choices)}",
        )

    if scenario.budget is not None and scenario.budget.signal not in signals:
        error(scenario.line_of("budget"), "scenario.budget.signal", "unknown signal")
    for signal in scenario.signals:
        if (
            signal.drift
            and scenario.budget is not None
            and signal.id == scenario.budget.signal
            and signal.limit is None
        ):
            error(
                scenario.line_of("signals"),
                f"scenario.signals.{signal.id}.limit",
                "a drifting percentage needs a limit (at most 100)",
            )
    posts = sum(
        1 for a in scenario.model_path if a in actions and scenario.action(a).kind == "communicate"
    )
    updates = len(scenario.communication.model_updates)
    if posts != updates:
        error(
            scenario.line_of("communication"),
            "scenario.communication.model_updates",
            f"the model path posts {posts} status update(s); expected as many model_updates, "
            f"got {updates}",
        )


def _texts(scenario: Scenario) -> list[tuple[int, str, str, bool]]:
    """Every text of a scenario: (line, field, text, may it follow the state)."""
    out = [
        (scenario.line_of(name), f"scenario.{name}", getattr(scenario, name), False)
        for name in ("title", "summary", "page", "first_look", "model_writeup", "lesson", "start")
    ]
    for index, action in enumerate(scenario.actions):
        field = f"scenario.actions[{index}]"
        out += [
            (action.line, f"{field}.label", action.label, False),
            (action.line, f"{field}.evidence", action.evidence, True),
        ]
        if action.command:
            out.append((action.line, f"{field}.command", action.command, False))
        if action.harm:
            out.append((action.line, f"{field}.harm", action.harm, True))
        if action.promql:
            out.append((action.line, f"{field}.promql", action.promql, False))
        for number, case in enumerate(action.evidence_when):
            out.append(
                (case.line, f"{field}.evidence_when[{number}].evidence", case.evidence, True)
            )
    for index, inject in enumerate(scenario.injects):
        out.append((inject.line, f"scenario.injects[{index}].text", inject.text, True))
    root_line = scenario.line_of("root_cause")
    out.append((root_line, "scenario.root_cause.model", scenario.root_cause.model, False))
    for index, point in enumerate(scenario.root_cause.rubric + scenario.writeup_points):
        where = "root_cause.rubric" if index < len(scenario.root_cause.rubric) else "writeup_rubric"
        for text in (point.point.text, *point.point.phrases):
            out.append((root_line, f"scenario.{where}", text, False))
    for choice in scenario.root_cause.choices:
        out.append((root_line, "scenario.root_cause.choices", choice.label, False))
    for index, step in enumerate(scenario.key_steps):
        out.append((step.line, f"scenario.key_steps[{index}].what", step.what, False))
    for action_id, why in scenario.why:
        out.append((scenario.line_of("why"), f"scenario.why.{action_id}", why, False))
    for hint in scenario.hints:
        out.append((scenario.line_of("hints"), "scenario.hints", hint, False))
    for update in scenario.communication.model_updates:
        out.append(
            (
                scenario.line_of("communication"),
                "scenario.communication.model_updates",
                update,
                True,
            )
        )
    return out


def _templates(scenario: Scenario, report: _Report) -> None:
    variables = frozenset(name for values in scenario.variants[:1] for name, _ in values)
    known = Known(
        frozenset(s.id for s in scenario.signals),
        frozenset(m for m, _ in scenario.moments),
        variables,
        scenario.budget is not None,
    )
    for line, field, text, dynamic in _texts(scenario):
        for message in problems(text, known, dynamic):
            report.error(line, field, message)
    for index in range(len(scenario.variants)):
        start = resolve_variant(scenario, index).start
        if not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", start):
            report.error(
                scenario.line_of("start"),
                "scenario.start",
                f"variant {index + 1} gives {start!r}; expected a time HH:MM",
            )


def _reachable(scenario: Scenario, report: _Report) -> bool:
    """Every action can be unlocked; False when one cannot (nothing more can be checked)."""
    done: set[str] = {i.id for i in scenario.injects if i.at is not None}
    grew = True
    while grew:
        grew = False
        for action in scenario.actions:
            if action.id not in done and all(r in done for r in action.requires):
                done.add(action.id)
                grew = True
        for step in scenario.key_steps:
            if step.id not in done and any(a in done for a in step.by):
                done.add(step.id)
                grew = True
        for inject in scenario.injects:
            if inject.id not in done and any(a in done for a in inject.after):
                done.add(inject.id)
                grew = True
    ok = True
    known = (
        {a.id for a in scenario.actions}
        | {k.id for k in scenario.key_steps}
        | {i.id for i in scenario.injects}
    )
    for index, action in enumerate(scenario.actions):
        if action.id not in done:
            ok = False
            if any(r not in known for r in action.requires):
                continue  # reported as an unknown reference
            report.error(
                action.line,
                f"scenario.actions[{index}]",
                f"{action.id!r} can never be unlocked (requires {', '.join(action.requires)})",
            )
    return ok


# -- 2. play ---------------------------------------------------------------------------------
def _play(scenario: Scenario, report: _Report, where: str) -> None:
    from trainer.scenarios.scoring import (
        ROOT_CAUSE_POINTS,
        grade_text,
        play_model,
        root_cause_card,
    )

    line = scenario.line_of("model_path")
    field = "scenario.model_path"
    try:
        simulation = play(scenario, list(scenario.model_path))
    except ActionError as exc:
        report.error(line, field, f"not a valid path{where}: {exc}")
        return
    harmful = [a.id for a in simulation.harmful_taken]
    if harmful:
        report.error(line, field, f"includes harmful action(s) {', '.join(harmful)}{where}")
    if not simulation.healthy():
        if _any_path_mitigates(scenario):
            report.error(
                line,
                field,
                f"does not mitigate{where}: unhealthy at the end ({_unhealthy(simulation)})",
            )
        else:
            report.error(
                line,
                field,
                f"no path mitigates{where}: even every safe action leaves {_unhealthy(simulation)}",
            )
        return
    unanswered = [
        f.inject.id for f in simulation.fired if f.inject.expects and f.answered_at is None
    ]
    if unanswered:
        report.error(line, field, f"leaves inject(s) {', '.join(unanswered)} unanswered{where}")
    debrief = play_model(scenario)
    if debrief.score < MODEL_PATH_MIN:
        short = "; ".join(
            f"{i.name} {i.points:g}/{i.out_of} ({i.detail})"
            for i in debrief.items
            if i.out_of and i.points < i.out_of
        )
        report.error(
            line,
            field,
            f"the model path (with root_cause.model, communication.model_updates and "
            f"model_writeup) scores {debrief.score}{where}; expected >= {MODEL_PATH_MIN}: {short}",
        )
    title = grade_text(root_cause_card(scenario), scenario.title)
    earned = ROOT_CAUSE_POINTS * (title.score if title else 0) / 100
    if earned > TITLE_MAX_POINTS:
        report.error(
            scenario.line_of("root_cause"),
            "scenario.root_cause.rubric",
            f"the title typed as the diagnosis earns {earned:.1f} of {ROOT_CAUSE_POINTS} "
            f"points{where}; expected at most {TITLE_MAX_POINTS}: make the rubric phrases name "
            "the mechanism, not the symptom",
        )


def _unhealthy(simulation: Simulation) -> str:
    return ", ".join(
        f"{s.id}={simulation.values[s.id]:g}"
        for s in simulation.scenario.signals
        if not s.healthy(simulation.values[s.id])
    )


def _any_path_mitigates(scenario: Scenario) -> bool:
    """Taking every safe action as soon as it unlocks: a generous check that a fix exists."""
    simulation = Simulation(scenario)
    while True:
        options = [
            a for a in simulation.available() if not a.harmful and a.id not in simulation.taken
        ]
        if not options:
            break
        simulation.take(options[0].id)
    simulation.finish()
    return simulation.healthy()


# -- 3. content ------------------------------------------------------------------------------
def before_reveal(scenario: Scenario) -> list[tuple[int, str, str]]:
    """The texts a player can see before any evidence has revealed the root cause: the page,
    the labels and commands of actions not locked behind the reveal, and the evidence of
    those that do not reveal it themselves. (line, field, text)"""
    revealing_steps = {k.id for k in scenario.key_steps if k.reveals_cause}
    revealing = {a for k in scenario.key_steps if k.reveals_cause for a in k.by}
    behind: dict[str, bool] = {}

    def is_behind(action_id: str, seen: frozenset[str] = frozenset()) -> bool:
        if action_id in behind:
            return behind[action_id]
        try:
            action = scenario.action(action_id)
        except KeyError:
            return False
        result = any(
            r in revealing_steps
            or r in revealing
            or (
                r not in seen
                and r != action_id
                and _is_action(scenario, r)
                and is_behind(r, seen | {action_id})
            )
            for r in action.requires
        )
        behind[action_id] = result
        return result

    shown = {*revealing_steps, *revealing}
    out = [
        (scenario.line_of(name), f"scenario.{name}", getattr(scenario, name))
        for name in ("title", "summary", "page", "first_look")
    ]
    for index, action in enumerate(scenario.actions):
        if is_behind(action.id):
            continue
        field = f"scenario.actions[{index}]"
        out.append((action.line, f"{field}.label", action.label))
        if action.command:
            out.append((action.line, f"{field}.command", action.command))
        if action.id in revealing:
            continue
        out.append((action.line, f"{field}.evidence", action.evidence))
        if action.harm:
            out.append((action.line, f"{field}.harm", action.harm))
        for number, case in enumerate(action.evidence_when):
            if not any(
                t in shown or (_is_action(scenario, t) and is_behind(t)) for t in case.taken
            ):
                out.append((case.line, f"{field}.evidence_when[{number}].evidence", case.evidence))
    for index, inject in enumerate(scenario.injects):
        if inject.after and all(a in shown or is_behind(a) for a in inject.after):
            continue
        out.append((inject.line, f"scenario.injects[{index}].text", inject.text))
    return out


def _is_action(scenario: Scenario, item_id: str) -> bool:
    return any(a.id == item_id for a in scenario.actions)


def _content(template: Scenario, resolved: Scenario, report: _Report, where: str) -> None:
    """Content checks over what the YAML states literally for one variant (its values
    filled, every other template cut out: those follow the state)."""
    from trainer.grading.concepts import occurrences

    variant = resolved.variant_values

    def phrases_of(roles: tuple[str, ...]) -> list[str]:
        return [ph for p in resolved.root_cause.rubric if p.role in roles for ph in p.point.phrases]

    in_names = phrases_of(LEAKING_ROLES)
    in_outputs = phrases_of(LEAKING_ROLES + ("evidence",))
    for line, field, text in before_reveal(template):
        named = field.endswith((".label", ".command"))
        hits = occurrences(in_names if named else in_outputs, literal(text, variant))
        if hits:
            said = ", ".join(sorted({f"{phrase!r}" for phrase, _ in hits}))
            report.content(
                line,
                field,
                f"names the root cause before any evidence reveals it ({said}){where}: say what "
                "is looked at, not what it shows, or lock it with `requires:` a key step that "
                "reveals the cause",
            )
    _choice_lengths(resolved, report, where)
    _stale_literals(template, resolved, report, where)


def _choice_lengths(scenario: Scenario, report: _Report, where: str) -> None:
    choices = scenario.root_cause.choices
    if len(choices) < 2:
        return
    median = statistics.median(len(c.label) for c in choices)
    low, high = CHOICE_LENGTH
    for choice in choices:
        ratio = len(choice.label) / median
        if not low <= ratio <= high:
            report.content(
                scenario.line_of("root_cause"),
                f"scenario.root_cause.choices.{choice.id}",
                f"{len(choice.label)} characters against a median of {median:g}{where}: options "
                f"must be of comparable length ({low}x-{high}x), or the longest gives it away",
            )


def _stale_literals(scenario: Scenario, resolved: Scenario, report: _Report, where: str) -> None:
    """Numbers and times the YAML states as facts that the state may contradict. Times with
    a date are checked only on the incident's day (the latest date the texts mention)."""
    start = parse_clock(resolved.start)
    variant = resolved.variant_values
    page_values = {
        s.id: s.start
        for s in scenario.signals
        if s.start != int(s.start) or s.start >= SMALL_INTEGER
    }
    texts = [
        (scenario.line_of(name), f"scenario.{name}", getattr(scenario, name))
        for name in ("page", "first_look")
    ]
    for index, action in enumerate(scenario.actions):
        field = f"scenario.actions[{index}]"
        texts += [
            (action.line, f"{field}.label", action.label),
            (action.line, f"{field}.evidence", action.evidence),
        ]
        if action.command:
            texts.append((action.line, f"{field}.command", action.command))
        texts += [
            (case.line, f"{field}.evidence_when[{n}].evidence", case.evidence)
            for n, case in enumerate(action.evidence_when)
        ]
        for number, series in enumerate(action.series):
            _check_series(scenario, series, action.line, f"{field}.series[{number}]", report, where)
    texts += [
        (inject.line, f"scenario.injects[{i}].text", inject.text)
        for i, inject in enumerate(scenario.injects)
    ]
    stated = [(line, field, literal(text, variant)) for line, field, text in texts]
    day = max((d for _, _, text in stated for d in DATE.findall(text)), default=None)
    for line, field, text in stated:
        for match in LITERAL_TIME.finditer(text):
            dated = DATE_BEFORE.search(text, max(0, match.start() - 11), match.start())
            if dated and dated[1] != day:
                continue  # another day: history
            moment = int(match[1]) * 60 + int(match[2])
            if 0 < (moment - start) % (24 * 60) <= 12 * 60:
                report.content(
                    line,
                    field,
                    f"the literal time {match[0]} is after the page ({resolved.start}){where}: "
                    "an action can happen at any time, so write {clock}, {clock-N} or "
                    "{at.MOMENT}",
                )
        for match in NUMBER.finditer(text):
            value = float(match[1].replace(",", "") + (match[2] or ""))
            for signal_id, page in page_values.items():
                if value == page:
                    report.content(
                        line,
                        field,
                        f"the literal {match[0]} is {signal_id}'s value at the page{where}: "
                        f"write {{signal.{signal_id}}} for its value now (it changes) or "
                        f"{{page.{signal_id}}} for the page's",
                    )


def _check_series(scenario, series, line, field, report: _Report, where: str) -> None:
    signals = {s.id: s for s in scenario.signals}
    if series.signal is not None:
        start = signals[series.signal].start
        if series.points[-1] != start:
            report.content(
                line,
                f"{field}.points",
                f"a live series ends at the page, so its last point must be "
                f"{series.signal}'s start value {start:g}; got {series.points[-1]:g}{where}",
            )
        return
    for signal in signals.values():
        if series.points[-1] == signal.start and signal.start >= SMALL_INTEGER:
            report.content(
                line,
                field,
                f"ends at {signal.id}'s page value {signal.start:g}{where}: add "
                f"`signal: {signal.id}` so the series follows the state",
            )
