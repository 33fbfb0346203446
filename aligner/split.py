"""Sentence splitting for Chinese and English paragraphs.

Rule-based on purpose: it must run offline, be predictable for translators,
and never drop text. A boundary is only ever placed *between* characters, so
joining the output (minus whitespace) reproduces the input.

Quoted speech is treated as one constituent of the sentence that reports it:
terminators inside a matched pair of quotes or brackets do not end the
sentence. This mirrors how translators handle quotations and keeps the two
sides of a bilingual pair splitting the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["split_sentences"]


def _words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string, for readability."""
    return frozenset(text.split())


# --------------------------------------------------------------------------
# Shared: matched quote / bracket spans
# --------------------------------------------------------------------------

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
_QUOTE_CHARS_EN = re.compile('[“”()\\[\\]«»"]')
# Characters after which a straight double quote opens. A Chinese comma is
# not one: '"走吧，"他说' closes there as often as '他说，"走吧"' opens, so
# Chinese falls back to alternation (see _quoted_spans).
_STRAIGHT_QUOTE_OPENS_EN = "([{“‘（：:，,—"
_STRAIGHT_QUOTE_OPENS_ZH = "([{“‘（：:—"
# Book-title marks never contain a sentence boundary, whatever is inside.
_NEVER_SPLIT_OPENERS = frozenset("《〈")
# Longest quotation we still treat as one sentence: an unmatched or runaway
# quote must not swallow a whole paragraph.
_MAX_QUOTE_SPAN = 2000
_MAX_QUOTE_DEPTH = 16


def _quoted_spans(line: str, lang: str) -> list[tuple[int, int, str]]:
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


class _SpanIndex:
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


# --------------------------------------------------------------------------
# English
# --------------------------------------------------------------------------

# Terminator run, then closing quotes/brackets, then the whitespace that must
# follow for a boundary to be possible.
_EN_CANDIDATE = re.compile(r"(\.{3,}|(?:\.\s){2}\.|…+|[.!?]+)([\"'”’)\]»]*)(\s+)")
_EN_PREV_TOKEN = re.compile(r"(\S*)$")
_EN_NEXT_TOKEN = re.compile(r"[\"'“‘(\[«]*(\S*)")

