"""Calculations: values worked out from a response's answers and stored with it
(XLSForm ``calculate`` rows), evaluated on the server when the response is sent.

A safe subset of XPath, parsed here (never ``eval``)::

    ${a} + ${b} * 2     ${total} div ${people}     ${n} mod 2     -${x}     ( ... )
    ${a} = 'x'    !=  <  <=  >  >=    and    or
    if(${age} >= 18, 'adult', 'child')     concat(${first}, ' ', ${last})
    count-selected(${topics})     selected(${topics}, 'bus')     not(...)
    round(${x}, 1)    int(${x})    number(${x})    string-length(${x})
    coalesce(${a}, ${b})    sum(${x}) (one answer: no repeats)    true()    false()

As in XPath, an unanswered question is the empty string, a number made of an empty or
non-numeric text is NaN, and arithmetic with NaN is NaN. A result that is NaN, infinite or
empty is not stored. Numbers are stored as numbers (whole ones as integers), comparisons
as ``"true"``/``"false"``, everything else as text.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from surveys.schema import SurveyDefinition

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<name>[^}\s]+)\})
      | '(?P<sq>[^']*)' | "(?P<dq>[^"]*)"
      | (?P<num>\d+(?:\.\d*)?|\.\d+)
      | (?P<op>!=|>=|<=|=|>|<|\+|-|\*)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)
FUNCTIONS: dict[str, tuple[int, int]] = {
    "if": (3, 3),
    "concat": (1, 99),
    "count-selected": (1, 1),
    "selected": (2, 2),
    "not": (1, 1),
    "round": (1, 2),
    "int": (1, 1),
    "number": (1, 1),
    "string-length": (1, 1),
    "coalesce": (2, 2),
    "sum": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
}
"""Function name → (fewest, most) arguments."""
MAX_LENGTH = 2000


class CalculationError(ValueError):
    """An expression outside the supported subset: ``code`` says why, ``near`` where."""

    def __init__(self, code: str, near: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.near = near


@dataclass(frozen=True)
class Node:
    """``kind``: ``num``, ``str``, ``ref``, ``call`` (``value`` the function), ``neg``,
    or a binary operator (``+``, ``-``, ``*``, ``div``, ``mod``, ``=``… ``and``, ``or``)."""

    kind: str
    value: Any = None
    args: tuple[Node, ...] = ()


def _tokens(expression: str) -> list[tuple[str, str]]:
    text = expression.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'}).strip()
    found, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise CalculationError("unsupported_expression", text[pos:][:20].strip())
        pos = match.end()
        if match["ref"]:
            found.append(("ref", match["name"]))
        elif match["sq"] is not None or match["dq"] is not None:
            found.append(("str", match["sq"] if match["sq"] is not None else match["dq"]))
        elif match["num"]:
            found.append(("num", match["num"]))
        elif match["op"]:
            found.append(("op", match["op"]))
        elif match["punct"]:
            found.append((match["punct"], match["punct"]))
        else:
            word = match["word"]
            found.append(("op", word) if word in ("and", "or", "div", "mod") else ("word", word))
    return found


_LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"))


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def fail(self) -> CalculationError:
        tok = self.peek()
        if tok is None:
            return CalculationError("unsupported_expression", "")
        near = "${" + tok[1] + "}" if tok[0] == "ref" else tok[1]
        if tok[0] == "word" and tok[1] not in FUNCTIONS:
            return CalculationError("unsupported_function", tok[1])
        return CalculationError("unsupported_expression", near)

    def take(self, kind: str) -> str:
        tok = self.peek()
        if tok is None or tok[0] != kind:
            raise self.fail()
        self.pos += 1
        return tok[1]

    def binary(self, level: int = 0) -> Node:
        if level == len(_LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in _LEVELS[level]:
            self.pos += 1
            node = Node(tok[1], args=(node, self.binary(level + 1)))
        return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.fail()
        kind, text = tok
        if kind == "op" and text == "-":
            self.pos += 1
            return Node("neg", args=(self.unary(),))
        if kind in ("num", "str", "ref"):
            self.pos += 1
            return Node(kind, float(text) if kind == "num" else text)
        if kind == "(":
            self.pos += 1
            inner = self.binary()
            self.take(")")
            return inner
        if kind == "word" and text in FUNCTIONS:
            self.pos += 1
            return self.call(text)
        raise self.fail()

    def call(self, name: str) -> Node:
        self.take("(")
        args: list[Node] = []
        if (tok := self.peek()) is not None and tok[0] != ")":
            args.append(self.binary())
            while (tok := self.peek()) is not None and tok[0] == ",":
                self.pos += 1
                args.append(self.binary())
        self.take(")")
        fewest, most = FUNCTIONS[name]
        if not fewest <= len(args) <= most:
            raise CalculationError("wrong_arguments", name)
        return Node("call", name, tuple(args))


@functools.lru_cache(maxsize=1024)
def parse_calculation(expression: str) -> Node:
    """The expression as a tree; :class:`CalculationError` outside the subset."""
    if len(expression) > MAX_LENGTH:
        raise CalculationError("expression_too_long", expression[:20])
    parser = _Parser(_tokens(expression))
    if parser.peek() is None:
        raise CalculationError("empty_expression")
    try:
        node = parser.binary()
    except RecursionError:
        raise CalculationError("unsupported_expression", "(") from None
    if parser.peek() is not None:
        raise parser.fail()
    if _depth(node) > MAX_DEPTH:  # evaluating and reading it recurse: keep it shallow
        raise CalculationError("unsupported_expression", expression[:20])
    return node


MAX_DEPTH = 100  # levels of a parsed expression; "1+1+…" nests one level a term


def _depth(node: Node) -> int:
    """How deep the tree goes, counted without recursion."""
    deepest, level = 0, [node]
    while level:
        deepest += 1
        level = [arg for n in level for arg in n.args]
    return deepest


def references(node: Node) -> list[str]:
    """The ``${code}`` references of an expression, in order."""
    if node.kind == "ref":
        return [node.value]
    return [code for arg in node.args for code in references(arg)]


# -- evaluation (XPath 1.0 conversions) -------------------------------------------------


def _answer(value: Any) -> Any:
    if value is None or isinstance(value, Mapping):
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(str(value).strip()) if str(value).strip() else math.nan
    except ValueError:
        return math.nan


def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not math.isnan(value) and value != 0
    return value != ""


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            same = _boolean(left) == _boolean(right)
        elif isinstance(left, float) or isinstance(right, float):
            same = _number(left) == _number(right)
        else:
            same = _string(left) == _string(right)
        return same if op == "=" else not same
    a, b = _number(left), _number(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _divide(a: float, b: float) -> float:
    if b == 0:
        return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)
    return a / b


def _modulo(a: float, b: float) -> float:
    return math.nan if b == 0 or math.isinf(a) else math.fmod(a, b)


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": _divide,
    "mod": _modulo,
}


def _round(x: float, places: float = 0.0) -> float:
    if math.isnan(x) or math.isinf(x) or math.isnan(places):
        return x
    factor = 10.0 ** max(-15, min(15, int(places)))
    scaled = x * factor + 0.5
    if math.isinf(scaled):  # too large to have decimals to round
        return x
    return math.floor(scaled) / factor  # XPath rounds halves up


def evaluate(node: Node, values: Mapping[str, Any]) -> Any:
    """The value of ``node`` given ``values`` (answers and earlier calculations)."""
    kind = node.kind
    if kind in ("num", "str"):
        return node.value
    if kind == "ref":
        return _answer(values.get(node.value))
    if kind == "neg":
        return -_number(evaluate(node.args[0], values))
    if kind in _ARITHMETIC:
        left, right = (_number(evaluate(a, values)) for a in node.args)
        try:
            return _ARITHMETIC[kind](left, right)
        except (OverflowError, ValueError):
            return math.nan
    if kind in ("and", "or"):
        first = _boolean(evaluate(node.args[0], values))
        if first == (kind == "or"):
            return first
        return _boolean(evaluate(node.args[1], values))
    if kind != "call":
        return _compare(kind, *(evaluate(a, values) for a in node.args))
    return _call(node, values)


def _call(node: Node, values: Mapping[str, Any]) -> Any:
    name, args = node.value, node.args
    if name == "if":
        chosen = args[1] if _boolean(evaluate(args[0], values)) else args[2]
        return evaluate(chosen, values)
    if name in ("count-selected", "selected") and args[0].kind == "ref":
        raw = values.get(args[0].value)
        chosen = [str(v) for v in raw] if isinstance(raw, list) else _string(_answer(raw)).split()
        if name == "count-selected":
            return float(len(chosen))
        return _string(evaluate(args[1], values)) in chosen
    given = [evaluate(a, values) for a in args]
    if name == "count-selected":
        return float(len(_string(given[0]).split()))
    if name == "selected":
        return _string(given[1]) in _string(given[0]).split()
    if name == "concat":
        return "".join(_string(v) for v in given)
    if name == "not":
        return not _boolean(given[0])
    if name == "round":
        return _round(_number(given[0]), _number(given[1]) if len(given) > 1 else 0.0)
    if name == "int":
        x = _number(given[0])
        return x if math.isnan(x) or math.isinf(x) else float(math.trunc(x))
    if name in ("number", "sum"):  # outside a repeat, the sum of one answer is itself
        return _number(given[0])
    if name == "string-length":
        return float(len(_string(given[0])))
    if name == "coalesce":
        return given[0] if _string(given[0]) != "" else given[1]
    return name == "true"  # true(), false()


def stored_value(value: Any) -> Any:
    """A calculation's result as stored: None for NaN, infinity or empty text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return value if value != "" else None


def with_calculations(definition: SurveyDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` and the calculations worked out from them (to show in a label)."""
    if not definition.calculations:
        return dict(answers)
    return {**answers, **compute(definition, answers)}


def compute(definition: SurveyDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Every calculation of ``definition`` with a value, given the (normalised) answers;
    a calculation may use those before it."""
    values: dict[str, Any] = dict(answers)
    results: dict[str, Any] = {}
    for calculation in definition.calculations:
        value = stored_value(evaluate(parse_calculation(calculation.expression), values))
        values[calculation.code] = value
        if value is not None:
            results[calculation.code] = value
    return results
