"""Parse errors explained: where the problem is and what to do about it.

promql-parser (pinned in pyproject.toml) raises ValueError with a message but no position, and
crashes the whole process on very deeply nested queries. Everything that depends on its
messages or limits lives here: the nesting cap checked before parsing, the position found by
scanning the query for what the message names, and a hint in the learner's terms. A parser
upgrade that rewords its messages should only need changes in this module.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# The parser (a Rust extension) overflows its stack and kills the process somewhere past a
# few thousand nested levels; real queries stay far below these caps.
MAX_NESTING = 48  # brackets open at once
MAX_OPERATORS = 120  # operators in one query (each may add a level to the tree)
MAX_QUERY_CHARS = 10_000


class NestingError(ValueError):
    """A query too long or too deeply nested to hand to the parser."""


class QueryError(NamedTuple):
    """Why an attempt does not parse, and where (0-based offset into the attempt)."""

    message: str
    position: int | None


def line_and_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of an offset, for a caret under a multi-line query."""
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    return line, column


def check_nesting(query: str) -> None:
    """NestingError naming the limit when a query is too long or nests too deeply to parse."""
    if len(query) > MAX_QUERY_CHARS:
        raise NestingError(
            f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    depth = deepest = operators = 0
    for tok in _scan(query).tokens:
        if tok.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif tok.kind == "close":
            depth = max(0, depth - 1)
        elif _is_binary(tok) or tok.text in ("+", "-"):
            operators += 1
    if deepest > MAX_NESTING:
        raise NestingError(f"the query nests {deepest} brackets deep; the limit is {MAX_NESTING}")
    if operators > MAX_OPERATORS:
        raise NestingError(f"the query has {operators} operators; the limit is {MAX_OPERATORS}")


def explain(attempt: str, exc: ValueError) -> tuple[QueryError, str]:
    """The error (message and position) and a hint for an attempt that does not parse."""
    raw = str(exc)
    if isinstance(exc, NestingError):
        message = raw[:1].upper() + raw[1:] + "."
        return QueryError(message, None), "Write it with fewer nested brackets and operators."
    position, detail = _locate(attempt, raw)
    message = _clean_message(raw, detail)
    hint = _syntax_hint(attempt, raw, position, detail)
    return QueryError(message, position), hint


# ---------------------------------------------------------------------------------------------
# Scanning
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)
  | (?P<number>0[xX][0-9a-fA-F]+
      |(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*)?)
  | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<op>==|!=|>=|<=|=~|!~|[-+*/%^<>=,@:])
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_BINARY_WORDS = frozenset({"and", "or", "unless", "atan2"})
_BINARY_SYMBOLS = frozenset({"+", "-", "*", "/", "%", "^", "==", "!=", ">=", "<=", ">", "<"})
_KEYWORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"}
    | {"start", "end", "fill", "fill_left", "fill_right"}
)
_NEEDS_PAREN = frozenset({"by", "without", "on", "ignoring"})
_BRACKET_WORDS = {"paren": "(", "bracket": "[", "brace": "{"}


class _Tok(NamedTuple):
    """A lexical token with its offset and the innermost bracket it sits in."""

    kind: str
    text: str
    pos: int
    inside: str


class _Scan(NamedTuple):
    """Tokens plus the bracket and quote problems found while scanning."""

    tokens: list[_Tok]
    unclosed: list[_Tok]
    stray: list[_Tok]
    bad_quote: _Tok | None


def _scan(query: str) -> _Scan:
    """Tokenise a query, matching brackets and noting unterminated strings."""
    tokens: list[_Tok] = []
    stack: list[_Tok] = []
    unclosed: list[_Tok] = []
    stray: list[_Tok] = []
    bad_quote = None
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        tok = _Tok(kind, match.group(), match.start(), stack[-1].text if stack else "")
        tokens.append(tok)
        if kind == "open":
            stack.append(tok)
        elif kind == "close":
            opener = _opener_index(stack, tok.text)
            if opener is None or opener != len(stack) - 1:
                stray.append(tok)
            if opener is not None:
                unclosed.extend(stack[opener + 1 :])  # skipped openers were never closed
                del stack[opener:]
        elif kind == "other" and tok.text in "\"'`" and bad_quote is None:
            bad_quote = tok
    return _Scan(tokens, unclosed + stack, stray, bad_quote)


