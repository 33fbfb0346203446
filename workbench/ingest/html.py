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

from aligner import Article
from workbench.ingest.html_rules import SPACES, Run, classify, tag_of

__all__ = ["Block", "ExtractedPage", "extract_article", "page_article", "read_blocks"]


@dataclass
class Block:
    """One paragraph-sized piece of the page, in reading order."""

    text: str
    # "title" (the headline) | "heading" | "paragraph" | "list-item" | "caption" | "quote"
    # | "cell" | "code"
    kind: str
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


def _read_runs(root) -> list[Run]:
    """Every text run between block boundaries, in document order (no recursion:
    deeply nested pages must not overflow the stack)."""
    runs: list[Run] = []
    pieces: list[tuple[str, bool, etree._Element, str]] = []  # text, in link, node, attr
    blocks: list[etree._Element] = [root]
    links = 0

    def flush() -> None:
        text = SPACES.sub(" ", "".join(p[0] for p in pieces)).strip()
        if text:
            anchor = next(((node, attr) for t, _, node, attr in pieces if t.strip()), None)
            linked = sum(len(SPACES.sub(" ", t).strip()) for t, in_link, _, _ in pieces if in_link)
            owner = blocks[-1]
            kind = _KINDS.get(tag_of(owner))
            if kind is None:
                kind = next(
                    (
                        _KINDS[tag_of(a)]
                        for a in owner.iterancestors()
                        if _KINDS.get(tag_of(a)) not in (None, "heading", "paragraph")
                    ),
                    "paragraph",
                )
            runs.append(Run(text, kind, owner, min(linked, len(text)), anchor))
        pieces.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = tag_of(element)
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

    def __init__(self, runs: list[Run], source: str) -> None:
        self.base, self.width = next(
            (b, w) for b, w in _TAG_SCRIPTS if not re.search(f"[{chr(b)}-{chr(b + w - 1)}]", source)
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


# Above this many blocks only trafilatura's balanced mode runs, without its
# external fallbacks and metadata (its date search alone is seconds on such a
# page); above MAX_BLOCKS a page is refused: time stays bounded (~1 s per 1,000
# blocks on one core).
FAST_ABOVE_RUNS = 4000
MAX_BLOCKS = 50_000


def _trafilatura(root, runs: list[Run], source: str, url: str | None) -> dict[str, str | None]:
    """Mark the runs trafilatura keeps (balanced and recall modes); its metadata."""
    import trafilatura

    fast = len(runs) > FAST_ABOVE_RUNS
    common = dict(url=url, include_comments=False, include_tables=True, deduplicate=False)
    tags = _Tags(runs, source)
    try:
        doc = trafilatura.bare_extraction(root, with_metadata=not fast, fast=fast, **common)
        recall = None if fast else trafilatura.bare_extraction(root, favor_recall=True, **common)
    finally:
        tags.remove()
    balanced = tags.kept(doc.text if doc is not None else None)
    recalled = tags.kept(recall.text if recall is not None else None)
    for number, run in enumerate(runs):
        run.balanced, run.recall = number in balanced, number in recalled
    return {
        key: tags.strip(getattr(doc, key, None)) if doc is not None else None
        for key in ("title", "author", "date")
    }


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


def extract_article(data: str | bytes, url: str | None = None) -> ExtractedPage:
    """Read a page into blocks in reading order: the article's text, and the
    furniture around it with the reason it is not for translation.

    ``data`` is the page's source (bytes are decoded by their BOM, the page's
    declared charset, or as UTF-8). Never drops text: a page that defeats the
    parser's limits is flattened first, and ``warnings`` says so.
    """
    source, root, warnings = _parse(data)
    body = root.find("body")
    runs = _read_runs(body if body is not None else root)
    if len(runs) > MAX_BLOCKS:
        raise ValueError(
            f"the page has {len(runs):,} blocks of text, more than the {MAX_BLOCKS:,} one"
            " import takes; split it into several pages"
        )
    meta = (
        _trafilatura(root, runs, source, url)
        if runs
        else dict.fromkeys(("title", "author", "date"))
    )
    title_index = classify(runs, meta["title"])
    blocks = [Block(r.text, r.kind, r.furniture) for r in runs]
    title = meta["title"]
    if title_index is not None:
        blocks[title_index].kind = "title"
        heading = blocks[title_index].text
        # the headline as the page shows it, rather than the page's title with the
        # site's name ("Headline - Site"), or a bare "Home"
        flat = SPACES.sub("", heading).casefold()
        if not title or flat in SPACES.sub("", title).casefold() or len(title) < len(heading):
            title = heading
    if not title:
        title = _head_title(root)
    return ExtractedPage(
        title=title or None,
        author=meta["author"] or None,
        date=meta["date"] or None,
        blocks=blocks,
        language=re.split(r"[-_]", root.get("lang") or "")[0].lower() or None,
        warnings=warnings,
    )


def read_blocks(source: str) -> list[str]:
    """The text of every block of a page in reading order, article or not."""
    _, root, _ = _parse(source)
    body = root.find("body")
    return [run.text for run in _read_runs(body if body is not None else root)]


def page_article(page: ExtractedPage) -> Article:
    """The page as the text cleaner's ``Article``: the headline its title block, the
    article's blocks body, the rest furniture with its reason (block index = paragraph)."""
    from aligner import Block as TextBlock
    from aligner import detect_language

    blocks = [
        TextBlock(block.text, "furniture", block.furniture, index)
        if block.furniture
        else TextBlock(block.text, "title" if block.kind == "title" else "body", "", index)
        for index, block in enumerate(page.blocks)
    ]
    fields = (("title", page.title), ("author", page.author), ("date", page.date))
    metadata = {key: value for key, value in fields if value}
    body = "\n".join(b.text for b in blocks if b.kind != "furniture")
    warnings = list(page.warnings)
    try:
        language = detect_language(body or "\n".join(b.text for b in blocks))
    except ValueError as error:
        if body and page.language not in ("zh", "en"):
            raise
        # the page says which language it is in (an English story quoting Japanese)
        language = page.language if page.language in ("zh", "en") else "en"
        if body:
            warnings.append(f"{error}; the page declares lang={language!r}, read as that")
    return Article(blocks, metadata, language, warnings=warnings)


def _head_title(root) -> str:
    for xpath in ('//meta[@property="og:title"]/@content', "//title/text()", "//h1//text()"):
        found = " ".join(SPACES.sub(" ", t).strip() for t in root.xpath(xpath)).strip()
        if found:
            return found
    return ""
