"""Progress store: commits at once, survives SIGKILL, migrates the previous schema, keeps a
corrupt file aside, refuses a newer schema without touching it, and two instances share it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from trainer.store.db import DB_NAME, Store, StoreError
from trainer.store.schema import SCHEMA_V1, SCHEMA_VERSION

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def record(store: Store, card="q01", score=60, when=T0, missed=("point b",)):
    return store.record_attempt(
        card, "quiz", "my answer", score, ["point a"], list(missed), when=when
    )


def test_attempt_is_committed_and_counted(tmp_path):
    store = Store.open(tmp_path)
    record(store, score=60)
    record(store, score=80, when=T0 + timedelta(hours=1))
    # Another connection sees it at once: nothing waits for a later commit.
    other = sqlite3.connect(tmp_path / DB_NAME)
    assert other.execute("SELECT count(*) FROM attempts").fetchone()[0] == 2
    assert store.card_scores()["q01"] == (2, 140, 80, 80)
    assert store.most_missed() == [("q01", "point b", 2, 2)]
    assert [(d[1], d[2]) for d in store.days()] == [(2, 140)]
    assert store.attempts()[0].matched == ["point a"]


def test_wal_mode(tmp_path):
    store = Store.open(tmp_path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


WRITER = """
import sys, time
from trainer.store.db import Store
store = Store.open(sys.argv[1])
for n in range(10_000):
    store.record_attempt("q01", "quiz", f"answer {n}", n % 100, [], ["p"])
    print(n, flush=True)
    time.sleep(0.002)
