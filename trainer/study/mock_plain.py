"""`sre-trainer mock --plain`: the mock interview in an ordinary terminal, for scripts, poor SSH
links and screen readers. Prompts on stdout, answers on stdin (an answer ends with an empty
line or EOF; `/skip` skips). Time limits apply when stdin can be waited on.

The clock is one to trust: a line left unfinished when the time runs out is discarded with a
notice, never carried into the next answer; at a terminal, the next question waits for a
deliberate Enter (what is typed in the first second after the time-out is dropped) and
practice feedback is read with the clock stopped. Each line of an answer is kept as a draft
with the time used, so a resumed mock carries on from both.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import sys
import time
from collections.abc import Callable
from typing import TextIO, cast

from trainer.grading.concepts import MAX_ANSWER_CHARS, AnswerError
from trainer.safe_text import SafeWriter
from trainer.study.mock import FollowUpAnswer, MockAnswer, MockSession, clock_text, report_markdown
from trainer.study.mock_report import countdown_text, missed_remark, outcome_label
from trainer.study.service import StudyService

CHECKPOINT_SECONDS = 5.0  # the time used is stored at least this often while answering
SWALLOW_SECONDS = 1.0  # keys typed this soon after a time-out are dropped


class LineReader:
    """Lines from a stream, with a timeout when the stream has a file descriptor."""

    def __init__(self, stream: TextIO, max_line: int = MAX_ANSWER_CHARS + 1):
        self.stream = stream
        self.max_line = max_line  # a longer line comes in pieces: memory stays bounded
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = None
        self.tty = self.fd is not None and os.isatty(self.fd)
        self._buffer = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._eof = False
        self._skip_line = False  # drop what arrives up to the next newline (an unfinished line)

    def readline(self, timeout: float | None) -> str | None:
        """A line (with its newline), "" at end of input, or None if the timeout ran out."""
        if self.fd is None:
            return self.stream.readline(self.max_line)
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        while True:
            if self._skip_line:
                if "\n" in self._buffer:
                    self._buffer = self._buffer.split("\n", 1)[1]
                    self._skip_line = False
                    continue
                self._buffer = ""  # the rest of an unfinished line: never held
                if self._eof:
                    self._skip_line = False
                    return ""
            elif "\n" in self._buffer or self._eof or len(self._buffer) >= self.max_line:
                break
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return None
            if not self._fill(wait):
                return None
        if "\n" in self._buffer[: self.max_line]:
            line, self._buffer = self._buffer.split("\n", 1)
            return line + "\n"
        line, self._buffer = self._buffer[: self.max_line], self._buffer[self.max_line :]
        return line

    def _fill(self, wait: float | None) -> bool:
        """Read what has arrived (waiting up to `wait` seconds); False if nothing came."""
        assert self.fd is not None
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return False
        chunk = os.read(self.fd, 65536)
        if not chunk:
            self._eof = True
            self._buffer += self._decoder.decode(b"", final=True)
        else:
            self._buffer += self._decoder.decode(chunk)
        return True

    def discard_unfinished(self) -> bool:
        """Time ran out: drop the line being typed (and, at a terminal, whatever was typed
        and not read yet). True if something was dropped."""
        dropped = bool(self._buffer)
        self._buffer = ""
        self._skip_line = dropped and not self._eof
        if self.tty:
            self._flush_terminal()
        return dropped

    def swallow(self, seconds: float) -> None:
        """Drop everything typed in the next `seconds` (at a terminal only)."""
        if not self.tty or self.fd is None:
            return
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready and not os.read(self.fd, 65536):
                self._eof = True
                return
        self._buffer = ""
        self._flush_terminal()

    def _flush_terminal(self) -> None:
        import termios

        if self.fd is None:
            return
        with contextlib.suppress(OSError, termios.error):
            termios.tcflush(self.fd, termios.TCIFLUSH)


def run_plain(
    service: StudyService,
    session: MockSession,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    write_report: Callable[[str], None] | None = None,
) -> dict:
    """Ask every question and its follow-ups, then print the report; returns the report. The
    streams default to the process's at the time of the call (the CLI swaps them first)."""
    stdin = stdin if stdin is not None else sys.stdin
    # Questions and reports carry pack and user text.
    out = cast(TextIO, SafeWriter(out if out is not None else sys.stdout))
    reader = LineReader(stdin)
    _introduce(session, out)
    ended = False
    while not session.done and not ended:
        if session.expired() == "total":
            break
        follow_up = session.current_follow_up
        number = session.follow_up_number
        session.begin_question()
        left = countdown_text(min(session.question_left(), session.total_left()))
        if follow_up is not None and number is not None:
            print(f"\nFollow-up {number[0]} of {number[1]} ({left} left)", file=out)
            print(follow_up.prompt, file=out)
        else:
            card = session.current
            assert card is not None  # not done
            print(
                f"\nQuestion {session.position + 1} of {len(session.cards)} ({left} left)", file=out
            )
            print(card.question, file=out)
        if session.config.speak_aloud:
            answer, timed_out, ended = _spoken(service, session, reader, out)
        else:
            answer, timed_out, ended = _typed(service, session, reader, out)
        feedback = (
            answer is not None
            and not ended
            and session.config.practice
            and session.current_follow_up is None
        )
        if timed_out and not ended:
            ended = not _after_time_out(session, reader, out, answer, wait=not feedback)
        if feedback and not ended:
            ended = not _practice_feedback(session, reader, out)
    if session.expired() == "total" and not session.done:
        reader.discard_unfinished()
        print("\nTime is up for the whole mock.", file=out)
    report = service.finish_mock(session)
    markdown = report_markdown(report)
    print("\n" + markdown, file=out)
    if write_report is not None:
        write_report(markdown)
    return report


