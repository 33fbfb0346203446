"""Matched quotation marks and brackets in one line of text.

The splitter needs to know which marks pair up: a closing quote after a
sentence end stays with that sentence, a straight quote after one may instead
open the next, and a book title in 《》 never holds a boundary. Pairing is
positional and forgiving: unmatched marks are ignored, so one stray quote
cannot disable splitting for the rest of a paragraph.
"""

from __future__ import annotations

import re

__all__ = ["NEVER_SPLIT_OPENERS", "SpanIndex", "quoted_spans"]

# Opening -> closing for unambiguous paired marks.
_PAIRS_ZH = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "（": "）",
    "《": "》",
    "(": ")",
    "〈": "〉",
}
_PAIRS_EN = {"“": "”", "(": ")", "[": "]", "«": "»"}
_CLOSERS_ZH = frozenset(_PAIRS_ZH.values())
_CLOSERS_EN = frozenset(_PAIRS_EN.values())
_QUOTE_CHARS_ZH = re.compile('[“”‘’「」『』（）《》()〈〉"]')
_QUOTE_CHARS_EN = re.compile("[“”()\\[\\]«»\"'‘’]")
# Characters after which a straight double quote opens. A Chinese comma is
# not one: '"走吧，"他说' closes there as often as '他说，"走吧"' opens, so
# Chinese falls back to alternation (see _quoted_spans).
_STRAIGHT_QUOTE_OPENS_EN = "([{“‘（：:，,—"
_STRAIGHT_QUOTE_OPENS_ZH = "([{“‘（：:—"
# Book-title marks never contain a sentence boundary, whatever is inside.
NEVER_SPLIT_OPENERS = frozenset("《〈")
# Longest span we still pair: a runaway quote must not pair with a mark a
# whole paragraph later.
_MAX_QUOTE_SPAN = 2000
_MAX_QUOTE_DEPTH = 16


def quoted_spans(line: str, lang: str) -> list[tuple[int, int, str]]:
    """Return matched (open_index, close_index, opener) spans, sorted by start.

    Straight double quotes are paired by position: a quote preceded by a space,
    an opening bracket or the line start opens; otherwise it closes. Unmatched
    marks are ignored so that one stray quote cannot disable splitting.
    """
    pairs = _PAIRS_ZH if lang == "zh" else _PAIRS_EN
    closers = _CLOSERS_ZH if lang == "zh" else _CLOSERS_EN
    finder = _QUOTE_CHARS_ZH if lang == "zh" else _QUOTE_CHARS_EN
    stack: list[tuple[int, str]] = []
    spans: list[tuple[int, int, str]] = []
    for match in finder.finditer(line):
        index = match.start()
        char = match.group()
        if lang == "en" and char in "'‘’":  # Chinese ‘’ pair like the other marks
            _single_quote(line, index, stack, spans)
            continue
        if char == '"':
            before = line[index - 1] if index else " "
            context = _STRAIGHT_QUOTE_OPENS_ZH if lang == "zh" else _STRAIGHT_QUOTE_OPENS_EN
            opens = before.isspace() or before in context or index == 0
            if lang == "zh" and not opens:
                # In Chinese there are no spaces: alternate by pairing.
                opens = not any(opener == '"' for _, opener in stack)
            if opens:
                stack.append((index, '"'))
                continue
            while stack and stack[-1][1] != '"':
                stack.pop()
            if stack:
                start, opener = stack.pop()
                if index - start <= _MAX_QUOTE_SPAN:
                    spans.append((start, index, opener))
            continue
        if char in pairs:
            stack.append((index, char))
            if len(stack) > _MAX_QUOTE_DEPTH:
                del stack[0]  # long-unmatched openers: forget the oldest
        elif char in closers:
            for depth in range(len(stack) - 1, -1, -1):
                if pairs.get(stack[depth][1]) == char:
                    start, opener = stack[depth]
                    del stack[depth:]
                    if index - start <= _MAX_QUOTE_SPAN:
                        spans.append((start, index, opener))
                    break
    spans.sort()
    return spans


def _single_quote(
    line: str, index: int, stack: list[tuple[int, str]], spans: list[tuple[int, int, str]]
) -> None:
    """Pair an English single quote, telling quotes from apostrophes.

    ‘ always opens; ' opens after a space or an opener when a word follows.
    Otherwise a mark between two letters is an apostrophe (don’t, rock'n'roll)
    and one before a non-letter closes ('We won,' she said; the players’ union
    may close a stray opener, which costs nothing).
    """
    char = line[index]
    before = line[index - 1] if index else " "
    after = line[index + 1 : index + 2]
    if char == "‘" or (
        char == "'" and (before.isspace() or before in _STRAIGHT_QUOTE_OPENS_EN) and after.strip()
    ):
        stack.append((index, "'"))
        if len(stack) > _MAX_QUOTE_DEPTH:
            del stack[0]
        return
    if after.isalnum():
        return  # an apostrophe
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][1] == "'":
            start = stack[depth][0]
            del stack[depth:]
            if index - start <= _MAX_QUOTE_SPAN:
                spans.append((start, index, "'"))
            return


class SpanIndex:
    """Answer "which quoted spans contain position i" for increasing positions.

    Candidates are visited left to right, so a sweep keeps this linear even
    for a multi-megabyte line.
    """

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self._spans = spans
        self._next = 0
        self._active: list[tuple[int, int, str]] = []

    def enclosing(self, index: int) -> list[tuple[int, int, str]]:
        """Spans with open < index < close (strictly inside); ``index`` must not decrease."""
        while self._next < len(self._spans) and self._spans[self._next][0] < index:
            self._active.append(self._spans[self._next])
            self._next += 1
        self._active = [span for span in self._active if span[1] > index]
        return self._active
