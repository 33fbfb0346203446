"""TMX 1.1–1.4 import (the 1.4b export is in ``tmx_write``, re-exported here).

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
  ``tuid``, ``creationid``/``changeid`` and other ``<tu>`` attributes are kept;
  the header's ``<ude>`` (user-defined characters) is kept as written.
* A ``<tu>`` with only one language, or with an empty/whitespace-only segment
  on either side, is skipped and counted in ``TmxFile.skipped``.
* Language tags go through ``normalize_lang``; Traditional Chinese is kept as
  ``"zh-Hant"`` and reported in ``TmxFile.warnings``; the tags as written are
  kept in ``source_tag``/``target_tag``. A unit pairing two variants of one
  language (en-US with en-GB) is refused: Workbench pairs two languages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from lxml import etree

from workbench.formats import inline
from workbench.formats.tmx_write import (  # noqa: F401  (re-exported)
    TMX_DATE_FORMAT,
    TU_ATTRIBUTES,
    XML_LANG,
    _prop_key,
    format_tmx_date,
    seg_element,
    write_tmx,
)
from workbench.formats.units import (
    InterchangeError,
    TranslationUnit,
    normalize_lang,
)
from workbench.formats.xmlio import (
    Source,
    check_prolog,
    inline_text,
    open_source,
    refuse_entity_declarations,
    release,
    safe_iterparse,
    syntax_error,
)

#: Inline elements whose content is native code (dropped); ``sub`` goes with them.
CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})


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
    #: The header's ``<ude>`` elements (user-defined characters) as their original XML.
    header_udes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


# --------------------------------------------------------------------------- output


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


# --------------------------------------------------------------------------- input


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


class _Reader:
    """State for one ``read_tmx`` pass (counters feed the report)."""

    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.header_props: dict[str, str] = {}
        self.header_notes: list[str] = []
        self.header_prop_list: list[tuple[str, str]] = []
        self.header_udes: list[str] = []
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
        # <ude> says which native characters the private-use ones in the segments stand
        # for: kept as written, so the export hands the mapping on.
        self.header_udes = [inline.element_xml(u) for u in _children(header, "ude")]

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
            out.append(
                f'{n} repeated <prop type="{prop_type}"> value(s): all kept for export,'
                " the first one used for matching"
            )
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
        check_prolog(fh, TmxError)
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
        header_udes=reader.header_udes,
        skipped={k: v for k, v in reader.skipped.items() if v},
        languages=dict(reader.languages),
        warnings=warnings,
    )
