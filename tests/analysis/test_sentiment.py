"""Each answer's sentiment: a score where a lexicon covers the language, none elsewhere."""

from __future__ import annotations

import analysis


def test_english_answers_are_scored_one_by_one_with_vaders_thresholds():
    scores = analysis.sentiment_scores(
        ["Bus drivers are kind", "I hate the broken lifts", "The bus comes at 8"], "en"
    )
    assert scores is not None and len(scores) == 3
    kind, hate, plain = scores
    assert kind >= analysis.SENTIMENT_POSITIVE
    assert hate <= analysis.SENTIMENT_NEGATIVE
    assert analysis.SENTIMENT_NEGATIVE < plain < analysis.SENTIMENT_POSITIVE
    assert all(-1 <= s <= 1 and round(s, 4) == s for s in scores)
    assert analysis.sentiment_scores([], "en") == []
    assert analysis.sentiment_supported("en-GB")


def test_masking_placeholders_do_not_sway_the_score():
    masked, plain = analysis.sentiment_scores(
        ["Call me on [PHONE] about the bus", "Call me on about the bus"], "en"
    )
    assert masked == plain


def test_other_languages_have_no_score_rather_than_a_wrong_one():
    assert analysis.sentiment_scores(["El autobús es horrible"], "es") is None
    assert analysis.sentiment_scores(["الحافلة متأخرة"], "ar") is None
    assert not analysis.sentiment_supported("fr")
