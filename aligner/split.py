"""Sentence splitting for Chinese and English paragraphs.

Rule-based on purpose: it must run offline, be predictable for translators,
and never drop text. A boundary is only ever placed *between* characters, so
joining the output (minus whitespace) reproduces the input.

A sentence end inside a quotation is a boundary, as in the SRX rules CAT
tools segment with: a three-sentence quote becomes three segments, and the
closing quote or bracket stays with the sentence it closes. What follows a
closing quote decides whether the quoting sentence goes on ('"Go!" he said',
“你来吗？”他问). Book titles in 《》 never hold a boundary.
"""

from __future__ import annotations

from aligner.split_en import split_en_line
from aligner.split_zh import split_zh_line

__all__ = ["split_sentences"]


def split_sentences(text: str, lang: str) -> list[str]:
    """Split a paragraph into stripped, non-empty sentences.

    ``lang`` is "zh" or "en". Newlines are hard boundaries (headings, list
    items and furniture lines carry no final punctuation). No non-space
    character of ``text`` is ever dropped.

    The Chinese semicolon ；is a clause separator inside a sentence (GB/T
    15834 counts it among the in-sentence marks) and translators keep it
    inside one segment, matching one English sentence; so it never splits.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unsupported language {lang!r}: expected 'zh' or 'en'")
    sentences: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        pieces = split_zh_line(line) if lang == "zh" else split_en_line(line)
        for piece in pieces:
            piece = piece.strip()
            if piece:
                sentences.append(piece)
    return sentences
