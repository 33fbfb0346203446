"""Other tools' XLIFF (1.2 or 2.0) as work: read the units, write the same file back.

Why: a file from OmegaT, Okapi/Rainbow, Trados, memoQ, MateCat, Xcode or
Symfony must go back to its tool with its skeleton, notes, attributes and
unknown namespaces intact. So the file is never re-serialised: its bytes are
kept, and writing back *patches* targets (and states) into them. A unit
whose target and status did not change is not touched, so an unchanged round
trip gives the same bytes.

Reading uses lxml (safe: no DTD, no network, no entities) for the content;
the byte positions of units, sources and targets are found by a scan of the
decoded text (comments and CDATA blanked), checked against lxml's count.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree

from workbench.formats import inline
from workbench.formats.units import normalize_lang
from workbench.formats.xliff import _STATE_TO_STATUS, STATUS_TO_STATE, XliffError
from workbench.formats.xmlio import check_prolog, refuse_entity_declarations

NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_20 = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Our statuses as XLIFF 2.0 segment states (initial, translated, reviewed, final).
STATUS_TO_STATE_20 = {
    "new": "initial",
    "draft": "initial",
    "translated": "translated",
    "approved": "final",
    "rejected": "translated",
}
_STATE_20_TO_STATUS = {"initial": "draft", "translated": "translated", "reviewed": "translated"}
_STATE_20_TO_STATUS["final"] = "approved"


@dataclass
class WorkUnit:
    """One translatable segment of the file (a 1.2 trans-unit, a 2.0 segment)."""

    ref: str  # the unit's id (2.0: unit id/segment id), unique within the file
    source: inline.Coded
    target: inline.Coded | None
    status: str
    note: str | None = None
    translate: bool = True


@dataclass
class WorkFile:
    version: str  # "1.2" or "2.0"
    source_lang: str
    target_lang: str
    source_tag: str
    target_tag: str
    units: list[WorkUnit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _all(root: etree._Element, name: str) -> list[etree._Element]:
    return [el for el in root.iter() if _local(el) == name]


def _parse(data: bytes) -> etree._Element:
    import io

    check_prolog(io.BytesIO(data), XliffError)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, None)
        message = re.sub(r", line \d+, column \d+$", "", exc.msg or "")
        raise XliffError(f"not well-formed XML: {message}", line=line, column=column) from exc
    refuse_entity_declarations(root, XliffError)
    if _local(root) != "xliff":
        raise XliffError(f"not an XLIFF file: the root element is <{_local(root)}>", line=1)
    return root


def _status_12(tu: etree._Element, target: etree._Element | None, coded) -> str:
    if target is None or not inline.plain(coded.text, coded.codes).strip():
        return "new"
    if (tu.get("approved") or "").lower() == "yes":
        return "approved"
    state = (target.get("state") or "").lower()
    return _STATE_TO_STATUS.get(state, "translated")


def read_work(data: bytes) -> WorkFile:
    """The units of an XLIFF 1.2 or 2.0 file; raises ``XliffError`` for other files."""
    root = _parse(data)
    version = root.get("version", "")
    if version.startswith("2."):
        work = WorkFile(
            "2.0",
            normalize_lang(root.get("srcLang")),
            normalize_lang(root.get("trgLang")),
            root.get("srcLang") or "",
            root.get("trgLang") or "",
        )
        for unit in root.iter(f"{{{NS_20}}}unit"):
            notes = [n.text or "" for n in unit.iter(f"{{{NS_20}}}note")]
            translate = unit.get("translate", "yes") != "no"
            for n, segment in enumerate(_kids(unit, "segment")):
                work.units.append(_unit_20(unit, segment, n, notes, translate))
    elif version.startswith("1.") or not version:
        files = _all(root, "file")  # any 1.x namespace (1.0, 1.1, 1.2) or none
        if not files:
            raise XliffError("the file has no <file> element")
        first = files[0]
        work = WorkFile(
            "1.2",
            normalize_lang(first.get("source-language")),
            normalize_lang(first.get("target-language")),
            first.get("source-language") or "",
            first.get("target-language") or "",
        )
        for tu in _all(root, "trans-unit"):
            work.units.append(_unit_12(tu))
            if not work.target_tag:
                target = (_kids(tu, "target") or [None])[0]
                if target is not None and target.get(XML_LANG):
                    work.target_tag = target.get(XML_LANG)
                    work.target_lang = normalize_lang(work.target_tag)
    else:
        raise XliffError(f"XLIFF {version} is not supported (1.2 or 2.0)", line=1)
    if not work.source_lang or not work.target_lang:
        raise XliffError("the file does not say its source and target languages")
    refs = [u.ref for u in work.units]
    if len(set(refs)) != len(refs):
        raise XliffError("unit ids occur more than once: targets could not be put back")
    return work


def _unit_12(tu: etree._Element) -> WorkUnit:
    if not tu.get("id"):
        raise XliffError("<trans-unit> has no id", line=tu.sourceline)
    sources = _kids(tu, "source")
    if not sources:
        raise XliffError("<trans-unit> has no <source>", line=tu.sourceline)
    # With a segmented source (Okapi, Trados), the target mirrors <seg-source>'s <mrk>s.
    seg_sources = _kids(tu, "seg-source")
    source = inline.read_element((seg_sources or sources)[0], XliffError)
    targets = _kids(tu, "target")
    target = inline.read_element(targets[0], XliffError) if targets else None
    notes = [n.text or "" for n in _kids(tu, "note")]
    return WorkUnit(
        ref=tu.get("id"),
        source=source,
        target=target,
        status=_status_12(tu, targets[0] if targets else None, target),
        note="\n".join(notes) or None,
        translate=tu.get("translate", "yes") != "no",
    )


def _unit_20(unit, segment, n: int, notes: list[str], translate: bool) -> WorkUnit:
    sources = _kids(segment, "source")
    if not sources:
        raise XliffError("<segment> has no <source>", line=segment.sourceline)
    source = inline.read_element(sources[0], XliffError)
    targets = _kids(segment, "target")
    target = inline.read_element(targets[0], XliffError) if targets else None
    status = "new"
    if target is not None and target.plain().strip():
        status = _STATE_20_TO_STATUS.get(segment.get("state", ""), "translated")
    ref = f"{unit.get('id')}/{segment.get('id') or n}"
    return WorkUnit(ref, source, target, status, "\n".join(notes) or None, translate)


# --------------------------------------------------------------------------- writing back


def _encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    m = re.match(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""", data)
    return m.group(1).decode("ascii").lower() if m else "utf-8"


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


_HIDDEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>", re.DOTALL)
_P = r"(?:[\w.-]+:)?"
_UNIT_12 = re.compile(rf"<{_P}trans-unit(?=[\s>]).*?</{_P}trans-unit\s*>", re.DOTALL)
_UNIT_20 = re.compile(rf"<{_P}segment(?=[\s>/]).*?</{_P}segment\s*>", re.DOTALL)
_ALT = re.compile(rf"<{_P}alt-trans(?=[\s>/]).*?</{_P}alt-trans\s*>", re.DOTALL)
_SOURCE_END = re.compile(rf"</{_P}(?:seg-)?source\s*>")
_SOURCE_START = re.compile(rf"<({_P})source(?=[\s>/])")
_TARGET = re.compile(rf"<{_P}target(?=[\s>/])[^>]*?(?:/>|>.*?</{_P}target\s*>)", re.DOTALL)
_STATE_ATTR = re.compile(r"""\sstate\s*=\s*(["'])[^"']*\1""")


@dataclass
class Patch:
    """A new target for one unit: its coded text (codes of the unit's source) and status."""

    ref: str
    target: inline.Coded
    status: str


def write_back(data: bytes, work: WorkFile, patches: list[Patch]) -> bytes:
    """``data`` with the patched units' targets and states replaced; all else as it was."""
    if not patches:
        return data
    encoding = _encoding(data)
    text = data.decode(encoding)
    search = _blank(text, _HIDDEN)
    pattern = _UNIT_20 if work.version == "2.0" else _UNIT_12
    spans = [m.span() for m in pattern.finditer(search)]
    if len(spans) != len(work.units):
        raise XliffError(
            f"found {len(spans)} units in the file's text but {len(work.units)} in its XML;"
            " the targets cannot be put back without rewriting the file"
        )
    position = {u.ref: i for i, u in enumerate(work.units)}
    edits: list[tuple[int, int, str]] = []
    for patch in patches:
        start, end = spans[position[patch.ref]]
        edits.extend(_unit_edits(text, search, start, end, patch, work))
    out = text
    for start, end, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[end:]
    return out.encode(encoding)


