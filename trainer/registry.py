"""The kinds the app knows, each declared once: study modes, scenario action kinds and drill
kinds. Everything else (the home list, keys, the command palette, the footer, badges, scoring
roles, the drill keys, the YAML checks) is derived from these tables, so adding a kind is one
entry here plus the code that gives it behaviour.

Plain Python: the TUI resolves a mode's screen from its dotted path only when it opens it.
"""

from __future__ import annotations

from typing import NamedTuple


class Mode(NamedTuple):
    """A study mode: its own Textual mode (its own screen stack) in the TUI."""

    id: str  # the Textual mode name
    key: str  # the key that opens it on the home screen
    title: str
    description: str  # shown on the home screen and in the command palette
    screen: str  # "module:Class" of the mode's first screen
    options: tuple[tuple[str, object], ...] = ()  # keyword arguments for that screen
    in_footer: bool = False  # the home footer names only the most used modes
    session: bool = True  # holds work in progress (a quiz, a mock): never silently reset


MODES: tuple[Mode, ...] = (
    Mode(
        "quiz",
        "q",
        "Quiz",
        "Type answers, graded against interviewer rubrics",
        "trainer.tui.screens.quiz_setup:QuizSetupScreen",
        in_footer=True,
    ),
    Mode(
        "flashcards",
        "f",
        "Flashcards",
        "Flip, rate yourself, spaced repetition (FSRS)",
        "trainer.tui.screens.flashcards:FlashcardScreen",
        in_footer=True,
    ),
    Mode(
        "cram",
        "c",
        "Cram",
        "Practise any cards without touching the schedule",
        "trainer.tui.screens.flashcards:FlashcardScreen",
        options=(("cram", True),),
    ),
    Mode(
        "scenarios",
        "s",
        "Scenarios",
        "Work a simulated incident from page to debrief",
        "trainer.tui.screens.scenario_picker:ScenarioPickerScreen",
    ),
    Mode(
        "mock",
        "m",
        "Mock interview",
        "Timed questions and an honest report",
        "trainer.tui.screens.mock_setup:MockSetupScreen",
    ),
    Mode(
        "drills",
        "d",
        "Query drills",
        "Write and read PromQL, name metrics, numbers to know",
        "trainer.tui.screens.drills:DrillScreen",
    ),
    Mode(
        "stats",
        "t",
        "Stats",
        "Progress, mastery, most-missed points",
        "trainer.tui.screens.stats:StatsScreen",
        in_footer=True,
        session=False,
    ),
    Mode(
        "cards",
        "b",
        "Card browser",
        "Search cards; each card's answers, scores, due date and your notes",
        "trainer.tui.screens.cards:CardBrowserScreen",
        session=False,
    ),
    Mode(
        "notes",
        "n",
        "Study notes",
        "The guide's talking points, dashboards and next steps",
        "trainer.tui.screens.notes:NotesScreen",
        session=False,
    ),
)
HOME_MODE = Mode(
    "home", "h", "Home", "The modes and today's summary", "trainer.tui.screens.home:HomeScreen"
)
MODES_BY_ID = {mode.id: mode for mode in (HOME_MODE, *MODES)}


class ActionKind(NamedTuple):
    """What a scenario action does, how it is badged, and the part it plays in scoring."""

    id: str
    badge: str  # four letters shown before the action in the incident view
    style: str
    looks: bool = False  # gathers evidence: counts as looking before acting
    changes: bool = False  # changes the system: mitigates (or harms)
    rolls_back: bool = False  # undoes a recent change (mitigate-first scenarios)
    tells: bool = False  # keeps stakeholders posted
    escalates: bool = False  # brings in more people


ACTION_KINDS: dict[str, ActionKind] = {
    kind.id: kind
    for kind in (
        ActionKind("diagnose", "look", "cyan", looks=True),
        ActionKind("mitigate", "fix ", "yellow", changes=True),
        ActionKind("rollback", "undo", "magenta", changes=True, rolls_back=True),
        ActionKind("escalate", "page", "blue", escalates=True),
        ActionKind("communicate", "tell", "green", tells=True),
    )
}


class DrillKind(NamedTuple):
    """A kind of query drill: its label, the query items it covers, and the key that switches
    to it (F1, F2, ... in declaration order)."""

    id: str
    title: str  # short: the footer
    description: str  # the header of the drill screen
    item_kinds: tuple[str, ...] = ()  # query kinds it drills (numbers have their own bank)

    @property
    def label(self) -> str:
        return f"{self.title}: {self.description}"


DRILL_KINDS: dict[str, DrillKind] = {
    kind.id: kind
    for kind in (
        DrillKind(
            "write",
            "Write",
            "the query or command for a symptom",
            ("promql", "cloudwatch-cli", "shell"),
        ),
        DrillKind("read", "Read", "what a query measures", ("promql", "custom-metric")),
        DrillKind(
            "metric",
            "Metric",
            "name it and its alert threshold",
            ("cloudwatch-metric", "custom-metric"),
        ),
        DrillKind("number", "Numbers", "SLOs, budgets and thresholds"),
    )
}


def drill_key(kind: str) -> str:
    """The function key of a drill kind: F1 for the first declared, and so on."""
    return f"f{list(DRILL_KINDS).index(kind) + 1}"
