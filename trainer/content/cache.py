"""A JSON copy of the loaded bank, so commands like `grade` start without parsing YAML.

Plain data only: reading it can never run code. The file name is a hash of the program
version and every content file's path and bytes, so any edit (or a new or removed pack file)
loads the YAML afresh whatever the clocks say; the file's first line is a hash of the rest, so
a flipped byte is noticed. Anything wrong with it (damaged, planted, another shape) is a miss:
the YAML is loaded and the cache rewritten. It lives in a folder private to the user, written
through a new file (O_EXCL, no symlinks followed) renamed into place. `validate` never uses it.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from trainer import __version__, paths
from trainer.content.models import (
    Bank,
    Card,
    KnownWrong,
    LoadError,
    Note,
    NumberCard,
    Query,
    RedFlag,
    RubricPoint,
)
from trainer.private_files import make_private_folder, write_private_file

try:  # the C module itself: `hashlib` would also load OpenSSL (~2 ms, a twentieth of `grade`)
    from _blake2 import blake2b
except ImportError:  # another Python implementation
    from hashlib import blake2b

FORMAT = 6  # a new shape of content: older caches are misses
PREFIX, SUFFIX = "bank-", ".json"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# The payload is ASCII JSON (ensure_ascii), so a control character the loader would have
# stripped can only appear escaped: \u0000-\u001f (but \n and \t), DEL, C1, bidi controls,
# or \b \f \r; an escaped backslash before it ("\\u001b" is text) does not count.
_ESCAPED_CONTROL = re.compile(
    rb"\\(?:[bfr]|u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F]|u202[a-eA-E]|u206[6-9])"
)


class _Invalid(Exception):
    """The cached data is not what this version writes."""


def _content_files(pack_dirs: Iterable[Path], include_user_packs: bool) -> list[Path]:
    folders = [paths.question_bank_dir(), *pack_dirs]
    if include_user_packs:
        folders.append(paths.user_packs_dir())
    files: list[Path] = []
    for folder in folders:
        folder = Path(folder)
        files.append(folder)  # a folder that appears, vanishes or changes kind changes the key
        if folder.is_dir():
            files.extend(p for p in sorted(folder.iterdir()) if p.suffix in (".yaml", ".yml"))
    return files


def _key(files: list[Path]) -> str:
    """A hash of the version and every content file's path and bytes."""
    digest = blake2b(f"{FORMAT}\0{__version__}\0".encode(), digest_size=20)
    for path in files:
        digest.update(os.fsencode(path) + b"\0")
        try:
            if path.is_dir():
                digest.update(b"folder\0")
                continue
            data = path.read_bytes()
            digest.update(f"{len(data)}\0".encode() + data)
        except OSError as exc:
            digest.update(f"unreadable {exc.errno}\0".encode())
    return digest.hexdigest()


def cache_dir() -> Path:
    home = paths.home_override()
    if home is not None:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(paths.APP_NAME))


def load_bank_cached(pack_dirs: Iterable[Path] = (), include_user_packs: bool = True) -> Bank:
    """The same bank `load_bank` gives, from the cache when no content file has changed."""
    pack_dirs = [Path(p) for p in pack_dirs]
    folder = cache_dir()
    target = folder / f"{PREFIX}{_key(_content_files(pack_dirs, include_user_packs))}{SUFFIX}"
    bank = _read(target)
    if bank is not None:
        return bank
    from trainer.content.loader import load_bank

    bank = load_bank(pack_dirs=pack_dirs, include_user_packs=include_user_packs)
    _write(target, bank)
    return bank


