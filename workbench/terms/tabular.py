"""Glossaries as CSV/TSV in the column layouts of OmegaT and MateCat.

OmegaT: one entry per line, ``source<TAB>target<TAB>comment`` (the comment is
optional; a ``.csv`` glossary uses commas with the same columns); no header;
lines starting with ``#`` are comments.

MateCat: a header row; concept-level columns ``Forbidden``, ``Domain``,
``Subdomain``, ``Definition``, then per language a locale column (``zh-CN``,
``en-US`` …) followed by its term-level ``Notes`` and ``Example of use``.
``Forbidden`` TRUE makes the row's target a forbidden translation.

Input may be UTF-8 (with or without BOM) or UTF-16 (with BOM); output is UTF-8
with a BOM (spreadsheets need it for Chinese) or UTF-16 on request.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from workbench.formats.atomic import atomic_write
from workbench.terms.entries import Entry, GlossaryError, base

LAYOUTS = ("omegat", "matecat")
MATECAT_CONCEPT = ("Forbidden", "Domain", "Subdomain", "Definition")
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
#: Bigger files are refused: a glossary is not a corpus, and it is read into memory.
MAX_BYTES = 50_000_000


def decode(data: bytes, name: str) -> str:
    """UTF-8 or UTF-16 text (BOM, or NUL bytes betraying UTF-16 without one)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif len(data) > 1 and data[1:2] == b"\0":
        encoding = "utf-16-le"
    elif data[:1] == b"\0":
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise GlossaryError(
            f"{name}: not {encoding.upper()} text at byte {error.start}; save it as UTF-8 or UTF-16"
        ) from None


