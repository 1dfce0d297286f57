"""Co-design rounds as definitions: one page per prototype, stable codes, the ranking."""

from __future__ import annotations

import pytest

from surveys import SurveyDefinition
from surveys.codesign import (
    REACTION_VALUES,
    PrototypeContent,
    better_code,
    codesign_definition,
    reaction_code,
)
from surveys.errors import DefinitionError
from surveys.schema import PageImage


def _definition(**overrides):
    values = {
        "slug": "round-1",
        "source_language": "en",
        "languages": ["en", "ar", "so"],
        "title": {"en": "Bus stops", "ar": "محطات الحافلات"},
        "description": {},
        "prototypes": [
            PrototypeContent(
                "p1",
                {"en": "Shelter", "ar": "مظلة"},
                {"en": "A roof."},
                PageImage("/rounds/images/1?v=ab", 480, 320, {"en": "Shelter"}),
            ),
            PrototypeContent("p2", {"en": "Live times"}),
        ],
        "with_ranking": True,
        **overrides,
    }
    return SurveyDefinition.from_dict(codesign_definition(**values))


def test_each_prototype_gets_a_reaction_and_a_comment_question_with_stable_codes():
    definition = _definition()
    first = definition.pages[0]
    assert [q.code for q in first.questions] == [reaction_code("p1"), better_code("p1")]
    reaction, better = first.questions
    assert [o.value for o in reaction.options] == list(REACTION_VALUES)
    assert reaction.options[0].label["ar"] == "هذا سيناسبني"
    assert "so" not in reaction.options[0].label  # no built-in Somali: the fallback applies
    assert better.analysis_role == "open_feedback" and better.type == "long_text"
    assert first.image == PageImage("/rounds/images/1?v=ab", 480, 320, {"en": "Shelter"})


def test_the_ranking_lists_every_prototype_and_needs_two():
    definition = _definition()
    ranking = definition.question("ranking")
    assert [o.value for o in ranking.options] == ["p1", "p2"]
    one = _definition(prototypes=[PrototypeContent("p1", {"en": "Shelter"})])
    assert [p.key for p in one.pages] == ["prototype_p1"]


def test_the_rounds_own_pages_are_kept_after_the_prototypes():
    own = {"key": "about", "questions": [
        {"code": "age", "type": "number", "required": False, "label": {"en": "Age"}}]}  # fmt: skip
    stale = {"key": "prototype_p9", "questions": []}
    definition = _definition(own_pages=[stale, own])
    assert [p.key for p in definition.pages] == [
        "prototype_p1", "prototype_p2", "prototype-ranking", "about"]  # fmt: skip


def test_an_image_from_another_site_is_refused():
    data = codesign_definition(
        slug="r", source_language="en", languages=["en"], title={"en": "R"}, description={},
        prototypes=[PrototypeContent("p1", {"en": "S"},
                                     image=PageImage("https://evil.example/x.png", 1, 1))],
        with_ranking=False,
    )  # fmt: skip
    with pytest.raises(DefinitionError) as refused:
        SurveyDefinition.from_dict(data)
    assert [p.code for p in refused.value.problems] == ["invalid_image_src"]
