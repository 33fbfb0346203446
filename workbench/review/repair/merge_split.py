"""Merge a segment with the next one, or split one in two at the cursor."""

from __future__ import annotations

import sqlite_utils

from aligner.edges import clause_ends
from workbench.review.repair.common import (
    RepairError,
    adjacent,
    check_base,
    document_positions,
    get_segment,
    insert,
    join_text,
    languages,
    record,
    remove,
    sentences_of,
    shift,
    update,
)
from workbench.store.db import now, write_transaction


def _merge_mt(first: str | None, second: str | None, lang: str) -> str | None:
    """MT of a merged segment; None when one part has none (partial MT would skew scores)."""
    if first is None or second is None:
        return None if (first or second) else first if first is not None else second
    return join_text(first, second, lang)


def _merge_note(first: str | None, second: str | None) -> str | None:
    notes = [n for n in (first, second) if n]
    return " / ".join(notes) if notes else None


def merge(
    db: sqlite_utils.Database, segment_id: int, author: str, *, base_version: int | None = None
) -> dict:
    """Merge a segment with the next one (source, target and MT joined); returns the
    merged row. Confidence is the lower of the two, status "draft". Page furniture
    is never merged with a sentence."""
    with write_transaction(db):
        first = get_segment(db, segment_id)
        check_base(first, base_version)
        second = adjacent(db, first, "down")
        if second is None:
            raise RepairError("this is the last segment of the document: nothing follows to merge")
        if bool(first["translate"]) != bool(second["translate"]):
            raise RepairError("page furniture cannot be merged with a sentence for translation")
        source_lang, target_lang = languages(db, first["document_id"])
        confidences = [c for c in (first["confidence"], second["confidence"]) if c is not None]
        stamp = now()
        positions = document_positions(db, first["document_id"])
        repointed = remove(db, second, first["id"])
        merged = update(
            db,
            first,
            {
                "source": join_text(first["source"], second["source"], source_lang),
                "target": join_text(first["target"], second["target"], target_lang),
                "mt": _merge_mt(first["mt"], second["mt"], target_lang),
                "confidence": min(confidences) if confidences else None,
                "status": "draft",
                "note": _merge_note(first["note"], second["note"]),
                "edit_ms": (first["edit_ms"] or 0) + (second["edit_ms"] or 0) or None,
            },
            author,
            "merge",
            stamp,
        )
        shift(db, first["document_id"], second["position"], -1)
        merged = get_segment(db, first["id"])
        record(
            db,
            first["document_id"],
            "merge",
            author,
            stamp,
            [first, second],
            [merged],
            positions,
            repointed,
        )
    return merged


def _split_mt(
    mt: str | None, source_first: str, source: str, source_lang: str, target_lang: str
) -> tuple[str | None, str | None]:
    """Split the MT with the source, so that both parts keep a machine translation.

    When the MT has as many sentences as the source (it was made sentence by
    sentence) it is cut between sentences; otherwise at the clause boundary
    (comma, semicolon...) nearest to where the source was cut, in proportion
    to length, and failing that at the nearest word break (any character in
    Chinese).
    """
    if not mt:
        return mt, None
    mt_sentences = sentences_of(mt, target_lang)
    source_count = len(sentences_of(source, source_lang))
    cut = len(sentences_of(source_first, source_lang))
    join = " " if not target_lang.startswith("zh") else ""
    if len(mt_sentences) == source_count and 0 < cut < source_count:
        return join.join(mt_sentences[:cut]), join.join(mt_sentences[cut:])
    text = mt.strip()
    wanted = len(text) * len(source_first) / max(len(source), 1)
    candidates = clause_ends(text, target_lang)
    if not candidates:
        if target_lang.startswith("zh"):
            candidates = list(range(1, len(text)))
        else:
            candidates = [i for i, char in enumerate(text) if char == " " and 0 < i < len(text)]
    if not candidates:
        return mt, None
    at = min(candidates, key=lambda i: abs(i - wanted))
    first, second = text[:at].strip(), text[at:].strip()
    return (first, second) if first and second else (mt, None)


def _status(target: str) -> str:
    """A part with a target is a draft; one with none (only MT, if any) is still new."""
    return "draft" if target.strip() else "new"


def split(
    db: sqlite_utils.Database,
    segment_id: int,
    source_offset: int,
    target_offset: int | None,
    author: str,
    *,
    base_version: int | None = None,
) -> tuple[dict, dict]:
    """Split a segment at character offsets (the cursor) of its source and target.

    ``target_offset=None`` keeps the whole target with the first part. Both
    source parts must hold text; a target part may be empty (0 or len). Returns
    the two rows; the new one is inserted right after. A part with a target is a
    "draft", one without is "new" (its MT, split with the source, pre-filled).
    """
    with write_transaction(db):
        segment = get_segment(db, segment_id)
        check_base(segment, base_version)
        source, target = segment["source"] or "", segment["target"] or ""
        if not isinstance(source_offset, int) or not 0 < source_offset < len(source):
            raise RepairError(
                f"the source split point must be inside the text (1…{max(len(source) - 1, 0)})"
            )
        source_first, source_second = source[:source_offset].strip(), source[source_offset:].strip()
        if not source_first or not source_second:
            raise RepairError("both parts of the source must contain text")
        if target_offset is None:
            target_first, target_second = target.strip(), ""
        elif not isinstance(target_offset, int) or not 0 <= target_offset <= len(target):
            raise RepairError(f"the target split point must be between 0 and {len(target)}")
        else:
            target_first = target[:target_offset].strip()
            target_second = target[target_offset:].strip()
        source_lang, target_lang = languages(db, segment["document_id"])
        mt_first, mt_second = _split_mt(
            segment["mt"], source_first, source, source_lang, target_lang
        )
        stamp = now()
        positions = document_positions(db, segment["document_id"])
        shift(db, segment["document_id"], segment["position"], 1)
        first = update(
            db,
            segment,
            {
                "source": source_first,
                "target": target_first,
                "mt": mt_first,
                "status": _status(target_first),
            },
            author,
            "split",
            stamp,
        )
        second = insert(
            db,
            {
                "document_id": segment["document_id"],
                "position": segment["position"] + 1,
                "paragraph": segment["paragraph"],
                "translate": segment["translate"],
                "furniture": segment["furniture"],
                "source": source_second,
                "mt": mt_second,
                "target": target_second,
                "status": _status(target_second),
                "confidence": segment["confidence"],
                "version": 1,
            },
            author,
            "split",
            stamp,
        )
        record(
            db,
            segment["document_id"],
            "split",
            author,
            stamp,
            [segment],
            [first, second],
            positions,
        )
    return first, second
