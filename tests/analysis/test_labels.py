"""Theme labels are phrases the theme's own answers share; debris never names a theme."""

from __future__ import annotations

import pytest

from analysis import ThemeFinder
from analysis._describe import DEBRIS_TOKENS, label_phrases, strip_debris, surface_phrases
from analysis._preprocess import language_tools

# Two topics per language; each topic's answers share a phrase in several wordings.
FIXTURES = {
    "en": (
        [
            "The night bus never comes on time",
            "Why does the night bus never come",
            "I wait an hour for the night bus",
            "The night bus skips our stop",
            "Please run the night bus more often",
            "After my shift the night bus is gone",
        ],
        [
            "The cost of childcare is more than my salary",
            "We cannot cover the cost of childcare",
            "The cost of childcare keeps rising",
            "Help families with the cost of childcare",
            "Childcare fees are too high for us",
            "Nobody can afford the cost of childcare here",
        ],
    ),
    "es": (
        [
            "El autobús nocturno nunca llega a tiempo",
            "Espero una hora el autobús nocturno",
            "El autobús nocturno no para en mi calle",
            "Necesitamos más autobús nocturno los fines de semana",
            "Después del trabajo ya no hay autobús nocturno",
        ],
        [
            "El alquiler mensual es demasiado caro",
            "No podemos pagar el alquiler mensual",
            "El alquiler mensual sube cada año",
            "El casero subió el alquiler mensual otra vez",
            "Ayudas para el alquiler mensual por favor",
        ],
    ),
    "ar": (
        [
            "الحافلة الليلية لا تأتي في موعدها",
            "أنتظر الحافلة الليلية ساعة كاملة",
            "الحافلة الليلية لا تتوقف في شارعنا",
            "نحتاج الحافلة الليلية في عطلة الأسبوع",
            "بعد العمل لا توجد الحافلة الليلية",
        ],
        [
            "الإيجار الشهري مرتفع جدا",
            "لا نستطيع دفع الإيجار الشهري",
            "الإيجار الشهري يزيد كل عام",
            "رفع المالك الإيجار الشهري مرة أخرى",
            "نحتاج مساعدة في الإيجار الشهري",
        ],
    ),
    "zh": (
        [
            "夜班公交车从来不准时",
            "我每天等夜班公交车一个小时",
            "夜班公交车不在我们站停",
            "周末需要更多夜班公交车",
            "下班以后没有夜班公交车了",
        ],
        [
            "房租太贵了，家庭负担不起",
            "我们觉得房租太贵",
            "房租太贵，只能搬走",
            "这里的房租太贵了",
            "房东涨价以后房租太贵",
        ],
    ),
}


def occurs(phrase: str, answer: str, language: str) -> bool:
    """The label phrase is written in the answer (as whole words where there are spaces)."""
    tools = language_tools(language)
    if tools.is_cjk:
        return phrase in tools.char_text(answer)
    return f" {phrase} " in f" {' '.join(tools.surface_tokens(answer))} "


def fit(texts: list[str], language: str, k: int = 2, **kwargs) -> ThemeFinder:
    return ThemeFinder(k, random_state=0, sentiment=False, **kwargs).fit(
        texts, [language] * len(texts)
    )


@pytest.mark.parametrize("language", sorted(FIXTURES))
def test_labels_are_phrases_found_in_at_least_two_of_the_themes_answers(language) -> None:
    first, second = FIXTURES[language]
    texts = [t for pair in zip(first, second, strict=True) for t in pair]
    finder = fit(texts, language)
    cjk = language_tools(language).is_cjk
    for theme in finder.themes_:
        answers = [texts[i] for i in range(len(texts)) if finder.labels_[i] == theme.id]
        assert theme.label_source == "phrase"
        assert sum(occurs(theme.label, a, language) for a in answers) >= 2, theme.label
        size = len(theme.label) if cjk else len(theme.label.split())
        assert (3 <= size <= 8) if cjk else (2 <= size <= 6), theme.label
        assert theme.to_dict()["label_source"] == "phrase"
    labels = {t.label for t in finder.themes_}
    expected = {
        "en": ("night bus", "cost of childcare"),
        "es": ("autobús nocturno", "alquiler mensual"),
        "ar": ("الحافلة الليلية", "الإيجار الشهري"),
        "zh": ("夜班公交车", "房租太贵"),
    }[language]
    assert all(any(word in label for label in labels) for word in expected), labels


def test_label_phrases_stay_within_a_clause_and_skip_stop_word_edges() -> None:
    tools = language_tools("en")
    phrases = label_phrases("The bus is late, every night. Rent is high!", tools)
    assert "bus is late" in phrases
    assert all("late every" not in p and "night rent" not in p for p in phrases)
    assert all(p.split()[0] not in {"the", "is"} for p in phrases)
    assert all(p.split()[-1] not in {"the", "is"} for p in phrases)
    assert all(2 <= len(p.split()) <= 6 for p in phrases)


