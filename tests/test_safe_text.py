"""Safe text: no escape sequence or control character survives; ordinary text is untouched."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from trainer.safe_text import SafeWriter, spreadsheet_cell, strip_controls

DANGEROUS = (
    {chr(c) for c in range(0x20) if chr(c) not in "\n\t"}
    | {chr(c) for c in range(0x7F, 0xA0)}
    | {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)


@given(st.text())
def test_nothing_dangerous_survives_and_cleaning_is_idempotent(text):
    cleaned = strip_controls(text)
    assert not DANGEROUS & set(cleaned)
    assert strip_controls(cleaned) == cleaned
    cleaned.encode("utf-8")  # no lone surrogate left: printing cannot fail


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs"))))
def test_printable_text_is_unchanged(text):
    assert strip_controls(text) == text


def test_sequences_are_removed_whole():
    assert strip_controls("a\x1b]52;c;Y3VybA==\x07b") == "ab"  # OSC 52: clipboard
    assert strip_controls("a\x1b]0;title\x1b\\b") == "ab"  # window title, ST-terminated
    assert strip_controls("\x1b[2J\x1b[3J\x1b[Hwipe") == "wipe"  # clear screen, home
    assert strip_controls("x\x1bPq#0;2;0;0;0\x1b\\y") == "xy"  # DCS (sixel)
    assert strip_controls("line\x1b]52;c;unterminated\nnext") == "line\nnext"
    assert strip_controls("tab\tand\nnewline kept") == "tab\tand\nnewline kept"
    assert strip_controls("cr\r\nlf") == "cr\nlf" and strip_controls("hid\rden") == "hidden"
    assert strip_controls("rtl \u202eevil") == "rtl evil"
    assert strip_controls("lone \ud800 surrogate") == "lone \ufffd surrogate"  # printable


def test_spreadsheet_cells_never_start_like_a_formula():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx"):
        assert spreadsheet_cell(text) == "'" + text
    assert spreadsheet_cell("fine - really") == "fine - really"
    assert spreadsheet_cell(-3) == -3 and spreadsheet_cell(None) is None


def test_safe_writer_strips_but_keeps_csv_line_ends():
    out = io.StringIO()
    print("a\x1b[31mb", "c\r\nd", file=SafeWriter(out))
    assert out.getvalue() == "ab c\r\nd\n"
