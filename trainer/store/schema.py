"""The progress database's schema and the migrations that reach it.

`MIGRATIONS[n]` takes a database at schema version n to n + 1; the version lives in
`PRAGMA user_version`. Version 1 stored attempts, reviews and sessions; version 2 added the
counter tables (per-day totals, per-rubric-point misses) that keep stats instant at any size,
and backfills them from version 1's attempts; version 3 stores scenario results; version 4
mock interviews and their answers; version 5 drafts (what is being typed, kept until it is
submitted or discarded); version 6 scenario runs in progress (resumable); version 7 the
card browser's state (personal notes, suspended and buried cards), practice answers kept out of
the averages, mock answers counted apart from quiz answers, which mode introduced a card (the
flashcards' new-card allowance counts only its own), and lapses counted only after a card
graduated (recounted from the review history); version 8 a mock's follow-up questions,
self-graded (spoken) answers and the time used on the question being asked.
"""

from __future__ import annotations

import sqlite3

SCHEMA_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    mode TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    summary TEXT
);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    session_id INTEGER REFERENCES sessions(id),
    card_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    answer TEXT NOT NULL,
    score INTEGER NOT NULL,
    matched TEXT NOT NULL,
    missed TEXT NOT NULL,
    red_flags TEXT NOT NULL,
    rating INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX attempts_card ON attempts(card_id);
