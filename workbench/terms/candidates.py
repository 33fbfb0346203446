"""Term candidates grown from the work, kept for a reviewer to accept, edit or reject.

The pairs are the project's approved segments and the segments of its aligned
documents (a human translation, even before approval). Candidates already
decided are never proposed again; accepting one adds it to the project's
glossary.
"""

from __future__ import annotations

import sqlite_utils

from workbench.store.db import now, write_transaction
from workbench.terms import entries as glossary
from workbench.terms.extract import MIN_FREQUENCY, extract

ACTIONS = ("accept", "reject")


def work_pairs(db: sqlite_utils.Database, project_id: int | None) -> dict[tuple[str, str], list]:
    """(source, target) pairs per (source_lang, target_lang) of the project's documents."""
    rows = db.execute(
        "SELECT d.source_lang, d.target_lang, s.source, s.target FROM segments s"
        " JOIN documents d ON d.id = s.document_id"
        " WHERE ifnull(d.project_id, 0) = ifnull(?, 0) AND s.translate AND s.target != ''"
        " AND (s.status = 'approved' OR d.kind = 'aligned') ORDER BY d.id, s.position",
        [project_id],
    ).fetchall()
    pairs: dict[tuple[str, str], list] = {}
    for source_lang, target_lang, source, target in rows:
        pairs.setdefault((source_lang, target_lang), []).append((source, target))
    return pairs


def refresh(
    db: sqlite_utils.Database, project_id: int | None, min_frequency: int = MIN_FREQUENCY
) -> list[dict]:
    """Extract again and store the new candidates; returns those waiting for review."""
    known = {e.source for e in glossary.entries(db, project_id)}
    stamp = now()
    with write_transaction(db):
        for (src, tgt), pairs in work_pairs(db, project_id).items():
            for c in extract(pairs, src, tgt, min_frequency=min_frequency, known=sorted(known)):
                db.execute(
                    "INSERT INTO term_candidates (project_id, source_lang, target_lang, source,"
                    " target, frequency, score, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
                    " 'new', ?) ON CONFLICT DO UPDATE SET frequency = excluded.frequency,"
                    " score = excluded.score WHERE status = 'new'",
                    [project_id, src, tgt, c.source, c.target, c.frequency, c.dice, stamp],
                )
    return pending(db, project_id)


def pending(db: sqlite_utils.Database, project_id: int | None) -> list[dict]:
    return list(
        db.query(
            "SELECT id, source_lang, target_lang, source, target, frequency, score"
            " FROM term_candidates WHERE ifnull(project_id, 0) = ifnull(?, 0) AND status = 'new'"
            " ORDER BY score DESC, frequency DESC, id",
            [project_id],
        )
    )


def decide(
    db: sqlite_utils.Database,
    candidate_id: int,
    action: str,
    author: str,
    source: str | None = None,
    target: str | None = None,
) -> dict:
    """Accept (with ``source``/``target`` edited if given) or reject one candidate."""
    if action not in ACTIONS:
        raise glossary.GlossaryError(f"action must be one of {', '.join(ACTIONS)}")
    found = list(db.query("SELECT * FROM term_candidates WHERE id = ?", [candidate_id]))
    if not found:
        raise glossary.GlossaryError(f"no candidate {candidate_id}")
    row = found[0]
    if row["status"] != "new":
        raise glossary.GlossaryError(f"candidate {candidate_id} was already {row['status']}")
    result = {"id": candidate_id, "status": "accepted" if action == "accept" else "rejected"}
    with write_transaction(db):
        if action == "accept":
            entry = glossary.Entry(
                source=(source or row["source"]).strip(),
                target=(target or row["target"]).strip(),
                source_lang=row["source_lang"],
                target_lang=row["target_lang"],
                project_id=row["project_id"],
                origin="extracted",
            )
            result["term_id"], _ = glossary.save(db, entry, author)
        db.execute(
            "UPDATE term_candidates SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            [result["status"], author, now(), candidate_id],
        )
    return result
