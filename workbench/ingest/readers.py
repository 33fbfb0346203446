"""Turn an input file's bytes into text, or refuse it with a reason a user can act on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from workbench.ingest import doors
from workbench.ingest.encodings import Detection, EncodingUnknown, canonical, detect
from workbench.ingest.script import declared_language

MAX_INPUT_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """An input that cannot be read as an article; the message says why and what to do."""


def check_size(size: int, name: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise InputError(
            f"{name}: {size / 1e6:.1f} MB is more than the {MAX_INPUT_BYTES / 1e6:.0f} MB"
            " limit for one article; split it into several files"
        )


def decode_text(data: bytes, name: str = "input", encoding: str | None = None) -> str:
    """The text of ``data`` (see ``decode``), without the encoding used."""
    return decode(data, name, encoding).text


@dataclass
class Decoded:
    """A file's text and how its bytes were read (None for .docx, which is XML in a zip)."""

    text: str
    detection: Detection | None = None
    language: str | None = None  # the tag an HTML page declares (<html lang="zh-TW">)

    @property
    def metadata(self) -> dict:
        """How the file was read, for the document's metadata."""
        found = self.detection.as_metadata() if self.detection else {}
        return {**found, "declared_language": self.language} if self.language else found


def pair_metadata(source: Decoded, translation: Decoded) -> dict:
    """How an article and its translation were read, the translation's keys prefixed."""
    return {**source.metadata, **{f"translation_{k}": v for k, v in translation.metadata.items()}}


def decode(
    data: bytes, name: str = "input", encoding: str | None = None, *, markup: bool = False
) -> Decoded:
    """Decode ``data`` in the given encoding, or the one ``encodings.detect`` finds.

    Refuses, with the reason, binary files and text whose encoding stays
    ambiguous (a few characters that read as well in GB18030 as in Big5).
    ``markup``: HTML or XML, whose declared charset counts.
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    check_size(len(data), name)
    try:
        if encoding:
            detection = Detection(canonical(encoding), "given")
        else:
            detection = detect(data, markup=markup)
    except LookupError:
        raise InputError(f"{name}: unknown encoding {encoding!r}") from None
    except EncodingUnknown as error:
        raise InputError(f"{name}: {error}") from error
    try:
        text = data.decode(detection.encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: cannot decode as {detection.describe()}: {error}; pass its encoding"
        ) from error
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file ({controls} control characters)")
    if not text.strip():
        raise InputError(f"{name}: the file has no text")
    return Decoded(text, detection)


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, or InputError saying why not (missing, a directory, too large)."""
    path = Path(path)
    try:
        check_size(path.stat().st_size, str(path))
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from error


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """Read an article from disk (see ``read_document``), without the encoding used."""
    return read_document(path, encoding).text


def read_document(path: str | Path, encoding: str | None = None) -> Decoded:
    """Read an article from disk: .md, .html and .docx by their format, anything else
    (.txt, no extension) as plain text."""
    data = read_bytes(path)
    if Path(path).suffix.lower() in DOCUMENT_SUFFIXES:
        return document(data, str(path), encoding)
    refuse_interchange(data, str(path))
    return decode(data, str(path), encoding)


def refuse_interchange(data: bytes, filename: str) -> None:
    """InputError naming the right command when the file is TMX, XLIFF, TBX, PO …"""
    message = doors.refusal(filename, data[: doors.HEAD_BYTES])
    if message:
        raise InputError(message)


# --------------------------------------------------------------------------- documents
# Every reader below returns plain text with one paragraph per block and a blank
# line between blocks: the shape ``aligner.clean_article`` reads and the one the
# translated output keeps.

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIXES = (".docx",)
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES
MAX_DOCX_XML_BYTES = 200 * 1024 * 1024  # word/document.xml unpacked; refuses zip bombs


def document_text(data: bytes, filename: str, encoding: str | None = None) -> str:
    """Plain text of a document's bytes (see ``document``)."""
    return document(data, filename, encoding).text


