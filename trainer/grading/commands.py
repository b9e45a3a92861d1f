"""Grading a shell command (the AWS CLI, curl) by what it asks for, not how it is typed.

Options may come in any order, long or short (`-X POST` is `--request POST`), quoted or not,
over several lines. What decides the verdict: the program and sub-command, the options that
choose what is measured (namespace, metric, dimensions, URL, method), the options the tool
requires (the CLI rejects get-metric-statistics without a time range, period and statistic),
and the ones that shape the result (period, statistic, output format) as near misses.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import NamedTuple

from trainer.grading.result import Graded

P_NEAR = 25  # one near miss
PARTIAL_LIMIT = 70

# Options that take a value, and the long name each short or alternative spelling stands for.
CURL_VALUES = {
    "-w": "--write-out",
    "--write-out": "--write-out",
    "-o": "--output",
    "--output": "--output",
    "-X": "--request",
    "--request": "--request",
    "-d": "--data",
    "--data": "--data",
    "--data-raw": "--data",
    "--data-binary": "--data",
    "--json": "--data",
    "-H": "--header",
    "--header": "--header",
    "-m": "--max-time",
    "--max-time": "--max-time",
    "--connect-timeout": "--connect-timeout",
    "-u": "--user",
    "--user": "--user",
}
# Options get-metric-statistics cannot run without (any one of a tuple will do).
REQUIRED: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("aws", "cloudwatch", "get-metric-statistics"): (
        ("--namespace",),
        ("--metric-name",),
        ("--start-time",),
        ("--end-time",),
        ("--period",),
        ("--statistics", "--extended-statistics"),
    )
}
FREE_VALUES = frozenset({"--start-time", "--end-time", "--data"})  # any value will do
CHOOSES_METRIC = frozenset({"--namespace", "--metric-name"})


class Command(NamedTuple):
    """A command line split into its program, positional words and options."""

    program: str
    words: tuple[str, ...]
    options: dict[str, tuple[str, ...]]

    @property
    def key(self) -> tuple[str, ...]:
        """Program and the first two positional words (`aws cloudwatch get-metric-statistics`)."""
        return (self.program, *self.words[:2])


def parse_command(text: str) -> Command:
    """Split a command line (ValueError for an unclosed quote or an empty command)."""
    joined = text.replace("\\\r\n", " ").replace("\\\n", " ").strip()
    if joined.startswith("$ "):
        joined = joined[2:]
    tokens = shlex.split(joined)
    if not tokens:
        raise ValueError("empty command")
    program, rest = tokens[0], tokens[1:]
    if program == "curl":
        return _curl(rest)
    return _long_options(program, rest)


def _long_options(program: str, tokens: list[str]) -> Command:
    """`aws ... --name value [value ...]`: every `--option` takes the words up to the next."""
    words: list[str] = []
    options: dict[str, tuple[str, ...]] = {}
    current: str | None = None
    for token in tokens:
        if token.startswith("--"):
            name, _, inline = token.partition("=")
            current = name
            options[current] = (inline,) if inline else ()
        elif current is None:
            words.append(token)
        else:
            options[current] = (*options[current], token)
    return Command(program, tuple(words), options)


def _curl(tokens: list[str]) -> Command:
    words: list[str] = []
    options: dict[str, tuple[str, ...]] = {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        name = CURL_VALUES.get(token)
        if name is not None and i + 1 < len(tokens):
            options[name] = (*options.get(name, ()), tokens[i + 1])
            i += 2
            continue
        if token.startswith("-"):
            options.setdefault(token, ())
        else:
            words.append(token)
        i += 1
    return Command("curl", tuple(words), options)


class _Diff(NamedTuple):
    hint: str
    fatal: bool


def grade_command(
    reference: str,
    attempt: str,
    accepted: Sequence[str] = (),
    wrong: Sequence[tuple[str, str, str]] = (),
) -> Graded:
    """Grade a command against the accepted ones and the known wrong ones."""
    try:
        got = parse_command(attempt)
    except ValueError as exc:
        return Graded("invalid", 0, (f"The command does not parse: {exc}.",))
    for answer, hint, verdict in wrong:
        if _same(parse_command(answer), got):
            return Graded(verdict, 50 if verdict == "partial" else 0, (hint,))
    results = [_grade_one(parse_command(ref), got) for ref in (reference, *accepted)]
    rank = {"correct": 3, "partial": 2, "wrong": 1}
    return max(results, key=lambda g: (rank[g.verdict], g.score))


def _same(a: Command, b: Command) -> bool:
    return a.key == b.key and a.options == b.options and a.words == b.words


def _grade_one(ref: Command, got: Command) -> Graded:
    diffs = _diffs(ref, got)
    if not diffs:
        return Graded("correct", 100)
    hints = tuple(d.hint for d in sorted(diffs, key=lambda d: not d.fatal))[:3]
    penalty = P_NEAR * len(diffs)
    if any(d.fatal for d in diffs) or penalty > PARTIAL_LIMIT:
        return Graded("wrong", 10 if len(diffs) == 1 else 0, hints)
    return Graded("partial", max(30, 100 - penalty), hints)


def _diffs(ref: Command, got: Command) -> list[_Diff]:
    if ref.program != got.program:
        return [_Diff(f"This calls {got.program}; the task needs {ref.program}.", True)]
    if ref.program == "curl":
        return _curl_diffs(ref, got)
    if ref.key != got.key:
        return [
            _Diff(f"The reference runs `{' '.join(ref.key)}`, not `{' '.join(got.key)}`.", True)
        ]
    out = [_Diff(text, True) for text in _missing_required(got)]
    for name, want in ref.options.items():
        have = got.options.get(name)
        if have is None:
            if not any(name in group for group in REQUIRED.get(ref.key, ())):
                out.append(_Diff(f"Missing `{name} {' '.join(want)}`.", name == "--dimensions"))
            continue
        if name in FREE_VALUES or _same_values(name, want, have):
            continue
        shown = f"`{name} {' '.join(want)}`"
        if name in CHOOSES_METRIC:
            out.append(_Diff(f"That asks for another metric: the task needs {shown}.", True))
        elif name == "--dimensions":
            # Another table is a near miss; another kind of dimension finds no data at all.
            same_names = _dimension_names(want) == _dimension_names(have)
            out.append(_Diff(f"Other dimensions: the task needs {shown}.", not same_names))
        else:
            out.append(_Diff(f"The task asks for {shown}, not `{name} {' '.join(have)}`.", False))
    if "--dimensions" in got.options and "--dimensions" not in ref.options:
        hint = (
            "This metric has no such dimension (it is an account-and-Region total): with "
            "`--dimensions`, CloudWatch returns no data points."
        )
        out.append(_Diff(hint, True))
    return out


def _missing_required(got: Command) -> list[str]:
    groups = REQUIRED.get(got.key, ())
    missing = [g for g in groups if not any(name in got.options for name in g)]
    if not missing:
        return []
    names = ", ".join(" or ".join(g) for g in missing)
    return [f"The CLI rejects this command: {' '.join(got.key[1:])} also needs {names}."]


def _same_values(name: str, want: tuple[str, ...], have: tuple[str, ...]) -> bool:
    if name == "--dimensions":
        return _dimensions(want) == _dimensions(have)
    if name in ("--statistics", "--extended-statistics"):
        return set(want) <= set(have)
    if name == "--period":
        try:
            return [float(v) for v in want] == [float(v) for v in have]
        except ValueError:
            return False
    return want == have


def _dimensions(values: tuple[str, ...]) -> frozenset[frozenset[str]]:
    """`Name=TableName,Value=x` items as sets, so the order of keys and items is free."""
    return frozenset(frozenset(v.split(",")) for v in values)


def _dimension_names(values: tuple[str, ...]) -> set[str]:
    return {
        part.split("=", 1)[1] for v in values for part in v.split(",") if part.startswith("Name=")
    }


def _curl_diffs(ref: Command, got: Command) -> list[_Diff]:
    out: list[_Diff] = []
    want_method, got_method = _method(ref), _method(got)
    if want_method != got_method:
        hint = f"This sends a {got_method}; the endpoint takes a {want_method} (with -X and -d)."
        out.append(_Diff(hint, True))
    want_url = [w for w in ref.words if "/" in w or w.startswith("$")]
    got_url = [w for w in got.words if "/" in w or w.startswith("$")]
    if want_url != got_url:
        out.append(_Diff(f"The request goes to {' '.join(want_url) or 'another URL'}.", True))
    for name in ("--write-out", "--output"):
        want, have = ref.options.get(name), got.options.get(name)
        if want is not None and want != have:
            out.append(_Diff(f"Use `{_short(name)} {' '.join(want)}`.", False))
    if "--data" in ref.options and "--data" not in got.options and want_method == got_method:
        out.append(_Diff(f"Send the body with `-d {ref.options['--data'][0]}`.", False))
    return out


def _method(command: Command) -> str:
    explicit = command.options.get("--request")
    if explicit:
        return explicit[-1].upper()
    return "POST" if "--data" in command.options else "GET"


def _short(name: str) -> str:
    return next(
        (
            short
            for short, long in CURL_VALUES.items()
            if long == name and not short.startswith("--")
        ),
        name,
    )
