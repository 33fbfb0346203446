"""TBX glossaries: read TBX-Basic (TBX 2, ``martif``) and TBX v3 core (``tbx``), write both.

A concept entry (``termEntry`` / ``conceptEntry``) holds one language section
per language (``langSet`` / ``langSec``), each with terms (``tig``, ``ntig``,
``termSec``). One concept becomes one entry for the chosen pair of languages:
the preferred (or first admitted) term of each side is the entry's term, the
other admitted terms its variants, and the target's deprecated or superseded
terms (``administrativeStatus``) its forbidden translations. Part of speech is
the ``partOfSpeech`` term note, the note is every ``note`` (and the definition),
who/when come from the ``transacGrp`` (origination, modification). Case
sensitivity has no TBX-Basic data category: it travels as the term note
``x-caseSensitive``. Language tags are kept as written (zh-CN, zh-TW).
The XML parser resolves no entities and loads no DTD (no network, no billion laughs).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from workbench.formats.atomic import atomic_write
from workbench.terms.entries import Entry, GlossaryError, base

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3_NS = "urn:iso:std:iso:30042:ed-2"
_FORBIDDEN = {
    "deprecatedterm-admn-sts",
    "supersededterm-admn-sts",
    "deprecatedterm",
    "supersededterm",
}
_PREFERRED = {"preferredterm-admn-sts", "preferredterm"}


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(node, *names: str) -> list:
    return [child for child in node if _local(child.tag) in names]


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())


def _note(node) -> str:
    """A note's text with its line breaks kept (one note may hold several lines)."""
    lines = ("".join(node.itertext())).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def read_tbx(
    path: Path, source_lang: str | None = None, target_lang: str | None = None
) -> tuple[list[Entry], list[str]]:
    """Entries of a TBX file (UTF-8 or UTF-16: the XML declaration/BOM says which) and warnings.

    Without languages, the pair is taken from the file: the first Chinese and the
    first English language section (the header's ``xml:lang`` side first).
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        raise GlossaryError(f"{path}: not well-formed XML: {error}") from None
    except OSError as error:
        raise GlossaryError(f"{path}: {error}") from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryError(f"{path}: not a TBX file (root element <{_local(root.tag)}>)")
    concepts = [n for n in root.iter() if _local(n.tag) in ("termEntry", "conceptEntry")]
    langs = _pair(concepts, root.get(XML_LANG), source_lang, target_lang, path)
    entries, warnings = [], []
    for concept in concepts:
        entry = _entry(concept, *langs)
        if entry is None:
            warnings.append(
                f"concept {concept.get('id') or '?'} lacks one of {langs[0]}/{langs[1]}"
            )
        else:
            entries.append(entry)
    return entries, warnings


def _sections(concept) -> dict[str, object]:
    sections = {}
    for section in _children(concept, "langSet", "langSec"):
        sections.setdefault(section.get(XML_LANG) or "", section)
    return sections


def _pair(concepts, header_lang, source_lang, target_lang, path) -> tuple[str, str]:
    seen: list[str] = []
    for concept in concepts:
        seen += [lang for lang in _sections(concept) if lang not in seen]

    def pick(wanted: str | None, fallback_base: str) -> str:
        if wanted:
            exact = [lang for lang in seen if lang.lower() == wanted.lower()]
            same = [lang for lang in seen if base(lang) == base(wanted)]
            if exact or same:
                return (exact or same)[0]
            raise GlossaryError(f"{path}: no terms in {wanted} (the file has {', '.join(seen)})")
        same = [lang for lang in seen if base(lang) == fallback_base]
        if not same:
            raise GlossaryError(
                f"{path}: no {fallback_base} terms (the file has {', '.join(seen)})"
            )
        return same[0]

    first = "en" if header_lang and base(header_lang) == "en" else "zh"
    src = pick(source_lang, first)
    tgt = pick(target_lang, "en" if base(src) == "zh" else "zh")
    return src, tgt


def _terms(section) -> list[dict]:
    """Each term of a language section with its status, part of speech and notes."""
    found = []
    for holder in _children(section, "tig", "ntig", "termSec"):
        group = (_children(holder, "termGrp") or [holder])[0]
        term = next((n for n in group if _local(n.tag) == "term"), None)
        if term is None or not _text(term):
            continue
        notes = {}
        for note in holder.iter():
            if _local(note.tag) == "termNote":
                notes[note.get("type") or ""] = _text(note)
        found.append(
            {
                "text": _text(term),
                "status": notes.get("administrativeStatus", "").lower(),
                "pos": notes.get("partOfSpeech") or None,
                "case": notes.get("x-caseSensitive", "").lower() in ("yes", "true", "1"),
            }
        )
    return found


def _entry(concept, src: str, tgt: str) -> Entry | None:
    sections = _sections(concept)
    if src not in sections or tgt not in sections:
        return None
    sources = [t for t in _terms(sections[src]) if t["status"] not in _FORBIDDEN]
    targets = _terms(sections[tgt])
    allowed = [t for t in targets if t["status"] not in _FORBIDDEN]
    if not sources:
        return None
    sources.sort(key=lambda t: t["status"] not in _PREFERRED)
    allowed.sort(key=lambda t: t["status"] not in _PREFERRED)
    head = sources[0]
    notes = [_note(n) for n in concept.iter() if _local(n.tag) == "note"]
    notes += [
        _text(n)
        for n in concept.iter()
        if _local(n.tag) == "descrip" and n.get("type") == "definition"
    ]
    dates = {}
    for group in (n for n in concept.iter() if _local(n.tag) == "transacGrp"):
        kind = next((_text(n) for n in group if _local(n.tag) == "transac"), "")
        dates[kind] = (
            next((_text(n) for n in group if _local(n.tag) == "date"), None),
            next((_text(n) for n in group if _local(n.tag) == "transacNote"), None),
        )
    created = dates.get("origination", (None, None))
    changed = dates.get("modification", created)
    return Entry(
        source=head["text"],
        target=allowed[0]["text"] if allowed else "",
        source_lang=src,
        target_lang=tgt,
        source_variants=[t["text"] for t in sources[1:]],
        target_variants=[t["text"] for t in allowed[1:]],
        forbidden=[t["text"] for t in targets if t["status"] in _FORBIDDEN],
        pos=head["pos"] or (allowed[0]["pos"] if allowed else None),
        note="\n".join(dict.fromkeys(n for n in notes if n)) or None,
        case_sensitive=head["case"] or any(t["case"] for t in allowed),
        created_at=created[0],
        created_by=created[1],
        updated_at=changed[0],
        updated_by=changed[1],
    )


def write_tbx(
    path: Path, entries: Iterable[Entry], version: int = 2, encoding: str = "utf-8"
) -> int:
    """Write ``entries`` as TBX-Basic (``version`` 2, ``martif``) or TBX v3 core (3); atomically.

    Returns the number of concepts written. ``encoding`` "utf-16" writes a BOM.
    """
    entries = list(entries)
    v3 = version == 3
    ns = f"{{{TBX3_NS}}}" if v3 else ""
    names = {
        "root": "tbx" if v3 else "martif",
        "header": "tbxHeader" if v3 else "martifHeader",
        "concept": "conceptEntry" if v3 else "termEntry",
        "lang": "langSec" if v3 else "langSet",
        "term": "termSec" if v3 else "tig",
    }
    first = entries[0].source_lang if entries else "en"
    root = etree.Element(ns + names["root"], nsmap={None: TBX3_NS} if v3 else None)
    root.set("type", "TBX-Basic")
    if v3:
        root.set("style", "dca")
    root.set(XML_LANG, first)
    header = etree.SubElement(root, ns + names["header"])
    desc = etree.SubElement(etree.SubElement(header, ns + "fileDesc"), ns + "sourceDesc")
    etree.SubElement(desc, ns + "p").text = "Workbench glossary"
    body = etree.SubElement(etree.SubElement(root, ns + "text"), ns + "body")

    def add_term(section, text: str, status: str, entry: Entry, head: bool) -> None:
        holder = etree.SubElement(section, ns + names["term"])
        etree.SubElement(holder, ns + "term").text = text
        if head and entry.pos:
            note = etree.SubElement(holder, ns + "termNote", type="partOfSpeech")
            note.text = entry.pos
        etree.SubElement(holder, ns + "termNote", type="administrativeStatus").text = status
        if head and entry.case_sensitive:
            etree.SubElement(holder, ns + "termNote", type="x-caseSensitive").text = "yes"

    for number, entry in enumerate(entries, 1):
        concept = etree.SubElement(body, ns + names["concept"], id=f"c{entry.id or number}")
        if entry.note:
            etree.SubElement(concept, ns + "note").text = entry.note
        for kind, (when, who) in (
            ("origination", (entry.created_at, entry.created_by)),
            ("modification", (entry.updated_at, entry.updated_by)),
        ):
            if when:
                group = etree.SubElement(concept, ns + "transacGrp")
                etree.SubElement(group, ns + "transac", type="transactionType").text = kind
                etree.SubElement(group, ns + "date").text = when
                if who:
                    etree.SubElement(group, ns + "transacNote", type="responsibility").text = who
        source = etree.SubElement(concept, ns + names["lang"])
        source.set(XML_LANG, entry.source_lang)
        add_term(source, entry.source, "preferredTerm-admn-sts", entry, True)
        for variant in entry.source_variants:
            add_term(source, variant, "admittedTerm-admn-sts", entry, False)
        target = etree.SubElement(concept, ns + names["lang"])
        target.set(XML_LANG, entry.target_lang)
        if entry.target:
            add_term(target, entry.target, "preferredTerm-admn-sts", entry, True)
        for variant in entry.target_variants:
            add_term(target, variant, "admittedTerm-admn-sts", entry, False)
        for wrong in entry.forbidden:
            add_term(target, wrong, "deprecatedTerm-admn-sts", entry, False)
    data = etree.tostring(root, xml_declaration=False, pretty_print=True, encoding="unicode")
    doctype = "" if v3 else '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
    text = f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n{doctype}{data}'
    with atomic_write(path, "wb") as handle:
        handle.write(text.encode(encoding))  # Python's utf-16 codec writes the BOM
    return len(entries)
