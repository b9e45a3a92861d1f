"""Templates in scenario text: values filled from the variant (once) and from the simulation
state at the moment of an action, so what an output says matches the header.

    {var.NAME}              the chosen variant's value (static)
    {start} {start-10}      the page's clock, +- minutes (static: history before the page)
    {page.SIGNAL}           a signal's value at the page (static)
    {clock} {clock-5}       the clock now (end of the action), +- minutes
    {signal.SIGNAL}         a signal's value now; {signal.error_rate*4.1:,.0f} scales, formats
    {age.MOMENT}            how long ago a moment was, as kubectl prints it (10m, 5h7m, 3d2h)
    {since.MOMENT}          the same in whole minutes
    {at.MOMENT}             the clock at that moment
    {budget}                percent of the error budget burned so far

Numbers take `*N`, `/N`, `+N`, `-N` and a format (`:,` `:.1f` `:,.0f` `:g`); clocks and
moments take `+N` / `-N` minutes. Anything else in braces (JSON, PromQL selectors, `{id}`)
is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

STATIC = ("var", "start", "page")
DYNAMIC = ("clock", "signal", "age", "since", "at", "budget")
NAMED = ("var", "page", "signal", "age", "since", "at")  # need `.name`
NUMERIC = ("page", "signal", "budget")
TEMPLATE = re.compile(
    r"\{(?P<ns>clock|start|budget|signal|page|var|age|since|at)"
    r"(?:\.(?P<name>[a-z0-9_]+))?"
    r"(?P<op>[-+*/]\d{1,6}(?:\.\d{1,6})?)?"
    r"(?::(?P<spec>[^{}\s]{1,8}))?\}"
)
# What looks like a template (a namespace and a name in braces, or a known namespace): a typo
# such as {signals.errors} or {clock - 5} is reported, not shown literally.
LOOKS_LIKE = re.compile(
    r"\{(?:(?P<ns>[a-z_]+)\.[a-z0-9_]+(?:[-+*/][\d.]+)?(?::[^{}\s]*)?"
    r"|(?P<bare>clock|start|budget|signal|page|var|age|since|at)\b[^{}\n]{0,30})\}"
)
SPEC = re.compile(r"^,?(?:\.[0-6])?[fg]?$")
MINUTES_PER_DAY = 24 * 60


class Token(NamedTuple):
    start: int
    end: int
    ns: str
    name: str | None
    op: str | None
    spec: str | None


def tokens(text: str) -> list[Token]:
    return [
        Token(m.start(), m.end(), m["ns"], m["name"], m["op"], m["spec"])
        for m in TEMPLATE.finditer(text)
    ]


class Known(NamedTuple):
    """What templates may name in one scenario."""

    signals: frozenset[str]
    moments: frozenset[str]
    variables: frozenset[str]
    budget: bool


def problems(text: str, known: Known, dynamic_allowed: bool) -> list[str]:
    """Every template mistake in a text, as messages."""
    out = []
    good = {(t.start, t.end) for t in tokens(text)}
    for match in LOOKS_LIKE.finditer(text):
        ns = match["ns"] or match["bare"]
        if ns not in STATIC + DYNAMIC:
            out.append(
                f"unknown template {match[0]!r}; expected one of "
                + ", ".join(f"{{{n}.…}}" if n in NAMED else f"{{{n}}}" for n in STATIC + DYNAMIC)
            )
        elif not any(a <= match.start() < b for a, b in good):
            out.append(f"malformed template {match[0]!r} (no spaces; e.g. {{clock-5}})")
    for token in tokens(text):
        shown = text[token.start : token.end]
        out += _token_problems(token, shown, known, dynamic_allowed)
    return out


def _token_problems(token: Token, shown: str, known: Known, dynamic_allowed: bool) -> list[str]:
    ns, name = token.ns, token.name
    if ns in NAMED and name is None:
        return [f"{shown}: expected {{{ns}.NAME}}"]
    if ns not in NAMED and name is not None:
        return [f"{shown}: {{{ns}}} takes no name"]
    if ns in DYNAMIC and not dynamic_allowed:
        return [
            f"{shown} follows the state, but this text is fixed before any action: "
            "only {var.*}, {start±N} and {page.*} can be used here"
        ]
    pool = {
        "signal": known.signals,
        "page": known.signals,
        "age": known.moments,
        "since": known.moments,
        "at": known.moments,
        "var": known.variables,
    }.get(ns)
    if pool is not None and name not in pool:
        what = {"var": "variant value", "age": "moment", "since": "moment", "at": "moment"}
        return [
            f"{shown}: unknown {what.get(ns, 'signal')} {name!r}; expected one of "
            + (", ".join(sorted(pool)) or "(none declared)")
        ]
    if ns == "budget" and not known.budget:
        return [f"{shown}: the scenario declares no `budget`"]
    if token.op and ns == "var":
        return [f"{shown}: a variant value takes no arithmetic"]
    if token.op and ns not in NUMERIC and token.op[0] in "*/":
        return [f"{shown}: times take only +N or -N minutes"]
    if token.op and ns not in NUMERIC and not token.op[1:].isdigit():
        return [f"{shown}: times move by whole minutes"]
    if token.spec is not None and (ns not in NUMERIC or not SPEC.match(token.spec)):
        return [f"{shown}: formats are for numbers only: `:,` `:.1f` `:,.0f` `:g`"]
    return []


# -- filling ---------------------------------------------------------------------------------
def clock_text(minute_of_day: int) -> str:
    minute_of_day %= MINUTES_PER_DAY
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def parse_clock(text: str) -> int:
    hours, minutes = (int(x) for x in text.split(":"))
    return hours * 60 + minutes


def kube_age(minutes: int) -> str:
    """A duration as kubectl prints ages (minute resolution)."""
    if minutes < 2:
        return f"{max(minutes, 0) * 60 + 30}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        rest = hours % 24
        return f"{days}d{rest}h" if rest else f"{days}d"
    return f"{days}d"


def format_number(value: float, spec: str | None = None) -> str:
    """A signal's value as the header shows it (`:g`), or in the given format."""
    value = round(value, 6) + 0.0  # no "-0" and no float noise from drift
    if not spec:
        return f"{value:g}"
    if spec[-1] not in "fg":
        spec += "g"
    return format(value, spec)


