"""TUI fixtures: the app built by make_app (as users get it) on a fresh data folder, a fixed
clock, no scheduler fuzzing, UTC, and the built-in bank."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from helpers import Clock

from trainer.tui.app import make_app

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    time.tzset()


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def app_factory(data_dir, clock, bank):
    def build():
        return make_app(data_dir=data_dir, clock=clock, bank=bank, fuzzing=False)

    return build


@pytest.fixture
def app(app_factory):
    return app_factory()
