"""The ``auto`` backend: the default of ``python -m analysis``, and what it reports it used.

The semantic backend is made unavailable without any network: by blocking the
``sentence_transformers`` import, or by standing in for a model that is not on disk or
cannot be loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import analysis.themes
from analysis import ThemeFinder, semantic_available
from tests.analysis.test_command import ROOT, run, write_csv

TINY = [
    "The bus is always late",
    "The night bus never comes",
    "More buses at rush hour please",
    "The bus stop has no shelter",
    "Rent is too high for families",
    "My landlord raised the rent again",
    "We cannot afford the rent",
    "Rent takes half of my salary",
]

BLOCK_SEMANTIC = (
    "import sys; sys.modules['sentence_transformers'] = None; "
    "from analysis.__main__ import main; sys.exit(main())"
)


def run_without_semantic(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m analysis *args`` in a process where sentence-transformers cannot import."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-c", BLOCK_SEMANTIC, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def test_command_defaults_to_auto_and_reports_the_backend_it_used(tmp_path: Path) -> None:
    write_csv(tmp_path / "in.csv", [{"text": t} for t in TINY])
    out = tmp_path / "out.json"
    result = run(str(tmp_path / "in.csv"), "--text-column", "text", "--output", str(out))
    assert result.returncode == 0, result.stderr
    meta = json.loads(out.read_text(encoding="utf-8"))["meta"]
    assert meta["backend_requested"] == "auto"
    if semantic_available():  # installed in CI and in the development venv
        assert meta["backend"] == "semantic"
        assert meta["semantic_languages"] == ["en"]
        assert meta["backend_fallback"] is None
        assert "with semantic (en)" in result.stderr
    else:
        assert meta["backend"] == "tfidf"


def test_command_falls_back_to_tfidf_and_says_why(tmp_path: Path) -> None:
    write_csv(tmp_path / "in.csv", [{"text": t} for t in TINY])
    out = tmp_path / "out.json"
    result = run_without_semantic(
        str(tmp_path / "in.csv"), "--text-column", "text", "--output", str(out)
    )
    assert result.returncode == 0, result.stderr
    meta = json.loads(out.read_text(encoding="utf-8"))["meta"]
    assert (meta["backend_requested"], meta["backend"]) == ("auto", "tfidf")
    assert meta["semantic_languages"] == []
    assert meta["backend_fallback"] == "sentence-transformers is not installed"
    assert meta["languages"]["en"]["backend"] == "tfidf"
    assert "semantic backend unavailable: sentence-transformers is not installed" in result.stderr


def test_command_with_tfidf_asked_for_reports_no_fallback(tmp_path: Path) -> None:
    write_csv(tmp_path / "in.csv", [{"text": t} for t in TINY])
    out = tmp_path / "out.json"
    result = run_without_semantic(
        str(tmp_path / "in.csv"),
        "--text-column",
        "text",
        "--backend",
        "tfidf",
        "--output",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    meta = json.loads(out.read_text(encoding="utf-8"))["meta"]
    assert (meta["backend_requested"], meta["backend"], meta["backend_fallback"]) == (
        "tfidf",
        "tfidf",
        None,
    )


class _UnloadableEncoder:
    """Stands in for SentenceEncoder when the model is not cached and there is no network."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model

    def encode(self, texts: list[str]) -> None:
        raise OSError("We couldn't connect to 'https://huggingface.co' (offline mode)")


@pytest.fixture
def semantic_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis.themes, "semantic_available", lambda: True)


def test_auto_without_a_local_model_uses_tfidf(monkeypatch, semantic_installed) -> None:
    monkeypatch.setattr(analysis.themes, "default_model_path", lambda: None)
    finder = ThemeFinder(2, backend="auto", random_state=0).fit(TINY)
    assert finder.meta_["backend"] == "tfidf"
    assert "no local sentence-transformers model" in finder.meta_["backend_fallback"]
    assert finder.meta_["languages"]["en"]["backend"] == "tfidf"


def test_auto_with_a_model_that_cannot_load_uses_tfidf(
    monkeypatch, semantic_installed, tmp_path
) -> None:
    monkeypatch.setattr(analysis.themes, "SentenceEncoder", _UnloadableEncoder)
    finder = ThemeFinder(2, backend="auto", model=str(tmp_path), random_state=0).fit(TINY)
    assert finder.meta_["backend"] == "tfidf"
    assert finder.meta_["backend_fallback"].startswith(
        "the sentence-transformers model cannot be loaded: We couldn't connect"
    )
    # A model that cannot load is an error when the semantic backend is asked for.
    with pytest.raises(OSError):
        ThemeFinder(2, backend="semantic", model=str(tmp_path), random_state=0).fit(TINY)


def test_auto_stays_quiet_where_no_language_suits_the_encoder(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    finder = ThemeFinder(2, backend="auto", random_state=0).fit(TINY, ["ar"] * len(TINY))
    # The bundled model is English-only: Arabic is lexical by choice, not by fallback.
    assert (finder.meta_["backend"], finder.meta_["backend_fallback"]) == ("tfidf", None)
