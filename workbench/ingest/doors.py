"""The right door for every file: interchange files are not articles.

A TMX, XLIFF, TBX or PO file given to ``workbench import`` or ``translate`` would
be read as text and stored as hundreds of "sentences" of raw XML. They are
recognised by name and by content (the root element of the first kilobyte, or
gettext's ``msgid``/``msgstr`` lines), whatever the file is called, and refused
with the command that does take them. This is the one place that decides.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

HEAD_BYTES = 1024

# kind: (what the file is, the command that takes it or None when nothing does)
KINDS: dict[str, tuple[str, str | None]] = {
    "tmx": ("a TMX translation memory", "workbench tm import {path}"),
    "xliff": ("an XLIFF file", "workbench import-xliff {path}"),
    "tbx": ("a TBX termbase", "workbench terms import {path}"),
    "po": ("a gettext PO file", None),
    "ts": ("a Qt Linguist TS file", None),  # by content only: .ts is also TypeScript
    "ttx": ("a Trados TTX file", None),
    "sdltm": ("a Trados translation memory (.sdltm)", None),
    "mo": ("a compiled gettext catalogue (.mo)", None),
}
SUFFIXES = {
    ".tmx": "tmx",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".sdlxliff": "xliff",
    ".mqxliff": "xliff",
    ".mxliff": "xliff",
    ".txlf": "xliff",
    ".tbx": "tbx",
    ".po": "po",
    ".pot": "po",
    ".ttx": "ttx",
    ".sdltm": "sdltm",
    ".mo": "mo",
}
ROOTS = {"tmx": "tmx", "xliff": "xliff", "martif": "tbx", "tbx": "tbx", "ts": "ts"}
ROOTS_CASED = {"TRADOStag": "ttx"}
_PROLOGUE = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_ELEMENT = re.compile(r"<\s*(?:[\w.-]+:)?([A-Za-z_][\w.-]*)")
_PO_MSGID = re.compile(r"^msgid\s+\"", re.M)
_PO_MSGSTR = re.compile(r"^msgstr(?:\[\d+\])?\s+\"", re.M)


def _head_text(head: bytes) -> str:
    """The first kilobyte as text, whatever its Unicode form (markers are ASCII)."""
    for bom, name in (
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) : len(head) // 2 * 2].decode(name, "ignore")
    if head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 XML without a BOM
        return head[: len(head) // 2 * 2].decode("utf-16-le" if head[0] else "utf-16-be", "ignore")
    return head.decode("utf-8", "ignore").lstrip("\ufeff")


def sniff(head: bytes) -> str | None:
    """The interchange kind the content shows, or None for anything else."""
    text = _head_text(head[:HEAD_BYTES])
    position = 0
    while match := _PROLOGUE.match(text, position):
        position = match.end()
    rest = text[position:].lstrip()
    if rest.startswith("<"):
        element = _ELEMENT.match(rest)
        if element:
            name = element.group(1)
            return ROOTS_CASED.get(name) or ROOTS.get(name.lower())
        return None
    if _PO_MSGID.search(text) and _PO_MSGSTR.search(text):
        return "po"
    return None


def interchange_kind(path: str | Path, head: bytes) -> tuple[str, str | None] | None:
    """(kind, command that takes it) when the file is an interchange file, by its
    content (``head``: its first bytes) or, failing that, by its name; else None.

    The command is None when Workbench has no door for that kind.
    """
    kind = sniff(head) or SUFFIXES.get(Path(str(path)).suffix.lower())
    if kind is None:
        return None
    command = KINDS[kind][1]
    return kind, command.format(path=path) if command else None


def refusal(path: str | Path, head: bytes) -> str | None:
    """One line for the user when ``path`` is an interchange file, naming the right
    command; None when it may be an article."""
    found = interchange_kind(path, head)
    if found is None:
        return None
    kind, command = found
    what = KINDS[kind][0]
    if command:
        return f"{path}: {what}, not an article; use `{command}`"
    return f"{path}: {what}, not an article; Workbench does not read {kind.upper()} files"
