"""Error values of the survey engine.

Every error carries a *code* and JSON-safe *params*, never an English sentence: the web
layer turns codes into translated messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AnswerError:
    """One problem with one answer.

    ``question`` is the question code the error belongs to (for an unknown key, the key
    itself). ``params`` may hold ``field`` when the error is about a sub-field such as
    ``q__other`` or ``q__<row>``.
    """

    code: str
    question: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "question": self.question, "params": dict(self.params)}


@dataclass(frozen=True)
class DefinitionProblem:
    """One problem with a survey definition; ``path`` is like ``pages[0].questions[2]``."""

    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "code": self.code, "params": dict(self.params)}


class DefinitionError(ValueError):
    """A definition could not be loaded; ``problems`` lists every reason found."""

    def __init__(self, problems: Iterable[DefinitionProblem]) -> None:
        self.problems: tuple[DefinitionProblem, ...] = tuple(problems)
        summary = "; ".join(f"{p.path}: {p.code}" for p in self.problems[:5])
        super().__init__(f"invalid survey definition ({len(self.problems)} problems): {summary}")


@dataclass(frozen=True)
class ImportProblem:
    """One problem found while importing a spreadsheet; ``row`` is 1-based as in Excel.

    ``column`` is the header as written in the file, when the problem is in one column.
    ``outcome`` says what became of the row when the import went on without it:
    ``left_out`` (the row, or the group it begins, is not in the survey), ``adapted``
    (it is, changed as the message says) or ``ignored`` (something safe to leave out,
    such as a metadata field); empty for a problem that refuses the whole import.
    """

    sheet: str
    row: int
    message_code: str
    params: dict[str, Any] = field(default_factory=dict)
    column: str = ""
    outcome: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "outcome": self.outcome,
            "message_code": self.message_code,
            "params": dict(self.params),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportProblem:
        return cls(
            str(data.get("sheet", "")),
            int(data.get("row", 0)),
            str(data.get("message_code", "")),
            dict(data.get("params") or {}),
            str(data.get("column", "")),
            str(data.get("outcome", "")),
        )


class ImportFailed(ValueError):
    """An import was rejected as a whole; ``problems`` lists every reason, by row."""

    def __init__(self, problems: Iterable[ImportProblem]) -> None:
        self.problems: tuple[ImportProblem, ...] = tuple(problems)
        summary = "; ".join(f"{p.sheet}!{p.row}: {p.message_code}" for p in self.problems[:5])
        super().__init__(f"import failed ({len(self.problems)} problems): {summary}")


class UnknownQuestionType(KeyError):
    """No question type is registered under ``name``."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown question type: {self.name!r}"
