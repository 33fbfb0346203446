"""Header fields of CMS articles: labels ("Source:", "发布时间："), their values, dates, credits.

A furniture line's content is kept as metadata (date, author, source, ...): this module
reads it. The rules are about the shape of a field, not about particular sites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------
# Field labels ("Source:", "发布时间：") and their value shapes
# --------------------------------------------------------------------------

SENTENCE_END = re.compile(r"[.!?。！？]")
_COLON = r"\s*[:：]"
# label -> (metadata key, value shape). Longest labels first so that
# "Source of articles" wins over "Source" and "责任编辑" over "编辑".
_FIELD_LABELS: list[tuple[str, str, str]] = [
    # dates
    (
        r"release\s*time|release\s*date|publish(?:ed|ing)?\s*(?:time|date|on)?|posted(?:\s*on)?"
        r"|updated?(?:\s*(?:time|on))?|date(?:\s*published)?|time",
        "date",
        "date",
    ),
    (
        r"发布时间|发布日期|发表时间|发表日期|更新时间|更新日期|日期|时间|发布于|发布",
        "date",
        "date",
    ),
    # sources
    (r"source\s*of\s*articles?|article\s*source|resource|source|from", "source", "text"),
    (r"文章来源|稿件来源|信息来源|新闻来源|来源|出处", "source", "text"),
    # links
    (r"original\s*(?:link|url|address)|link|url", "url", "url"),
    (r"原文链接|原文地址|原文网址|链接|网址", "url", "url"),
    # counters
    (r"browse\s*times|page\s*views|views?|hits|clicks|reads?|visits", "views", "count"),
    (
        r"阅读次数|阅读量|阅读|浏览次数|浏览量|浏览|点击次数|点击量|点击数|点击|访问量|访问次数|人气",
        "views",
        "count",
    ),
    # people
    (r"written\s*by|author|by|reporter|correspondent", "author", "person"),
    (r"作者|撰稿人|撰稿|记者|通讯员|文字|文", "author", "person"),
    (r"edited\s*by|editor(?:\s*in\s*charge)?|responsible\s*editor", "editor", "person"),
    (r"责任编辑|责编|编辑|编审|审核|审校|审稿|终审|初审|复审|校对", "editor", "person"),
    (r"translated\s*by|translator|translation", "translator", "person"),
    (r"翻译|译者|编译|译", "translator", "person"),
    (
        r"photo(?:graph)?s?\s*by|photographer|photos?|images?\s*by|pictures?\s*by",
        "photographer",
        "person",
    ),
    (r"摄影|摄像|图片|图文|图", "photographer", "person"),
]
_LABEL_KEYS: dict[str, tuple[str, str]] = {}
_label_alternatives: list[str] = []
for _index, (_pattern, _key, _shape) in enumerate(_FIELD_LABELS):
    _label_alternatives.append(f"(?P<l{_index}>{_pattern})")
    _LABEL_KEYS[f"l{_index}"] = (_key, _shape)
_LABEL_GROUP = "|".join(_label_alternatives)
# A label followed by a colon, anywhere (CMS templates glue fields together:
# "2023-09-21Source of articles:"). Case-insensitive for English labels.
_LABEL = re.compile(rf"(?:{_LABEL_GROUP}){_COLON}", re.IGNORECASE)
# "By" glued to the end of a header ("Date: 13 September 2023By").
_TRAILING_BY = re.compile(r"^\s*(?:by|BY|By)\b\s*[:：]?\s*(?P<name>[^\d:：]{0,60})$")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = r"(?:[ T]?\s*(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?:[:：](?P<second>\d{2}))?)?"
_DATE_PATTERNS = [
    re.compile(  # 2023-09-21, 2023/9/21, 2023.09.21, 2023年9月21日
        r"(?P<year>(?:19|20)\d{2})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
        + _TIME
    ),
    re.compile(  # 13 September 2023
        rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<monthname>{_MONTH_NAMES})\.?,?\s+(?P<year>(?:19|20)\d{{2}})"
        + _TIME,
        re.IGNORECASE,
    ),
    re.compile(  # September 13, 2023
        rf"(?P<monthname>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{{2}})"
        + _TIME,
        re.IGNORECASE,
    ),
]
_URL = re.compile(r"\s*(?:https?://|www\.)\S+", re.IGNORECASE)
_COUNT = re.compile(r"\s*\d[\d,]*(?:\s*(?:次|人|views|times))?", re.IGNORECASE)
# Values of free-text fields stop at a sentence end; a source or name never
# runs longer than this before story text begins.
_MAX_FIELD_VALUE = 60


def match_date(text: str, position: int = 0) -> re.Match[str] | None:
    """A date (with optional time) starting at ``position`` after optional spaces."""
    stripped = len(text) - len(text[position:].lstrip())
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text, stripped)
        if match:
            return match
    return None


def search_date(text: str) -> re.Match[str] | None:
    """The first date anywhere in ``text``."""
    found = [match for pattern in _DATE_PATTERNS if (match := pattern.search(text))]
    return min(found, key=lambda match: match.start()) if found else None


def _iso_date(match: re.Match[str]) -> str | None:
    """Normalise a date match to YYYY-MM-DD, plus THH:MM when a time was given."""
    parts = match.groupdict()
    month = int(parts["month"]) if parts.get("month") else _MONTHS[parts["monthname"].lower()]
    year, day = int(parts["year"]), int(parts["day"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    if parts.get("hour") and int(parts["hour"]) < 24 and int(parts["minute"]) < 60:
        iso += f"T{int(parts['hour']):02d}:{parts['minute']}"
    return iso


@dataclass
class _HeaderParse:
    """Result of reading a line as a run of "label: value" fields."""

    fields: list[tuple[str, str]]  # (metadata key, value)
    furniture_end: int  # where the furniture part of the line ends
    reason: str


def parse_fields(line: str) -> _HeaderParse | None:
    """Read ``line`` as CMS fields if it starts with a label; None otherwise.

    Each value is cut by its shape (a date, a URL, a count, a name/source of
    bounded length), so story text glued after the last field is left out of
    ``furniture_end`` and becomes its own block.
    """
    first = _LABEL.match(line)
    if not first:
        return None
    fields: list[tuple[str, str]] = []
    position = 0
    match: re.Match[str] | None = first
    first_key = ""
    while match is not None:
        key, shape = _LABEL_KEYS[match.lastgroup or ""]
        first_key = first_key or key
        value_start = match.end()
        following = _LABEL.search(line, value_start)
        limit = following.start() if following else len(line)
        value_end = _value_end(line, value_start, limit, shape)
        if value_end is None:
            return None  # the "value" is running prose: this line is not a header
        value = line[value_start:value_end].strip()
        if value:
            fields.append((key, value))
        position = value_end
        if following and not line[value_end : following.start()].strip():
            match = following
            continue
        match = None
    rest = line[position:]
    trailing = _TRAILING_BY.match(rest)
    if trailing:
        name = trailing.group("name").strip()
        if name:
            fields.append(("author", name))
        position = len(line)
    if line[position:].lstrip()[:1].islower():
        return None  # "Time: the most precious ..." is a sentence, not a field
    keys = {key for key, _ in fields} | {first_key}
    reason = (
        "byline" if first_key in {"author", "editor", "translator", "photographer"} else "header"
    )
    if keys <= {"translator"} or keys <= {"photographer"}:
        reason = "credit"
    return _HeaderParse(fields, position, reason)


def _value_end(line: str, start: int, limit: int, shape: str) -> int | None:
    """Where the value of a field that starts at ``start`` ends (<= limit).

    None when the text after the label reads as a sentence rather than a
    value ("Source: the ministry said ..."), so the line is not a header.
    """
    if shape == "date":
        match = match_date(line[:limit], start)
        return match.end() if match else start
    if shape == "url":
        match = _URL.match(line, start, limit)
        return match.end() if match else start
    if shape == "count":
        match = _COUNT.match(line, start, limit)
        return match.end() if match else start
    value = line[start:limit].strip()
    if value[:1].isascii() and value[:1].islower():
        return None  # names and sources are capitalised; this is prose
    if len(value) <= _MAX_FIELD_VALUE and not SENTENCE_END.search(value[:-1]):
        return limit
    # Long: in Chinese a space ends the value ("来源：新华社 1月31日，……");
    # in English there is no telling a name from the sentence after it.
    token = re.match(r"\s*(\S+)\s+(?=\S)", line[start:limit])
    if token and not token.group(1).isascii() and not line[start + token.end()].isascii():
        return start + token.end(1)
    if token and line[start + token.end()].isdigit():
        return start + token.end(1)
    return None


# --------------------------------------------------------------------------
# Metadata from furniture
# --------------------------------------------------------------------------

_ROLE_IN_CREDIT = re.compile(
    r"(?P<role>written|edited|translated|photo(?:graph)?s?|proofread(?:ing)?|reviewed|reported|compiled"
    r"|文|图|摄影|摄|编辑|责任编辑|责编|审核|审校|校对|翻译|记者|通讯员|作者|供稿)\s*(?:by\b|[/／:：|丨])\s*",
    re.IGNORECASE,
)
_ROLE_KEYS = {
    "written": "author",
    "文": "author",
    "作者": "author",
    "记者": "author",
    "通讯员": "author",
    "reported": "author",
    "供稿": "source",
    "compiled": "editor",
    "edited": "editor",
    "编辑": "editor",
    "责任编辑": "editor",
    "责编": "editor",
    "translated": "translator",
    "翻译": "translator",
    "photo": "photographer",
    "photos": "photographer",
    "photograph": "photographer",
    "photographs": "photographer",
    "图": "photographer",
    "摄影": "photographer",
    "摄": "photographer",
    "proofreading": "proofreader",
    "proofread": "proofreader",
    "校对": "proofreader",
    "reviewed": "reviewer",
    "审核": "reviewer",
    "审校": "reviewer",
}
_CREDIT_PREFIX = re.compile(
    r"^(?:about\s+the\s+authors?|(?:translated|written|edited|photo(?:graph)?s?|images?|pictures?)\s+by)"
    r"\s*[:：]?\s*(?P<name>.+)$",
    re.IGNORECASE,
)
_CREDIT_PREFIX_KEYS = {
    "about": "author",
    "translated": "translator",
    "written": "author",
    "edited": "editor",
}
_NAME_CLEAN = re.compile(r"^[\s:：/／|丨]+|[\s:：/／|丨）)\]】]+$")


def credit_metadata(text: str) -> list[tuple[str, str]]:
    """Read role/name pairs from credit lines in their common shapes."""
    inner = text.strip().strip("（()）[]【】")
    matches = list(_ROLE_IN_CREDIT.finditer(inner))
    prefix = _CREDIT_PREFIX.match(inner)
    if prefix and len(matches) < 2:
        head = inner.split(None, 1)[0].lower()
        key = _CREDIT_PREFIX_KEYS.get(head, "photographer")
        return [(key, prefix.group("name").strip())]
    pairs: list[tuple[str, str]] = []
    pending: list[str] = []
    for index, match in enumerate(matches):
        role = _ROLE_KEYS.get(match.group("role").lower(), "")
        end = matches[index + 1].start() if index + 1 < len(matches) else len(inner)
        name = _NAME_CLEAN.sub("", inner[match.end() : end])
        name = re.split(r"[/／]|\s{2,}", name)[0].strip() if name else ""
        if role:
            pending.append(role)
        if name:
            for waiting in pending:
                pairs.append((waiting, name))
            pending = []
    return pairs


def add_metadata(metadata: dict[str, str], key: str, value: str) -> None:
    """Keep the first value seen for each key; tidy dates to ISO."""
    value = value.strip().strip(",，;；|")
    if not value or key in metadata:
        return
    if key == "date":
        match = search_date(value)
        iso = _iso_date(match) if match else None
        if not iso:
            return
        value = iso
    if key == "views":
        digits = re.sub(r"\D", "", value)
        if not digits:
            return
        value = digits
    metadata[key] = value
