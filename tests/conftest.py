"""Shared fixtures: every test gets its own data/config home, so no developer files are read."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("SRE_TRAINER_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def bank():
    from trainer.content.loader import load_bank

    os.environ.pop("SRE_TRAINER_HOME", None)
    loaded = load_bank(include_user_packs=False)
    assert not loaded.errors, loaded.errors
    return loaded


@pytest.fixture
def clock():
    from helpers import Clock

    return Clock()


@pytest.fixture
def store(tmp_path):
    from trainer.store.db import Store

    return Store.open(tmp_path / "data")