TWEETS = [
    "RT @haitinews: earthquake relief in haiti needs water http://t.co/a1b2c3",
    "rt @redcross earthquake relief for haiti bit ly 9xYz",
    "Earthquake relief trucks stuck at the border http bit.ly/abc via @aid",
    "RT earthquake relief: donate now www.example.org/give",
    "earthquake relief in haiti t co 4kq2 rt rt",
    "RT @un: earthquake relief and water for haiti https://bit.ly/x",
]


@pytest.mark.parametrize("mask_pii", [True, False])
def test_tweet_debris_never_becomes_a_label_or_keyword(mask_pii) -> None:
    finder = fit(TWEETS * 2, "en", k=1, mask_pii=mask_pii)
    (theme,) = finder.themes_
    assert theme.label_source == "phrase" and "earthquake relief" in theme.label
    for phrase in [theme.label, *theme.keywords]:
        words = set(phrase.split())
        assert not words & DEBRIS_TOKENS, phrase
        assert not words & {"bit", "t", "haitinews", "redcross", "un", "aid", "9xyz", "4kq2"}
        assert "example" not in phrase and "give" not in phrase
    assert strip_debris("see bit.ly/abc or t co 4kq2 @me").split() == ["see", "or"]


def spans_of_one_answer(label: str, answers: list[str], language: str) -> list[str]:
    """The answers in which the label is written, as one piece."""
    return [a for a in answers if occurs(label, a, language)]


# Answers about one subject that share no phrase of two words (no label can be "shared"),
# in three languages, one of them written without spaces.
NO_SHARED_PHRASE = {
    "en": [
        "The buses are always late in the morning",
        "Night buses skip our street after ten",
        "Late trains make me miss my shift",
        "Trains and buses should run every weekend",
        "My commute takes two hours because of delays",
        "Timetables at the station are never right",
    ],
    "ar": [
        "الحافلات تتأخر دائما في الصباح",
        "القطار لا يصل في موعده أبدا",
        "أنتظر ساعة كاملة في المحطة كل يوم",
        "جدول المواعيد في المحطة غير صحيح",
        "نحتاج خطوط نقل إضافية يوم الجمعة",
        "الرحلة إلى العمل تستغرق ساعتين",
    ],
    "zh": [
        "早上的公交车总是迟到",
        "地铁晚上十点以后就停运了",
        "我每天在车站等一个小时",
        "车站的时刻表从来不对",
        "周末应该增加班次",
        "上班路上要花两个小时",
    ],
}


@pytest.mark.parametrize("language", sorted(NO_SHARED_PHRASE))
def test_without_a_shared_phrase_the_label_is_a_span_of_one_central_answer(language) -> None:
    texts = NO_SHARED_PHRASE[language]
    finder = ThemeFinder(1, random_state=0, sentiment=False).fit(texts, [language] * len(texts))
    (theme,) = finder.themes_
    cjk = language_tools(language).is_cjk
    # Written as one piece in one resident's answer, never words of several answers joined.
    assert theme.label_source == "answer", theme.label
    assert spans_of_one_answer(theme.label, texts, language), theme.label
    assert ", " not in theme.label and "、" not in theme.label
    size = len(theme.label) if cjk else len(theme.label.split())
    assert (3 <= size <= 8) if cjk else (2 <= size <= 6), theme.label
    # Of the answers most like the theme (its quotes), in the theme's language.
    assert any(occurs(theme.label, r["text"], language) for r in theme.representatives)


def test_a_span_label_holds_the_words_the_theme_shares() -> None:
    texts = [
        "buses late",
        "late buses again",
        "buses skipped",
        "rent rising",
        "rent unaffordable",
        "landlord rent",
    ]
    finder = ThemeFinder(1, random_state=0, sentiment=False).fit(texts)
    (theme,) = finder.themes_
    # Before, "buses, rent, late": keywords of three residents pasted together.
    assert theme.label_source == "answer"
    assert theme.label in {"buses late", "late buses"}
    assert theme.label != ", ".join(theme.keywords[:3])


def test_english_labels_may_begin_or_end_with_content_words_stop_lists_hold() -> None:
    # stopwords-iso's English list holds "top", "up", "help", "home", "high": "top up" or
    # "help at home" could not be labels before.
    tools = language_tools("en")
    phrases = label_phrases("How do I top up my card? Rent is too high, help at home", tools)
    assert {"top up", "top up my card", "rent is too high", "help at home"} <= set(phrases)
    assert not any(p.split()[0] in {"how", "do", "my", "is"} for p in phrases)
    texts = [
        "How do I top up my card",
        "Top up failed again",
        "I cannot top up with cash",
        "Why did my top up not arrive",
        "Where can I top up",
    ]
    finder = ThemeFinder(1, random_state=0, sentiment=False).fit(texts)
    assert finder.themes_[0].label_source == "phrase"
    assert "top up" in finder.themes_[0].label


