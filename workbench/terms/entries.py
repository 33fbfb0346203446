"""Glossary entries in the database: add, merge, list, delete, orient to a document.

One entry is a concept in two languages: a preferred source term and target
term, other acceptable forms on either side (variants), translations that must
not be used (forbidden), part of speech, note, case sensitivity, and who
added/changed it when. Entries with no project belong to the shared glossary
every project sees. The same entry serves both directions: a zh→en entry also
tells an en→zh document how to render the English term (see :func:`oriented`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from workbench.store.db import now, write_transaction


class GlossaryError(ValueError):
    """Bad glossary input: the message says what and where."""


@dataclass
class Entry:
    """One glossary entry; ``project_id`` None means the shared glossary."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    source_variants: list[str] = field(default_factory=list)
    target_variants: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    pos: str | None = None
    note: str | None = None
    case_sensitive: bool = False
    project_id: int | None = None
    origin: str | None = None
    created_by: str | None = None
    created_at: str | None = None
    updated_by: str | None = None
    updated_at: str | None = None
    id: int | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Term:
    """An entry seen from a document's direction: what to find and what to expect."""

    entry_id: int
    source: str  # the preferred form on the document's source side
    source_forms: tuple[str, ...]  # every form to recognise in the source
    translations: tuple[str, ...]  # acceptable target forms, preferred first
    forbidden: tuple[str, ...]
    case_sensitive: bool
    note: str | None = None
    pos: str | None = None


class Terms(tuple):
    """A document's terms. What matching builds from them (the index of first words that
    ``recognise.find_terms`` uses) is kept on the object, built once however many
    segments are checked against it."""

    def __new__(cls, terms: Iterable[Term] = ()) -> Terms:
        made = super().__new__(cls, terms)
        made.built = {}
        return made


