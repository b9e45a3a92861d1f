"""`sre-trainer mock --plain`: the mock interview in an ordinary terminal, for scripts, poor SSH
links and screen readers. Prompts on stdout, answers on stdin (an answer ends with an empty
line or EOF; `/skip` skips). Time limits apply when stdin can be waited on."""

from __future__ import annotations

import codecs
import os
import select
import sys
import time
from collections.abc import Callable
from typing import TextIO, cast

from trainer.grading.concepts import MAX_ANSWER_CHARS, AnswerError
from trainer.safe_text import SafeWriter
from trainer.study.mock import MockSession, clock_text, report_markdown
from trainer.study.service import StudyService


class LineReader:
    """Lines from a stream, with a timeout when the stream has a file descriptor."""

    def __init__(self, stream: TextIO, max_line: int = MAX_ANSWER_CHARS + 1):
        self.stream = stream
        self.max_line = max_line  # a longer line comes in pieces: memory stays bounded
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = None
        self._buffer = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._eof = False

    def readline(self, timeout: float | None) -> str | None:
        """A line (with its newline), "" at end of input, or None if the timeout ran out."""
        if self.fd is None:
            return self.stream.readline(self.max_line)
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        while "\n" not in self._buffer and not self._eof and len(self._buffer) < self.max_line:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                self._eof = True
                self._buffer += self._decoder.decode(b"", final=True)
            else:
                self._buffer += self._decoder.decode(chunk)
        if "\n" in self._buffer[: self.max_line]:
            line, self._buffer = self._buffer.split("\n", 1)
            return line + "\n"
        line, self._buffer = self._buffer[: self.max_line], self._buffer[self.max_line :]
        return line


def run_plain(
    service: StudyService,
    session: MockSession,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    write_report: Callable[[str], None] | None = None,
) -> dict:
    """Ask every question, then print the report; returns the report."""
    out = cast(TextIO, SafeWriter(out))  # questions and reports carry pack and user text
    reader = LineReader(stdin)
    config = session.config
    print(
        f"Mock interview: {len(session.cards)} question(s), "
        f"{clock_text(config.seconds_per_question)} each, {clock_text(config.total)} in "
        "all.",
        file=out,
    )
    print(
        "Answer as you would aloud. End an answer with an empty line; /skip skips a "
        "question. No feedback until the end"
        + (" (practice: feedback after each)." if config.practice else "."),
        file=out,
    )
    while not session.done:
        if session.expired() == "total":
            print("\nTime is up for the whole mock.", file=out)
            break
        card = session.current
        assert card is not None  # not done
        session.begin_question()
        print(
            f"\nQuestion {session.position + 1} of {len(session.cards)} [{card.category}] "
            f"({clock_text(min(session.question_left(), session.total_left()))} left)",
            file=out,
        )
        print(card.question, file=out)
        print("> ", end="", file=out, flush=True)
        text, timed_out, ended = _read_answer(reader, session)
        if len(text) > MAX_ANSWER_CHARS:
            # Refused, as in the app (whose box never holds more): a spoken answer is far
            # shorter, and a paste this size is a mistake rather than an answer.
            print(
                f"\n(the answer is over {MAX_ANSWER_CHARS:,} characters; the limit is "
                f"{MAX_ANSWER_CHARS:,}: refused, and the question is skipped)",
                file=out,
            )
            service.skip_question(session)
            continue
        if text.strip() == "/skip":
            service.skip_question(session)
            print("(skipped)", file=out)
            continue
        if not text.strip() and not timed_out:
            if ended:
                print("\n(end of input: the remaining questions are not reached)", file=out)
                break
            print("(empty answer: skipped)", file=out)
            service.skip_question(session)
            continue
        try:
            answer = service.submit_mock(session, text, timed_out=timed_out)
        except AnswerError as exc:
            print(f"({exc}: skipped)", file=out)
            service.skip_question(session)
            continue
        if timed_out:
            print("\n(time is up: your answer so far was submitted)", file=out)
        if config.practice and answer.result is not None:
            print(
                f"score {answer.score}/100; missed: " + ("; ".join(answer.missed) or "nothing"),
                file=out,
            )
        if ended:
            print("\n(end of input)", file=out)
            if not session.done:
                break
    report = service.finish_mock(session)
    markdown = report_markdown(report)
    print("\n" + markdown, file=out)
    if write_report is not None:
        write_report(markdown)
    return report


def _read_answer(reader: LineReader, session: MockSession) -> tuple[str, bool, bool]:
    """(text, timed out, end of input) for one answer; past the limit (+1, so the caller
    can tell) the rest of the answer is read and dropped, never held."""
    lines: list[str] = []
    kept = 0
    while True:
        left = min(session.question_left(), session.total_left())
        line = reader.readline(timeout=left if reader.fd is not None else None)
        if line is None:
            return "\n".join(lines), True, False
        if line == "":
            return "\n".join(lines), False, True
        if not line.strip():
            if lines:
                return "\n".join(lines), False, False
            continue  # blank lines before an answer are ignored
        if kept <= MAX_ANSWER_CHARS:
            piece = line.rstrip("\n")[: MAX_ANSWER_CHARS + 1 - kept]
            lines.append(piece)
            kept += len(piece) + 1
        if line.strip() == "/skip" and len(lines) == 1:
            return "/skip", False, False
