"""Which blocks of a web page are the article: our rules on top of trafilatura's choice.

trafilatura (see ``workbench.ingest.html``) says which runs of text it keeps in
its balanced and recall modes; these rules name a reason for everything else
and correct it where news pages show it wrong:

- furniture is named by the page's own markup: ``<nav>``, ``<footer>``,
  ``<aside>``, ARIA roles, hidden elements, and class/id words ("share-bar",
  "related-posts", "comment-list", "cookie-notice", "byline") on the way up
  from the run to the elements that hold most of the article (whose names say
  nothing about one part of it);
- a lead, standfirst or caption between the headline and the text, a run in
  the same kind of box as the text (a question above its answers), and what
  the recall mode keeps inside the text are article too;
- lines that are furniture by their words (a share bar, a byline, a dateline:
  ``aligner.paragraph_furniture``; never a sentence), and calls to subscribe or
  write in at the edges of the text, are not; the words also name the reason
  of furniture the markup says nothing about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u3000\u200b]+")


def tag_of(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


@dataclass
class Run:
    """A block of the page while it is being classified."""

    text: str
    kind: str
    element: etree._Element  # innermost block-level element holding it
    link_chars: int  # characters inside <a>
    anchor: tuple[etree._Element, str] | None  # text node tagged for trafilatura
    furniture: str | None = None
    balanced: bool = False  # kept by trafilatura's default mode
    recall: bool = False  # kept by its favor_recall mode


# Class/id words and tags that name furniture. Matched as whole words of a class
# or id ("post-share-bar" has "share"); words of six letters or more also inside
# a longer word ("sharedaddy", "sidebarleft").
_REASON_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("cookie-banner", ("cookie", "cookies", "consent", "gdpr", "cmp")),
    ("comments", ("comment", "comments", "disqus", "respond", "replies", "discussion")),
    ("share", ("share", "sharing", "social", "sharedaddy", "addtoany", "a2a", "sociallinks")),
    ("related", ("related", "recommended", "recommendations", "trending", "popular",
                 "mostread", "readmore", "also", "outbrain", "taboola", "recirc")),
    ("nav", ("nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "pagination",
             "pager", "skip", "toolbar", "masthead", "topbar")),
    ("footer", ("footer", "colophon", "copyright", "legal")),
    ("byline", ("byline", "author", "authors", "dateline", "meta", "timestamp", "date",
                "published")),
    ("promo", ("newsletter", "subscribe", "subscription", "signup", "cta", "promo", "donate",
               "membership")),
    ("ad", ("ad", "ads", "advert", "advertisement", "advertising", "sponsor", "sponsored",
            "dfp", "adsense")),
    ("sidebar", ("sidebar", "widget", "widgets", "aside", "rail")),
    ("tags", ("tags", "tagcloud", "categories", "keywords")),
]  # fmt: skip
_WORD_REASON = {word: reason for reason, words in _REASON_WORDS for word in words}
# not "commentary" (an opinion piece), "commentator"
_LONG_WORDS = re.compile(
    "(?:"
    + "|".join(sorted((w for w in _WORD_REASON if len(w) >= 6), key=len, reverse=True))
    + r")(?!ary|ator)"
)
_TAG_REASONS = {"nav": "nav", "footer": "footer", "aside": "sidebar", "form": "form",
                "menu": "nav", "dialog": "popup", "header": "header"}  # fmt: skip
_ROLE_REASONS = {"navigation": "nav", "banner": "header", "contentinfo": "footer",
                 "complementary": "sidebar", "search": "nav"}  # fmt: skip
_NAME_WORDS = re.compile(r"[^a-z0-9]+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def own_reason(element) -> str | None:
    """Furniture reason named by an element itself: hiding, role, class/id words, tag."""
    if element.get("hidden") is not None or _HIDDEN.search(element.get("style", "")):
        return "hidden"
    role = _ROLE_REASONS.get(element.get("role", "").lower())
    if role:
        return role
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    for word in _NAME_WORDS.split(names):
        if word in _WORD_REASON:
            return _WORD_REASON[word]
    found = _LONG_WORDS.search(names)
    if found:
        return _WORD_REASON[found.group()]
    tag = tag_of(element)
    if tag == "header" and any(tag_of(a) in ("article", "main") for a in element.iterancestors()):
        return None  # the article's own header: its headline, standfirst and byline
    return _TAG_REASONS.get(tag)


class _Markup:
    """Reasons named by the markup above each run, below the article's own elements."""

    def __init__(self, main_chain: set) -> None:
        self.main_chain = main_chain
        self.cache: dict = {}

    def reason(self, element) -> str | None:
        if element in self.cache:
            return self.cache[element]
        if element is None or element in self.main_chain or tag_of(element) in ("body", "html"):
            found = None
        else:
            found = own_reason(element) or self.reason(element.getparent())
        self.cache[element] = found
        return found


# Calls to action at the edges of an article: subscribe, write to the editor,
# copyright and reprint notices. Only the first two and last five paragraphs of
# the text are read this way, and only when half their sentences are such calls,
# so a story about subscriptions keeps its words.
_PROMO = re.compile(
    r"\bsubscri(?:be|bing|ption)\b|already an? (?:subscriber|member)|\bnewsletters?\b"
    r"|\bsign(?:ing)? up\b|\blog ?in\b|letters? to the editor|copyright|all rights reserved"
    r"|written permission|\breprint|\bdonate\b|support (?:our|independent|local) journalism"
    r"|click here|订阅|版权|转载|未经.{0,6}(?:许可|授权)|扫码|扫一扫|关注我们|下载客户端",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"copyright|版权|©", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?。！？])\s*")
