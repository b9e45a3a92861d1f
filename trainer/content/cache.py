"""A pickled copy of the loaded bank, so commands like `grade` start without parsing YAML.

The cache key covers the program version and every content file's path, size and mtime, so
any edit (or a new or removed pack file) loads the YAML afresh. `validate` never uses it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from pathlib import Path

from trainer import __version__, paths
from trainer.content.models import Bank


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
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in files:
        try:
            info = path.stat()
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{path}\0missing\0".encode())
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
    target = cache_dir() / f"bank-{_key(_content_files(pack_dirs, include_user_packs))}.pickle"
    try:
        with target.open("rb") as handle:
            bank = pickle.load(handle)
        if isinstance(bank, Bank):
            return bank
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass  # no cache yet, or one from another version: load the YAML
    from trainer.content.loader import load_bank

    bank = load_bank(pack_dirs=pack_dirs, include_user_packs=include_user_packs)
    _write(target, bank)
    return bank


def _write(target: Path, bank: Bank) -> None:
    """Write atomically; a cache that cannot be written is simply skipped."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob("bank-*.pickle"):
            old.unlink(missing_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(bank, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
    except OSError:
        pass
