"""Survey *content* translation: fallback, completeness, flattening to translation keys.

Survey text is data stored with the survey, not gettext. Every text has a stable key
built from codes and option values (never positions), so translations survive edits::

    title, description
    pages.<page key>.title, pages.<page key>.description
    questions.<code>.label, questions.<code>.help, questions.<code>.constraint_message
    questions.<code>.options.<value>, questions.<code>.rows.<value>
    questions.<code>.specify.<value> (the label of an option's "please specify" box)
    questions.<code>.points.<n>
    thank_you

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


@dataclass(frozen=True)
class TextField:
    """One translatable text: its key, what kind of text it is, and the text itself.

    ``kind`` is one of ``title``, ``description``, ``thank_you``, ``page_title``,
    ``page_description``, ``label``, ``help``, ``option``, ``specify_label``, ``row``,
    ``point``; ``name`` is the option or row value or the point number (empty otherwise).
    """

    key: str
    kind: str
    name: str
    text: LocalizedText


@dataclass(frozen=True)
class TextGroup:
    """The texts of the survey itself, of one page, of one question, or of the ending.

    ``kind`` is ``survey``, ``page``, ``question`` or ``end``; ``name`` is the page key or
    the question code; a question group's ``page`` is its page's key.
    """

    kind: str
    name: str
    fields: tuple[TextField, ...]
    page: str = ""


def text_groups(definition: SurveyDefinition) -> list[TextGroup]:
    """Every translatable text grouped as a translator meets it, in survey order.

    Only texts with source-language text are included. Every page has a group, even
    one without texts of its own, so that its questions can be shown under it; other
    groups left empty are dropped.
    """
    source = definition.source_language

    def group(
        kind: str, name: str, items: list[tuple[str, str, str, LocalizedText]], page: str = ""
    ) -> None:
        fields = tuple(
            TextField(key, field_kind, field_name, dict(text))
            for key, field_kind, field_name, text in items
            if text.get(source, "").strip()
        )
        if fields or kind == "page":
            groups.append(TextGroup(kind, name, fields, page))

    groups: list[TextGroup] = []
    group(
        "survey",
        definition.slug,
        [
            ("title", "title", "", definition.title),
            ("description", "description", "", definition.description),
        ],
    )
    for page in definition.pages:
        pbase = f"pages.{page.key}"
        group(
            "page",
            page.key,
            [
                (f"{pbase}.title", "page_title", "", page.title),
                (f"{pbase}.description", "page_description", "", page.description),
            ],
        )
        for q in page.questions:
            base = f"questions.{q.code}"
            items = [(f"{base}.label", "label", "", q.label), (f"{base}.help", "help", "", q.help)]
            if q.constraint_message:
                items.append(
                    (f"{base}.constraint_message", "constraint_message", "", q.constraint_message)
                )
            items += [(f"{base}.options.{o.value}", "option", o.value, o.label) for o in q.options]
            items += [
                (f"{base}.specify.{o.value}", "specify_label", o.value, o.specify_label)
                for o in q.options
                if o.specify_label
            ]
            items += [(f"{base}.rows.{r.value}", "row", r.value, r.label) for r in q.rows]
            items += [(f"{base}.points.{p}", "point", p, t) for p, t in q.point_labels.items()]
            group("question", q.code, items, page.key)
    group("end", "", [("thank_you", "thank_you", "", definition.thank_you)])
    return groups


def flatten_texts(definition: SurveyDefinition) -> dict[str, LocalizedText]:
    """Every translatable text of the definition by key, in survey order."""
    return {f.key: f.text for g in text_groups(definition) for f in g.fields}


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


def offered_languages(definition: SurveyDefinition) -> tuple[str, ...]:
    """The languages residents may be offered: the source, and every complete translation.

    A partly translated language is held back, so that no resident silently reads a mix
    of languages.
    """
    report = completeness(definition)
    return tuple(
        lang
        for lang in definition.languages
        if lang == definition.source_language or report[lang].is_complete
    )


class UnknownTranslationKeys(KeyError):
    """Translations were given for keys the definition does not have."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = tuple(keys)
        super().__init__(", ".join(self.keys))


def apply_translations(
    definition: SurveyDefinition,
    lang: str,
    translations: Mapping[str, str],
    *,
    erase_blank: bool = False,
) -> SurveyDefinition:
    """A copy of ``definition`` with ``translations`` (key → text) set for ``lang``.

    Blank texts are skipped (they do not erase existing ones), unless ``erase_blank``,
    when a blank text removes the ``lang`` text of its key: what an editor that shows
    every text wants. ``lang`` is added to the offered languages if needed. Raises
    :class:`UnknownTranslationKeys` listing every key that matches no text, and
    ``ValueError`` for the source language, before changing anything.
    """
    if lang == definition.source_language:
        raise ValueError("the source language is not a translation")
    known = flatten_texts(definition)
    unknown = [k for k in translations if k not in known]
    if unknown:
        raise UnknownTranslationKeys(unknown)
    updates = {k: v.strip() for k, v in translations.items() if v and v.strip()}
    erased = {k for k, v in translations.items() if erase_blank and not (v and v.strip())}

    def tr(key: str, text: LocalizedText) -> LocalizedText:
        if key in updates:
            return {**text, lang: updates[key]}
        if key in erased:
            return {k: v for k, v in text.items() if k != lang}
        return text

    def option(base: str, o: Option) -> Option:
        return dataclasses.replace(o, label=tr(f"{base}.{o.value}", o.label))

    def specify(base: str, o: Option) -> Option:
        if not o.specify_label:
            return o
        return dataclasses.replace(o, specify_label=tr(f"{base}.{o.value}", o.specify_label))

    def question(q: Question) -> Question:
        base = f"questions.{q.code}"
        return dataclasses.replace(
            q,
            label=tr(f"{base}.label", q.label),
            help=tr(f"{base}.help", q.help),
            constraint_message=tr(f"{base}.constraint_message", q.constraint_message),
            options=tuple(
                specify(f"{base}.specify", option(f"{base}.options", o)) for o in q.options
            ),
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
        thank_you=tr("thank_you", definition.thank_you),
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