def _introduce(session: MockSession, out: TextIO) -> None:
    config = session.config
    follow_ups = (
        f", up to two follow-ups after each ({clock_text(config.follow_up_seconds)} each)"
        if config.follow_ups
        else ""
    )
    print(
        f"Mock interview: {len(session.cards)} question(s), "
        f"{clock_text(config.seconds_per_question)} each{follow_ups}, "
        f"{clock_text(session.time_allowed)} in all" + (" (practice)." if config.practice else "."),
        file=out,
    )
    if config.speak_aloud:
        print(
            "Answer each question aloud, then press Enter; you then tick the points you "
            "covered (self-graded). /skip skips a question.",
            file=out,
        )
    else:
        print(
            "Answer as you would aloud. End an answer with an empty line; /skip skips a "
            "question. No feedback until the end"
            + (" (practice: feedback after each question)." if config.practice else "."),
            file=out,
        )
    if session.answers or session.resumed:
        used = clock_text(session.time_used() + (session.resumed[1] if session.resumed else 0))
        print(f"Carrying on: {used} used so far.", file=out)


Answered = MockAnswer | FollowUpAnswer | None


def _typed(
    service: StudyService, session: MockSession, reader: LineReader, out: TextIO
) -> tuple[Answered, bool, bool]:
    """Read and store one typed answer: (what was stored, timed out, end of input)."""
    draft = service.mock_draft(session)
    if draft:
        print("(what you typed before is kept; carry on, or end it with an empty line)", file=out)
        for line in draft.splitlines():
            print(f"  {line}", file=out)
    print("> ", end="", file=out, flush=True)
    text, timed_out, ended = _read_answer(reader, session, service, draft)
    if len(text) > MAX_ANSWER_CHARS:
        # Refused, as in the app (whose box never holds more): a spoken answer is far
        # shorter, and a paste this size is a mistake rather than an answer.
        print(
            f"\n(the answer is over {MAX_ANSWER_CHARS:,} characters; the limit is "
            f"{MAX_ANSWER_CHARS:,}: refused, and the question is skipped)",
            file=out,
        )
        return service.skip_question(session), False, ended
    if text.strip() == "/skip":
        print("(skipped)", file=out)
        return service.skip_question(session), False, False
    if not text.strip() and not timed_out:
        if ended:
            print("\n(end of input: the remaining questions are not reached)", file=out)
            return None, False, True
        print("(empty answer: skipped)", file=out)
        return service.skip_question(session), False, False
    try:
        answer = service.submit_mock(session, text, timed_out=timed_out)
    except AnswerError as exc:
        print(f"({exc}: skipped)", file=out)
        return service.skip_question(session), False, ended
    if ended and not session.done:
        print("\n(end of input)", file=out)
    return answer, timed_out, ended


def _spoken(
    service: StudyService, session: MockSession, reader: LineReader, out: TextIO
) -> tuple[Answered, bool, bool]:
    """A spoken answer: Enter ends it (or the time does), then the points are ticked."""
    print("(answer aloud now; press Enter when you have finished)", file=out, flush=True)
    line, timed_out = _wait_line(reader, session, service)
    if line == "":
        print("\n(end of input: the remaining questions are not reached)", file=out)
        return None, False, True
    if line is not None and line.strip() == "/skip":
        print("(skipped)", file=out)
        return service.skip_question(session), False, False
    service.end_spoken_answer(session)
    if timed_out:
        reader.discard_unfinished()
        print("\n(time is up)", file=out)
    points = session.points_to_tick()
    if session.current_follow_up is not None:
        print(f"Did you cover it: {points[0].text}? (y/n)", file=out, flush=True)
        reply = reader.readline(None)
        covered = {points[0].text} if (reply or "").strip().lower().startswith("y") else set()
    else:
        print("Which of these did you cover?", file=out)
        for n, point in enumerate(points, start=1):
            print(f"  {n}. {point.text}", file=out)
        print("Type their numbers (e.g. 1 3 4), or press Enter for none:", file=out, flush=True)
        reply = reader.readline(None)
        picked = {int(t) for t in (reply or "").replace(",", " ").split() if t.isdigit()}
        covered = {p.text for n, p in enumerate(points, start=1) if n in picked}
    answer = service.self_grade_mock(session, covered, timed_out=timed_out)
    print(f"(self-graded: {answer.score}/100)", file=out)
    return answer, False, reply == ""


