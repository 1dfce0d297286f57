"""The demo survey and its generated responses (engage/demo_data, no Flask app needed)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import datetime
from functools import cache
from typing import Any

import pytest

from engage.demo_data import generate_demo_responses, load_demo_survey
from engage.demo_data.responses import HERE, THEMES
from surveys import (
    PREFER_NOT_TO_SAY,
    completeness,
    dump_definition,
    validate_answers,
    visible_questions,
)
from surveys.xlsform import export_xlsform, import_xlsform


@cache
def responses() -> list[dict[str, Any]]:
    return generate_demo_responses(load_demo_survey(), n=400, seed=7)


def test_demo_survey_is_served_as_demo_in_complete_languages() -> None:
    survey = load_demo_survey()
    assert survey.slug == "demo"
    assert {"en", "es", "ar"} <= set(survey.languages)
    assert all(report.is_complete for report in completeness(survey).values())


def test_demo_survey_file_is_canonical_json() -> None:
    text = (HERE / "demo_survey.json").read_text(encoding="utf-8")
    assert dump_definition(load_demo_survey()) == text


def test_demo_survey_covers_listening_roles() -> None:
    survey = load_demo_survey()
    roles = Counter(q.analysis_role for q in survey.questions())
    for role in ("job_situation", "job_motivation", "job_obstacle", "job_outcome"):
        assert roles[role] == 1
    importance = {q.outcome for q in survey.questions() if q.analysis_role == "outcome_importance"}
    satisfaction = {
        q.outcome for q in survey.questions() if q.analysis_role == "outcome_satisfaction"
    }
    assert importance == satisfaction and 3 <= len(importance) <= 4
    dimensions = {q.dimension for q in survey.questions() if q.analysis_role == "demographic"}
    assert {"race_ethnicity", "area", "language", "age"} <= dimensions
    for q in survey.questions():
        if q.analysis_role == "demographic":
            assert q.option(PREFER_NOT_TO_SAY) is not None
    assert any(q.show_if is not None for q in survey.questions())
    assert survey.question("consent").required


def test_demo_responses_all_validate_unchanged() -> None:
    survey = load_demo_survey()
    assert len(responses()) == 400
    for response in responses():
        result = validate_answers(survey, response["answers"])
        assert result.errors == ()
        assert result.dropped == ()
        assert result.answers == response["answers"]


def test_demo_responses_are_deterministic_by_seed() -> None:
    survey = load_demo_survey()
    first = generate_demo_responses(survey, n=30, seed=7)
    assert generate_demo_responses(survey, n=30, seed=7) == first
    assert generate_demo_responses(survey, n=30, seed=8) != first


def test_demo_responses_record_shape() -> None:
    survey = load_demo_survey()
    areas = {o.value for o in survey.question("area").options} - {"outside", PREFER_NOT_TO_SAY}
    times = []
    for response in responses():
        assert set(response) == {
            "language", "channel", "source", "area", "answers", "submitted_at"
        }  # fmt: skip
        assert response["language"] in survey.languages
        assert response["channel"] in ("web", "interviewer", "paper")
        assert response["source"] is None  # the default story has no tracked links
        assert response["area"] is None or response["area"] in areas
        assert response["area"] == (
            response["answers"].get("area") if response["area"] else response["area"]
        )
        stamp = datetime.fromisoformat(response["submitted_at"])
        assert stamp.tzinfo is not None
        times.append(stamp)
    assert times == sorted(times)


@pytest.mark.parametrize("language", ["en", "es", "ar", "fr"])
def test_demo_responses_include_open_answers_in_language(language: str) -> None:
    texts = [
        r["answers"]["obstacle"]
        for r in responses()
        if r["language"] == language and "obstacle" in r["answers"]
    ]
    assert len(texts) >= 15
    assert len(set(texts)) >= 10
    if language == "ar":
        assert all(re.search("[\u0600-\u06ff]", t) for t in texts)


def test_demo_responses_are_varied_across_themes() -> None:
    chosen = Counter(p for r in responses() for p in r["answers"].get("priorities", []))
    for theme in THEMES:
        assert chosen[theme] >= 15
    situations = [r["answers"]["recent_task"] for r in responses() if "recent_task" in r["answers"]]
    assert len(set(situations)) >= 150


def test_demo_responses_include_noise_and_contact_details() -> None:
    texts = [v for r in responses() for v in r["answers"].values() if isinstance(v, str)]
    assert sum(t.lower() in ("n/a", "no", "nothing", "-", "nada", "rien") for t in texts) >= 5
    assert any(re.search(r"[\w.]+@example\.\w+", t) for t in texts)
    assert any(re.search(r"\d{3}\)? ?\d{3}-\d{4}", t) for t in texts)


def test_demo_responses_show_opportunity_gap() -> None:
    """Reliable buses matter a lot and satisfy few: the story the dashboards should tell."""
    answers = [r["answers"] for r in responses()]

    def mean(code: str) -> float:
        values = [a[code] for a in answers if code in a]
        return sum(values) / len(values)

    assert mean("importance_reliable_bus") - mean("satisfaction_reliable_bus") >= 2


def test_demo_survey_round_trips_through_xlsform() -> None:
    survey = load_demo_survey()
    imported = import_xlsform(export_xlsform(survey))
    assert imported.warnings == ()
    original, again = survey.to_dict(), imported.definition.to_dict()
    # "in" is written as an "or" of "=" tests: same meaning, different shape.
    for data in (original, again):
        data["pages"][-1]["questions"][0].pop("show_if")
    assert again == original
    for response in responses()[:100]:
        answers = response["answers"]
        assert visible_questions(imported.definition, answers) == visible_questions(survey, answers)


def test_web_answers_of_a_wave_come_partly_through_its_tracked_links() -> None:
    from engage.demo_data import waves

    generated = generate_demo_responses(load_demo_survey(), n=200, seed=3, story=waves.WAVE_1)
    web = [r for r in generated if r["channel"] == "web"]
    sources = Counter(r["source"] for r in web)
    assert set(sources) == {None, *waves.SOURCES}
    assert 0.3 < 1 - sources[None] / len(web) < 0.7  # about half came direct
    assert all(r["source"] is None for r in generated if r["channel"] != "web")
    # The answers are the same as without links: sources are drawn apart.
    plain = dataclasses.replace(waves.WAVE_1, sources={})
    without = generate_demo_responses(load_demo_survey(), n=200, seed=3, story=plain)
    assert [r["answers"] for r in without] == [r["answers"] for r in generated]
