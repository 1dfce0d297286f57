"""XLSForm ``choice_filter`` expressions ⇄ Engage choice filters (cascading selects).

Supported, clauses joined with ``and`` (anything else is rejected, never guessed)::

    district = ${district}      ${district} = district      filter = ${x}
    name != ${first_choice}     selected(${chosen}, name)

``district`` is a column of the choices sheet (an option attribute); ``name`` is the
choice's own name (Engage's ``"value"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from surveys.choice_filters import VALUE
from surveys.types import get_type
from surveys.xlsform.relevant import RelevantError, _tokenize

_OPS = {"=": "equals", "!=": "not_equals"}


def _attribute(word: str) -> str:
    return VALUE if word == "name" else word


def _column(attribute: str) -> str:
    return "name" if attribute == VALUE else attribute


def parse_choice_filter(expression: str, question_types: Mapping[str, str]) -> list[dict[str, str]]:
    """The clauses of ``expression``; ``question_types`` maps each *earlier* question
    code to its type. Raises :class:`RelevantError` (``unsupported_expression``,
    ``unknown_or_later_question``, ``needs_selected``) otherwise."""
    straight = expression.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})
    tokens = _tokenize(straight)
    kinds = [t.kind for t in tokens]
    clauses: list[dict[str, str]] = []
    pos = 0

    def near(at: int) -> RelevantError:
        tok = tokens[at] if at < len(tokens) else None
        text = "" if tok is None else ("${" + tok.text + "}" if tok.kind == "ref" else tok.text)
        return RelevantError("unsupported_expression", position=at, near=text)

    def reference(name: str) -> str:
        if name not in question_types:
            raise RelevantError("unknown_or_later_question", question=name)
        return name

    while True:
        window = kinds[pos : pos + 6]
        if window == ["word", "(", "ref", ",", "word", ")"] and tokens[pos].text == "selected":
            name = reference(tokens[pos + 2].text)
            multiple = get_type(question_types[name]).multiple
            op = "selected_by" if multiple else "equals"
            clauses.append({"attribute": _attribute(tokens[pos + 4].text), "op": op,
                            "question": name})  # fmt: skip
            pos += 6
        elif window[:3] in (["word", "op", "ref"], ["ref", "op", "word"]):
            op = _OPS.get(tokens[pos + 1].text)
            if op is None:
                raise near(pos + 1)
            word, ref = tokens[pos], tokens[pos + 2]
            if kinds[pos] == "ref":
                word, ref = ref, word
            name = reference(ref.text)
            if get_type(question_types[name]).multiple:
                raise RelevantError("needs_selected", question=name, column=word.text)
            clauses.append({"attribute": _attribute(word.text), "op": op, "question": name})
            pos += 3
        else:
            raise near(pos)
        if pos == len(tokens):
            return clauses
        if kinds[pos] != "word" or tokens[pos].text != "and":
            raise near(pos)
        pos += 1


def to_choice_filter(clauses: Sequence[Any]) -> str:
    """The XLSForm expression of a question's ``choice_filter`` clauses."""
    parts = []
    for clause in clauses:
        ref = "${" + clause.question + "}"
        column = _column(clause.attribute)
        if clause.op == "selected_by":
            parts.append(f"selected({ref}, {column})")
        else:
            parts.append(f"{column} {'=' if clause.op == 'equals' else '!='} {ref}")
    return " and ".join(parts)
