"""The SQLite progress store: every attempt, review and session, committed the moment it happens.

WAL mode and `BEGIN IMMEDIATE` let two app instances share one file; `synchronous=FULL`
makes a commit durable before the call returns. Only a file SQLite proves damaged (`file is
not a database`, or `PRAGMA quick_check` not "ok") is moved aside, never overwritten, and what
can still be read from it is copied into a fresh one. A full disk, a permission, a read-only
file or folder, or a lock held too long is a `StoreUnavailable` (at open) or a `StoreWriteError`
(a write): one line naming the file and the cause, the file left as it was. A file from a newer
version is refused untouched. Files and the folder are created private to the user.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from trainer.private_files import create_private_file, make_private_folder
from trainer.store.errors import StoreBusy, StoreError, StoreUnavailable, StoreWriteError
from trainer.store.schema import MIGRATIONS, SCHEMA_VERSION, count_point

DB_NAME = "progress.db"
OPEN_TIMEOUT = 2.0  # seconds Store.open waits for a lock: short, so a UI can show progress
WRITE_TIMEOUT = 5.0  # seconds a write waits for another instance's transaction
PATIENCE = 30.0  # seconds Store.open_waiting keeps retrying a locked file

# SQLite primary result codes (sqlite3 exceptions carry them as `sqlite_errorcode`).
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR = 3, 5, 6, 8, 10
_CORRUPT, _FULL, _CANTOPEN, _NOTADB = 11, 13, 14, 26
_WRITE_FAILURES = {_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB}


class _Damaged(Exception):
    """SQLite proved the file damaged; the message is its own word for how."""


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The row id an INSERT just gave (always set after one)."""
    row_id = cursor.lastrowid
    assert row_id is not None
    return row_id


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def local_day(moment: datetime) -> str:
    """The learner's calendar day (streaks and the heatmap follow their clock, not UTC)."""
    return moment.astimezone().date().isoformat()


@dataclass(frozen=True)
class Attempt:
    id: int
    card_id: str
    mode: str
    answer: str
    score: int
    matched: list[str]
    missed: list[str]
    red_flags: list[str]
    rating: int | None
    created_at: str
    session_id: int | None
    practice: str | None = None  # None: counted; 'retry' or 'points': practice, kept apart


class DayRow(NamedTuple):
    """One day's counters. `attempts`/`score_sum` are the answers the average is made of (quiz
    and drills); mock answers and practice are counted apart."""

    day: str
    attempts: int
    score_sum: int
    reviews: int
    scenarios: int
    mock_attempts: int = 0
    mock_score_sum: int = 0
    practice: int = 0

    @property
    def active(self) -> bool:
        return bool(
            self.attempts or self.reviews or self.scenarios or self.mock_attempts or self.practice
        )


