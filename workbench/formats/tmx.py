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
* Inline markup rule (same in XLIFF): the *content* of ``bpt``, ``ept``,
  ``ph``, ``it``, ``ut`` is native code of the original format (RTF, HTML …)
  and is dropped; ``sub`` (translatable text nested in native code) is dropped
  with its parent; ``hi`` only highlights text, so its content is kept.  Text
  after any tag is always kept.  Tags are removed without inserting spaces.
* A ``<tu>`` with only one language, or with an empty/whitespace-only segment
  on either side, is skipped and counted in ``TmxFile.skipped``.
* Language tags go through ``normalize_lang``; Traditional Chinese is kept as
  ``"zh-Hant"`` and reported in ``TmxFile.warnings``.
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
        attrs["srclang"] = _tag_for(unit.source_lang, lang_tags)
    if unit.created is not None:
        attrs["creationdate"] = format_tmx_date(unit.created)
    if unit.creator:
        attrs["creationid"] = xml_safe(unit.creator)
    if unit.changed is not None:
        attrs["changedate"] = format_tmx_date(unit.changed)
    if unit.changer:
        attrs["changeid"] = xml_safe(unit.changer)
    tu = etree.Element("tu", attrs)
    for note in unit.notes:
        etree.SubElement(tu, "note").text = xml_safe(note)
    for key, value in unit.props.items():
        etree.SubElement(tu, "prop", type=xml_safe(f"x-{key}")).text = xml_safe(value)
    for code, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: _tag_for(code, lang_tags)})
        etree.SubElement(tuv, "seg").text = xml_safe(text)
    return tu


def write_tmx(
    units: Iterable[TranslationUnit],
    out: Output,
    *,
    source_lang: str = "en",
    lang_tags: Mapping[str, str] | None = None,
    tool_version: str = __version__,
    created: datetime | None = None,
    header_props: Mapping[str, str] | None = None,
) -> int:
    """Write ``units`` as TMX 1.4b to a binary stream or (atomically) to a path.

    ``source_lang`` is the stored code of the header ``srclang``; a unit whose
    ``source_lang`` differs gets its own ``srclang`` on ``<tu>``.  Stored codes
    become ``xml:lang`` through ``lang_tags`` (default en→en-US, zh→zh-CN;
    unmapped codes are written as they are).  ``props`` are written as
    ``<prop type="x-KEY">``, ``notes`` as ``<note>``.  Characters XML cannot
    carry are removed.  Units are consumed lazily and written one at a time.
    Returns the number of units written.
    """
    tags = dict(DEFAULT_LANG_TAGS if lang_tags is None else lang_tags)
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
    count = 0
    with open_output(out) as fh:
        fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write(b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
        with etree.xmlfile(fh, encoding="utf-8") as xf, xf.element("tmx", version="1.4"):
            xf.write("\n")
            header = etree.Element("header", header_attrs)
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


def _prop_key(prop_type: str) -> str:
    """``x-status`` → ``status``; types without ``x-`` (OmegaT's ``file``) stay as they are."""
    return prop_type[2:] if prop_type[:2].lower() == "x-" else prop_type


class _Reader:
    """State for one ``read_tmx`` pass (counters feed the report)."""

    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.header_props: dict[str, str] = {}
        self.header_notes: list[str] = []
        self.srclang = ""
        self.units: list[TranslationUnit] = []
        self.skipped: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.raw_hant: Counter[str] = Counter()
        self.repeated_props: Counter[str] = Counter()
        self.bad_dates = 0
        self.extra_languages = 0

    def read_header(self, header: etree._Element) -> None:
        self.header = {str(k): str(v) for k, v in header.attrib.items()}
        raw = self.header.get("srclang", "")
        self.srclang = "" if raw.strip().lower() in ("", "*all*") else normalize_lang(raw)
        for prop in _children(header, "prop"):
            self.header_props.setdefault(_prop_key(prop.get("type", "")), prop.text or "")
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

        sides: list[tuple[str, str, str, etree._Element]] = []
        for tuv in _children(tu, "tuv"):
            raw_lang = tuv.get(XML_LANG) or tuv.get("lang")  # "lang" is TMX 1.1/1.2
            if not raw_lang or not raw_lang.strip():
                raise TmxError("<tuv> has no xml:lang", line=tuv.sourceline)
            segs = _children(tuv, "seg")
            if not segs:
                raise TmxError("<tuv> has no <seg>", line=tuv.sourceline)
            sides.append((normalize_lang(raw_lang), raw_lang, _text(segs[0]), tuv))

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
        notes: list[str] = []
        for el in levels:
            for prop in _children(el, "prop"):
                key = _prop_key(prop.get("type", ""))
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
        if self.skipped["single_language"]:
            out.append(
                f"{self.skipped['single_language']} unit(s) skipped: only one language present"
            )
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
        skipped={k: v for k, v in reader.skipped.items() if v},
        languages=dict(reader.languages),
        warnings=warnings,
    )
