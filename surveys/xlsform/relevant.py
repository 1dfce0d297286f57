"""XLSForm ``relevant`` expressions ⇄ skip-logic conditions.

Supported (anything else is rejected, never guessed)::

    ${q} = 'v'      ${q} != 'v'      ${q} = ''  (not answered)   ${q} != ''  (answered)
    ${q} > 3        ${q} >= 3        ${q} < 3   ${q} <= 3        ${q} = 3
    selected(${q}, 'v')     contains(${q}, 'text')     not(...)
    count-selected(${q}) > 0 (answered)    string-length(${q}) = 0 (not answered)
    count-selected(${q}) >= 2  (also >, <, <=, =, !=: how many choices are selected)
    regex(${q}, '^[0-9]+$')    sum(${q}) > 3 (a number question: its answer)
    ... and ...     ... or ...       ( ... )
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from surveys.conditions import COUNT_OPS, EMPTINESS_COUNTS, AllOf, AnyOf, Comparison, Condition, Not
from surveys.patterns import is_valid_pattern
from surveys.types import get_type

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<name>[^}\s]+)\})
      | '(?P<sq>[^']*)' | "(?P<dq>[^"]*)"
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<op>!=|>=|<=|=|>|<)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)
_OPS = {"=": "equals", "!=": "not_equals", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte"}


def _is(trait: str, code: str, question_types: Mapping[str, str]) -> bool:
    """Whether question ``code`` has a type with ``trait`` (``multiple``, ``is_numeric``)."""
    name = question_types.get(code)
    return name is not None and bool(getattr(get_type(name), trait))


class RelevantError(ValueError):
    """An expression that cannot be turned into a condition; ``code`` says why."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str


def _tokenize(expression: str) -> list[_Tok]:
    tokens, pos = [], 0
    expression = expression.strip()
    while pos < len(expression):
        match = _TOKEN.match(expression, pos)
        if match is None or match.end() == pos:
            raise RelevantError("unsupported_expression", position=pos, near=expression[pos:][:20])
        pos = match.end()
        if match["ref"]:
            tokens.append(_Tok("ref", match["name"]))
        elif match["sq"] is not None or match["dq"] is not None:
            tokens.append(_Tok("str", match["sq"] if match["sq"] is not None else match["dq"]))
        elif match["num"]:
            tokens.append(_Tok("num", match["num"]))
        elif match["op"]:
            tokens.append(_Tok("op", match["op"]))
        elif match["punct"]:
            tokens.append(_Tok(match["punct"], match["punct"]))
        elif match["word"]:
            tokens.append(_Tok("word", match["word"]))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Tok], types: Mapping[str, str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.types = types

    def peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def unsupported(self) -> RelevantError:
        tok = self.peek()
        near = tok.text if tok is not None else ""
        if tok is not None and tok.kind == "ref":
            near = "${" + near + "}"
        elif tok is not None and tok.kind == "str":
            near = "'" + near + "'"
        return RelevantError("unsupported_expression", position=self.pos, near=near)

    def take(self, kind: str, text: str | None = None) -> _Tok:
        tok = self.peek()
        if tok is None or tok.kind != kind or (text is not None and tok.text != text):
            raise self.unsupported()
        self.pos += 1
        return tok

    def at_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "word" and tok.text == word

    def expr(self) -> Condition:
        items = [self.and_expr()]
        while self.at_word("or"):
            self.pos += 1
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else AnyOf(tuple(items))

    def and_expr(self) -> Condition:
        items = [self.unary()]
        while self.at_word("and"):
            self.pos += 1
            items.append(self.unary())
        return items[0] if len(items) == 1 else AllOf(tuple(items))

    def unary(self) -> Condition:
        tok = self.peek()
        if tok is None:
            raise self.unsupported()
        if tok.kind == "(":
            self.pos += 1
            inner = self.expr()
            self.take(")")
            return inner
        if tok.kind == "word" and tok.text in ("not", "selected", "contains"):
            self.pos += 1
            self.take("(")
            if tok.text == "not":
                inner = self.expr()
                self.take(")")
                return Not(inner)
            name = self.ref()
            self.take(",")
            value = self.take("str").text
            self.take(")")
            if tok.text == "selected" and not _is("multiple", name, self.types):
                return Comparison(name, "equals", value)
            return Comparison(name, "contains", value)
        if tok.kind == "word" and tok.text in ("count-selected", "string-length"):
            return self.emptiness()
        if tok.kind == "word" and tok.text == "regex":
            return self.regex()
        if tok.kind == "word" and tok.text == "sum":
            return self.sum()
        if tok.kind == "ref":
            return self.comparison()
        raise self.unsupported()

    def emptiness(self) -> Comparison:
        """``count-selected(${q}) > 0``, ``string-length(${q}) = 0`` and the like: whether
        ``q`` is answered; ``count-selected(${q}) >= 2`` (any other whole number, with any
        comparison) counts the choices of a multiple-choice question."""
        function = self.take("word")
        self.take("(")
        name = self.ref()
        self.take(")")
        op = "count_" + _OPS[self.take("op").text]
        number = self.take("num").text
        if not number.isdigit():
            raise RelevantError("unsupported_expression", position=self.pos, near=number)
        emptiness = EMPTINESS_COUNTS.get((op, int(number)))
        if emptiness is not None:
            return Comparison(name, emptiness)
        if function.text != "count-selected":
            raise RelevantError("unsupported_expression", position=self.pos, near=function.text)
        if not _is("counts_choices", name, self.types):
            raise RelevantError("count_needs_multiple_choice", question=name)
        return Comparison(name, op, int(number))

    def regex(self) -> Comparison:
        """``regex(${q}, 'pattern')``: the answer to ``q`` contains the pattern."""
        self.take("word", "regex")
        self.take("(")
        name = self.ref()
        self.take(",")
        pattern = self.take("str").text
        self.take(")")
        if not is_valid_pattern(pattern):
            raise RelevantError("invalid_pattern", pattern=pattern)
        return Comparison(name, "matches", pattern)

    def sum(self) -> Comparison:
        """``sum(${q}) > 3``: XLSForm adds up a repeat's answers; outside a repeat, the
        sum of a number question is its answer."""
        self.take("word", "sum")
        self.take("(")
        name = self.ref()
        self.take(")")
        if not _is("is_numeric", name, self.types):
            raise RelevantError("sum_not_a_number", question=name)
        return self.comparison(name)

    def ref(self) -> str:
        name = self.take("ref").text
        if name not in self.types:
            raise RelevantError("unknown_or_later_question", question=name)
        return name

    def comparison(self, name: str | None = None) -> Comparison:
        """``${q} > 3`` (``name``: ``q`` already read)."""
        name = name or self.ref()
        op = _OPS[self.take("op").text]
        tok = self.peek()
        if tok is None or tok.kind not in ("str", "num"):
            raise self.unsupported()
        self.pos += 1
        if tok.kind == "str" and tok.text == "" and op in ("equals", "not_equals"):
            return Comparison(name, "not_answered" if op == "equals" else "answered")
        if op in ("gt", "gte", "lt", "lte") or _is("is_numeric", name, self.types):
            try:
                number = float(tok.text)
            except ValueError:
                raise RelevantError("not_a_number", value=tok.text) from None
            return Comparison(name, op, int(number) if number.is_integer() else number)
        return Comparison(name, op, tok.text)


def parse_relevant(expression: str, question_types: Mapping[str, str]) -> Condition:
    """Parse ``expression``; ``question_types`` maps each *earlier* question code to its type.

    Raises :class:`RelevantError` for anything outside the supported subset.
    """
    straight = expression.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})
    parser = _Parser(_tokenize(straight), question_types)
    condition = parser.expr()
    if parser.peek() is not None:
        raise parser.unsupported()
    return condition


