"""Edits to a survey definition, the way the survey builder makes them.

Every function takes a definition in its JSON form (``SurveyDefinition.to_dict()``) and
returns a new one, leaving its argument untouched. They only find and move things; the
caller checks the result with :func:`draft_problems`, which tolerates what an unfinished
draft may still lack (a page without questions), or :func:`publish_problems`.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from surveys.checks import check_definition
from surveys.errors import DefinitionProblem
from surveys.parsing import parse_definition
from surveys.schema import FORMAT, LocalizedText

Definition = dict[str, Any]

DRAFT_TOLERATED = frozenset({"no_pages", "no_questions"})
"""Problems a draft may have while it is being built; publishing needs them fixed."""


class EditError(LookupError):
    """The page or question to edit is not there, or cannot move further."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def blank_definition(
    *, slug: str, title: str, source_language: str, languages: list[str]
) -> Definition:
    """A new survey: its title in the source language and one empty page."""
    ordered = [source_language, *[lang for lang in languages if lang != source_language]]
    return {
        "format": FORMAT,
        "slug": slug,
        "version": "",
        "source_language": source_language,
        "languages": ordered,
        "title": {source_language: title},
        "pages": [{"key": "page_1", "questions": []}],
    }


def all_problems(data: Mapping[str, Any]) -> list[DefinitionProblem]:
    definition, problems = parse_definition(data)
    if definition is not None and not problems:
        problems = check_definition(definition)
    return list(problems)


def draft_problems(data: Mapping[str, Any]) -> list[DefinitionProblem]:
    """What must be fixed before a draft can be saved."""
    return [p for p in all_problems(data) if p.code not in DRAFT_TOLERATED]


def publish_problems(data: Mapping[str, Any]) -> list[DefinitionProblem]:
    """What must be fixed before a draft can be published."""
    return all_problems(data)


def code_from_text(text: str, fallback: str = "q") -> str:
    """A readable ASCII code from a label: ``"How old are you?"`` → ``how_old_are_you``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    code = "_".join(words)[:40].strip("_")
    if not code or code[0].isdigit():
        code = f"{fallback}_{code}" if code else fallback
    return code


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``… whichever is free."""
    if base not in taken:
        return base
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def question_codes(data: Mapping[str, Any]) -> set[str]:
    return {q["code"] for page in data.get("pages", []) for q in page.get("questions", [])}


def page_keys(data: Mapping[str, Any]) -> set[str]:
    return {page["key"] for page in data.get("pages", [])}


def find_page(data: Mapping[str, Any], key: str) -> int:
    for index, page in enumerate(data.get("pages", [])):
        if page.get("key") == key:
            return index
    raise EditError("page_not_found", page=key)


def find_question(data: Mapping[str, Any], code: str) -> tuple[int, int]:
    """``(page index, question index)`` of the question ``code``."""
    for p_index, page in enumerate(data.get("pages", [])):
        for q_index, question in enumerate(page.get("questions", [])):
            if question.get("code") == code:
                return p_index, q_index
    raise EditError("question_not_found", question=code)


def update_settings(data: Mapping[str, Any], **changes: Any) -> Definition:
    """Top-level fields (title, description, languages, …); ``None`` removes a field."""
    new = copy.deepcopy(dict(data))
    for name, value in changes.items():
        if value is None:
            new.pop(name, None)
        else:
            new[name] = value
    return new


TOP_LEVEL_TEXTS = ("title", "description", "thank_you")


def restrict_languages(data: Mapping[str, Any], languages: list[str]) -> Definition:
    """Drop every text in a language not in ``languages``."""
    keep = set(languages)
    new = copy.deepcopy(dict(data))

    def only(text: Any) -> Any:
        return {k: v for k, v in text.items() if k in keep} if isinstance(text, dict) else text

    for name in TOP_LEVEL_TEXTS:
        if name in new:
            new[name] = only(new[name])
    for page in new.get("pages", []):
        for name in ("title", "description"):
            if name in page:
                page[name] = only(page[name])
        for question in page.get("questions", []):
            for name in ("label", "help", "constraint_message"):
                if name in question:
                    question[name] = only(question[name])
            for choice in [*question.get("options", []), *question.get("rows", [])]:
                choice["label"] = only(choice.get("label"))
            if "point_labels" in question:
                question["point_labels"] = {
                    point: only(text) for point, text in question["point_labels"].items()
                }
    return new


def add_page(
    data: Mapping[str, Any], *, title: LocalizedText | None = None
) -> tuple[Definition, str]:
    """A new empty page at the end; returns the definition and the page's key."""
    new = copy.deepcopy(dict(data))
    key = unique_name(f"page_{len(new['pages']) + 1}", page_keys(new))
    page: dict[str, Any] = {"key": key, "questions": []}
    if title:
        page["title"] = dict(title)
    new["pages"].append(page)
    return new, key


def update_page(
    data: Mapping[str, Any],
    key: str,
    *,
    title: LocalizedText,
    description: LocalizedText,
    show_if: Mapping[str, Any] | None,
) -> Definition:
    new = copy.deepcopy(dict(data))
    page = new["pages"][find_page(new, key)]
    for name, value in (("title", title), ("description", description), ("show_if", show_if)):
        if value:
            page[name] = copy.deepcopy(dict(value))
        else:
            page.pop(name, None)
    # Keep the JSON form's key order: questions last.
    page["questions"] = page.pop("questions")
    return new


def delete_page(data: Mapping[str, Any], key: str) -> Definition:
    new = copy.deepcopy(dict(data))
    del new["pages"][find_page(new, key)]
    return new


