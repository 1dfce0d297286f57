"""Describing one language's themes: labels, quotes, sentiment and job statements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis import _cluster
from analysis._describe import (
    best_answer_span,
    best_label_phrase,
    class_tfidf,
    label_phrases,
    make_label,
    phrase_counts,
    phrase_key,
    phrase_weights,
    representatives,
    top_phrases,
)
from analysis._jobs import compose_job
from analysis._preprocess import language_tools
from analysis._sentiment import summarise

if TYPE_CHECKING:
    from analysis.themes import ThemeFinder

SENTIMENT_SAMPLE = 300  # answers scored per theme at most
SPAN_ANSWERS = 20  # most central answers whose spans may label a theme that shares no phrase


class ThemeDescriber:
    """Labels, quotes, sentiment and job statements of one language's themes."""

    def __init__(
        self,
        finder: ThemeFinder,
        lang: str,
        texts: list[str],
        unique: list[int],
        vectors: np.ndarray,
        weights: np.ndarray,
        phrases: list[list[str]],
        job_parts: Mapping[str, Sequence[str | None]] | None,
        items: np.ndarray,
        item_rows: np.ndarray,
    ):
        self.finder, self.lang, self.texts, self.unique = finder, lang, texts, unique
        self.items, self.item_rows = items, item_rows
        self.vectors, self.weights, self.phrases, self.job_parts = (
            vectors,
            weights,
            phrases,
            job_parts,
        )
        self.scorer = finder._sentiment_scorer()
        # Label candidates of every answer, counted once for all levels; a phrase fewer than
        # two answers use can never be a label, so it is dropped here.
        tools = language_tools(lang)
        self.label_counts = phrase_counts(
            [label_phrases(t, tools) for t in texts], weights, min_uses=2.0
        )

    def level(
        self, labels: np.ndarray, k: int, only: set[int] | None = None
    ) -> list[dict[str, Any] | None]:
        """A description of each class ``0..k-1`` (``None`` for a class not in ``only``;
        every class still counts as a class when phrases are weighed)."""
        vocab, scores, uses = class_tfidf(self.phrases, labels, self.weights, k)
        lvocab, lscores, luses = class_tfidf(self.label_counts, labels, self.weights, k)
        cents = _cluster.centroids(self.vectors, labels, self.weights, k)
        tools = language_tools(self.lang)
        cjk = tools.is_cjk
        key = phrase_key(tools)
        finder = self.finder
        out = []
        rng = np.random.RandomState(
            finder._seed() if finder.random_state is None else finder.random_state
        )
        for c in range(k):
            if only is not None and c not in only:
                out.append(None)
                continue
            members = np.flatnonzero(labels == c)
            size = float(self.weights[members].sum())
            keywords = (
                top_phrases(vocab, scores[c], uses[c], size, 10, key) if scores.shape[1] else []
            )
            phrase = (
                best_label_phrase(lvocab, lscores[c], luses[c], cjk) if lscores.shape[1] else None
            )
            reps = representatives(self.vectors, members, cents[c], finder.n_representatives)
            source = "phrase"
            if phrase is None and scores.shape[1]:
                # No phrase shared by two answers: a span of one representative answer.
                weights = phrase_weights(vocab, scores[c], uses[c])
                central = members[np.argsort(-(self.vectors[members] @ cents[c]), kind="stable")]
                pool = list(dict.fromkeys([*reps, *central[:SPAN_ANSWERS].tolist()]))
                phrase = best_answer_span([self.texts[r] for r in pool], tools, weights)
                source = "answer"
            in_theme = labels[self.item_rows] == c
            all_items = self.items[in_theme].tolist()
            spec: dict[str, Any] = {
                "language": self.lang,
                "label": phrase or make_label(keywords, cjk),
                # "phrase": shared by at least two of the theme's answers; "answer": a span
                # of one representative answer (no phrase is shared); "keywords": no answer
                # has two words to make a phrase of.
                "label_source": source if phrase else "keywords",
                "keywords": keywords,
                "size": int(self.weights[members].sum()),
                "representatives": [{"row": self.unique[r], "text": self.texts[r]} for r in reps],
                "sentiment": None,
                "sentiment_unavailable": None,
                "job": None,
            }
            if self.scorer is None:
                spec["sentiment_unavailable"] = "sentiment turned off"
            elif not self.scorer.supports(self.lang):
                spec["sentiment_unavailable"] = self.scorer.unsupported_reason(self.lang)
            else:
                rows = all_items
                if len(rows) > SENTIMENT_SAMPLE:
                    rows = sorted(rng.choice(rows, SENTIMENT_SAMPLE, replace=False).tolist())
                scored = self.scorer.scores([finder.redacted_[i] for i in rows])
                spec["sentiment"] = summarise(scored, self.scorer.name)
            if self.job_parts:
                # The card's one voice is the respondent closest to the theme's centre.
                centrality = self.vectors[self.item_rows[in_theme]] @ cents[c]
                spec["job"] = compose_job(
                    all_items,
                    self.job_parts,
                    self.lang,
                    redact=finder._redact,
                    centrality=centrality.tolist(),
                )
            out.append(spec)
        return out
