"""Separate a news story from the page furniture around it.

Articles arrive as plain text copied or scraped from CMS pages: the story is
wrapped in headers (date, source, view counter), bylines, share buttons,
"related articles" teasers, previous/next links, browser notices and credits.
Nothing is deleted here: furniture is labelled with a short reason so the user
can see it and restore it, and what it says (date, author, ...) is lifted into
``Article.metadata``.

The rules are about *shape*, not about particular sites: a furniture line is
short, starts with a field label or is a known button text; a long
sentence-like paragraph is always body, whatever dates or names it mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aligner.langid import detect_language

__all__ = ["Article", "Block", "clean_article"]


@dataclass(frozen=True)
class Block:
    """One paragraph (or part of a glued line) and what it is."""

    text: str
    kind: str  # "title" | "body" | "furniture"
    reason: str = ""  # why it is furniture: "header", "byline", "share", ...
    paragraph: int = 0  # 0-based index of the source paragraph, in reading order


@dataclass
class Article:
    """A cleaned article: every input paragraph, classified, plus metadata."""

    blocks: list[Block]
    metadata: dict[str, str] = field(default_factory=dict)
    language: str = "en"

    @property
    def title(self) -> str | None:
        """Text of the title block, if one was found."""
        for block in self.blocks:
            if block.kind == "title":
                return block.text
        return None


# --------------------------------------------------------------------------
# Field labels ("Source:", "发布时间：") and their value shapes
# --------------------------------------------------------------------------

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


def _match_date(text: str, position: int = 0) -> re.Match[str] | None:
    """A date (with optional time) starting at ``position`` after optional spaces."""
    stripped = len(text) - len(text[position:].lstrip())
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text, stripped)
        if match:
            return match
    return None


def _search_date(text: str) -> re.Match[str] | None:
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


def _parse_fields(line: str) -> _HeaderParse | None:
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
        match = _match_date(line[:limit], start)
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
    if len(value) <= _MAX_FIELD_VALUE and not _SENTENCE_END.search(value[:-1]):
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
# Whole-paragraph furniture rules
# --------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?。！？]")
_SOCIAL = (
    r"facebook|twitter|x|linkedin|whatsapp|wechat|weibo|telegram|reddit|pinterest|tumblr|email|"
    r"e-mail|qzone|qq|douban|line|vk|微信|微博|新浪微博|腾讯微博|qq空间|豆瓣|朋友圈|人人网|邮件"
)
_SHARE = re.compile(
    rf"^(?:share(?:\s+(?:this|it|on|via|to|article|story|page|post))*(?:\s+(?:on|via)\s+[\w\s]+)?|"
    rf"(?:分享|分享到|转发到|一键分享)[:：]?.*|tweet|like|follow\s+us.*|关注我们.*|"
    rf"(?:(?:{_SOCIAL})(?:\s*[,|/·、]\s*|\s+|$))+)[\s!！.。:：]*$",
    re.IGNORECASE,
)
# Image alt text of icons ("waitro icon ipad", "facebook-icon").
_ICON = re.compile(r"^(?:\S+[\s_-]+){0,3}icons?(?:[\s_-]+\S+){0,3}$", re.IGNORECASE)
_BROWSER_NOTICE = re.compile(
    r"(?:upgrade|update)\s+(?:your|the)\s+browser|older\s+version\s+of\s+(?:your\s+)?browser|"
    r"browser\s+(?:is\s+)?(?:not\s+supported|out\s*of\s*date|outdated)|enable\s+javascript|"
    r"javascript\s+(?:is\s+)?(?:disabled|required)|浏览器版本(?:过低|太低|较低)|升级(?:您的|你的)?浏览器|"
    r"请(?:使用|更换).{0,20}浏览器|不支持.{0,10}浏览器",
    re.IGNORECASE,
)
_PREV_NEXT = re.compile(
    r"^[«‹<]*\s*(?:上一[篇条页则个]|下一[篇条页则个]|前一篇|后一篇|previous(?:\s+(?:article|post|story|news|item|page))?"
    r"|prev|next(?:\s+(?:article|post|story|news|item|page))?|older\s+post|newer\s+post)\s*(?:[:：»›>]|$)",
    re.IGNORECASE,
)
_RELATED_HEADING = re.compile(
    r"^(?:相关(?:文章|新闻|阅读|链接|报道|推荐|资讯|内容)|延伸阅读|推荐阅读|热门(?:文章|新闻|推荐)|猜你喜欢|更多(?:新闻|文章|阅读)"
    r"|related(?:\s+(?:articles?|news|posts?|stories|content|links|reading))?|you\s+may\s+(?:also\s+)?like|"
    r"(?:read|see)\s+(?:also|more)|more\s+(?:news|stories|articles)|recommended(?:\s+(?:articles?|reading))?|"
    r"further\s+reading|most\s+(?:read|popular))\s*[:：]?$",
    re.IGNORECASE,
)
_TEASER_END = re.compile(r"(?:\.{2,}|…+|……)\s*$")
_CREDIT = re.compile(
    r"^(?:about\s+the\s+authors?|(?:written|edited|translated|proofread(?:ing)?|reviewed|compiled|"
    r"reported|photo(?:graph)?s?|images?|pictures?|text|video)(?:\s+and\s+\w+)?\s+(?:by|credit|courtesy)"
    r"|photo\s*(?:credit|courtesy)|image\s*(?:credit|courtesy|source)|credits?\s*[:：]"
    r"|contributed\s+by|(?:editor|reporter|author|translator|proofreader|reviewer)s?\s*[:：]"
    r"|责任编辑|责编|编辑|审核|审校|校对|终审|复审|初审|翻译|译者|编译|摄影|供稿|撰稿|通讯员|记者|作者|图片来源|图/|文/)",
    re.IGNORECASE,
)
# "（文/张三  图/李四）", "(Written by/Photo by Kong Dewei/...)", "[责任编辑：王五]"
_BRACKETED_CREDIT = re.compile(
    r"^[（(\[【]\s*(?:(?:文|图|摄|摄影|记者|通讯员|编辑|责任编辑|审核|校对|翻译|供稿|作者)\s*[/／:：|丨]"
    r"|(?:written|edited|translated|photo|photos|proofreading|proofread|reviewed|reported|text|editor)\b)"
    r".{0,300}[)）\]】]$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"^(?:copyright|©|\(c\)|版权所有|版权声明|本文版权|未经授权|转载请注明)|all\s+rights\s+reserved|版权所有|icp备|icp证|公网安备",
    re.IGNORECASE,
)
_NAV = re.compile(
    r"^(?:(?:home|首页|主页|网站首页)\s*(?:>|»|›|＞|→|/|\|)|(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|"
    r"current\s+location|you\s+are\s+here|location)\s*[:：]|(?:back\s+to\s+top|top|返回顶部|返回首页|返回列表|返回|"
    r"print|close|close\s+window|打印|打印本页|关闭|关闭窗口|收藏|收藏本页|字号|字体|【?\s*字体\s*[:：].*|"
    r"tags?|标签|关键词|关键字|keywords?)\s*(?:[:：].*)?$)",
    re.IGNORECASE,
)
# A line made only of bracketed buttons: "【打印】【关闭】", "[Print] [Close]".
_BUTTON_ROW = re.compile(r"^(?:\s*[\[【\(（]\s*[^\]】\)）]{1,12}\s*[\]】\)）]\s*)+$")

_MAX_FURNITURE = {"en": 220, "zh": 100}  # longer paragraphs are prose, never furniture
_MAX_ANY_FURNITURE = 2000  # nothing this long is furniture, punctuation or not
_MAX_TITLE = {"en": 250, "zh": 80}
_TITLE_BAD_ENDINGS = tuple(".。,，;；:：、")


def _is_prose(text: str, lang: str) -> bool:
    """A long paragraph with sentence structure: always story text."""
    if len(text) > _MAX_ANY_FURNITURE:
        return True
    return len(text) > _MAX_FURNITURE[lang] and bool(_SENTENCE_END.search(text))


def _furniture_reason(text: str, lang: str) -> str:
    """Reason code when a whole paragraph is furniture, else ""."""
    if _is_prose(text, lang):
        return ""
    if _PREV_NEXT.match(text):
        return "prev-next"
    if _BROWSER_NOTICE.search(text):
        return "browser-notice"
    if _RELATED_HEADING.match(text):
        return "related"
    if _COPYRIGHT.search(text):
        return "copyright"
    if _BRACKETED_CREDIT.match(text):
        return "credit"
    if _SHARE.match(text) or (len(text) <= 40 and _ICON.match(text)):
        return "share"
    if _NAV.match(text) or _BUTTON_ROW.match(text):
        return "nav"
    if _CREDIT.match(text):
        return "credit"
    date = _match_date(text)
    if (
        date
        and len(text[date.end() :].strip()) <= 20
        and not _SENTENCE_END.search(text[date.end() :])
    ):
        return "header"  # a bare dateline, perhaps with a weekday or source
    return ""


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


def _credit_metadata(text: str) -> list[tuple[str, str]]:
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


def _add_metadata(metadata: dict[str, str], key: str, value: str) -> None:
    """Keep the first value seen for each key; tidy dates to ISO."""
    value = value.strip().strip(",，;；|")
    if not value or key in metadata:
        return
    if key == "date":
        match = _search_date(value)
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


# --------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """Non-empty lines, each a paragraph; English hard-wrapped lines are rejoined.

    Pages come either with blank lines between paragraphs or with single
    newlines; a line that is long, has no final punctuation and is continued
    by a lowercase line is a hard wrap, not a paragraph end.
    """
    paragraphs: list[str] = []
    joinable = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            joinable = False
            continue
        if joinable and paragraphs and line[:1].islower() and line[:1].isascii():
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        last = paragraphs[-1]
        joinable = len(line) >= 50 and last[-1:].isascii() and last[-1:].isalpha()
    return paragraphs


def _guess_language(paragraphs: list[str]) -> str:
    """Language for the length thresholds; cheap and never raises."""
    sample = "".join(paragraphs)[:20000]
    han = len(re.findall(r"[\u4e00-\u9fff]", sample))
    latin = len(re.findall(r"[A-Za-z]", sample))
    return "zh" if han * 3 >= latin else "en"


def _looks_like_title(text: str, lang: str) -> bool:
    """A short line without a sentence-final mark (a headline may end in ! or ?)."""
    return len(text) <= _MAX_TITLE[lang] and not text.endswith(_TITLE_BAD_ENDINGS)


def _looks_like_teaser(text: str, lang: str) -> bool:
    """Teaser of another story: a short headline, or a summary cut off with an ellipsis."""
    if _TEASER_END.search(text) and len(text) <= 3 * _MAX_FURNITURE[lang]:
        return True
    return _looks_like_title(text, lang)


def clean_article(text: str) -> Article:
    """Classify every paragraph of ``text`` as title, body or furniture.

    Furniture is kept (kind "furniture" with a reason) so nothing is lost;
    a line gluing header fields to story text is split into two blocks.
    Raises ValueError for empty or non-text input (see detect_language).
    """
    if not text or not text.strip():
        raise ValueError("the article is empty")
    paragraphs = _paragraphs(text)
    lang = _guess_language(paragraphs)
    blocks: list[Block] = []
    metadata: dict[str, str] = {}
    seen_body = False
    in_related = False
    title_found = False

    for index, paragraph in enumerate(paragraphs):
        story = paragraph
        header = _parse_fields(paragraph[:2000])
        if header is not None and not _is_prose(paragraph[: header.furniture_end], lang):
            furniture = paragraph[: header.furniture_end].strip()
            story = paragraph[header.furniture_end :].strip()
            if furniture:
                reason = header.reason
                if reason == "byline" and seen_body:
                    reason = "credit"
                blocks.append(Block(furniture, "furniture", reason, index))
                for key, value in header.fields:
                    _add_metadata(metadata, key, value)
            if not story:
                continue
        reason = _furniture_reason(story, lang)
        if reason == "related":
            in_related = True
        elif not reason and in_related and _looks_like_teaser(story, lang):
            reason = "related"
        elif not reason:
            in_related = False
        if reason:
            blocks.append(Block(story, "furniture", reason, index))
            if reason in {"credit", "byline"}:
                for key, value in _credit_metadata(story):
                    _add_metadata(metadata, key, value)
            elif reason == "header":
                date = _search_date(story)
                if date:
                    _add_metadata(metadata, "date", date.group())
            continue
        if not seen_body and not title_found and _looks_like_title(story, lang):
            blocks.append(Block(story, "title", "", index))
            title_found = True
            continue
        blocks.append(Block(story, "body", "", index))
        seen_body = True

    body_text = "\n".join(block.text for block in blocks if block.kind != "furniture")
    try:
        language = detect_language(body_text or text)
    except ValueError:
        if body_text:
            raise
        language = lang  # only furniture: fall back to the script count
    return Article(blocks=blocks, metadata=metadata, language=language)
