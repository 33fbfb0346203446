"""Bring a document finished in a CAT tool (XLIFF 1.2) back into the database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.formats.units import xml_safe
from workbench.formats.xliff import XliffDocument, XliffSegment
from workbench.review.saves import save_segment
from workbench.store.db import write_transaction

#: Ids and versions fit SQLite's 64-bit integers: at most 18 digits (a longer number
#: in a hand-edited file is reported as not ours, never an OverflowError).
RESNAME = re.compile(r"^wb:(\d{1,18}):(\d{1,18}):v(\d{1,18})$")


@dataclass
class ReimportReport:
    document_id: int | None = None
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _incoming(row: dict, unit: XliffSegment) -> tuple[str, str]:
    """The target and status the file asks for, seen against the stored segment.

    Why: an unchanged round trip must not rewrite anything. The export drops
    characters XML cannot carry (``xml_safe``), so a stored target that differs
    only by them is the same text (and is kept as stored); a draft identical to
    its source reads back as a source copy and is kept; ``new`` with an edited
    text is a draft (a CAT tool that leaves ``state="new"`` on its edit).
    """
    stored = row["target"] or ""
    if unit.source_copy and stored == row["source"]:
        return stored, row["status"]
    target = stored if xml_safe(stored) == unit.target else unit.target
    status = unit.status
    if status == "new" and target and target != stored:
        status = "draft"
    return target, status


def apply_xliff(db, doc: XliffDocument, author: str) -> ReimportReport:
    """Apply targets and statuses from ``doc`` in one transaction.

    A segment changed in Workbench since the export is a conflict and is left
    alone (reported), as is a unit whose source no longer matches: the CAT
    tool's work never silently overwrites a newer save.
    """
    report = ReimportReport()
    with write_transaction(db):
        for unit in doc.segments:
            match = RESNAME.match(unit.resname or "")
            if not match:
                report.skipped.append(
                    f"unit {unit.id}: not exported by Workbench (no valid wb: resname)"
                )
                continue
            document_id, segment_id, version = map(int, match.groups())
            if report.document_id is None:
                report.document_id = document_id
            elif document_id != report.document_id:
                raise ValueError("the file mixes units of several documents")
            rows = list(
                db["segments"].rows_where("id = ? AND document_id = ?", [segment_id, document_id])
            )
            if not rows:
                report.skipped.append(f"unit {unit.id}: segment {segment_id} no longer exists")
                continue
            row = rows[0]
            if not _same_text(xml_safe(row["source"]), unit.source):
                report.skipped.append(
                    f"unit {unit.id}: the source text differs from segment {segment_id}"
                )
                continue
            target, status = _incoming(row, unit)
            if target == (row["target"] or "") and status == row["status"]:
                report.unchanged += 1
                continue
            if row["version"] != version:
                report.conflicts.append(
                    f"segment {segment_id} was changed in Workbench (version {row['version']},"
                    f" exported {version}); kept the Workbench text"
                )
                continue
            save_segment(
                db,
                segment_id,
                base_version=version,
                author=author,
                target=target,
                status=status,
                action="xliff-import",
            )
            report.updated += 1
    return report