def _literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value + "'" if "'" not in value else '"' + value + '"'
    return repr(value)


def to_relevant(condition: Condition, question_types: Mapping[str, str]) -> str:
    """The XLSForm expression of ``condition`` (``in`` becomes an ``or`` of tests)."""
    if isinstance(condition, AllOf | AnyOf):
        joiner = " and " if isinstance(condition, AllOf) else " or "
        parts = []
        for c in condition.conditions:
            text = to_relevant(c, question_types)
            needs_parens = isinstance(c, AllOf | AnyOf) or (
                isinstance(c, Comparison) and c.op == "in"
            )
            parts.append(f"({text})" if needs_parens else text)
        return joiner.join(parts)
    if isinstance(condition, Not):
        return f"not({to_relevant(condition.condition, question_types)})"
    ref = "${" + condition.question + "}"
    multi = _is("multiple", condition.question, question_types)
    op = condition.op
    if op == "answered":
        return f"{ref} != ''"
    if op == "not_answered":
        return f"{ref} = ''"
    if op == "matches":
        return f"regex({ref}, {_literal(condition.value)})"
    if op in COUNT_OPS:
        symbol = {v: k for k, v in _OPS.items()}[op.removeprefix("count_")]
        return f"count-selected({ref}) {symbol} {condition.value}"
    if op == "contains":
        function = "selected" if multi else "contains"
        return f"{function}({ref}, {_literal(condition.value)})"
    if op == "in":
        if multi:
            tests = [f"selected({ref}, {_literal(v)})" for v in condition.value]
        else:
            tests = [f"{ref} = {_literal(v)}" for v in condition.value]
        return " or ".join(tests)
    symbol = {v: k for k, v in _OPS.items()}[op]
    return f"{ref} {symbol} {_literal(condition.value)}"
