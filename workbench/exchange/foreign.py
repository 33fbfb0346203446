"""Other tools' XLIFF as a document to post-edit, and back to the same file.

Import keeps the file's bytes (``xliff_originals``) and makes one segment per
unit: source and target as tag text (``<g1>…</g1>``, ``<x2/>``, as OmegaT
shows codes), MT for the units without a target (translated around the codes,
which are put back by position). Export patches only the segments whose
target or status changed since the import into the kept bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from workbench.formats import inline
from workbench.formats.xliff import XliffError
from workbench.formats.xliff_work import Patch, WorkFile, read_work, write_back
from workbench.mt.translator import Translator, get_translator, translate_cached
from workbench.store.db import (
    DuplicateDocument,
    default_project,
    insert_document,
    write_transaction,
)

#: Workbench's own XLIFF carries this resname prefix; other files are foreign.
OWN_MARK = b'resname="wb:'


def is_own_export(data: bytes) -> bool:
    """Workbench's own export (re-imported with ``reimport``), not another tool's file."""
    return OWN_MARK in data or OWN_MARK.decode().encode("utf-16-le") in data


@dataclass
class WorkImport:
    document_id: int
    units: int
    machine_translated: int
    already_imported: bool = False
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _pair(work: WorkFile) -> tuple[str, str]:
    bases = (work.source_lang.split("-")[0], work.target_lang.split("-")[0])
    if set(bases) != {"zh", "en"}:
        raise XliffError(
            f"the file translates {work.source_tag} into {work.target_tag};"
            " Workbench translates between Chinese and English"
        )
    return work.source_lang, work.target_lang


def import_work(
    db,
    path: str | Path,
    *,
    author: str = "cli",
    project: str = "Default",
    translator: Translator | None = None,
) -> WorkImport:
    """Store an XLIFF 1.2/2.0 file from another tool as a document (one transaction).

    MT is done before anything is written; the same file imported twice into
    one project is reported and not stored again.
    """
    data = Path(path).read_bytes()
    work = read_work(data)
    source_lang, target_lang = _pair(work)
    digest = hashlib.sha256(data).hexdigest()
    project_id = default_project(db, project)
    row = db.execute(
        "SELECT id, (SELECT COUNT(*) FROM segments s WHERE s.document_id = d.id)"
        " FROM documents d WHERE content_sha256 = ? AND kind = 'xliff' AND project_id = ?",
        [digest, project_id],
    ).fetchone()
    if row:
        return WorkImport(row[0], row[1], 0, already_imported=True)
    todo = [
        u
        for u in work.units
        if u.translate
        and (u.target is None or not u.target.plain().strip())
        and u.source.plain().strip()
    ]
    mt: dict[str, str] = {}
    if todo:
        base = (source_lang.split("-")[0], target_lang.split("-")[0])
        translator = translator or get_translator(*base)
        plain = [u.source.plain() for u in todo]
        for unit, text in zip(todo, translate_cached(db, translator, plain), strict=True):
            mt[unit.ref] = inline.to_tagtext(
                inline.Coded(inline.reinsert(unit.source, text), unit.source.codes)
            )
    segments = []
    for unit in work.units:
        target = _target_tagtext(unit)
        segments.append(
            {
                "source": inline.to_tagtext(unit.source),
                "target": target,
                "status": unit.status,
                "mt": mt.get(unit.ref),
                "note": unit.note,
                "translate": int(unit.translate),
                "unit_ref": unit.ref,
                "markup": json.dumps(
                    {"source": unit.source.to_json(), "target": target, "status": unit.status},
                    ensure_ascii=False,
                ),
            }
        )
    try:
        # BEGIN IMMEDIATE (a deferred BEGIN fails with "database is locked" under load)
        with write_transaction(db):
            doc_id = insert_document(
                db,
                {
                    "title": Path(path).stem,
                    "filename": Path(path).name,
                    "content_sha256": digest,
                    "source_lang": source_lang,
                    "target_lang": target_lang,
                    "kind": "xliff",
                    "project_id": project_id,
                    "metadata": json.dumps(
                        {
                            "xliff": work.version,
                            "source_tag": work.source_tag,
                            "target_tag": work.target_tag,
                        }
                    ),
                    "mt_model": translator.model.key if translator else None,
                    "mt_tiny": int(translator.model.tiny) if translator else None,
                },
                segments,
                author,
            )
            db["xliff_originals"].insert(
                {
                    "document_id": doc_id,
                    "filename": Path(path).name,
                    "version": work.version,
                    "content": data,
                }
            )
    except DuplicateDocument as done:  # imported meanwhile by another process
        count = db.execute(
            "SELECT COUNT(*) FROM segments WHERE document_id = ?", [done.document_id]
        ).fetchone()[0]
        return WorkImport(done.document_id, count, 0, already_imported=True)
    return WorkImport(doc_id, len(segments), len(mt), warnings=work.warnings)


def _target_tagtext(unit) -> str:
    """The file's target as tag text, its codes numbered as the source's."""
    if unit.target is None:
        return ""
    labels = inline.tag_labels(unit.source.codes)
    by_data = {}
    for i, code in enumerate(unit.source.codes):
        by_data.setdefault((code.kind, code.data), labels[i])
    own = inline.tag_labels(unit.target.codes)
    result, last = [], 0
    for m in inline.PLACEHOLDER.finditer(unit.target.text):
        result.append(unit.target.text[last : m.start()])
        i = inline.index_of(m.group())
        code = unit.target.codes[i]
        result.append(by_data.get((code.kind, code.data), own[i]))
        last = m.end()
    result.append(unit.target.text[last:])
    return "".join(result)


def has_original(db, document_id: int) -> bool:
    return bool(db["xliff_originals"].count_where("document_id = ?", [document_id]))


def export_work(db, document_id: int) -> tuple[bytes, int]:
    """The imported file with the changed targets and states; (bytes, units patched)."""
    original = db["xliff_originals"].get(document_id)
    work = read_work(original["content"])
    patches = []
    for row in db.query(
        "SELECT unit_ref, target, status, markup FROM segments WHERE document_id = ?"
        " AND unit_ref IS NOT NULL AND translate ORDER BY position",
        [document_id],
    ):
        before = json.loads(row["markup"])
        if row["target"] == before["target"] and row["status"] == before["status"]:
            continue
        source = inline.Coded.from_json(before["source"])
        target = inline.from_tagtext(row["target"] or "", source)
        patches.append(Patch(row["unit_ref"], target, row["status"]))
    return write_back(original["content"], work, patches), len(patches)
