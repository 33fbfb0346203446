"""Split a saved web page into its article and the page furniture around it.

A page is read into blocks (one per paragraph, heading, list item, caption,
table cell ...) in reading order, and nothing is dropped: each block is either
main text or furniture with a reason ("nav", "share", "related", "comments",
"footer", "byline", "cookie-banner", ...), so the page can be rebuilt and the
user can see and restore what was set aside.

Which blocks are main text is decided by trafilatura (run in its balanced and
recall modes on the same tree, each block tagged so its output maps back onto
our blocks exactly) plus rules of our own on top, for what it gets wrong on
news pages: a lead paragraph or caption inside the article dropped, a
related-article list or share bar inside it kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

__all__ = ["Block", "ExtractedPage", "extract_article"]


@dataclass
class Block:
    """One paragraph-sized piece of the page, in reading order."""

    text: str
    kind: str  # "heading" | "paragraph" | "list-item" | "caption" | "quote" | "cell" | "code"
    furniture: str | None = None  # why it is not for translation; None: main text


@dataclass
class ExtractedPage:
    """A page read into blocks, with the article's metadata."""

    title: str | None
    author: str | None
    date: str | None
    blocks: list[Block]
    language: str | None = None  # from <html lang>, when the page says
    warnings: list[str] = field(default_factory=list)

    @property
    def main_text(self) -> str:
        """The text for translation: main blocks, one per line."""
        return "\n".join(b.text for b in self.blocks if b.furniture is None)


# --------------------------------------------------------------------------- reading blocks

_DROP = {
    "script", "style", "template", "head", "svg", "math", "iframe", "object",
    "embed", "canvas", "select", "option", "textarea", "input", "button", "video", "audio",
    "map", "meta", "link",
}  # fmt: skip
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "center", "label",
}  # fmt: skip
_KINDS = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "p": "paragraph", "li": "list-item", "dt": "list-item", "dd": "list-item",
    "figcaption": "caption", "caption": "caption", "blockquote": "quote", "td": "cell",
    "th": "cell", "pre": "code",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u3000\u200b]+")


@dataclass
class _Run:
    """A block while it is being classified: its text, where it sits, what is linked."""

    text: str
    kind: str
    element: etree._Element  # innermost block-level element holding it
    link_chars: int  # characters inside <a>
    anchor: tuple[etree._Element, str] | None  # text node to tag for trafilatura
    furniture: str | None = None
    votes: tuple[bool, bool, bool] = (False, False, False)  # kept by balanced, recall, precision


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _read_runs(root) -> list[_Run]:
    """Every text run between block boundaries, in document order (no recursion:
    deeply nested pages must not overflow the stack)."""
    runs: list[_Run] = []
    pieces: list[tuple[str, bool, etree._Element, str]] = []  # text, in link, node, attr
    blocks: list[etree._Element] = [root]
    links = 0

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(p[0] for p in pieces)).strip()
        if text:
            anchor = next(((node, attr) for t, _, node, attr in pieces if t.strip()), None)
            linked = sum(len(_SPACES.sub(" ", t).strip()) for t, in_link, _, _ in pieces if in_link)
            owner = blocks[-1]
            kind = _KINDS.get(_tag(owner))
            if kind is None:
                kind = next(
                    (
                        _KINDS[_tag(a)]
                        for a in owner.iterancestors()
                        if _KINDS.get(_tag(a)) not in (None, "heading", "paragraph")
                    ),
                    "paragraph",
                )
            runs.append(_Run(text, kind, owner, min(linked, len(text)), anchor))
        pieces.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = _tag(element)
        if event == "start":
            if not tag or tag in _DROP:
                walker.skip_subtree()  # its "end" event still comes, and adds the tail
                continue
            if tag in _BLOCKS or tag == "br":
                flush()
            if tag in _BLOCKS:
                blocks.append(element)
            if tag == "a":
                links += 1
            if element.text:
                pieces.append((element.text, links > 0, element, "text"))
        else:
            if tag == "a":
                links -= 1
            if tag in _BLOCKS and tag:
                flush()
                blocks.pop()
            if element.tail:
                pieces.append((element.tail, links > 0, element, "tail"))
    flush()
    return runs


# --------------------------------------------------------------------------- trafilatura

# Each run's first text node gets a two-letter tag from a script the page does
# not use (Yi syllables, else Canadian syllabics): printable letters that
# trafilatura keeps, so the runs it keeps can be read off its output exactly.
_TAG_SCRIPTS = ((0xA000, 1000), (0x1401, 600))


