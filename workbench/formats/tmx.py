"""TMX 1.4b export and TMX 1.1–1.4 import.

Export streams one ``<tu>`` at a time through ``lxml.etree.xmlfile`` so a
100k-unit memory never exists as one XML tree, and the output validates
against the LISA ``tmx14.dtd``.

Import is written for files from other tools (OmegaT, Trados Studio, MateCat,
memoQ …) and is deliberately strict about safety and lenient about style:

* The parser never loads a DTD, never touches the network and never expands
  entities; a document that declares entities (billion laughs, XXE) or uses an
  entity it does not declare is refused before any unit is read.
* Any malformed input raises ``TmxError`` carrying the line and column, and
  nothing is imported (units are only returned once the whole file parsed).
* Inline codes (``bpt``, ``ept``, ``ph``, ``it``, ``ut``, ``hi``, and OmegaT's
  ``<g1>…</g1>`` tag text) are kept as codes (``formats.inline``): the unit's
  ``source``/``target`` are the plain texts (a code standing for a tab or line
  break becomes a space), ``source_coded``/``target_coded`` carry the codes
  with their original XML, written back as they were.
* Props keep their type as written (``prop_list``, repeats included), notes,
  ``tuid``, ``creationid``/``changeid`` and other ``<tu>`` attributes are kept.
* A ``<tu>`` with only one language, or with an empty/whitespace-only segment
  on either side, is skipped and counted in ``TmxFile.skipped``.
* Language tags go through ``normalize_lang``; Traditional Chinese is kept as
  ``"zh-Hant"`` and reported in ``TmxFile.warnings``; the tags as written are
  kept in ``source_tag``/``target_tag``. A unit pairing two variants of one
  language (en-US with en-GB) is refused: Workbench pairs two languages.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import IO, Any, BinaryIO

from lxml import etree

from workbench import __version__
from workbench.formats import inline
from workbench.formats.atomic import atomic_write
from workbench.formats.units import (
    DEFAULT_LANG_TAGS,
    InterchangeError,
    TranslationUnit,
    normalize_lang,
    to_utc,
    xml_safe,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"

#: Inline elements whose content is native code (dropped); ``sub`` goes with them.
CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})

Source = str | os.PathLike[str] | bytes | IO[bytes]
Output = str | os.PathLike[str] | BinaryIO | IO[bytes]


class TmxError(InterchangeError):
    """A TMX file that cannot be imported (malformed, hostile or not TMX)."""


@dataclass
class TmxFile:
    """Everything ``read_tmx`` learned from a file.

    ``header`` holds the ``<header>`` attributes as written (``srclang``,
    ``creationtool`` …); ``skipped`` counts units left out by reason
    (``"single_language"``, ``"empty_segment"``); ``languages`` counts the
    normalized codes of the imported sides; ``warnings`` are sentences for the user.
    """

    header: dict[str, str]
    units: list[TranslationUnit]
    version: str | None = None
    header_props: dict[str, str] = field(default_factory=dict)
    header_notes: list[str] = field(default_factory=list)
    header_prop_list: list[tuple[str, str]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


# --------------------------------------------------------------------------- output


@contextlib.contextmanager
def open_output(out: Output) -> Iterator[IO[bytes]]:
    """Give writers one binary stream: a path goes through ``atomic_write``."""
    if isinstance(out, (str, os.PathLike)):
        with atomic_write(out, "wb") as fh:
            yield fh
    else:
        yield out  # type: ignore[misc]


def format_tmx_date(value: datetime) -> str:
    """``YYYYMMDDThhmmssZ`` in UTC, as TMX requires (sub-seconds are dropped)."""
    return to_utc(value).strftime(TMX_DATE_FORMAT)


_DATE_RE = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:[T ](\d{2}):?(\d{2}):?(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def parse_tmx_date(text: str | None) -> datetime | None:
    """Parse TMX dates, also the ISO-8601 spellings some tools emit; None if unusable."""
    if not text:
        return None
    m = _DATE_RE.match(text.strip())
    if not m:
        return None
    year, month, day, hh, mm, ss, tz = m.groups()
    try:
        value = datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        return None
    offset = timedelta(0)
    if tz and tz.upper() != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return (value - offset).replace(tzinfo=timezone.utc)


def _tag_for(code: str, lang_tags: Mapping[str, str]) -> str:
    return xml_safe(lang_tags.get(code, code))


def _tu_element(
    unit: TranslationUnit, source_lang: str, lang_tags: Mapping[str, str]
) -> etree._Element:
    attrs: dict[str, str] = {}
    if unit.tuid is not None:
        attrs["tuid"] = xml_safe(str(unit.tuid))
    if unit.source_lang != source_lang:
        attrs["srclang"] = xml_safe(unit.source_tag or _tag_for(unit.source_lang, lang_tags))
    if unit.created is not None:
        attrs["creationdate"] = format_tmx_date(unit.created)
    if unit.creator:
        attrs["creationid"] = xml_safe(unit.creator)
    if unit.changed is not None:
        attrs["changedate"] = format_tmx_date(unit.changed)
    if unit.changer:
        attrs["changeid"] = xml_safe(unit.changer)
    for name in TU_ATTRIBUTES:
        if unit.attrs.get(name):
            attrs[name] = xml_safe(unit.attrs[name])
    tu = etree.Element("tu", attrs)
    for note in unit.notes:
        etree.SubElement(tu, "note").text = xml_safe(note)
    written = set()
    for prop_type, value in unit.prop_list:
        etree.SubElement(tu, "prop", type=xml_safe(prop_type)).text = xml_safe(value)
        written.add(_prop_key(prop_type))
    for key, value in unit.props.items():
        if key not in written:
            etree.SubElement(tu, "prop", type=xml_safe(f"x-{key}")).text = xml_safe(value)
    sides = (
        (unit.source_lang, unit.source_tag, unit.source, unit.source_coded),
        (unit.target_lang, unit.target_tag, unit.target, unit.target_coded),
    )
    for code, tag, text, coded in sides:
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: xml_safe(tag or _tag_for(code, lang_tags))})
        tuv.append(seg_element(text, coded))
    return tu


#: ``<tu>`` attributes of the TMX 1.4 DTD kept from imports (besides ids and dates).
TU_ATTRIBUTES = (
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
)


def seg_element(text: str, coded: inline.Coded | None) -> etree._Element:
    """A ``<seg>``: plain text, or the coded text with each code as TMX markup.

    TMX codes are written as they were read; codes from XLIFF become
    ``bpt``/``ept``/``ph`` holding the XLIFF markup as native code; OmegaT's tag
    text is written as text, as OmegaT itself stores it.
    """
    if coded is None or not coded.codes:
        seg = etree.Element("seg")
        seg.text = xml_safe(text)
        return seg
    codes = [_as_tmx(code, i) for i, code in enumerate(coded.codes)]
    body = inline.to_xml(inline.Coded(xml_safe(coded.text), codes))
    return etree.fromstring(f"<seg>{body}</seg>")


_TMX_CODES = frozenset({"bpt", "ept", "ph", "it", "ut", "hi"})


def _as_tmx(code: inline.Code, index: int) -> inline.Code:
    if code.element in _TMX_CODES:
        return code
    if code.element == "omegat":
        return inline.Code(code.kind, code.element, inline.escape_text(code.data), code.pair)
    pair = "".join(c for c in code.pair if c.isdigit()) or str(index + 1)
    data = inline.escape_text(code.data)
    if code.kind == inline.OPEN:
        xml = f'<bpt i="{pair}">{data}</bpt>'
    elif code.kind == inline.CLOSE:
        xml = f'<ept i="{pair}">{data}</ept>'
    else:
        xml = f"<ph>{data}</ph>"
    return inline.Code(code.kind, code.element, xml, code.pair)


def write_tmx(
    units: Iterable[TranslationUnit],
    out: Output,
    *,
    source_lang: str = "en",
    lang_tags: Mapping[str, str] | None = None,
    tool_version: str = __version__,
    created: datetime | None = None,
    header_props: Mapping[str, str] | None = None,
    header_attrs: Mapping[str, str] | None = None,
    header_prop_list: Iterable[tuple[str, str]] = (),
    header_notes: Iterable[str] = (),
    srclang_tag: str | None = None,
) -> int:
    """Write ``units`` as TMX 1.4b to a binary stream or (atomically) to a path.

    ``source_lang`` is the stored code of the header ``srclang``; a unit whose
    ``source_lang`` differs gets its own ``srclang`` on ``<tu>``.  Stored codes
    become ``xml:lang`` through ``lang_tags`` (default en→en-US, zh→zh-CN;
    unmapped codes are written as they are).  ``props`` are written as
    ``<prop type="x-KEY">``, ``notes`` as ``<note>``.  Characters XML cannot
    carry are removed.  Units are consumed lazily and written one at a time.
    ``header_attrs`` (e.g. an imported file's ``segtype``), ``header_prop_list``
    and ``header_notes`` are written as given; ``srclang_tag`` overrides the
    header ``srclang`` (``"*all*"`` when the units have no common source).
    Returns the number of units written.
    """
    tags = dict(DEFAULT_LANG_TAGS if lang_tags is None else lang_tags)
    extra_attrs = dict(header_attrs or {})
    header_attrs = {
        "creationtool": "Workbench",
        "creationtoolversion": xml_safe(tool_version),
        "segtype": "sentence",
        "o-tmf": "Workbench",
        "adminlang": "en-US",
        "srclang": _tag_for(source_lang, tags),
        "datatype": "plaintext",
        "creationdate": format_tmx_date(created or datetime.now(timezone.utc)),
    }
    for name in ("segtype", "o-tmf", "datatype", "adminlang", "o-encoding"):
        if extra_attrs.get(name):
            header_attrs[name] = xml_safe(extra_attrs[name])
    if srclang_tag:
        header_attrs["srclang"] = xml_safe(srclang_tag)
    count = 0
    with open_output(out) as fh:
        fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write(b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
        with etree.xmlfile(fh, encoding="utf-8") as xf, xf.element("tmx", version="1.4"):
            xf.write("\n")
            header = etree.Element("header", header_attrs)
            for note in header_notes:
                etree.SubElement(header, "note").text = xml_safe(note)
            for prop_type, value in header_prop_list:
                etree.SubElement(header, "prop", type=xml_safe(prop_type)).text = xml_safe(value)
            for key, value in (header_props or {}).items():
                etree.SubElement(header, "prop", type=xml_safe(f"x-{key}")).text = xml_safe(value)
            xf.write(header, pretty_print=True)
            with xf.element("body"):
                xf.write("\n")
                for unit in units:
                    xf.write(_tu_element(unit, source_lang, tags), pretty_print=True)
                    count += 1
            xf.write("\n")
        fh.write(b"\n")
    return count


# --------------------------------------------------------------------------- input


@contextlib.contextmanager
def open_source(source: Source) -> Iterator[IO[bytes]]:
    """Accept a path, raw bytes or a binary file object (a ``str`` is a path)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield io.BytesIO(bytes(source))
    elif isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as fh:
            yield fh
    else:
        yield source


def safe_iterparse(fh: IO[bytes], events: tuple[str, ...]) -> Any:
    """``iterparse`` that cannot load DTDs, reach the network or expand entities."""
    return etree.iterparse(
        fh,
        events=events,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
        attribute_defaults=False,
    )


def refuse_entity_declarations(root: etree._Element, error: type[InterchangeError]) -> None:
    """Refuse any internal DTD subset that declares entities (billion laughs, XXE)."""
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is None:
        return
    names = [e.name for e in dtd.iterentities()]
    if names:
        raise error(
            "the file declares XML entities (" + ", ".join(sorted(names)[:5]) + "); "
            "entity declarations are refused for safety",
            line=1,
        )


_DECLARED = re.compile(
    rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']"""
)


def check_declared_encoding(fh: IO[bytes], error: type[InterchangeError]) -> None:
    """Refuse, with the cause, a file whose XML declaration names UTF-16 while its
    bytes are single-byte text (memoQ writes such files); the parser would only
    say "Blank needed here"."""
    if not fh.seekable():
        return
    start = fh.tell()
    head = fh.read(256)
    fh.seek(start)
    m = _DECLARED.match(head)
    if not m or not m.group(1).decode("ascii").lower().startswith(("utf-16", "utf16", "ucs-2")):
        return
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        return
    declared = m.group(1).decode("ascii")
    actual = "UTF-8" if not head.startswith(b"\xef\xbb\xbf") else "UTF-8 (with a BOM)"
    raise error(
        f'the XML declaration says encoding="{declared}" but the bytes are {actual}'
        " (no UTF-16 byte order mark, no zero bytes): change the declaration to"
        ' encoding="UTF-8" and import again',
        line=1,
    )


def release(el: etree._Element) -> None:
    """Free a parsed unit and the siblings before it: memory stays flat on large files."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    while el.getprevious() is not None and parent is not None:
        del parent[0]


def syntax_error(
    exc: etree.XMLSyntaxError, error: type[InterchangeError], seen_root: bool
) -> InterchangeError:
    """Turn lxml's error into ours, keeping the line and column the user needs."""
    line, column = exc.position if exc.position else (exc.lineno, None)
    if not seen_root and not line:
        return error("the file is empty")
    message = re.sub(r", line \d+, column \d+$", "", exc.msg or "")
    return error(f"not well-formed XML: {message}", line=line or None, column=column)


def inline_text(
    el: etree._Element, code_elements: frozenset[str], error: type[InterchangeError]
) -> str:
    """Text of a segment with inline markup removed by the documented rule.

    Elements named in ``code_elements`` lose their content; every other element
    keeps its content; text after every element (``tail``) is kept.
    """
    parts: list[str] = [el.text or ""]
    for child in el:
        if child.tag is etree.Entity:
            raise error(f"undeclared entity reference {child.text}", line=child.sourceline)
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            if name not in code_elements:
                parts.append(inline_text(child, code_elements, error))
        parts.append(child.tail or "")
    return "".join(parts)


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and c.tag == name]


