"""TMX 1.4b export: streamed one ``<tu>`` at a time (``lxml.etree.xmlfile``), so a
100k-unit memory never exists as one XML tree; the output validates against
the LISA ``tmx14.dtd``. What an import kept (props as typed, notes, ``<tu>``
attributes, language tags as written, inline codes) is written back as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

from lxml import etree

from workbench import __version__
from workbench.formats import inline
from workbench.formats.units import DEFAULT_LANG_TAGS, TranslationUnit, to_utc, xml_safe
from workbench.formats.xmlio import Output, open_output

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _prop_key(prop_type: str) -> str:
    """``x-status`` → ``status``; types without ``x-`` (OmegaT's ``file``) stay as they are."""
    return prop_type[2:] if prop_type[:2].lower() == "x-" else prop_type


def format_tmx_date(value: datetime) -> str:
    """``YYYYMMDDThhmmssZ`` in UTC, as TMX requires (sub-seconds are dropped)."""
    return to_utc(value).strftime(TMX_DATE_FORMAT)


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
    if code.element in _TMX_CODES or code.element == inline.CHAR:
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


#: Stored ``<ude>`` XML is our own serialisation of a parsed element; still, no entities.
_UDE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


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
    header_udes: Iterable[str] = (),
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
    ``header_udes`` are ``<ude>`` elements as XML (an imported file's user-defined
    characters), written as they were.
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
            for ude in header_udes:
                header.append(etree.fromstring(ude, _UDE_PARSER))
            xf.write(header, pretty_print=True)
            with xf.element("body"):
                xf.write("\n")
                for unit in units:
                    xf.write(_tu_element(unit, source_lang, tags), pretty_print=True)
                    count += 1
            xf.write("\n")
        fh.write(b"\n")
    return count
