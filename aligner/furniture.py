"""Whole-paragraph furniture: share bars, related-article teasers, credits, navigation, notices.

A furniture paragraph is short and shaped like a button row, a field or a teaser; a long
sentence-like paragraph is always body, whatever it mentions.
"""

from __future__ import annotations

import re

from aligner.fields import SENTENCE_END, match_date, parse_fields

# --------------------------------------------------------------------------
# Whole-paragraph furniture rules
# --------------------------------------------------------------------------

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
TEASER_END = re.compile(r"(?:\.{2,}|…+|……)\s*$")
_CREDIT = re.compile(
    r"^(?:about\s+the\s+authors?|(?:written|edited|translated|proofread(?:ing)?|reviewed|compiled|"
    r"reported|photo(?:graph)?s?|images?|pictures?|text|video)(?:\s+and\s+\w+)?\s+(?:by|credit|courtesy)"
    r"|photo\s*(?:credit|courtesy)|image\s*(?:credit|courtesy|source)|credits?\s*[:：]"
    r"|contributed\s+by|(?:editor|reporter|author|translator|proofreader|reviewer)s?\s*[:：])",
    re.IGNORECASE,
)
# A Chinese credit line is role words and names, nothing else: "记者 张三 摄",
# "通讯员 李四", "记者张三 通讯员李四", "文/张三 图/李四", "图片来源：视觉中国".
# A sentence that opens with a role word has a predicate clause instead:
# "记者从市教育局获悉，……", "编辑部收到……", "作者认为……" are story text.
# So: a name glued to its role is a person's name (2-4 Han characters, or a
# transliterated one joined by ·); after a separator a value may be a longer
# source, but no value holds clause or sentence punctuation.
_ZH_ROLE = (
    r"(?:责任编辑|责编|编辑|审核|审校|校对|终审|复审|初审|翻译|译者|编译|摄影|摄像|供稿|撰稿|通讯员|记者|作者"
    r"|图片来源)"
)
_ZH_SHORT_ROLE = r"(?:文|图|摄)"  # one character: only before a mark ("文/张三"), never glued
_ZH_PERSON = r"[\u4e00-\u9fff]{2,4}(?:[·・•][\u4e00-\u9fff]{1,10})*"
_ZH_CREDIT_MARK = r"\s*[:：/／|丨]\s*"
# A value never starts with a role word: "记者 张三 通讯员 李四" reads one way only.
_ZH_VALUE_CHAR = r"[^\s，,。；;！？!?：:、/／|丨()（）\[\]【】]"  # no clause punctuation
_ZH_VALUE = rf"(?!{_ZH_ROLE}|{_ZH_SHORT_ROLE}{_ZH_CREDIT_MARK}){_ZH_VALUE_CHAR}{{1,10}}"
_ZH_VALUES = rf"{_ZH_VALUE}(?:(?:\s*、\s*|\s+){_ZH_VALUE})*"
_ZH_CREDIT_TRAIL = r"(?:\s*(?:摄影|摄|报道|整理|采写|供稿|编辑))?"
_ZH_CREDIT_GROUP = (
    rf"(?:{_ZH_ROLE}(?:{_ZH_PERSON}|(?:{_ZH_CREDIT_MARK}|\s+){_ZH_VALUES})"
    rf"|{_ZH_SHORT_ROLE}{_ZH_CREDIT_MARK}{_ZH_VALUES}){_ZH_CREDIT_TRAIL}"
)
_ZH_CREDIT = re.compile(rf"^{_ZH_CREDIT_GROUP}(?:\s+{_ZH_CREDIT_GROUP})*\s*$")
_MAX_ZH_CREDIT = 60  # a credit line is short; the bound also keeps the match cheap
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

MAX_FURNITURE = {"en": 220, "zh": 100}  # longer paragraphs are prose, never furniture
_MAX_ANY_FURNITURE = 2000  # nothing this long is furniture, punctuation or not
MAX_TITLE = {"en": 250, "zh": 80}
TITLE_BAD_ENDINGS = tuple(".。,，;；:：、")


def is_prose(text: str, lang: str) -> bool:
    """A long paragraph with sentence structure: always story text."""
    if len(text) > _MAX_ANY_FURNITURE:
        return True
    return len(text) > MAX_FURNITURE[lang] and bool(SENTENCE_END.search(text))


def furniture_reason(text: str, lang: str) -> str:
    """Reason code when a whole paragraph is furniture, else ""."""
    if is_prose(text, lang):
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
    if _CREDIT.match(text) or (len(text) <= _MAX_ZH_CREDIT and _ZH_CREDIT.match(text)):
        return "credit"
    date = match_date(text)
    if (
        date
        and len(text[date.end() :].strip()) <= 20
        and not SENTENCE_END.search(text[date.end() :])
    ):
        return "header"  # a bare dateline, perhaps with a weekday or source
    return ""


def paragraph_furniture(text: str, lang: str) -> str:
    """Why a whole paragraph is page furniture ("share", "nav", "byline", "copyright",
    "header", ...), or "" when it is (or may be) story text.

    For text that arrives already cut into paragraphs (an HTML page's blocks): a
    header line counts only when its fields cover all of it.
    """
    reason = furniture_reason(text, lang)
    if reason:
        return reason
    header = parse_fields(text[:2000])
    covers_all = header is not None and not text[header.furniture_end :].strip()
    return header.reason if covers_all and not is_prose(text, lang) else ""