class _Tags:
    """Tag the runs in the tree, read trafilatura's choice back, then untag."""

    def __init__(self, runs: list[_Run], source: str) -> None:
        self.base, self.width = next(
            (b, w)
            for b, w in _TAG_SCRIPTS
            if not re.search(f"[{chr(b)}-{chr(b + w - 1)}]", source)
        )
        letters = f"[{chr(self.base)}-{chr(self.base + self.width - 1)}]"
        self.pattern = re.compile(f"({letters})({letters})")
        self.undo: list[tuple[etree._Element, str, str]] = []
        for number, run in enumerate(runs[: self.width * self.width]):
            if run.anchor is None:
                continue
            node, attr = run.anchor
            old = getattr(node, attr)
            self.undo.append((node, attr, old))
            mark = chr(self.base + number // self.width) + chr(self.base + number % self.width)
            stripped = old.lstrip()
            setattr(node, attr, old[: len(old) - len(stripped)] + mark + stripped)

    def kept(self, text: str | None) -> set[int]:
        """Numbers of the runs whose tag is in ``text``."""
        return {
            (ord(m.group(1)) - self.base) * self.width + ord(m.group(2)) - self.base
            for m in self.pattern.finditer(text or "")
        }

    def strip(self, text: str | None) -> str | None:
        return self.pattern.sub("", text).strip() if text else text

    def remove(self) -> None:
        for node, attr, old in reversed(self.undo):
            setattr(node, attr, old)


def _trafilatura(root, runs: list[_Run], source: str, url: str | None):
    """Run numbers trafilatura keeps (balanced and recall modes) and its metadata."""
    import trafilatura

    tags = _Tags(runs, source)
    try:
        common = dict(url=url, include_comments=False, include_tables=True, deduplicate=False)
        doc = trafilatura.bare_extraction(root, with_metadata=True, **common)
        recall = trafilatura.bare_extraction(root, favor_recall=True, **common)
        precision = trafilatura.bare_extraction(root, favor_precision=True, **common)
    finally:
        tags.remove()
    meta = {
        key: tags.strip(getattr(doc, key, None)) if doc is not None else None
        for key in ("title", "author", "date")
    }
    return (
        tags.kept(doc.text if doc is not None else None),
        tags.kept(recall.text if recall is not None else None),
        tags.kept(precision.text if precision is not None else None),
        meta,
    )


# --------------------------------------------------------------------------- the page

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)


_TAG_TOKEN = re.compile(
    r"<!--.*?-->|<(script|style|textarea|title|xmp)\b[^>]*>.*?</\1\s*>"
    r"|<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>",
    re.S | re.I,
)
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
MAX_DEPTH = 100  # real pages nest 20-60 deep; the parser gives up at 2048, silently


def _flatten(source: str, limit: int = MAX_DEPTH) -> tuple[str, int]:
    """Drop the tags nested deeper than ``limit`` (a block tag becomes a line break),
    keeping all the text; returns the new source and how many tags were dropped.

    libxml2 stops reading at 2048 levels and loses the rest of the page, and
    trafilatura slows down badly on deep trees; no article needs such nesting.
    """
    out: list[str] = []
    stack: list[str] = []  # open tags kept
    excess: list[str] = []  # open tags dropped, deeper than the limit
    position = dropped = 0
    for match in _TAG_TOKEN.finditer(source):
        if not match.group(3):
            continue  # a comment, or a script or style with its text
        closing, name, selfclosing = match.group(2), match.group(3).lower(), match.group(4)
        if closing and excess:
            while excess and excess.pop() != name:
                pass  # a tag left open deep down closes with its parent
            drop = True
        elif closing:
            while name in stack and stack.pop() != name:
                pass
            drop = False
        elif name in _VOID or selfclosing:
            drop = False
        elif len(stack) >= limit:
            excess.append(name)
            drop = True
        else:
            stack.append(name)
            drop = False
        if drop:
            before = source[position : match.start()]
            out.append(before)
            if name in _BLOCKS and before.strip() and not before.rstrip().endswith(">"):
                out.append("<br>")  # one break after text, not one per dropped level
            position = match.end()
            dropped += 1
    out.append(source[position:])
    return "".join(out), dropped


def _parse(data: str | bytes) -> tuple[str, etree._Element, list[str]]:
    warnings: list[str] = []
    if isinstance(data, bytes):
        from trafilatura.utils import decode_file

        data = decode_file(data)
        if isinstance(data, bytes):
            data = data.decode("utf-8", "replace")
    source = _XML_DECLARATION.sub("", data.lstrip("\ufeff"), count=1)
    source, dropped = _flatten(source)
    if dropped:
        warnings.append(
            f"the page nests elements more than {MAX_DEPTH} levels deep: {dropped // 2 or 1}"
            " of them were flattened (their text is kept)"
        )
    parser = lxml_html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
    )
    return source, lxml_html.document_fromstring(source, parser=parser), warnings