def _set_state(start_tag: str, state: str) -> str:
    if _STATE_ATTR.search(start_tag):
        return _STATE_ATTR.sub(f' state="{state}"', start_tag, count=1)
    end = -2 if start_tag.endswith("/>") else -1
    return f'{start_tag[:end]} state="{state}"{start_tag[end:]}'


_PREFIXED = re.compile(
    r"<(?P<p>[\w.-]+):(?P<n>[\w.-]+)(?=[\s>/])[^>]*?(?:/>|>.*?</(?P=p):(?P=n)\s*>)", re.DOTALL
)


def _blank_foreign(unit_text: str, prefix: str) -> str:
    """Hide elements of other namespaces (memoQ's historical units hold <target>s too)."""
    own = prefix.rstrip(":")
    return _PREFIXED.sub(
        lambda m: m.group() if m.group("p") == own else " " * len(m.group()), unit_text
    )


def _unit_edits(text, search, start, end, patch: Patch, work: WorkFile):
    """The (start, end, new text) replacements for one unit."""
    unit_search = _blank(search[start:end], _ALT)
    source_match = _SOURCE_START.search(unit_search)
    if source_match is None:
        raise XliffError(f"unit {patch.ref}: no <source> found in the file's text")
    prefix = source_match.group(1)
    unit_search = _blank_foreign(unit_search, prefix)
    body = inline.to_xml(patch.target)
    edits = []
    if work.version == "2.0":
        tag_end = search.index(">", start) + 1
        state = STATUS_TO_STATE_20[patch.status]
        edits.append((start, tag_end, _set_state(text[start:tag_end], state)))
    else:
        state = STATUS_TO_STATE[patch.status]
    source_end = _SOURCE_END.search(unit_search, source_match.end()).end()
    seg_source = re.compile(
        rf"\s*<{prefix}seg-source(?=[\s>]).*?</{prefix}seg-source\s*>", re.DOTALL
    )
    following = seg_source.match(unit_search, source_end)
    if following:
        source_end = following.end()
    target = _TARGET.search(unit_search, source_end)
    if target is not None:
        t_start, t_end = start + target.start(), start + target.end()
        raw = text[t_start:t_end]
        open_end = raw.index(">") + 1
        start_tag = raw[:open_end]
        if start_tag.endswith("/>"):
            start_tag = start_tag[:-2].rstrip() + ">"
        if work.version != "2.0":
            start_tag = _set_state(start_tag, state)
        edits.append((t_start, t_end, f"{start_tag}{body}</{prefix}target>"))
        return edits
    source_end += start
    source_start = source_match.start() + start
    line_start = text.rfind("\n", 0, source_start) + 1
    indent = text[line_start:source_start] if not text[line_start:source_start].strip() else ""
    attrs = f' xml:lang="{work.target_tag}"' if work.target_tag and work.version != "2.0" else ""
    if work.version != "2.0":
        attrs += f' state="{state}"'
    new = (
        f"\n{indent}<{prefix}target{attrs}>{body}</{prefix}target>"
        if indent
        else (f"<{prefix}target{attrs}>{body}</{prefix}target>")
    )
    edits.append((source_end, source_end, new))
    return edits