CREATE INDEX attempts_created ON attempts(created_at);
CREATE TABLE schedule (
    card_id TEXT PRIMARY KEY,
    fsrs TEXT NOT NULL,
    due TEXT NOT NULL,
    introduced_on TEXT NOT NULL,
    lapses INTEGER NOT NULL DEFAULT 0,
    reviews INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX schedule_due ON schedule(due);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    card_id TEXT NOT NULL,
    rating INTEGER NOT NULL,
    reviewed_at TEXT NOT NULL,
    previous TEXT,
    session_id INTEGER REFERENCES sessions(id)
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

SCHEMA_V2 = """
CREATE TABLE days (
    day TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL DEFAULT 0,
    score_sum INTEGER NOT NULL DEFAULT 0,
    reviews INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE point_misses (
    card_id TEXT NOT NULL,
    point TEXT NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0,
    missed INTEGER NOT NULL DEFAULT 0,
    last_missed TEXT,
    PRIMARY KEY (card_id, point)
);
CREATE TABLE card_scores (
    card_id TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL DEFAULT 0,
    score_sum INTEGER NOT NULL DEFAULT 0,
    best_score INTEGER NOT NULL DEFAULT 0,
    last_score INTEGER NOT NULL DEFAULT 0,
    last_at TEXT
);
"""


def _backfill_v2(db: sqlite3.Connection) -> None:
    """Rebuild the counters from version 1's attempts and reviews."""
    import json

    db.execute(
        "INSERT INTO days(day, attempts, score_sum) SELECT substr(created_at, 1, 10), count(*), "
        "sum(score) FROM attempts GROUP BY 1"
    )
    db.execute(
        "INSERT INTO days(day, reviews) SELECT substr(reviewed_at, 1, 10), count(*) FROM reviews "
        "WHERE true GROUP BY 1 ON CONFLICT(day) DO UPDATE SET reviews = excluded.reviews"
    )
    db.execute(
        "INSERT INTO card_scores(card_id, attempts, score_sum, best_score, last_score, last_at) "
        "SELECT card_id, count(*), sum(score), max(score), "
        "(SELECT score FROM attempts b WHERE b.card_id = a.card_id "
        "ORDER BY created_at DESC, id DESC LIMIT 1), max(created_at) "
        "FROM attempts a GROUP BY card_id"
    )
    rows = db.execute("SELECT card_id, matched, missed, created_at FROM attempts").fetchall()
    for card_id, matched, missed, created_at in rows:
        for point in json.loads(matched):
            _count_point(db, card_id, point, False, created_at)
        for point in json.loads(missed):
            _count_point(db, card_id, point, True, created_at)


def _count_point(db: sqlite3.Connection, card_id: str, point: str, missed: bool, when: str):
    db.execute(
        "INSERT INTO point_misses(card_id, point, seen, missed, last_missed) "
        "VALUES (?, ?, 1, ?, ?) ON CONFLICT(card_id, point) DO UPDATE SET seen = seen + 1, "
        "missed = missed + excluded.missed, "
        "last_missed = coalesce(excluded.last_missed, last_missed)",
        (card_id, point, int(missed), when if missed else None),
    )


SCHEMA_V3 = """
CREATE TABLE scenario_results (
    id INTEGER PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    score INTEGER NOT NULL,
    root_cause_correct INTEGER NOT NULL,
    mitigated INTEGER NOT NULL,
    minutes INTEGER,
    path TEXT NOT NULL,
    writeup TEXT NOT NULL,
    breakdown TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX scenario_results_id ON scenario_results(scenario_id);
ALTER TABLE days ADD COLUMN scenarios INTEGER NOT NULL DEFAULT 0;
"""


SCHEMA_V4 = """
CREATE TABLE mocks (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    config TEXT NOT NULL,
    report TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE TABLE mock_answers (
    mock_id INTEGER NOT NULL REFERENCES mocks(id),
    position INTEGER NOT NULL,
    card_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    score INTEGER NOT NULL,
    seconds REAL NOT NULL,
    outcome TEXT NOT NULL,
    missed TEXT NOT NULL,
    attempt_id INTEGER,
    created_at TEXT NOT NULL,
    PRIMARY KEY (mock_id, position)
);
"""


SCHEMA_V5 = """
CREATE TABLE drafts (
    key TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


# A run's state is the JSON of trainer.scenarios.session.ScenarioRun.to_state(): saved after
# every step, so a run left or crashed resumes with its notes and typed texts.
SCHEMA_SCENARIO_RUNS = """
CREATE TABLE scenario_runs (
    id INTEGER PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    status TEXT NOT NULL,
    state TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    result_id INTEGER REFERENCES scenario_results(id)
);
CREATE INDEX scenario_runs_status ON scenario_runs(status);
"""


# Version 7. `attempts.practice`: NULL for an answer that counts, else why it does not ('retry':
# the same card answered again in a session; 'points': `w`, graded on missed points only).
# `days` counts mock answers and practice apart, so `attempts`/`score_sum` are the quiz (and
# drill) answers the average is made of. `schedule.introduced_by`: the mode whose review first
# scheduled the card.
SCHEMA_CARD_STATE = """
CREATE TABLE card_notes (
    card_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE card_flags (
    card_id TEXT PRIMARY KEY,
    suspended INTEGER NOT NULL DEFAULT 0,
    buried_until TEXT
);
ALTER TABLE attempts ADD COLUMN practice TEXT;
ALTER TABLE days ADD COLUMN mock_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE days ADD COLUMN mock_score_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE days ADD COLUMN practice INTEGER NOT NULL DEFAULT 0;
ALTER TABLE schedule ADD COLUMN introduced_by TEXT
"""

REVIEW_STATE = 2  # fsrs State.Review: the card has graduated from its learning steps


def _backfill_card_state(db: sqlite3.Connection) -> None:
    """Move mock answers out of the quiz counters, name the mode that introduced each card,
    and recount lapses as Again on a graduated card only."""
    import json
    from datetime import datetime

    rows = db.execute("SELECT created_at, score FROM attempts WHERE mode = 'mock'").fetchall()
    for created_at, score in rows:
        day = datetime.fromisoformat(created_at).astimezone().date().isoformat()
        db.execute(
            "UPDATE days SET attempts = max(0, attempts - 1), score_sum = score_sum - ?, "
            "mock_attempts = mock_attempts + 1, mock_score_sum = mock_score_sum + ? "
            "WHERE day = ?",
            (score, score, day),
        )
    db.execute(
        "UPDATE schedule SET introduced_by = (SELECT s.mode FROM reviews r JOIN sessions s "
        "ON s.id = r.session_id WHERE r.card_id = schedule.card_id ORDER BY r.id LIMIT 1)"
    )
    lapses: dict[str, int] = {}
    for card_id, previous in db.execute(
        "SELECT card_id, previous FROM reviews WHERE rating = 1 AND previous IS NOT NULL"
    ):
        try:
            state = json.loads(previous)["fsrs"].get("state")
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if state == REVIEW_STATE:
            lapses[card_id] = lapses.get(card_id, 0) + 1
    db.execute("UPDATE schedule SET lapses = 0")
    for card_id, count in lapses.items():
        db.execute("UPDATE schedule SET lapses = ? WHERE card_id = ?", (count, card_id))


# Mock follow-ups: each answer stores the follow-ups it earned (`follow_up_plan`, JSON) and each
# follow-up answered is a row; `progress` holds the slot being asked and the seconds it has used.
SCHEMA_MOCK_FOLLOW_UPS = """
ALTER TABLE mocks ADD COLUMN progress TEXT;
ALTER TABLE mock_answers ADD COLUMN self_graded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mock_answers ADD COLUMN follow_up_plan TEXT NOT NULL DEFAULT '[]';
CREATE TABLE mock_follow_ups (
    mock_id INTEGER NOT NULL REFERENCES mocks(id),
    position INTEGER NOT NULL,
    number INTEGER NOT NULL,
    card_id TEXT NOT NULL,
    point TEXT NOT NULL,
    prompt TEXT NOT NULL,
    kind TEXT NOT NULL,
    answer TEXT NOT NULL,
    score INTEGER NOT NULL,
    seconds REAL NOT NULL,
    outcome TEXT NOT NULL,
    self_graded INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (mock_id, position, number)
)
"""


def _run(db: sqlite3.Connection, script: str) -> None:
    """Run each statement inside the caller's transaction (executescript would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _to_v1(db: sqlite3.Connection) -> None:
    _run(db, SCHEMA_V1)


def _to_v2(db: sqlite3.Connection) -> None:
    _run(db, SCHEMA_V2)
    _backfill_v2(db)


def _to_v3(db: sqlite3.Connection) -> None:
    _run(db, SCHEMA_V3)


def _to_v4(db: sqlite3.Connection) -> None:
    _run(db, SCHEMA_V4)


def _to_v5(db: sqlite3.Connection) -> None:
    _run(db, SCHEMA_V5)


def _to_v6(db: sqlite3.Connection) -> None:
    _run(db, SCHEMA_SCENARIO_RUNS)


def _to_card_state(db: sqlite3.Connection) -> None:
    _run(db, SCHEMA_CARD_STATE)
    _backfill_card_state(db)


def _to_v8(db: sqlite3.Connection) -> None:
    _run(db, SCHEMA_MOCK_FOLLOW_UPS)


MIGRATIONS = [_to_v1, _to_v2, _to_v3, _to_v4, _to_v5, _to_v6, _to_card_state, _to_v8]
SCHEMA_VERSION = len(MIGRATIONS)
count_point = _count_point
