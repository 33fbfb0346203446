"""Quality checks for one segment: numbers, dates, punctuation, brackets, names, length.

Pure functions over two strings, fast enough to run on every save and on a
whole document for the filter bar. Each check returns :class:`QaFlag` rows
whose message says *what* differs, so a translator can fix it without
guessing. The checks are warnings: translators may dismiss them.

Numbers are compared as values, not as text, because the two languages write
them differently: 1,500万 is 15 million, 百分之十五 is 15%, 2023年9月21日 is
September 21, 2023. Numbers written with digits must be found on the other
side. Numbers written in words must be found too when they are above 2 (1
and 2 double as articles and idioms: 一些, "a", 两国 = "both countries") and,
in Chinese, when they count something or are ordinals (三位, 第三); a numeral
inside a word (三角洲, 十字军, 路易十六) may match but is not required.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from aligner.tokens import HAN_RE

#: Every check's code with the label the UI shows, in display order.
QA_CODES: dict[str, str] = {
    "empty": "Empty target",
    "untranslated": "Untranslated",
    "numbers": "Numbers or dates differ",
    "end-punctuation": "End punctuation differs",
    "brackets": "Unbalanced brackets or quotes",
    "length-ratio": "Suspicious length",
    "latin-names": "Latin-script name missing",
}


@dataclass(frozen=True)
class QaFlag:
    """One problem found in a segment: a code from ``QA_CODES`` and a readable message."""

    code: str
    message: str


def check_segment(source: str, target: str, source_lang: str, target_lang: str) -> list[QaFlag]:
    """Run every check on a source/target pair; an empty list means nothing to report.

    An empty target only reports "empty": the other checks would all fire and
    hide the one thing to do. An empty source (a 0-1 alignment) reports nothing.
    """
    source = source or ""
    target = target or ""
    src_lang = _base_lang(source_lang)
    tgt_lang = _base_lang(target_lang)
    if not source.strip():
        return []  # a 0-1 segment (target sentence without source): nothing to compare
    if not target.strip():
        return [QaFlag("empty", "The target is empty.")]
    flags: list[QaFlag] = []
    for check in (
        _check_untranslated,
        _check_numbers,
        _check_end_punctuation,
        _check_brackets,
        _check_length_ratio,
        _check_latin_names,
    ):
        flag = check(source, target, src_lang, tgt_lang)
        if flag is not None:
            flags.append(flag)
    return flags


def _base_lang(lang: str) -> str:
    """ "zh-Hant" and "zh" are both Chinese for these checks; "en-GB" is English."""
    return (lang or "").split("-")[0].lower()


# --------------------------------------------------------------------------- untranslated

_LATIN_LETTER = re.compile(r"[A-Za-z]")
_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")


def _has_language_text(text: str, lang: str) -> bool:
    """Whether ``text`` holds real words of ``lang`` (names/acronyms alone do not count
    for English: "WAITRO" copied into a Chinese target is fine)."""
    if lang == "zh":
        return bool(HAN_RE.search(text))
    if lang == "en":
        return bool(_LOWER_WORD.search(text))
    return bool(re.search(r"\w", text))


def _check_untranslated(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    if not _has_language_text(source, src):
        return None  # numbers, names, codes: copying them is the translation
    if _normalise_space(target) == _normalise_space(source) and src != tgt:
        return QaFlag("untranslated", "The target is the same as the source.")
    if tgt == "zh" and not HAN_RE.search(target):
        return QaFlag("untranslated", "The target has no Chinese characters.")
    if tgt == "en" and not _LATIN_LETTER.search(target):
        return QaFlag("untranslated", "The target has no English letters.")
    return None


def _normalise_space(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --------------------------------------------------------------------------- numbers

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
_MONTH_RE = (
    r"(?P<{name}>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY_RE = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<{name}>(?:1[5-9]|20|21)\d\d)"

_EN_DATE_PATTERNS = [
    # September 21, 2023 / Sept. 21st 2023
    re.compile(
        r"\b" + _MONTH_RE.format(name="m") + r"\s+" + _DAY_RE.format(name="d")
        + r",?\s+" + _YEAR_RE.format(name="y") + r"\b"
    ),
    # 21 September 2023 / 21st of September, 2023
    re.compile(
        r"\b" + _DAY_RE.format(name="d") + r"\s+(?:of\s+)?" + _MONTH_RE.format(name="m")
        + r",?\s+" + _YEAR_RE.format(name="y") + r"\b"
    ),
    # September 2023
    re.compile(r"\b" + _MONTH_RE.format(name="m") + r",?\s+" + _YEAR_RE.format(name="y") + r"\b"),
    # September 21
    re.compile(r"\b" + _MONTH_RE.format(name="m") + r"\s+" + _DAY_RE.format(name="d") + r"\b"),
    # 21 September
    re.compile(r"\b" + _DAY_RE.format(name="d") + r"\s+(?:of\s+)?" + _MONTH_RE.format(name="m")),
    # a month alone, with a capital: "in September" (not "may", "march")
    re.compile(
        r"\b(?P<m>January|February|March|April|June|July|August|September|October|November|"
        r"December)\b"
    ),
]  # fmt: skip
# 2023-09-21, 2023/9/21, 2023.09.21 (both languages)
_ISO_DATE = re.compile(
    r"(?<![\d.])(?P<y>(?:1[5-9]|20|21)\d\d)([-/.])(?P<m>[01]?\d)\2(?P<d>[0-3]?\d)(?![\d.])"
)

_ZH_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
_ZH_SMALL = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_ZH_YEAR = r"(?:\d{4}|[零〇一二三四五六七八九]{4})"
_ZH_DATE = re.compile(
    rf"(?:(?P<y>{_ZH_YEAR})\s*年\s*)?(?P<m>{_ZH_SMALL})\s*月(?:\s*(?P<d>{_ZH_SMALL})\s*[日号])?"
)

# Chinese words with numeral characters that are not numbers (idioms, names, 十分 = "very").
_ZH_NOT_NUMBERS = re.compile(
    "十分|万分|万一|千万(?![\\d零〇一二两三四五六七八九])|万岁|万物|万事|百姓|百货|百度|百科"
    "|四川|三亚|三峡|九江|十堰|万象|五湖四海|四面八方|三心二意|七上八下|乱七八糟|千方百计"
    "|百花齐放|万众一心|千千万万|成千上万|千家万户|一五一十|三番五次|五花八门|四通八达|八方"
    "|九州|千里|万里|百年大计|千年|数[十百千万亿]+|几[十百千万亿]+|[上成][百千万亿]"
    "|[一二两三四五六七八九]+[十百千万亿]?来|星期[一二三四五六日天]|周[一二三四五六日]"
)
_ZH_PERCENT = re.compile(
    rf"百分之([{_ZH_NUM_CHARS}]+(?:点[零〇一二三四五六七八九]+)?|\d+(?:\.\d+)?)"
)
_ZH_MIXED = re.compile(
    r"(?<![0-9.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*多?\s*([万亿]+)"
)
_ZH_NUMERAL = re.compile(rf"[{_ZH_NUM_CHARS}]+(?:点[零〇一二三四五六七八九]+)?")
_ARABIC = re.compile(r"(?<![0-9.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")

_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "dozen": 12,
}  # fmt: skip
_EN_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000,
              "billion": 1_000_000_000, "trillion": 1_000_000_000_000}  # fmt: skip
_EN_WORD_NUMBER = re.compile(
    r"\b(?:(?:" + "|".join(list(_EN_SMALL) + list(_EN_SCALES)) + r")(?:[\s-]+(?:and[\s-]+)?|\b))+",
    re.IGNORECASE,
)
_EN_NUMBER_WITH_SCALE = re.compile(
    r"(?<![0-9.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?:-\s*)?"
    r"(hundred|thousand|million|billion|trillion|bn)\b(?!-)",
    re.IGNORECASE,
)
# 4.2-3.9 million: the scale belongs to both numbers.
_EN_RANGE_WITH_SCALE = re.compile(
    r"(?<![0-9.,])(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)\s*"
    r"(hundred|thousand|million|billion|trillion|bn)\b",
    re.IGNORECASE,
)
_EN_ORDINAL = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b")
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10,
}  # fmt: skip
_EN_FRACTION = re.compile(
    r"\b(a|one|two|three|four|\d+)[\s-](" + "|".join(_DENOMINATORS) + r")\b", re.IGNORECASE
)
_ZH_FRACTION = re.compile(rf"([{_ZH_NUM_CHARS}]+|\d+)分之([{_ZH_NUM_CHARS}]+|\d+)")
# 20世纪60年代 = the 1960s
_ZH_DECADE = re.compile(rf"(\d{{1,2}}|[{_ZH_NUM_CHARS}]+)\s*世纪\s*(\d0|[{_ZH_NUM_CHARS}]+)\s*年代")
# 10:00 is the hour 10 (Chinese often writes 10点)
_FULL_HOUR = re.compile(r"(?<![\d:])([01]?\d|2[0-4]):00(?![\d:]|\.\d)")
# A Chinese numeral written in characters counts when it is an ordinal (第三) or counts
# something (三位, 十五年); otherwise it is usually part of a word (三角洲, 十字军, 路易十六).
_ZH_COUNTED = re.compile(
    "[个位名次项年月日天号人岁条件家所座辆架本张只头种类批届场队支层倍分秒元块米斤克吨亩度期轮"
    "章节页部台套份双对户口周小时点世纪多余]"
)
_APPROXIMATE_EN = re.compile(r"\b(?:hundreds|thousands|millions|billions|dozens)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Quantity:
    """A number or date found in a text: ``key`` compares across languages, ``text`` is shown."""

    key: tuple
    text: str
    required: bool  # must be found on the other side (else it may only match)


def _zh_value(text: str) -> float | None:
    """Value of a Chinese numeral (三十五, 两万, 二〇二三, 三点五); None if not a number."""
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
    units = {"十": 10, "百": 100, "千": 1000}
    fraction = 0.0
    if "点" in text:
        text, _, decimals = text.partition("点")
        if not decimals or not all(c in digits for c in decimals):
            return None
        fraction = float("0." + "".join(str(digits[c]) for c in decimals))
    if not text:
        return None
    if len(text) > 1 and all(c in digits for c in text):
        return int("".join(str(digits[c]) for c in text)) + fraction  # 二〇二三 read digit by digit
    result, wan, section, digit = 0, 0, 0, 0
    for char in text:
        if char in digits:
            digit = digits[char]
        elif char in units:
            section += (digit or 1) * units[char]
            digit = 0
        elif char == "万":
            wan = (wan + section + digit) * 10_000
            section, digit = 0, 0
        else:  # 亿
            result = (result + wan + section + digit) * 100_000_000
            wan, section, digit = 0, 0, 0
    return result + wan + section + digit + fraction


def _en_words_value(words: str) -> float | None:
    """Value of an English number phrase ("twenty-five", "two hundred and ten", "first")."""
    total, current, seen = 0, 0, False
    for word in re.findall(r"[a-z]+", words.lower()):
        if word == "and":
            continue
        if word in _EN_SMALL:
            current += _EN_SMALL[word]
            seen = True
        elif word in _EN_SCALES:
            scale = _EN_SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            seen = True
    return float(total + current) if seen else None


def _number_key(value: float) -> tuple:
    return ("n", round(value, 6))


def _show_number(value: float) -> str:
    if not math.isfinite(value):
        return "a very large number"
    return f"{int(value):,}" if value == int(value) else f"{value:g}"


def _blank(text: str, start: int, end: int) -> str:
    """Replace a consumed span by spaces so offsets stay valid and it is not read twice."""
    return text[:start] + " " * (end - start) + text[end:]


def _date_key(year: str | None, month: int, day: str | None) -> tuple:
    year_value = int(_zh_value(year) if year and not year.isdigit() else year) if year else None
    return ("d", year_value, month, int(day) if day else None)


def _show_date(key: tuple) -> str:
    _, year, month, day = key
    parts = [_MONTH_NAMES[month - 1]]
    if day:
        parts.append(str(day))
    text = " ".join(parts)
    return f"{text}, {year}" if year and day else f"{text} {year}" if year else text


def _month_value(text: str) -> int | None:
    value = int(text) if text.isdigit() else _zh_value(text)
    return int(value) if value and 1 <= value <= 12 else None


def _valid_day(day: str | None) -> bool:
    if day is None:
        return True
    value = int(day) if day.isdigit() else _zh_value(day)
    return value is not None and 1 <= value <= 31


def _quantities(text: str, lang: str) -> list[_Quantity]:
    """Numbers and dates of ``text`` as comparable keys."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits, ％, ，
    found: list[_Quantity] = []

    for match in _ISO_DATE.finditer(text):
        month = int(match["m"])
        if 1 <= month <= 12 and 1 <= int(match["d"]) <= 31:
            key = _date_key(match["y"], month, match["d"])
            found.append(_Quantity(key, match.group(), True))
            text = _blank(text, *match.span())

    if lang == "zh":
        for match in _ZH_DATE.finditer(text):
            month = _month_value(match["m"])
            if month is None or not _valid_day(match["d"]):
                continue
            day = match["d"]
            if day and not day.isdigit():
                day = str(int(_zh_value(day) or 0))
            found.append(_Quantity(_date_key(match["y"], month, day), match.group(), True))
            text = _blank(text, *match.span())
        for match in _ZH_NOT_NUMBERS.finditer(text):
            text = _blank(text, *match.span())
        for match in _ZH_DECADE.finditer(text):
            century, decade = (
                int(g) if g.isdigit() else int(_zh_value(g) or 0) for g in match.groups()
            )
            value = (century - 1) * 100 + decade
            found.append(_Quantity(_number_key(value), match.group(), True))
            text = _blank(text, *match.span())
        for match in _ZH_FRACTION.finditer(text):
            denominator, numerator = (
                float(g) if g.isdigit() else _zh_value(g) for g in match.groups()
            )
            if denominator and numerator is not None and not match.group().startswith("百分"):
                key = _number_key(numerator / denominator)
                found.append(_Quantity(key, match.group(), True))
                text = _blank(text, *match.span())
        for match in _ZH_PERCENT.finditer(text):
            raw = match[1]
            value = float(raw) if raw[0].isdigit() else _zh_value(raw)
            if value is not None:
                found.append(_Quantity(_number_key(value), match.group(), True))
            text = _blank(text, *match.span())
        for match in _ZH_MIXED.finditer(text):
            value = float(match[1].replace(",", ""))
            for char in match[2]:
                value *= 10_000 if char == "万" else 100_000_000
            found.append(_Quantity(_number_key(value), match.group(), True))
            text = _blank(text, *match.span())
        for match in _ZH_NUMERAL.finditer(text):
            raw = match.group()
            if len(raw) == 1 and raw in "百千万亿零〇":
                continue  # 百年, 千克, 万人: a unit word more often than a number
            counted = text[match.start() - 1 : match.start()] == "第" or bool(
                _ZH_COUNTED.match(text, match.end())
            )
            pieces = [raw]
            if len(raw) == 2 and all(c in "一二两三四五六七八九" for c in raw):
                pieces = list(raw)  # 七八个 = seven or eight; 一一 = one by one
            for piece in pieces:
                value = _zh_value(piece)
                if value is not None:
                    found.append(_Quantity(_number_key(value), piece, counted and value > 2))
    else:
        for pattern in _EN_DATE_PATTERNS:
            for match in pattern.finditer(text):
                groups = match.groupdict()
                month = _MONTHS[groups["m"].lower()]
                if not _valid_day(groups.get("d")):
                    continue
                key = _date_key(groups.get("y"), month, groups.get("d"))
                found.append(_Quantity(key, match.group(), True))
                text = _blank(text, *match.span())
        for match in _APPROXIMATE_EN.finditer(text):
            text = _blank(text, *match.span())
        for match in _EN_FRACTION.finditer(text):
            numerator = match[1].lower()
            number = float(numerator) if numerator.isdigit() else _en_words_value(numerator) or 1
            key = _number_key(number / _DENOMINATORS[match[2].lower()])
            found.append(_Quantity(key, match.group(), numerator != "a"))
            text = _blank(text, *match.span())
        for match in _EN_RANGE_WITH_SCALE.finditer(text):
            scale = _scale(match[3])
            for number in (match[1], match[2]):
                found.append(_Quantity(_number_key(float(number) * scale), match.group(), True))
            text = _blank(text, *match.span())
        for match in _EN_NUMBER_WITH_SCALE.finditer(text):
            scale = _scale(match[2])
            value = float(match[1].replace(",", "")) * scale
            found.append(_Quantity(_number_key(value), match.group(), True))
            text = _blank(text, *match.span())
        for match in _EN_ORDINAL.finditer(text):
            value = float(match[1].replace(",", ""))
            found.append(_Quantity(_number_key(value), match.group(), True))
            text = _blank(text, *match.span())
        for match in _EN_WORD_NUMBER.finditer(text):
            value = _en_words_value(match.group())
            if value is not None:
                shown = match.group().strip(" -")
                scale_only = all(
                    w.lower() in _EN_SCALES for w in re.findall(r"[a-z]+", shown, re.I)
                )
                found.append(_Quantity(_number_key(value), shown, value > 2 and not scale_only))
                text = _blank(text, *match.span())

    for match in _FULL_HOUR.finditer(text):
        found.append(_Quantity(_number_key(float(match[1])), match.group(), True))
        text = _blank(text, *match.span())
    for match in _ARABIC.finditer(text):
        raw = match.group()
        value = float(raw.replace(",", ""))
        found.append(_Quantity(_number_key(value), raw, True))
    return found


