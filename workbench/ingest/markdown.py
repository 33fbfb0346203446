"""Markdown to article paragraphs, in time linear in the input.

markdown-it-py is a real CommonMark parser, but its link and image rules look for the
closing ``]`` of every ``[`` by walking the rest of the paragraph token by token: a
paragraph of ``![`` or ``[`` runs (none ever closed) costs steps quadratic in its length
(60 KB of ``![`` took 2 s of CPU, stalling every other request of the server). Here
each paragraph's inline parse gets a budget of such steps proportional to its length;
a paragraph that spends it is parsed again without the link and image rules (its
brackets stay as text; emphasis, code and the rest still apply). Real links, whose
labels close, cost a few steps per character and never come near the budget.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_inline import ParserInline

#: Link-label steps (markdown-it's ``skipToken``) allowed per character of a paragraph,
#: plus a constant for short ones: real Markdown takes under one per character (the
#: repository's documents at most 0.08; links nested five deep 0.7).
STEPS_PER_CHAR = 2
STEPS_MIN = 1_000


class _TooMuchWork(Exception):
    """A paragraph spent its budget of link-label steps."""


class _BoundedInline(ParserInline):
    """The inline parser with a budget of ``skipToken`` steps per paragraph (see module)."""

    def __init__(self, fallback: MarkdownIt) -> None:
        super().__init__()
        self.fallback = fallback
        self.budget = 0
        self.steps = 0  # all steps taken, for tests and benches

    def skipToken(self, state) -> None:  # noqa: N802 (markdown-it's name)
        self.budget -= 1
        self.steps += 1
        if self.budget < 0:
            raise _TooMuchWork
        super().skipToken(state)

    def parse(self, src, md, env, tokens):
        outer = self.budget  # an image's alt text is parsed inside its paragraph's parse
        self.budget = STEPS_PER_CHAR * len(src) + STEPS_MIN
        start = len(tokens)
        try:
            return super().parse(src, md, env, tokens)
        except _TooMuchWork:
            del tokens[start:]
            return self.fallback.inline.parse(src, self.fallback, env, tokens)
        finally:
            self.budget = outer


def parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough, raw HTML recognised (then dropped),
    and the bounded inline parser."""

    def base() -> MarkdownIt:
        return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")

    plain = base().disable(["link", "image"])
    md = base()
    bounded = _BoundedInline(plain)
    bounded.ruler, bounded.ruler2 = md.inline.ruler, md.inline.ruler2
    md.inline = bounded
    return md


def markdown_text(source: str, md: MarkdownIt | None = None) -> str:
    """Markdown to paragraphs through markdown-it-py (CommonMark plus tables).

    Headings, paragraphs, list items, table rows and quote paragraphs become
    paragraphs; code blocks, front matter, rules, HTML and link definitions are
    dropped; links and images keep their text; emphasis marks are removed.
    ``md`` is a parser from ``parser()`` (a new one by default).
    """
    lines = source.split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                lines = lines[end + 1 :]
                break
    paragraphs: list[str] = []
    row: list[str] | None = None
    for token in (md or parser()).parse("\n".join(lines)):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if any(row):
                paragraphs.append("  ".join(cell for cell in row if cell))
            row = None
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if row is not None:
                row.append(text)
            elif text:
                paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _inline_text(children: list) -> str:
    """The text of an inline token: text, code and image alt text; soft line breaks
    joined as in a wrapped paragraph (no space between Chinese characters)."""
    lines, current = [], ""
    for child in children:
        if child.type in ("text", "code_inline"):
            current += child.content
        elif child.type == "image":
            current += _inline_text(child.children or [])
        elif child.type in ("softbreak", "hardbreak"):
            lines.append(current.strip())
            current = ""
    lines.append(current.strip())
    return _join_lines([line for line in lines if line])


def _join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines of one paragraph: no space between two CJK characters."""
    out = ""
    for line in lines:
        if out and not (_is_cjk(out[-1]) and _is_cjk(line[0])):
            out += " "
        out += line
    return out


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" or ch >= "\U00020000"
