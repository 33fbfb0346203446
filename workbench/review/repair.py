"""Alignment repair on a document's segments: merge, split, move a sentence, mark 1-0.

Every operation is one write transaction (``BEGIN IMMEDIATE``, so two repairs
cannot interleave their reads and writes), bumps the version of every segment
whose content it changes and writes a revision row for it (action "merge",
"split", "move-up", "move-down", "no-counterpart", "bulk-status", "undo"):
an editor who loaded a segment before the repair gets a conflict (409) on a
stale save instead of silently overwriting it. Writes are conditional on the
version read, and a repair whose segment changed underneath raises
``workbench.store.db.ConflictError``; an optional ``base_version`` lets the UI say
"the version I showed the user" for the segment it acts on.

Each repair stores before/after snapshots of the affected rows in ``repairs``;
``undo`` restores the most recent not-yet-undone one of a document (repeated
calls go further back), provided nobody edited those segments since.

Positions are unique per document, so a repair that inserts or removes a
segment shifts the following ones in two steps through negative numbers and
records the document's old positions for undo. Positions stay 0..n-1 when they
were. Removing a segment (merge) re-points rows of other tables that reference
it (its revisions) to the merged segment, so no history is lost; undo moves
them back.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator

import sqlite_utils

from workbench.store.db import STATUSES, ConflictError, now
from workbench.tm import memory as tm

#: Segment columns a snapshot restores (id, document_id and version are handled apart).
CONTENT_COLUMNS = (
    "position",
    "paragraph",
    "translate",
    "furniture",
    "source",
    "mt",
    "target",
    "status",
    "confidence",
    "updated_at",
    "updated_by",
    "note",
    "edit_ms",
)


class RepairError(ValueError):
    """A repair that cannot be done as asked; the message says why, for the user."""


# --------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """BEGIN IMMEDIATE: take the write lock before reading, so the snapshot we read is
    the one we change (a deferred transaction would fail to upgrade under WAL)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.execute("COMMIT")


def _get(db: sqlite_utils.Database, segment_id: int) -> dict:
    rows = list(db.query("SELECT * FROM segments WHERE id = ?", [segment_id]))
    if not rows:
        raise RepairError(f"segment {segment_id} does not exist")
    return rows[0]


def _languages(db: sqlite_utils.Database, document_id: int) -> tuple[str, str]:
    row = db.execute(
        "SELECT source_lang, target_lang FROM documents WHERE id = ?", [document_id]
    ).fetchone()
    if row is None:
        raise RepairError(f"document {document_id} does not exist")
    return row[0], row[1]


def _check_base(segment: dict, base_version: int | None) -> None:
    if base_version is not None and segment["version"] != base_version:
        raise ConflictError(segment)


def _neighbour(
    db: sqlite_utils.Database, segment: dict, direction: str, translatable_only: bool = False
) -> dict | None:
    """The segment right before/after in position order (optionally skipping furniture)."""
    op, order = (">", "ASC") if direction == "down" else ("<", "DESC")
    extra = " AND translate" if translatable_only else ""
    rows = list(
        db.query(
            f"SELECT * FROM segments WHERE document_id = ? AND position {op} ?{extra}"
            f" ORDER BY position {order} LIMIT 1",
            [segment["document_id"], segment["position"]],
        )
    )
    return rows[0] if rows else None


_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def join_text(first: str | None, second: str | None, lang: str) -> str:
    """Join two pieces of one language: a space for English, nothing for Chinese
    (except between two Latin words/numbers, which Chinese text also spaces)."""
    first, second = (first or "").strip(), (second or "").strip()
    if not first or not second:
        return first or second
    if lang.startswith("zh") and not (
        _ASCII_ALNUM.match(first[-1]) and _ASCII_ALNUM.match(second[0])
    ):
        return first + second
    return f"{first} {second}"


def _sentences(text: str, lang: str) -> list[str]:
    from aligner import split_sentences

    base = "zh" if lang.startswith("zh") else "en"
    return split_sentences(text or "", base)