def read_table(
    path: Path,
    layout: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> list[Entry]:
    """Entries of a glossary table; the layout is guessed from the header when not given.

    OmegaT files carry no languages: ``source_lang``/``target_lang`` are needed.
    """
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise GlossaryError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB")
    text = decode(data, str(path))
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first or path.suffix.lower() in (".tsv", ".txt", ".utf8") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if layout is None:
        head = [c.strip() for c in rows[0]] if rows else []
        layout = "matecat" if head[:1] == ["Forbidden"] or _locale_columns(head) else "omegat"
    if layout == "matecat":
        return merge_by_source(_read_matecat(rows, source_lang, target_lang, path))
    if layout != "omegat":
        raise GlossaryError(f"unknown layout {layout!r} (choose {', '.join(LAYOUTS)})")
    if not source_lang or not target_lang:
        raise GlossaryError(f"{path}: an OmegaT glossary has no languages; give --from and --to")
    entries = []
    for number, row in enumerate(rows, 1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) < 2:
            raise GlossaryError(f"{path}:{number}: expected source, target and a comment")
        entries.append(
            Entry(
                source=row[0],
                target=row[1],
                source_lang=source_lang,
                target_lang=target_lang,
                note=(row[2].strip() or None) if len(row) > 2 else None,
            )
        )
    return merge_by_source(entries)


def merge_by_source(entries: list[Entry]) -> list[Entry]:
    """Rows sharing a source term are one entry: the first target is preferred, the
    others its variants, forbidden ones collected (both layouts write one row each)."""
    merged: dict[tuple[str, str, str], Entry] = {}
    for e in entries:
        key = (e.source.strip(), e.source_lang, e.target_lang)
        if key not in merged:
            merged[key] = e
            continue
        into = merged[key]
        if e.target and not into.target:
            into.target = e.target
        elif e.target and e.target != into.target and e.target not in into.target_variants:
            into.target_variants.append(e.target)
        into.forbidden += [f for f in e.forbidden if f not in into.forbidden]
        if e.note and e.note != into.note:
            into.note = f"{into.note}\n{e.note}" if into.note else e.note
    return list(merged.values())


def _locale_columns(head: list[str]) -> list[int]:
    concept = {c.lower() for c in MATECAT_CONCEPT} | {"notes", "example of use"}
    return [i for i, c in enumerate(head) if _LOCALE.match(c) and c.lower() not in concept]


def _read_matecat(rows, source_lang, target_lang, path) -> list[Entry]:
    if not rows:
        return []
    head = [c.strip() for c in rows[0]]
    locales = _locale_columns(head)
    if len(locales) < 2:
        raise GlossaryError(f"{path}: a MateCat glossary needs at least two locale columns")

    def column(wanted: str | None, fallback: str) -> int:
        for want, exact in ((wanted, True), (wanted, False), (fallback, False)):
            for i in locales:
                if want and (
                    head[i].lower() == want.lower() if exact else base(head[i]) == base(want)
                ):
                    return i
        raise GlossaryError(
            f"{path}: no {wanted or fallback} column (has {[head[i] for i in locales]})"
        )

    src = column(source_lang, "zh")
    tgt = column(target_lang, "en" if base(head[src]) == "zh" else "zh")
    lower = [c.lower() for c in head]

    def cell(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    def after(index: int, name: str) -> int | None:
        nxt = index + 1
        return nxt if nxt < len(head) and lower[nxt] == name else None

    forbidden_col = lower.index("forbidden") if "forbidden" in lower else None
    definition_col = lower.index("definition") if "definition" in lower else None
    entries = []
    for row in rows[1:]:
        source, target = cell(row, src), cell(row, tgt)
        if not source:
            continue
        forbidden = cell(row, forbidden_col).upper() in ("TRUE", "1", "YES")
        notes = [
            cell(row, definition_col),
            cell(row, after(src, "notes")),
            cell(row, after(tgt, "notes")),
        ]
        entries.append(
            Entry(
                source=source,
                target="" if forbidden else target,
                forbidden=[target] if forbidden and target else [],
                source_lang=head[src],
                target_lang=head[tgt],
                note="\n".join(n for n in notes if n) or None,
            )
        )
    return entries


def write_table(
    path: Path, entries: Iterable[Entry], layout: str = "omegat", encoding: str = "utf-8"
) -> int:
    """Write a glossary table atomically; returns the rows written (forbidden ones included).

    OmegaT rows hold each target variant on a line of its own (OmegaT shows them
    all); forbidden translations have no OmegaT column and go in the comment.
    """
    entries = list(entries)
    buffer = io.StringIO(newline="")
    rows: list[list[str]] = []
    if layout == "omegat":
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        for e in entries:
            comment = (e.note or "").replace("\n", " ")
            if e.forbidden:
                comment = (comment + " " if comment else "") + "Not: " + "; ".join(e.forbidden)
            for target in [e.target, *e.target_variants]:
                if target:
                    rows.append([e.source, target, comment])
    elif layout == "matecat":
        writer = csv.writer(buffer, lineterminator="\r\n")
        src = entries[0].source_lang if entries else "zh-CN"
        tgt = entries[0].target_lang if entries else "en-US"
        rows.append(
            [*MATECAT_CONCEPT, src, "Notes", "Example of use", tgt, "Notes", "Example of use"]
        )
        for e in entries:
            note = (e.note or "").replace("\n", " ")
            for target in [e.target, *e.target_variants]:
                if target:
                    rows.append(["FALSE", "", "", note, e.source, "", "", target, "", ""])
            for wrong in e.forbidden:
                rows.append(["TRUE", "", "", note, e.source, "", "", wrong, "", ""])
    else:
        raise GlossaryError(f"unknown layout {layout!r} (choose {', '.join(LAYOUTS)})")
    writer.writerows(rows)
    data = buffer.getvalue()
    raw = (
        data.encode("utf-16")
        if encoding.lower().replace("-", "") == "utf16"
        else data.encode("utf-8-sig")
    )
    with atomic_write(path, "wb") as handle:
        handle.write(raw)
    return len(rows) - (1 if layout == "matecat" else 0)