# --------------------------------------------------------------------------- our rules

# Class/id words and tags that name page furniture. Matched as whole words of a
# class or id ("post-share-bar" has "share"); the long ones also inside words.
_REASON_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("cookie-banner", ("cookie", "cookies", "consent", "gdpr", "cmp")),
    ("comments", ("comment", "comments", "disqus", "respond", "replies", "discussion")),
    ("share", ("share", "sharing", "social", "sharedaddy", "addtoany", "a2a", "sociallinks")),
    ("related", ("related", "recommended", "recommendations", "trending", "popular",
                 "most-read", "mostread", "more-stories", "read-more", "readmore", "jp-relatedposts",
                 "also", "outbrain", "taboola", "recirc", "teaser", "teasers")),
    ("nav", ("nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "pagination",
             "pager", "skip", "toolbar", "masthead", "topbar")),
    ("footer", ("footer", "colophon", "copyright", "legal")),
    ("byline", ("byline", "author", "authors", "dateline", "posted-on", "entry-meta",
                "post-meta", "article-meta", "meta", "timestamp", "date", "published")),
    ("promo", ("newsletter", "subscribe", "subscription", "signup", "paywall", "cta",
               "promo", "donate", "membership", "rightbox")),
    ("ad", ("ad", "ads", "advert", "advertisement", "advertising", "sponsor", "sponsored",
            "dfp", "adsense", "banner")),
    ("sidebar", ("sidebar", "widget", "widgets", "aside", "rail", "sidebar-right")),
    ("tags", ("tags", "tag-links", "tagcloud", "categories", "cat-links", "keywords")),
    ("author-bio", ("author-bio", "bio", "about-author", "author-box")),
]  # fmt: skip
_TAG_REASONS = {"nav": "nav", "footer": "footer", "aside": "sidebar", "form": "form",
                "menu": "nav", "dialog": "popup", "header": "header"}  # fmt: skip
_WORD_REASON = {word: reason for reason, words in _REASON_WORDS for word in words}
_SPLIT_WORDS = re.compile(r"[^a-z0-9]+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _own_reason(element) -> str | None:
    """Furniture reason named by an element itself: its tag, class, id, role, hiding."""
    tag = _tag(element)
    if element.get("hidden") is not None or _HIDDEN.search(element.get("style", "")):
        return "hidden"
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    role = element.get("role", "").lower()
    if role in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return {"navigation": "nav", "banner": "header", "contentinfo": "footer"}.get(
            role, "sidebar"
        )
    for word in _SPLIT_WORDS.split(names):
        if word in _WORD_REASON:
            return _WORD_REASON[word]
    for joined in re.split(r"\s+", names):
        for word, reason in _WORD_REASON.items():
            if len(word) >= 6 and word in joined:
                return reason
    return _TAG_REASONS.get(tag)


def _token_reason(run: _Run, main_chain: set) -> str | None:
    """The innermost furniture reason named by the run's element or its ancestors,
    up to the elements that hold most of the article (their names say nothing)."""
    for element in (run.element, *run.element.iterancestors()):
        if element in main_chain or _tag(element) in ("body", "html"):
            return None
        reason = _own_reason(element)
        if reason:
            return reason
    return None


# Calls to action at the edges of an article: subscribe, write to the editor,
# copyright and reprint notices. Only the first two and last five paragraphs of
# the text are read this way, and only when half their sentences are such calls,
# so a story about subscriptions keeps its words.
_PROMO = re.compile(
    r"\bsubscri(?:be|bing|ption)\b|already an? (?:subscriber|member)|\bnewsletters?\b|\bsign(?:ing)? up\b"
    r"|\blog ?in\b|letters? to the editor|copyright|all rights reserved|written permission"
    r"|\breprint|\bdonate\b|support (?:our|independent|local) journalism|click here"
    r"|订阅|版权|转载|未经.{0,6}(?:许可|授权)|扫码|扫一扫|关注我们|下载客户端",
    re.IGNORECASE,
)
_BARE_URL = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)
_SENTENCES = re.compile(r"(?<=[.!?。！？])\s*")
_EDGE = (2, 5)  # paragraphs read at the start and at the end of the text
_MAX_PROMO = 400


def _text_reason(text: str, lang: str) -> str | None:
    """Furniture told by the words alone (share bars, bylines, datelines, credits)."""
    from aligner import paragraph_furniture

    if _BARE_URL.match(text):
        return "source"
    return paragraph_furniture(text, lang) or None