# Abbreviations that are (nearly) never the last word of a sentence.
_EN_NEVER_FINAL = _words(
    """mr mrs ms mx dr prof rev hon gen col capt lt sgt cpl maj adm gov sen rep supt
    messrs mme mlle msgr fr e.g eg i.e ie cf vs viz approx fig figs vol vols pp ed eds
    dept est ref refs tel ph.d mt ft ave blvd"""
)
# Abbreviations that end a sentence only if a typical sentence opener follows.
_EN_AMBIGUOUS = _words(
    """etc inc ltd co corp jr sr st bros plc llc no nos a.m p.m am pm
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    al ca"""
)
# Before a number these never end a sentence ("No. 5", "Jan. 5", "p. 12").
_EN_BEFORE_NUMBER = _words(
    """no nos p pp vol vols fig figs art sec ch chap ca approx c v vs op ed
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
# Words that typically open an English sentence; used to resolve ambiguous
# abbreviations and initials ("in the U.S. The ..." vs "the U.S. Army").
_EN_SENTENCE_OPENERS = _words(
    """the a an this that these those it its he she they we i you his her their our my your
    there here but and or so yet however in on at for after before when while if as although
    though since because meanwhile also then now today yesterday tomorrow many some most all
    both each every one two three several what who why how where which according during
    following despite with without by from under other such last next earlier later still
    nevertheless moreover furthermore instead thus therefore indeed besides overall finally
    first second third once not no only even just another further similarly"""
)
_EN_INITIAL = re.compile(r"^[A-Z]$")
_EN_INITIAL_TOKEN = re.compile(r"^[A-Z]\.$")
# A capitalised word with no trailing punctuation: a given name before a surname.
_EN_NAME_WORD = re.compile(r"^[A-Z][a-z][A-Za-z'’-]*$")
# A next "token" made only of terminators is a typo'd doubled mark ("done. .").
_EN_STRAY_TERMINATORS = re.compile(r"^[.!?…]+$")
_EN_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_EN_LIST_MARKER = re.compile(r"^[(\[]?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})[)\]]?$")


def _en_is_boundary(
    line: str, match: re.Match[str], sentence_start: int, spans: _SpanIndex
) -> bool:
    """Decide whether the candidate terminator ``match`` ends a sentence."""
    terminator, closers = match.group(1), match.group(2)
    term_start = match.start(1)
    next_start = match.end()
    if next_start >= len(line):
        return True
    inner = [span for span in spans.enclosing(term_start) if span[1] >= match.end(2)]
    if inner:
        return False  # still inside a quotation or bracket
    next_token = _EN_NEXT_TOKEN.match(line, next_start).group(1)  # type: ignore[union-attr]
    first = next_token[:1]
    if not first:
        return True
    if _EN_STRAY_TERMINATORS.match(next_token):
        return False  # "done. . Next": a doubled mark is not a sentence; cut after it
    if first.islower():
        return False  # "Where?" he asked. / e.g. ... and so on
    if "!" in terminator or "?" in terminator:
        return True
    if terminator.startswith("..") or terminator.startswith("…") or " " in terminator:
        return first.isupper() or not first.isalnum()
    if closers:
        return True  # 'He left." She said.' - the quote closes the sentence
    window_start = max(sentence_start, term_start - 80)
    prev_token = _EN_PREV_TOKEN.search(line, window_start, term_start).group(1)  # type: ignore[union-attr]
    word = prev_token.lstrip("\"'“‘([«")
    lowered = word.lower()
    if not word:
        return True
    sentence_so_far = line[sentence_start : min(term_start, sentence_start + 12)].strip()
    if term_start - sentence_start <= 12 and _EN_LIST_MARKER.match(sentence_so_far):
        return False  # "1. First item"
    if lowered in _EN_NEVER_FINAL:
        return False
    if first.isdigit():
        return lowered not in _EN_BEFORE_NUMBER
    opener = next_token.rstrip(",;:").lower() in _EN_SENTENCE_OPENERS
    if lowered == "etc":
        return True  # capitalised word after "etc." starts a new sentence
    if lowered in _EN_AMBIGUOUS or _EN_DOTTED_ACRONYM.match(word):
        return opener
    if _EN_INITIAL.match(word) and (
        _en_is_name_context(line, sentence_start, term_start - 1)
        or _en_name_follows(line, next_start)
    ):
        return opener  # "John F. Kennedy", "chief N. Wayne Hale" - but "from A to B. Airlines"
    return True


def _en_is_name_context(line: str, sentence_start: int, initial_index: int) -> bool:
    """True when the single capital at ``initial_index`` follows a name or starts the sentence."""
    before = line[max(sentence_start, initial_index - 80) : initial_index].rstrip()
    if not before:
        return True
    previous = before.rsplit(None, 1)[-1].lstrip("\"'“‘([")
    return previous[:1].isupper()


def _en_name_follows(line: str, next_start: int) -> bool:
    """True when a multi-part name follows: "N. Wayne Hale", "J. R. Smith".

    An initial after a lowercase word ("chief N. Wayne Hale") is still an
    initial when the next word is a bare capitalised word directly followed by
    another capitalised word or initial: a sentence rarely ends on a single
    letter and then opens with a two-word proper name, while "from A to B.
    Airlines know" (one capitalised word, then lowercase) still splits.
    """
    tokens = line[next_start : next_start + 80].split(None, 2)
    if len(tokens) < 2:
        return False
    given, following = tokens[0], tokens[1]
    if _EN_INITIAL_TOKEN.match(given):
        return True  # "J. R. Smith": a run of initials
    return bool(_EN_NAME_WORD.match(given)) and following[:1].isupper()


def _split_en_line(line: str) -> Iterator[str]:
    spans = _SpanIndex(_quoted_spans(line, "en"))
    start = 0
    for match in _EN_CANDIDATE.finditer(line):
        if _en_is_boundary(line, match, start, spans):
            cut = match.end(2)
            yield line[start:cut]
            start = cut
    yield line[start:]


# --------------------------------------------------------------------------
# Chinese
# --------------------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_ZH_CJK_CHAR = re.compile(f"[{_CJK}]")
# Terminator runs. ASCII forms are filtered later (they need a CJK neighbour).
_ZH_CANDIDATE = re.compile(r"(……|…+|\.{3,}|[。！？!?．.]+)([”’」』）》\"')]*)")
# Same, with the semicolon as a terminator (opt-in, see split_sentences).
_ZH_CANDIDATE_WITH_SEMICOLON = re.compile(r"(……|…+|\.{3,}|[。！？；!?;．.]+)([”’」』）》\"')]*)")
_ZH_FULLWIDTH_TERMINATORS = frozenset("。！？；．…")
# After a quotation that ends with a terminator, these openers continue the
# same sentence: a short reporting clause (“你来吗？”他问。) or a subject-less
# continuation of the quoting sentence (……？”然后离开。).
_ZH_CONTINUATION = re.compile(
    r"^(?:然后|接着|随即|随之|便|就|又|并|才|也|还|却|而|等|的|地|得|之后|以后|后)"
)
_ZH_REPORTING_CLAUSE = re.compile(
    rf"^[{_CJK}A-Za-z·]{{0,8}}?(?:说道|问道|答道|喊道|叫道|笑道|补充道|回答|说|问|道|答|喊|称|表示|指出|强调)"
    r"(?:[。！？!?]|$|[，,：:]\s*[“\"「])"
)
_ZH_CLAUSE_PUNCT = frozenset("，、：；,:;）)”’」』》")


def _zh_boundary(
    line: str, match: re.Match[str], spans: _SpanIndex, straight_openers: frozenset[int]
) -> int | None:
    """Return where the candidate terminator ``match`` ends a sentence, or None.

    A straight quote after the terminator is a closer only if it does not open
    a matched pair: in "支持。"发言人称……"" it opens the next sentence and the
    cut goes before it.
    """
    terminator = match.group(1)
    term_start, end = match.start(1), match.end()
    for index in range(match.start(2), match.end(2)):
        if index in straight_openers:
            end = index
            break
    closers = line[match.start(2) : end]
    before = line[term_start - 1] if term_start else ""
    ascii_only = not any(char in _ZH_FULLWIDTH_TERMINATORS for char in terminator)
    is_ellipsis = terminator.startswith("…") or terminator.startswith("...")
    if ascii_only and not is_ellipsis:
        # "3.5", "v2.0!", "Yahoo!": ASCII marks count only right after CJK text.
        if not before or not (_ZH_CJK_CHAR.match(before) or before in "”’」』）》"):
            return None
        after = line[match.end(1) : match.end(1) + 1]
        if "." in terminator and after.isascii() and after.isalnum():
            return None  # "新浪.com", "图1.2"
    if ascii_only and is_ellipsis and before.isdigit():
        return None
    enclosing = spans.enclosing(term_start)
    if any(opener in _NEVER_SPLIT_OPENERS for _, _, opener in enclosing):
        return None
    if any(span[1] >= end for span in enclosing):
        return None  # still inside a quotation
    rest = line[end : end + 40].lstrip()
    if not rest:
        return end
    if rest[0] in _ZH_CLAUSE_PUNCT or rest[0] in "。！？!?…":
        return None
    closes_quote = bool(enclosing) or bool(closers.strip(")）"))
    continues = bool(_ZH_CONTINUATION.match(rest) or _ZH_REPORTING_CLAUSE.match(rest))
    return None if (closes_quote or is_ellipsis) and continues else end


def _split_zh_line(line: str, split_semicolons: bool = False) -> Iterator[str]:
    span_list = _quoted_spans(line, "zh")
    straight_openers = frozenset(open_ for open_, _, opener in span_list if opener == '"')
    spans = _SpanIndex(span_list)
    candidates = _ZH_CANDIDATE_WITH_SEMICOLON if split_semicolons else _ZH_CANDIDATE
    start = 0
    for match in candidates.finditer(line):
        cut = _zh_boundary(line, match, spans, straight_openers)
        if cut is not None:
            yield line[start:cut]
            start = cut
    yield line[start:]


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def split_sentences(text: str, lang: str, *, split_semicolons: bool = False) -> list[str]:
    """Split a paragraph into stripped, non-empty sentences.

    ``lang`` is "zh" or "en". Newlines are hard boundaries (headings, list
    items and furniture lines carry no final punctuation). No non-space
    character of ``text`` is ever dropped.

    The Chinese semicolon ；is a clause separator inside a sentence (GB/T
    15834 counts it among the in-sentence marks) and translators keep it
    inside one segment, matching one English sentence; so it splits only with
    ``split_semicolons=True``.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unsupported language {lang!r}: expected 'zh' or 'en'")
    sentences: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        pieces = _split_zh_line(line, split_semicolons) if lang == "zh" else _split_en_line(line)
        for piece in pieces:
            piece = piece.strip()
            if piece:
                sentences.append(piece)
    return sentences
