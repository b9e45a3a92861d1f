"""The base of every screen: a typed `app` (the checker knows `self.app.service`, `.store`,
`.bank`), the one-line notice of a failed write, and finishing by `dismiss` only when the
screen is the one on top (Textual's dismiss pops whatever is on top of the stack)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

from textual import getters
from textual.screen import ModalScreen, Screen

from trainer.store.db import StoreWriteError
from trainer.tui.app import TrainerApp

ResultT = TypeVar("ResultT")

# The study screens' layout: Textual reads it when the first screen naming it opens (absolute,
# as a relative CSS_PATH is taken from each subclass's own file).
SCREENS_CSS = Path(__file__).resolve().parent.parent / "screens.tcss"


class TypedApp:
    """What every screen of the app shares (mixed into Screen and ModalScreen)."""

    HELP_TITLE = ""  # the screen's name in the help (? or F1)
    HELP_KEYS: tuple[tuple[str, str], ...] = ()  # keys its widgets take, worth saying

    def write_failed(self, error: StoreWriteError, kept: str = "") -> None:
        """Say, in one line, that a write failed and what was kept."""
        message = f"Not saved: {error}"
        if kept:
            message += f" {kept}"
        cast(Screen, self).notify(message, severity="error", timeout=10, markup=False)

    def draft_kept(self, written: bool) -> None:
        """After keeping a draft: say once (until a write works again) that it could not be
        written and lives in memory for now."""
        warned = getattr(self, "_draft_warned", False)
        if not written and not warned:
            cast(Screen, self).notify(
                "Draft not saved to disk (it is kept here and retried): check the free space.",
                severity="warning",
                timeout=8,
                markup=False,
            )
        self._draft_warned = not written

    def close(self, result: Any = None) -> bool:
        """Dismiss this screen with `result`, if it is the one on top (else nothing: a modal
        or the command palette is over it). True if dismissed."""
        screen = cast(Screen, self)
        if screen.app.screen is not screen:
            return False
        screen.dismiss(result)
        return True

    def action_close(self) -> None:
        self.close()


class TrainerScreen(TypedApp, Screen[ResultT]):
    """A full screen of the app."""

    CSS_PATH: ClassVar[Path | None] = SCREENS_CSS

    app = getters.app(TrainerApp)


class TrainerModal(TypedApp, ModalScreen[ResultT]):
    """A dialog over a screen of the app."""

    CSS_PATH: ClassVar[Path | None] = SCREENS_CSS

    app = getters.app(TrainerApp)