def move_page(data: Mapping[str, Any], key: str, offset: int) -> Definition:
    """Move a page ``offset`` places (−1 up, +1 down)."""
    new = copy.deepcopy(dict(data))
    index = find_page(new, key)
    target = index + offset
    if not 0 <= target < len(new["pages"]):
        raise EditError("cannot_move", page=key)
    pages = new["pages"]
    pages.insert(target, pages.pop(index))
    return new


def add_question(data: Mapping[str, Any], page_key: str, question: Mapping[str, Any]) -> Definition:
    """Append ``question`` to the page ``page_key``."""
    new = copy.deepcopy(dict(data))
    new["pages"][find_page(new, page_key)]["questions"].append(copy.deepcopy(dict(question)))
    return new


def replace_question(
    data: Mapping[str, Any],
    code: str,
    question: Mapping[str, Any],
    *,
    page_key: str | None = None,
) -> Definition:
    """Put ``question`` in place of ``code``; to the end of ``page_key`` if that differs.

    A changed code is followed everywhere skip logic refers to the old one.
    """
    new = copy.deepcopy(dict(data))
    p_index, q_index = find_question(new, code)
    replacement = copy.deepcopy(dict(question))
    target = p_index if page_key is None else find_page(new, page_key)
    if target == p_index:
        new["pages"][p_index]["questions"][q_index] = replacement
    else:
        del new["pages"][p_index]["questions"][q_index]
        new["pages"][target]["questions"].append(replacement)
    if replacement["code"] != code:
        for condition in _conditions(new):
            _rename_in_condition(condition, code, replacement["code"])
        _rename_in_filters_and_calculations(new, code, replacement["code"])
    return new


def _rename_in_filters_and_calculations(data: dict[str, Any], old: str, new: str) -> None:
    for page in data.get("pages", []):
        for question in page.get("questions", []):
            for clause in question.get("choice_filter", []):
                if clause.get("question") == old:
                    clause["question"] = new
    for calculation in data.get("calculations", []):
        expression = str(calculation.get("expression", ""))
        calculation["expression"] = expression.replace("${" + old + "}", "${" + new + "}")


def delete_question(data: Mapping[str, Any], code: str) -> Definition:
    """The definition without question ``code``, nor the calculations that used it
    (see :func:`calculations_using`); the choices it filtered are no longer filtered."""
    new = copy.deepcopy(dict(data))
    p_index, q_index = find_question(new, code)
    del new["pages"][p_index]["questions"][q_index]
    gone = set(calculations_using(data, code))
    if gone:
        new["calculations"] = [c for c in new["calculations"] if c.get("code") not in gone]
    for page in new["pages"]:
        for question in page["questions"]:
            if question.get("code") in filters_using(data, code):
                del question["choice_filter"]
    return new


def filters_using(data: Mapping[str, Any], code: str) -> list[str]:
    """The codes of the questions whose choices are filtered by the answer to ``code``."""
    return [
        question["code"]
        for page in data.get("pages", [])
        for question in page.get("questions", [])
        if any(c.get("question") == code for c in question.get("choice_filter", []))
    ]


def calculations_using(data: Mapping[str, Any], code: str) -> list[str]:
    """The codes of the calculations that use ``code``, directly or through another."""
    from surveys.calculations import CalculationError, parse_calculation, references

    used, found = {code}, []
    for calculation in data.get("calculations", []):
        try:
            refs = set(references(parse_calculation(str(calculation.get("expression", "")))))
        except CalculationError:
            continue
        if refs & used:
            used.add(calculation.get("code"))
            found.append(str(calculation.get("code")))
    return found


def move_question(data: Mapping[str, Any], code: str, offset: int) -> Definition:
    """Move a question one place up (−1) or down (+1), across into the next page at an end."""
    new = copy.deepcopy(dict(data))
    p_index, q_index = find_question(new, code)
    pages = new["pages"]
    questions = pages[p_index]["questions"]
    target = q_index + offset
    if 0 <= target < len(questions):
        questions.insert(target, questions.pop(q_index))
    elif offset < 0 and p_index > 0:
        pages[p_index - 1]["questions"].append(questions.pop(q_index))
    elif offset > 0 and p_index < len(pages) - 1:
        pages[p_index + 1]["questions"].insert(0, questions.pop(q_index))
    else:
        raise EditError("cannot_move", question=code)
    return new


def references_to(data: Mapping[str, Any], code: str) -> list[str]:
    """Codes of questions and keys of pages whose skip logic looks at question ``code``."""
    found: list[str] = []
    for page in data.get("pages", []):
        if _mentions(page.get("show_if"), code):
            found.append(page["key"])
        for question in page.get("questions", []):
            if _mentions(question.get("show_if"), code):
                found.append(question["code"])
    return found


def _conditions(data: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for page in data.get("pages", []):
        if isinstance(page.get("show_if"), dict):
            yield page["show_if"]
        for question in page.get("questions", []):
            if isinstance(question.get("show_if"), dict):
                yield question["show_if"]


def _comparisons(condition: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(condition, dict):
        return
    if "question" in condition:
        yield condition
    for name in ("all", "any"):
        for part in condition.get(name, []) or []:
            yield from _comparisons(part)
    if "not" in condition:
        yield from _comparisons(condition["not"])


def _mentions(condition: Any, code: str) -> bool:
    return any(c.get("question") == code for c in _comparisons(condition))


def _rename_in_condition(condition: dict[str, Any], old: str, new: str) -> None:
    for comparison in _comparisons(condition):
        if comparison.get("question") == old:
            comparison["question"] = new
