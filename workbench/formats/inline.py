"""Inline codes (tags inside a segment) as first-class content.

Why: CAT-tool files mark formatting and placeholders inside segments
(TMX ``bpt/ept/ph/it/ut/hi``, XLIFF 1.2 ``g/x/bx/ex/ph/it``, XLIFF 2.0
``pc/ph/sc/ec``, OmegaT's ``<g1>…</g1>`` text). Dropping them loses data and,
when a code stands for a tab or line break, glues sentences together.

Model: a *coded text* is a ``str`` where each code is one private-use
character ``U+E000 + index`` pointing into a list of ``Code`` records that keep
the code's original XML (``data``) for exact write-back. Plain text for
search, scoring and MT is ``plain()``: codes removed, a code that stands for
whitespace (a tab, a line break) becomes a space.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from lxml import etree

#: First private-use code point used as a placeholder.
BASE = 0xE000
#: At most this many codes per segment (the private-use block holds 6400).
MAX_CODES = 6400
PLACEHOLDER = re.compile(f"[{chr(BASE)}-{chr(BASE + MAX_CODES - 1)}]")

OPEN, CLOSE, STANDALONE = "open", "close", "standalone"

#: Elements that hold native code (their content is the code's data, not text).
NATIVE = frozenset({"bpt", "ept", "ph", "it", "ut", "x", "bx", "ex", "sc", "ec"})
#: Elements that wrap translatable text: an open and a close code around their content.
WRAPPERS = frozenset({"g", "hi", "pc", "mrk", "sub"})
_OPENING = frozenset({"bpt", "bx", "sc"})
_CLOSING = frozenset({"ept", "ex", "ec"})
#: A code standing for whitespace: Okapi's ``<ph>\t</ph>``/``<ph>\n</ph>`` (the character
#: itself or its escape). Markup such as ``<br/>`` is not whitespace text and stays a code.
_WHITESPACE_DATA = re.compile(r"^(\\[tnr]|\s)+$")
#: XLIFF 1.2's line-break code type (Okapi writes ``<x id="2" ctype="lb"/>``).
_LINE_BREAK = re.compile(r"""^<[^>]*\sctype=["'](x-)?lb["']""")
#: OmegaT's tag text form: <g1>, </g1>, <x2/>, <b0> … (a letter or two and a number).
OMEGAT_TAG = re.compile(r"<(/?)([a-zA-Z]{1,3})(\d+)(/?)>")
#: The element name of a code that is a private-use character of the text itself (a TMX
#: ``<ude>`` user-defined character, say) in a segment that has codes: the placeholders
#: are private-use characters too, so such a character is kept as a code of its own.
CHAR = "#char"


@dataclass(frozen=True)
class Code:
    """One inline code: ``kind`` open/close/standalone, ``pair`` links an open to its
    close, ``element`` is the original element name, ``data`` its original XML
    (for a wrapper: the start or end tag only), ``text`` the native code as text."""

    kind: str
    element: str
    data: str
    pair: str = ""
    text: str = ""


@dataclass
class Coded:
    """A coded text and its codes."""

    text: str
    codes: list[Code] = field(default_factory=list)

    def plain(self) -> str:
        return plain(self.text, self.codes)

    def to_json(self) -> str:
        return json.dumps(
            {"text": self.text, "codes": [asdict(c) for c in self.codes]}, ensure_ascii=False
        )

    @classmethod
    def from_json(cls, value: str | None) -> Coded | None:
        if not value:
            return None
        raw = json.loads(value)
        return cls(raw["text"], [Code(**c) for c in raw["codes"]])


def marker(index: int) -> str:
    return chr(BASE + index)


def index_of(char: str) -> int:
    return ord(char) - BASE


def is_whitespace_code(code: Code) -> bool:
    """A code standing for a tab or line break (Okapi writes ``<ph>\\t</ph>``)."""
    if code.kind != STANDALONE:
        return False
    return bool(code.text and _WHITESPACE_DATA.match(code.text)) or bool(
        _LINE_BREAK.search(code.data)
    )


def plain(text: str, codes: list[Code]) -> str:
    """The text without codes; whitespace codes become a space so sentences stay apart."""

    def repl(m: re.Match[str]) -> str:
        i = index_of(m.group())
        return " " if i < len(codes) and is_whitespace_code(codes[i]) else ""

    return PLACEHOLDER.sub(repl, text)


def markers(text: str) -> list[int]:
    """Code indexes in the order they occur in ``text``."""
    return [index_of(c) for c in PLACEHOLDER.findall(text)]


# --------------------------------------------------------------------------- reading XML


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _attr_name(el: etree._Element, name: str) -> str:
    q = etree.QName(name)
    if not q.namespace:
        return name
    if q.namespace == "http://www.w3.org/XML/1998/namespace":
        return f"xml:{q.localname}"
    for prefix, uri in el.nsmap.items():
        if uri == q.namespace and prefix:
            return f"{prefix}:{q.localname}"
    return q.localname


def _escape_attr(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _qualified(el: etree._Element) -> str:
    return f"{el.prefix}:{_local(el)}" if el.prefix else _local(el)


def start_tag(el: etree._Element, empty: bool = False) -> str:
    attrs = "".join(f' {_attr_name(el, k)}="{_escape_attr(v)}"' for k, v in el.attrib.items())
    return f"<{_qualified(el)}{attrs}{'/' if empty else ''}>"


def element_xml(el: etree._Element) -> str:
    """An element as XML without its tail and without namespace declarations it inherited."""
    if len(el) == 0 and not el.text:
        return start_tag(el, empty=True)
    inner = escape_text(el.text or "")
    for child in el:
        if isinstance(child.tag, str):
            inner += element_xml(child)
        inner += escape_text(child.tail or "")
    return f"{start_tag(el)}{inner}</{_qualified(el)}>"


def _native_text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _literal_chars(coded: Coded) -> Coded:
    """A coded text whose only codes are private-use characters: the plain text again."""
    if coded.codes and all(c.element == CHAR for c in coded.codes):
        return Coded(PLACEHOLDER.sub(lambda m: coded.codes[index_of(m.group())].text, coded.text))
    return coded


def read_element(el: etree._Element, error: type[Exception]) -> Coded:
    """The coded text of a ``seg``/``source``/``target`` element."""
    parts: list[str] = []
    codes: list[Code] = []

    def add(code: Code) -> None:
        if len(codes) >= MAX_CODES:
            raise error(f"more than {MAX_CODES} inline codes in one segment")
        parts.append(marker(len(codes)))
        codes.append(code)

    def text(value: str | None) -> None:
        value, last = value or "", 0
        for m in PLACEHOLDER.finditer(value):
            parts.append(value[last : m.start()])
            add(Code(STANDALONE, CHAR, m.group(), "", m.group()))
            last = m.end()
        parts.append(value[last:])

    text(el.text)

    def walk(node: etree._Element) -> None:
        for child in node:
            if child.tag is etree.Entity:
                raise error(f"undeclared entity reference {child.text}")
            if isinstance(child.tag, str):
                name = _local(child)
                if name in WRAPPERS:
                    pair = child.get("id") or child.get("x") or str(len(codes))
                    add(Code(OPEN, name, start_tag(child), pair))
                    text(child.text)
                    walk(child)
                    add(Code(CLOSE, name, f"</{_qualified(child)}>", pair))
                else:
                    kind = STANDALONE
                    pair = (
                        child.get("i")
                        or child.get("rid")
                        or child.get("startRef")
                        or child.get("id")
                        or ""
                    )
                    if name in _OPENING or (name == "it" and child.get("pos") == "begin"):
                        kind = OPEN
                    elif name in _CLOSING or (name == "it" and child.get("pos") == "end"):
                        kind = CLOSE
                    if name == "it":
                        kind = STANDALONE  # isolated: its partner is in another segment
                    add(Code(kind, name, element_xml(child), pair, _native_text(child)))
            text(child.tail)

    walk(el)
    return _literal_chars(Coded("".join(parts), codes))


def from_omegat(text: str) -> Coded:
    """OmegaT's tag text (``<g1>TiDB</g1>``, ``<x2/>``) as codes; other text unchanged."""
    codes: list[Code] = []
    open_names: list[str] = []

    def repl(m: re.Match[str]) -> str:
        if m.group(5):  # a private-use character of the text itself
            codes.append(Code(STANDALONE, CHAR, m.group(), "", m.group()))
            return marker(len(codes) - 1)
        closing, name, number, empty = m.groups()[:4]
        kind = CLOSE if closing else STANDALONE if empty else OPEN
        if kind == OPEN:
            open_names.append(name + number)
        codes.append(Code(kind, "omegat", m.group(), name + number))
        return marker(len(codes) - 1)

    coded = re.sub(f"{OMEGAT_TAG.pattern}|({PLACEHOLDER.pattern})", repl, text)
    return _literal_chars(Coded(coded, codes))


def has_omegat_tags(text: str) -> bool:
    return bool(OMEGAT_TAG.search(text))


def to_xml(coded: Coded) -> str:
    """The element content to write back: escaped text with each code's original data."""
    out: list[str] = []
    for piece in re.split(f"({PLACEHOLDER.pattern})", coded.text):
        if piece and PLACEHOLDER.fullmatch(piece):
            i = index_of(piece)
            out.append(coded.codes[i].data if i < len(coded.codes) else "")
        else:
            out.append(escape_text(piece))
    return "".join(out)


# --------------------------------------------------------------------------- MT and QA


def reinsert(source: Coded, translation: str) -> str:
    """Put the source's codes into a plain ``translation`` (MT output) as a coded text.

    Codes at the source's start or end go to the translation's start or end; a
    pair that wraps the whole source wraps the whole translation; the others go
    to the same relative position, moved to the nearest word boundary, in order.
    """
    src = source.text
    if not source.codes:
        return translation
    plain_len = max(len(PLACEHOLDER.sub("", src)), 1)
    positions: list[tuple[int, int]] = []  # (position in translation, code index)
    offset = 0
    lead = len(src) - len(src.lstrip(_placeholder_chars(src)))
    trail_start = len(src.rstrip(_placeholder_chars(src)))
    for i, ch in enumerate(src):
        if PLACEHOLDER.fullmatch(ch):
            if i < lead:
                pos = 0
            elif i >= trail_start:
                pos = len(translation)
            else:
                pos = _boundary(translation, round(offset / plain_len * len(translation)))
            positions.append((pos, index_of(ch)))
        else:
            offset += 1
    out, last = [], 0
    for pos, index in positions:
        pos = max(pos, last)
        out.append(translation[last:pos])
        out.append(marker(index))
        last = pos
    out.append(translation[last:])
    return "".join(out)


def _placeholder_chars(text: str) -> str:
    return "".join(set(PLACEHOLDER.findall(text))) or "\0"


def _boundary(text: str, pos: int) -> int:
    """The nearest position at a space (or anywhere in unspaced Chinese)."""
    if pos <= 0 or pos >= len(text):
        return max(0, min(pos, len(text)))
    if not any(c.isspace() for c in text):
        return pos
    for delta in range(len(text)):
        for p in (pos - delta, pos + delta):
            if 0 < p < len(text) and text[p - 1].isspace():
                return p
    return pos


def code_problems(source: Coded, target_text: str) -> list[str]:
    """Missing, extra and wrongly ordered codes of ``target_text`` against the source."""
    expected = markers(source.text)
    found = markers(target_text)
    problems: list[str] = []
    missing = [i for i in expected if i not in found]
    extra = [i for i in found if i not in expected or found.count(i) > expected.count(i)]
    if missing:
        problems.append("missing " + ", ".join(_label(source, i) for i in missing))
    if extra:
        problems.append("extra " + ", ".join(_label(source, i) for i in sorted(set(extra))))
    open_stack: list[str] = []
    for i in found:
        code = source.codes[i] if i < len(source.codes) else None
        if code is None:
            continue
        if code.kind == OPEN:
            open_stack.append(code.pair)
        elif code.kind == CLOSE:
            if code.pair not in open_stack:
                problems.append(f"{_label(source, i)} closes before it opens")
            else:
                open_stack.remove(code.pair)
    if not problems:
        same = [i for i in found if i in expected]
        standalone_order = [i for i in expected if i in same]
        if same != standalone_order and any(source.codes[i].kind != STANDALONE for i in same):
            nested = _nesting_ok(source, found)
            if not nested:
                problems.append("codes in the wrong order")
    return problems


def _nesting_ok(source: Coded, order: list[int]) -> bool:
    stack: list[str] = []
    for i in order:
        code = source.codes[i]
        if code.kind == OPEN:
            stack.append(code.pair)
        elif code.kind == CLOSE:
            if not stack or stack[-1] != code.pair:
                return False
            stack.pop()
    return not stack


def _label(source: Coded, index: int) -> str:
    if index >= len(source.codes):
        return f"code {index + 1}"
    code = source.codes[index]
    return f"{code.kind} code {code.pair or index + 1} ({code.data[:30]})"


# --------------------------------------------------------------------------- tag text


def tag_labels(codes: list[Code]) -> list[str]:
    """The tag text each code is shown as while editing, as OmegaT shows them:
    ``<g1>``/``</g1>`` for a pair, ``<x2/>`` for a standalone code."""
    labels = []
    opened: list[tuple[str, str, int]] = []  # (family, pair, number) of codes still open
    for i, code in enumerate(codes):
        if code.element == "omegat":  # already tag text: shown as written
            labels.append(code.data)
        elif code.element == CHAR:  # a character of the text: shown as itself
            labels.append(code.text)
        elif code.kind == STANDALONE:
            labels.append(f"<x{i + 1}/>")
        elif code.kind == OPEN:
            opened.append((_FAMILY.get(code.element, code.element), code.pair, i + 1))
            labels.append(f"<g{i + 1}>")
        else:
            family = _FAMILY.get(code.element, code.element)
            same = [o for o in opened if o[0] == family]
            match = next((o for o in reversed(same) if o[1] == code.pair), None)
            match = match or (same[-1] if same else None)
            if match is None:  # a close without its open in this segment
                labels.append(f"</g{i + 1}>")
                continue
            opened.remove(match)
            labels.append(f"</g{match[2]}>")
    return labels


#: Open and close elements that pair with each other.
_FAMILY = {"ept": "bpt", "ex": "bx", "ec": "sc"}


def to_tagtext(coded: Coded) -> str:
    """The coded text with each code as its tag text (see ``tag_labels``)."""
    labels = tag_labels(coded.codes)
    return PLACEHOLDER.sub(lambda m: labels[index_of(m.group())], coded.text)


def from_tagtext(text: str, source: Coded) -> Coded:
    """A target typed as tag text back to a coded text with the source's codes.

    Tags that name no code of the source stay text (QA reports them as extra)."""
    by_label = {label: i for i, label in enumerate(tag_labels(source.codes))}

    def repl(m: re.Match[str]) -> str:
        index = by_label.get(m.group())
        return marker(index) if index is not None else m.group()

    pattern = f"{OMEGAT_TAG.pattern}|{PLACEHOLDER.pattern}"  # tags, and private-use characters
    return Coded(re.sub(pattern, repl, text), source.codes)


def strip_tagtext(text: str, source: Coded) -> str:
    """The plain text of a tag text (for MT and scoring): the codes removed."""
    return plain(from_tagtext(text, source).text, source.codes)


def segment_codes(markup: str | None, source: str, target: str) -> tuple[Coded, Coded] | None:
    """A stored segment's source and target with their inline codes, if it has any.

    Segments of another tool's XLIFF keep the file's codes in ``markup``
    (``{"source": Coded JSON, …}``); other segments may carry OmegaT's tag text.
    """
    stored = json.loads(markup) if markup else None
    if stored and stored.get("source"):
        coded = Coded.from_json(stored["source"])
        if coded is not None and coded.codes:
            return coded, from_tagtext(target or "", coded)
    if has_omegat_tags(source):
        coded = from_omegat(source)
        return coded, from_tagtext(target or "", coded)
    return None
