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

from aligner.fields import add_metadata, credit_metadata, parse_fields, search_date
from aligner.furniture import (
    MAX_FURNITURE,
    MAX_TITLE,
    TEASER_END,
    TITLE_BAD_ENDINGS,
    furniture_reason,
    is_prose,
)
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
    warnings: list[str] = field(default_factory=list)  # what the reader had to work around

    @property
    def title(self) -> str | None:
        """Text of the title block, if one was found."""
        for block in self.blocks:
            if block.kind == "title":
                return block.text
        return None


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
    return len(text) <= MAX_TITLE[lang] and not text.endswith(TITLE_BAD_ENDINGS)


def _looks_like_teaser(text: str, lang: str) -> bool:
    """Teaser of another story: a short headline, or a summary cut off with an ellipsis."""
    if TEASER_END.search(text) and len(text) <= 3 * MAX_FURNITURE[lang]:
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
        header = parse_fields(paragraph[:2000])
        if header is not None and not is_prose(paragraph[: header.furniture_end], lang):
            furniture = paragraph[: header.furniture_end].strip()
            story = paragraph[header.furniture_end :].strip()
            if furniture:
                reason = header.reason
                if reason == "byline" and seen_body:
                    reason = "credit"
                blocks.append(Block(furniture, "furniture", reason, index))
                for key, value in header.fields:
                    add_metadata(metadata, key, value)
            if not story:
                continue
        reason = furniture_reason(story, lang)
        if reason == "related":
            in_related = True
        elif not reason and in_related and _looks_like_teaser(story, lang):
            reason = "related"
        elif not reason:
            in_related = False
        if reason:
            blocks.append(Block(story, "furniture", reason, index))
            if reason in {"credit", "byline"}:
                for key, value in credit_metadata(story):
                    add_metadata(metadata, key, value)
            elif reason == "header":
                date = search_date(story)
                if date:
                    add_metadata(metadata, "date", date.group())
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
