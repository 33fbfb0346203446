"""XLIFF 1.2 export of one document and re-import after editing in a CAT tool.

Status mapping (ours → XLIFF 1.2 ``<target state>``), chosen so that other
tools show the right thing and our own files round-trip exactly:

=========== ===================================== =================================
ours        written                               why
=========== ===================================== =================================
new         empty: the source copied as target     nothing done yet; OmegaT 3.6
            with ``state="needs-translation"``     translates the *target*, skips
            (none with ``copy_source=False``);     a unit without one (XLIFF 1.2:
            with text: ``state="new"``             "needs to be translated")
draft       ``state="needs-translation"``          text present but not confirmed
translated  ``state="translated"``                 translator done, awaiting review
approved    ``state="signed-off"`` + ``approved``  reviewed; ``approved="yes"`` is
            ``="yes"`` on ``<trans-unit>``         what OmegaT/memoQ/Weblate read
rejected    ``state="needs-review-translation"``   reviewer sent it back
=========== ===================================== =================================

Reading is tolerant, in this order of precedence:

1. ``approved="yes"`` with a non-empty target → approved.
2. memoQ's ``mq:status`` (NotStarted, PartiallyEdited, ManuallyConfirmed,
   Proofread, Rejected …) when present.
3. ``state``: ``signed-off``/``final`` → approved; ``translated`` → translated;
   ``needs-review-*`` → rejected; ``new``/``needs-translation``/``needs-l10n``/
   ``needs-adaptation`` → draft if the target has text, else new; ``new``
   stays new (our own untouched segment with a pre-filled text; a re-import
   that finds the text changed saves it as a draft).
4. No (or an unknown) state: a non-empty target → translated, else new
   (tools such as OmegaT write targets without states).
5. A target that is the source copied, with ``state`` ``new`` or
   ``needs-translation``, is untranslated: it reads as ``""``/new and is
   flagged ``source_copy`` (the state tells it is no translation).

The MT suggestion travels as ``<alt-trans origin="Workbench MT">``; on import
an ``alt-trans`` counts as MT when its ``origin`` or ``tool-id`` names MT
(``mt``, ``machine``); TM matches from other tools are ignored.  Inline tags
follow the TMX rule (see ``workbench.tmx``), extended with XLIFF's own
elements: ``g`` and ``mrk`` keep their content; ``x``/``bx``/``ex`` are empty
placeholders and vanish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO

from lxml import etree

from workbench import __version__
from workbench.formats.tmx_write import XML_LANG
from workbench.formats.units import (
    DEFAULT_LANG_TAGS,
    STATUSES,
    InterchangeError,
    normalize_lang,
    xml_safe,
)
from workbench.formats.xmlio import (
    Output,
    Source,
    check_prolog,
    inline_text,
    open_output,
    open_source,
    refuse_entity_declarations,
    release,
    safe_iterparse,
    syntax_error,
)

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MT_ORIGIN = "Workbench MT"

#: XLIFF 1.2 inline elements whose content is native code (dropped).
CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut", "sub", "x", "bx", "ex"})

STATUS_TO_STATE: dict[str, str] = {
    "new": "new",
    "draft": "needs-translation",
    "translated": "translated",
    "approved": "signed-off",
    "rejected": "needs-review-translation",
}

_STATE_TO_STATUS: dict[str, str] = {
    "final": "approved",
    "signed-off": "approved",
    "translated": "translated",
    "needs-review-translation": "rejected",
    "needs-review-l10n": "rejected",
    "needs-review-adaptation": "rejected",
    "new": "draft",  # other tools' files; our own reader keeps "new" (see _status())
    "needs-translation": "draft",
    "needs-l10n": "draft",
    "needs-adaptation": "draft",
}

_MEMOQ_STATUS: dict[str, str] = {
    "notstarted": "new",
    "editing": "draft",
    "partiallyedited": "draft",
    "pretranslated": "draft",
    "machinetranslated": "draft",
    "assembledfromfragments": "draft",
    "manuallyconfirmed": "translated",
    "proofread": "approved",
    "reviewer1confirmed": "approved",
    "reviewer2confirmed": "approved",
    "rejected": "rejected",
}

_MT_ORIGIN_RE = re.compile(r"(^|[^a-z])(mt|machine)([^a-z]|$)", re.IGNORECASE)


class XliffError(InterchangeError):
    """An XLIFF file that cannot be imported (malformed, hostile or not XLIFF 1.x)."""


@dataclass
class XliffSegment:
    """One trans-unit: our segment id, texts, review status, MT suggestion and note."""

    id: str
    source: str
    target: str = ""
    status: str = "new"
    mt: str | None = None
    note: str | None = None
    resname: str | None = None
    #: Read back as a copy of the source waiting for translation (target ``""``, new).
    source_copy: bool = field(default=False, compare=False)


@dataclass
class XliffDocument:
    """One document (one ``<file>``); languages are stored codes ("en", "zh")."""

    original: str
    source_lang: str = "en"
    target_lang: str = "zh"
    segments: list[XliffSegment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # filled by read_xliff
    notes: list[str] = field(default_factory=list)  # about the whole file: header <note>s


def _q(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


def write_xliff(
    doc: XliffDocument,
    out: Output,
    *,
    lang_tags: dict[str, str] | None = None,
    tool_version: str = __version__,
    copy_source: bool = True,
) -> int:
    """Write ``doc`` as XLIFF 1.2 to a binary stream or (atomically) to a path.

    An untranslated unit gets the source text as target with
    ``state="needs-translation"`` (XLIFF 1.2: "the item needs to be
    translated"), the form OmegaT 3.6 needs: its XLIFF filter translates the
    *target*, so a unit without one is never offered to the translator. Such a
    copy reads back as untranslated. ``copy_source=False`` omits the target of
    an untranslated unit instead (for tools that show a copy as translated).

    Every trans-unit carries ``xml:space="preserve"`` so CAT tools keep leading
    and trailing spaces.  Raises ``ValueError`` for a status we do not know,
    before anything is written.  Returns the number of trans-units.
    """
    tags = dict(DEFAULT_LANG_TAGS if lang_tags is None else lang_tags)
    for seg in doc.segments:
        if seg.status not in STATUS_TO_STATE:
            raise ValueError(
                f"segment {seg.id!r}: unknown status {seg.status!r} (expected {STATUSES})"
            )
    src_tag = xml_safe(tags.get(doc.source_lang, doc.source_lang))
    tgt_tag = xml_safe(tags.get(doc.target_lang, doc.target_lang))
    file_attrs = {
        "original": xml_safe(doc.original),
        "source-language": src_tag,
        "target-language": tgt_tag,
        "datatype": "plaintext",
        "tool-id": "workbench",
    }
    header = etree.Element(_q("header"), nsmap={None: XLIFF_NS})
    tool = {
        "tool-id": "workbench",
        "tool-name": "Workbench",
        "tool-version": xml_safe(tool_version),
    }
    etree.SubElement(header, _q("tool"), tool)
    for note in doc.notes:  # after <tool>: the header's content model allows either order
        etree.SubElement(header, _q("note")).text = xml_safe(note)
    root_attrs = {"version": "1.2"}
    count = 0
    with open_output(out) as fh:
        fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        with (
            etree.xmlfile(fh, encoding="utf-8") as xf,
            xf.element(_q("xliff"), root_attrs, nsmap={None: XLIFF_NS}),
        ):
            xf.write("\n")
            with xf.element(_q("file"), file_attrs):
                xf.write("\n")
                xf.write(header, pretty_print=True)
                with xf.element(_q("body")):
                    xf.write("\n")
                    for seg in doc.segments:
                        unit = _trans_unit(seg, src_tag, tgt_tag, copy_source)
                        xf.write(unit, pretty_print=True)
                        count += 1
                xf.write("\n")
            xf.write("\n")
        fh.write(b"\n")
    return count


def _trans_unit(
    seg: XliffSegment, src_tag: str, tgt_tag: str, copy_source: bool = False
) -> etree._Element:
    attrs = {"id": xml_safe(seg.id)}
    if seg.resname is not None:
        attrs["resname"] = xml_safe(seg.resname)
    if seg.status == "approved":
        attrs["approved"] = "yes"
    attrs[XML_SPACE] = "preserve"
    tu = etree.Element(_q("trans-unit"), attrs, nsmap={None: XLIFF_NS})
    etree.SubElement(tu, _q("source"), {XML_LANG: src_tag}).text = xml_safe(seg.source)
    if seg.target:  # never an empty <target>: OmegaT 3.6 finds nothing to translate in it
        target = etree.SubElement(
            tu, _q("target"), {XML_LANG: tgt_tag, "state": STATUS_TO_STATE[seg.status]}
        )
        target.text = xml_safe(seg.target)
    elif copy_source:
        target = etree.SubElement(
            tu, _q("target"), {XML_LANG: tgt_tag, "state": COPIED_SOURCE_STATE}
        )
        target.text = xml_safe(seg.source)
    if seg.mt is not None:
        alt = etree.SubElement(tu, _q("alt-trans"), {"origin": MT_ORIGIN})
        etree.SubElement(alt, _q("target"), {XML_LANG: tgt_tag}).text = xml_safe(seg.mt)
    if seg.note is not None:
        etree.SubElement(tu, _q("note")).text = xml_safe(seg.note)
    return tu


# --------------------------------------------------------------------------- input


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and _local(c) == name]


def _text(el: etree._Element) -> str:
    return inline_text(el, CODE_ELEMENTS, XliffError)


def _memoq_status(tu: etree._Element) -> str | None:
    for name, value in tu.attrib.items():
        q = etree.QName(name)
        if q.localname == "status" and q.namespace and "mqxliff" in q.namespace.lower():
            return _MEMOQ_STATUS.get(value.strip().lower())
    return None


def _status(tu: etree._Element, target: etree._Element | None, text: str) -> str:
    has_text = bool(text.strip())
    if not has_text:
        return "new"
    if (tu.get("approved") or "").strip().lower() == "yes":
        return "approved"
    memoq = _memoq_status(tu)
    if memoq is not None:
        return memoq
    state = (target.get("state") or "").strip().lower() if target is not None else ""
    if state == "new":  # our untouched segment with a pre-filled text stays untouched
        return "new"
    return _STATE_TO_STATUS.get(state, "translated")


def _mt(tu: etree._Element) -> str | None:
    for alt in _kids(tu, "alt-trans"):
        label = " ".join(filter(None, (alt.get("origin"), alt.get("tool-id"))))
        targets = _kids(alt, "target")
        if targets and _MT_ORIGIN_RE.search(label):
            return _text(targets[0])
    return None


#: The state of a target that is only the source copied, waiting for translation.
COPIED_SOURCE_STATE = "needs-translation"


def _copied_source(target_el: etree._Element | None, source: str, target: str) -> bool:
    state = (target_el.get("state") or "").strip().lower() if target_el is not None else ""
    return bool(target) and target == source and state in ("new", COPIED_SOURCE_STATE)


def read_xliff(source: Source) -> XliffDocument:
    """Import an XLIFF 1.0–1.2 file (ours, or as edited by OmegaT/memoQ/Trados).

    Trans-units from every ``<file>`` and ``<group>`` are returned in document
    order.  Missing targets read as ``""`` with status ``new``.  Raises
    ``XliffError`` with line/column for malformed or hostile input, a missing
    ``id``, or files whose ``<file>`` elements disagree on languages.
    """
    segments: list[XliffSegment] = []
    warnings: list[str] = []
    original: str | None = None
    langs: tuple[str, str] | None = None
    seen_ids: set[str] = set()
    duplicates = 0
    seen_root = False
    fh: IO[bytes]
    with open_source(source) as fh:
        check_prolog(fh, XliffError)
        try:
            for event, el in safe_iterparse(fh, ("start", "end")):
                name = _local(el)
                if event == "start":
                    if not seen_root:
                        seen_root = True
                        refuse_entity_declarations(el, XliffError)
                        if name != "xliff":
                            raise XliffError(
                                f"not an XLIFF file: the root element is <{name}>",
                                line=el.sourceline,
                            )
                        version = el.get("version", "")
                        if version and not version.startswith("1."):
                            raise XliffError(
                                f"XLIFF {version} is not supported; export XLIFF 1.2",
                                line=el.sourceline,
                            )
                    elif name == "file":
                        pair = (
                            normalize_lang(el.get("source-language")),
                            normalize_lang(el.get("target-language")),
                        )
                        if langs is None:
                            langs = pair
                            original = el.get("original", "")
                        elif pair != langs and all(pair):
                            raise XliffError(
                                f"<file> languages {pair} differ from the first file's {langs}",
                                line=el.sourceline,
                            )
                    continue
                if name != "trans-unit":
                    continue
                seg_id = el.get("id")
                if not seg_id:
                    raise XliffError("<trans-unit> has no id", line=el.sourceline)
                if seg_id in seen_ids:
                    duplicates += 1
                seen_ids.add(seg_id)
                sources = _kids(el, "source")
                if not sources:
                    raise XliffError("<trans-unit> has no <source>", line=el.sourceline)
                targets = _kids(el, "target")
                target_el = targets[0] if targets else None
                target = _text(target_el) if target_el is not None else ""
                source_text = _text(sources[0])
                source_copy = _copied_source(target_el, source_text, target)
                if source_copy:
                    target = ""  # a source copy waiting for translation (ours, OmegaT, Rainbow)
                notes = [_text(n) for n in _kids(el, "note")]
                if langs is not None and not langs[1] and target_el is not None:
                    langs = (langs[0], normalize_lang(target_el.get(XML_LANG)))
                segments.append(
                    XliffSegment(
                        id=seg_id,
                        source=source_text,
                        target=target,
                        status=_status(el, target_el, target),
                        mt=_mt(el),
                        note="\n".join(notes) if notes else None,
                        resname=el.get("resname"),
                        source_copy=source_copy,
                    )
                )
                release(el)
        except etree.XMLSyntaxError as exc:
            raise syntax_error(exc, XliffError, seen_root) from exc
    if not seen_root:
        raise XliffError("the file is empty")
    if langs is None:
        raise XliffError("the file has no <file> element")
    if duplicates:
        warnings.append(f"{duplicates} trans-unit id(s) occur more than once")
    if langs[1] == "zh-Hant" or langs[0] == "zh-Hant":
        warnings.append("the file is in Traditional Chinese (zh-Hant)")
    return XliffDocument(
        original=original or "",
        source_lang=langs[0],
        target_lang=langs[1],
        segments=segments,
        warnings=warnings,
    )
