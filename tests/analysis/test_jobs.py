"""Job cards quote one respondent; the sentence only when it reads; obstacles merged with counts."""

from __future__ import annotations

import pytest

from analysis import ThemeFinder
from analysis._jobs import compose_job, reads_as_sentence

CARD_PARTS = ("situation", "motivation", "outcome", "obstacle")


def card_rows(job: dict) -> set[int]:
    """Input rows the card's own parts (not the obstacle list) quote."""
    return {job[role]["row"] for role in CARD_PARTS if job[role]}


def test_card_quotes_the_central_respondent_among_those_with_most_parts() -> None:
    parts = {
        "situation": ["I commute to my night shift", None, "I go to work at night", "I work late"],
        "motivation": ["get home safely", "", "get home quickly", "get home"],
        "outcome": [None, None, "sleep before the kids wake up", None],
        "obstacle": ["the last bus leaves at 11", "no lights at the stop", None, "no bus"],
    }
    # Rows 0, 2 and 3 answered three parts: the one closest to the centre wins.
    job = compose_job([0, 1, 2, 3], parts, "en", centrality=[0.9, 0.99, 0.5, 0.7])
    assert job is not None
    assert job["respondent"] == 0  # row 1 is more central but answered one part only
    assert card_rows(job) == {0}
    assert job["situation"]["text"] == "I commute to my night shift"
    assert job["outcome"] is None
    assert job["statement"] == "When I commute to my night shift, I want to get home safely."
    assert job["n_respondents"] == 4


def test_card_never_pastes_parts_of_different_people() -> None:
    # Each respondent answered a different part: nobody's parts are combined with another's.
    parts = {
        "situation": ["I take the bus to work", None, None],
        "motivation": [None, "arrive on time", None],
        "outcome": [None, None, "keep my job"],
    }
    job = compose_job([0, 1, 2], parts, "en", centrality=[0.1, 0.8, 0.3])
    assert job["respondent"] == 1 and card_rows(job) == {1}
    assert job["situation"] is None and job["outcome"] is None
    assert job["statement"] == "I want to arrive on time."


@pytest.mark.parametrize(
    ("situation", "motivation", "outcome"),
    [
        # The stitched card: a sentence inside, "to to be honest".
        (
            "I tried to get my kid to daycare by bus but the 12 bus never came",
            "To be honest, she is 78 and can't wait weeks to see someone.",
            "free evening and weekend training courses",
        ),
        ("I take my kids out", "let them play safely", "they stay healthy"),  # "so I can they"
        ("the bus", "get home", "rest"),  # "When the bus" is no clause
        ("I work nights", "buses at night", "rest"),  # "I want to buses"
        ("I work nights. It is hard", "get home", "rest"),  # two sentences
    ],
)
def test_no_canonical_sentence_when_it_would_not_read(situation, motivation, outcome) -> None:
    parts = {"situation": [situation], "motivation": [motivation], "outcome": [outcome]}
    job = compose_job([0], parts, "en")
    assert job["statement"] is None
    # The card shows the respondent's parts as quotes instead, unchanged.
    assert job["situation"]["text"] == situation
    assert job["motivation"]["text"] == motivation
    assert job["outcome"]["text"] == outcome


@pytest.mark.parametrize(
    ("language", "parts", "expected"),
    [
        (
            "en",
            {"situation": "when I go to work early", "motivation": "arrive on time"},
            "When I go to work early, I want to arrive on time.",
        ),
        (
            "en",
            {
                "situation": "commuting at night",
                "motivation": "feel safe",
                "outcome": "so I can rest",
            },
            "When commuting at night, I want to feel safe, so I can rest.",
        ),
        (
            "es",
            {"situation": "voy al trabajo", "motivation": "llegar a tiempo"},
            "Cuando voy al trabajo, quiero llegar a tiempo.",
        ),
        (
            "zh",
            {"situation": "我下夜班", "motivation": "安全回家", "outcome": "好好休息"},
            "当我下夜班时，我想安全回家，以便好好休息。",
        ),
    ],
)
def test_canonical_sentence_in_several_languages(language, parts, expected) -> None:
    job = compose_job([0], {role: [text] for role, text in parts.items()}, language)
    assert job["statement"] == expected


