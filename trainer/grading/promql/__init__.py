"""Grading a learner's PromQL query against a reference by meaning, not by spelling.

canonical: the canonical tree (equal text means an equal query).
algebra: the sum-of-products form, for rearrangements that keep the result.
differences: what differs between two trees, how much it matters, and the hint for it.
verdicts: correct, partial, wrong or invalid against every accepted answer.
parse_errors: where a query fails to parse and why (what depends on promql-parser's messages).
"""

from trainer.grading.promql.canonical import normalize
from trainer.grading.promql.differences import Options
from trainer.grading.promql.parse_errors import QueryError, line_and_column
from trainer.grading.promql.verdicts import QueryVerdict, WrongAnswer, compare

__all__ = [
    "Options",
    "QueryError",
    "QueryVerdict",
    "WrongAnswer",
    "compare",
    "line_and_column",
    "normalize",
]
