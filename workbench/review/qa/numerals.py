"""Numbers and dates of a text as keys comparable across Chinese and English.

Numbers are compared as values, not as text, because the two languages write
them differently: 1,500万 is 15 million, 百分之十五 is 15%, 2023年9月21日 is
September 21, 2023. Each quantity says whether the other side must hold it
(see the ``numbers`` check).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

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
# A run is tried from its start only (lookbehind), not from each of its characters.
_ZH_NOT_NUMBERS = re.compile(
    "十分|万分|万一|千万(?![\\d零〇一二两三四五六七八九])|万岁|万物|万事|百姓|百货|百度|百科"
    "|四川|三亚|三峡|九江|十堰|万象|五湖四海|四面八方|三心二意|七上八下|乱七八糟|千方百计"
    "|百花齐放|万众一心|千千万万|成千上万|千家万户|一五一十|三番五次|五花八门|四通八达|八方"
    "|九州|千里|万里|百年大计|千年|数[十百千万亿]+|几[十百千万亿]+|[上成][百千万亿]"
    "|(?<![一二两三四五六七八九])[一二两三四五六七八九]+[十百千万亿]?来|星期[一二三四五六日天]|周[一二三四五六日]"
)
_ZH_PERCENT = re.compile(
    rf"百分之([{_ZH_NUM_CHARS}]+(?:点[零〇一二三四五六七八九]+)?|\d+(?:\.\d+)?)"
)
_ZH_MIXED = re.compile(
    r"(?<![0-9.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?:多\s*)?([万亿]+)"
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
# Each run of numerals is tried from its start only (the lookbehinds): tried from every
# character of a long run, the greedy run and its backtracking were quadratic.
_ZH_FRACTION = re.compile(
    rf"((?<![{_ZH_NUM_CHARS}])[{_ZH_NUM_CHARS}]+|(?<!\d)\d+)分之([{_ZH_NUM_CHARS}]+|\d+)"
)
# 20世纪60年代 = the 1960s
_ZH_DECADE = re.compile(
    rf"(\d{{1,2}}|(?<![{_ZH_NUM_CHARS}])[{_ZH_NUM_CHARS}]+)\s*世纪\s*(\d0|[{_ZH_NUM_CHARS}]+)\s*年代"
)
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
class Quantity:
    """A number or date found in a text: ``key`` compares across languages, ``text`` is shown."""

    key: tuple
    text: str
    required: bool  # must be found on the other side (else it may only match)


#: A run of numeral characters longer than this is not a number (九千九百九十九万… has
#: at most about 30): its value would be an integer of thousands of digits.
MAX_NUMERAL_CHARS = 40


def _zh_value(text: str) -> float | None:
    """Value of a Chinese numeral (三十五, 两万, 二〇二三, 三点五); None if not a number."""
    if len(text) > MAX_NUMERAL_CHARS:
        return None
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
        return float("".join(str(digits[c]) for c in text)) + fraction  # 二〇二三 digit by digit
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
    try:
        return result + wan + section + digit + fraction
    except OverflowError:  # 亿亿亿…: beyond any float
        return math.inf


def _zh_int(text: str) -> int:
    """A Chinese numeral's value as an int; 0 if it is none or too large."""
    value = _zh_value(text)
    return int(value) if value is not None and math.isfinite(value) else 0


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
    if not seen:
        return None
    try:
        return float(total + current)
    except OverflowError:  # "hundred hundred hundred …"
        return math.inf


def _number_key(value: float) -> tuple:
    return ("n", round(value, 6))


def show_number(value: float) -> str:
    if not math.isfinite(value):
        return "a very large number"
    return f"{int(value):,}" if value == int(value) else f"{value:g}"