def _opener_index(stack: list[_Tok], closer: str) -> int | None:
    """Index of the innermost open bracket that closer would close."""
    for i in range(len(stack) - 1, -1, -1):
        if _PAIRS[stack[i].text] == closer:
            return i
    return None


def _clean_message(raw: str, detail: str) -> str:
    """The parser's message, capitalised, with PromQL spelled properly and detail added."""
    text = re.sub(r"\bpromql\b", "PromQL", raw.strip().rstrip("."), flags=re.IGNORECASE)
    text = text[:1].upper() + text[1:]
    return f"{text}: {detail}" if detail else text


def _locate(query: str, message: str) -> tuple[int | None, str]:
    """Best-effort 0-based offset of a parse error, plus detail when the message is vague."""
    scan = _scan(query)
    low = message.lower()
    kind = next((c for word, c in _BRACKET_WORDS.items() if word in low), "")
    if ("quoted string" in low or "unterminated" in low) and scan.bad_quote is not None:
        return scan.bad_quote.pos, ""
    if "unclosed" in low or "end of input" in low:
        opener = next((t for t in reversed(scan.unclosed) if not kind or t.text == kind), None)
        if opener is not None:
            return opener.pos, ""
        return len(query.rstrip()), ""
    if "unexpected right" in low:
        closer = next((t for t in scan.stray if not kind or _PAIRS[kind] == t.text), None)
        if closer is not None:
            return closer.pos, ""
    if "must not be set twice" in low:
        return _find(scan, "__name__", query)
    if "non-empty matcher" in low:
        return _find(scan, "{", query)
    if "binary expression must contain" in low:
        return _find(scan, "[", query)
    quoted = _quoted(message)
    if quoted:
        if "expected type" in low and "function" in low:
            return _argument_of(scan, quoted)
        inside = kind if "inside" in low else "{" if "label matching" in low else ""
        found = _find(scan, quoted, query, inside=inside, call="function" in low)
        if found[0] is not None:
            return found
    adjacent = _adjacency(scan.tokens)
    if adjacent is not None:
        return adjacent
    odd = next((t for t in scan.tokens if t.kind == "other"), None)
    for tok in (scan.bad_quote, *scan.stray, *scan.unclosed, odd):
        if tok is not None:
            return tok.pos, ""
    return None, ""


def _quoted(message: str) -> str:
    """The token a parser message names, e.g. '[' in "unexpected character ...: '['"."""
    match = re.search(r"'([^']+)'", message) or re.search(r":\s*(\S+)\s*$", message)
    return match.group(1) if match else ""


def _find(
    scan: _Scan, text: str, query: str, inside: str = "", call: bool = False
) -> tuple[int | None, str]:
    """Offset of the first token matching text (in the given bracket, or called), if any."""
    tokens = scan.tokens
    for i, tok in enumerate(tokens):
        if text not in tok.text or (inside and tok.inside != inside):
            continue
        if call and (i + 1 >= len(tokens) or tokens[i + 1].text != "("):
            continue
        return tok.pos + tok.text.index(text), ""
    pos = query.find(text)
    return (pos if pos >= 0 else None), ""


def _argument_of(scan: _Scan, func: str) -> tuple[int | None, str]:
    """Offset of the argument of a call to func, the part with the wrong type."""
    tokens = scan.tokens
    for i, tok in enumerate(tokens[:-2]):
        if tok.text == func and tokens[i + 1].text == "(":
            return tokens[i + 2].pos, ""
    return None, ""