def _wait_line(
    reader: LineReader, session: MockSession, service: StudyService
) -> tuple[str | None, bool]:
    """The next line before the time runs out: (line, False), or (None, True) at time-out."""
    while True:
        left = min(session.question_left(), session.total_left())
        if left <= 0:
            return None, True
        line = reader.readline(
            timeout=min(left, CHECKPOINT_SECONDS) if reader.fd is not None else None
        )
        if line is not None:
            return line, False
        service.checkpoint_mock(session)


def _after_time_out(
    session: MockSession, reader: LineReader, out: TextIO, answer: Answered, wait: bool = True
) -> bool:
    """Say what the time-out kept and dropped; at a terminal (and unless `wait` is off),
    wait for a deliberate Enter before what comes next. False at end of input."""
    dropped = reader.discard_unfinished()
    kept = answer is not None and bool(answer.answer.strip())
    said = "your answer so far was submitted" if kept else "nothing was typed: it scores 0"
    if session.config.speak_aloud:
        said = "your ticks are stored"
    notice = f"\n(time is up: {said}"
    if dropped:
        notice += "; the unfinished line was not kept"
    elif reader.tty:
        notice += "; a line left unfinished is not kept"
    print(notice + ")", file=out)
    if not wait or not reader.tty or session.done or session.expired() == "total":
        return True
    return _deliberate_enter(reader, out, "to go on")


def _deliberate_enter(reader: LineReader, out: TextIO, what: str) -> bool:
    """At a terminal: wait for Enter, dropping what is typed in the first second. False at
    end of input."""
    print(f"Press Enter {what}.", file=out, flush=True)
    reader.swallow(SWALLOW_SECONDS)
    line = reader.readline(None)
    if line and line.strip():
        print("(not kept: that was typed before the next question was shown)", file=out)
    return line != ""


def _practice_feedback(session: MockSession, reader: LineReader, out: TextIO) -> bool:
    """Practice: once a question and its follow-ups are done, its feedback, read with the
    clock stopped (at a terminal, until Enter). False at end of input."""
    answer = session.answers[-1]
    if answer.outcome in ("skipped", "not-reached"):
        return True
    print(f"\nFeedback: {answer.score}/100 ({outcome_label(answer)}).", file=out)
    for note in answer.notes:
        print(f"Note: {note}", file=out)
    missed = [p + missed_remark(p, argued_against=answer.argued_against) for p in answer.missed]
    print("Missed: " + ("; ".join(missed) or "nothing"), file=out)
    for claim in answer.red_flags:
        print(f"Red flag: {claim}", file=out)
    for f in answer.follow_ups:
        print(f"Follow-up on {f.follow_up.point.text}: {f.score}/100", file=out)
    print(f"Model answer: {answer.card.answer.strip()}", file=out)
    if not reader.tty or session.done:
        return True
    return _deliberate_enter(reader, out, "for the next question (the clock is stopped)")


def _read_answer(
    reader: LineReader, session: MockSession, service: StudyService, draft: str = ""
) -> tuple[str, bool, bool]:
    """(text, timed out, end of input) for one answer, starting from its draft; past the
    limit (+1, so the caller can tell) the rest of the answer is read and dropped, never
    held. Each line is kept as the draft, with the time used."""
    lines: list[str] = draft.splitlines() if draft else []
    kept = sum(len(line) + 1 for line in lines)
    while True:
        left = min(session.question_left(), session.total_left())
        if left <= 0 and reader.fd is not None:
            return "\n".join(lines), True, False
        line = reader.readline(
            timeout=min(left, CHECKPOINT_SECONDS) if reader.fd is not None else None
        )
        if line is None:
            service.checkpoint_mock(session)
            continue
        if line == "":
            return "\n".join(lines), False, True
        if line.strip() == "/skip":
            return "/skip", False, False
        if not line.strip():
            if lines:
                return "\n".join(lines), False, False
            continue  # blank lines before an answer are ignored
        if kept <= MAX_ANSWER_CHARS:
            piece = line.rstrip("\n")[: MAX_ANSWER_CHARS + 1 - kept]
            lines.append(piece)
            kept += len(piece) + 1
            if kept <= MAX_ANSWER_CHARS:
                service.save_mock_draft(session, "\n".join(lines))