def _text(el: etree._Element) -> str:
    return inline_text(el, CODE_ELEMENTS, TmxError)


def _coded(seg: etree._Element) -> inline.Coded | None:
    """The segment's inline codes (elements, or OmegaT's tag text); None without codes."""
    coded = inline.read_element(seg, TmxError)
    if not coded.codes and inline.has_omegat_tags(coded.text):
        coded = inline.from_omegat(coded.text)
    return coded if coded.codes else None


def _prop_key(prop_type: str) -> str:
    """``x-status`` → ``status``; types without ``x-`` (OmegaT's ``file``) stay as they are."""
    return prop_type[2:] if prop_type[:2].lower() == "x-" else prop_type


class _Reader:
    """State for one ``read_tmx`` pass (counters feed the report)."""

    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.header_props: dict[str, str] = {}
        self.header_notes: list[str] = []
        self.header_prop_list: list[tuple[str, str]] = []
        self.srclang = ""
        self.units: list[TranslationUnit] = []
        self.skipped: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.raw_hant: Counter[str] = Counter()
        self.repeated_props: Counter[str] = Counter()
        self.bad_dates = 0
        self.extra_languages = 0
        self.variants: Counter[str] = Counter()

    def read_header(self, header: etree._Element) -> None:
        self.header = {str(k): str(v) for k, v in header.attrib.items()}
        raw = self.header.get("srclang", "")
        self.srclang = "" if raw.strip().lower() in ("", "*all*") else normalize_lang(raw)
        for prop in _children(header, "prop"):
            self.header_props.setdefault(_prop_key(prop.get("type", "")), prop.text or "")
            self.header_prop_list.append((prop.get("type", ""), prop.text or ""))
        self.header_notes = [n.text or "" for n in _children(header, "note")]

    def _date(self, value: str | None) -> datetime | None:
        parsed = parse_tmx_date(value)
        if value and parsed is None:
            self.bad_dates += 1
        return parsed

    def read_tu(self, tu: etree._Element) -> None:
        raw_src = (tu.get("srclang") or "").strip()
        srclang = self.srclang
        if raw_src and raw_src.lower() != "*all*":
            srclang = normalize_lang(raw_src)

        sides: list[tuple[str, str, str, etree._Element, inline.Coded | None]] = []
        for tuv in _children(tu, "tuv"):
            raw_lang = tuv.get(XML_LANG) or tuv.get("lang")  # "lang" is TMX 1.1/1.2
            if not raw_lang or not raw_lang.strip():
                raise TmxError("<tuv> has no xml:lang", line=tuv.sourceline)
            segs = _children(tuv, "seg")
            if not segs:
                raise TmxError("<tuv> has no <seg>", line=tuv.sourceline)
            coded = _coded(segs[0])
            text = coded.plain() if coded else _text(segs[0])
            sides.append((normalize_lang(raw_lang), raw_lang.strip(), text, tuv, coded))
        codes = {s[0] for s in sides}
        raw = {s[1] for s in sides}
        if len(codes) == 1 and len({r.lower().replace("_", "-") for r in raw}) > 1:
            self.variants[" and ".join(sorted(raw))] += 1
            self.skipped["single_language"] += 1
            return

        src = next((s for s in sides if s[0] == srclang), None) if srclang else None
        if src is None and sides:
            src = sides[0]  # srclang="*all*" or no variant in it: first variant leads
        tgt = next((s for s in sides if src is not None and s[0] != src[0]), None)
        if src is None or tgt is None:
            self.skipped["single_language"] += 1
            return
        if len({s[0] for s in sides}) > 2:
            self.extra_languages += 1
        if not src[2].strip() or not tgt[2].strip():
            self.skipped["empty_segment"] += 1
            return

        levels = [tu, tgt[3], src[3]]  # where metadata may sit: tu, then tuv (OmegaT)

        def attr(name: str) -> str | None:
            for el in levels:
                value = el.get(name)
                if value:
                    return value
            return None

        props: dict[str, str] = {}
        prop_list: list[tuple[str, str]] = []
        notes: list[str] = []
        for el in levels:
            for prop in _children(el, "prop"):
                key = _prop_key(prop.get("type", ""))
                prop_list.append((prop.get("type", ""), _text(prop)))
                if key in props:
                    self.repeated_props[prop.get("type", "")] += 1
                    continue
                props[key] = _text(prop)
            notes.extend(_text(n) for n in _children(el, "note"))

        for code, raw in ((src[0], src[1]), (tgt[0], tgt[1])):
            self.languages[code] += 1
            if code == "zh-Hant":
                self.raw_hant[raw] += 1

        self.units.append(
            TranslationUnit(
                source=src[2],
                target=tgt[2],
                source_lang=src[0],
                target_lang=tgt[0],
                tuid=tu.get("tuid"),
                created=self._date(attr("creationdate")),
                changed=self._date(attr("changedate")),
                creator=attr("creationid"),
                changer=attr("changeid"),
                props=props,
                notes=notes,
                prop_list=prop_list,
                attrs={k: tu.get(k) for k in TU_ATTRIBUTES if tu.get(k)},
                source_tag=src[1],
                target_tag=tgt[1],
                source_coded=src[4],
                target_coded=tgt[4],
            )
        )

    def warnings(self) -> list[str]:
        out: list[str] = []
        if self.raw_hant:
            tags = ", ".join(sorted(self.raw_hant))
            out.append(
                f"{sum(self.raw_hant.values())} segment(s) are Traditional Chinese ({tags}); "
                "kept as zh-Hant, not merged with Simplified Chinese"
            )
        singles = self.skipped["single_language"] - sum(self.variants.values())
        if singles:
            out.append(f"{singles} unit(s) skipped: only one language present")
        for tags, n in sorted(self.variants.items()):
            out.append(f"{n} unit(s) skipped: they pair two variants of one language ({tags})")
        if self.skipped["empty_segment"]:
            out.append(f"{self.skipped['empty_segment']} unit(s) skipped: empty segment")
        if self.extra_languages:
            out.append(
                f"{self.extra_languages} unit(s) have more than two languages; "
                "only the source and the first other language were imported"
            )
        for prop_type, n in sorted(self.repeated_props.items()):
            out.append(f'{n} repeated <prop type="{prop_type}"> value(s) ignored (first kept)')
        if self.bad_dates:
            out.append(f"{self.bad_dates} unreadable date(s) ignored")
        return out


