"""The scenario format's records, declared once (see trainer.content.specs): the scenario
loader reads each record's keys from here and `sre-trainer schema scenarios` prints them as
JSON Schema. README's "Scenario format" explains what each field does."""

from __future__ import annotations

from trainer.content.specs import (
    ID,
    IDS,
    RED_FLAG,
    TEXT,
    TEXTS,
    AnyOfKeys,
    Choice,
    Either,
    Flag,
    ListOf,
    MapOf,
    Needs,
    Number,
    OneOfKeys,
    Record,
    Ref,
    Text,
    Whole,
    may,
    need,
)
from trainer.scenarios.models import ACTION_KINDS, DIFFICULTIES, INJECT_EXPECTS, ROOT_CAUSE_ROLES

CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"
SIGNAL_ID = r"^[a-z][a-z0-9_]*$"
MAX_VARIANTS = 20
MAX_MINUTES = 24 * 60
CHANGES = MapOf(Number())  # signal id: number

SIGNAL = Record(
    "signal",
    "A health signal shown in the header; healthy while <= good_max (or >= good_min).",
    (
        need("label", TEXT),
        need("unit", Text(empty=True), 'e.g. "%" (may be empty)'),
        need("start", Number(minimum=0), "the value at the page"),
        may("good_max", Number()),
        may("good_min", Number()),
        may("drift", Number(), "change per simulated minute while unhealthy"),
        may("limit", Number(), "drift never goes past it"),
    ),
    (AnyOfKeys(("good_max", "good_min")), Needs("limit", "drift")),
)
SERIES = Record(
    "series",
    "A sparkline; with `signal` it is live (a point per `step` minutes is appended).",
    (
        need("name", TEXT),
        need("points", ListOf(Number(), 2), "the history up to the page"),
        may("signal", TEXT),
        may("step", Whole(1, 60)),
    ),
    (Needs("step", "signal"),),
)
EFFECT = Record(
    "effect",
    "Signal changes, now or `after` minutes (a relapse).",
    (
        may("set", CHANGES),
        may("add", CHANGES),
        may("after", Whole(1, MAX_MINUTES), "minutes after the action"),
        may("unless", IDS, "skipped if any of these happened by then"),
        may("when", IDS, "applied only if one of these happened"),
        may("drift", CHANGES, "new drift per minute"),
    ),
    (AnyOfKeys(("set", "add", "drift")),),
)
EVIDENCE_CASE = Record(
    "evidence_case",
    "Evidence shown instead once any of `taken` happened before the action.",
    (need("taken", ListOf(Text(ID), 1)), need("evidence", TEXT)),
)
ACTION = Record(
    "action",
    "Something the player can do: named by what it looks at, not what it shows.",
    (
        need("id", Text(ID)),
        need("label", TEXT),
        need("kind", Choice(ACTION_KINDS)),
        need("minutes", Whole(0, MAX_MINUTES), "simulated minutes it takes"),
        need("evidence", TEXT, "what the player sees at the end of the action"),
        may("command", TEXT, "shown as typed", nullable=True),
        may("series", ListOf(Ref("series"))),
        may("requires", IDS, "actions, key steps or injects that must have happened"),
        may("effects", ListOf(Ref("effect"))),
        may("harm", TEXT, "marks the action harmful", nullable=True),
        may(
            "promql",
            Either((TEXT, ListOf(TEXT, 1))),
            "a query the player may type (or equally right ones)",
            nullable=True,
        ),
        may("evidence_when", ListOf(Ref("evidence_case"))),
        may("resets", TEXTS, "moments this action renews"),
    ),
)
INJECT = Record(
    "inject",
    "Something that happens during the incident, at a time or after an action.",
    (
        need("id", Text(ID)),
        need("text", TEXT),
        may("at", Whole(0, MAX_MINUTES), "minutes after the page"),
        may("after", IDS, "fires when one of these is taken"),
        may("expects", Choice(INJECT_EXPECTS)),
        may("actions", IDS, "for expects: action"),
        may("within", Whole(1, MAX_MINUTES), "minutes to answer"),
        may("cost", Whole(0, 30), "points lost if unanswered"),
        may("effects", ListOf(Ref("effect")), "what lands at the deadline if unanswered"),
    ),
    (
        OneOfKeys(("at", "after")),
        Needs("within", "expects"),
        Needs("cost", "expects"),
        Needs("effects", "expects"),
        Needs("actions", "expects"),
        Needs("expects", "within"),
    ),
)
KEY_STEP = Record(
    "key_step",
    "A group of equivalent evidence: any action of `by` satisfies it.",
    (
        need("id", Text(ID)),
        need("what", TEXT, "shown when missed"),
        need("by", ListOf(Text(ID), 1)),
        may("reveals_cause", Flag()),
    ),
)
SCENARIO_POINT = Record(
    "scenario_point",
    "A rubric point (as on cards), credited only if one of `needs_action` happened.",
    (
        need("point", TEXT),
        need("weight", Whole(1, 3)),
        need("phrases", ListOf(TEXT, 1)),
        may("follow_up", TEXT, nullable=True),
        may("needs_action", IDS),
    ),
)
ROOT_CAUSE_POINT = Record(
    "root_cause_point",
    "A point of the root-cause rubric, with its role.",
    (
        need("point", TEXT),
        need("weight", Whole(1, 3)),
        need("phrases", ListOf(TEXT, 1)),
        need("role", Choice(ROOT_CAUSE_ROLES)),
        may("follow_up", TEXT, nullable=True),
        may("needs_action", IDS),
    ),
)
CAUSE = Record(
    "cause",
    "An option of the multiple-choice hint.",
    (need("id", Text(ID)), need("label", TEXT), may("correct", Flag())),
)
ROOT_CAUSE = Record(
    "root_cause",
    "The diagnosis and how a typed one is graded.",
    (
        need("model", TEXT, "the diagnosis a strong engineer types"),
        need("rubric", ListOf(Ref("root_cause_point")), "3-5 points, at least one mechanism"),
        need("choices", ListOf(Ref("cause")), "the multiple-choice hint: exactly one correct"),
        may("red_flags", ListOf(Ref("red_flag")), "wrong causes stated as fact"),
    ),
)
COMMUNICATION = Record(
    "communication",
    "Status updates: the model ones, and the rubric a player's are graded by.",
    (
        may("model_updates", TEXTS, "one per communicate step of the model path"),
        may("rubric", ListOf(Ref("scenario_point"))),
        may("red_flags", ListOf(Ref("red_flag"))),
        may("hedges", TEXTS),
    ),
)
BUDGET = Record(
    "budget",
    "The error budget an unhealthy signal burns.",
    (
        need("signal", TEXT),
        need("slo", Number(minimum=50, below=100), "e.g. 99.9"),
        may("window_days", Whole(1, 366)),
        may("spent", Number(minimum=0), "percent spent at the page"),
    ),
)
SCENARIO = Record(
    "scenario",
    "A simulated incident (see README, Scenario format).",
    (
        need("id", Text(ID), "the file's name"),
        need("title", TEXT, "a symptom, never the cause"),
        need("difficulty", Choice(DIFFICULTIES)),
        need("summary", TEXT),
        need("page", TEXT, "what pages you"),
        need("first_look", TEXT),
        need(
            "start",
            Text(r"^(([01]\d|2[0-3]):[0-5]\d|.*\{.*)$"),
            "the clock at the page, HH:MM (or a {var.*} template)",
        ),
        need("signals", MapOf(Ref("signal"), SIGNAL_ID)),
        need("actions", ListOf(Ref("action"))),
        need("root_cause", Ref("root_cause")),
        need("model_path", ListOf(Text(), 1), "action ids, in order"),
        need("key_steps", ListOf(Ref("key_step"), 1)),
        need("why", MapOf(TEXT), "action id: why this model step matters"),
        need("hints", TEXTS, "each costs 5"),
        need("model_writeup", TEXT),
        need("lesson", TEXT),
        may("writeup_rubric", ListOf(Ref("scenario_point"))),
        may("guide_refs", TEXTS, "question-bank cards the mock interview skips"),
        may("mitigate_first", Flag()),
        may("communication", Ref("communication")),
        may("injects", ListOf(Ref("inject"))),
        may("moments", MapOf(Whole(0, 400 * MAX_MINUTES), SIGNAL_ID), "minutes before the page"),
        may(
            "variants",
            ListOf(MapOf(Either((TEXT, Number())), SIGNAL_ID), 1, MAX_VARIANTS),
            "one is played per seed",
        ),
        may("budget", Ref("budget")),
        may("unconverted", Flag()),
    ),
)
SCENARIO_FILE = Record("scenario_file", "A scenario file.", (need("scenario", Ref("scenario")),))
COMMUNICATION_FILE = Record(
    "communication_file",
    "The default status-update rubric (scenarios/_communication.yaml).",
    (need("communication", Ref("communication")),),
)
SCENARIO_RECORDS = (
    SCENARIO_FILE,
    COMMUNICATION_FILE,
    SCENARIO,
    SIGNAL,
    SERIES,
    EFFECT,
    EVIDENCE_CASE,
    ACTION,
    INJECT,
    KEY_STEP,
    SCENARIO_POINT,
    ROOT_CAUSE_POINT,
    RED_FLAG,
    CAUSE,
    ROOT_CAUSE,
    COMMUNICATION,
    BUDGET,
)