def _scale(word: str) -> int:
    word = word.lower()
    return 1_000_000_000 if word == "bn" else _EN_SCALES[word]


def _compatible(a: tuple, b: tuple) -> bool:
    """Dates agree where both say something: "September 21" matches 2023年9月21日."""
    if a[0] != "d" or b[0] != "d":
        return False
    return (
        all(x is None or y is None or x == y for x, y in zip(a[1:], b[1:], strict=True))
        and a[2] == b[2]
    )


def _unmatched(mine: list[_Quantity], theirs: list[_Quantity]) -> list[_Quantity]:
    """Quantities of ``mine`` with no counterpart in ``theirs`` (multiset, dates leniently)."""
    available = Counter(q.key for q in theirs)
    left: list[_Quantity] = []
    # Required quantities first: the digit 1 must not lose its partner to the 一 of 一些.
    for quantity in sorted(mine, key=lambda q: not q.required):
        if available[quantity.key] > 0:
            available[quantity.key] -= 1
        else:
            left.append(quantity)
    still: list[_Quantity] = []
    for quantity in left:
        partner = next(
            (k for k, n in available.items() if n > 0 and _compatible(quantity.key, k)), None
        )
        if partner is not None:
            available[partner] -= 1
        elif quantity.required:
            still.append(quantity)
    return still