# stopwords-iso's Spanish, French and Vietnamese lists hold "trabajo", "tiempo", "cher",
# "voie", "việc", "làm" and "nhà": a theme sharing "falta de trabajo", "loyer trop cher" or
# "việc làm" could not be labelled with it.
CONTENT_EDGE_FIXTURES = {
    "es": (
        [
            "Hay mucha falta de trabajo en el barrio",
            "La falta de trabajo afecta a los jóvenes",
            "Por la falta de trabajo la gente se va",
            "Nadie resuelve la falta de trabajo aquí",
            "Falta de trabajo para las mujeres",
        ],
        "falta de trabajo",
        "Hay que ver el tiempo de espera en la consulta, es muy largo",
        {"tiempo de espera", "tiempo de espera en la consulta"},
        {"hay", "que", "ver", "es", "muy"},
    ),
    "fr": (
        [
            "Le loyer trop cher pour nous",
            "Un loyer trop cher chaque mois",
            "Avec un loyer trop cher on ne vit pas",
            "Loyer trop cher dans le quartier",
            "Ce loyer trop cher nous fait partir",
        ],
        "loyer trop cher",
        "On peut avoir une voie cyclable, les gens ont peur",
        {"voie cyclable", "gens ont peur"},
        {"on", "peut", "une", "les", "ont"},
    ),
    "vi": (
        [
            "Thiếu việc làm cho thanh niên",
            "Khó tìm việc làm gần đây",
            "Cần thêm việc làm cho phụ nữ",
            "Không có việc làm sau khi tốt nghiệp",
            "Việc làm lương thấp quá",
        ],
        "việc làm",
        "Giá nhà quá cao, người già cần chỗ đi bộ",
        {"giá nhà", "giá nhà quá cao", "người già", "đi bộ"},
        {"quá", "cần", "cho"},
    ),
}


@pytest.mark.parametrize("language", sorted(CONTENT_EDGE_FIXTURES))
def test_labels_may_begin_or_end_with_content_words_other_stop_lists_hold(language) -> None:
    texts, label, sentence, expected, refused = CONTENT_EDGE_FIXTURES[language]
    phrases = label_phrases(sentence, language_tools(language))
    assert expected <= set(phrases), phrases
    assert not any(p.split()[0] in refused or p.split()[-1] in refused for p in phrases)
    (theme,) = fit(texts, language, k=1).themes_
    assert theme.label_source == "phrase"
    assert theme.label == label, theme.label


def test_chinese_labels_may_begin_with_characters_that_also_are_function_words() -> None:
    # 巴 (巴士站), 大 (大学) and 小 (小孩) are in stopwords-iso's Chinese list.
    texts = [
        "巴士站太远了",
        "巴士站没有灯",
        "巴士站晚上很黑",
        "希望巴士站有座位",
        "巴士站旁边太吵",
    ]
    finder = fit(texts, "zh", k=1)
    (theme,) = finder.themes_
    assert theme.label_source == "phrase"
    assert theme.label.startswith("巴士站"), theme.label


def test_chinese_phrases_never_cut_a_latin_word_nor_are_a_bare_number() -> None:
    tools = language_tools("zh")
    phrases = label_phrases("我的iPhone手机在2017年坏了，Wi-Fi也连不上", tools)
    assert "iphone手机" in phrases
    assert not any(p.startswith(("phone", "hone", "017")) for p in phrases)
    assert not any(p.isdigit() or (p.isascii() and " " not in p) for p in phrases)
    keywords = surface_phrases("莱顿先生Layton说200", tools)
    assert "layton" in keywords and not {"la", "ay", "on", "20", "200"} & set(keywords)


def test_a_language_without_spaces_outside_cjk_does_not_crash() -> None:
    thai = ["รถเมล์มาสายทุกวัน", "รถเมล์มาสายมาก", "ค่าเช่าแพงเกินไป", "ค่าเช่าแพงขึ้นทุกปี"] * 3
    finder = fit(thai, "th")
    assert all(t.label for t in finder.themes_)
    assert {t.label_source for t in finder.themes_} <= {"phrase", "answer", "keywords"}


def test_no_phrase_joins_the_words_around_a_masked_detail_or_debris() -> None:
    tools = language_tools("en")
    text = "broken heater [PHONE] cold flat, rt rent office @desk hours"
    phrases = label_phrases(text, tools)
    assert {"broken heater", "cold flat", "rent office"} <= set(phrases)
    assert not any("heater cold" in p or "office hours" in p for p in phrases)