class Store:
    """Progress on disk. Open with `Store.open(data_dir)` (or `Store.open_waiting` off the event
    loop); `notice` tells, in one plain line, of a damaged file moved aside."""

    def __init__(self, path: Path, connection: sqlite3.Connection, notice: str | None = None):
        self.path = path
        self.db = connection
        self.notice = notice
        self._lock = threading.RLock()

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        data_dir: Path | str,
        timeout: float = OPEN_TIMEOUT,
        write_timeout: float = WRITE_TIMEOUT,
    ) -> Store:
        """Open (creating if needed) the progress file in `data_dir`.

        Waits at most `timeout` seconds for another instance's lock, then raises `StoreBusy`;
        `StoreUnavailable` for a full disk, a permission or a read-only file or folder;
        `StoreError` for a file from a newer version. Each leaves the file as it was. A file
        SQLite proves damaged is moved aside and a fresh one started (see `notice`).
        """
        folder = Path(data_dir)
        path = folder / DB_NAME
        try:
            make_private_folder(folder)
        except OSError as exc:
            raise StoreUnavailable(
                f"cannot create the data folder {folder}: {_os_cause(exc)}"
            ) from None
        _create_private(path)
        _check_writable(path)
        damaged: tuple[Path, str] | None = None
        started = time.monotonic()
        try:
            connection = cls._connect(path, timeout)
        except _Damaged as exc:
            damaged = (_move_damaged(path, str(exc)), str(exc))
            _create_private(path)
            connection = cls._connect_or_explain(path, timeout, started)
        except sqlite3.Error as exc:
            raise _unavailable(path, exc, timeout, time.monotonic() - started) from None
        store = cls(path, connection)
        try:
            # Migrate first: on a full disk the old file then stays as it was, byte for byte
            # (switching to WAL rewrites its header).
            store._migrate()
            store._write_ahead_log()
        except StoreWriteError as exc:
            connection.close()
            if isinstance(exc.__cause__, sqlite3.Error):
                waited = time.monotonic() - started
                raise _unavailable(path, exc.__cause__, timeout, waited) from None
            raise StoreUnavailable(f"cannot open {path}: {exc}") from None
        connection.execute(f"PRAGMA busy_timeout = {int(write_timeout * 1000)}")
        if damaged is not None:
            store.notice = store._recover_from(*damaged)
        return store

    @classmethod
    def open_waiting(
        cls,
        data_dir: Path | str,
        patience: float = PATIENCE,
        step: float = OPEN_TIMEOUT,
        on_wait: Callable[[float, float], None] | None = None,
        write_timeout: float = WRITE_TIMEOUT,
    ) -> Store:
        """`open`, retried while the file is locked, for up to `patience` seconds. Blocks: call
        it from a worker thread in a UI. After each wait of `step` seconds that ended locked,
        `on_wait(waited, patience)` is called (show progress there; raise from it to give up).
        Raises the last `StoreBusy` when patience runs out; other errors at once."""
        started = time.monotonic()
        while True:
            waited = time.monotonic() - started
            try:
                return cls.open(
                    data_dir,
                    timeout=max(0.05, min(step, patience - waited)),
                    write_timeout=write_timeout,
                )
            except StoreBusy as exc:
                waited = time.monotonic() - started
                if waited >= patience:
                    raise StoreBusy(
                        _busy_message(Path(data_dir) / DB_NAME, waited), waited
                    ) from exc
                if on_wait is not None:
                    on_wait(waited, patience)

    @classmethod
    def _connect(cls, path: Path, timeout: float) -> sqlite3.Connection:
        """A checked connection. Nothing is written: the file may be damaged, or from a
        newer version."""
        connection = sqlite3.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            problems = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
        except sqlite3.Error as exc:
            connection.close()
            if _code(exc) in (_CORRUPT, _NOTADB):
                raise _Damaged(" ".join(str(exc).split())) from None
            raise
        if problems != ["ok"]:
            connection.close()
            first = " ".join(problems[0].split()) if problems else "quick_check gave no answer"
            raise _Damaged(first if len(first) <= 120 else first[:117] + "...")
        if version > SCHEMA_VERSION:
            connection.close()  # before any PRAGMA that would write to the file
            raise StoreError(
                f"{path} was written by a newer sre-trainer (schema {version}; this version "
                f"knows {SCHEMA_VERSION}). Upgrade sre-trainer, or use --data-dir for another "
                "database. The file was not changed."
            )
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        return connection

    @classmethod
    def _connect_or_explain(cls, path: Path, timeout: float, started: float):
        try:
            return cls._connect(path, timeout)
        except sqlite3.Error as exc:
            raise _unavailable(path, exc, timeout, time.monotonic() - started) from None
        except _Damaged as exc:  # the fresh file: only a failing disk does this
            raise StoreUnavailable(f"cannot start a new {path}: {exc}") from None

    def _recover_from(self, aside: Path, how: str) -> str:
        """Copy what can still be read from the damaged file; the notice telling the user."""
        from trainer.store.salvage import salvage

        copied = salvage(aside, self)
        return (
            f"{self.path} was damaged ({how}); it was kept as {aside.name}, a new progress "
            f"file was started and {copied} record(s) that could still be read were copied "
            "into it."
        )

    def _write_ahead_log(self) -> None:
        """WAL mode: readers never wait for a writer, so two instances can share the file."""
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as exc:
            raise self._write_error(exc) from exc

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > 0:
            self._backup(f".v{version}.bak")
        with self._tx():
            # Re-read under the write lock: another instance may have migrated meanwhile.
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for step in MIGRATIONS[version:]:
                step(self.db)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _backup(self, suffix: str) -> None:
        """A private copy of the file before a migration (kept if one is already there)."""
        target_path = self.path.with_name(self.path.name + suffix)
        try:
            os.close(create_private_file(target_path))
        except FileExistsError:
            return
        except OSError as exc:
            raise StoreWriteError(f"cannot write {target_path}: {_os_cause(exc)}") from None
        target = sqlite3.connect(target_path)
        try:
            with target:
                self.db.backup(target)
        except sqlite3.Error as exc:
            target.close()
            target_path.unlink(missing_ok=True)
            raise StoreWriteError(_write_message(self.path, exc)) from exc
        target.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or (StoreWriteError) none of it."""
        with self._lock:
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._write_error(exc) from exc
            try:
                yield self.db
                self.db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                if _code(exc) not in _WRITE_FAILURES:
                    raise  # a programming error (constraint, SQL), not the disk
                raise self._write_error(exc) from exc
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self.db.in_transaction:
            # SQLite may have rolled back already (it does on a full disk or an I/O error).
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def _write_error(self, exc: sqlite3.Error) -> StoreWriteError:
        return StoreWriteError(_write_message(self.path, exc))

    def close(self) -> None:
        with self._lock:
            self.db.close()

    # -- sessions --------------------------------------------------------------------------
    def start_session(self, mode: str, when: datetime | None = None) -> int:
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO sessions(mode, started_at) VALUES (?, ?)",
                (mode, iso(when or now_utc())),
            )
            return inserted_id(cursor)

    def end_session(self, session_id: int, summary: dict, when: datetime | None = None) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE sessions SET ended_at = ?, summary = ? WHERE id = ?",
                (iso(when or now_utc()), json.dumps(summary), session_id),
            )

    def last_session(self) -> dict | None:
        """The session of any mode that ended last: a quiz, flashcards, drills, or a finished
        mock (its summary: the overall score, verdict and questions answered)."""
        row = self.db.execute(
            "SELECT mode, started_at, ended_at, summary FROM sessions WHERE ended_at IS NOT NULL "
            "ORDER BY ended_at DESC, id DESC LIMIT 1"
        ).fetchone()
        session = None
        if row is not None:
            session = {
                "mode": row[0],
                "started_at": row[1],
                "ended_at": row[2],
                "summary": json.loads(row[3] or "{}"),
            }
        mocks = self.mock_results(limit=1, newest_first=True)
        if mocks and (session is None or mocks[0]["ended_at"] >= session["ended_at"]):
            mock = mocks[0]
            return {
                "mode": "mock",
                "started_at": mock["started_at"],
                "ended_at": mock["ended_at"],
                "summary": {
                    "mode": "mock",
                    "overall": mock["score"],
                    "verdict": mock["verdict"],
                    "answered": mock["answered"],
                    "questions": mock["questions"],
                    "practice": mock["practice"],
                },
            }
        return session

    # -- attempts --------------------------------------------------------------------------
    def record_attempt(
        self,
        card_id: str,
        mode: str,
        answer: str,
        score: int,
        matched: list[str],
        missed: list[str],
        red_flags: Sequence[str] = (),
        rating: int | None = None,
        session_id: int | None = None,
        when: datetime | None = None,
        practice: str | None = None,
    ) -> int:
        """Store one graded answer and update the counters, in one committed transaction.
        `practice` ('retry', 'points') keeps it out of the averages, scores and point counts:
        it is stored and shown, and counts as a day of study."""
        moment = when or now_utc()
        created = iso(moment)
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO attempts(session_id, card_id, mode, answer, score, matched, missed, "
                "red_flags, rating, created_at, practice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    card_id,
                    mode,
                    answer,
                    score,
                    json.dumps(list(matched)),
                    json.dumps(list(missed)),
                    json.dumps(list(red_flags)),
                    rating,
                    created,
                    practice,
                ),
            )
            day = local_day(moment)
            if practice is not None:
                db.execute(
                    "INSERT INTO days(day, practice) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET "
                    "practice = practice + 1",
                    (day,),
                )
            else:
                self._count_attempt(db, card_id, mode, score, matched, missed, created, day)
            return inserted_id(cursor)

    @staticmethod
    def _count_attempt(db, card_id, mode, score, matched, missed, created, day) -> None:
        if mode == "mock":
            db.execute(
                "INSERT INTO days(day, mock_attempts, mock_score_sum) VALUES (?, 1, ?) ON "
                "CONFLICT(day) DO UPDATE SET mock_attempts = mock_attempts + 1, "
                "mock_score_sum = mock_score_sum + excluded.mock_score_sum",
                (day, score),
            )
        else:
            db.execute(
                "INSERT INTO days(day, attempts, score_sum) VALUES (?, 1, ?) ON CONFLICT(day) DO "
                "UPDATE SET attempts = attempts + 1, score_sum = score_sum + excluded.score_sum",
                (day, score),
            )
        db.execute(
            "INSERT INTO card_scores(card_id, attempts, score_sum, best_score, last_score, last_at)"
            " VALUES (?, 1, ?, ?, ?, ?) ON CONFLICT(card_id) DO UPDATE SET attempts = attempts + 1,"
            " score_sum = score_sum + excluded.score_sum, best_score = max(best_score, "
            "excluded.best_score), last_score = excluded.last_score, last_at = excluded.last_at",
            (card_id, score, score, score, created),
        )
        for point in matched:
            count_point(db, card_id, point, False, created)
        for point in missed:
            count_point(db, card_id, point, True, created)

    def replace_attempt(self, attempt_id: int, answer: str, score: int, rating: int | None) -> None:
        """Replace the answer, score and rating of a stored attempt, keeping the day and card
        counters true (a drill checked again in one session stays one attempt). Point
        counters are left alone: drills record no rubric points."""
        with self._tx() as db:
            row = db.execute(
                "SELECT card_id, score, created_at FROM attempts WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no attempt {attempt_id}")
            card_id, old_score, created = row
            db.execute(
                "UPDATE attempts SET answer = ?, score = ?, rating = ? WHERE id = ?",
                (answer, score, rating, attempt_id),
            )
            day = local_day(datetime.fromisoformat(created))
            db.execute(
                "UPDATE days SET score_sum = score_sum + ? WHERE day = ?", (score - old_score, day)
            )
            totals = db.execute(
                "SELECT count(*), sum(score), max(score) FROM attempts WHERE card_id = ?",
                (card_id,),
            ).fetchone()
            last = db.execute(
                "SELECT score, created_at FROM attempts WHERE card_id = ? ORDER BY id DESC LIMIT 1",
                (card_id,),
            ).fetchone()
            db.execute(
                "UPDATE card_scores SET attempts = ?, score_sum = ?, best_score = ?, "
                "last_score = ?, last_at = ? WHERE card_id = ?",
                (*totals, *last, card_id),
            )

    def set_attempt_rating(self, attempt_id: int, rating: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE attempts SET rating = ? WHERE id = ?", (rating, attempt_id))

    def attempts(self, card_id: str | None = None) -> list[Attempt]:
        sql = (
            "SELECT id, card_id, mode, answer, score, matched, missed, red_flags, rating, "
            "created_at, session_id, practice FROM attempts"
        )
        params: tuple = ()
        if card_id is not None:
            sql += " WHERE card_id = ?"
            params = (card_id,)
        rows = self.db.execute(sql + " ORDER BY id", params).fetchall()
        return [
            Attempt(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                json.loads(r[5]),
                json.loads(r[6]),
                json.loads(r[7]),
                r[8],
                r[9],
                r[10],
                r[11],
            )
            for r in rows
        ]

    def iter_attempt_rows(self) -> Iterator[tuple]:
        """(id, created_at, card_id, mode, practice, score, rating, matched, missed, red_flags,
        answer, session_id) of every attempt, oldest first; the lists as JSON text."""
        yield from self.db.execute(
            "SELECT id, created_at, card_id, mode, practice, score, rating, matched, missed, "
            "red_flags, answer, session_id FROM attempts ORDER BY id"
        )

    def iter_review_rows(self) -> Iterator[tuple]:
        """(id, reviewed_at, card_id, rating, mode, session_id) of every review, oldest first
        (the mode of the session it was made in, if any)."""
        yield from self.db.execute(
            "SELECT r.id, r.reviewed_at, r.card_id, r.rating, s.mode, r.session_id FROM reviews r "
            "LEFT JOIN sessions s ON s.id = r.session_id ORDER BY r.id"
        )

    def reviews(self, card_id: str) -> list[dict]:
        """A card's reviews, oldest first: when, the rating, the mode it was made in, and the
        interval it gave (the due date it set is in the next review's `previous`)."""
        rows = self.db.execute(
            "SELECT r.id, r.reviewed_at, r.rating, s.mode FROM reviews r LEFT JOIN sessions s "
            "ON s.id = r.session_id WHERE r.card_id = ? ORDER BY r.id",
            (card_id,),
        ).fetchall()
        return [{"id": r[0], "reviewed_at": r[1], "rating": r[2], "mode": r[3]} for r in rows]

    # -- scenarios -------------------------------------------------------------------------
    def record_scenario(
        self,
        scenario_id: str,
        score: int,
        root_cause_correct: bool,
        mitigated: bool,
        minutes: int | None,
        path: list[str],
        writeup: str,
        breakdown: list[dict],
        when: datetime | None = None,
    ) -> int:
        moment = when or now_utc()
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO scenario_results(scenario_id, score, root_cause_correct, mitigated, "
                "minutes, path, writeup, breakdown, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    scenario_id,
                    score,
                    int(root_cause_correct),
                    int(mitigated),
                    minutes,
                    json.dumps(path),
                    writeup,
                    json.dumps(breakdown),
                    iso(moment),
                ),
            )
            db.execute(
                "INSERT INTO days(day, scenarios) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET "
                "scenarios = scenarios + 1",
                (local_day(moment),),
            )
            return inserted_id(cursor)

    def scenario_bests(self) -> dict[str, tuple[int, int]]:
        """scenario id -> (best score, times played)."""
        rows = self.db.execute(
            "SELECT scenario_id, max(score), count(*) FROM scenario_results GROUP BY scenario_id"
        ).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    # -- scenario runs in progress ---------------------------------------------------------
    def save_scenario_run(
        self, run_id: int | None, scenario_id: str, state: dict, when: datetime | None = None
    ) -> int:
        """Insert a running scenario's state, or replace it (by id); the run's id."""
        moment = iso(when or now_utc())
        with self._tx() as db:
            if run_id is not None:
                updated = db.execute(
                    "UPDATE scenario_runs SET state = ?, updated_at = ? WHERE id = ? "
                    "AND status = 'running'",
                    (json.dumps(state), moment, run_id),
                )
                if updated.rowcount:
                    return run_id
            cursor = db.execute(
                "INSERT INTO scenario_runs(scenario_id, status, state, started_at, updated_at) "
                "VALUES (?, 'running', ?, ?, ?)",
                (scenario_id, json.dumps(state), moment, moment),
            )
            return inserted_id(cursor)

    def end_scenario_run(
        self,
        run_id: int,
        status: str,
        result_id: int | None = None,
        when: datetime | None = None,
    ) -> None:
        """Close a run: `finished` (scored; `result_id` its scenario_results row) or
        `abandoned` (left on purpose)."""
        with self._tx() as db:
            db.execute(
                "UPDATE scenario_runs SET status = ?, result_id = ?, updated_at = ? WHERE id = ?",
                (status, result_id, iso(when or now_utc()), run_id),
            )

    def scenario_run(self, run_id: int) -> dict | None:
        rows = self._scenario_runs("WHERE id = ?", (run_id,))
        return rows[0] if rows else None

    def unfinished_scenario_runs(self) -> list[dict]:
        """Runs left running (quit, Esc without finishing, a crash), newest first."""
        return self._scenario_runs("WHERE status = 'running' ORDER BY updated_at DESC, id DESC")

    def _scenario_runs(self, where: str, args: tuple = ()) -> list[dict]:
        rows = self.db.execute(
            "SELECT id, scenario_id, status, state, started_at, updated_at, result_id "
            f"FROM scenario_runs {where}",
            args,
        ).fetchall()
        out = []
        for row in rows:
            try:
                state = json.loads(row[3])
            except ValueError:
                state = None  # a damaged row: shown, not restorable
            out.append(
                {
                    "id": row[0],
                    "scenario_id": row[1],
                    "status": row[2],
                    "state": state,
                    "started_at": row[4],
                    "updated_at": row[5],
                    "result_id": row[6],
                }
            )
        return out

    # -- mock interviews -------------------------------------------------------------------
    def start_mock(self, config: dict, when: datetime | None = None) -> int:
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO mocks(status, config, started_at) VALUES ('running', ?, ?)",
                (json.dumps(config), iso(when or now_utc())),
            )
            return inserted_id(cursor)

    def record_mock_answer(
        self,
        mock_id: int,
        position: int,
        card_id: str,
        answer: str,
        score: int,
        seconds: float,
        outcome: str,
        missed: list[str],
        attempt_id: int | None,
        when: datetime | None = None,
        self_graded: bool = False,
        follow_up_plan: Sequence[dict] = (),
    ) -> None:
        """A mock's answer to its question at `position`, and the follow-ups it earned; the
        question's clock checkpoint is cleared with it."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO mock_answers(mock_id, position, card_id, answer, score, "
                "seconds, outcome, missed, attempt_id, created_at, self_graded, follow_up_plan) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    mock_id,
                    position,
                    card_id,
                    answer,
                    score,
                    seconds,
                    outcome,
                    json.dumps(missed),
                    attempt_id,
                    iso(when or now_utc()),
                    int(self_graded),
                    json.dumps(list(follow_up_plan)),
                ),
            )
            db.execute("UPDATE mocks SET progress = NULL WHERE id = ?", (mock_id,))

    def record_mock_follow_up(
        self,
        mock_id: int,
        position: int,
        number: int,
        card_id: str,
        point: str,
        prompt: str,
        kind: str,
        answer: str,
        score: int,
        seconds: float,
        outcome: str,
        self_graded: bool = False,
        when: datetime | None = None,
    ) -> None:
        """The answer to a follow-up (`number` from 0) on the question at `position`."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO mock_follow_ups(mock_id, position, number, card_id, point, "
                "prompt, kind, answer, score, seconds, outcome, self_graded, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    mock_id,
                    position,
                    number,
                    card_id,
                    point,
                    prompt,
                    kind,
                    answer,
                    score,
                    seconds,
                    outcome,
                    int(self_graded),
                    iso(when or now_utc()),
                ),
            )
            db.execute("UPDATE mocks SET progress = NULL WHERE id = ?", (mock_id,))

    def mock_answers(self, mock_id: int) -> list[dict]:
        rows = self.db.execute(
            "SELECT position, card_id, answer, score, seconds, outcome, missed, self_graded, "
            "follow_up_plan FROM mock_answers WHERE mock_id = ? ORDER BY position",
            (mock_id,),
        ).fetchall()
        return [
            {
                "position": r[0],
                "card_id": r[1],
                "answer": r[2],
                "score": r[3],
                "seconds": r[4],
                "outcome": r[5],
                "missed": json.loads(r[6]),
                "self_graded": bool(r[7]),
                "follow_up_plan": _json_list(r[8]),
            }
            for r in rows
        ]

    def mock_follow_ups(self, mock_id: int) -> dict[int, list[dict]]:
        """The follow-ups answered in a mock, by the position of their question, in order."""
        rows = self.db.execute(
            "SELECT position, number, card_id, point, prompt, kind, answer, score, seconds, "
            "outcome, self_graded FROM mock_follow_ups WHERE mock_id = ? ORDER BY position, number",
            (mock_id,),
        ).fetchall()
        out: dict[int, list[dict]] = {}
        for r in rows:
            out.setdefault(r[0], []).append(
                {
                    "number": r[1],
                    "card_id": r[2],
                    "point": r[3],
                    "prompt": r[4],
                    "kind": r[5],
                    "answer": r[6],
                    "score": r[7],
                    "seconds": r[8],
                    "outcome": r[9],
                    "self_graded": bool(r[10]),
                }
            )
        return out

    def set_mock_progress(self, mock_id: int, progress: dict | None) -> None:
        """What a running mock is asking and the seconds it has used (None: nothing)."""
        with self._tx() as db:
            db.execute(
                "UPDATE mocks SET progress = ? WHERE id = ? AND status = 'running'",
                (json.dumps(progress) if progress is not None else None, mock_id),
            )

    def end_mock(
        self, mock_id: int, status: str, report: dict | None, when: datetime | None = None
    ) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE mocks SET status = ?, report = ?, ended_at = ?, progress = NULL "
                "WHERE id = ?",
                (
                    status,
                    json.dumps(report) if report is not None else None,
                    iso(when or now_utc()),
                    mock_id,
                ),
            )

    def unfinished_mock(self) -> dict | None:
        """The latest mock left running (quit, Ctrl-C or a crash): resumable."""
        row = self.db.execute(
            "SELECT id, config, started_at, progress FROM mocks WHERE status = 'running' "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        progress = _json_dict(row[3])
        return {
            "id": row[0],
            "config": json.loads(row[1]),
            "started_at": row[2],
            "answered": len(self.mock_answers(row[0])),
            "progress": progress,
        }

    def mock_results(self, limit: int | None = None, newest_first: bool = False) -> list[dict]:
        """Finished mocks, oldest first (or newest first), read defensively (older reports lack
        the newer keys): id, started_at, ended_at, score, verdict, questions, answered,
        practice, categories (name -> score), settings, time_used, time_allowed, follow_ups,
        follow_up_score. A report that cannot be read is left out."""
        sql = (
            "SELECT id, config, report, started_at, ended_at FROM mocks WHERE status = 'complete' "
            f"ORDER BY id {'DESC' if newest_first else 'ASC'}"
        )
        args: tuple = ()
        if limit is not None:
            sql += " LIMIT ?"
            args = (limit,)
        out = []
        for mock_id, config_text, report_text, started_at, ended_at in self.db.execute(sql, args):
            result = _mock_result(mock_id, config_text, report_text, started_at, ended_at)
            if result is not None:
                out.append(result)
        return out

    def mock_report(self, mock_id: int | None = None) -> dict | None:
        """The stored report of a finished mock (the latest when no id is given)."""
        if mock_id is None:
            row = self.db.execute(
                "SELECT report FROM mocks WHERE status = 'complete' ORDER BY id DESC LIMIT 1"
            ).fetchone()
        else:
            row = self.db.execute(
                "SELECT report FROM mocks WHERE status = 'complete' AND id = ?", (mock_id,)
            ).fetchone()
        return _json_dict(row[0]) if row else None

    # -- schedule --------------------------------------------------------------------------
    def schedule_row(self, card_id: str) -> dict | None:
        row = self.db.execute(
            "SELECT fsrs, due, introduced_on, lapses, reviews FROM schedule WHERE card_id = ?",
            (card_id,),
        ).fetchone()
        if row is None:
            return None
        return {
            "fsrs": json.loads(row[0]),
            "due": row[1],
            "introduced_on": row[2],
            "lapses": row[3],
            "reviews": row[4],
        }

    def schedule_rows(self) -> dict[str, dict]:
        rows = self.db.execute(
            "SELECT card_id, fsrs, due, introduced_on, lapses, reviews FROM schedule"
        ).fetchall()
        return {
            r[0]: {
                "fsrs": json.loads(r[1]),
                "due": r[2],
                "introduced_on": r[3],
                "lapses": r[4],
                "reviews": r[5],
            }
            for r in rows
        }

    def save_review(
        self,
        card_id: str,
        rating: int,
        fsrs_card: dict,
        due: str,
        lapse: bool,
        when: datetime,
        session_id: int | None = None,
        mode: str | None = None,
    ) -> int:
        """Store a review and the card's new schedule; keep the old one for undo. `mode` (the
        session's) is kept as what introduced a card reviewed for the first time."""
        stamp, day = iso(when), local_day(when)
        with self._tx() as db:
            # Read under the write lock, so another instance's review cannot slip in between.
            previous = self.schedule_row(card_id)
            cursor = db.execute(
                "INSERT INTO reviews(card_id, rating, reviewed_at, previous, session_id) "
                "VALUES (?, ?, ?, ?, ?)",
                (card_id, rating, stamp, json.dumps(previous) if previous else None, session_id),
            )
            db.execute(
                "INSERT INTO schedule(card_id, fsrs, due, introduced_on, lapses, reviews, "
                "introduced_by) VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT(card_id) DO UPDATE SET "
                "fsrs = excluded.fsrs, due = excluded.due, lapses = lapses + excluded.lapses, "
                "reviews = reviews + 1",
                (card_id, json.dumps(fsrs_card), due, day, int(lapse), mode),
            )
            db.execute(
                "INSERT INTO days(day, reviews) VALUES (?, 1) ON CONFLICT(day) DO UPDATE SET "
                "reviews = reviews + 1",
                (day,),
            )
            return inserted_id(cursor)

    def undo_review(self, review_id: int) -> str | None:
        """Put the card's schedule back as it was before this review; the card id, or None."""
        with self._tx() as db:
            row = db.execute(
                "SELECT card_id, previous, reviewed_at FROM reviews WHERE id = ?", (review_id,)
            ).fetchone()
            if row is None:
                return None
            card_id, previous, reviewed_at = row
            if previous is None:
                db.execute("DELETE FROM schedule WHERE card_id = ?", (card_id,))
            else:
                old = json.loads(previous)
                db.execute(
                    "UPDATE schedule SET fsrs = ?, due = ?, lapses = ?, reviews = ? "
                    "WHERE card_id = ?",
                    (json.dumps(old["fsrs"]), old["due"], old["lapses"], old["reviews"], card_id),
                )
            db.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            day = local_day(datetime.fromisoformat(reviewed_at))
            db.execute("UPDATE days SET reviews = max(0, reviews - 1) WHERE day = ?", (day,))
            return card_id

    def introduced_on(self, day: str) -> int:
        """Cards the flashcards introduced that day: the flashcards' new-card allowance (a quiz
        that schedules a new card does not use it up; drills are scheduled apart, under
        `drill:` ids; a card from before version 7 whose first review had no session counts)."""
        return self.db.execute(
            "SELECT count(*) FROM schedule WHERE introduced_on = ? AND card_id NOT LIKE 'drill:%' "
            "AND (introduced_by IS NULL OR introduced_by = 'flashcards')",
            (day,),
        ).fetchone()[0]

    def reset_card(self, card_id: str) -> bool:
        """Forget a card's schedule (it is new again; its answers and reviews stay as history).
        True if it had one."""
        with self._tx() as db:
            return db.execute("DELETE FROM schedule WHERE card_id = ?", (card_id,)).rowcount > 0

    # -- the card browser: flags and personal notes ----------------------------------------
    def card_flags(self) -> dict[str, dict]:
        """card_id -> {"suspended": bool, "buried_until": ISO time or None}."""
        rows = self.db.execute("SELECT card_id, suspended, buried_until FROM card_flags")
        return {r[0]: {"suspended": bool(r[1]), "buried_until": r[2]} for r in rows}

    def suspended_ids(self) -> set[str]:
        """The cards suspended (left out of reviews, quizzes and cram)."""
        return {r[0] for r in self.db.execute("SELECT card_id FROM card_flags WHERE suspended")}

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO card_flags(card_id, suspended) VALUES (?, ?) ON CONFLICT(card_id) "
                "DO UPDATE SET suspended = excluded.suspended",
                (card_id, int(suspended)),
            )

    def set_buried_until(self, card_id: str, until: datetime | None) -> None:
        """Keep the card out of the flashcards until `until` (None: unbury)."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO card_flags(card_id, buried_until) VALUES (?, ?) ON CONFLICT(card_id) "
                "DO UPDATE SET buried_until = excluded.buried_until",
                (card_id, iso(until) if until else None),
            )

    def card_notes(self) -> dict[str, dict]:
        """card_id -> {"text", "updated_at"}: the learner's own words on each card."""
        rows = self.db.execute("SELECT card_id, text, updated_at FROM card_notes")
        return {r[0]: {"text": r[1], "updated_at": r[2]} for r in rows}

    def card_note(self, card_id: str) -> str:
        row = self.db.execute(
            "SELECT text FROM card_notes WHERE card_id = ?", (card_id,)
        ).fetchone()
        return row[0] if row else ""

    def set_card_note(self, card_id: str, text: str, when: datetime | None = None) -> None:
        """Save the learner's note on a card (blank text deletes it)."""
        with self._tx() as db:
            if not text.strip():
                db.execute("DELETE FROM card_notes WHERE card_id = ?", (card_id,))
                return
            db.execute(
                "INSERT INTO card_notes(card_id, text, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(card_id) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (card_id, text, iso(when or now_utc())),
            )

    # -- settings --------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                "SET value = excluded.value",
                (key, value),
            )

    # -- counters for stats ----------------------------------------------------------------
    def days(self) -> list[DayRow]:
        """Every day with activity, oldest first."""
        rows = self.db.execute(
            "SELECT day, attempts, score_sum, reviews, scenarios, mock_attempts, mock_score_sum, "
            "practice FROM days ORDER BY day"
        ).fetchall()
        return [DayRow(*row) for row in rows]

    def missed_points(self) -> list[tuple[str, str, int, int, str | None]]:
        """(card_id, point, missed, seen, last_missed) of every point missed at least once."""
        return self.db.execute(
            "SELECT card_id, point, missed, seen, last_missed FROM point_misses WHERE missed > 0"
        ).fetchall()

    def most_missed(self, limit: int = 10) -> list[tuple[str, str, int, int]]:
        """(card_id, point, missed, seen), most missed first."""
        return self.db.execute(
            "SELECT card_id, point, missed, seen FROM point_misses WHERE missed > 0 "
            "ORDER BY missed DESC, missed * 1.0 / seen DESC, last_missed DESC LIMIT ?",
            (limit,),
        ).fetchall()

    def card_scores(self) -> dict[str, tuple[int, int, int, int]]:
        """card_id -> (attempts, score_sum, best, last)."""
        rows = self.db.execute(
            "SELECT card_id, attempts, score_sum, best_score, last_score FROM card_scores"
        ).fetchall()
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}

    def leeches(self, min_lapses: int) -> list[tuple[str, int]]:
        return self.db.execute(
            "SELECT card_id, lapses FROM schedule WHERE lapses >= ? ORDER BY lapses DESC",
            (min_lapses,),
        ).fetchall()

    def mock_answer_count(self) -> int:
        """Answers given in mock interviews, ever (counted apart from quiz answers)."""
        return self.db.execute("SELECT coalesce(sum(mock_attempts), 0) FROM days").fetchone()[0]

    def totals(self) -> tuple[int, int]:
        """(attempts, reviews) ever: quiz and drill answers (not mock answers, not practice)."""
        row = self.db.execute(
            "SELECT coalesce(sum(attempts), 0), coalesce(sum(reviews), 0) FROM days"
        ).fetchone()
        return row[0], row[1]