def _number(token: Token, value: float) -> str:
    if token.op:
        operand = float(token.op[1:])
        value = {
            "+": value + operand,
            "-": value - operand,
            "*": value * operand,
            "/": value / operand if operand else value,
        }[token.op[0]]
    return format_number(value, token.spec)


def _offset(token: Token) -> int:
    return int(token.op) if token.op else 0


def _replace(text: str, filler: Callable[[Token], str | None]) -> str:
    parts, last = [], 0
    for token in tokens(text):
        value = filler(token)
        if value is None:
            continue
        parts += [text[last : token.start], value]
        last = token.end
    parts.append(text[last:])
    return "".join(parts)


def fill_static(text: str, variant: dict[str, str], start: int, page: dict[str, float]) -> str:
    """Fill the variant's values, the page's clock and the signals' page values."""
    if "{" not in text:
        return text

    def filler(token: Token) -> str | None:
        if token.ns == "var" and token.name in variant:
            return variant[token.name]
        if token.ns == "start" and token.name is None:
            return clock_text(start + _offset(token))
        if token.ns == "page" and token.name in page:
            return _number(token, page[token.name])
        return None

    return _replace(text, filler)


class State(NamedTuple):
    """What dynamic templates read: the simulation at the end of an action."""

    start: int  # the page's clock, minutes of the day
    minute: int  # minutes since the page
    values: dict[str, float]
    moments: dict[str, int]  # name -> minute (since the page; negative before it)
    budget: float = 0.0


def render(text: str, state: State) -> str:
    """Fill the templates that follow the state."""
    if "{" not in text:
        return text

    def filler(token: Token) -> str | None:
        ns, name = token.ns, token.name
        if ns == "clock" and name is None:
            return clock_text(state.start + state.minute + _offset(token))
        if ns == "signal" and name in state.values:
            return _number(token, state.values[name])
        if ns == "budget" and name is None:
            return _number(token, state.budget)
        if ns in ("age", "since", "at") and name in state.moments:
            ago = state.minute - state.moments[name] + _offset(token)
            if ns == "age":
                return kube_age(ago)
            if ns == "since":
                return str(max(0, ago))
            return clock_text(state.start + state.moments[name] + _offset(token))
        return None

    return _replace(text, filler)


def unrendered(text: str) -> list[str]:
    """Templates left in a text that should have been filled (a test's check)."""
    return [text[t.start : t.end] for t in tokens(text)]


def literal(text: str, variant: dict[str, str]) -> str:
    """What a text states literally for a variant: its values filled, every other template
    cut out (for checks of numbers and times the YAML writes down)."""
    if variant and "{var." in text:
        text = _replace(
            text, lambda t: variant.get(t.name or "") if t.ns == "var" and not t.op else None
        )
    return without_templates(text)


def without_templates(text: str) -> str:
    """The literal text: every template cut out (for checks of what the YAML states)."""
    return _replace(text, lambda token: " ")
