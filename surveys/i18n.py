"""Survey *content* translation: fallback, completeness, flattening to translation keys.

Survey text is data stored with the survey, not gettext. Every text has a stable key
built from codes and option values (never positions), so translations survive edits::

    title, description
    pages.<page key>.title, pages.<page key>.description
    questions.<code>.label, questions.<code>.help
    questions.<code>.options.<value>, questions.<code>.rows.<value>
    questions.<code>.points.<n>

Only texts that exist in the source language are keys.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from surveys.schema import LocalizedText, Option, Page, Question, SurveyDefinition

RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"}
)


def text_direction(lang: str) -> str:
    """``"rtl"`` or ``"ltr"`` for a language code such as ``ar`` or ``ar-EG``."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def text_for(
    localized: Mapping[str, str], lang: str, fallback: str | Sequence[str] = ()
) -> tuple[str, str]:
    """The text in ``lang`` and the language it is actually in.

    Tries ``lang``, then its base language (``es`` for ``es-MX``), then each fallback
    language in order, then any language present. When the returned language differs
    from ``lang``, the web layer marks the element with its own ``lang`` and ``dir``.
    Returns ``("", lang)`` when there is no text at all.
    """
    fallbacks = [fallback] if isinstance(fallback, str) else list(fallback)
    candidates = [lang, lang.split("-")[0], *fallbacks]
    for candidate in candidates:
        text = localized.get(candidate)
        if text and text.strip():
            return text, candidate
    for candidate, text in localized.items():
        if text and text.strip():
            return text, candidate
    return "", lang


def flatten_texts(definition: SurveyDefinition) -> dict[str, LocalizedText]:
    """Every translatable text of the definition by key, in survey order."""
    flat: dict[str, LocalizedText] = {}

    def put(key: str, text: LocalizedText) -> None:
        if text.get(definition.source_language, "").strip():
            flat[key] = dict(text)

    put("title", definition.title)
    put("description", definition.description)
    for page in definition.pages:
        put(f"pages.{page.key}.title", page.title)
        put(f"pages.{page.key}.description", page.description)
        for q in page.questions:
            base = f"questions.{q.code}"
            put(f"{base}.label", q.label)
            put(f"{base}.help", q.help)
            for option in q.options:
                put(f"{base}.options.{option.value}", option.label)
            for row in q.rows:
                put(f"{base}.rows.{row.value}", row.label)
            for point, text in q.point_labels.items():
                put(f"{base}.points.{point}", text)
    return flat


def source_texts(definition: SurveyDefinition) -> dict[str, str]:
    """Key → source-language text: what a translator is given."""
    return {k: v[definition.source_language] for k, v in flatten_texts(definition).items()}


@dataclass(frozen=True)
class LanguageCompleteness:
    language: str
    total: int
    translated: int
    missing: tuple[str, ...]

    @property
    def is_complete(self) -> bool:
        return not self.missing

    @property
    def ratio(self) -> float:
        return self.translated / self.total if self.total else 1.0


def missing_translations(definition: SurveyDefinition, lang: str) -> list[str]:
    """Keys with source text but no (non-blank) text in ``lang``."""
    return [k for k, v in flatten_texts(definition).items() if not v.get(lang, "").strip()]


def completeness(definition: SurveyDefinition) -> dict[str, LanguageCompleteness]:
    """Translation completeness of each offered language."""
    flat = flatten_texts(definition)
    result = {}
    for lang in definition.languages:
        missing = tuple(k for k, v in flat.items() if not v.get(lang, "").strip())
        result[lang] = LanguageCompleteness(lang, len(flat), len(flat) - len(missing), missing)
    return result


class UnknownTranslationKeys(KeyError):
    """Translations were given for keys the definition does not have."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = tuple(keys)
        super().__init__(", ".join(self.keys))


def apply_translations(
    definition: SurveyDefinition, lang: str, translations: Mapping[str, str]
) -> SurveyDefinition:
    """A copy of ``definition`` with ``translations`` (key → text) set for ``lang``.

    Blank texts are skipped (they do not erase existing ones). ``lang`` is added to the
    offered languages if needed. Raises :class:`UnknownTranslationKeys` listing every key
    that matches no text, before changing anything.
    """
    known = flatten_texts(definition)
    unknown = [k for k in translations if k not in known]
    if unknown:
        raise UnknownTranslationKeys(unknown)
    updates = {k: v.strip() for k, v in translations.items() if v and v.strip()}

    def tr(key: str, text: LocalizedText) -> LocalizedText:
        return {**text, lang: updates[key]} if key in updates else text

    def option(base: str, o: Option) -> Option:
        return dataclasses.replace(o, label=tr(f"{base}.{o.value}", o.label))

    def question(q: Question) -> Question:
        base = f"questions.{q.code}"
        return dataclasses.replace(
            q,
            label=tr(f"{base}.label", q.label),
            help=tr(f"{base}.help", q.help),
            options=tuple(option(f"{base}.options", o) for o in q.options),
            rows=tuple(option(f"{base}.rows", o) for o in q.rows),
            point_labels={p: tr(f"{base}.points.{p}", t) for p, t in q.point_labels.items()},
        )

    def page(p: Page) -> Page:
        return dataclasses.replace(
            p,
            title=tr(f"pages.{p.key}.title", p.title),
            description=tr(f"pages.{p.key}.description", p.description),
            questions=tuple(question(q) for q in p.questions),
        )

    languages = definition.languages
    if lang not in languages:
        languages = (*languages, lang)
    return dataclasses.replace(
        definition,
        languages=languages,
        title=tr("title", definition.title),
        description=tr("description", definition.description),
        pages=tuple(page(p) for p in definition.pages),
    )


def translation_table(
    definition: SurveyDefinition, languages: Sequence[str] | None = None
) -> list[dict[str, str]]:
    """Rows ``{"key", <source lang>, <lang>...}`` for a translators' spreadsheet or CSV."""
    langs = list(languages or definition.languages)
    source = definition.source_language
    columns = [source, *(lang for lang in langs if lang != source)]
    return [
        {"key": key, **{lang: text.get(lang, "") for lang in columns}}
        for key, text in flatten_texts(definition).items()
    ]