def _mock_result(
    mock_id: int, config_text: str, report_text: str | None, started_at: str, ended_at: str | None
) -> dict | None:
    """One finished mock as plain data, from its stored config and report (None if the report
    is unreadable). Keys the report lacks (older versions) come from the config or are None."""
    try:
        report = json.loads(report_text or "null")
        config = json.loads(config_text or "{}")
    except ValueError:
        return None
    if not isinstance(report, dict) or not isinstance(config, dict):
        return None
    score = report.get("overall")
    if not isinstance(score, int | float):
        return None

    def part(key: str, kind: type) -> Any:
        value = report.get(key)
        return value if isinstance(value, kind) else kind()

    questions: list = part("questions", list)
    questions = [q for q in questions if isinstance(q, dict)]
    # Answered: typed and submitted, or typed when the time ran out (an empty time-out scores 0).
    answered = sum(
        1
        for q in questions
        if q.get("outcome") == "answered" or (q.get("outcome") == "timeout" and q.get("score"))
    )
    categories: dict = part("categories", dict)
    follow_ups: list = part("follow_ups", list)
    report_config: dict = part("config", dict)
    seconds = sum(
        q.get("seconds", 0) for q in questions if isinstance(q.get("seconds", 0), int | float)
    )
    return {
        "id": mock_id,
        "started_at": report.get("started_at") or started_at,
        "ended_at": report.get("ended_at") or ended_at,
        "score": score,
        "verdict": report.get("verdict"),
        "practice": bool(report.get("practice", config.get("practice", False))),
        "questions": len(questions),
        "answered": answered,
        "categories": {str(k): v for k, v in categories.items() if isinstance(v, int | float)},
        "settings": {
            "questions": config.get("questions", report_config.get("questions")),
            "categories": list(config.get("categories") or ()),
            "seconds_per_question": config.get(
                "seconds_per_question", report_config.get("seconds_per_question")
            ),
            "total_seconds": report_config.get("total_seconds", config.get("total_seconds")),
            "scenario": config.get("scenario"),
            "seed": config.get("seed"),
        },
        "time_used": report.get("time_used", round(seconds)),
        "time_allowed": report.get("time_allowed", report_config.get("total_seconds")),
        "follow_ups": [f for f in follow_ups if isinstance(f, dict)],
        "follow_up_score": report.get("follow_up_score"),
    }