# -- reading: any problem is a miss ---------------------------------------------------------
def _read(target: Path) -> Bank | None:
    if not _private(target.parent):
        return None
    try:
        descriptor = os.open(target, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None  # no cache yet (or a link planted in its place)
    try:
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            checksum, _, payload = handle.read().partition(b"\n")
        if checksum.decode("ascii", "replace") != blake2b(payload, digest_size=20).hexdigest():
            return None
        if not payload.isascii() or _has_escaped_control(payload):
            return None  # the loader strips these: this file was not written by it
        return _bank(json.loads(payload, parse_constant=_no_constant))
    except (OSError, ValueError, _Invalid, RecursionError):
        return None


def _has_escaped_control(payload: bytes) -> bool:
    for match in _ESCAPED_CONTROL.finditer(payload):
        start = match.start()
        before = start - len(payload[:start].rstrip(b"\\"))
        if before % 2 == 0:  # not itself an escaped backslash
            return True
    return False


def _private(folder: Path) -> bool:
    """Ours and writable by nobody else: a cache others can write is not read."""
    try:
        info = os.stat(folder)
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and owner_ok and not info.st_mode & 0o022


def _no_constant(name: str):
    raise _Invalid(f"{name} is not a number this cache writes")


def _text(value) -> str:
    if type(value) is not str:
        raise _Invalid("expected text")
    return value


def _optional_text(value) -> str | None:
    return None if value is None else _text(value)


def _texts(value) -> tuple[str, ...]:
    return tuple(_text(item) for item in _list(value))


def _list(value) -> list:
    if type(value) is not list:
        raise _Invalid("expected a list")
    return value


def _fields(value, count: int) -> list:
    value = _list(value)
    if len(value) != count:
        raise _Invalid(f"expected {count} fields")
    return value


def _whole(value) -> int:
    if type(value) is not int:
        raise _Invalid("expected a whole number")
    return value


def _number(value) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise _Invalid("expected a number")
    return float(value)


def _point(value) -> RubricPoint:
    text, weight, phrases, follow_up, gist = _fields(value, 5)
    return RubricPoint(
        _text(text), _whole(weight), _texts(phrases), _optional_text(follow_up), _texts(gist)
    )


def _flag(value) -> RedFlag:
    claim, phrases = _fields(value, 2)
    return RedFlag(_text(claim), _texts(phrases))


def _card(value) -> Card:
    card_id, category, question, answer, tags, rubric, flags, note, source, deck, draft = _fields(
        value, 11
    )
    return Card(
        _text(card_id),
        _text(category),
        _text(question),
        _text(answer),
        _texts(tags),
        tuple(_point(p) for p in _list(rubric)),
        tuple(_flag(f) for f in _list(flags)),
        _optional_text(note),
        _text(source),
        _text(deck),
        _flag_bool(draft),
    )


def _query(value) -> Query:
    (
        query_id,
        group,
        kind,
        measures,
        query,
        threshold,
        note,
        source,
        accepted,
        wrong,
        rubric,
        flags,
        single_series,
    ) = _fields(value, 13)
    return Query(
        _text(query_id),
        _text(group),
        _text(kind),
        _text(measures),
        _text(query),
        _optional_text(threshold),
        _optional_text(note),
        _text(source),
        _texts(accepted),
        tuple(_known_wrong(w) for w in _list(wrong)),
        tuple(_point(p) for p in _list(rubric)),
        tuple(_flag(f) for f in _list(flags)),
        _flag_bool(single_series),
    )


def _known_wrong(value) -> KnownWrong:
    answer, hint, verdict = _fields(value, 3)
    return KnownWrong(_text(answer), _text(hint), _text(verdict))


def _flag_bool(value) -> bool:
    if type(value) is not bool:
        raise _Invalid("expected true or false")
    return value


def _number_card(value) -> NumberCard:
    card_id, question, number, unit, tolerance, explanation, source = _fields(value, 7)
    return NumberCard(
        _text(card_id),
        _text(question),
        _number(number),
        _text(unit),
        _number(tolerance),
        _text(explanation),
        _text(source),
    )


def _note(value) -> Note:
    return Note(*(_text(v) for v in _fields(value, 5)))


def _error(value) -> LoadError:
    path, line, column, field, message = _fields(value, 5)
    return LoadError(_text(path), _whole(line), _whole(column), _text(field), _text(message))


def _by_id(items: list, build) -> dict:
    records = [build(item) for item in _list(items)]
    table = {record.id: record for record in records}
    if len(table) != len(records):
        raise _Invalid("duplicate id")
    return table


def _bank(data) -> Bank:
    """Rebuild the bank, checking every value's type: nothing but plain data is accepted."""
    if type(data) is not dict or data.get("format") != FORMAT:
        raise _Invalid("another format")
    aliases = data.get("aliases")
    if type(aliases) is not dict:
        raise _Invalid("expected aliases")
    bank = Bank(
        cards=_by_id(_list(data.get("cards")), _card),
        queries=_by_id(_list(data.get("queries")), _query),
        numbers=_by_id(_list(data.get("numbers")), _number_card),
        notes=_by_id(_list(data.get("notes")), _note),
        aliases={_text(term): _texts(variants) for term, variants in aliases.items()},
        red_flags=[_flag(f) for f in _list(data.get("red_flags"))],
    )
    bank.errors = [_error(e) for e in _list(data.get("errors"))]
    bank.files = [_text(f) for f in _list(data.get("files"))]
    return bank


# -- writing --------------------------------------------------------------------------------
def _payload(bank: Bank) -> bytes:
    data = {
        "format": FORMAT,
        "cards": list(bank.cards.values()),
        "queries": list(bank.queries.values()),
        "numbers": list(bank.numbers.values()),
        "notes": list(bank.notes.values()),
        "aliases": bank.aliases,
        "red_flags": bank.red_flags,
        "errors": bank.errors,
        "files": bank.files,
    }
    # NamedTuples and tuples are written as lists; every value is text, a number or None.
    return json.dumps(data, separators=(",", ":")).encode("ascii")


def _write(target: Path, bank: Bank) -> None:
    """Write atomically through a new private file; a cache that cannot be written is skipped
    (the next start loads the YAML again)."""
    try:
        folder = make_private_folder(target.parent)
        if not _private(folder):
            return
        payload = _payload(bank)
        checksum = blake2b(payload, digest_size=20).hexdigest().encode()
        for old in folder.iterdir():
            if old.name.startswith(PREFIX) and old != target:
                old.unlink(missing_ok=True)  # earlier caches, and any pickle of old versions
        temporary = folder / f".{target.name}.{os.getpid()}.tmp"
        temporary.unlink(missing_ok=True)  # a leftover of ours (or a planted link: not followed)
        write_private_file(temporary, checksum + b"\n" + payload)
        os.replace(temporary, target)
    except (OSError, ValueError):
        pass
