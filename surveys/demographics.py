"""Demographic question presets, in English, Spanish, Arabic and French.

Every preset is a demographic question (``analysis_role="demographic"`` with its
``dimension``) and always offers "prefer not to say" (exclusive in multi-selects), so
results can be disaggregated by race/ethnicity, geography and language without forcing
anyone to answer. Pass ``languages`` to keep only the texts a survey offers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from surveys.schema import PREFER_NOT_TO_SAY, LocalizedText, Option, Question

PRESET_LANGUAGES = ("en", "es", "ar", "fr")


def _t(en: str, es: str, ar: str, fr: str) -> LocalizedText:
    return {"en": en, "es": es, "ar": ar, "fr": fr}


PREFER_NOT_TO_SAY_LABEL = _t(
    "Prefer not to say", "Prefiero no decirlo", "أفضّل عدم الإجابة", "Je préfère ne pas répondre"
)
CHOOSE_ALL = _t(
    "Choose all that apply.",
    "Elija todas las que correspondan.",
    "اختر كل ما ينطبق.",
    "Cochez toutes les réponses qui s'appliquent.",
)
SELF_DESCRIBE = _t(
    "Prefer to self-describe",
    "Prefiero describirlo con mis palabras",
    "أفضّل أن أصف بنفسي",
    "Je préfère me décrire moi-même",
)


def _prefer_not() -> Option:
    return Option(PREFER_NOT_TO_SAY, dict(PREFER_NOT_TO_SAY_LABEL), exclusive=True)


def _only(text: LocalizedText, languages: Sequence[str] | None) -> LocalizedText:
    return {k: v for k, v in text.items() if languages is None or k in languages}


def _restrict(q: Question, languages: Sequence[str] | None) -> Question:
    """Keep only ``languages`` in every text of ``q``."""

    def opts(options: tuple[Option, ...]) -> tuple[Option, ...]:
        return tuple(dataclasses.replace(o, label=_only(o.label, languages)) for o in options)

    return dataclasses.replace(
        q,
        label=_only(q.label, languages),
        help=_only(q.help, languages),
        options=opts(q.options),
    )


def age_band(
    code: str = "age", *, required: bool = False, languages: Sequence[str] | None = None
) -> Question:
    bands = [("under_18", _t("Under 18", "Menos de 18", "أقل من 18", "Moins de 18 ans"))]
    for lo, hi in ((18, 24), (25, 34), (35, 44), (45, 54), (55, 64)):
        bands.append(
            (f"{lo}_{hi}", _t(f"{lo}–{hi}", f"{lo} a {hi}", f"{lo}–{hi}", f"{lo} à {hi} ans"))
        )
    bands.append(("65_plus", _t("65 or older", "65 o más", "65 أو أكثر", "65 ans ou plus")))
    q = Question(
        code=code,
        type="single_choice",
        label=_t(
            "What is your age?", "¿Cuál es su edad?", "ما هي فئتك العمرية؟", "Quel âge avez-vous ?"
        ),
        required=required,
        options=(*(Option(v, label) for v, label in bands), _prefer_not()),
        analysis_role="demographic",
        dimension="age",
    )
    return _restrict(q, languages)


def gender(
    code: str = "gender", *, required: bool = False, languages: Sequence[str] | None = None
) -> Question:
    q = Question(
        code=code,
        type="single_choice",
        label=_t(
            "What is your gender?", "¿Cuál es su género?", "ما هو جنسك؟", "Quel est votre genre ?"
        ),
        required=required,
        options=(
            Option("woman", _t("Woman", "Mujer", "امرأة", "Femme")),
            Option("man", _t("Man", "Hombre", "رجل", "Homme")),
            Option("non_binary", _t("Non-binary", "No binario", "غير ثنائي الجنس", "Non binaire")),
            Option("self_describe", dict(SELF_DESCRIBE), specify=True),
            _prefer_not(),
        ),
        analysis_role="demographic",
        dimension="gender",
    )
    return _restrict(q, languages)


RACE_ETHNICITY_OPTIONS = (
    Option("asian", _t("Asian", "Asiático/a", "آسيوي", "Asiatique")),
    Option(
        "black",
        _t(
            "Black or African American",
            "Negro/a o afroamericano/a",
            "أسود أو أمريكي من أصل أفريقي",
            "Noir ou afro-américain",
        ),
    ),
    Option(
        "hispanic_latino",
        _t(
            "Hispanic or Latino/a/e",
            "Hispano/a o latino/a",
            "من أصل لاتيني",
            "Hispanique ou latino",
        ),
    ),
    Option(
        "mena",
        _t(
            "Middle Eastern or North African",
            "De Oriente Medio o del Norte de África",
            "من الشرق الأوسط أو شمال أفريقيا",
            "Originaire du Moyen-Orient ou d'Afrique du Nord",
        ),
    ),
    Option(
        "indigenous",
        _t(
            "American Indian, Alaska Native or Indigenous",
            "Indígena americano/a, nativo/a de Alaska o indígena",
            "من السكان الأصليين",
            "Amérindien, autochtone de l'Alaska ou autochtone",
        ),
    ),
    Option(
        "pacific_islander",
        _t(
            "Native Hawaiian or Pacific Islander",
            "Nativo/a de Hawái o de las islas del Pacífico",
            "من سكان هاواي الأصليين أو جزر المحيط الهادئ",
            "Hawaïen ou originaire des îles du Pacifique",
        ),
    ),
    Option("white", _t("White", "Blanco/a", "أبيض", "Blanc")),
)


def race_ethnicity(
    code: str = "race_ethnicity",
    *,
    required: bool = False,
    languages: Sequence[str] | None = None,
    options: Sequence[Option] = RACE_ETHNICITY_OPTIONS,
) -> Question:
    """Multi-select with self-description; pass ``options`` for local categories."""
    q = Question(
        code=code,
        type="multiple_choice",
        label=_t(
            "How would you describe your race or ethnicity?",
            "¿Cómo describiría su raza u origen étnico?",
            "كيف تصف عرقك أو أصلك؟",
            "Comment décririez-vous votre origine ethnique ?",
        ),
        help=dict(CHOOSE_ALL),
        required=required,
        options=(
            *options,
            Option("self_describe", dict(SELF_DESCRIBE), specify=True),
            _prefer_not(),
        ),
        analysis_role="demographic",
        dimension="race_ethnicity",
    )
    return _restrict(q, languages)


def area(
    areas: Sequence[tuple[str, LocalizedText]],
    code: str = "area",
    *,
    required: bool = False,
    languages: Sequence[str] | None = None,
) -> Question:
    """The respondent's area or neighbourhood, from ``areas`` (value, name)."""
    q = Question(
        code=code,
        type="dropdown" if len(areas) > 12 else "single_choice",
        label=_t(
            "Which area do you live in?",
            "¿En qué zona vive?",
            "في أي منطقة تسكن؟",
            "Dans quel quartier habitez-vous ?",
        ),
        required=required,
        options=(
            *(Option(value, dict(name)) for value, name in areas),
            Option(
                "outside",
                _t(
                    "I don't live in the area",
                    "No vivo en la zona",
                    "لا أسكن في المنطقة",
                    "Je n'habite pas dans le quartier",
                ),
            ),
            _prefer_not(),
        ),
        analysis_role="demographic",
        dimension="area",
    )
    return _restrict(q, languages)