def _adjacency(tokens: list[_Tok]) -> tuple[int, str] | None:
    """Find two tokens that cannot follow each other: `x y`, `x +`, `1 + * 2`, `by pod`."""
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if _is_binary(tok):
            if nxt is None or nxt.kind == "close":
                return tok.pos, f"`{tok.text}` has no right-hand operand"
            unary = tok.text in ("+", "-")
            if not unary and (prev is None or _is_binary(prev) or prev.text in "([{,"):
                return tok.pos, f"unexpected operator `{tok.text}`"
        if tok.text.lower() in _NEEDS_PAREN and (nxt is None or nxt.text != "("):
            where = nxt.pos if nxt is not None else tok.pos
            return where, f"`{tok.text}` must be followed by a label list in parentheses"
        if tok.text == "," and (prev is None or prev.text in "([{,"):
            return tok.pos, "unexpected `,`"
        matcher = tok.text in ("=", "!=", "=~", "!~") and tok.inside == "{"
        if matcher and (nxt is None or nxt.kind != "string"):
            where = nxt.pos if nxt is not None else tok.pos
            return where, f"`{tok.text}` must be followed by a quoted label value"
        if tok.text == "@" and (prev is None or nxt is None or not _ends_operand(prev)):
            return tok.pos, "`@` must follow a selector and be followed by a timestamp"
        if prev is not None and _ends_operand(prev) and _is_operand_word(tok):
            missing = {"{": "`,`", "(": "`,` or an operator"}.get(tok.inside, "an operator")
            return tok.pos, f"missing {missing} between `{prev.text}` and `{tok.text}`"
    return None


def _is_binary(tok: _Tok) -> bool:
    """Whether a token is a binary operator."""
    if tok.kind == "op":
        return tok.text in _BINARY_SYMBOLS
    return tok.kind == "ident" and tok.text.lower() in _BINARY_WORDS


def _is_operand_word(tok: _Tok) -> bool:
    """Whether a token starts an operand on its own (a name, number or string)."""
    if tok.kind == "ident":
        low = tok.text.lower()
        return low not in _KEYWORDS and low not in _BINARY_WORDS
    return tok.kind in ("number", "string")


def _ends_operand(tok: _Tok) -> bool:
    """Whether a token can end an operand."""
    return tok.kind == "close" or _is_operand_word(tok)


_MATCHER_BEFORE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*$")


def _unquoted_value(query: str, position: int | None) -> str:
    """`status=~"5.."` when the error sits on an unquoted label value, else ""."""
    if position is None or position >= len(query) or query[position] in "\"'`":
        return ""
    before = _MATCHER_BEFORE.search(query[:position])
    if before is None or query[:position].count("{") <= query[:position].count("}"):
        return ""
    value = re.match(r"[^,}\s]*", query[position:]).group()  # type: ignore[union-attr]
    return f'{before.group(1)}{before.group(2)}"{value}"' if value else ""


def _syntax_hint(query: str, message: str, position: int | None, detail: str) -> str:
    """A learner-facing hint for a parse error."""
    low = message.lower()
    column = ""
    if position is not None:
        line, col = line_and_column(query, position)
        column = f" at line {line}, column {col}" if "\n" in query else f" at column {col}"
    near = query[position] if position is not None and position < len(query) else ""
    unquoted = _unquoted_value(query, position)
    if unquoted:
        return f"Label values must be quoted{column}: write {unquoted}."
    inside = next((c for word, c in _BRACKET_WORDS.items() if f"inside {word}" in low), "")
    if inside and near in "()[]{}" and near:
        return f"Close the `{inside}` with `{_PAIRS[inside]}` before the `{near}`{column}."
    if "unexpected right" in low:
        return f"There is an extra `{near}`{column}: remove it or open a matching bracket."
    if "set twice" in low:
        return "Give the metric name once: either before the braces or as `__name__`."
    if "unterminated" in low:
        return f"The string starting{column} has no closing quote."
    if "unclosed" in low or "end of input inside" in low:
        closer = _PAIRS.get(near, "")
        return f"The `{near}`{column} is never closed: add a matching `{closer}`."
    if "expected type matrix" in low:
        return f"This function needs a range vector: add a range such as `[5m]`{column}."
    if "expected string" in low and _quoted(message):
        return f'Label values must be quoted{column}: write "{_quoted(message)}".'
    if "unknown function" in low:
        return f"`{_quoted(message)}` is not a PromQL function; check the spelling{column}."
    if detail:
        return f"Check the syntax{column}: {detail}."
    if position is not None:
        excerpt = query[max(0, position - 15) : position + 15].strip()
        return f"Check the syntax{column}, near `{excerpt}`."
    return "Check the query's syntax: brackets, quotes and operators."
