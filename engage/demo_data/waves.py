"""The demo campaign's two waves and its listening sessions.

Wave 1 (spring) went out mostly online, through tracked links on flyers, a school
newsletter and clinic posters: Arabic speakers (and Middle Eastern and North African
residents), many of them in Northgate, were heard far less than their share of the
community. For wave 2 (summer), after the partnership's bus-reliability pilot,
interviewers went to Northgate in Arabic: Arabic speakers are reached better, and fewer
residents find the bus late. Asian residents stay under-heard in both waves (the survey
is not offered in Vietnamese or Chinese): the next gap to close. Listening sessions,
some interpreted, add notes to the analysis.

Pure data and the stories of :mod:`engage.demo_data.responses`; the loader stores them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from engage.demo_data.responses import CAMPAIGN_START, SATISFACTION, Story

WAVE_1_RESPONSES = 260
WAVE_2_RESPONSES = 160
WAVE_2_START = datetime(2025, 5, 26, tzinfo=UTC)
WAVE_2_LABEL = "Summer, after the bus pilot"

# The campaign runs from just before its first answers, with no closing date: it keeps
# listening, wave after wave (see CAMPAIGN_START for the first answers).
CAMPAIGN_OPENS = date(2025, 3, 1)
CAMPAIGN_CLOSES: date | None = None

# Outreach sources, each a tracked link of the demo survey: tag → label.
SOURCES = {
    "library-flyer": "Library flyer",
    "school-newsletter": "School newsletter",
    "clinic-poster": "Clinic poster",
}

# Who lives in Eastside (shares of the population, e.g. from census tables).
BASELINE = {
    "language": {"en": 0.55, "es": 0.30, "ar": 0.15},
    "area": {
        "Riverside": 0.25,
        "Northgate": 0.2,
        "Market Street": 0.2,
        "Hillcrest": 0.2,
        "Station Quarter": 0.15,
    },
    "race_ethnicity": {
        "hispanic_latino": 0.28,
        "white": 0.21,
        "mena": 0.20,
        "black": 0.15,
        "asian": 0.13,
        "indigenous": 0.02,
        "pacific_islander": 0.01,
    },
}

WAVE_1 = Story(
    languages={"en": 0.58, "es": 0.30, "ar": 0.05, "fr": 0.07},
    channels={"web": 0.80, "interviewer": 0.08, "paper": 0.12},
    start=CAMPAIGN_START,
    sources={
        "*": {"library-flyer": 0.18, "school-newsletter": 0.20, "clinic-poster": 0.07},
        "es": {"school-newsletter": 0.40, "library-flyer": 0.10, "clinic-poster": 0.10},
        "ar": {"clinic-poster": 0.40, "library-flyer": 0.10},
    },
)
WAVE_2 = Story(
    languages={"en": 0.42, "es": 0.25, "ar": 0.27, "fr": 0.06},
    channels={"web": 0.50, "interviewer": 0.38, "paper": 0.12},
    satisfaction={**SATISFACTION, "reliable_bus": 6.0},
    late_bus=0.35,
    start=WAVE_2_START,
    sources={
        "*": {"library-flyer": 0.15, "school-newsletter": 0.15, "clinic-poster": 0.10},
        "es": {"school-newsletter": 0.35, "clinic-poster": 0.15},
        "ar": {"clinic-poster": 0.50, "library-flyer": 0.10},
    },
)

# Where interviewers took answers down, by the area the resident gave.
INTERVIEW_PLACES = {
    "northgate": "Northgate Community Centre",
    "market_street": "Market Street food bank",
    "station_quarter": "Station Quarter library",
}
DEFAULT_PLACE = "Eastside Library"

# Listening sessions: where and when, in which languages (interpreted), who came, and the
# facilitator's notes (one per paragraph), in the session's first language.
SESSIONS = [
    {
        "held_on": date(2025, 3, 20),
        "place": "Riverside Community Hall",
        "area": "Riverside",
        "facilitator": "Ines Interviewer",
        "languages": ["en", "es"],
        "attendance": 18,
        "demographics": {"language": {"en": 11, "es": 7}},
        "notes": [
            "Parents said the 42 bus is so unreliable they leave an hour early to reach "
            "the clinic, and still miss appointments.",
            "Several people want a safe crossing at Riverside Road; drivers speed past "
            "the school in the morning.",
            "Older residents said repairs in their building take months, and nobody tells "
            "them when the landlord will come.",
            "Young people asked for somewhere to go after school that is free and open late.",
        ],
    },
    {
        "held_on": date(2025, 4, 3),
        "place": "Market Street parish hall",
        "area": "Market Street",
        "facilitator": "Sam Staff",
        "languages": ["es", "en"],
        "attendance": 22,
        "demographics": {"language": {"es": 16, "en": 6}},
        "notes": [
            "Las familias dicen que no encuentran guardería cerca del trabajo y que las "
            "listas de espera duran meses.",
            "Varias personas trabajan de noche y no hay autobús para volver a casa después "
            "de las once.",
            "Piden información sobre sus derechos como inquilinos en español, no solo en inglés.",
            "Una madre contó que el alquiler subió tanto que comparte el apartamento con "
            "otra familia.",
        ],
    },
    {
        "held_on": date(2025, 6, 12),
        "place": "Northgate Community Centre",
        "area": "Northgate",
        "facilitator": "Ines Interviewer",
        "languages": ["ar", "en"],
        "attendance": 25,
        "demographics": {
            "language": {"ar": 19, "en": 6},
            "race_ethnicity": {"mena": 20, "black": 3, "white": 2},
        },
        "notes": [
            "قالت الأمهات إن الحافلة أصبحت أكثر انتظامًا منذ الصيف، لكن المحطة ما زالت "
            "بعيدة عن المدرسة.",
            "يحتاج كثيرون إلى مساعدة في ملء استمارات الإسكان لأنها باللغة الإنجليزية فقط.",
            "طلب الشباب دروسًا مسائية في اللغة الإنجليزية قريبة من الحي.",
            "قال كبار السن إنهم لا يعرفون أين يجدون طبيبًا يتكلم العربية.",
        ],
    },
    {
        "held_on": date(2025, 6, 19),
        "place": "Station Quarter library",
        "area": "Station Quarter",
        "facilitator": "Sam Staff",
        "languages": ["fr"],
        "attendance": 9,
        "demographics": {"language": {"fr": 7, "en": 2}},
        "notes": [
            "Les habitants trouvent que le bus est plus ponctuel, mais il est souvent "
            "plein le matin.",
            "Plusieurs personnes cherchent un emploi et ne savent pas où faire "
            "reconnaître leurs diplômes.",
        ],
    },
]