HOME_LANGUAGE_OPTIONS = (
    Option("en", _t("English", "Inglés", "الإنجليزية", "Anglais")),
    Option("es", _t("Spanish", "Español", "الإسبانية", "Espagnol")),
    Option("ar", _t("Arabic", "Árabe", "العربية", "Arabe")),
    Option("fr", _t("French", "Francés", "الفرنسية", "Français")),
    Option("vi", _t("Vietnamese", "Vietnamita", "الفيتنامية", "Vietnamien")),
    Option("zh", _t("Chinese", "Chino", "الصينية", "Chinois")),
    Option("so", _t("Somali", "Somalí", "الصومالية", "Somali")),
)


def home_language(
    code: str = "home_language",
    *,
    required: bool = False,
    languages: Sequence[str] | None = None,
    options: Sequence[Option] = HOME_LANGUAGE_OPTIONS,
) -> Question:
    q = Question(
        code=code,
        type="multiple_choice",
        label=_t(
            "What language or languages do you speak at home?",
            "¿Qué idioma o idiomas habla en casa?",
            "ما اللغة أو اللغات التي تتحدثها في المنزل؟",
            "Quelle(s) langue(s) parlez-vous à la maison ?",
        ),
        help=dict(CHOOSE_ALL),
        required=required,
        options=(
            *options,
            Option(
                "other",
                _t("Another language", "Otro idioma", "لغة أخرى", "Une autre langue"),
                specify=True,
            ),
            _prefer_not(),
        ),
        analysis_role="demographic",
        dimension="language",
    )
    return _restrict(q, languages)


def household(
    code: str = "household", *, required: bool = False, languages: Sequence[str] | None = None
) -> Question:
    q = Question(
        code=code,
        type="single_choice",
        label=_t(
            "Which best describes your household?",
            "¿Qué describe mejor su hogar?",
            "ما الذي يصف أسرتك بشكل أفضل؟",
            "Qu'est-ce qui décrit le mieux votre foyer ?",
        ),
        required=required,
        options=(
            Option("alone", _t("I live alone", "Vivo solo/a", "أعيش بمفردي", "Je vis seul(e)")),
            Option(
                "adults_only",
                _t(
                    "Adults only, no children",
                    "Solo personas adultas, sin niños",
                    "بالغون فقط، بدون أطفال",
                    "Uniquement des adultes, sans enfants",
                ),
            ),
            Option(
                "with_children",
                _t(
                    "With children under 18",
                    "Con niños menores de 18 años",
                    "مع أطفال دون 18 عامًا",
                    "Avec des enfants de moins de 18 ans",
                ),
            ),
            Option(
                "multigenerational",
                _t(
                    "Several generations together",
                    "Varias generaciones juntas",
                    "عدة أجيال معًا",
                    "Plusieurs générations ensemble",
                ),
            ),
            Option(
                "other",
                _t("Something else", "Otra situación", "وضع آخر", "Autre situation"),
                specify=True,
            ),
            _prefer_not(),
        ),
        analysis_role="demographic",
        dimension="household",
    )
    return _restrict(q, languages)


PRESETS = {
    "age": age_band,
    "gender": gender,
    "race_ethnicity": race_ethnicity,
    "language": home_language,
    "household": household,
}
"""Presets by dimension (``area`` needs the list of areas, so it is called directly)."""