class _Blanker:
    """The text being read, pass by pass: a consumed span is replaced by spaces (offsets
    stay valid, nothing is read twice). The spans of a pass are blanked in one rebuild
    when the next pass starts: one rebuild per match was quadratic on long text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int]] = []

    def find(self, pattern: re.Pattern) -> Iterator[re.Match]:
        self.flush()
        return pattern.finditer(self.text)

    def blank(self, match: re.Match) -> None:
        self.spans.append(match.span())

    def flush(self) -> None:
        if not self.spans:
            return
        pieces, last = [], 0
        for start, end in sorted(self.spans):
            start = max(start, last)
            pieces.append(self.text[last:start])
            pieces.append(" " * max(0, end - start))
            last = max(last, end)
        pieces.append(self.text[last:])
        self.text, self.spans = "".join(pieces), []


def _date_key(year: str | None, month: int, day: str | None) -> tuple:
    year_value = int(_zh_value(year) if year and not year.isdigit() else year) if year else None
    return ("d", year_value, month, int(day) if day else None)


def show_date(key: tuple) -> str:
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


def quantities(text: str, lang: str) -> list[Quantity]:
    """Numbers and dates of ``text`` as comparable keys."""
    t = _Blanker(unicodedata.normalize("NFKC", text))  # full-width digits, ％, ，
    found: list[Quantity] = []

    for match in t.find(_ISO_DATE):
        month = int(match["m"])
        if 1 <= month <= 12 and 1 <= int(match["d"]) <= 31:
            key = _date_key(match["y"], month, match["d"])
            found.append(Quantity(key, match.group(), True))
            t.blank(match)

    if lang == "zh":
        for match in t.find(_ZH_DATE):
            month = _month_value(match["m"])
            if month is None or not _valid_day(match["d"]):
                continue
            day = match["d"]
            if day and not day.isdigit():
                day = str(_zh_int(day))
            found.append(Quantity(_date_key(match["y"], month, day), match.group(), True))
            t.blank(match)
        for match in t.find(_ZH_NOT_NUMBERS):
            t.blank(match)
        for match in t.find(_ZH_DECADE):
            century, decade = (int(g) if g.isdigit() else _zh_int(g) for g in match.groups())
            value = (century - 1) * 100 + decade
            found.append(Quantity(_number_key(value), match.group(), True))
            t.blank(match)
        for match in t.find(_ZH_FRACTION):
            denominator, numerator = (
                float(g) if g.isdigit() else _zh_value(g) for g in match.groups()
            )
            if denominator and numerator is not None and not match.group().startswith("百分"):
                key = _number_key(numerator / denominator)
                found.append(Quantity(key, match.group(), True))
                t.blank(match)
        for match in t.find(_ZH_PERCENT):
            raw = match[1]
            value = float(raw) if raw[0].isdigit() else _zh_value(raw)
            if value is not None:
                found.append(Quantity(_number_key(value), match.group(), True))
            t.blank(match)
        for match in t.find(_ZH_MIXED):
            value = float(match[1].replace(",", ""))
            for char in match[2]:
                value *= 10_000 if char == "万" else 100_000_000
            found.append(Quantity(_number_key(value), match.group(), True))
            t.blank(match)
        for match in t.find(_ZH_NUMERAL):
            raw = match.group()
            if len(raw) == 1 and raw in "百千万亿零〇":
                continue  # 百年, 千克, 万人: a unit word more often than a number
            counted = t.text[match.start() - 1 : match.start()] == "第" or bool(
                _ZH_COUNTED.match(t.text, match.end())
            )
            pieces = [raw]
            if len(raw) == 2 and all(c in "一二两三四五六七八九" for c in raw):
                pieces = list(raw)  # 七八个 = seven or eight; 一一 = one by one
            for piece in pieces:
                value = _zh_value(piece)
                if value is not None:
                    found.append(Quantity(_number_key(value), piece, counted and value > 2))
    else:
        for pattern in _EN_DATE_PATTERNS:
            for match in t.find(pattern):
                groups = match.groupdict()
                month = _MONTHS[groups["m"].lower()]
                if not _valid_day(groups.get("d")):
                    continue
                key = _date_key(groups.get("y"), month, groups.get("d"))
                found.append(Quantity(key, match.group(), True))
                t.blank(match)
        for match in t.find(_APPROXIMATE_EN):
            t.blank(match)
        for match in t.find(_EN_FRACTION):
            numerator = match[1].lower()
            number = float(numerator) if numerator.isdigit() else _en_words_value(numerator) or 1
            key = _number_key(number / _DENOMINATORS[match[2].lower()])
            found.append(Quantity(key, match.group(), numerator != "a"))
            t.blank(match)
        for match in t.find(_EN_RANGE_WITH_SCALE):
            scale = _scale(match[3])
            for number in (match[1], match[2]):
                found.append(Quantity(_number_key(float(number) * scale), match.group(), True))
            t.blank(match)
        for match in t.find(_EN_NUMBER_WITH_SCALE):
            scale = _scale(match[2])
            value = float(match[1].replace(",", "")) * scale
            found.append(Quantity(_number_key(value), match.group(), True))
            t.blank(match)
        for match in t.find(_EN_ORDINAL):
            value = float(match[1].replace(",", ""))
            found.append(Quantity(_number_key(value), match.group(), True))
            t.blank(match)
        for match in t.find(_EN_WORD_NUMBER):
            value = _en_words_value(match.group())
            if value is not None:
                shown = match.group().strip(" -")
                scale_only = all(
                    w.lower() in _EN_SCALES for w in re.findall(r"[a-z]+", shown, re.I)
                )
                found.append(Quantity(_number_key(value), shown, value > 2 and not scale_only))
                t.blank(match)

    for match in t.find(_FULL_HOUR):
        found.append(Quantity(_number_key(float(match[1])), match.group(), True))
        t.blank(match)
    for match in t.find(_ARABIC):
        raw = match.group()
        value = float(raw.replace(",", ""))
        found.append(Quantity(_number_key(value), raw, True))
    return found


def _scale(word: str) -> int:
    word = word.lower()
    return 1_000_000_000 if word == "bn" else _EN_SCALES[word]
