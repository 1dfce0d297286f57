"""Job statements are composed from the job-part answers of a theme's own respondents."""

from __future__ import annotations

from analysis import ThemeFinder
from analysis._jobs import compose_job


def test_compose_job_statement_and_sources() -> None:
    parts = {
        "situation": ["I commute to my night shift", None, "when I go to work at night"],
        "motivation": ["get home safely", "", "get home safely and quickly"],
        "outcome": ["so I can sleep before the kids wake up", None, None],
        "obstacle": ["the last bus leaves at 11", "no lights at the stop", "the last bus is at 11"],
    }
    job = compose_job([0, 1, 2], parts, "en")
    assert job is not None
    assert job["statement"].startswith("When ")
    assert ", I want to get home safely" in job["statement"]
    assert job["statement"].endswith("so I can sleep before the kids wake up.")
    assert "so I can so I can" not in job["statement"]
    assert job["outcome"]["row"] == 0
    assert {o["row"] for o in job["obstacles"]} <= {0, 1, 2}
    assert set(job["sources"]) <= {0, 1, 2}
    assert job["n_respondents"] == 3


def test_compose_job_none_without_parts() -> None:
    assert compose_job([0, 1], {"situation": [None, ""]}, "en") is None


def test_compose_job_spanish_template() -> None:
    parts = {"situation": ["voy al trabajo"], "motivation": ["llegar a tiempo"]}
    job = compose_job([0], parts, "es")
    assert job["statement"] == "Cuando voy al trabajo, quiero llegar a tiempo."


def test_themefinder_job_statement_from_same_respondents(english_feedback) -> None:
    texts, topics = english_feedback
    n = len(texts)
    situation = [
        "I go to work early" if t == 0 else "I pay the bills" if t == 1 else "I take my kids out"
        for t in topics
    ]
    motivation = [
        "arrive on time" if t == 0 else "keep my home" if t == 1 else "let them play safely"
        for t in topics
    ]
    outcome = [
        "keep my job" if t == 0 else "stay in the neighbourhood" if t == 1 else "they stay healthy"
        for t in topics
    ]
    obstacle = [
        ("buses are late" if i % 2 else "buses are full")
        if t == 0
        else ("rent increases" if i % 2 else "call the landlord at 555-123-4567")
        if t == 1
        else "broken swings"
        for i, t in enumerate(topics)
    ]
    finder = ThemeFinder(3, random_state=0).fit(
        texts,
        job_parts={
            "situation": situation,
            "motivation": motivation,
            "outcome": outcome,
            "obstacle": obstacle,
        },
    )
    for theme in finder.themes_:
        members = [i for i in range(n) if finder.labels_[i] == theme.id]
        topic = max(set(topics[i] for i in members), key=[topics[i] for i in members].count)
        job = theme.job
        assert job is not None
        expected = {
            0: "When I go to work early, I want to arrive on time, so I can keep my job.",
            1: "When I pay the bills, I want to keep my home, so I can stay in the neighbourhood.",
            2: "When I take my kids out, I want to let them play safely, so I can they "
            "stay healthy.",
        }[topic]
        assert job["statement"] == expected
        # Every quoted part comes from a respondent in this theme.
        assert set(job["sources"]) <= set(members)
        assert all(o["row"] in members for o in job["obstacles"])
        assert 1 <= len(job["obstacles"]) <= 3
        assert "555" not in str(job)  # PII is masked in quotes too
