"""Preprocessing: PII masking, normalisation, tokenisation per language, set-asides."""

from __future__ import annotations

from collections import Counter

import pytest

from analysis import mask_pii, normalize_text
from analysis._preprocess import duplicate_key, language_tools, normalize_language


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Write to jane.doe+city@example.co.uk today", "Write to [EMAIL] today"),
        ("Call (555) 123-4567 after six", "Call [PHONE] after six"),
        ("Call +44 20 7946 0958 tomorrow", "Call [PHONE] tomorrow"),
        ("Mi número es 06 12 34 56 78", "Mi número es [PHONE]"),
        ("اتصل بي على 0501234567", "اتصل بي على [PHONE]"),
        ("电话：13812345678", "电话：[PHONE]"),
        ("See https://example.org/a?b=1.", "See [URL]."),
        ("visit www.city.gov/permits now", "visit [URL] now"),
        ("I live at 1234 N. Main Street, it is noisy", "I live at [ADDRESS], it is noisy"),
        ("Vivo en Calle Mayor 12 y no hay luz", "Vivo en [ADDRESS] y no hay luz"),
    ],
)
def test_mask_pii_masks_contact_details(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 we paid $1,200 for 3 months",
        "The 42 bus at 7:45 and 8:15",
        "From 2024-05-01 until (1998-2004)",
        "About 1.234.567 people",
        "Help with ASP.NET MVC",
    ],
)
def test_mask_pii_leaves_numbers_and_words(text: str) -> None:
    assert mask_pii(text) == text


def test_mask_pii_counts_what_it_masked() -> None:
    counts: Counter[str] = Counter()
    mask_pii("a@b.org, c@d.org and 555-123-4567", counts)
    assert counts == {"email": 2, "phone": 1}


def test_normalize_text_nfkc_controls_and_spaces() -> None:
    assert normalize_text("  Ｂｕｓ\u200b  is\tlate\n ") == "Bus is late"
    assert normalize_text(None) == ""


def test_normalize_language_primary_subtag() -> None:
    assert normalize_language("pt-BR") == "pt"
    assert normalize_language("zh_Hant") == "zh"
    assert normalize_language(None, "es") == "es"


def test_english_content_tokens_stem_and_drop_stop_words() -> None:
    tools = language_tools("en")
    assert tools.content_tokens("The buses are crowded and the bus is late") == [
        "bus",
        "crowd",
        "bus",
        "late",
    ]


def test_arabic_tokens_keep_words_and_fold_letters() -> None:
    tools = language_tools("ar")
    assert tools.surface_tokens("الحافلة متأخرة!") == ["الحافلة", "متأخرة"]
    # Alef variants and diacritics fold together before stemming.
    assert tools.content_tokens("أَجرة") == tools.content_tokens("اجرة")


def test_hindi_tokens_keep_vowel_signs() -> None:
    assert language_tools("hi").surface_tokens("बसें हमेशा देर से आती हैं") == [
        "बसें",
        "हमेशा",
        "देर",
        "से",
        "आती",
        "हैं",
    ]


def test_chinese_is_analysed_as_characters() -> None:
    tools = language_tools("zh")
    assert tools.is_cjk
    assert tools.char_text("公交车，总是迟到！") == "公交车总是迟到"


def test_french_elision_is_split() -> None:
    assert language_tools("fr").surface_tokens("C'est l’école d'un quartier") == [
        "est",
        "école",
        "un",
        "quartier",
    ]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "n/a"),
        ("en", "No."),
        ("en", "—"),
        ("en", "not really"),
        ("en", "idk"),
        ("es", "nada"),
        ("fr", "rien"),
        ("ar", "لا"),
        ("zh", "没有"),
        ("en", "[EMAIL]"),
    ],
)
def test_non_informative_answers(language: str, text: str) -> None:
    assert language_tools(language).is_non_informative(text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Parking"),
        ("en", "How old do we have to be?"),
        ("es", "Más autobuses"),
        ("ar", "الإيجار مرتفع"),
        ("zh", "房租太贵"),
    ],
)
def test_informative_answers(language: str, text: str) -> None:
    assert not language_tools(language).is_non_informative(text)


def test_duplicate_key_ignores_case_punctuation_and_spacing() -> None:
    assert duplicate_key("The bus is LATE!!") == duplicate_key("the bus is late")
    assert duplicate_key("the bus is late") != duplicate_key("the bus is early")
