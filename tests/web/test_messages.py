"""The error-code catalogue: sentences in the reader's language, placeholders filled."""

from __future__ import annotations

import pytest
from flask_babel import refresh

from engage.web.messages import answer_error_message, run_error_message
from surveys import AnswerError


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "Choose at most 1 answer.", "Choose at most 2 answers."),
        ("es", "Elija como máximo 1 respuesta.", "Elija como máximo 2 respuestas."),
    ],
)
def test_a_type_owned_plural_message_follows_the_number(app, lang, one, two):
    with app.test_request_context(f"/?lang={lang}"):
        refresh()
        for count, expected in [(1, one), (2, two)]:
            error = AnswerError("too_many_choices", "topics", {"max": count})
            assert answer_error_message(error) == expected


def test_placeholders_are_filled_and_an_unknown_code_gets_the_fallback(app):
    with app.test_request_context("/?lang=es"):
        refresh()
        assert answer_error_message(AnswerError("too_long", "a", {"max": 40})) == (
            "Use como máximo 40 caracteres."
        )
        assert "/srv/model" in run_error_message("model_missing", {"path": "/srv/model"})
        unknown = answer_error_message(AnswerError("no_such_code", "a", {}))
        assert unknown and "no_such_code" not in unknown