"""


def test_sigkill_mid_session_loses_no_committed_answer(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    acknowledged = -1
    deadline = time.monotonic() + 30
    while acknowledged < 40 and time.monotonic() < deadline:
        acknowledged = int(process.stdout.readline())
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    store = Store.open(tmp_path)
    answers = {a.answer for a in store.attempts()}
    # Every answer the writer had reported as saved is there, and the counters agree.
    assert {f"answer {n}" for n in range(acknowledged + 1)} <= answers
    assert store.totals()[0] == len(answers)


def test_migration_from_previous_schema(tmp_path):
    path = tmp_path / DB_NAME
    old = sqlite3.connect(path)
    old.executescript(SCHEMA_V1)
    old.execute(
        "INSERT INTO attempts(card_id, mode, answer, score, matched, missed, red_flags, "
        "created_at) VALUES ('q02', 'quiz', 'a', 40, '[\"x\"]', '[\"y\"]', '[]', ?)",
        (T0.isoformat(),),
    )
    old.execute(
        "INSERT INTO reviews(card_id, rating, reviewed_at) VALUES ('q02', 3, ?)", (T0.isoformat(),)
    )
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    store = Store.open(tmp_path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.card_scores()["q02"] == (1, 40, 40, 40)
    assert store.most_missed() == [("q02", "y", 1, 1)]
    assert store.totals() == (1, 1)
    assert (tmp_path / f"{DB_NAME}.v1.bak").exists()  # the old file is kept before migrating


def test_corrupt_file_is_kept_aside_not_overwritten(tmp_path):
    garbage = b"this is not a database" * 100
    (tmp_path / DB_NAME).write_bytes(garbage)
    store = Store.open(tmp_path)
    assert store.notice and "kept as" in store.notice
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    record(store)
    assert store.totals()[0] == 1


def test_newer_schema_is_refused_and_untouched(tmp_path):
    path = tmp_path / DB_NAME
    future = sqlite3.connect(path)
    future.execute("CREATE TABLE future(x)")
    future.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    future.commit()
    future.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer sre-trainer"):
        Store.open(tmp_path)
    assert path.read_bytes() == before


def test_two_instances_write_to_one_file(tmp_path):
    first, second = Store.open(tmp_path), Store.open(tmp_path)
    for n in range(20):
        record(first if n % 2 else second, card=f"q{n % 3:02d}", when=T0 + timedelta(minutes=n))
    third = Store.open(tmp_path)
    assert third.totals()[0] == 20
    assert sum(v[0] for v in third.card_scores().values()) == 20


def test_undo_review_restores_previous_schedule(tmp_path):
    store = Store.open(tmp_path)
    first = store.save_review("q01", 3, {"state": 1}, "2026-11-03T00:00:00+00:00", False, T0)
    second = store.save_review("q01", 1, {"state": 3}, "2026-11-02T10:00:00+00:00", True, T0)
    assert store.schedule_row("q01")["lapses"] == 1
    assert store.undo_review(second) == "q01"
    row = store.schedule_row("q01")
    assert row["fsrs"] == {"state": 1} and row["lapses"] == 0 and row["reviews"] == 1
    store.undo_review(first)
    assert store.schedule_row("q01") is None
    assert store.totals()[1] == 0


def test_export_csv_and_json(tmp_path):
    from io import StringIO

    from trainer.store.export import write_attempts

    store = Store.open(tmp_path)
    record(store, score=55)
    out = StringIO()
    assert write_attempts(store, "json", out) == 1
    data = json.loads(out.getvalue())
    assert data[0]["card_id"] == "q01" and data[0]["missed"] == ["point b"]
    out = StringIO()
    write_attempts(store, "csv", out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id,created_at,card_id") and "point b" in lines[1]


def test_unwritable_data_dir_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the data folder"):
        Store.open(blocker / "sub")


def test_data_dir_from_environment(tmp_path, monkeypatch):
    from trainer import paths

    monkeypatch.setenv("SRE_TRAINER_HOME", str(tmp_path / "custom"))
    assert paths.user_data_dir() == tmp_path / "custom"
    assert paths.user_data_dir(tmp_path / "flag") == tmp_path / "flag"
    monkeypatch.delenv("SRE_TRAINER_HOME")
    assert "sre-trainer" in str(paths.user_data_dir())


def test_local_day_boundaries_follow_local_time(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        store = Store.open(tmp_path)
        late = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)  # 22:00 on the 2nd in New York
        record(store, when=late)
        assert store.days()[0][0] == "2026-11-02"
    finally:
        os.environ.pop("TZ", None)
        time.tzset()


def test_a_busy_file_raises_store_busy_and_patience_runs_out(tmp_path):
    from trainer.store.db import StoreBusy

    Store.open(tmp_path).close()
    holder = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO settings(key, value) VALUES ('k', 'v')")
    waits = []
    started = time.monotonic()
    with pytest.raises(StoreBusy) as caught:
        Store.open_waiting(tmp_path, patience=1.0, step=0.25, on_wait=lambda w, p: waits.append(w))
    assert 1.0 <= time.monotonic() - started < 5 and len(waits) >= 2
    assert caught.value.waited >= 1.0 and "locked" in str(caught.value)
    holder.execute("ROLLBACK")
    holder.close()


def test_a_write_error_rolls_back_the_whole_transaction(tmp_path):
    from trainer.store.db import StoreWriteError

    store = Store.open(tmp_path)
    record(store)
    store.db.execute("PRAGMA query_only = ON")  # every write now fails inside SQLite
    with pytest.raises(StoreWriteError):
        store.save_review("q01", 3, {"state": 1}, "2026-11-03T00:00:00+00:00", False, T0)
    store.db.execute("PRAGMA query_only = OFF")
    assert not store.db.in_transaction
    assert store.schedule_rows() == {} and store.totals() == (1, 0)


def test_a_constraint_error_is_not_mistaken_for_the_disk(tmp_path):
    store = Store.open(tmp_path)
    with pytest.raises(sqlite3.IntegrityError):
        store.record_attempt("q01", "quiz", None, 10, [], [])  # NOT NULL: a bug, not the disk
    assert not store.db.in_transaction and store.totals() == (0, 0)


def test_replacing_an_attempt_keeps_the_counters_true(tmp_path):
    store = Store.open(tmp_path)
    when = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    store.record_attempt("drill:write:x", "drill-write", "first", 90, [], [], when=when)
    second = store.record_attempt("drill:write:x", "drill-write", "up", 20, [], [], when=when)
    store.replace_attempt(second, "rate(x[5m])", 60, 2)
    attempt = store.attempts("drill:write:x")[1]
    assert (attempt.answer, attempt.score, attempt.rating) == ("rate(x[5m])", 60, 2)
    assert store.card_scores()["drill:write:x"] == (2, 150, 90, 60)
    assert store.days()[0][1:3] == (2, 150)
    with pytest.raises(KeyError):
        store.replace_attempt(999, "x", 0, 1)
