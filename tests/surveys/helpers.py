"""Small builders for survey definitions in tests."""

from __future__ import annotations

from typing import Any

from surveys import SurveyDefinition


def opt(value: str, label: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"value": value, "label": {"en": label or value.title()}, **extra}


def q(code: str, type_: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "type": type_, "label": {"en": f"Question {code}"}, **extra}


def definition_dict(*pages: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A definition dict with one page per list of questions."""
    data: dict[str, Any] = {
        "slug": "test",
        "source_language": "en",
        "languages": ["en", "es"],
        "title": {"en": "Test survey", "es": "Encuesta de prueba"},
        "pages": [{"key": f"p{i + 1}", "questions": qs} for i, qs in enumerate(pages)],
    }
    data.update(extra)
    return data


def make(*pages: list[dict[str, Any]], **extra: Any) -> SurveyDefinition:
    return SurveyDefinition.from_dict(definition_dict(*pages, **extra))


def single(question: dict[str, Any]) -> SurveyDefinition:
    """A one-question survey."""
    return make([question])
