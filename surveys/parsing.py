"""Structural parsing of the JSON form of a definition into :mod:`surveys.schema` objects.

Shapes and JSON types are checked here; meaning (unique codes, options per type, skip
logic references…) is checked by :mod:`surveys.checks`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from surveys.conditions import Condition, condition_from_dict
from surveys.errors import DefinitionProblem
from surveys.schema import (
    FORMAT,
    Calculation,
    FilterClause,
    LocalizedText,
    Option,
    Page,
    PageImage,
    Question,
    SurveyDefinition,
)
from surveys.types.base import is_storable

_DEFINITION_FIELDS = {
    "format", "slug", "version", "source_language", "languages", "title", "description",
    "thank_you", "pages", "calculations",
}  # fmt: skip
_CALCULATION_FIELDS = {"code", "expression"}
_PAGE_FIELDS = {"key", "title", "description", "show_if", "questions", "image"}
_IMAGE_FIELDS = {"src", "width", "height", "alt"}
_QUESTION_FIELDS = {
    "code", "type", "required", "label", "help", "options", "rows", "minimum", "maximum",
    "decimals", "max_length", "max_choices", "point_labels", "analysis_role", "outcome",
    "dimension", "show_if", "constraint_message", "default", "choice_filter", "pattern",
}  # fmt: skip
_OPTION_FIELDS = {"value", "label", "exclusive", "specify", "specify_label", "attributes"}
_FILTER_FIELDS = {"attribute", "op", "question"}
FILTER_OPS = frozenset({"equals", "not_equals", "selected_by"})


class _Reader:
    def __init__(self) -> None:
        self.problems: list[DefinitionProblem] = []

    def problem(self, path: str, code: str, /, **params: Any) -> None:
        self.problems.append(DefinitionProblem(path, code, params))

    def mapping(self, data: Any, path: str, allowed: set[str]) -> Mapping[str, Any] | None:
        if not isinstance(data, Mapping):
            self.problem(path, "not_an_object")
            return None
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.problem(path, "unknown_field", fields=unknown)
        return data

    def string(self, data: Mapping[str, Any], key: str, path: str, *, default: Any = ...) -> Any:
        if key not in data:
            if default is ...:
                self.problem(f"{path}.{key}", "missing_field")
                return ""
            return default
        value = data[key]
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", "not_a_string")
            return ""
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{path}.{key}", "not_a_boolean")
            return False
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str) -> LocalizedText:
        value = data.get(key, {})
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.problem(f"{path}.{key}", "invalid_localized_text")
            return {}
        return {k: v for k, v in value.items()}

    def condition(self, data: Mapping[str, Any], path: str) -> Condition | None:
        if data.get("show_if") is None:
            return None
        return condition_from_dict(data["show_if"], f"{path}.show_if", self.problems)

    def number(self, data: Mapping[str, Any], key: str, path: str) -> int | float | str | None:
        value = data.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"{path}.{key}", "not_a_number")
            return None
        if not math.isfinite(value):
            self.problem(f"{path}.{key}", "not_a_number")
            return None
        return value

    def count(self, data: Mapping[str, Any], key: str, path: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(f"{path}.{key}", "not_a_positive_integer")
            return None
        return value

    def options(self, data: Mapping[str, Any], key: str, path: str) -> tuple[Option, ...]:
        items = data.get(key, [])
        if not isinstance(items, list):
            self.problem(f"{path}.{key}", "not_a_list")
            return ()
        options = []
        for i, item in enumerate(items):
            opath = f"{path}.{key}[{i}]"
            raw = self.mapping(item, opath, _OPTION_FIELDS)
            if raw is None:
                continue
            options.append(
                Option(
                    value=self.string(raw, "value", opath),
                    label=self.text(raw, "label", opath),
                    exclusive=self.boolean(raw, "exclusive", opath),
                    specify=self.boolean(raw, "specify", opath),
                    specify_label=self.text(raw, "specify_label", opath),
                    attributes=self.attributes(raw, opath),
                )
            )
        return tuple(options)

    def attributes(self, data: Mapping[str, Any], path: str) -> dict[str, str]:
        value = data.get("attributes", {})
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.problem(f"{path}.attributes", "invalid_attributes")
            return {}
        return dict(value)

    def default(self, data: Mapping[str, Any], path: str) -> Any:
        value = data.get("default")
        scalar = (str, int, float, bool)
        if value is None or (
            isinstance(value, scalar)
            and not (isinstance(value, float) and not math.isfinite(value))
        ):
            return value
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        self.problem(f"{path}.default", "invalid_default")
        return None

    def choice_filter(self, data: Mapping[str, Any], path: str) -> tuple[FilterClause, ...]:
        items = data.get("choice_filter", [])
        if not isinstance(items, list):
            self.problem(f"{path}.choice_filter", "not_a_list")
            return ()
        clauses = []
        for i, item in enumerate(items):
            cpath = f"{path}.choice_filter[{i}]"
            raw = self.mapping(item, cpath, _FILTER_FIELDS)
            if raw is None:
                continue
            attribute = self.string(raw, "attribute", cpath)
            op = self.string(raw, "op", cpath)
            question = self.string(raw, "question", cpath)
            if op not in FILTER_OPS:
                self.problem(f"{cpath}.op", "unknown_operator", op=op)
                continue
            if attribute and question:
                clauses.append(FilterClause(attribute, op, question))
            else:
                self.problem(cpath, "invalid_choice_filter")
        return tuple(clauses)

    def question(self, data: Any, path: str) -> Question | None:
        raw = self.mapping(data, path, _QUESTION_FIELDS)
        if raw is None:
            return None
        point_labels: dict[str, LocalizedText] = {}
        labels = raw.get("point_labels", {})
        if isinstance(labels, Mapping):
            for point in labels:
                point_labels[str(point)] = self.text(labels, point, f"{path}.point_labels")
        else:
            self.problem(f"{path}.point_labels", "not_an_object")
        return Question(
            code=self.string(raw, "code", path),
            type=self.string(raw, "type", path),
            label=self.text(raw, "label", path),
            help=self.text(raw, "help", path),
            constraint_message=self.text(raw, "constraint_message", path),
            required=self.boolean(raw, "required", path),
            options=self.options(raw, "options", path),
            rows=self.options(raw, "rows", path),
            minimum=self.number(raw, "minimum", path),
            maximum=self.number(raw, "maximum", path),
            decimals=self.boolean(raw, "decimals", path),
            max_length=self.count(raw, "max_length", path),
            max_choices=self.count(raw, "max_choices", path),
            pattern=self.string(raw, "pattern", path, default=None),
            point_labels=point_labels,
            analysis_role=self.string(raw, "analysis_role", path, default=None),
            outcome=self.string(raw, "outcome", path, default=None),
            dimension=self.string(raw, "dimension", path, default=None),
            show_if=self.condition(raw, path),
            default=self.default(raw, path),
            choice_filter=self.choice_filter(raw, path),
        )

    def page(self, data: Any, path: str) -> Page | None:
        raw = self.mapping(data, path, _PAGE_FIELDS)
        if raw is None:
            return None
        items = raw.get("questions", [])
        if not isinstance(items, list):
            self.problem(f"{path}.questions", "not_a_list")
            items = []
        questions = [self.question(q, f"{path}.questions[{i}]") for i, q in enumerate(items)]
        return Page(
            key=self.string(raw, "key", path),
            questions=tuple(q for q in questions if q is not None),
            title=self.text(raw, "title", path),
            description=self.text(raw, "description", path),
            show_if=self.condition(raw, path),
            image=self.image(raw.get("image"), f"{path}.image"),
        )

    def image(self, data: Any, path: str) -> PageImage | None:
        if data is None:
            return None
        raw = self.mapping(data, path, _IMAGE_FIELDS)
        if raw is None:
            return None
        src = self.string(raw, "src", path)
        # Only an address on this site: a resident page makes no third-party request.
        if not src.startswith("/") or src.startswith("//"):
            self.problem(f"{path}.src", "invalid_image_src")
        size = []
        for key in ("width", "height"):
            value = raw.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 4000:
                self.problem(f"{path}.{key}", "invalid_image_size")
                value = 1
            size.append(value)
        return PageImage(src, size[0], size[1], self.text(raw, "alt", path))


def unstorable_texts(data: Any) -> list[DefinitionProblem]:
    """``unstorable_text`` for each string (key or value) in ``data`` that no database
    keeps and no page can show: NUL characters and lone surrogates.

    For definitions from outside (imported files): refusing them at the door keeps every
    stored definition loadable. Walks without recursion, however deep ``data`` is.
    """
    problems: list[DefinitionProblem] = []
    stack: list[tuple[str, Any]] = [("$", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if not is_storable(value):
                problems.append(DefinitionProblem(path, "unstorable_text"))
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str) and not is_storable(key):
                    problems.append(DefinitionProblem(path, "unstorable_text"))
                else:
                    stack.append((f"{path}.{key}", item))
        elif isinstance(value, list | tuple):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
    return sorted(problems, key=lambda problem: problem.path)


def parse_question(data: Any) -> tuple[Question | None, list[DefinitionProblem]]:
    """One question from its JSON form, with its structural problems (paths from ``$``)."""
    reader = _Reader()
    question = reader.question(data, "$")
    return question, reader.problems


def parse_definition(
    data: Any,
) -> tuple[SurveyDefinition | None, list[DefinitionProblem]]:
    """Build a definition from its JSON form, collecting every structural problem."""
    reader = _Reader()
    raw = reader.mapping(data, "$", _DEFINITION_FIELDS)
    if raw is None:
        return None, reader.problems
    if raw.get("format", FORMAT) != FORMAT:
        reader.problem("$.format", "unsupported_format", format=raw.get("format"))
    languages = raw.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        reader.problem("$.languages", "not_a_list_of_strings")
        languages = []
    pages_raw = raw.get("pages", [])
    if not isinstance(pages_raw, list):
        reader.problem("$.pages", "not_a_list")
        pages_raw = []
    pages = [reader.page(p, f"$.pages[{i}]") for i, p in enumerate(pages_raw)]
    calculations = []
    items = raw.get("calculations", [])
    if not isinstance(items, list):
        reader.problem("$.calculations", "not_a_list")
        items = []
    for i, item in enumerate(items):
        cpath = f"$.calculations[{i}]"
        calc = reader.mapping(item, cpath, _CALCULATION_FIELDS)
        if calc is not None:
            code = reader.string(calc, "code", cpath)
            calculations.append(Calculation(code, reader.string(calc, "expression", cpath)))
    version = raw.get("version", "")
    if isinstance(version, int) and not isinstance(version, bool):
        version = str(version)
    definition = SurveyDefinition(
        slug=reader.string(raw, "slug", "$"),
        source_language=reader.string(raw, "source_language", "$"),
        languages=tuple(languages),
        title=reader.text(raw, "title", "$"),
        description=reader.text(raw, "description", "$"),
        thank_you=reader.text(raw, "thank_you", "$"),
        pages=tuple(p for p in pages if p is not None),
        version=version if isinstance(version, str) else "",
        calculations=tuple(calculations),
    )
    return definition, reader.problems