def read_tmx(source: Source) -> TmxFile:
    """Import a TMX 1.1–1.4 file from a path, bytes or binary stream.

    Encoding comes from the BOM or the XML declaration (UTF-8, UTF-16 …).
    Raises ``TmxError`` (with line/column) for malformed or hostile input;
    then nothing is returned, so a caller cannot half-import a file.
    """
    reader = _Reader()
    version: str | None = None
    seen_root = False
    with open_source(source) as fh:
        check_declared_encoding(fh, TmxError)
        try:
            for event, el in safe_iterparse(fh, ("start", "end")):
                if event == "start":
                    if not seen_root:
                        seen_root = True
                        refuse_entity_declarations(el, TmxError)
                        if el.tag != "tmx":
                            raise TmxError(
                                f"not a TMX file: the root element is <{el.tag}>, not <tmx>",
                                line=el.sourceline,
                            )
                        version = el.get("version")
                    continue
                if el.tag == "header" and el.getparent() is not None:
                    if el.getparent().tag == "tmx":
                        reader.read_header(el)
                elif el.tag == "tu":
                    reader.read_tu(el)
                    release(el)
        except etree.XMLSyntaxError as exc:
            raise syntax_error(exc, TmxError, seen_root) from exc
    if not seen_root:
        raise TmxError("the file is empty")
    if reader.variants and not reader.units:
        found = "; ".join(f"{n} unit(s) pair {tags}" for tags, n in reader.variants.items())
        raise TmxError(
            f"the file pairs two variants of one language ({found}), not two languages;"
            " Workbench pairs Chinese with English: nothing was imported"
        )
    warnings = reader.warnings()
    if version not in ("1.1", "1.2", "1.3", "1.4", "1.4a", "1.4b"):
        warnings.insert(0, f"unexpected TMX version {version!r}; read as TMX 1.4")
    if not reader.header:
        warnings.insert(0, "the file has no <header>; languages taken from the units")
    return TmxFile(
        header=reader.header,
        units=reader.units,
        version=version,
        header_props=reader.header_props,
        header_notes=reader.header_notes,
        header_prop_list=reader.header_prop_list,
        skipped={k: v for k, v in reader.skipped.items() if v},
        languages=dict(reader.languages),
        warnings=warnings,
    )
