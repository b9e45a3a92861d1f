"""The incident's evidence log: what each action revealed, as a scrolling list of entries.

Command output and tables (kubectl, logs, traces) are never wrapped: a row stays one line and
the log scrolls sideways (left/right when it has the focus) when a row is wider than the pane.
Prose wraps to the pane. Everything is literal text: scenario files are untrusted.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.containers import ScrollableContainer
from textual.widgets import Static

from trainer.scenarios.report import blocks
from trainer.tui.text import literal


class Part(NamedTuple):
    """A paragraph of an entry: prose wraps, preformatted text keeps its lines; `gap` puts a
    blank line before it (as between the paragraphs of a scenario text)."""

    text: Text
    preformatted: bool = False
    gap: bool = False


def parts_of(text: str, style: str = "") -> list[Part]:
    """A scenario text split into prose and preformatted paragraphs (see report.blocks)."""
    if not text.strip():
        return []
    return [
        Part(literal(block, style), pre, gap=index > 0)
        for index, (block, pre) in enumerate(blocks(text))
    ]


class EvidenceLog(ScrollableContainer):
    """Entries of paragraphs, each paragraph a Static: the first one of an entry has the class
    `evidence-entry`, the last one `entry-end`."""

    DEFAULT_CSS = """
    EvidenceLog > .evidence-prose { width: 100%; height: auto; }
    EvidenceLog > .evidence-pre { width: auto; height: auto; text-wrap: nowrap; }
    EvidenceLog > .entry-end { margin-bottom: 1; }
    EvidenceLog > .gap { margin-top: 1; }
    """

    def add(self, *parts: Part | Text) -> None:
        """Add an entry (a plain Text is a prose paragraph) and scroll so its first line shows."""
        widgets = []
        for part in parts:
            part = part if isinstance(part, Part) else Part(part)
            if not part.text.plain:
                continue
            kind = "evidence-pre" if part.preformatted else "evidence-prose"
            widgets.append(Static(part.text, classes=f"{kind} gap" if part.gap else kind))
        if not widgets:
            return
        widgets[0].add_class("evidence-entry")
        widgets[-1].add_class("entry-end")
        self.mount_all(widgets)
        first = widgets[0]
        # After the mount's layout, so the entry has its place to scroll to.
        self.call_after_refresh(lambda: self.scroll_to_widget(first, animate=False, top=True))

    def plain(self) -> str:
        """The log as plain text, entries separated by a blank line (tests, and copying)."""
        out = []
        for widget in self.query(Static):
            content = widget.render()
            if widget.has_class("gap"):
                out.append("")
            out.append(content.plain if hasattr(content, "plain") else str(content))
            if widget.has_class("entry-end"):
                out.append("")
        return "\n".join(out)
