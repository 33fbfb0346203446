"""Chinese sentence ends: 。！？ (and ASCII marks after Chinese text), with their closing quotes.

The end marks of GB/T 15834 end a sentence; the semicolon and a bare
ellipsis do not. A closing quote or bracket stays with the sentence it
closes, and a reporting clause or a subject-less continuation after a quoted
sentence (“你来吗？”他问。) keeps it in the quoting sentence. Decimals, dates
written with full-width dots, list markers and book titles (《》) never end one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from aligner.quotes import NEVER_SPLIT_OPENERS, SpanIndex, quoted_spans
from aligner.tokens import HAN_CHARS, HAN_RE

__all__ = ["split_zh_line"]

_ZH_CLOSERS = "”’」』）》\"')"
_ZH_QUOTE_CLOSERS = "”’」』\"'"
# Terminator runs, then closers (after a space too: "变化 。 ”").
# ASCII forms are filtered later (they need a CJK neighbour).
_ZH_CANDIDATE = re.compile(
    r"(……|…+|\.{3,}|[。！？!?．.]+)((?:[”’」』）》\"')]|\s+(?=[”’」』）》]))*)"
)
# After a quotation that ends with a terminator, these openers continue the
# same sentence: a short reporting clause (“你来吗？”他问。, “……。”他说，……)
# or a subject-less continuation of the quoting sentence (……？”然后离开。).
# A clause that introduces a new quotation (……。”她说：“……) starts a sentence.
# Both scripts: Traditional text (然後, 他問) is split as written, not through a copy.
_ZH_CONTINUATION = re.compile(
    r"^(?:然后|然後|接着|接著|随后|隨後|随即|隨即|随之|隨之|便|就|又|并|並|才|也|还|還|却|卻|而|等"
    r"|的|地|得|之后|之後|以后|以後|后|後)"
)
_ZH_SPEAKER = f"[{HAN_CHARS}A-Za-z·]"
_ZH_SAYS = (
    "(?:说道|說道|问道|問道|答道|喊道|叫道|笑道|补充道|補充道|回答|说|說|问|問|道|答|喊|称|稱|表示"
    "|指出|强调|強調)"
)
# "他说，……" continues; a longer subject only when the clause ends at the verb
# (……。”剧中扮演母亲的演员动情地说。): "X部门向记者表示，……" is a new report.
_ZH_REPORTING_CLAUSE = re.compile(
    rf"^(?:{_ZH_SPEAKER}{{0,8}}?{_ZH_SAYS}[，,]|{_ZH_SPEAKER}{{0,20}}?{_ZH_SAYS}(?:[。！？!?]|$))"
)
# A negated verb attributes nothing: "……？”对方没有回答。" is a sentence of its own.
_ZH_NEGATED_REPORT = re.compile(rf"^{_ZH_SPEAKER}{{0,20}}?(?:没有|沒有|没|沒|不|未)回?{_ZH_SAYS}")
_ZH_CLAUSE_PUNCT = frozenset("，、：；,:;）)”’」』》")
# A list marker opening a sentence: "1．", "（2）.", "三．".
_ZH_LIST_MARKER = re.compile(
    r"^[（(]?(?:\d{1,3}|[一二三四五六七八九十]{1,3}|[A-Za-zＡ-Ｚａ-ｚ])[)）]?$"
)


def _zh_boundary(
    line: str,
    match: re.Match[str],
    sentence_start: int,
    spans: SpanIndex,
    straight_openers: frozenset[int],
) -> int | None:
    """Return where the candidate terminator ``match`` ends a sentence, or None.

    A straight quote after the terminator is a closer only if it does not open
    a matched pair: in "支持。"发言人称……"" it opens the next sentence and the
    cut goes before it.
    """
    terminator = match.group(1)
    term_start, end = match.start(1), match.end()
    before = line[term_start - 1] if term_start else ""
    ascii_only = terminator.isascii()  # no full-width mark in the run
    is_ellipsis = terminator.startswith(("…", "..."))
    # "3.5", "v2.0!", "Yahoo!": ASCII marks count only right after CJK text, or
    # where a quotation of foreign text closes after them (……报道，"The deal is done." 双方……).
    first_closer = match.group(2).strip()[:1]
    quoted_end = bool(first_closer) and first_closer in _ZH_QUOTE_CLOSERS
    if (
        ascii_only
        and not is_ellipsis
        and not (HAN_RE.match(before) or before in _ZH_CLOSERS or quoted_end)
    ):
        return None
    for index in range(match.start(2), match.end(2)):
        if index in straight_openers:
            end = index
            break
    closers = line[match.start(2) : end].strip()
    after = line[match.end(1) : match.end(1) + 1]
    if terminator in (".", "．"):
        if after.isalnum() and not HAN_RE.match(after):
            return None  # "新浪.com", "图1.2", "２０２４．０２"
        if term_start - sentence_start <= 8 and _ZH_LIST_MARKER.match(
            line[sentence_start:term_start].strip()
        ):
            return None  # "1．会议……"
    enclosing = spans.enclosing(term_start)
    if any(opener in NEVER_SPLIT_OPENERS for _, _, opener in enclosing):
        return None
    rest = line[end : end + 40].lstrip()
    if not rest:
        return end
    if rest[0] in _ZH_CLAUSE_PUNCT or rest[0] in "。！？!?":
        return None
    closes_quote = any(close < end for _, close, _ in enclosing) or bool(closers.strip(")）"))
    if is_ellipsis and not closes_quote:
        return None  # "他犹豫了……最后还是走了。": a pause, not a sentence end
    reports = _ZH_REPORTING_CLAUSE.match(rest) and not _ZH_NEGATED_REPORT.match(rest)
    continues = bool(_ZH_CONTINUATION.match(rest) or reports)
    return None if closes_quote and continues else end


def split_zh_line(line: str) -> Iterator[str]:
    """Yield the pieces of one line (unstripped; joined they give the line back)."""
    span_list = quoted_spans(line, "zh")
    straight_openers = frozenset(open_ for open_, _, opener in span_list if opener == '"')
    spans = SpanIndex(span_list)
    start = 0
    for match in _ZH_CANDIDATE.finditer(line):
        cut = _zh_boundary(line, match, start, spans, straight_openers)
        if cut is not None:
            yield line[start:cut]
            start = cut
    yield line[start:]
