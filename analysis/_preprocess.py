"""Text preparation: Unicode normalisation, tokenisation, stemming, stop words, set-asides.

Everything here is per language. A language is an ISO 639-1 code (``"en"``, ``"ar"``,
``"zh-Hant"`` → ``"zh"``). Chinese and Japanese are written without spaces between words,
so they are analysed as character n-grams rather than as tokens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import stopwordsiso
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer

from analysis._pii import PLACEHOLDERS

SNOWBALL_LANGUAGES = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "nb": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
}
# Plurals Snowball leaves apart from their singular ("buses" → "buse", "bus" → "bus").
_STEM_EXCEPTIONS = {"en": {"buses": "bus", "busses": "bus", "gases": "gas", "taxes": "tax"}}
CJK_LANGUAGES = frozenset({"zh", "ja", "yue", "wuu"})

# Letters and digits (\w without "_"), plus the combining marks that Python's \w leaves out
# (Arabic harakat, Devanagari and other Indic vowel signs), plus inner apostrophes.
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_INDIC = "\u0900-\u0963\u0966-\u0dff"
_WORD = rf"[^\W_]|[{_MARKS}{_INDIC}]"
WORD_PATTERN = rf"(?:{_WORD})+(?:['’](?:{_WORD})+)*"
_tokenizer = RegexpTokenizer(WORD_PATTERN)

_CONTROL_RE = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]"
)
_SPACE_RE = re.compile(r"\s+")
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))
_ARABIC_DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_NON_WORD_RE = re.compile(r"[\W_]+")
# French, Italian and Catalan elide articles and pronouns: "d'un", "l'école", "c'est".
_ELIDING = frozenset({"fr", "it", "ca"})
_ELISION_RE = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|dell|all|dall|nell|sull)'")

# Answers that say nothing, in the languages Engage is most used in. Compared after
# case-folding and removing punctuation and spaces.
NON_ANSWERS = frozenset(
    _NON_WORD_RE.sub("", phrase.casefold())
    for phrase in (
        *("n/a", "na", "no", "none", "nothing", "nope", "nil", "null", "idk", "dunno"),
        *("ok", "okay", "yes", "yeah", "no comment", "no comments", "not applicable"),
        *("no idea", "nothing to add", "nothing else", "same as above", "see above"),
        *("i don't know", "i dont know", "not sure", "none at all", "nothing really"),
        *("ninguno", "ninguna", "nada", "no sé", "no se", "sí", "si", "nada más"),
        *("rien", "aucun", "aucune", "non", "oui", "je ne sais pas", "sans commentaire"),
        *("nenhum", "nenhuma", "não", "sim", "não sei"),
        *("nichts", "keine", "nein", "ja", "weiß nicht", "ich weiß nicht"),
        *("hakuna", "hapana", "ndiyo", "sijui"),
        *("نعم", "لا", "لا شيء", "لا أعرف", "لا يوجد"),
        *("无", "没有", "不知道", "是", "否", "没", "无意见", "なし", "ない", "いいえ", "はい"),
        *("नहीं", "हाँ", "कुछ नहीं"),
    )
)


def normalize_language(language: str | None, default: str = "en") -> str:
    """Primary subtag of a BCP 47 tag, lower-cased: ``"pt-BR"`` → ``"pt"``."""
    if not language or not str(language).strip():
        return default
    return re.split(r"[-_]", str(language).strip().lower(), maxsplit=1)[0] or default


def normalize_text(text: object) -> str:
    """NFKC-normalise, drop control and zero-width characters, collapse white space."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    value = _CONTROL_RE.sub(" ", value)
    return _SPACE_RE.sub(" ", value).strip()


def strip_placeholders(text: str) -> str:
    """Remove PII placeholders so they are not analysed as words."""
    return _PLACEHOLDER_RE.sub(" ", text)


def duplicate_key(text: str) -> str:
    """Key under which near-identical answers (case, accents of punctuation, spacing) collapse."""
    return _NON_WORD_RE.sub(" ", strip_placeholders(text).casefold()).strip()


@dataclass(frozen=True)
class LanguageTools:
    """What a language is analysed with."""

    language: str
    stop_words: frozenset[str]
    stemmer_name: str | None
    is_cjk: bool
    _stem_cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def fold(self, text: str) -> str:
        """Lower-case form used for matching; Arabic also loses diacritics and letter variants."""
        value = text.casefold().replace("’", "'")
        if self.language in _ELIDING:
            value = _ELISION_RE.sub("", value)
        if self.language in {"ar", "fa", "ur"}:
            value = _ARABIC_DIACRITICS_RE.sub("", value).translate(_ARABIC_LETTERS)
        return value

    def surface_tokens(self, text: str) -> list[str]:
        """Lower-cased word tokens, as written (for labels)."""
        value = strip_placeholders(text).casefold().replace("’", "'")
        if self.language in _ELIDING:
            value = _ELISION_RE.sub("", value)
        return _tokenizer.tokenize(value)

    def stem(self, token: str) -> str:
        cached = self._stem_cache.get(token)
        if cached is None:
            stemmer = _stemmer(self.stemmer_name) if self.stemmer_name else None
            cached = _STEM_EXCEPTIONS.get(self.language, {}).get(token)
            if cached is None:
                cached = stemmer.stem(token) if stemmer is not None else token
            if len(self._stem_cache) < 500_000:
                self._stem_cache[token] = cached
        return cached

    def content_tokens(self, text: str) -> list[str]:
        """Stemmed tokens without stop words or bare numbers (what is analysed as words)."""
        folded = self.fold(strip_placeholders(text))
        if self.is_cjk:
            return [ch for ch in _NON_WORD_RE.sub("", folded) if ch not in self.stop_words]
        stops = self.stop_words
        return [
            self.stem(token)
            for token in _tokenizer.tokenize(folded)
            if token not in stops and not token.isdigit() and len(token) > 1
        ]

    def char_text(self, text: str) -> str:
        """The text fed to the character n-gram vectoriser."""
        folded = self.fold(strip_placeholders(text))
        if self.is_cjk:
            return _NON_WORD_RE.sub("", folded)
        return " ".join(_tokenizer.tokenize(folded))

    def is_non_informative(self, text: str) -> bool:
        """True for answers such as "no", "n/a", "—", or a few stop words."""
        key = _NON_WORD_RE.sub("", strip_placeholders(text).casefold())
        if not key or key in NON_ANSWERS:
            return True
        if self.is_cjk:
            return len(self.content_tokens(text)) < 2
        # Only stop words: "not really", "why not". Longer answers made only of stop words
        # ("How old do we have to be?") still say something, as a whole.
        tokens = _tokenizer.tokenize(self.fold(strip_placeholders(text)))
        return len(tokens) <= 3 and not self.content_tokens(text)


@lru_cache(maxsize=32)
def _stemmer(name: str) -> SnowballStemmer:
    return SnowballStemmer(name)


@lru_cache(maxsize=128)
def language_tools(language: str) -> LanguageTools:
    """The stop words, stemmer and script handling for ``language``."""
    code = normalize_language(language)
    stop_words: frozenset[str] = frozenset()
    if stopwordsiso.has_lang(code):
        stop_words = frozenset(w.casefold() for w in stopwordsiso.stopwords(code))
    stemmer = SNOWBALL_LANGUAGES.get(code)
    tools = LanguageTools(code, frozenset(), stemmer, code in CJK_LANGUAGES)
    # Stop words are compared with folded tokens, so fold them the same way.
    folded = frozenset(tools.fold(w) for w in stop_words)
    return LanguageTools(code, folded, stemmer, code in CJK_LANGUAGES)