def test_languages_whose_template_needs_agreement_show_the_parts() -> None:
    parts = {"situation": ["أذهب إلى العمل"], "motivation": ["أصل في الوقت"]}
    job = compose_job([0], parts, "ar")
    assert job["statement"] is None
    assert job["motivation"] == {"text": "أصل في الوقت", "row": 0}
    assert not reads_as_sentence({"situation": "ich fahre", "motivation": "ankommen"}, "de")
    assert not reads_as_sentence({"motivation": "llegar"}, "xx")  # no template
    assert not reads_as_sentence({"situation": "llegar tarde", "motivation": "comer"}, "es")
    assert not reads_as_sentence({"motivation": "arriver", "outcome": "aller"}, "fr")
    assert reads_as_sentence({"motivation": "arriver", "outcome": "dormir"}, "fr")


def test_main_obstacles_are_distinct_with_counts() -> None:
    obstacles = [
        "the last bus leaves at 11",
        "No lights at the bus stop",
        "the last bus leaves at 11 pm",
        "Last bus leaves at 11!",
        "no lights at the stop",
        "rent is too high",
    ]
    job = compose_job(list(range(6)), {"obstacle": obstacles}, "en")
    listed = {o["text"]: o["count"] for o in job["obstacles"]}
    assert len(job["obstacles"]) == 3
    assert [o["count"] for o in job["obstacles"]] == [3, 2, 1]
    assert sum(1 for t in listed if "last bus" in t.casefold()) == 1  # merged
    assert sum(1 for t in listed if "lights" in t) == 1
    assert all(obstacles[o["row"]] == o["text"] for o in job["obstacles"])
    assert job["statement"] is None and job["motivation"] is None


def test_one_respondent_behind_two_rows_is_counted_once() -> None:
    # An open answer and an obstacle answer of the same respondent carry the same parts.
    parts = {
        "situation": ["I work nights", "I work nights", "I study"],
        "obstacle": ["no night bus", "no night bus", "no night buses at all"],
    }
    job = compose_job([0, 1, 2], parts, "en")
    assert job["n_respondents"] == 2
    assert job["obstacles"][0]["count"] == 2


def test_compose_job_none_without_parts() -> None:
    assert compose_job([0, 1], {"situation": [None, ""]}, "en") is None


def test_themefinder_job_card_in_one_voice(english_feedback) -> None:
    texts, topics = english_feedback
    n = len(texts)
    # Half the respondents of each topic answer every part, the others only some, so a
    # per-part choice would mix people; the card must not.
    situation = [
        ["I go to work early", "I pay the bills", "I take my kids out"][t] if i % 2 else None
        for i, t in enumerate(topics)
    ]
    motivation = [["arrive on time", "keep my home", "let them play safely"][t] for t in topics]
    outcome = [
        ["keep my job", "stay in the neighbourhood", "they stay healthy"][t] if i % 4 else None
        for i, t in enumerate(topics)
    ]
    obstacle = [
        ("buses are late" if i % 2 else "buses are full")
        if t == 0
        else ("rent increases" if i % 2 else "call the landlord at 555-123-4567")
        if t == 1
        else "broken swings"
        for i, t in enumerate(topics)
    ]
    job_parts = {
        "situation": situation,
        "motivation": motivation,
        "outcome": outcome,
        "obstacle": obstacle,
    }
    finder = ThemeFinder(3, random_state=0).fit(texts, job_parts=job_parts)
    for theme in finder.themes_:
        members = [i for i in range(n) if finder.labels_[i] == theme.id]
        job = theme.job
        assert job is not None
        row = job["respondent"]
        assert row in members and card_rows(job) == {row}
        assert all(job[role]["text"] == job_parts[role][row] for role in ("situation", "outcome"))
        assert all(job[role] is not None for role in CARD_PARTS)  # the most parts answered
        if topics[row] == 2:
            assert job["statement"] is None  # "so I can they stay healthy" does not read
        else:
            assert job["statement"].startswith("When I ") and job["statement"].endswith(".")
        assert set(job["sources"]) <= set(members)
        assert all(o["row"] in members and o["count"] >= 1 for o in job["obstacles"])
        assert sum(o["count"] for o in job["obstacles"]) <= job["n_respondents"]
        assert "555" not in str(job)  # PII is masked in quotes too