_EDGE = (2, 5)  # paragraphs read at the start and at the end of the text
_MAX_PROMO = 400
_BARE_URL = re.compile(
    r"^(?:(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|info|news|io|cn|uk)"
    r"(?:/\S*)?)$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’）)]*$")
_WORDS = re.compile(r"[^\W\d_]{3}|[\u4e00-\u9fff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _text_reason(text: str, lang: str) -> str | None:
    """Furniture told by the words alone (share bars, bylines, datelines, credits, URLs)."""
    from aligner import paragraph_furniture

    if _BARE_URL.match(text):
        return "source"
    return paragraph_furniture(text, lang) or None


def _edge_promos(runs: list[Run]) -> None:
    main = [r for r in runs if r.furniture is None and r.kind not in ("heading", "title")]
    for run in main[: _EDGE[0]] + main[-_EDGE[1] :]:
        sentences = [s for s in _SENTENCES.split(run.text) if s.strip()]
        promos = sum(1 for s in sentences if _PROMO.search(s))
        if len(run.text) <= _MAX_PROMO and promos and promos * 2 >= len(sentences):
            run.furniture = "copyright" if _COPYRIGHT.search(run.text) else "promo"


def _prose(run: Run, lang: str) -> bool:
    """A run that reads as a sentence or more, not a label or a link."""
    long_enough = len(run.text) >= (20 if lang == "zh" else 40)
    return (
        long_enough
        and bool(_SENTENCE_END.search(run.text))
        and run.link_chars < 0.3 * len(run.text)
    )


def _title_index(runs: list[Run], title: str | None, first: int) -> int | None:
    """The heading that is the article's title: the one the page's title names,
    else the last <h1> before the text."""
    want = SPACES.sub("", title or "").casefold()
    best = None
    for index, run in enumerate(runs):
        if run.kind != "heading":
            continue
        text = SPACES.sub("", run.text).casefold()
        if want and text and (text == want or (len(text) >= 8 and text in want)):
            return index
        if tag_of(run.element) == "h1" and index <= first:
            best = index
    return best


def _box(element) -> tuple[str, str] | None:
    """The kind of box a run sits in: the nearest element with a class."""
    for node in (element, *element.iterancestors()):
        if node.get("class"):
            return tag_of(node), node.get("class").strip()
    return None


def page_language(runs: list[Run]) -> str:
    """ "zh" or "en", for the length thresholds of the text rules."""
    sample = " ".join(r.text for r in runs[:2000])
    return "zh" if len(_HAN.findall(sample)) * 3 > len(_LATIN.findall(sample)) else "en"


def classify(runs: list[Run], title: str | None) -> int | None:
    """Set every run's furniture reason (None: article text); return the title's run."""
    kept = [i for i, r in enumerate(runs) if r.balanced] or [
        i for i, r in enumerate(runs) if r.recall
    ]
    total = sum(len(runs[i].text) for i in kept)
    weight: dict = {}
    boxes: dict = {}
    for i in kept:
        for element in (runs[i].element, *runs[i].element.iterancestors()):
            weight[element] = weight.get(element, 0) + len(runs[i].text)
        box = _box(runs[i].element)
        boxes[box] = boxes.get(box, 0) + len(runs[i].text)
    main_chain = {e for e, w in weight.items() if w >= 0.5 * total}
    main_boxes = {box for box, w in boxes.items() if box and w >= 0.2 * total}
    # the smallest element holding all the text trafilatura kept: the article
    shared = [e for e, w in weight.items() if w == total]
    container = max(shared, key=lambda e: len(list(e.iterancestors())), default=None)
    inside = set(container.iter()) if container is not None else set()
    first, last = (kept[0], kept[-1]) if kept else (0, -1)
    lang = page_language(runs)
    title_index = _title_index(runs, title, first)
    lead_from = title_index + 1 if title_index is not None and title_index < first else first
    markup = _Markup(main_chain)
    for index, run in enumerate(runs):
        named = markup.reason(run.element)
        if run.balanced or index == title_index:
            # text trafilatura keeps though hidden is mostly collapsed ("read more") text
            reason = None if named == "hidden" or index == title_index else named
        elif (
            first <= index <= last
            and run.element in inside
            and run.link_chars < 0.5 * len(run.text)
            and ((run.recall and _WORDS.search(run.text)) or _prose(run, lang))
        ):
            reason = named  # inside the text: what the recall mode keeps, and sentences
        elif lead_from <= index < first and _prose(run, lang):
            reason = named  # a lead, standfirst or caption between the title and the text
        elif _box(run.element) in main_boxes and _prose(run, lang):
            reason = named  # a part of the text in the same kind of box (a question, page 2)
        else:
            reason = named or _text_reason(run.text, lang) or "boilerplate"
        if reason is None and index != title_index and not _prose(run, lang):
            reason = _text_reason(run.text, lang)  # a byline, dateline or share line
        run.furniture = reason
    _edge_promos(runs)
    return title_index