def _update(
    db: sqlite_utils.Database, before: dict, changes: dict, author: str, action: str, stamp: str
) -> dict:
    """Write ``changes`` if the row is still at the version read; bump it; add a revision."""
    columns = {**changes, "updated_at": stamp, "updated_by": author}
    assignments = ", ".join(f"{name} = ?" for name in columns)
    cursor = db.execute(
        f"UPDATE segments SET {assignments}, version = version + 1 WHERE id = ? AND version = ?",
        [*columns.values(), before["id"], before["version"]],
    )
    if cursor.rowcount == 0:
        raise ConflictError(_get(db, before["id"]))
    row = _get(db, before["id"])
    _revision(db, row, author, action, stamp)
    return row


def _revision(db: sqlite_utils.Database, row: dict, author: str, action: str, stamp: str) -> None:
    db.execute(
        "INSERT INTO revisions (segment_id, version, target, status, author, action, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [row["id"], row["version"], row["target"], row["status"], author, action, stamp],
    )


def _insert(db: sqlite_utils.Database, row: dict, author: str, action: str, stamp: str) -> dict:
    values = {"updated_at": stamp, "updated_by": author, **row}
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cursor = db.execute(f"INSERT INTO segments ({names}) VALUES ({marks})", list(values.values()))
    new = _get(db, cursor.lastrowid)
    _revision(db, new, author, action, stamp)
    return new


