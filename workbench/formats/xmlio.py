"""Safe XML input and atomic output shared by the TMX and XLIFF readers and writers.

Why one place: every interchange file comes from outside, so every reader
must refuse DTDs, entities and network access the same way, report a
malformed file with its line, and free parsed units as it goes.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from typing import IO, Any, BinaryIO

from lxml import etree

from workbench.formats.atomic import atomic_write
from workbench.formats.units import InterchangeError

Source = str | os.PathLike[str] | bytes | IO[bytes]
Output = str | os.PathLike[str] | BinaryIO | IO[bytes]


@contextlib.contextmanager
def open_output(out: Output) -> Iterator[IO[bytes]]:
    """Give writers one binary stream: a path goes through ``atomic_write``."""
    if isinstance(out, (str, os.PathLike)):
        with atomic_write(out, "wb") as fh:
            yield fh
    else:
        yield out  # type: ignore[misc]


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
    if dtd is not None:
        refuse_entities([e.name for e in dtd.iterentities()], error)


def refuse_entities(names: list[str], error: type[InterchangeError]) -> None:
    if names:
        raise error(
            "the file declares XML entities (" + ", ".join(sorted(set(names))[:5]) + "); "
            "entity declarations are refused for safety",
            line=1,
        )


_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s%>\"']+)")


def check_prolog(fh: IO[bytes], error: type[InterchangeError]) -> None:
    """Before parsing: the declared encoding (``check_declared_encoding``) and entity
    declarations in the internal DTD subset, refused by name.

    Why before: lxml 6.2's libxml2 stops a billion laughs while it reads the DTD, with
    its own "amplification factor exceeded", before the root element where
    ``refuse_entity_declarations`` runs; the user should read the same refusal
    whichever lxml is installed. That check stays for what a byte scan cannot see.
    """
    if not fh.seekable():
        return
    start = fh.tell()
    head = fh.read(1 << 20)
    fh.seek(start)
    check_declared_encoding(head[:256], error)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    doctype = head.find(b"<!DOCTYPE")
    if doctype < 0:
        return
    end = head.find(b"]>", doctype)
    subset = head[doctype : end if end >= 0 else len(head)]
    refuse_entities([m.decode("utf-8", "replace") for m in _ENTITY.findall(subset)], error)


_DECLARED = re.compile(
    rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']"""
)


def check_declared_encoding(head: bytes, error: type[InterchangeError]) -> None:
    """Refuse, with the cause, a file whose XML declaration (in ``head``, its first
    bytes) names UTF-16 while its bytes are single-byte text (memoQ writes such files);
    the parser would only say "Blank needed here"."""
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