def _describe(quantity: _Quantity) -> str:
    if quantity.key[0] == "d":
        return f"{quantity.text.strip()} ({_show_date(quantity.key)})"
    shown = _show_number(quantity.key[1])
    text = quantity.text.strip()
    return text if text.replace(",", "") == shown.replace(",", "") else f"{text} (= {shown})"


def _check_numbers(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    source_q = _quantities(source, src)
    target_q = _quantities(target, tgt)
    missing = _unmatched(source_q, target_q)
    extra = _unmatched(target_q, source_q)
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("in the source but not the target: " + ", ".join(map(_describe, missing)))
    if extra:
        parts.append("in the target but not the source: " + ", ".join(map(_describe, extra)))
    return QaFlag("numbers", "Numbers differ; " + "; ".join(parts) + ".")


# --------------------------------------------------------------------------- end punctuation

_CLOSERS = "\"'”’」』）)》〉】]"
_END_CLASSES = (
    ("ellipsis", ("……", "…", "...")),
    ("full stop", ("。", ".", "．", "｡")),
    ("exclamation mark", ("！", "!")),
    ("question mark", ("？", "?")),
    ("colon", ("：", ":")),
    ("semicolon", ("；", ";")),
)


def _end_class(text: str) -> tuple[str | None, str]:
    """The kind of final punctuation (ignoring closing quotes/brackets) and the mark itself."""
    stripped = text.rstrip()
    core = stripped.rstrip(_CLOSERS).rstrip()
    for candidate in (core, stripped):
        for name, marks in _END_CLASSES:
            for mark in marks:
                if candidate.endswith(mark):
                    return name, mark
    return None, ""


def _check_end_punctuation(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    source_class, source_mark = _end_class(source)
    target_class, target_mark = _end_class(target)
    if source_class == target_class:
        return None
    said_source = f"“{source_mark}” ({source_class})" if source_class else "no end punctuation"
    said_target = f"“{target_mark}” ({target_class})" if target_class else "no end punctuation"
    return QaFlag(
        "end-punctuation", f"The source ends with {said_source}, the target with {said_target}."
    )


# --------------------------------------------------------------------------- brackets

_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "{": "}", "《": "》", "〈": "〉",
          "「": "」", "『": "』", "“": "”", "‘": "’", "«": "»"}  # fmt: skip
_CLOSING = {v: k for k, v in _PAIRS.items()}
# Half- and full-width parentheses mixed in one pair are a style slip, not an imbalance.
_SAME_FAMILY = {"(": "（", "（": "(", ")": "）", "）": ")"}


def _closes(opener: str, closer: str) -> bool:
    return _PAIRS[opener] in (closer, _SAME_FAMILY.get(closer))


def _bracket_problems(text: str) -> list[str]:
    """Unclosed, unopened or crossed brackets/quotes, as phrases for the message.

    ’ between letters, or closing nothing, is an apostrophe (school’s, teachers’).
    """
    problems: list[str] = []
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(text):
        if char in _PAIRS:
            stack.append((char, i))
        elif char in _CLOSING:
            if char == "’" and (
                not any(opener == "‘" for opener, _ in stack)
                or (0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha())
            ):
                continue
            if stack and _closes(stack[-1][0], char):
                stack.pop()
            elif any(_closes(opener, char) for opener, _ in stack):
                while stack and not _closes(stack[-1][0], char):
                    opener, _ = stack.pop()
                    problems.append(f"“{opener}” is closed by “{char}”")
                stack.pop()
            else:
                problems.append(f"“{char}” closes nothing")
    problems.extend(f"“{opener}” is never closed" for opener, _ in stack)
    if text.count('"') % 2:
        problems.append('an odd number of "')
    return problems


def _check_brackets(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    problems = _bracket_problems(target)
    if not problems or _bracket_problems(source):
        # An unbalanced source (a quotation running over several segments) makes an
        # unbalanced target correct.
        return None
    return QaFlag("brackets", "In the target, " + "; ".join(problems) + ".")


# --------------------------------------------------------------------------- length ratio

#: Expected English letters/digits per Chinese character (the aligner uses the same figure).
EN_PER_ZH_CHARS = 3.0
#: Outside expected ÷ this … expected × this, a pair is reported.
LENGTH_TOLERANCE = 2.5
#: Below this many characters on the shorter side, ratios are too noisy to report.
MIN_LENGTH = 8


def _length(text: str) -> int:
    return sum(1 for char in text if char.isalnum())


def _expected_ratio(src: str, tgt: str) -> float:
    if src == tgt:
        return 1.0
    if src == "zh" and tgt == "en":
        return EN_PER_ZH_CHARS
    if src == "en" and tgt == "zh":
        return 1 / EN_PER_ZH_CHARS
    return 1.0


def _check_length_ratio(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    source_len, target_len = _length(source), _length(target)
    expected = _expected_ratio(src, tgt)
    if source_len == 0:
        return None
    # Short pairs: compare on the scale of the longer side, so "是。" → "Yes." passes.
    if (
        min(source_len * expected, target_len) < MIN_LENGTH
        and max(source_len * expected, target_len) < MIN_LENGTH * LENGTH_TOLERANCE
    ):
        return None
    ratio = target_len / source_len
    if expected / LENGTH_TOLERANCE <= ratio <= expected * LENGTH_TOLERANCE:
        return None
    what = "short" if ratio < expected else "long"
    return QaFlag(
        "length-ratio",
        f"The target looks too {what}: {target_len} characters for {source_len} in the source "
        f"(about {round(source_len * expected)} expected).",
    )


# --------------------------------------------------------------------------- Latin names

_LATIN_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9&.'’-]*[A-Za-z0-9]|(?<![A-Za-z])[A-Z]\b"
)
_EN_NAME_LIKE = re.compile(r"^(?:[A-Z0-9&]{2,}|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z]*[A-Z][A-Za-z]*)$")
_IGNORED_NAMES = frozenset({"AM", "PM", "OK", "I", "A"})
# Acronyms a Chinese translation normally renders in Chinese (美国, 联合国, 国内生产总值).
_COMMONLY_TRANSLATED = frozenset(
    {
        "USA", "US", "UK", "UN", "EU", "GDP", "FBI", "CIA", "NASA", "WHO", "NATO", "MP", "MPS",
        "ISIS", "GMT", "UNESCO", "WTO", "IMF", "AIDS", "HIV", "COVID", "CEO", "TV", "DNA", "USD",
        "AUD", "EUR", "GBP", "RMB", "CPC", "PRC", "NPC", "CPPCC", "UAE", "USSR", "BC", "BCE",
        "AD", "CE", "WWI", "WWII",
    }
)  # fmt: skip
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_SURNAME_PREFIX = re.compile(r"^(?:Mc|Mac|O'|O’|De|Di|La|Le|Van|Von)[A-Z]")


def _latin_names(source: str, src: str) -> list[str]:
    """Latin-script tokens a translation normally keeps as they are.

    A Chinese source keeps every Latin word (SYIIT, iPhone, Python). In an
    English source only acronyms and camel-case names of three letters or more
    (NEU, WAITRO, iPhone) count, minus those a translation normally renders in
    Chinese (UN, GDP, NASA …): ordinary capitalised words get translated.
    """
    names: list[str] = []
    for match in _LATIN_TOKEN.finditer(unicodedata.normalize("NFKC", source)):
        token = match.group().strip(".'’-")
        if len(token) < 2 or token.upper() in _IGNORED_NAMES:
            continue
        if token in names:
            continue
        if src == "zh" or (
            _EN_NAME_LIKE.match(token)
            and len(token) > 2
            and token.upper() not in _COMMONLY_TRANSLATED
            and not _ROMAN.match(token)
            and not _SURNAME_PREFIX.match(token)
        ):
            names.append(token)
    return names


def _check_latin_names(source: str, target: str, src: str, tgt: str) -> QaFlag | None:
    if src == tgt:
        return None
    haystack = unicodedata.normalize("NFKC", target).casefold()
    missing = [name for name in _latin_names(source, src) if name.casefold() not in haystack]
    if not missing:
        return None
    return QaFlag("latin-names", "Missing from the target: " + ", ".join(missing) + ".")
