"""Which engine an analysis run uses: the configured backend and sentence-transformers model.

The settings come from ``ENGAGE_ANALYSIS_BACKEND`` and ``ENGAGE_ANALYSIS_MODEL``
(:mod:`engage.config`) and are recorded in the run's ``parameters`` when it is created.
They are checked here when the run starts, in the process that works on it, so that a
wrong setting fails that run with a reason (an error code the themes page translates)
instead of the worker. Nothing here imports PyTorch until a run needs the model.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import analysis  # scikit-learn loads on first use (see analysis/__init__.py)

if TYPE_CHECKING:
    from analysis import Encoder, SentenceEncoder, ThemeFinder

log = logging.getLogger(__name__)

BUNDLED_MODEL_NAME = "all-MiniLM-L6-v2"
ENGINE_ERRORS = ("model_missing", "model_invalid", "semantic_unavailable")


class EngineError(Exception):
    """The configured engine cannot run; ``code`` is one of ``ENGINE_ERRORS``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class EngineSettings:
    """What the administrator asked for: a backend and, optionally, a model directory."""

    backend: str = "auto"
    model: str | None = None

    @classmethod
    def from_parameters(cls, parameters: dict[str, Any]) -> EngineSettings:
        return cls(parameters.get("backend") or "auto", parameters.get("model") or None)


def _check_model_directory(model: str) -> Path:
    path = Path(model)
    if not path.is_dir():
        raise EngineError("model_missing", model)
    # SentenceTransformer.save() writes modules.json; a directory without it is not one.
    if not (path / "modules.json").is_file():
        raise EngineError("model_invalid", f"{model} has no modules.json")
    return path


def _load_configured_model(path: Path) -> SentenceEncoder:
    encoder = analysis.SentenceEncoder(str(path))
    try:
        encoder.encode(["model check"])
    except Exception as error:  # whatever the libraries raise for a broken model
        log.warning("the analysis model %s cannot be loaded: %s", path, error)
        raise EngineError("model_invalid", f"{path}: {error}") from error
    return encoder


def build_finder(
    settings: EngineSettings, *, seed: int, encoder: Encoder | None = None
) -> ThemeFinder:
    """A ``ThemeFinder`` for ``settings``, after checking that they can work here.

    Args:
        settings: the run's backend and model directory.
        seed: the run's random seed.
        encoder: a sentence encoder to use instead of a model directory (any object with
            ``encode(list[str]) -> array``); it is taken to suit every language.

    Raises:
        EngineError: the model directory is missing or not a sentence-transformers model,
            or the semantic backend (or a model) is configured without the ``semantic``
            extra installed.
    """
    backend, model = settings.backend, settings.model
    if backend == "tfidf":
        return analysis.ThemeFinder(random_state=seed, backend="tfidf")
    if encoder is None and model is not None:
        path = _check_model_directory(model)
        if not analysis.semantic_available():
            raise EngineError("semantic_unavailable", "sentence-transformers is not installed")
        encoder = _load_configured_model(path)
    elif (
        backend == "semantic"
        and encoder is None
        and (not analysis.semantic_available() or analysis.default_model_path() is None)
    ):
        raise EngineError("semantic_unavailable", "no sentence-transformers or bundled model")
    # auto without the extra (or its model): the finder uses TF-IDF and records why.
    return analysis.ThemeFinder(random_state=seed, backend=backend, model=model, encoder=encoder)


def describe_engine(
    settings: EngineSettings, finder: ThemeFinder, encoder: Encoder | None = None
) -> dict[str, Any]:
    """What a fitted run actually used, for ``run.meta["engine"]``."""
    languages = finder.meta_.get("languages", {})
    semantic = sorted(lang for lang, info in languages.items() if info["backend"] == "semantic")
    lexical = sorted(lang for lang in languages if lang not in semantic)
    model_path = model_name = None
    if semantic:
        if encoder is not None:
            model_name = getattr(encoder, "name", type(encoder).__name__)
        elif settings.model is not None:
            model_path = settings.model
            model_name = Path(settings.model).name
        else:
            bundled = analysis.default_model_path()
            model_path = str(bundled) if bundled else None
            model_name = BUNDLED_MODEL_NAME
    return {
        "backend": settings.backend,
        "backend_used": finder.meta_.get("backend"),
        "fallback": finder.meta_.get("backend_fallback"),
        "model_path": model_path,
        "model_name": model_name,
        "semantic_languages": semantic,
        "lexical_languages": lexical,
    }


@dataclass(frozen=True)
class EngineSummary:
    """For the themes page: "Analysed with: …"."""

    model_name: str | None
    semantic_languages: list[str]
    lexical_languages: list[str]


def engine_summary(meta: dict[str, Any]) -> EngineSummary | None:
    """The engine of a finished run, from its ``meta`` (older runs: from the languages)."""
    engine = meta.get("engine")
    if engine is not None:
        return EngineSummary(
            engine.get("model_name"), engine["semantic_languages"], engine["lexical_languages"]
        )
    languages = meta.get("languages") or {}
    if not languages:
        return None
    semantic = sorted(lang for lang, info in languages.items() if info["backend"] == "semantic")
    return EngineSummary(
        BUNDLED_MODEL_NAME if semantic else None,
        semantic,
        sorted(lang for lang in languages if lang not in semantic),
    )