@dataclass
class ImportStats:
    added: int = 0
    updated: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def base(lang: str) -> str:
    """zh-CN, zh-TW, zh-Hans → zh; en-US → en (tags are kept as written, compared by base)."""
    return (lang or "").replace("_", "-").split("-")[0].lower()


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _unique(items: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    seen = set(exclude)
    out = []
    for item in map(_clean, items):
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def save(db: sqlite_utils.Database, entry: Entry, author: str | None = None) -> tuple[int, str]:
    """Add ``entry`` or merge it into the entry with the same terms; (id, "added"|"updated").

    Merging keeps every form already there and fills pos/note/case when given.
    The caller owns the transaction (``import_entries`` wraps many in one).
    """
    source, target = _clean(entry.source), _clean(entry.target)
    if not source:
        raise GlossaryError("a glossary entry needs a source term")
    if not entry.source_lang or not entry.target_lang:
        raise GlossaryError(f"entry {source!r}: both languages are needed")
    if base(entry.source_lang) == base(entry.target_lang):
        raise GlossaryError(f"entry {source!r}: source and target language are the same")
    stamp = now()
    existing = db.execute(
        "SELECT id FROM terms WHERE ifnull(project_id, 0) = ifnull(?, 0) AND source_lang = ?"
        " AND target_lang = ? AND source = ? AND target = ?",
        [entry.project_id, entry.source_lang, entry.target_lang, source, target],
    ).fetchone()
    if existing:
        term_id, action = existing[0], "updated"
        db.execute(
            "UPDATE terms SET pos = coalesce(?, pos), note = coalesce(?, note),"
            " case_sensitive = max(case_sensitive, ?), updated_by = ?, updated_at = ? WHERE id = ?",
            [
                entry.pos or None,
                entry.note or None,
                int(entry.case_sensitive),
                author,
                stamp,
                term_id,
            ],
        )
    else:
        action = "added"
        term_id = (
            db["terms"]
            .insert(
                {
                    "project_id": entry.project_id,
                    "source_lang": entry.source_lang,
                    "target_lang": entry.target_lang,
                    "source": source,
                    "target": target,
                    "pos": entry.pos or None,
                    "note": entry.note or None,
                    "case_sensitive": int(entry.case_sensitive),
                    "origin": entry.origin,
                    "created_by": entry.created_by or author,
                    "created_at": entry.created_at or stamp,
                    "updated_by": author,
                    "updated_at": entry.updated_at or stamp,
                }
            )
            .last_pk
        )
    forms = [("source", "variant", t) for t in _unique(entry.source_variants, [source])]
    forms += [("target", "variant", t) for t in _unique(entry.target_variants, [target])]
    forms += [("target", "forbidden", t) for t in _unique(entry.forbidden)]
    for side, kind, text in forms:
        db.execute(
            "INSERT OR IGNORE INTO term_forms (term_id, side, kind, text) VALUES (?, ?, ?, ?)",
            [term_id, side, kind, text],
        )
    return term_id, action


def import_entries(
    db: sqlite_utils.Database, entries: Iterable[Entry], author: str | None = None
) -> ImportStats:
    """Save many entries in one transaction: a bad entry leaves the glossary untouched."""
    stats = ImportStats()
    with write_transaction(db):
        for entry in entries:
            if not _clean(entry.source) or not (_clean(entry.target) or entry.forbidden):
                stats.skipped += 1
                continue
            _, action = save(db, entry, author)
            setattr(stats, action, getattr(stats, action) + 1)
    return stats


def delete(db: sqlite_utils.Database, term_id: int) -> bool:
    with write_transaction(db):
        db.execute("DELETE FROM term_forms WHERE term_id = ?", [term_id])
        return db.execute("DELETE FROM terms WHERE id = ?", [term_id]).rowcount > 0


def entries(
    db: sqlite_utils.Database,
    project_id: int | None,
    include_shared: bool = True,
    langs: tuple[str, str] | None = None,
) -> list[Entry]:
    """A project's entries (and the shared ones unless ``include_shared`` is off);
    ``project_id`` None lists the shared glossary alone. ``langs`` keeps entries of
    that language pair in either direction (base languages)."""
    if project_id is None:
        where, params = "project_id IS NULL", []
    elif include_shared:
        where, params = "(project_id = ? OR project_id IS NULL)", [project_id]
    else:
        where, params = "project_id = ?", [project_id]
    rows = list(db.query(f"SELECT * FROM terms WHERE {where} ORDER BY source, id", params))
    forms: dict[int, list[dict]] = {}
    if rows:
        marks = ",".join("?" * len(rows))
        for form in db.query(
            f"SELECT * FROM term_forms WHERE term_id IN ({marks}) ORDER BY id",
            [r["id"] for r in rows],
        ):
            forms.setdefault(form["term_id"], []).append(form)
    out = []
    for row in rows:
        if langs and {base(row["source_lang"]), base(row["target_lang"])} != set(map(base, langs)):
            continue
        mine = forms.get(row["id"], [])
        out.append(
            Entry(
                **{k: row[k] for k in row if k != "case_sensitive"},
                case_sensitive=bool(row["case_sensitive"]),
                source_variants=[f["text"] for f in mine if f["side"] == "source"],
                target_variants=[
                    f["text"] for f in mine if f["side"] == "target" and f["kind"] == "variant"
                ],
                forbidden=[f["text"] for f in mine if f["kind"] == "forbidden"],
            )
        )
    return out


def oriented(entry_list: Iterable[Entry], source_lang: str, target_lang: str) -> Terms:
    """Entries as terms to look for in a ``source_lang`` text translated to ``target_lang``.

    A reversed entry (en→zh entry, zh→en document) is read backwards; its
    forbidden forms then say nothing about the other side and are dropped.
    """
    src, tgt = base(source_lang), base(target_lang)
    terms = []
    for e in entry_list:
        if (base(e.source_lang), base(e.target_lang)) == (src, tgt):
            forms = (e.source, *e.source_variants)
            translations = tuple(t for t in (e.target, *e.target_variants) if t)
            forbidden = tuple(e.forbidden)
        elif (base(e.source_lang), base(e.target_lang)) == (tgt, src) and e.target:
            forms = (e.target, *e.target_variants)
            translations = (e.source, *e.source_variants)
            forbidden = ()
        else:
            continue
        terms.append(
            Term(
                e.id or 0, forms[0], forms, translations, forbidden, e.case_sensitive, e.note, e.pos
            )
        )
    return Terms(terms)


def project_id(db: sqlite_utils.Database, name: str | None, create: bool = False) -> int | None:
    """The id of project ``name`` (None for the shared glossary); GlossaryError if unknown."""
    if not name:
        return None
    row = db.execute("SELECT id FROM projects WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    if not create:
        raise GlossaryError(f"no project named {name!r}")
    return db["projects"].insert({"name": name, "created_at": now()}).last_pk


def for_document(db: sqlite_utils.Database, document: dict) -> Terms:
    """The terms a document's segments are checked against: its project's and the shared."""
    found = entries(
        db, document.get("project_id"), langs=(document["source_lang"], document["target_lang"])
    )
    return oriented(found, document["source_lang"], document["target_lang"])


def version(db: sqlite_utils.Database) -> int:
    """The glossary's change counter (migration 7's triggers): unchanged, same terms."""
    row = db.execute("SELECT version FROM glossary_version").fetchone()
    return row[0] if row else 0


class KeptTerms:
    """Each document direction's terms, kept between requests until the glossary changes.

    Loading and indexing a glossary of thousands of terms costs far more than a save;
    the server did it on every save and every page. One read of the change counter
    (bumped by triggers, whichever process writes) says whether the kept terms still
    hold. Bounded: the directions least recently loaded go first.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.kept: dict[tuple, tuple[int, Terms]] = {}
        self.lock = threading.Lock()

    def for_document(self, db: sqlite_utils.Database, document: dict) -> Terms:
        key = (document.get("project_id"), document["source_lang"], document["target_lang"])
        now_version = version(db)
        with self.lock:
            found = self.kept.get(key)
        if found is not None and found[0] == now_version:
            return found[1]
        terms = for_document(db, document)
        with self.lock:
            self.kept.pop(key, None)
            self.kept[key] = (now_version, terms)
            while len(self.kept) > self.size:
                self.kept.pop(next(iter(self.kept)))
        return terms
