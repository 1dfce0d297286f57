"""Co-design feedback rounds as survey definitions.

A round shows residents a few prototypes and asks, for each, how well it would work
for them and what would make it better. It is generated as an ordinary definition so
that everything residents meet on a survey (languages and fallback, resume, abuse
protections, interviewer mode, paper) is the same engine. This module only builds the
JSON; the ``engage.rounds`` services store and publish it.

Question codes are derived from a prototype's stable key (``p12`` for prototype 12), so
a definition regenerated after an edit keeps the codes of answers already given, and
results can find a prototype's questions without reading labels:

* ``p12_reaction`` — single choice on :data:`REACTIONS`, most positive first;
* ``p12_better`` — open text with the ``open_feedback`` role, so each answer becomes a
  feedback item named by its question code, which the analysis clusters;
* ``ranking`` — optional, every prototype as an option, most preferred first.

Pages whose key does not start with :data:`PROTOTYPE_PAGE_PREFIX` (and are not the
ranking page) are the round's own questions: kept as they are when regenerating.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveys.schema import FORMAT, LocalizedText, PageImage

PROTOTYPE_PAGE_PREFIX = "prototype_"
RANKING_PAGE = "prototype-ranking"
RANKING_CODE = "ranking"
REACTION_SUFFIX = "_reaction"
BETTER_SUFFIX = "_better"

# The reaction scale, most positive first, in the languages Engage ships. Survey content
# is data (not gettext): these texts go into the definition like any staff-written text.
REACTIONS: tuple[tuple[str, LocalizedText], ...] = (
    (
        "works",
        {
            "en": "This would work for me",
            "es": "Esto me funcionaría",
            "fr": "Cela me conviendrait",
            "ar": "هذا سيناسبني",
            "vi": "Điều này sẽ phù hợp với tôi",
            "zh": "这对我有用",
        },
    ),
    (
        "mostly_works",
        {
            "en": "This would mostly work for me",
            "es": "Esto me funcionaría en gran parte",
            "fr": "Cela me conviendrait en grande partie",
            "ar": "هذا سيناسبني في الغالب",
            "vi": "Điều này phần lớn sẽ phù hợp với tôi",
            "zh": "这对我大体有用",
        },
    ),
    (
        "not_sure",
        {
            "en": "I am not sure",
            "es": "No estoy seguro o segura",
            "fr": "Je ne suis pas sûr ou sûre",
            "ar": "لست متأكدًا",
            "vi": "Tôi không chắc",
            "zh": "我不确定",
        },
    ),
    (
        "mostly_not",
        {
            "en": "This would mostly not work for me",
            "es": "Esto en gran parte no me funcionaría",
            "fr": "Cela ne me conviendrait pas vraiment",
            "ar": "هذا لن يناسبني في الغالب",
            "vi": "Điều này phần lớn sẽ không phù hợp với tôi",
            "zh": "这对我大体没用",
        },
    ),
    (
        "does_not_work",
        {
            "en": "This would not work for me",
            "es": "Esto no me funcionaría",
            "fr": "Cela ne me conviendrait pas",
            "ar": "هذا لن يناسبني",
            "vi": "Điều này sẽ không phù hợp với tôi",
            "zh": "这对我没用",
        },
    ),
)
REACTION_VALUES = tuple(value for value, _label in REACTIONS)
POSITIVE_REACTIONS = frozenset({"works", "mostly_works"})

_REACTION_LABEL: LocalizedText = {
    "en": "Would this work for you?",
    "es": "¿Esto le funcionaría?",
    "fr": "Est-ce que cela vous conviendrait ?",
    "ar": "هل سيناسبك هذا؟",
    "vi": "Điều này có phù hợp với bạn không?",
    "zh": "这对您有用吗？",
}
_BETTER_LABEL: LocalizedText = {
    "en": "What would make it better?",
    "es": "¿Qué lo haría mejor?",
    "fr": "Qu’est-ce qui l’améliorerait ?",
    "ar": "ما الذي يجعله أفضل؟",
    "vi": "Điều gì sẽ làm cho nó tốt hơn?",
    "zh": "怎样能让它更好？",
}
_RANKING_LABEL: LocalizedText = {
    "en": "Put the ideas in order: the one you like most first.",
    "es": "Ordene las ideas: primero la que más le guste.",
    "fr": "Classez les idées : celle que vous préférez en premier.",
    "ar": "رتّب الأفكار: الفكرة التي تفضّلها أولًا.",
    "vi": "Hãy sắp xếp các ý tưởng: ý tưởng bạn thích nhất đứng đầu.",
    "zh": "请给这些想法排序：最喜欢的排在第一。",
}


@dataclass(frozen=True)
class PrototypeContent:
    """What residents see of one prototype: ``key`` is stable (``p`` + its id)."""

    key: str
    title: LocalizedText
    description: LocalizedText = field(default_factory=dict)
    image: PageImage | None = None


def reaction_code(key: str) -> str:
    return f"{key}{REACTION_SUFFIX}"


def better_code(key: str) -> str:
    return f"{key}{BETTER_SUFFIX}"


def _engine_text(text: LocalizedText, languages: Sequence[str], source: str) -> LocalizedText:
    """The built-in text in the round's languages; the source language (which every
    text must have) falls back to English when Engage has no text in it."""
    found = {lang: text[lang] for lang in languages if lang in text}
    found.setdefault(source, text["en"])
    return found


def _only(text: Mapping[str, str], languages: Sequence[str]) -> LocalizedText:
    return {lang: value for lang, value in text.items() if lang in languages and value.strip()}


def is_generated_page(key: str) -> bool:
    return key.startswith(PROTOTYPE_PAGE_PREFIX) or key == RANKING_PAGE


def codesign_definition(
    *,
    slug: str,
    source_language: str,
    languages: Sequence[str],
    title: Mapping[str, str],
    description: Mapping[str, str],
    prototypes: Sequence[PrototypeContent],
    with_ranking: bool,
    own_pages: Sequence[Mapping[str, Any]] = (),
    thank_you: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The JSON definition of a round: one page per prototype, the ranking page (when
    asked for and there are two prototypes or more), then the round's own pages."""
    langs = list(languages)

    def engine(text: LocalizedText) -> LocalizedText:
        return _engine_text(text, langs, source_language)

    options = [{"value": value, "label": engine(label)} for value, label in REACTIONS]
    pages: list[dict[str, Any]] = []
    for prototype in prototypes:
        page: dict[str, Any] = {
            "key": f"{PROTOTYPE_PAGE_PREFIX}{prototype.key}",
            "title": _only(prototype.title, langs),
            "questions": [
                {
                    "code": reaction_code(prototype.key),
                    "type": "single_choice",
                    "required": False,
                    "label": engine(_REACTION_LABEL),
                    "options": options,
                },
                {
                    "code": better_code(prototype.key),
                    "type": "long_text",
                    "required": False,
                    "label": engine(_BETTER_LABEL),
                    "max_length": 2000,
                    "analysis_role": "open_feedback",
                },
            ],
        }
        if _only(prototype.description, langs):
            page["description"] = _only(prototype.description, langs)
        if prototype.image is not None:
            page["image"] = prototype.image.to_dict()
        pages.append(page)
    if with_ranking and len(prototypes) >= 2:
        ranking = {
            "code": RANKING_CODE,
            "type": "ranking",
            "required": False,
            "label": engine(_RANKING_LABEL),
            "options": [{"value": p.key, "label": _only(p.title, langs)} for p in prototypes],
        }
        pages.append({"key": RANKING_PAGE, "questions": [ranking]})
    pages.extend(dict(page) for page in own_pages if not is_generated_page(str(page.get("key"))))
    data: dict[str, Any] = {
        "format": FORMAT,
        "slug": slug,
        "version": "",
        "source_language": source_language,
        "languages": langs,
        "title": _only(title, langs),
        "pages": pages,
    }
    if _only(description, langs):
        data["description"] = _only(description, langs)
    if thank_you:
        data["thank_you"] = dict(thank_you)
    return data
