"""Where the built-in content, user packs and the progress database live."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "sre-trainer"
HOME_ENV = "SRE_TRAINER_HOME"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    """A built-in data folder: inside the installed package, else the source checkout."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def question_bank_dir() -> Path:
    return _data_dir("question_bank")


def scenarios_dir() -> Path:
    return _data_dir("scenarios")


def schemas_dir() -> Path:
    """The JSON Schemas of the YAML formats (`sre-trainer schema` prints the same)."""
    return _data_dir("schemas")


def home_override() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def user_config_dir() -> Path:
    """Config folder (holds `packs/`): $SRE_TRAINER_HOME, else the platform's config dir."""
    home = home_override()
    if home is not None:
        return home
    import platformdirs  # ~5 ms; only needed when no override is set

    return Path(platformdirs.user_config_dir(APP_NAME))


def user_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Data folder (holds the progress database): --data-dir, $SRE_TRAINER_HOME, platform dir."""
    if data_dir is not None:
        return Path(data_dir).expanduser()
    home = home_override()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))


def user_packs_dir() -> Path:
    return user_config_dir() / "packs"
