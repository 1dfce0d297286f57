"""Masking of personal data (e-mail addresses, URLs, phone numbers, street addresses).

Masking happens before anything else, so that neither the analysis nor what workgroups
read ever contains the masked details. Placeholders are bracketed upper-case words that
the tokenizers of :mod:`analysis._preprocess` drop.

Numbers are the hard part: a phone number is a run of 7–15 digits with separators, and so
are many things residents write that must stay — dates and date-times ("08/11/2014 05:47
GMT"), year ranges, prices, counts, reference numbers. One scan over the text matches
dates and times first (kept as they are) and phone candidates otherwise; a candidate is
then kept when it is shaped like a number (thousands, years) or when its neighbours say
what it is (a currency or unit after it, a currency before it, "ticket", "case #",
"expediente", "n°"… before it). Street addresses need a house number next to a street
word *and* a capitalised street name ("12 Oak Road", "Calle Mayor 12", "12 rue de la
Paix", "شارع الجمهورية رقم 15", "số 45 đường Lê Lợi", "中山路12号"), so that "30 died in
road accidents" stays. Every pattern is compiled once, at import; ``bench/pii.py`` measures
precision, recall and speed on ``tests/analysis/fixtures/pii.json``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

EMAIL = "[EMAIL]"
URL = "[URL]"
PHONE = "[PHONE]"
ADDRESS = "[ADDRESS]"
PLACEHOLDERS = (EMAIL, URL, PHONE, ADDRESS)

# Latin letters (with Vietnamese and other accents) for e-mail addresses: not \w, which
# would take the Chinese or Arabic words written right against an address.
_LATIN = r"A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF"
_EMAIL_RE = re.compile(
    rf"(?<![{_LATIN}._%+'-])[{_LATIN}_%+-](?:[{_LATIN}._%+'-]*[{_LATIN}_%+-])?"
    rf"@[{_LATIN}-]+(?:\.[{_LATIN}-]+)*\.[A-Za-z]{{2,}}(?![A-Za-z0-9])"
)
# A URL ends before spaces, quotes, brackets and (half- or full-width) closing punctuation.
_URL_TAIL = r"[^\s<>\"'()\[\]{}，。、；：！？）】」]*[^\s<>\"'()\[\]{}，。、；：！？）】」.,;:!?]"
_TLDS = (
    "com|org|net|gov|edu|io|info|biz|ly|co|uk|fr|es|de|it|nl|be|ch|ca|au|us|mx|ar|br"
    "|vn|cn|sa|eg|ae|ma"
)
_URL_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.){_URL_TAIL}"
    # Bare domains only in lower case and with a known ending, so that "ASP.NET",
    # "Node.js" or "e.g." stay words.
    rf"|(?<![\w.@/-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})(?:/{_URL_TAIL})?(?![\w.-])"
)

# -- numbers: phone numbers and what only looks like them --------------------------------

_DATE = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))"
    r"(?![-/.]?\d)"
)
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?!\d)"
# One scan: at each place a date or a time is tried before a phone candidate, so that a
# date-time is never read as a phone number ("08/11/2014 05:47" once became "[PHONE]:47").
_NUMBERS_RE = re.compile(
    rf"(?P<keep>{_DATE}|{_TIME})"
    r"|(?<![\dA-Za-z+])(?<!\d[,.])(?P<phone>(?:\+|00)?\(?\d[\d \t().\-/]{5,}\d)(?![\dA-Za-z])"
)
# A date inside a candidate ("ticket 4471 12/03/2024"), not a part of "06.12.34.56.79".
_DATE_IN_RE = re.compile(rf"(?<![\d./-]){_DATE}")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:([. '’\u066c\u202f])\d{3})(?:\1\d{3})*")
_SPANISH_MOBILE_RE = re.compile(r"[6-9]\d\d \d{3} \d{3}")
_YEARS_RE = re.compile(r"\(?(?:1[5-9]|20)\d\d(?:\s*(?:[-/]|\s)\s*(?:(?:1[5-9]|20)\d\d|\d\d))+\)?")
# "Phase 2 (2025-2027)": a year range inside a candidate.
_YEAR_RANGE_IN_RE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d(?!\d)")
_CURRENCY_BEFORE_RE = re.compile(
    r"(?:[$€£¥₫₹]|\b(?:usd|eur|gbp|vnd|cny|rmb|us\$|sar|egp|mad|aed))\s*$", re.IGNORECASE
)
_UNIT_AFTER_RE = re.compile(
    r"\s*(?:[€$£¥₫%٪元円人]|đ\b|đồng|(?:vnd|usd|eur|gbp|km|kg|m²|m2|pesos?|euros?|dollars?"
    r"|dólares|people|personas|personnes|habitants|người|ريال|جنيه|درهم|دينار)(?!\w))",
    re.IGNORECASE,
)
# Words after which a number is a reference, not a phone number ("ticket 4471", "case
# #2024-00123", "expediente 2024/000123", "dossier n° 2024-0457", "mã hồ sơ 20240512").
# International, or French "06 12 34 56 78": a phone number whatever the words around it.
_PHONE_SHAPED_RE = re.compile(r"(?:\+|00)[1-9].*|0\d(?:[ .-]?\d\d){4}")
# "no." alone is not enough: "phone no. 555-010-4477" is a phone number.
_ID_BEFORE_RE = re.compile(
    r"(?:#|\b(?:ticket|case|ref|reference|order|invoice|id|expediente|folio|pedido"
    r"|factura|dossier|référence|facture|commande|hồ sơ|mã số|mã|isbn|issn|version|versión"
    r"|build)(?:\s*(?:no|nr|number|n°|nº)\b)?\.?|\bn°|\bnº"
    r"|编号|单号|工单号|订单号|رقم الطلب|رقم المعاملة)\s*[:#]?\s*$",
    re.IGNORECASE,
)


def _ascii_digits(text: str) -> str:
    """Every decimal digit as an ASCII one, so that "٢٠١٩-٢٠٢٣" is recognised as years."""
    if text.isascii():
        return text
    return "".join(
        ch if (digit := unicodedata.decimal(ch, None)) is None else str(digit) for ch in text
    )


def _is_phone(text: str, start: int, end: int) -> bool:
    candidate = text[start:end].strip()
    digits = sum(ch.isdigit() for ch in candidate)
    if not 7 <= digits <= 15:
        return False
    ascii_form = _ascii_digits(candidate)
    if (
        _YEARS_RE.fullmatch(ascii_form)
        or _YEAR_RANGE_IN_RE.search(ascii_form)
        or _DATE_IN_RE.search(ascii_form)
        or (_THOUSANDS_RE.fullmatch(ascii_form) and not _SPANISH_MOBILE_RE.fullmatch(ascii_form))
    ):
        return False
    if _PHONE_SHAPED_RE.fullmatch(ascii_form):
        return True
    before = max(0, start - 24)
    return not (
        _ID_BEFORE_RE.search(text, before, start)
        or _CURRENCY_BEFORE_RE.search(text, before, start)
        or _UNIT_AFTER_RE.match(text, end)
    )


# -- street addresses -----------------------------------------------------------------

# A capitalised word: Latin (with accents and Vietnamese letters), Greek or Cyrillic.
_UPPER = "".join(
    ch for ch in map(chr, [*range(0x41, 0x530), *range(0x1E00, 0x1F00)]) if ch.isupper()
)
_NAME = rf"[{_UPPER}][\w'’.-]*"
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
_STREET_FULL = (
    r"street|avenue|road|boulevard|lane|drive|court|place|way|terrace|parkway|highway"
    r"|circle|square|close|crescent"
)
_STREET_ABBR = r"st|ave|rd|blvd|ln|dr|ct|pl|pkwy|hwy|cir|sq"
_ES_PARTICLES = r"(?:de|del|la|las|los|el|d')\s+"
_FR_PARTICLES = r"(?:(?:de|du|des|la|le|les)\s+|[ldLD]['’])"
_CJK_NAME = (
    r"(?:(?![在住是到的于从去往近旁边址和与及我你他她这那条马一每个市区省县镇])[\u4e00-\u9fff])"
)
_ADDRESS_RES = (
    # "1234 N. Main Street", "12 Oak Ave", "221B Baker St", "42 West 5th Avenue"
    re.compile(
        rf"(?<!\w)\d{{1,6}}[A-Za-z]?\s+(?:(?:{_NAME}|{_ORDINAL})\s+){{1,4}}"
        rf"(?i:(?:{_STREET_FULL})\b|(?:{_STREET_ABBR})\b\.?)"
    ),
    # "Calle Mayor 12", "C/ Sol 7", "Avenida de la Constitución 3", "rue Lepic 10"
    re.compile(
        r"(?<!\w)(?i:calle|c/|avenida|avda\.|av\.|paseo|plaza|carrera|rua|via|viale|piazza"
        r"|rue|avenue|boulevard)"
        rf"\s+(?:{_ES_PARTICLES})*{_NAME}(?:\s+(?:{_ES_PARTICLES})*{_NAME}){{0,3}}"
        r"\s+(?:n[º°o]\.?\s*)?\d{1,5}[A-Za-z]?\b"
    ),
    # "12 rue de la Paix", "5, avenue Victor Hugo", "8 bis boulevard Voltaire"
    re.compile(
        r"(?<!\w)\d{1,5}(?:\s*(?i:bis|ter))?,?\s+"
        r"(?i:rue|avenue|av\.|boulevard|bd|chemin|allée|impasse|place|quai)"
        rf"\s+{_FR_PARTICLES}*{_NAME}(?:[\s-]+{_FR_PARTICLES}*{_NAME}){{0,3}}"
    ),
    # "Hauptstraße 5"
    re.compile(r"\b[\w-]+(?:straße|strasse|gasse|platz|allee)\s+\d{1,5}[a-z]?\b", re.I),
    # "شارع الجمهورية رقم 15", "١٢ شارع التحرير" ("الشارع", the street, is not an address)
    re.compile(r"(?<!\w)شارع(?:\s+[^\s\d،,.؛]+){1,3}?\s+(?:رقم\s*)?\d{1,5}(?!\d)"),
    re.compile(r"(?<!\d)\d{1,5}\s+شارع\s+[^\s\d،,.؛]+"),
    # "số 45 đường Lê Lợi", "12 phố Hàng Bạc", "123/4 hẻm Nguyễn Trãi"
    re.compile(
        r"(?<!\w)(?i:số\s+)?\d{1,5}[A-Za-z]?(?:/\d{1,4})*\s+(?i:đường|phố|ngõ|hẻm|ngách)"
        rf"\s+{_NAME}(?:\s+{_NAME}){{0,3}}"
    ),
    # "18 Nguyễn Du, Hà Nội": a house number and a name, then the ward, district or city
    re.compile(
        rf"(?<!\w)\d{{1,5}}[A-Za-z]?(?:/\d{{1,4}})*\s+{_NAME}(?:\s+{_NAME}){{1,3}}"
        r"(?=\s*,\s*(?:Phường|Quận|Huyện|Xã|Thị xã|Thành phố|TP\.?|P\.|Q\.|Hà Nội))"
    ),
    # "中山路12号", "建国大道88号" (not "这条路12号", "this road, on the 12th")
    re.compile(rf"{_CJK_NAME}{{2,4}}(?:大道|大街|路|街|巷|胡同|弄)\s*[0-9０-９]{{1,5}}\s*号"),
)
_HAS_DIGIT_RE = re.compile(r"\d")


def mask_pii(text: str, counts: Counter[str] | None = None) -> str:
    """Replace e-mail addresses, URLs, phone numbers and street addresses by placeholders.

    Args:
        text: the text to mask.
        counts: if given, incremented per kind of detail masked (``"email"``, ``"url"``,
            ``"phone"``, ``"address"``).

    Returns:
        The text with each detail replaced by ``[EMAIL]``, ``[URL]``, ``[PHONE]`` or
        ``[ADDRESS]``.
    """
    found: Counter[str] = Counter()

    def sub(pattern: re.Pattern[str], placeholder: str, kind: str, value: str) -> str:
        def replace(match: re.Match[str]) -> str:
            found[kind] += 1
            return placeholder

        return pattern.sub(replace, value)

    if "@" in text:
        text = sub(_EMAIL_RE, EMAIL, "email", text)
    if "." in text or "/" in text:
        text = sub(_URL_RE, URL, "url", text)
    if _HAS_DIGIT_RE.search(text):

        def number(match: re.Match[str]) -> str:
            if match.lastgroup == "phone" and _is_phone(
                match.string, match.start("phone"), match.end("phone")
            ):
                found["phone"] += 1
                return PHONE
            return match.group(0)

        text = _NUMBERS_RE.sub(number, text)
        for pattern in _ADDRESS_RES:
            text = sub(pattern, ADDRESS, "address", text)
    if counts is not None:
        counts.update(found)
    return text