def _referencing_columns(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(table, column) pairs with a foreign key to segments.id (revisions and any other)."""
    found = []
    for (table,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        for fk in db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall():
            # (id, seq, table, from, to, on_update, on_delete, match)
            if fk[2] == "segments" and fk[4] in (None, "id"):
                found.append((table, fk[3]))
    return found


def _remove(db: sqlite_utils.Database, segment: dict, heir_id: int) -> list:
    """Delete a segment, handing rows that reference it to ``heir_id`` first."""
    moved = []
    for table, column in _referencing_columns(db):
        rowids = [
            r[0]
            for r in db.execute(
                f"SELECT rowid FROM [{table}] WHERE [{column}] = ?", [segment["id"]]
            ).fetchall()
        ]
        if rowids:
            db.execute(
                f"UPDATE [{table}] SET [{column}] = ? WHERE [{column}] = ?",
                [heir_id, segment["id"]],
            )
            moved.append([table, column, rowids])
    cursor = db.execute(
        "DELETE FROM segments WHERE id = ? AND version = ?", [segment["id"], segment["version"]]
    )
    if cursor.rowcount == 0:
        raise ConflictError(_get(db, segment["id"]))
    return moved


def _positions(db: sqlite_utils.Database, document_id: int) -> dict[str, int]:
    return {
        str(i): p
        for i, p in db.execute(
            "SELECT id, position FROM segments WHERE document_id = ?", [document_id]
        ).fetchall()
    }


def _shift(db: sqlite_utils.Database, document_id: int, after: int, delta: int) -> None:
    """Move every position > ``after`` by ``delta`` without ever repeating a position:
    first into the negative range, then back."""
    db.execute(
        "UPDATE segments SET position = -position - 1 WHERE document_id = ? AND position > ?",
        [document_id, after],
    )
    db.execute(
        "UPDATE segments SET position = -position - 1 + ? WHERE document_id = ? AND position < 0",
        [delta, document_id],
    )


def _record(
    db: sqlite_utils.Database,
    document_id: int,
    action: str,
    author: str,
    stamp: str,
    before: list[dict],
    after: list[dict],
    positions: dict | None = None,
    repointed: list | None = None,
) -> int:
    cursor = db.execute(
        "INSERT INTO repairs (document_id, action, author, created_at, before, after, positions,"
        " repointed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            document_id,
            action,
            author,
            stamp,
            json.dumps(before, ensure_ascii=False),
            json.dumps(after, ensure_ascii=False),
            json.dumps(positions) if positions is not None else None,
            json.dumps(repointed) if repointed else None,
        ],
    )
    return cursor.lastrowid


def _merge_mt(first: str | None, second: str | None, lang: str) -> str | None:
    """MT of a merged segment; None when one part has none (partial MT would skew scores)."""
    if first is None or second is None:
        return None if (first or second) else first if first is not None else second
    return join_text(first, second, lang)


def _merge_note(first: str | None, second: str | None) -> str | None:
    notes = [n for n in (first, second) if n]
    return " / ".join(notes) if notes else None


# --------------------------------------------------------------------------- operations


def merge(
    db: sqlite_utils.Database, segment_id: int, author: str, *, base_version: int | None = None
) -> dict:
    """Merge a segment with the next one (source, target and MT joined); returns the
    merged row. Confidence is the lower of the two, status "draft". Page furniture
    is never merged with a sentence."""
    with _write_transaction(db):
        first = _get(db, segment_id)
        _check_base(first, base_version)
        second = _neighbour(db, first, "down")
        if second is None:
            raise RepairError("this is the last segment of the document: nothing follows to merge")
        if bool(first["translate"]) != bool(second["translate"]):
            raise RepairError("page furniture cannot be merged with a sentence for translation")
        source_lang, target_lang = _languages(db, first["document_id"])
        confidences = [c for c in (first["confidence"], second["confidence"]) if c is not None]
        stamp = now()
        positions = _positions(db, first["document_id"])
        repointed = _remove(db, second, first["id"])
        merged = _update(
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
        _shift(db, first["document_id"], second["position"], -1)
        merged = _get(db, first["id"])
        _record(
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
    """Split the MT with the source when it has as many sentences as the source (the MT
    was made sentence by sentence); otherwise it stays whole with the first part."""
    if not mt:
        return mt, None
    mt_sentences = _sentences(mt, target_lang)
    source_count = len(_sentences(source, source_lang))
    cut = len(_sentences(source_first, source_lang))
    if len(mt_sentences) != source_count or not 0 < cut < source_count:
        return mt, None
    join = " " if not target_lang.startswith("zh") else ""
    return join.join(mt_sentences[:cut]), join.join(mt_sentences[cut:])


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
    the two rows; the new one is inserted right after, both with status "draft".
    """
    with _write_transaction(db):
        segment = _get(db, segment_id)
        _check_base(segment, base_version)
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
        source_lang, target_lang = _languages(db, segment["document_id"])
        mt_first, mt_second = _split_mt(
            segment["mt"], source_first, source, source_lang, target_lang
        )
        stamp = now()
        positions = _positions(db, segment["document_id"])
        _shift(db, segment["document_id"], segment["position"], 1)
        first = _update(
            db,
            segment,
            {"source": source_first, "target": target_first, "mt": mt_first, "status": "draft"},
            author,
            "split",
            stamp,
        )
        second = _insert(
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
                "status": "draft",
                "confidence": segment["confidence"],
                "version": 1,
            },
            author,
            "split",
            stamp,
        )
        _record(
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


def move_target(
    db: sqlite_utils.Database,
    segment_id: int,
    direction: str,
    author: str,
    *,
    base_version: int | None = None,
) -> tuple[dict, dict]:
    """Move one target sentence to the neighbouring segment.

    "up": the FIRST target sentence goes to the END of the previous segment's
    target; "down": the LAST target sentence goes to the START of the next
    one's. Page furniture in between is skipped (its text is not aligned).
    Returns (this segment, the neighbour), both with status "draft".
    """
    if direction not in ("up", "down"):
        raise RepairError(f"direction must be 'up' or 'down', not {direction!r}")
    with _write_transaction(db):
        segment = _get(db, segment_id)
        _check_base(segment, base_version)
        neighbour = _neighbour(db, segment, direction, translatable_only=True)
        if neighbour is None:
            where = "previous" if direction == "up" else "next"
            raise RepairError(f"there is no {where} segment to move the sentence to")
        _, target_lang = _languages(db, segment["document_id"])
        target = segment["target"] or ""
        sentences = _sentences(target, target_lang)
        if not sentences:
            raise RepairError("this segment has no target text to move")
        if direction == "up":
            moving = sentences[0]
            start = target.find(moving)
            rest = target[start + len(moving) :].strip()
            neighbour_target = join_text(neighbour["target"], moving, target_lang)
        else:
            moving = sentences[-1]
            start = target.rfind(moving)
            rest = target[:start].strip()
            neighbour_target = join_text(moving, neighbour["target"], target_lang)
        stamp = now()
        action = f"move-{direction}"
        moved_from = _update(
            db, segment, {"target": rest, "status": "draft"}, author, action, stamp
        )
        moved_to = _update(
            db, neighbour, {"target": neighbour_target, "status": "draft"}, author, action, stamp
        )
        _record(
            db,
            segment["document_id"],
            action,
            author,
            stamp,
            [segment, neighbour],
            [moved_from, moved_to],
        )
    return moved_from, moved_to


def mark_no_counterpart(
    db: sqlite_utils.Database, segment_id: int, author: str, *, base_version: int | None = None
) -> tuple[dict, dict]:
    """The source sentence has no translation: make this segment 1-0 (empty target) and
    put its target into a new 0-1 segment (empty source) right after it.

    Why a new segment rather than the neighbour: the target text stays visible
    exactly where it was, nothing is silently appended to a sentence the
    translator did not look at, and if it belongs to a neighbour one
    ``move_target``/``merge`` puts it there. Returns (this segment, the new one).
    """
    with _write_transaction(db):
        segment = _get(db, segment_id)
        _check_base(segment, base_version)
        if not (segment["target"] or "").strip():
            raise RepairError("this segment already has no target")
        if not (segment["source"] or "").strip():
            raise RepairError("this segment has no source: it already has no counterpart")
        stamp = now()
        positions = _positions(db, segment["document_id"])
        _shift(db, segment["document_id"], segment["position"], 1)
        emptied = _update(
            db, segment, {"target": "", "status": "draft"}, author, "no-counterpart", stamp
        )
        orphan = _insert(
            db,
            {
                "document_id": segment["document_id"],
                "position": segment["position"] + 1,
                "paragraph": segment["paragraph"],
                "translate": 1,
                "source": "",
                "mt": None,
                "target": segment["target"],
                "status": "draft",
                "confidence": None,
                "version": 1,
            },
            author,
            "no-counterpart",
            stamp,
        )
        _record(
            db,
            segment["document_id"],
            "no-counterpart",
            author,
            stamp,
            [segment],
            [emptied, orphan],
            positions,
        )
    return emptied, orphan


def bulk_set_status(
    db: sqlite_utils.Database, segment_ids: Iterable[int], status: str, author: str
) -> int:
    """Set the status of many segments at once (e.g. approve the QA-clean ones).

    Each changed segment gets a version bump and a revision ("bulk-status");
    segments already at ``status`` are left alone. One undo record per
    document, so a bulk action in one document is undone in one step. Unknown
    ids change nothing and raise RepairError. Returns the number changed.

    Approved segments enter the translation memory, as with every approval.
    """
    if status not in STATUSES:
        raise RepairError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
    ids = list(dict.fromkeys(int(i) for i in segment_ids))
    if not ids:
        return 0
    with _write_transaction(db):
        rows: list[dict] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows += db.query(
                f"SELECT * FROM segments WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        missing = sorted(set(ids) - {r["id"] for r in rows})
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" …" if len(missing) > 10 else "")
            raise RepairError(f"no such segment(s): {shown}")
        stamp = now()
        by_document: dict[int, tuple[list[dict], list[dict]]] = {}
        for row in sorted(rows, key=lambda r: (r["document_id"], r["position"])):
            if row["status"] == status:
                continue
            after = _update(db, row, {"status": status}, author, "bulk-status", stamp)
            if status == "approved":
                tm.add_approved(db, after["id"])
            before_rows, after_rows = by_document.setdefault(row["document_id"], ([], []))
            before_rows.append(row)
            after_rows.append(after)
        for document_id, (before_rows, after_rows) in by_document.items():
            _record(db, document_id, "bulk-status", author, stamp, before_rows, after_rows)
    return sum(len(after) for _, after in by_document.values())


def last_repair(db: sqlite_utils.Database, document_id: int) -> dict | None:
    """The repair ``undo`` would revert (id, action, author, created_at), or None."""
    rows = list(
        db.query(
            "SELECT id, action, author, created_at FROM repairs"
            " WHERE document_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            [document_id],
        )
    )
    return rows[0] if rows else None


#: What "nobody edited it since" compares: versions would not do, since undoing a later
#: repair bumps them too, and positions move with repairs elsewhere in the document.
_COMPARED = (
    "source",
    "target",
    "mt",
    "status",
    "translate",
    "paragraph",
    "furniture",
    "confidence",
    "note",
)


def _content(row: dict) -> tuple:
    return tuple(row.get(name) for name in _COMPARED)


def undo(db: sqlite_utils.Database, document_id: int, author: str) -> dict:
    """Revert the document's most recent not-yet-undone repair.

    Refused (RepairError) when a segment it touched was edited since (its
    content differs from what the repair left): undo would throw that edit
    away. Restored segments get a version bump and an "undo" revision;
    segments the repair created are deleted with their revisions. Returns
    {"repair_id", "action", "segment_ids"} (the restored ids, in position order).
    """
    with _write_transaction(db):
        record = db.execute(
            "SELECT id, action, before, after, positions, repointed FROM repairs"
            " WHERE document_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            [document_id],
        ).fetchone()
        if record is None:
            raise RepairError("there is nothing to undo in this document")
        repair_id, action, before_json, after_json, positions_json, repointed_json = record
        before = {r["id"]: r for r in json.loads(before_json)}
        after = {r["id"]: r for r in json.loads(after_json)}
        current: dict[int, dict] = {}
        for segment_id, snapshot in after.items():
            rows = list(db.query("SELECT * FROM segments WHERE id = ?", [segment_id]))
            if not rows or _content(rows[0]) != _content(snapshot):
                who = f" by {rows[0]['updated_by']}" if rows and rows[0]["updated_by"] else ""
                raise RepairError(
                    f"cannot undo the {action}: segment {segment_id} was changed{who} since; "
                    "undo would overwrite that change"
                )
            current[segment_id] = rows[0]
        stamp = now()
        positions = json.loads(positions_json) if positions_json else None
        if positions is not None:  # free every position first: restored ones may collide
            db.execute(
                "UPDATE segments SET position = -position - 1"
                " WHERE document_id = ? AND position >= 0",
                [document_id],
            )
        for segment_id in after.keys() - before.keys():  # created by the repair
            db.execute("DELETE FROM revisions WHERE segment_id = ?", [segment_id])
            db.execute("DELETE FROM segments WHERE id = ?", [segment_id])
        restored: list[dict] = []
        for segment_id, snapshot in before.items():
            restore = {name: snapshot[name] for name in CONTENT_COLUMNS}
            restore["updated_at"], restore["updated_by"] = stamp, author
            if segment_id in current:
                restored.append(_update(db, current[segment_id], restore, author, "undo", stamp))
            else:  # removed by the repair (merge): back with its id and references
                restore_id = segment_id
                if db.execute("SELECT 1 FROM segments WHERE id = ?", [segment_id]).fetchone():
                    restore_id = None  # the id was reused meanwhile: take a new one
                row = {
                    **restore,
                    "document_id": snapshot["document_id"],
                    "version": snapshot["version"] + 1,
                }
                if restore_id is not None:
                    row["id"] = restore_id
                new = _insert(db, row, author, "undo", stamp)
                restored.append(new)
                for table, column, rowids in json.loads(repointed_json or "[]"):
                    for chunk in range(0, len(rowids), 500):
                        part = rowids[chunk : chunk + 500]
                        db.execute(
                            f"UPDATE [{table}] SET [{column}] = ?"
                            f" WHERE rowid IN ({','.join('?' * len(part))})",
                            [new["id"], *part],
                        )
        if positions is not None:
            db.conn.executemany(
                "UPDATE segments SET position = ? WHERE id = ? AND document_id = ?",
                [(p, int(i), document_id) for i, p in positions.items()],
            )
            stray = db.execute(
                "SELECT COUNT(*) FROM segments WHERE document_id = ? AND position < 0",
                [document_id],
            ).fetchone()[0]
            if stray:
                raise RepairError(
                    f"cannot undo the {action}: the document's segments changed since"
                )
        db.execute(
            "UPDATE repairs SET undone_at = ?, undone_by = ? WHERE id = ?",
            [stamp, author, repair_id],
        )
        marks = ",".join("?" * len(restored))
        ids = [
            r[0]
            for r in db.execute(
                f"SELECT id FROM segments WHERE id IN ({marks}) ORDER BY position",
                [row["id"] for row in restored],
            ).fetchall()
        ]
    return {"repair_id": repair_id, "action": action, "segment_ids": ids}