def _json_dict(text: str | None) -> dict | None:
    """A JSON object stored by this program, or None (missing, or not an object)."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _json_list(text: str | None) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _move_damaged(path: Path, how: str) -> Path:
    try:
        return _move_aside(path)
    except OSError as exc:
        raise StoreUnavailable(
            f"{path} is damaged ({how}) and cannot be moved aside: {_os_cause(exc)}"
        ) from None


def _move_aside(path: Path) -> Path:
    """Rename the file (and its -wal and -shm) to `NAME.corrupt-STAMP`; the new name."""
    stamp = now_utc().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while aside.exists() or aside.is_symlink():
        number += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            os.replace(sidecar, aside.with_name(aside.name + suffix))
    return aside


def _create_private(path: Path) -> None:
    """Create the file empty (a valid empty database) and 0600 before SQLite does, so it and
    its -wal and -shm (SQLite gives those the file's mode) are private."""
    try:
        os.close(create_private_file(path))
    except FileExistsError:
        pass
    except OSError as exc:
        cause = _cause(path, None, fallback=_os_cause(exc))
        raise StoreUnavailable(f"cannot open {path}: {cause}. The file was not changed.") from None


def _check_writable(path: Path) -> None:
    """SQLite opens a read-only file read-only without a word, and then every save fails:
    say so now, before anything is shown or typed."""
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise StoreUnavailable(
            f"cannot open {path}: {_cause(path, None)}. The file was not changed."
        )


def _code(exc: BaseException | None) -> int:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF


def _os_cause(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def _cause(path: Path, exc: BaseException | None, fallback: str = "") -> str:
    """Why SQLite could not use the file, in a few plain words (it only says "unable to open
    database file" for most of these, so the file and folder are looked at)."""
    code = _code(exc)
    if code == _FULL:
        return "the disk is full"
    folder = path.parent
    if not os.access(folder, os.R_OK | os.X_OK):
        return "permission denied on its folder"
    kind = _kind(path)
    if kind == "folder":
        return "it is a folder, not a file"
    if kind == "file" and not os.access(path, os.R_OK):
        return "permission denied (the file cannot be read)"
    if exc is None or code in (_READONLY, _CANTOPEN, _PERM, _IOERR):
        if kind == "file" and not os.access(path, os.W_OK):
            return "the file is read-only"
        if not os.access(folder, os.W_OK):
            return "the folder is read-only (SQLite needs to create files beside it)"
        try:
            if os.statvfs(folder).f_bavail == 0:
                return "the disk is full"
        except OSError:
            pass
    if code == _READONLY:
        return "it is read-only"
    return fallback or f"SQLite: {exc}"


def _kind(path: Path) -> str:
    """'file', 'folder', 'other' or 'missing', without raising on a permission."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "missing"
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def _busy_message(path: Path, waited: float) -> str:
    return (
        f"cannot open {path}: another sre-trainer (or another program) has kept it locked for "
        f"{waited:.1f} s; close it and try again. The file was not changed."
    )


def _unavailable(
    path: Path, exc: BaseException | None, timeout: float, waited: float
) -> StoreUnavailable:
    if _code(exc) in (_BUSY, _LOCKED):
        return StoreBusy(_busy_message(path, max(waited, timeout)), waited)
    return StoreUnavailable(f"cannot open {path}: {_cause(path, exc)}. The file was not changed.")


def _write_message(path: Path, exc: sqlite3.Error) -> str:
    if _code(exc) in (_BUSY, _LOCKED):
        cause = "another sre-trainer (or another program) kept it locked"
    elif _code(exc) in (_CORRUPT, _NOTADB):
        cause = f"the file is damaged ({exc}); restart sre-trainer to recover it"
    else:
        cause = _cause(path, exc)
    return f"could not save to {path}: {cause}. Nothing of this step was saved."
