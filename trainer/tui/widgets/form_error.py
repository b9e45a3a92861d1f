"""The error line of a form: shown in place and as a notification, so it is seen even when
the form is taller than the terminal (80x24)."""

from __future__ import annotations

from textual.widgets import Static


class FormError(Static):
    DEFAULT_CSS = """
    FormError { color: $error; height: auto; }
    """

    def __init__(self, **kwargs):
        super().__init__(markup=False, **kwargs)

    def show(self, message: str) -> None:
        self.update(message)
        self.scroll_visible(animate=False)
        self.notify(message, severity="error", markup=False)

    def clear(self) -> None:
        self.update("")