def _edge_promos(runs: list[_Run]) -> None:
    main = [r for r in runs if r.furniture is None and r.kind != "heading"]
    edges = main[: _EDGE[0]] + main[-_EDGE[1] :]
    for run in edges:
        sentences = [s for s in _SENTENCES.split(run.text) if s.strip()]
        promos = sum(1 for s in sentences if _PROMO.search(s))
        if len(run.text) <= _MAX_PROMO and promos and promos * 2 >= len(sentences):
            run.furniture = "copyright" if re.search(r"copyright|版权|©", run.text, re.I) else "promo"


_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’）)]*$")
_WORDS = re.compile(r"[^\W\d_]{3}|[\u4e00-\u9fff]")


def _prose(run: _Run, lang: str) -> bool:
    """A run that reads as a sentence or more of text, not a label or a link."""
    long_enough = len(run.text) >= (20 if lang == "zh" else 40)
    return long_enough and bool(_SENTENCE_END.search(run.text)) and run.link_chars < 0.3 * len(run.text)


def _title_index(runs: list[_Run], title: str | None, first: int) -> int | None:
    """The heading that is the article's title: the one matching the page's title,
    else the last h1 before the main text."""
    want = _SPACES.sub("", title or "").casefold()
    best = None
    for index, run in enumerate(runs):
        if run.kind != "heading":
            continue
        text = _SPACES.sub("", run.text).casefold()
        if want and text and (text == want or (len(text) >= 8 and text in want)):
            return index
        if _tag(run.element) == "h1" and index <= first:
            best = index
    return best


def _signature(element) -> tuple[str, str] | None:
    for node in (element, *element.iterancestors()):
        if node.get("class"):
            return _tag(node), node.get("class").strip()
    return None


def _classify(runs: list[_Run], title: str | None) -> int | None:
    """Set every run's furniture reason (None: main text); return the title's run."""
    kept = [i for i, r in enumerate(runs) if r.votes[0]] or [
        i for i, r in enumerate(runs) if r.votes[1]
    ]
    total = sum(len(runs[i].text) for i in kept)
    weight: dict = {}
    signatures: dict = {}
    for i in kept:
        for element in (runs[i].element, *runs[i].element.iterancestors()):
            weight[element] = weight.get(element, 0) + len(runs[i].text)
        sig = _signature(runs[i].element)
        signatures[sig] = signatures.get(sig, 0) + len(runs[i].text)
    main_chain = {e for e, w in weight.items() if w >= 0.5 * total}
    main_signatures = {sig for sig, w in signatures.items() if sig and w >= 0.2 * total}
    container = max(main_chain, key=lambda e: len(list(e.iterancestors())), default=None)
    first, last = (kept[0], kept[-1]) if kept else (0, -1)
    sample = " ".join(r.text for r in runs[:2000])
    lang = "zh" if len(re.findall(r"[\u4e00-\u9fff]", sample)) * 3 > len(re.findall(r"[A-Za-z]", sample)) else "en"
    title_index = _title_index(runs, title, first)
    lead_from = title_index + 1 if title_index is not None and title_index < first else first
    for index, run in enumerate(runs):
        token = _token_reason(run, main_chain)
        inside = container is not None and (
            run.element is container or container in run.element.iterancestors()
        )
        links = run.link_chars / len(run.text)
        if run.votes[0] or index == title_index:
            reason = token
        elif first <= index <= last and inside and links < 0.5 and (
            (run.votes[1] and _WORDS.search(run.text)) or _prose(run, lang)
        ):
            reason = token  # within the text: what the recall mode keeps, and sentences
        elif lead_from <= index < first and _prose(run, lang):
            reason = token  # a lead, standfirst or caption between the title and the text
        elif _signature(run.element) in main_signatures and _prose(run, lang):
            reason = token  # a part of the text set in the same kind of box (a question, page 2)
        else:
            reason = token or "boilerplate"
        if reason is None and index != title_index and MODE["text"]:
            reason = _text_reason(run.text, lang)
        run.furniture = reason
    _edge_promos(runs)
    return title_index


MODE = {"before": 3, "text": True}


def extract_article(data: str | bytes, url: str | None = None) -> ExtractedPage:
    """Read a page into blocks, the article's marked main text, the rest furniture."""
    source, root, warnings = _parse(data)
    body = root.find("body")
    runs = _read_runs(body if body is not None else root)
    balanced, recall, precision, meta = _trafilatura(root, runs, source, url)
    for number, run in enumerate(runs):
        run.votes = (number in balanced, number in recall, number in precision)
    _classify(runs, meta["title"])
    global LAST_RUNS
    LAST_RUNS = runs
    blocks = [Block(r.text, r.kind, r.furniture) for r in runs]
    return ExtractedPage(meta["title"], meta["author"], meta["date"], blocks, root.get("lang"), warnings)