def document(data: bytes, filename: str, encoding: str | None = None) -> Decoded:
    """Plain text of a .txt, .md/.markdown, .html/.htm or .docx file's bytes.

    Paragraphs come out separated by blank lines; markup, scripts and styles are
    dropped. ``encoding`` overrides the detected one for the text formats.
    Raises InputError (empty, binary, wrongly encoded, corrupt, or a file type
    we do not read), with the file name in the message.
    """
    refuse_interchange(data, filename)
    suffix = Path(filename).suffix.lower()
    if suffix in DOCX_SUFFIXES:
        decoded = Decoded(_docx_text(data, filename))
    elif suffix in HTML_SUFFIXES:
        decoded = decode(data, filename, encoding, markup=True)
        decoded.language = declared_language(decoded.text)
        # decoded already: lxml refuses a str that still declares an encoding (XHTML)
        decoded.text = _html_text(_XML_DECLARATION.sub("", decoded.text, count=1), filename)
    elif suffix in MARKDOWN_SUFFIXES:
        decoded = decode(data, filename, encoding)
        decoded.text = markdown_text(decoded.text)
    elif suffix in TEXT_SUFFIXES:
        decoded = decode(data, filename, encoding)
    else:
        kind = f"'{suffix}'" if suffix else "without an extension"
        raise InputError(
            f"{filename}: unsupported file type {kind}; Workbench reads "
            + ", ".join(DOCUMENT_SUFFIXES)
            + " (convert other formats to one of these)"
        )
    if not decoded.text.strip():
        raise InputError(f"{filename}: the file has no text")
    return decoded


def _join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines of one paragraph: no space between two CJK characters."""
    out = ""
    for line in lines:
        if out and not (_is_cjk(out[-1]) and _is_cjk(line[0])):
            out += " "
        out += line
    return out


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" or ch >= "\U00020000"


_MD_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_MD_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_MD_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),  # backslash escapes
]


def _md_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return text.strip()


def markdown_text(source: str) -> str:
    """Markdown to paragraphs by plain rules (no dependency, no HTML step).

    Headings, list items, table rows and quote paragraphs become paragraphs;
    code blocks, front matter, rules and link definitions are dropped; links
    and images keep their text; emphasis marks are removed.
    """
    lines = source.split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                lines = lines[end + 1 :]
                break
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(_join_lines(current))
            current.clear()

    fence: str | None = None
    for raw in lines:
        if fence:
            if raw.strip().startswith(fence):
                fence = None
            continue
        match = _MD_FENCE.match(raw)
        if match:
            flush()
            fence = match.group(1)[:3]
            continue
        line = _MD_QUOTE.sub("", raw)
        if not line.strip() or _MD_RULE.match(line) or _MD_REFDEF.match(line):
            flush()
            continue
        if _MD_SETEXT.match(line) and current:
            flush()  # the underline of a setext heading: the lines above were the heading
            continue
        if _MD_TABLE_RULE.match(line) and "-" in line:
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            text = _md_inline(heading.group(1))
            if text:
                paragraphs.append(text)
            continue
        if line.lstrip().startswith("|") or (line.count("|") >= 2 and "|" in line.strip()[1:-1]):
            flush()
            cells = [_md_inline(c) for c in line.strip().strip("|").split("|")]
            row = "  ".join(c for c in cells if c)
            if row:
                paragraphs.append(row)
            continue
        item = _MD_LIST.match(line)
        if item:
            flush()
            line = line[item.end() :]
        text = _md_inline(line)
        if text:
            current.append(text)
    flush()
    return "\n\n".join(paragraphs)


_HTML_DROP = {"script", "style", "noscript", "template", "head", "svg", "math", "iframe"}
_HTML_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u3000]+")


def _html_text(source: str, filename: str) -> str:
    """Text of the HTML page's block elements, one paragraph each, in reading order."""
    from lxml import etree, html

    try:
        parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
        root = html.document_fromstring(source, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise InputError(f"{filename}: cannot parse as HTML: {error}") from error

    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            paragraphs.append(text)

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in _HTML_DROP:
            buffer.append(" ")
            return
        block = tag.lower() in _HTML_BLOCKS
        if block or tag.lower() == "br":
            flush()
        if tag:
            buffer.append(element.text or "")
            for child in element:
                walk(child)
                buffer.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return "\n\n".join(paragraphs)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(data: bytes, filename: str) -> str:
    """Paragraphs of a Word document's main body (tables included, in order).

    Read straight from ``word/document.xml`` with lxml (no python-docx): the
    text runs, tabs and line breaks are all we need, and the parser never
    resolves entities or touches the network.
    """
    import io
    import zipfile

    from lxml import etree

    if not data.strip():
        raise InputError(f"{filename}: the file is empty")
    check_size(len(data), filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise InputError(
                    f"{filename}: not a Word document (no word/document.xml in the archive)"
                ) from None
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise InputError(f"{filename}: the document text unpacks to more than 200 MB")
            xml = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise InputError(f"{filename}: not a valid .docx file (a corrupt zip: {error})") from error
    except RuntimeError as error:  # encrypted members
        raise InputError(f"{filename}: cannot read the .docx file: {error}") from error
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"{filename}: corrupt .docx (word/document.xml: {error})") from error
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        if any(a.tag == f"{_W}p" for a in paragraph.iterancestors()):
            continue  # nested paragraph (text box): read with its own parent below
        parts = []
        for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            else:
                parts.append("\n")
        text = "".join(parts).strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)
