"""Text that is safe to show in a terminal or open in a spreadsheet.

Pack files and answers are untrusted: an escape sequence in a card could set the clipboard
(OSC 52), the window title, or wipe the screen when printed. `strip_controls` removes every
escape sequence whole and every other control character (C0, DEL, C1) except newline and tab,
plus the bidirectional overrides that can make text read differently from what it is
("Trojan Source"). `spreadsheet_cell` keeps a CSV cell from being read as a formula.
"""

from __future__ import annotations

import re
from typing import TextIO

_CONTROLS = (
    # ESC-started sequences, whole: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST, else to
    # the end of the line), DCS/SOS/PM/APC (ESC P|X|^|_ ... ST), then any other ESC + char.
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[PX^_][^\x1b\x9c\n]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
    # Other C0 controls (tab and newline kept), DEL, C1 controls, bidi embeddings/overrides
    # and isolates.
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE = re.compile(_CONTROLS)
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # cannot be printed or encoded: a crash
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def strip_controls(text: str) -> str:
    """`text` without escape sequences or control characters (newline and tab kept); a CR LF
    becomes a newline, a lone surrogate the replacement character."""
    if text.isprintable():
        return text  # the common case, and the fastest check there is
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    text = _UNSAFE.sub("", text)
    return _SURROGATES.sub("\ufffd", text)


def spreadsheet_cell(value: object) -> object:
    """A CSV cell value: text with controls stripped and, when it starts like a formula
    (=, +, -, @, tab, CR), prefixed with ' so spreadsheets show it as text."""
    if not isinstance(value, str):
        return value
    value = strip_controls(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


class SafeWriter:
    """A text stream that strips controls from everything written through it (`print` writes
    each argument whole, so a sequence is never split between two writes)."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        # CR LF passes as it is (CSV rows end so); a CR alone can hide what precedes it.
        self.stream.write("\r\n".join(strip_controls(part) for part in text.split("\r\n")))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)  # flush, fileno, isatty, encoding, ...
